#include "context/container_cache.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <unordered_set>

#include "context/cgroup_path.h"
#include "util/log.h"

namespace vigil {

namespace {

std::string read_text(const std::string &path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr std::uint64_t kRetryDelayNs[] = {1'000'000'000, 4'000'000'000};

} // namespace

ContainerCache::ContainerCache(ContainerSettings settings)
    : settings_(std::move(settings)) {}

void ContainerCache::start() {
  std::string root = settings_.cgroup_root;
  if (root.empty())
    root = find_cgroup2_mount(read_text(settings_.mountinfo));
  if (root.empty()) {
    spdlog::warn("no cgroup2 mount: containers are found from "
                 "/proc/PID/cgroup, once per process");
    return;
  }
  v2_ = true;
  root_ = root;
  std::size_t n = map_.walk(root);
  spdlog::debug("cgroup v2 at {}: {} cgroups", root, n);
}

ContainerCache::CgroupEntry ContainerCache::classify(const std::string &path) {
  CgroupEntry e;
  std::optional<CgroupContainer> c = parse_container_cgroup(path);
  if (!c)
    return e;
  e.own = !c->nested;
  e.info = shared_container(*c, path);
  return e;
}

std::shared_ptr<const ContainerInfo>
ContainerCache::container_of_path(const std::string &path) {
  std::optional<CgroupContainer> c = parse_container_cgroup(path);
  if (!c)
    return nullptr;
  std::unique_lock lock(mutex_);
  return shared_container(*c, path);
}

std::shared_ptr<const ContainerInfo>
ContainerCache::shared_container(const CgroupContainer &c,
                                 const std::string &path) {
  auto it = containers_.find(c.id);
  if (it != containers_.end())
    return it->second;
  auto info = std::make_shared<ContainerInfo>();
  info->id = c.id;
  info->runtime = c.runtime;
  info->pod.uid = c.pod_uid;
  info->pod.qos = c.qos;
  info->cgroup = path;
  containers_.emplace(c.id, info);
  pending_.push_back({c.id, 0, 0});
  return info;
}

std::shared_ptr<const ContainerInfo>
ContainerCache::lookup(std::uint64_t cgroup_id, std::uint32_t pid,
                       std::uint32_t ppid) {
  if (!v2_)
    return lookup_v1(pid);
  {
    std::shared_lock lock(mutex_);
    auto it = cgroups_.find(cgroup_id);
    if (it != cgroups_.end()) {
      const CgroupEntry &e = it->second;
      // A removed cgroup's id can be a new cgroup's already, before its
      // mkdir record reached this worker: a live process tells which.
      // An id without a path is asked about again once the map has one.
      if (e.removed_ns == 0 && (!e.unmapped || !map_.knows(cgroup_id)))
        return e.info;
    } else if (cgroups_.size() >= settings_.max_cgroups) {
      // Full: new cgroups go without a container rather than cost a path
      // lookup on every event.
      return nullptr;
    }
  }
  // First sight of this cgroup, or of a removed one's id: parse its path.
  std::optional<std::string> path = map_.path(cgroup_id);
  // A short-lived process may be gone by now; its parent is often still
  // there, in the same cgroup.
  if (!path)
    path = path_from_proc(cgroup_id, pid);
  if (!path && ppid != 0)
    path = path_from_proc(cgroup_id, ppid);
  std::unique_lock lock(mutex_);
  auto it = cgroups_.find(cgroup_id);
  if (it != cgroups_.end()) {
    bool stale = it->second.removed_ns != 0 || it->second.unmapped;
    if (!stale || !path)
      return it->second.info; // the removed one's events still in flight
    CgroupEntry e = classify(*path);
    it->second = e;
    return e.info;
  }
  if (cgroups_.size() >= settings_.max_cgroups)
    return nullptr;
  CgroupEntry e;
  if (path) {
    e = classify(*path);
  } else {
    // Made after the walk, and its mkdir record was lost or is still in
    // another worker's queue: no container until a rescan names it.
    e.unmapped = true;
    ++unmapped_;
    rescan_wanted_.store(true, std::memory_order_relaxed);
  }
  cgroups_.emplace(cgroup_id, e);
  return e.info;
}

std::optional<std::string> ContainerCache::path_from_proc(std::uint64_t id,
                                                          std::uint32_t pid) {
  // The v2 line of /proc/PID/cgroup is "0::PATH". The process may have
  // moved since its record was made: the path counts only if its
  // directory's inode is still the record's id.
  std::string text =
      read_text(settings_.proc_root + "/" + std::to_string(pid) + "/cgroup");
  std::size_t at = text.starts_with("0::") ? 0 : text.find("\n0::");
  if (at == std::string::npos)
    return std::nullopt;
  at += text[at] == '\n' ? 4 : 3;
  std::string path = text.substr(at, text.find('\n', at) - at);
  struct stat st {};
  if (::stat((root_ + path).c_str(), &st) != 0 || st.st_ino != id)
    return std::nullopt;
  map_.add(id, path);
  return path;
}

std::shared_ptr<const ContainerInfo>
ContainerCache::lookup_v1(std::uint32_t pid) {
  {
    std::shared_lock lock(mutex_);
    auto it = by_pid_.find(pid);
    if (it != by_pid_.end())
      return it->second;
  }
  std::string path = container_path_from_proc_cgroup(
      read_text(settings_.proc_root + "/" + std::to_string(pid) + "/cgroup"));
  std::unique_lock lock(mutex_);
  // Bounded crudely: pids are reused, so the cache is forgotten when full.
  if (by_pid_.size() >= settings_.max_cgroups)
    by_pid_.clear();
  std::shared_ptr<const ContainerInfo> info;
  if (!path.empty())
    info = classify(path).info;
  by_pid_[pid] = info;
  return info;
}

std::shared_ptr<const ContainerInfo>
ContainerCache::on_record(const RawEvent &ev) {
  const vigil_event &h = *ev.header;
  std::uint64_t id = h.args[0];
  if (h.kind == VIGIL_EV_CGROUP_MKDIR) {
    if (!ev.captured[0])
      return nullptr;
    std::string path(ev.captured[0]->bytes);
    map_.add(id, path);
    std::unique_lock lock(mutex_);
    CgroupEntry e = classify(path);
    // An id can be reused after an rmdir: the new cgroup replaces it.
    if (cgroups_.size() < settings_.max_cgroups || cgroups_.contains(id))
      cgroups_[id] = e;
    return e.own ? e.info : nullptr;
  }
  if (h.kind == VIGIL_EV_CGROUP_RMDIR) {
    // The id may name a new cgroup already (ids are inode numbers, used
    // again at once), learnt by the reader before this worker came here:
    // then this removal is not the current cgroup's.
    std::optional<std::string> now = map_.path(id);
    if (now && ev.captured[0] && *now != ev.captured[0]->bytes)
      return nullptr;
    map_.remove(id);
    std::unique_lock lock(mutex_);
    auto it = cgroups_.find(id);
    if (it == cgroups_.end()) {
      // Never looked up: its path, if the record has it, still tells.
      if (!ev.captured[0])
        return nullptr;
      CgroupEntry e = classify(std::string(ev.captured[0]->bytes));
      e.removed_ns = h.ts_ns ? h.ts_ns : 1;
      cgroups_.emplace(id, e);
      return e.own ? e.info : nullptr;
    }
    it->second.removed_ns = h.ts_ns ? h.ts_ns : 1;
    return it->second.own ? it->second.info : nullptr;
  }
  return nullptr;
}

void ContainerCache::publish(const std::string &id,
                             std::shared_ptr<const ContainerInfo> info) {
  containers_[id] = info;
  for (auto &[cg, e] : cgroups_) {
    if (e.info && e.info->id == id)
      e.info = info;
  }
  for (auto &[pid, c] : by_pid_) {
    if (c && c->id == id)
      c = info;
  }
}

void ContainerCache::resolve_pending(std::uint64_t now_ns) {
  for (;;) {
    Pending p;
    std::shared_ptr<const ContainerInfo> current;
    {
      std::unique_lock lock(mutex_);
      if (pending_.empty() || pending_.front().due_ns > now_ns)
        return;
      p = std::move(pending_.front());
      pending_.pop_front();
      auto it = containers_.find(p.id);
      if (it == containers_.end())
        continue; // removed meanwhile
      current = it->second;
    }

    // Outside the lock: the runtime may take its time.
    std::optional<ContainerMeta> meta =
        resolve_container(settings_.runtime, current->runtime, p.id);

    std::unique_lock lock(mutex_);
    if (!containers_.contains(p.id))
      continue;
    if (meta) {
      auto info = std::make_shared<ContainerInfo>(*current);
      apply_meta(*meta, *info);
      publish(p.id, std::move(info));
      ++resolved_;
      continue;
    }
    ++p.attempts;
    if (p.attempts >= settings_.resolve_attempts) {
      ++unresolved_;
      spdlog::debug("no metadata for {} container {}", current->runtime, p.id);
      continue;
    }
    std::size_t delay = std::min<std::size_t>(p.attempts - 1, 1);
    p.due_ns = now_ns + kRetryDelayNs[delay];
    // Kept in due order: later retries go to the back.
    pending_.push_back(std::move(p));
  }
}

void ContainerCache::rescan_unmapped(std::uint64_t now_ns) {
  if (!v2_ || !rescan_wanted_.load(std::memory_order_relaxed) ||
      now_ns - last_rescan_ns_ < 1'000'000'000)
    return;
  rescan_wanted_.store(false, std::memory_order_relaxed);
  last_rescan_ns_ = now_ns;
  map_.walk(root_);

  std::unique_lock lock(mutex_);
  for (auto &[id, e] : cgroups_) {
    if (!e.unmapped)
      continue;
    std::optional<std::string> path = map_.path(id);
    if (!path)
      continue; // gone already, or another hierarchy's: stays unnamed
    e = classify(*path);
  }
}

void ContainerCache::sweep(std::uint64_t now_ns) {
  std::unique_lock lock(mutex_);
  std::unordered_set<std::string> referenced;
  for (auto it = cgroups_.begin(); it != cgroups_.end();) {
    const CgroupEntry &e = it->second;
    if (e.removed_ns != 0 &&
        e.removed_ns + settings_.remove_grace_ns < now_ns) {
      it = cgroups_.erase(it);
      continue;
    }
    if (e.info)
      referenced.insert(e.info->id);
    ++it;
  }
  for (const auto &[pid, c] : by_pid_) {
    if (c)
      referenced.insert(c->id);
  }
  // A container goes with the last of its cgroups; until then a removed
  // cgroup's entry still answers for its events in flight.
  std::erase_if(containers_,
                [&](const auto &kv) { return !referenced.contains(kv.first); });
}

ContainerStats ContainerCache::stats() const {
  std::shared_lock lock(mutex_);
  ContainerStats s;
  s.cgroups = cgroups_.size();
  s.containers = containers_.size();
  s.resolved = resolved_;
  s.unresolved = unresolved_;
  s.unmapped = unmapped_;
  s.cgroup_v2 = v2_;
  return s;
}

} // namespace vigil
