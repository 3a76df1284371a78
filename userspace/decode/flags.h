// flags.h - symbolic decoding of flag sets and enumerated constants, the
// way strace 6.1 prints them.
//
// Each table lists names in strace's own order (its xlat files), because
// strace prints the bits of a flag set in table order, not in bit order.
// Values are the x86_64 ones; 32-bit x86 processes share them for every
// family here (O_LARGEFILE included, which i386 glibc passes explicitly).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "decode/value_writer.h"

namespace vigil {

struct FlagName {
  std::uint64_t value;
  std::string_view name;
};

// write_flags - the names of the set bits in table order joined by '|'.
// An entry matches when all its bits are set, and its bits are then taken
// out, so a multi-bit entry listed first (O_SYNC before O_DSYNC) wins.
// Bits no entry covers follow as |0x...; a value of 0 prints zero (a table
// entry of value 0 is used instead when there is one). When no bit has a
// name, strace prints 0x... and, if unknown is given, a /* X_??? */
// comment after it.
void write_flags(ValueWriter &w, std::span<const FlagName> table,
                 std::uint64_t value, std::string_view zero = "0",
                 std::string_view unknown = {});

// How an enumerated value without a name is printed. strace's printxval
// prints hex, printxval_d a signed decimal; kDecimalNamed is the syslog
// style where the number always comes first and the name is a comment.
enum class EnumStyle { kHex, kDecimal, kDecimalNamed };

// write_enum - the name of an exact value, else the number in style,
// followed by a /* unknown */ comment when unknown is given.
void write_enum(ValueWriter &w, std::span<const FlagName> table,
                std::uint64_t value, std::string_view unknown = {},
                EnumStyle style = EnumStyle::kHex);

enum class FlagFamily {
  kOpen,        // open/openat flags: access mode first, then O_*
  kOpenFlags,   // O_* without an access mode: pipe2, dup3
  kAt,          // AT_* of *at() calls
  kAtStatx,     // statx: AT_STATX_SYNC_* always first, then AT_*
  kProt,        // mmap/mprotect PROT_*
  kMap,         // mmap MAP_*: the type first, then flags, then huge size
  kClone,       // clone CLONE_* with the exit signal in the low byte
  kMount,       // mount MS_*, with MS_MGC_VAL in the high half
  kUmount,      // umount2 MNT_*/UMOUNT_*
  kSockType,    // socket type SOCK_* with SOCK_CLOEXEC/SOCK_NONBLOCK
  kMsg,         // send/recv MSG_*
  kAccessMode,  // access/faccessat F_OK/R_OK/W_OK/X_OK
  kSigaction,   // sa_flags SA_*
  kPoll,        // poll events POLL*
  kEpollCreate, // epoll_create1 EPOLL_CLOEXEC
  kEventfd,     // eventfd2 EFD_*
  kTimerfdCreate,
  kTimerfdSettime,
  kTimer, // clock_nanosleep, timer_settime TIMER_ABSTIME
  kInotifyInit,
  kGetrandom,
  kMremap,
  kMsync,
  kMlock,    // mlock2 MLOCK_*
  kMlockall, // mlockall MCL_*
  kFlock,
  kRenameat2,
  kMemfd,
  kSpliceFlags,
  kWait, // wait4/waitid options
  kStatxMask,
  kFallocate,
  kXattr,
  kFanotifyInit, // FAN_CLASS_* first, then FAN_* flags
  kFanotifyMark,
  kDup3,
  kCloseRange,
  kFileMode,   // st_mode and mknod: S_IFREG|0644
  kCreateMode, // permission bits of open/mkdir/chmod/umask: 0644, 000
};

void write_flag_family(ValueWriter &w, FlagFamily f, std::uint64_t value);

enum class EnumFamily {
  kSignal,
  kAddressFamily,
  kInetProtocol, // socket protocol when the domain is AF_INET/AF_INET6
  kFcntlCmd,
  kPrctlOption,
  kPtraceRequest,
  kWhence,
  kSigprocmaskHow,
  kFutexOp,
  kIoctlCmd,
  kEpollCtlOp,
  kSockoptLevel,
  kClockId,
  kRlimitResource,
  kArchPrctlCode,
  kMadviseAdvice,
  kItimerWhich,
  kFadviseAdvice,
  kSchedPolicy,
  kShutdownHow,
  kPriorityWhich,
  kIdtype,
  kSyslogType,
  kKeyctlCmd,
  kBpfCmd,
  kMembarrierCmd,
  kIoprioWhich,
  kRusageWho,
  kSeccompOp,
};

void write_enum_family(ValueWriter &w, EnumFamily f, std::uint64_t value);

// signal_name - strace's name of a signal: "SIGINT", "SIGRTMIN" (32),
// "SIGRT_1".."SIGRT_32" (33..64); "" for 0 and anything outside 1..64,
// which strace prints as a decimal.
std::string_view signal_name(int sig);

} // namespace vigil
