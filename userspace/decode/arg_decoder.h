// arg_decoder.h - turns a syscall event's raw registers and captured
// bytes into decoded values, through a ValueWriter, by the semantics of
// each argument.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decode/event_schema.h"
#include "decode/raw_event.h"
#include "decode/value_writer.h"

namespace vigil {

// FdPaths - the path behind a process's file descriptor, for strace's -y.
class FdPaths {
public:
  virtual ~FdPaths() = default;
  // Empty when unknown. fd AT_FDCWD gives the working directory.
  virtual std::string_view path(std::uint32_t pid, int fd) = 0;
  // observe - learns from a syscall that made, copied or closed a file
  // descriptor; called between its arguments and its result.
  virtual void observe(const RawEvent &ev, const SyscallSchema &sc) = 0;
  // forked - a new process starts with a copy of its parent's table.
  virtual void forked(std::uint32_t parent, std::uint32_t child) = 0;
};

struct DecodeOptions {
  // strace's -s: bytes of a string or buffer shown; 0 shows all that was
  // captured. Paths are always shown whole.
  std::uint32_t string_limit = 0;
  FdPaths *fd_paths = nullptr;
};

// write_arg - argument i as its semantics say.
void write_arg(ValueWriter &w, const RawEvent &ev, const SyscallSchema &sc,
               int i, const DecodeOptions &opts);

// write_strace_args - every argument, comma-separated, in strace's order
// and shape (clone's named arguments, fcntl's and futex's varying ones).
void write_strace_args(std::string &out, const RawEvent &ev,
                       const SyscallSchema &sc, const DecodeOptions &opts);

// append_strace_return - " = 3", " = -1 ENOENT (No such file or
// directory)", " = 0x7f...", " = ?".
void append_strace_return(std::string &out, const RawEvent &ev,
                          const SyscallSchema &sc, const DecodeOptions &opts);

// return_value - ret as the syscall's ABI returns it.
std::int64_t return_value(const RawEvent &ev);

// return_address - the address a call returned (RetKind::kHex), as wide
// as its ABI's: a 32-bit call's is not sign-extended.
std::uint64_t return_address(const RawEvent &ev);

// failure_errno - the errno a return value reports (-4095 to -1), else 0.
int failure_errno(std::int64_t ret);

// errno_description - strace's text for an errno, e.g. "No such file or
// directory"; empty when unknown.
std::string_view errno_description(int err);

} // namespace vigil
