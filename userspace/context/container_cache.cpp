#include "context/container_cache.h"

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
ContainerCache::lookup(std::uint64_t cgroup_id, std::uint32_t pid) {
  if (!v2_)
    return lookup_v1(pid);
  {
    std::shared_lock lock(mutex_);
    auto it = cgroups_.find(cgroup_id);
    if (it != cgroups_.end())
      return it->second.info;
  }
  // First sight of this cgroup: parse its path once.
  std::optional<std::string> path = map_.path(cgroup_id);
  std::unique_lock lock(mutex_);
  auto it = cgroups_.find(cgroup_id);
  if (it != cgroups_.end())
    return it->second.info;
  if (cgroups_.size() >= settings_.max_cgroups)
    return nullptr;
  CgroupEntry e;
  if (path) {
    e = classify(*path);
  } else {
    // Made between the walk and the first mkdir record, or the record was
    // lost: remembered as no container.
    ++unmapped_;
  }
  cgroups_.emplace(cgroup_id, e);
  return e.info;
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
