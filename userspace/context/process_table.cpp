#include "context/process_table.h"

#include "context/proc_reader.h"
#include "util/clock.h"

namespace vigil {

namespace {

std::uint32_t low(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
std::uint32_t high(std::uint64_t v) {
  return static_cast<std::uint32_t>(v >> 32);
}

// Exec and fork records pack the namespace inodes two to an argument.
Namespaces namespaces_of(const vigil_event &h) {
  Namespaces ns;
  ns.pid = low(h.args[3]);
  ns.mnt = high(h.args[3]);
  ns.net = low(h.args[4]);
  ns.uts = high(h.args[4]);
  ns.user = low(h.args[5]);
  ns.cgroup = high(h.args[5]);
  return ns;
}

std::string header_comm(const vigil_event &h) {
  std::size_t n = 0;
  while (n < sizeof(h.comm) && h.comm[n] != '\0')
    ++n;
  return std::string(h.comm, n);
}

// Fork and exec records carry the namespaced pid in args[2]; 0 means the
// kernel side could not read the task's pid and namespaces.
bool has_context_fields(const vigil_event &h) { return low(h.args[2]) != 0; }

} // namespace

ProcessTable::ProcessTable(ProcessTableSettings settings, UserNames *names)
    : settings_(std::move(settings)), names_(names) {}

void ProcessTable::fill_names(ProcessInfo &info) {
  if (names_ == nullptr)
    return;
  info.user = names_->user(info.uid);
  info.group = names_->group(info.gid);
}

std::size_t ProcessTable::seed() {
  std::unordered_map<std::uint32_t, ProcessInfo> found;
  for (std::uint32_t pid : list_pids(settings_.proc_root)) {
    if (found.size() >= settings_.max_entries)
      break;
    if (auto info = read_process(settings_.proc_root, pid)) {
      fill_names(*info);
      found.emplace(pid, std::move(*info));
    }
  }

  // The chains are built from what was read, before any is published.
  for (auto &[pid, info] : found) {
    std::uint32_t up = info.ppid;
    while (up != 0 && info.ancestors.size() < settings_.max_ancestors) {
      auto it = found.find(up);
      if (it == found.end()) {
        info.ancestors.push_back({up, {}, {}});
        break;
      }
      info.ancestors.push_back({up, it->second.comm, it->second.exe});
      up = it->second.ppid;
    }
  }

  std::unique_lock lock(mutex_);
  for (auto &[pid, info] : found) {
    Entry &e = entries_[pid];
    if (e.info == nullptr)
      e.info = std::make_shared<const ProcessInfo>(std::move(info));
  }
  return found.size();
}

void ProcessTable::on_record(const RawEvent &ev) {
  switch (ev.header->kind) {
  case VIGIL_EV_PROCESS_FORK:
    on_fork(ev);
    break;
  case VIGIL_EV_PROCESS_EXEC:
    on_exec(ev);
    break;
  case VIGIL_EV_PROCESS_EXIT:
    on_exit(ev);
    break;
  case VIGIL_EV_PROCESS_RENAME:
    on_rename(ev);
    break;
  default:
    break;
  }
}

std::vector<Ancestor> ProcessTable::chain_from(std::uint32_t ppid) const {
  std::vector<Ancestor> chain;
  if (ppid == 0 || settings_.max_ancestors == 0)
    return chain;
  auto it = entries_.find(ppid);
  if (it == entries_.end()) {
    chain.push_back({ppid, {}, {}});
    return chain;
  }
  const ProcessInfo &parent = *it->second.info;
  chain.reserve(std::min(settings_.max_ancestors, parent.ancestors.size() + 1));
  chain.push_back({parent.pid, parent.comm, parent.exe});
  for (const Ancestor &a : parent.ancestors) {
    if (chain.size() >= settings_.max_ancestors)
      break;
    chain.push_back(a);
  }
  return chain;
}

bool ProcessTable::make_room() {
  if (entries_.size() < settings_.max_entries)
    return true;
  // Full: the exited go first, whatever their grace period left.
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.exited_ns != 0) {
      it = entries_.erase(it);
      ++expired_;
    } else {
      ++it;
    }
  }
  if (entries_.size() < settings_.max_entries)
    return true;
  ++table_full_;
  return false;
}

void ProcessTable::store(std::uint32_t pid,
                         std::shared_ptr<const ProcessInfo> info,
                         std::uint64_t ts) {
  auto it = entries_.find(pid);
  if (it == entries_.end()) {
    if (!make_room())
      return;
    it = entries_.emplace(pid, Entry{}).first;
  }
  it->second.info = std::move(info);
  it->second.last_ns = ts;
  it->second.exited_ns = 0;
}

void ProcessTable::on_fork(const RawEvent &ev) {
  const vigil_event &h = *ev.header;
  const auto child = low(h.args[0]);
  // A new thread joins its parent's group: no new process.
  if (child == h.pid || child == 0)
    return;

  auto info = std::make_shared<ProcessInfo>();
  std::shared_ptr<const ProcessInfo> parent = find(h.pid);
  if (parent) {
    // The child runs the parent's image until it execs.
    info->exe = parent->exe;
    info->exe_deleted = parent->exe_deleted;
    info->exe_memfd = parent->exe_memfd;
    info->cmdline = parent->cmdline;
    info->cmdline_truncated = parent->cmdline_truncated;
    info->loginuid = parent->loginuid;
  }
  info->pid = child;
  info->ppid = h.pid;
  info->comm = header_comm(h);
  info->start_ns = h.ts_ns;
  info->uid = h.uid;
  info->gid = h.gid;
  if (has_context_fields(h)) {
    info->ns_pid = low(h.args[2]);
    info->ns = namespaces_of(h);
  }
  fill_names(*info);

  std::unique_lock lock(mutex_);
  auto it = entries_.find(child);
  if (it != entries_.end() && it->second.last_ns > h.ts_ns) {
    // The child's exec was handled first; it only lacks its start time.
    if (it->second.info->start_ns == 0 && it->second.exited_ns == 0) {
      auto patched = std::make_shared<ProcessInfo>(*it->second.info);
      patched->start_ns = h.ts_ns;
      it->second.info = std::move(patched);
    }
    return;
  }
  info->ancestors = chain_from(h.pid);
  store(child, std::move(info), h.ts_ns);
}

void ProcessTable::on_exec(const RawEvent &ev) {
  const vigil_event &h = *ev.header;
  auto info = std::make_shared<ProcessInfo>();
  info->pid = h.pid;
  info->ppid = h.ppid;
  info->comm = header_comm(h);
  info->uid = h.uid;
  info->gid = h.gid;
  // Every real exec has a namespaced pid of at least 1: a record with
  // none comes from BPF programs that do not fill the context fields.
  if (has_context_fields(h)) {
    info->loginuid = low(h.args[1]);
    std::uint32_t exe_flags = high(h.args[1]);
    info->exe_deleted = exe_flags & VIGIL_EXE_DELETED;
    info->exe_memfd = exe_flags & VIGIL_EXE_MEMFD;
    info->ns_pid = low(h.args[2]);
    info->ns = namespaces_of(h);
  }
  // The kernel's own name of the binary; the filename given to exec when
  // that could not be read.
  if (ev.captured[1]) {
    info->exe = ev.captured[1]->bytes;
  } else if (ev.captured[0]) {
    info->exe = ev.captured[0]->bytes;
  }
  if (ev.captured[2]) {
    info->cmdline = split_cmdline(ev.captured[2]->bytes);
    info->cmdline_truncated = ev.captured[2]->truncated();
  }
  fill_names(*info);

  std::unique_lock lock(mutex_);
  auto it = entries_.find(h.pid);
  if (it != entries_.end()) {
    if (it->second.last_ns > h.ts_ns)
      return;
    const ProcessInfo &old = *it->second.info;
    // exec keeps the process: its start time and, with the same parent,
    // its chain.
    if (it->second.exited_ns == 0)
      info->start_ns = old.start_ns;
    if (old.ppid == info->ppid && !old.ancestors.empty())
      info->ancestors = old.ancestors;
  }
  if (info->ancestors.empty())
    info->ancestors = chain_from(info->ppid);
  store(h.pid, std::move(info), h.ts_ns);
}

void ProcessTable::on_exit(const RawEvent &ev) {
  const vigil_event &h = *ev.header;
  if (h.args[1] == 0)
    return; // a thread; the group lives on
  std::unique_lock lock(mutex_);
  auto it = entries_.find(h.pid);
  if (it == entries_.end() || it->second.last_ns > h.ts_ns)
    return;
  it->second.exited_ns = h.ts_ns ? h.ts_ns : 1;
}

void ProcessTable::on_rename(const RawEvent &ev) {
  const vigil_event &h = *ev.header;
  const auto tgid = low(h.args[0]);
  // Only the leader's name is the process's name.
  if (tgid != low(h.args[1]) || !ev.captured[0])
    return;
  std::unique_lock lock(mutex_);
  auto it = entries_.find(tgid);
  if (it == entries_.end() || it->second.last_ns > h.ts_ns)
    return;
  auto renamed = std::make_shared<ProcessInfo>(*it->second.info);
  renamed->comm = ev.captured[0]->bytes;
  it->second.info = std::move(renamed);
}

std::shared_ptr<const ProcessInfo> ProcessTable::find(std::uint32_t pid) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(pid);
  return it == entries_.end() ? nullptr : it->second.info;
}

std::shared_ptr<const ProcessInfo> ProcessTable::lookup(const vigil_event &h) {
  {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(h.pid);
    if (it != entries_.end()) {
      const auto &info = it->second.info;
      if (h.ppid == 0 || info->ppid == h.ppid)
        return info;
    }
  }
  std::shared_ptr<const ProcessInfo> known = find(h.pid);
  if (known)
    return reparent(h.pid, h.ppid);
  return read_unknown(h.pid);
}

std::shared_ptr<const ProcessInfo> ProcessTable::reparent(std::uint32_t pid,
                                                          std::uint32_t ppid) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(pid);
  if (it == entries_.end())
    return nullptr;
  if (it->second.info->ppid == ppid)
    return it->second.info;
  auto moved = std::make_shared<ProcessInfo>(*it->second.info);
  moved->ppid = ppid;
  moved->ancestors = chain_from(ppid);
  it->second.info = moved;
  return moved;
}

std::shared_ptr<const ProcessInfo>
ProcessTable::read_unknown(std::uint32_t pid) {
  std::lock_guard proc_lock(proc_mutex_);
  std::uint64_t now = monotonic_ns();

  // Another worker may have read it while this one waited.
  if (auto info = find(pid))
    return info;
  auto absent = absent_until_.find(pid);
  if (absent != absent_until_.end()) {
    if (absent->second > now)
      return nullptr;
    absent_until_.erase(absent);
  }
  if (now - window_start_ns_ >= 1'000'000'000) {
    window_start_ns_ = now;
    window_reads_ = 0;
  }
  if (window_reads_ >= settings_.proc_reads_per_sec) {
    ++proc_read_limited_;
    return nullptr;
  }
  ++window_reads_;
  ++proc_reads_;

  std::optional<ProcessInfo> read = read_process(settings_.proc_root, pid);
  if (!read) {
    ++proc_read_failed_;
    // Bounded like the table: past it the oldest knowledge is forgotten.
    if (absent_until_.size() >= 4096)
      absent_until_.clear();
    absent_until_[pid] = now + settings_.negative_ttl_ns;
    return nullptr;
  }
  fill_names(*read);

  std::unique_lock lock(mutex_);
  auto it = entries_.find(pid);
  if (it != entries_.end())
    return it->second.info; // a record came first
  read->ancestors = chain_from(read->ppid);
  auto info = std::make_shared<const ProcessInfo>(std::move(*read));
  // last_ns 0: any record about this process is newer than /proc's view.
  store(pid, info, 0);
  return info;
}

void ProcessTable::sweep(std::uint64_t now_ns) {
  std::unique_lock lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry &e = it->second;
    if (e.exited_ns != 0 && e.exited_ns + settings_.exit_grace_ns < now_ns) {
      it = entries_.erase(it);
      ++expired_;
    } else {
      ++it;
    }
  }
}

ProcessTableStats ProcessTable::stats() const {
  ProcessTableStats s;
  {
    std::shared_lock lock(mutex_);
    s.entries = entries_.size();
    s.table_full = table_full_;
    s.expired = expired_;
  }
  std::lock_guard proc_lock(proc_mutex_);
  s.proc_reads = proc_reads_;
  s.proc_read_failed = proc_read_failed_;
  s.proc_read_limited = proc_read_limited_;
  return s;
}

} // namespace vigil
