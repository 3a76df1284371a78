// bpf_capture.h - vigil's kernel side as seen from userspace: opens the
// embedded BPF object, writes the scope into its maps, loads, attaches,
// and reads the kernel's counters.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "decode/event_schema.h"

struct vigil_bpf;

namespace vigil {

// ContainerScope - --container's values (alternatives) or --no-container.
struct ContainerScope {
  bool any = false;              // --container
  bool fresh = false;            // --container new
  std::vector<std::string> refs; // --container ID|NAME: id prefixes, names
  bool none = false;             // --no-container: the host only

  bool active() const { return any || fresh || !refs.empty() || none; }
};

// Scope - what to trace. Values of one field are alternatives; fields
// that are set must all hold.
struct Scope {
  std::vector<std::string> comms;
  std::vector<std::uint32_t> pids;
  bool new_pids = false; // --pid new: processes started after vigil
  std::vector<std::uint32_t> uids;
  std::vector<std::string> exes;         // executable paths, as resolved
  std::vector<std::uint32_t> mount_nses; // namespace inode numbers
  std::vector<std::uint32_t> pid_nses;
  ContainerScope containers;
  bool follow = false;
  // Event names (syscalls and sched_process_*); empty means all.
  std::vector<std::string> events;
  // Every syscall, and of the process events only those in events.
  bool every_syscall = false;
};

struct CaptureSettings {
  Scope scope;
  std::uint32_t ring_bytes = 16u << 20;
  std::uint32_t string_max = 4096; // bytes kept of each string
  std::uint32_t bytes_max = 4096;  // bytes kept of each buffer
  bool keep_summary = false;       // per-syscall totals in the kernel
  bool summary_only = false;       // ... and no events
  bool failed_only = false;        // only syscalls that failed
  // Syscall events carry entry and exit times; off when nothing shows
  // them (strace's lines without -t, -T or -C).
  bool syscall_times = true;
  // A process held before its exec (vigil trace's command): its own
  // syscalls before the exec, the wait for the go-ahead, are not traced.
  std::uint32_t gate_tgid = 0;
  // Every process and cgroup event, also out of scope, for the process
  // table and the container cache (flagged VIGIL_EVF_CONTEXT_ONLY).
  bool context_events = false;
  // Events carry the task's parent, ids, namespaces and cgroup, beyond
  // its pid, tid and name.
  bool identity = true;
};

// SyscallTotals - one syscall's totals over all CPUs.
struct SyscallTotals {
  std::uint32_t slot = 0;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  std::uint64_t ns = 0;
};

// KernelStats - totals over all CPUs of the BPF programs' counters.
struct KernelStats {
  std::uint64_t submitted = 0;
  std::uint64_t ringbuf_full = 0;
  std::uint64_t storage_fail = 0;
  std::uint64_t read_fault = 0;
  std::uint64_t follow_full = 0;
};

// StartupError - a failed start-up step, with a message fit for the user.
class StartupError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The events that are not syscalls, as --events and -e trace= name them.
inline constexpr std::string_view kProcessEventNames[] = {
    "sched_process_fork", "sched_process_exec", "sched_process_exit",
    "task_rename",        "container_create",   "container_remove",
    "signal_deliver"};
// process_event_list - those names, comma separated, for messages.
std::string process_event_list();

// resolve_events - the syscall slots and process event kinds named in
// events, with every syscall slot when every_syscall is set; throws
// StartupError naming the first unknown name.
struct EventSelection {
  std::vector<bool> syscall_slots; // indexed like EventSchema slots
  bool fork = true, exec = true, exit = true, rename = true;
  bool containers = true; // container_create and container_remove
  bool signal = true;     // signal_deliver
};
EventSelection resolve_events(const std::vector<std::string> &events,
                              bool every_syscall, const EventSchema &schema);

class BpfCapture {
public:
  BpfCapture(const CaptureSettings &settings, const EventSchema &schema);
  ~BpfCapture();
  BpfCapture(const BpfCapture &) = delete;
  BpfCapture &operator=(const BpfCapture &) = delete;

  void attach();
  void detach();
  int ring_fd() const;
  KernelStats stats() const;
  // How many descendants --follow is tracing now.
  std::size_t followed_count() const;
  // The kernel's per-syscall totals, for the slots that were called.
  std::vector<SyscallTotals> summary() const;
  // Tells --container what a cgroup v2 id is: vigil_cgroup_state bits,
  // 0 to forget it.
  void set_cgroup_state(std::uint64_t cgroup_id, std::uint8_t state);

private:
  void configure(const CaptureSettings &settings, const EventSchema &schema);
  void size_filters(); // after filter_mask is set
  void fill_filters(const Scope &scope);
  void seed_exe_matches(const std::vector<std::string> &exes);

  vigil_bpf *skel_ = nullptr;
};

// route_libbpf_logs - libbpf's own messages go through vigil's logger.
void route_libbpf_logs();

} // namespace vigil
