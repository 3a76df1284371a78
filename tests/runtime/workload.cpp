#include "workload.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "vigil_process.h"

namespace vigil::test {

namespace {

[[noreturn]] void fail_errno(const std::string &what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// prepare_child - runs in the forked child, so only async-signal-safe
// calls; any failure ends the child with 127 before exec.
void prepare_child(const SpawnOptions &opts, int gate_fd,
                   const char *cgroup_procs) {
  if (opts.gated) {
    char byte;
    while (read(gate_fd, &byte, 1) < 0 && errno == EINTR) {
    }
  }
  if (cgroup_procs != nullptr) {
    int fd = open(cgroup_procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "0", 1) != 1)
      _exit(127);
    close(fd);
  }
  if (opts.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(opts.cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) < 0)
      _exit(127);
  }
  if (!opts.stdout_path.empty()) {
    int fd = open(opts.stdout_path.c_str(), O_WRONLY);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
      _exit(127);
    close(fd);
  }
  if (opts.gid >= 0 && setresgid(opts.gid, opts.gid, opts.gid) < 0) {
    _exit(127);
  }
  if (opts.uid >= 0 && setresuid(opts.uid, opts.uid, opts.uid) < 0) {
    _exit(127);
  }
}

} // namespace

Child::Child(std::vector<std::string> argv, SpawnOptions opts) {
  std::vector<char *> c_argv;
  for (std::string &a : argv)
    c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  const char *cgroup_procs =
      opts.cgroup_procs.empty() ? nullptr : opts.cgroup_procs.c_str();

  int gate[2] = {-1, -1};
  if (opts.gated && pipe2(gate, O_CLOEXEC) < 0)
    fail_errno("pipe2");
  pid_ = fork();
  if (pid_ < 0)
    fail_errno("fork");
  if (pid_ == 0) {
    if (opts.gated)
      close(gate[1]);
    prepare_child(opts, gate[0], cgroup_procs);
    execv(c_argv[0], c_argv.data());
    _exit(127);
  }
  if (opts.gated) {
    close(gate[0]);
    gate_fd_ = gate[1];
  }
}

Child::~Child() {
  if (gate_fd_ >= 0)
    close(gate_fd_);
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Child::release() {
  if (gate_fd_ < 0)
    return;
  close(gate_fd_);
  gate_fd_ = -1;
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
  release();
  reaped_ = true;
  return wait_for_status(pid_, timeout);
}

int Child::wait_exit_code() {
  std::optional<int> status = wait();
  if (!status || !WIFEXITED(*status))
    return -1;
  return WEXITSTATUS(*status);
}

void Child::terminate() {
  if (reaped_)
    return;
  kill(pid_, SIGTERM);
  wait();
}

std::uint64_t inode_of(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) < 0)
    return 0;
  return st.st_ino;
}

std::optional<std::string> cgroup2_mount() {
  // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS] - FSTYPE ...
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::size_t sep = line.find(" - ");
    if (sep == std::string::npos)
      continue;
    std::istringstream tail(line.substr(sep + 3));
    std::string fstype;
    tail >> fstype;
    if (fstype != "cgroup2")
      continue;
    std::istringstream head(line.substr(0, sep));
    std::string id, parent, dev, root, mountpoint;
    head >> id >> parent >> dev >> root >> mountpoint;
    return mountpoint;
  }
  return std::nullopt;
}

HostFacts host_facts() {
  HostFacts facts;
  facts.pidns = inode_of("/proc/self/ns/pid");
  facts.mntns = inode_of("/proc/self/ns/mnt");

  std::optional<std::string> mount = cgroup2_mount();
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (mount && std::getline(in, line)) {
    if (line.rfind("0::", 0) != 0)
      continue;
    std::string path = line.substr(3);
    facts.cgroup_dir = *mount + (path == "/" ? "" : path);
    facts.cgroup_id = inode_of(facts.cgroup_dir);
  }
  return facts;
}

int last_allowed_cpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) < 0)
    return 0;
  for (int cpu = CPU_SETSIZE - 1; cpu >= 0; --cpu) {
    if (CPU_ISSET(cpu, &set))
      return cpu;
  }
  return 0;
}

std::optional<std::string> runtime_skip_reason() {
  if (geteuid() != 0) {
    return "runtime tests load BPF programs and need root; run them as "
           "root (sudo ctest -L runtime)";
  }
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    return "this kernel has no BTF at /sys/kernel/btf/vmlinux, which "
           "vigil's CO-RE programs need";
  }
  return std::nullopt;
}

} // namespace vigil::test
