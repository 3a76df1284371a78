// event_schema.h - what vigil knows about each syscall slot, resolved once
// at start-up so that decoding an event is table lookups only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decode/syscall_semantics.h"
#include "decode/syscall_table.h"

extern "C" {
#include "vigil_event.h"
}

namespace vigil {

// How a raw argument register is read: its width and sign.
enum class ArgKind : std::uint8_t {
  kSigned32,
  kSigned64,
  kUnsigned32,
  kUnsigned64,
  kPointer,
};

struct ArgSchema {
  std::string_view name;
  ArgKind raw = ArgKind::kSigned64;
  ArgSpec spec; // never Sem::kDefault once resolved
};

struct SyscallSchema {
  std::string_view name; // never empty: unknown numbers get syscall_N
  std::uint32_t nr = 0;
  Abi abi = Abi::x86_64;
  int nargs = 0; // 6 raw registers when the table does not know
  std::array<ArgSchema, 6> args{};
  RetKind ret = RetKind::kInt;
  CallShape shape = CallShape::kPlain;
  vigil_plan plan{}; // what the kernel reads; see vigil_event.h
};

// CaptureProfile - which kinds of data the kernel reads. Paths, argv and
// socket addresses are always read; byte buffers cost a copy per call and
// are read only when asked for.
struct CaptureProfile {
  bool buffers = false;
  bool structs = true;
};

// EventSchema - one SyscallSchema per slot of the kernel's tables: the
// x86_64 numbers, then the i386 ones.
class EventSchema {
public:
  explicit EventSchema(CaptureProfile profile = {});

  const SyscallSchema &syscall(Abi abi, std::uint32_t nr) const;
  std::uint32_t slot(Abi abi, std::uint32_t nr) const;
  std::size_t slot_count() const { return slots_.size(); }
  const SyscallSchema &at_slot(std::size_t slot) const { return slots_[slot]; }

private:
  std::vector<SyscallSchema> slots_;
  std::vector<std::string> unknown_names_;
};

// classify_ctype - the raw kind of a kernel C type such as "unsigned int"
// or "const char *", on the given ABI.
ArgKind classify_ctype(std::string_view ctype, Abi abi);

} // namespace vigil
