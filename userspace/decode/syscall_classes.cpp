#include "decode/syscall_classes.h"

#include <algorithm>

namespace vigil {

namespace {

// Classes strace defines by a list rather than by argument types.
constexpr std::string_view kProcess[] = {"fork",
                                         "vfork",
                                         "clone",
                                         "clone3",
                                         "execve",
                                         "execveat",
                                         "exit",
                                         "exit_group",
                                         "wait4",
                                         "waitid",
                                         "waitpid",
                                         "kill",
                                         "tkill",
                                         "tgkill",
                                         "rt_sigqueueinfo",
                                         "rt_tgsigqueueinfo",
                                         "pidfd_open",
                                         "pidfd_send_signal",
                                         "unshare"};
constexpr std::string_view kNetwork[] = {
    "socket",   "socketpair", "bind",        "listen",      "connect",
    "accept",   "accept4",    "getsockname", "getpeername", "sendto",
    "recvfrom", "sendmsg",    "recvmsg",     "sendmmsg",    "recvmmsg",
    "shutdown", "setsockopt", "getsockopt",  "socketcall"};
constexpr std::string_view kSignal[] = {"rt_sigaction",    "rt_sigprocmask",
                                        "rt_sigreturn",    "rt_sigpending",
                                        "rt_sigtimedwait", "rt_sigqueueinfo",
                                        "rt_sigsuspend",   "rt_tgsigqueueinfo",
                                        "sigaltstack",     "kill",
                                        "tkill",           "tgkill",
                                        "pause",           "signalfd",
                                        "signalfd4",       "sigaction",
                                        "sigprocmask",     "sigreturn",
                                        "sigsuspend",      "sigpending",
                                        "signal",          "pidfd_send_signal"};
constexpr std::string_view kIpc[] = {
    "shmget", "shmat",  "shmdt",  "shmctl", "semget", "semop", "semtimedop",
    "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "ipc"};
constexpr std::string_view kMemory[] = {"brk",
                                        "mmap",
                                        "mmap2",
                                        "munmap",
                                        "mprotect",
                                        "mremap",
                                        "madvise",
                                        "mlock",
                                        "mlock2",
                                        "munlock",
                                        "mlockall",
                                        "munlockall",
                                        "mincore",
                                        "msync",
                                        "mbind",
                                        "get_mempolicy",
                                        "set_mempolicy",
                                        "pkey_mprotect",
                                        "remap_file_pages",
                                        "process_madvise",
                                        "mseal",
                                        "map_shadow_stack"};

template <std::size_t N>
bool listed(std::string_view name, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), name) != std::end(set);
}

bool any_arg(const SyscallSchema &sc, auto pred) {
  for (int i = 0; i < sc.nargs; ++i) {
    if (pred(sc.args[i].spec.sem))
      return true;
  }
  return false;
}

} // namespace

std::optional<bool> in_class(std::string_view cls, const SyscallSchema &sc) {
  if (cls == "file") {
    return any_arg(sc, [](Sem s) { return s == Sem::kPath; });
  }
  if (cls == "desc") {
    return sc.ret == RetKind::kFd ||
           any_arg(sc, [](Sem s) { return s == Sem::kFd || s == Sem::kDirFd; });
  }
  if (cls == "process")
    return listed(sc.name, kProcess);
  if (cls == "network" || cls == "net")
    return listed(sc.name, kNetwork);
  if (cls == "signal")
    return listed(sc.name, kSignal);
  if (cls == "ipc")
    return listed(sc.name, kIpc);
  if (cls == "memory")
    return listed(sc.name, kMemory);
  return std::nullopt;
}

} // namespace vigil
