// workload.h - the processes a runtime test traces, and the facts about
// this test process (namespaces, cgroup) that their events must carry.
#ifndef VIGIL_TESTS_RUNTIME_WORKLOAD_H
#define VIGIL_TESTS_RUNTIME_WORKLOAD_H

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::test {

// SpawnOptions - how a child is set up between fork and exec.
struct SpawnOptions {
  // The child waits for release() before exec, so a test can learn its
  // pid and hand it to vigil --pid first.
  bool gated = false;
  // Pins the child to this CPU so the event's cpu field has one true
  // value; -1 leaves the affinity alone.
  int cpu = -1;
  // Switches to this uid and gid before exec (root only); -1 keeps them.
  int uid = -1;
  int gid = -1;
  // Moves the child into the cgroup v2 directory with this cgroup.procs.
  std::string cgroup_procs{};
  // Sends the child's standard output here (e.g. /dev/null); empty
  // keeps the test's.
  std::string stdout_path{};
};

// Child - a forked test program. The destructor kills and reaps a child
// that is still running.
class Child {
public:
  Child(std::vector<std::string> argv, SpawnOptions opts = {});
  ~Child();
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;

  pid_t pid() const { return pid_; }
  void release();

  // wait - the raw wait status, or nothing when the child hung (it is
  // then killed).
  std::optional<int>
  wait(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  // wait_exit_code - its exit status, or -1 if it hung or was signalled.
  int wait_exit_code();
  void terminate();

private:
  pid_t pid_ = -1;
  int gate_fd_ = -1;
  bool reaped_ = false;
};

// HostFacts - identity fields every event of a child of this test has.
struct HostFacts {
  std::uint64_t pidns = 0;
  std::uint64_t mntns = 0;
  std::uint64_t cgroup_id = 0;
  std::string cgroup_dir; // the cgroup v2 directory of this process
};
HostFacts host_facts();

// inode_of - st_ino of path (following links), 0 when it cannot be stat'd.
std::uint64_t inode_of(const std::string &path);

// cgroup2_mount - where the cgroup v2 hierarchy is mounted, if anywhere.
std::optional<std::string> cgroup2_mount();

// last_allowed_cpu - the highest CPU this process may run on.
int last_allowed_cpu();

// runtime_skip_reason - why the runtime tests cannot run here, if they
// cannot: they need root (CAP_BPF, CAP_PERFMON) and kernel BTF.
std::optional<std::string> runtime_skip_reason();

} // namespace vigil::test

#endif
