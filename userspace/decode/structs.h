// structs.h - decoders for the user-memory structs syscalls take or fill,
// printed as strace 6.1 prints them by default (abbreviated, no -v).
//
// vigil captures the struct's bytes in the kernel; these decoders only
// read those bytes. They write through ValueWriter, so the same code
// gives strace text and JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "decode/value_writer.h"

namespace vigil {

enum class StructKind {
  kStat,           // struct stat (newfstatat, fstat)
  kStatfs,         // struct statfs (statfs, fstatfs)
  kStatx,          // struct statx
  kTimespec,       // struct timespec (__kernel_timespec)
  kTimeval,        // struct timeval
  kItimerspec,     // struct itimerspec (timerfd_settime, timer_settime)
  kSigaction,      // the kernel's struct sigaction, as rt_sigaction sees it
  kSigset,         // sigset_t; len_hint is the sigsetsize argument
  kSiginfo,        // siginfo_t (its first 48 bytes hold every field shown)
  kRlimit,         // struct rlimit / rlimit64: identical on x86_64
  kUtsname,        // struct new_utsname
  kSockaddr,       // any sockaddr; len_hint is addrlen
  kIntPair,        // int[2], pipe and socketpair fds: [3, 4]
  kWaitStatus,     // int *wstatus: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]
  kRusage,         // struct rusage
  kSysinfo,        // struct sysinfo
  kPollfds,        // struct pollfd[]; len_hint is nfds
  kEpollEvent,     // one struct epoll_event (packed on x86_64)
  kCloneArgs,      // struct clone_args; len_hint is clone3's size argument
  kTimezone,       // struct timezone
  kTms,            // struct tms
  kRobustListHead, // set_robust_list head: strace prints the pointer
  kCapHeader,      // struct __user_cap_header_struct
  kLinuxDirent64,  // getdents64 buffer; len_hint is the return value
};

// struct_capture_size - the bytes vigil captures for kind on x86_64
// (sizeof the user struct); 0 when the size comes from an argument
// (sockaddr, sigset, pollfd array, dirents) or when strace prints only the
// pointer (robust list head).
std::size_t struct_capture_size(StructKind kind);

// write_struct - bytes, read from user memory at address, as strace
// prints kind. A capture cut short prints the fields that are complete
// followed by "..."; with too little for even the first field, or nothing
// at all, it prints the address as strace does for unreadable memory.
// len_hint is the length argument where one matters (see StructKind).
void write_struct(ValueWriter &w, StructKind kind,
                  std::span<const std::byte> bytes, std::uint64_t address,
                  std::uint64_t len_hint);

// write_siginfo - a siginfo_t from the kernel (a signal event's), as
// strace prints a signal's: {si_signo=SIGUSR1, si_code=SI_TKILL, ...}.
void write_siginfo(ValueWriter &w, std::span<const std::byte> bytes);

// write_signal_mask - a kernel sigset_t (8 bytes on x86_64) as strace
// prints one: [INT TERM], or ~[...] when most are set.
void write_signal_mask(ValueWriter &w, std::span<const std::byte> mask);

// write_signal_handler - a handler as sigaction holds it: SIG_DFL,
// SIG_IGN or its address.
void write_signal_handler(ValueWriter &w, std::uint64_t handler);

} // namespace vigil
