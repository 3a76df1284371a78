#include "capture/bpf_capture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "util/clock.h"
#include "util/log.h"
#include "vigil.skel.h"
#include "vigil_event.h"

namespace vigil {

namespace {

int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args) {
  // A verifier log is one message of any length: keep all of it.
  va_list again;
  va_copy(again, args);
  int n = std::vsnprintf(nullptr, 0, fmt, again);
  va_end(again);
  std::string text(n > 0 ? n : 0, '\0');
  if (n > 0)
    std::vsnprintf(text.data(), text.size() + 1, fmt, args);
  std::string_view msg(text);
  while (!msg.empty() && msg.back() == '\n')
    msg.remove_suffix(1);
  switch (level) {
  case LIBBPF_WARN:
    spdlog::warn("libbpf: {}", msg);
    break;
  case LIBBPF_INFO:
    spdlog::debug("libbpf: {}", msg);
    break;
  default:
    spdlog::trace("libbpf: {}", msg);
    break;
  }
  return 0;
}

// kernel_at_least - the running kernel's version is major.minor or later.
bool kernel_at_least(int major, int minor) {
  utsname u{};
  int have_major = 0, have_minor = 0;
  if (uname(&u) != 0 ||
      std::sscanf(u.release, "%d.%d", &have_major, &have_minor) != 2)
    return false;
  return have_major > major || (have_major == major && have_minor >= minor);
}

std::string errno_text(int err) { return std::strerror(err < 0 ? -err : err); }

// The one-line advice for a load that the kernel refused.
std::string load_advice(int err) {
  if (err == -EPERM || err == -EACCES) {
    return "the kernel refused to load vigil's BPF programs (" +
           errno_text(err) +
           "): run vigil as root, or with CAP_BPF, CAP_PERFMON and "
           "CAP_SYS_ADMIN";
  }
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    return "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing): "
           "vigil needs a kernel built with CONFIG_DEBUG_INFO_BTF=y";
  }
  return "loading vigil's BPF programs failed (" + errno_text(err) +
         "): run with --log-level debug to see the verifier's log";
}

bool has_capability(const __user_cap_data_struct (&caps)[2], int cap) {
  return caps[cap / 32].effective & (1u << (cap % 32));
}

// check_privileges - one clear line before libbpf tries and fails noisily.
void check_privileges() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct caps[2] = {};
  if (syscall(SYS_capget, &header, caps) != 0)
    return; // let load decide
  bool admin = has_capability(caps, CAP_SYS_ADMIN);
  bool bpf = has_capability(caps, CAP_BPF) && has_capability(caps, CAP_PERFMON);
  if (!admin && !bpf) {
    throw StartupError("vigil needs root to load its BPF programs: run it "
                       "with sudo, or grant CAP_BPF, CAP_PERFMON and "
                       "CAP_SYS_ADMIN");
  }
}

// filter_mask_of - the vigil_filter bits of a scope: which filters the
// programs apply, all of which must hold.
std::uint32_t filter_mask_of(const Scope &scope) {
  std::uint32_t mask = 0;
  if (!scope.comms.empty()) {
    mask |= scope.comms.size() <= VIGIL_COMM_FAST ? VIGIL_FILTER_COMM_FAST
                                                  : VIGIL_FILTER_COMM;
  }
  if (!scope.pids.empty())
    mask |= VIGIL_FILTER_PID;
  if (!scope.uids.empty())
    mask |= VIGIL_FILTER_UID;
  if (scope.new_pids)
    mask |= VIGIL_FILTER_PID_NEW;
  if (!scope.mount_nses.empty())
    mask |= VIGIL_FILTER_MNTNS;
  if (!scope.pid_nses.empty())
    mask |= VIGIL_FILTER_PIDNS;
  if (!scope.exes.empty())
    mask |= VIGIL_FILTER_EXE;
  if (scope.containers.active())
    mask |= VIGIL_FILTER_CONTAINER;
  if (scope.follow)
    mask |= VIGIL_FILTER_FOLLOW;
  return mask;
}

std::uint32_t container_mode_of(const ContainerScope &c) {
  return (c.any ? VIGIL_CONTAINER_ANY : 0) |
         (c.fresh ? VIGIL_CONTAINER_NEW : 0) |
         (!c.refs.empty() ? VIGIL_CONTAINER_SELECTED : 0) |
         (c.none ? VIGIL_CONTAINER_NONE : 0);
}

void update_set(bpf_map *map, const void *key, const char *what) {
  std::uint8_t one = 1;
  if (bpf_map__update_elem(map, key, bpf_map__key_size(map), &one, sizeof(one),
                           BPF_ANY) != 0) {
    throw StartupError(std::string("cannot add ") + what +
                       " to the kernel filter: " + errno_text(errno));
  }
}

} // namespace

void route_libbpf_logs() { libbpf_set_print(libbpf_print); }

std::string process_event_list() {
  std::string list;
  for (std::string_view name : kProcessEventNames) {
    list += list.empty() ? "" : ", ";
    list += name;
  }
  return list;
}

EventSelection resolve_events(const std::vector<std::string> &events,
                              bool every_syscall, const EventSchema &schema) {
  EventSelection sel;
  sel.syscall_slots.assign(schema.slot_count(),
                           every_syscall || events.empty());
  if (events.empty() && !every_syscall)
    return sel;

  sel.fork = sel.exec = sel.exit = sel.rename = sel.containers = false;
  sel.signal = false;
  for (const std::string &name : events) {
    if (name == "task_rename") {
      sel.rename = true;
      continue;
    }
    if (name == "container_create" || name == "container_remove") {
      sel.containers = true;
      continue;
    }
    if (name == "signal_deliver") {
      sel.signal = true;
      continue;
    }
    if (name == "sched_process_fork") {
      sel.fork = true;
      continue;
    }
    if (name == "sched_process_exec") {
      sel.exec = true;
      continue;
    }
    if (name == "sched_process_exit") {
      sel.exit = true;
      continue;
    }
    bool found = false;
    for (std::size_t s = 0; s < schema.slot_count(); ++s) {
      if (schema.at_slot(s).name == name) {
        sel.syscall_slots[s] = true;
        found = true;
      }
    }
    if (!found) {
      throw StartupError("unknown event '" + name +
                         "': give a syscall name such as openat, or " +
                         process_event_list());
    }
  }
  return sel;
}

BpfCapture::BpfCapture(const CaptureSettings &settings,
                       const EventSchema &schema) {
  check_privileges();
  skel_ = vigil_bpf__open();
  if (skel_ == nullptr) {
    throw StartupError("cannot open vigil's BPF object: " + errno_text(errno));
  }
  configure(settings, schema);

  int err = vigil_bpf__load(skel_);
  if (err != 0) {
    vigil_bpf__destroy(skel_);
    skel_ = nullptr;
    throw StartupError(load_advice(err));
  }
  fill_filters(settings.scope);
}

BpfCapture::~BpfCapture() {
  if (skel_ != nullptr)
    vigil_bpf__destroy(skel_);
}

void BpfCapture::configure(const CaptureSettings &settings,
                           const EventSchema &schema) {
  auto *ro = skel_->rodata;
  ro->string_max = settings.string_max;
  ro->bytes_max = settings.bytes_max;
  ro->keep_summary = settings.keep_summary;
  ro->summary_only = settings.summary_only;
  ro->failed_only = settings.failed_only;
  ro->identity_wanted = settings.identity;
  // Without times an event is built at the syscall's exit alone, and
  // sys_enter is not loaded: an exec's entry comes from
  // sched_prepare_exec, which older kernels lack.
  ro->syscall_times = settings.syscall_times || settings.keep_summary ||
                      !kernel_at_least(6, 10);
  ro->self_tgid = static_cast<std::uint32_t>(getpid());
  ro->gate_tgid = settings.gate_tgid;
  ro->filter_mask = filter_mask_of(settings.scope);
  ro->container_mode = container_mode_of(settings.scope.containers);
  size_filters();
  // A summary alone loads the small counting hooks instead of the event
  // hooks: less to verify at start-up, less to run per syscall.
  bool counting = settings.summary_only;
  bool alone = !counting && !ro->syscall_times;
  bpf_program__set_autoload(skel_->progs.vigil_sys_enter,
                            !counting && ro->syscall_times);
  bpf_program__set_autoload(skel_->progs.vigil_sched_prepare_exec, alone);
  bpf_program__set_autoload(skel_->progs.vigil_sys_exit, !counting);
  bpf_program__set_autoload(skel_->progs.vigil_sys_enter_count, counting);
  bpf_program__set_autoload(skel_->progs.vigil_sys_exit_count, counting);
  if (!counting && ro->syscall_times)
    bpf_map__set_max_entries(skel_->maps.task_slots, 1);
  // Wake the reader early only when a quarter of the ring is waiting.
  ro->wakeup_bytes = settings.ring_bytes / 4;
  if (bpf_map__set_max_entries(skel_->maps.events, settings.ring_bytes)) {
    throw StartupError("invalid ring buffer size " +
                       std::to_string(settings.ring_bytes) +
                       ": it must be a power of two and a multiple of the "
                       "page size");
  }

  EventSelection sel = resolve_events(settings.scope.events,
                                      settings.scope.every_syscall, schema);
  for (std::size_t s = 0; s < schema.slot_count(); ++s) {
    skel_->bss->syscall_wanted[s] = sel.syscall_slots[s];
    skel_->bss->capture_plan[s] = schema.at_slot(s).plan;
  }
  // A summary alone has no lines to show, process events included.
  bool lines = !settings.summary_only;
  auto wanted = [&](bool selected) -> std::uint8_t {
    return (lines && selected ? VIGIL_WANT_SHOWN : 0) |
           (settings.context_events ? VIGIL_WANT_CONTEXT : 0);
  };
  auto *want = ro->process_wanted;
  want[VIGIL_EV_PROCESS_FORK] = wanted(sel.fork);
  want[VIGIL_EV_PROCESS_EXEC] = wanted(sel.exec);
  want[VIGIL_EV_PROCESS_EXIT] = wanted(sel.exit);
  want[VIGIL_EV_PROCESS_RENAME] = wanted(sel.rename);
  // A signal tells the context nothing.
  want[VIGIL_EV_SIGNAL] = lines && sel.signal ? VIGIL_WANT_SHOWN : 0;
  // Container events come from cgroup events, which only the context
  // turns into lines: without it there are none.
  std::uint8_t cgroups = settings.context_events ? wanted(sel.containers) : 0;
  want[VIGIL_EV_CGROUP_MKDIR] = want[VIGIL_EV_CGROUP_RMDIR] = cgroups;
  // Hooks whose events nothing wants are not loaded: less to verify.
  bool context = settings.context_events;
  bool exes = !settings.scope.exes.empty(); // kept at exec
  bpf_program__set_autoload(skel_->progs.vigil_sched_process_exec,
                            !counting && (context || sel.exec || exes));
  bpf_program__set_autoload(skel_->progs.vigil_task_rename,
                            context || sel.rename);
  bpf_program__set_autoload(skel_->progs.vigil_signal_deliver,
                            alone || want[VIGIL_EV_SIGNAL]);
  bpf_program__set_autoload(skel_->progs.vigil_cgroup_mkdir, context);
  bpf_program__set_autoload(skel_->progs.vigil_cgroup_rmdir, context);
}

// size_filters - a filter map that filter_mask leaves unused gets one entry, so
// that start-up does not allocate what nothing will use.
void BpfCapture::size_filters() {
  std::uint32_t mask = skel_->rodata->filter_mask;
  std::pair<bpf_map *, std::uint32_t> unused[] = {
      {skel_->maps.comm_filter, VIGIL_FILTER_COMM},
      {skel_->maps.pid_filter, VIGIL_FILTER_PID},
      {skel_->maps.uid_filter, VIGIL_FILTER_UID},
      {skel_->maps.followed, VIGIL_FILTER_FOLLOW},
      {skel_->maps.mntns_filter, VIGIL_FILTER_MNTNS},
      {skel_->maps.pidns_filter, VIGIL_FILTER_PIDNS},
      {skel_->maps.exe_filter, VIGIL_FILTER_EXE},
      {skel_->maps.exe_match, VIGIL_FILTER_EXE},
      {skel_->maps.container_cgroups, VIGIL_FILTER_CONTAINER},
  };
  for (auto [map, bit] : unused) {
    if (!(mask & bit))
      bpf_map__set_max_entries(map, 1);
  }
}

void BpfCapture::fill_filters(const Scope &scope) {
  if (scope.comms.size() <= VIGIL_COMM_FAST) {
    for (const std::string &comm : scope.comms) {
      // The kernel keeps 15 characters and pads with NULs.
      std::uint32_t i = skel_->bss->comm_fast_count++;
      std::memcpy(skel_->bss->comm_fast[i], comm.data(),
                  std::min(comm.size(), sizeof(skel_->bss->comm_fast[i]) - 1));
    }
  } else {
    for (const std::string &comm : scope.comms) {
      char key[VIGIL_COMM_LEN] = {};
      std::memcpy(key, comm.data(), std::min(comm.size(), sizeof(key) - 1));
      update_set(skel_->maps.comm_filter, key, "a command name");
    }
  }
  for (std::uint32_t pid : scope.pids)
    update_set(skel_->maps.pid_filter, &pid, "a pid");
  for (std::uint32_t uid : scope.uids)
    update_set(skel_->maps.uid_filter, &uid, "a uid");
  if (scope.new_pids)
    skel_->bss->start_ns = monotonic_ns();
  for (std::uint32_t ns : scope.mount_nses)
    update_set(skel_->maps.mntns_filter, &ns, "a mount namespace");
  for (std::uint32_t ns : scope.pid_nses)
    update_set(skel_->maps.pidns_filter, &ns, "a pid namespace");
  if (!scope.exes.empty()) {
    for (const std::string &exe : scope.exes) {
      char key[VIGIL_EXE_KEY_LEN] = {};
      std::memcpy(key, exe.data(), std::min(exe.size(), sizeof(key) - 1));
      update_set(skel_->maps.exe_filter, key, "an executable path");
    }
    seed_exe_matches(scope.exes);
  }
}

void BpfCapture::seed_exe_matches(const std::vector<std::string> &exes) {
  // Processes already running one of the paths; later ones are matched
  // at their exec, and their children at fork.
  DIR *proc = opendir("/proc");
  if (proc == nullptr)
    throw StartupError("cannot read /proc: " + errno_text(errno));
  while (dirent *d = readdir(proc)) {
    char *end = nullptr;
    unsigned long pid = std::strtoul(d->d_name, &end, 10);
    if (end == d->d_name || *end != '\0')
      continue;
    char link[64], target[PATH_MAX];
    std::snprintf(link, sizeof(link), "/proc/%lu/exe", pid);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0)
      continue; // a kernel thread, or gone
    std::string_view exe(target, static_cast<std::size_t>(n));
    if (std::find(exes.begin(), exes.end(), exe) == exes.end())
      continue;
    auto tgid = static_cast<std::uint32_t>(pid);
    update_set(skel_->maps.exe_match, &tgid, "a process running --exe");
  }
  closedir(proc);
}

void BpfCapture::set_cgroup_state(std::uint64_t cgroup_id, std::uint8_t state) {
  int fd = bpf_map__fd(skel_->maps.container_cgroups);
  if (state == 0) {
    bpf_map_delete_elem(fd, &cgroup_id); // ENOENT: nothing to drop
    return;
  }
  if (bpf_map_update_elem(fd, &cgroup_id, &state, BPF_ANY) != 0) {
    spdlog::warn("cannot mark cgroup {} for --container: {}", cgroup_id,
                 errno_text(errno));
  }
}

void BpfCapture::attach() {
  int err = vigil_bpf__attach(skel_);
  if (err != 0) {
    throw StartupError("cannot attach to the syscall and scheduler "
                       "tracepoints: " +
                       errno_text(err));
  }
  spdlog::debug("attached the syscall, scheduler, task_rename and cgroup "
                "tracepoints vigil needs");
}

void BpfCapture::detach() {
  if (skel_ != nullptr)
    vigil_bpf__detach(skel_);
}

std::size_t BpfCapture::followed_count() const {
  int fd = bpf_map__fd(skel_->maps.followed);
  std::uint32_t key = 0, next = 0;
  std::size_t n = 0;
  const void *prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    ++n;
    key = next;
    prev = &key;
  }
  return n;
}

std::vector<SyscallTotals> BpfCapture::summary() const {
  int fd = bpf_map__fd(skel_->maps.summary);
  int cpus = libbpf_num_possible_cpus();
  std::vector<vigil_summary> rows(cpus > 0 ? cpus : 1);
  std::vector<SyscallTotals> totals;
  for (std::uint32_t slot = 0; slot < VIGIL_NR_SLOTS; ++slot) {
    if (bpf_map_lookup_elem(fd, &slot, rows.data()) != 0)
      continue;
    SyscallTotals t;
    t.slot = slot;
    for (const vigil_summary &r : rows) {
      t.calls += r.calls;
      t.errors += r.errors;
      t.ns += r.ns;
    }
    if (t.calls > 0)
      totals.push_back(t);
  }
  return totals;
}

int BpfCapture::ring_fd() const { return bpf_map__fd(skel_->maps.events); }

KernelStats BpfCapture::stats() const {
  KernelStats total;
  const volatile __u64 *rows = skel_->bss->stats;
  for (int cpu = 0; cpu < VIGIL_MAX_CPUS; ++cpu) {
    const volatile __u64 *row = rows + cpu * VIGIL_STAT_STRIDE;
    total.submitted += row[VIGIL_STAT_SUBMITTED];
    total.ringbuf_full += row[VIGIL_STAT_RINGBUF_FULL];
    total.storage_fail += row[VIGIL_STAT_STORAGE_FAIL];
    total.read_fault += row[VIGIL_STAT_READ_FAULT];
    total.follow_full += row[VIGIL_STAT_FOLLOW_FULL];
  }
  return total;
}

} // namespace vigil
