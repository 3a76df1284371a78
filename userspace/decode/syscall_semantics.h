// syscall_semantics.h - what each syscall's arguments and return value
// mean, beyond their C types: which integer is a file descriptor, which
// pointer is a path, a buffer the call fills, a struct, a flag set of
// which family. This is the one reviewed place for that knowledge; the
// capture plan and every decoder are derived from it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace vigil {

enum class Sem : std::uint8_t {
  kDefault,      // from the C type
  kInt,          // signed decimal
  kUint,         // unsigned decimal
  kHex,          // 0x...
  kPtr,          // NULL or 0x...
  kFd,           // a file descriptor
  kDirFd,        // AT_FDCWD or a file descriptor
  kPath,         // a path, read at entry, printed whole
  kString,       // a string, read at entry, bounded by -s
  kArgv,         // an array of strings (execve's argv)
  kEnvp,         // an array of strings shown by count (execve's envp)
  kBufIn,        // bytes the call reads: length in argument len_arg
  kBufOut,       // bytes the call wrote: length is the return value
  kStrOut,       // a string the call wrote: length is the return value
  kFlags,        // a flag set of FlagFamily `family`
  kEnum,         // a value of EnumFamily `family`
  kStructIn,     // a struct of StructKind `family`, read at entry
  kStructOut,    // a struct of StructKind `family`, read at exit
  kSockaddrIn,   // a socket address, length in argument len_arg
  kSockaddrOut,  // a socket address, length at the pointer in len_arg
  kSigsetIn,     // a signal set, size in argument len_arg
  kSigsetOut,    // a signal set written by the call
  kMode,         // file permission bits, octal
  kSignal,       // a signal number
  kPageOffset,   // a file offset in 4096-byte pages (mmap2's), shown in bytes
  kRestoredMask, // the signal mask sigreturn restored, read from the task
};

struct ArgSpec {
  Sem sem = Sem::kDefault;
  std::uint8_t family = 0;     // FlagFamily, EnumFamily or StructKind
  std::uint8_t len_arg = 0xff; // the argument that gives a length
};

enum class RetKind : std::uint8_t {
  kInt,   // a count or 0, -1 ERRNO on failure
  kFd,    // a new file descriptor
  kHex,   // an address (mmap, brk)
  kOctal, // a mode (umask)
  kNone,  // never returns (exit, exit_group)
};

// Calls whose arguments strace prints in a shape of their own.
enum class CallShape : std::uint8_t {
  kPlain,
  kClone,  // named arguments, in strace's order
  kFcntl,  // the third argument depends on the command
  kFutex,  // the arguments printed depend on the operation
  kIoctl,  // the third argument depends on the request
  kOpen,   // the mode only with O_CREAT or O_TMPFILE
  kSocket, // the protocol is named for the internet families only
};

// Sem::kBufOut families.
enum class BufStyle : std::uint8_t { kText, kHex };

struct CallSpec {
  std::string_view name;
  RetKind ret = RetKind::kInt;
  std::array<ArgSpec, 6> args{};
  CallShape shape = CallShape::kPlain;
};

// call_spec - the semantics of a syscall by name, nullptr when the table
// has none (its arguments then follow their C types).
const CallSpec *call_spec(std::string_view name);

} // namespace vigil
