#include "decode/syscall_semantics.h"

#include <algorithm>
#include <vector>

#include "decode/flags.h"
#include "decode/structs.h"

namespace vigil {

namespace {

// Short constructors keep each row of the table on one line.
constexpr ArgSpec kD{};
constexpr ArgSpec kI{Sem::kInt};
constexpr ArgSpec kU{Sem::kUint};
constexpr ArgSpec kX{Sem::kHex};
constexpr ArgSpec kP{Sem::kPtr};
constexpr ArgSpec kFD{Sem::kFd};
constexpr ArgSpec kDFD{Sem::kDirFd};
constexpr ArgSpec kPATH{Sem::kPath};
constexpr ArgSpec kSTR{Sem::kString};
constexpr ArgSpec kARGV{Sem::kArgv};
constexpr ArgSpec kENVP{Sem::kEnvp};
constexpr ArgSpec kBO{Sem::kBufOut};
constexpr ArgSpec kBOHEX{Sem::kBufOut,
                         static_cast<std::uint8_t>(BufStyle::kHex)};
constexpr ArgSpec kSO{Sem::kStrOut};
constexpr ArgSpec kMODE{Sem::kMode};
constexpr ArgSpec kSIG{Sem::kSignal};

constexpr ArgSpec bi(std::uint8_t len_arg) { return {Sem::kBufIn, 0, len_arg}; }
constexpr ArgSpec fl(FlagFamily f) {
  return {Sem::kFlags, static_cast<std::uint8_t>(f)};
}
constexpr ArgSpec en(EnumFamily f) {
  return {Sem::kEnum, static_cast<std::uint8_t>(f)};
}
constexpr ArgSpec si(StructKind k) {
  return {Sem::kStructIn, static_cast<std::uint8_t>(k)};
}
constexpr ArgSpec so(StructKind k) {
  return {Sem::kStructOut, static_cast<std::uint8_t>(k)};
}
constexpr ArgSpec so(StructKind k, std::uint8_t len_arg) {
  return {Sem::kStructOut, static_cast<std::uint8_t>(k), len_arg};
}
constexpr ArgSpec sai(std::uint8_t len_arg) {
  return {Sem::kSockaddrIn, 0, len_arg};
}
constexpr ArgSpec sao(std::uint8_t len_ptr_arg) {
  return {Sem::kSockaddrOut, 0, len_ptr_arg};
}
constexpr ArgSpec ssi(std::uint8_t len_arg) {
  return {Sem::kSigsetIn, 0, len_arg};
}
constexpr ArgSpec sso(std::uint8_t len_arg) {
  return {Sem::kSigsetOut, 0, len_arg};
}

using F = FlagFamily;
using E = EnumFamily;
using S = StructKind;
using R = RetKind;

// The table, by name. Arguments not listed keep their C types' default.
const CallSpec kCalls[] = {
    {"read", R::kInt, {kFD, kBO, kU}},
    {"write", R::kInt, {kFD, bi(2), kU}},
    {"open", R::kFd, {kPATH, fl(F::kOpen), kMODE}, CallShape::kOpen},
    {"close", R::kInt, {kFD}},
    {"stat", R::kInt, {kPATH, so(S::kStat)}},
    {"fstat", R::kInt, {kFD, so(S::kStat)}},
    {"lstat", R::kInt, {kPATH, so(S::kStat)}},
    {"poll", R::kInt, {kP, kU, kI}},
    {"lseek", R::kInt, {kFD, kI, en(E::kWhence)}},
    {"mmap", R::kHex, {kP, kU, fl(F::kProt), fl(F::kMap), kFD, kX}},
    {"mprotect", R::kInt, {kP, kU, fl(F::kProt)}},
    {"munmap", R::kInt, {kP, kU}},
    {"brk", R::kHex, {kP}},
    {"rt_sigaction", R::kInt, {kSIG, si(S::kSigaction), so(S::kSigaction), kU}},
    {"rt_sigprocmask", R::kInt, {en(E::kSigprocmaskHow), ssi(3), sso(3), kU}},
    {"rt_sigreturn", R::kInt, {}},
    {"sigreturn", R::kInt, {}},
    {"ioctl", R::kInt, {kFD, en(E::kIoctlCmd), kP}, CallShape::kIoctl},
    {"pread64", R::kInt, {kFD, kBO, kU, kI}},
    {"pwrite64", R::kInt, {kFD, bi(2), kU, kI}},
    {"access", R::kInt, {kPATH, fl(F::kAccessMode)}},
    {"pipe", R::kInt, {so(S::kIntPair)}},
    {"sched_yield", R::kInt, {}},
    {"mremap", R::kHex, {kP, kU, kU, fl(F::kMremap), kP}},
    {"msync", R::kInt, {kP, kU, fl(F::kMsync)}},
    {"madvise", R::kInt, {kP, kU, en(E::kMadviseAdvice)}},
    {"dup", R::kFd, {kFD}},
    {"dup2", R::kFd, {kFD, kFD}},
    {"pause", R::kInt, {}},
    // The remaining time is written only when a signal cuts the sleep,
    // and vigil reads what calls wrote only after a success: strace
    // shows its address then, as here.
    {"nanosleep", R::kInt, {si(S::kTimespec), kP}},
    {"alarm", R::kInt, {kU}},
    {"getpid", R::kInt, {}},
    {"sendfile", R::kInt, {kFD, kFD, kP, kU}},
    {"socket",
     R::kFd,
     {en(E::kAddressFamily), fl(F::kSockType), kI},
     CallShape::kSocket},
    {"connect", R::kInt, {kFD, sai(2), kU}},
    {"accept", R::kFd, {kFD, sao(2), kP}},
    {"sendto", R::kInt, {kFD, bi(2), kU, fl(F::kMsg), sai(5), kU}},
    {"recvfrom", R::kInt, {kFD, kBO, kU, fl(F::kMsg), sao(5), kP}},
    {"shutdown", R::kInt, {kFD, en(E::kShutdownHow)}},
    {"bind", R::kInt, {kFD, sai(2), kU}},
    {"listen", R::kInt, {kFD, kI}},
    {"getsockname", R::kInt, {kFD, sao(2), kP}},
    {"getpeername", R::kInt, {kFD, sao(2), kP}},
    // accept4 takes only SOCK_CLOEXEC and SOCK_NONBLOCK, which the socket
    // type family names when no type bits are set.
    {"accept4", R::kFd, {kFD, sao(2), kP, fl(F::kSockType)}},
    // Not yet decoded: the option name and value, whose meaning depends on
    // the level, so they print as a number and a pointer.
    {"setsockopt", R::kInt, {kFD, en(E::kSockoptLevel), kI, kP, kU}},
    {"getsockopt", R::kInt, {kFD, en(E::kSockoptLevel), kI, kP, kP}},
    {"socketpair",
     R::kInt,
     {en(E::kAddressFamily), fl(F::kSockType), kI, so(S::kIntPair)}},
    {"clone", R::kInt, {fl(F::kClone), kP, kP, kP, kP}, CallShape::kClone},
    {"clone3", R::kInt, {si(S::kCloneArgs), kU}},
    {"fork", R::kInt, {}},
    {"vfork", R::kInt, {}},
    {"execve", R::kInt, {kPATH, kARGV, kENVP}},
    {"execveat", R::kInt, {kDFD, kPATH, kARGV, kENVP, fl(F::kAt)}},
    {"exit", R::kNone, {kI}},
    {"exit_group", R::kNone, {kI}},
    {"wait4", R::kInt, {kI, so(S::kWaitStatus), fl(F::kWait), kP}},
    {"kill", R::kInt, {kI, kSIG}},
    {"tkill", R::kInt, {kI, kSIG}},
    {"tgkill", R::kInt, {kI, kI, kSIG}},
    {"uname", R::kInt, {so(S::kUtsname)}},
    {"fcntl", R::kInt, {kFD, en(E::kFcntlCmd), kD}, CallShape::kFcntl},
    {"flock", R::kInt, {kFD, fl(F::kFlock)}},
    {"fsync", R::kInt, {kFD}},
    {"fdatasync", R::kInt, {kFD}},
    {"truncate", R::kInt, {kPATH, kI}},
    {"ftruncate", R::kInt, {kFD, kI}},
    {"getcwd", R::kInt, {kSO, kU}},
    {"chdir", R::kInt, {kPATH}},
    {"fchdir", R::kInt, {kFD}},
    {"rename", R::kInt, {kPATH, kPATH}},
    {"mkdir", R::kInt, {kPATH, kMODE}},
    {"rmdir", R::kInt, {kPATH}},
    {"creat", R::kFd, {kPATH, kMODE}},
    {"link", R::kInt, {kPATH, kPATH}},
    {"unlink", R::kInt, {kPATH}},
    {"symlink", R::kInt, {kPATH, kPATH}},
    {"readlink", R::kInt, {kPATH, kBO, kU}},
    {"chmod", R::kInt, {kPATH, kMODE}},
    {"fchmod", R::kInt, {kFD, kMODE}},
    {"chown", R::kInt, {kPATH, kI, kI}},
    {"fchown", R::kInt, {kFD, kI, kI}},
    {"lchown", R::kInt, {kPATH, kI, kI}},
    {"umask", R::kOctal, {kMODE}},
    {"gettimeofday", R::kInt, {so(S::kTimeval), kP}},
    {"getrlimit", R::kInt, {en(E::kRlimitResource), so(S::kRlimit)}},
    // i386's getrlimit; its 32-bit struct prints as a pointer for now.
    {"ugetrlimit", R::kInt, {en(E::kRlimitResource), so(S::kRlimit)}},
    {"setrlimit", R::kInt, {en(E::kRlimitResource), si(S::kRlimit)}},
    {"getrusage", R::kInt, {en(E::kRusageWho), so(S::kRusage)}},
    {"sysinfo", R::kInt, {so(S::kSysinfo)}},
    {"getuid", R::kInt, {}},
    {"getgid", R::kInt, {}},
    {"geteuid", R::kInt, {}},
    {"getegid", R::kInt, {}},
    {"getppid", R::kInt, {}},
    {"getpgrp", R::kInt, {}},
    {"setsid", R::kInt, {}},
    {"setuid", R::kInt, {kI}},
    {"setgid", R::kInt, {kI}},
    {"setpgid", R::kInt, {kI, kI}},
    {"statfs", R::kInt, {kPATH, so(S::kStatfs)}},
    {"fstatfs", R::kInt, {kFD, so(S::kStatfs)}},
    // i386's own calls, as their x86_64 counterparts (kI386Prototypes in
    // syscall_table.cpp names their arguments). Their structs differ in
    // layout and print as addresses.
    {"mmap2",
     R::kHex,
     {kP, kU, fl(F::kProt), fl(F::kMap), kFD, {Sem::kPageOffset}}},
    {"fcntl64", R::kInt, {kFD, en(E::kFcntlCmd), kD}, CallShape::kFcntl},
    {"_llseek", R::kInt, {kFD, kU, kU, kP, en(E::kWhence)}},
    {"stat64", R::kInt, {kPATH, so(S::kStat)}},
    {"lstat64", R::kInt, {kPATH, so(S::kStat)}},
    {"fstat64", R::kInt, {kFD, so(S::kStat)}},
    {"fstatat64", R::kInt, {kDFD, kPATH, so(S::kStat), fl(F::kAt)}},
    {"statfs64", R::kInt, {kPATH, kU, so(S::kStatfs)}},
    {"fstatfs64", R::kInt, {kFD, kU, so(S::kStatfs)}},
    {"waitpid", R::kInt, {kI, so(S::kWaitStatus), fl(F::kWait)}},
    {"set_thread_area", R::kInt, {kP}},
    {"get_thread_area", R::kInt, {kP}},
    {"prctl", R::kInt, {en(E::kPrctlOption), kX, kX, kX, kX}},
    {"arch_prctl", R::kInt, {en(E::kArchPrctlCode), kX}},
    {"gettid", R::kInt, {}},
    {"futex",
     R::kInt,
     {kP, en(E::kFutexOp), kI, kP, kP, kI},
     CallShape::kFutex},
    {"set_tid_address", R::kInt, {kP}},
    {"fadvise64", R::kInt, {kFD, kI, kI, en(E::kFadviseAdvice)}},
    {"clock_gettime", R::kInt, {en(E::kClockId), so(S::kTimespec)}},
    {"clock_getres", R::kInt, {en(E::kClockId), so(S::kTimespec)}},
    {"clock_nanosleep",
     R::kInt,
     {en(E::kClockId), fl(F::kTimer), si(S::kTimespec), kP}},
    {"epoll_ctl", R::kInt, {kFD, en(E::kEpollCtlOp), kFD, si(S::kEpollEvent)}},
    {"openat", R::kFd, {kDFD, kPATH, fl(F::kOpen), kMODE}, CallShape::kOpen},
    {"mkdirat", R::kInt, {kDFD, kPATH, kMODE}},
    {"fchownat", R::kInt, {kDFD, kPATH, kI, kI, fl(F::kAt)}},
    {"newfstatat", R::kInt, {kDFD, kPATH, so(S::kStat), fl(F::kAt)}},
    {"unlinkat", R::kInt, {kDFD, kPATH, fl(F::kAt)}},
    {"renameat", R::kInt, {kDFD, kPATH, kDFD, kPATH}},
    {"renameat2", R::kInt, {kDFD, kPATH, kDFD, kPATH, fl(F::kRenameat2)}},
    {"linkat", R::kInt, {kDFD, kPATH, kDFD, kPATH, fl(F::kAt)}},
    {"symlinkat", R::kInt, {kPATH, kDFD, kPATH}},
    {"readlinkat", R::kInt, {kDFD, kPATH, kBO, kU}},
    {"fchmodat", R::kInt, {kDFD, kPATH, kMODE}},
    {"faccessat", R::kInt, {kDFD, kPATH, fl(F::kAccessMode)}},
    {"faccessat2", R::kInt, {kDFD, kPATH, fl(F::kAccessMode), fl(F::kAt)}},
    {"set_robust_list", R::kInt, {kP, kU}},
    {"utimensat", R::kInt, {kDFD, kPATH, kP, fl(F::kAt)}},
    {"eventfd2", R::kFd, {kU, fl(F::kEventfd)}},
    {"epoll_create1", R::kFd, {fl(F::kEpollCreate)}},
    {"dup3", R::kFd, {kFD, kFD, fl(F::kOpenFlags)}},
    {"pipe2", R::kInt, {so(S::kIntPair), fl(F::kOpenFlags)}},
    {"prlimit64",
     R::kInt,
     {kI, en(E::kRlimitResource), si(S::kRlimit), so(S::kRlimit)}},
    {"getrandom", R::kInt, {kBOHEX, kU, fl(F::kGetrandom)}},
    {"memfd_create", R::kFd, {kSTR, fl(F::kMemfd)}},
    {"statx",
     R::kInt,
     {kDFD, kPATH, fl(F::kAtStatx), fl(F::kStatxMask), so(S::kStatx)}},
    {"rseq", R::kInt, {kP, kX, kI, kX}},
    {"close_range", R::kInt, {kFD, kFD, fl(F::kCloseRange)}},
    {"getdents64", R::kInt, {kFD, so(S::kLinuxDirent64), kU}},
    {"sched_getaffinity", R::kInt, {kI, kU, kP}},
    {"getpgid", R::kInt, {kI}},
    {"getsid", R::kInt, {kI}},
    {"setresuid", R::kInt, {kI, kI, kI}},
    {"setresgid", R::kInt, {kI, kI, kI}},
    {"getgroups", R::kInt, {kI, kP}},
    {"fchmodat2", R::kInt, {kDFD, kPATH, kMODE, fl(F::kAt)}},
    {"copy_file_range", R::kInt, {kFD, kP, kFD, kP, kU, kU}},
    {"fallocate", R::kInt, {kFD, fl(F::kFallocate), kI, kI}},
    {"inotify_init1", R::kFd, {fl(F::kInotifyInit)}},
    {"timerfd_create", R::kFd, {en(E::kClockId), fl(F::kTimerfdCreate)}},
    {"mlock", R::kInt, {kP, kU}},
    {"munlock", R::kInt, {kP, kU}},
    {"sigaltstack", R::kInt, {kP, kP}},
    {"getxattr", R::kInt, {kPATH, kSTR, kP, kU}},
    {"lgetxattr", R::kInt, {kPATH, kSTR, kP, kU}},
    {"fgetxattr", R::kInt, {kFD, kSTR, kP, kU}},
    {"setxattr", R::kInt, {kPATH, kSTR, kP, kU, fl(F::kXattr)}},
    {"lsetxattr", R::kInt, {kPATH, kSTR, kP, kU, fl(F::kXattr)}},
    {"fsetxattr", R::kInt, {kFD, kSTR, kP, kU, fl(F::kXattr)}},
    {"mount", R::kInt, {kPATH, kPATH, kSTR, fl(F::kMount), kP}},
    {"umount2", R::kInt, {kPATH, fl(F::kUmount)}},
    {"chroot", R::kInt, {kPATH}},
    {"unshare", R::kInt, {fl(F::kClone)}},
    {"setns", R::kInt, {kFD, fl(F::kClone)}},
    {"ptrace", R::kInt, {en(E::kPtraceRequest), kI, kP, kP}},
    {"memfd_secret", R::kFd, {kU}},
    {"init_module", R::kInt, {kP, kU, kSTR}},
    {"finit_module", R::kInt, {kFD, kSTR, kI}},
    {"delete_module", R::kInt, {kSTR, kU}},
    {"bpf", R::kInt, {en(E::kBpfCmd), kP, kU}},
    {"sethostname", R::kInt, {kP, kU}},
    {"syslog", R::kInt, {en(E::kSyslogType), kP, kI}},
    {"sched_setscheduler", R::kInt, {kI, en(E::kSchedPolicy), kP}},
    {"getpriority", R::kInt, {en(E::kPriorityWhich), kI}},
    {"setpriority", R::kInt, {en(E::kPriorityWhich), kI, kI}},
    {"waitid", R::kInt, {en(E::kIdtype), kI, kP, fl(F::kWait), kP}},
    {"getitimer", R::kInt, {en(E::kItimerWhich), kP}},
    {"setitimer", R::kInt, {en(E::kItimerWhich), kP, kP}},
    {"shutdown", R::kInt, {kFD, en(E::kShutdownHow)}},
};

} // namespace

const CallSpec *call_spec(std::string_view name) {
  // Sorted once; looked up by name at start-up, when slots are resolved.
  static const std::vector<const CallSpec *> sorted = [] {
    std::vector<const CallSpec *> v;
    for (const CallSpec &c : kCalls)
      v.push_back(&c);
    std::stable_sort(v.begin(), v.end(),
                     [](auto *a, auto *b) { return a->name < b->name; });
    return v;
  }();
  auto it = std::lower_bound(
      sorted.begin(), sorted.end(), name,
      [](const CallSpec *c, std::string_view n) { return c->name < n; });
  return it != sorted.end() && (*it)->name == name ? *it : nullptr;
}

} // namespace vigil
