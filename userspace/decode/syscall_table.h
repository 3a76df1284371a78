// syscall_table.h - syscall and errno name tables for the vigil decoder.
//
// The BPF side reports raw syscall numbers and return values; everything
// that turns them into names and typed arguments lives here.  The tables are
// generated from the kernel's syscall_*.tbl and tracefs event formats (see
// tools/gen_syscall_table.py and tools/gen_errno_table.py), so the decoder
// never needs tracefs or kernel sources at run time.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vigil {

// A traced task can be a native 64-bit process or a 32-bit one running
// under IA32 emulation; the two numberings differ, so every lookup says
// which one it means.
enum class Abi : std::uint8_t { x86_64, i386 };

struct SyscallArg {
  std::string_view name; // kernel's parameter name, e.g. "filename"
  std::string_view type; // kernel's C type, e.g. "const char *"
};

struct SyscallInfo {
  std::uint32_t nr;
  std::string_view name;
  // -1 when no tracefs format describes the syscall (unimplemented or
  // legacy entry points); args are then all empty.
  int nargs;
  std::array<SyscallArg, 6> args;
};

// nullptr when the ABI defines no syscall with that number.
const SyscallInfo *syscall_info(Abi abi, std::uint32_t nr);

std::optional<std::uint32_t> syscall_number(Abi abi, std::string_view name);

// Every syscall of the ABI, sorted by number; numbers may have gaps.
std::span<const SyscallInfo> syscall_table(Abi abi);

// err is the positive errno (the negated syscall return value); "" when the
// number has no name.
std::string_view errno_name(int err);

std::optional<int> errno_number(std::string_view name);

} // namespace vigil
