// value.h - what a field holds for one event, borrowed from the record,
// the schema or the context: nothing is copied unless a decoder built
// the text (a flag set, a joined command line).
#pragma once

#include <bitset>
#include <cstdint>
#include <span>
#include <string_view>

extern "C" {
#include "vigil_event.h"
}

namespace vigil::rules {

enum class ValueKind : std::uint8_t {
  kNone, // the field is absent from this event, or not known yet
  kInt,
  kString,
  kBool,
  kList,
  kStruct, // a decoded struct: only `exists` looks at it
};

struct Value {
  ValueKind kind = ValueKind::kNone;
  std::int64_t i = 0; // kInt, and kBool as 0 or 1
  std::string_view s; // kString
  std::span<const Value> list;

  static Value of_int(std::int64_t v) { return {ValueKind::kInt, v, {}, {}}; }
  static Value of_bool(bool v) { return {ValueKind::kBool, v, {}, {}}; }
  static Value of_string(std::string_view v) {
    return {ValueKind::kString, 0, v, {}};
  }
  static Value of_list(std::span<const Value> v) {
    return {ValueKind::kList, 0, {}, v};
  }
};

// FieldType - what a field holds, as the compiler checks operators
// against it.
enum class FieldType : std::uint8_t {
  kInt,
  kString,
  kBool,
  kIntList,
  kStringList,
  kIntOrString, // a directory descriptor: AT_FDCWD or a number
  kStruct,
  kAny, // a field of a decoded struct: checked when the event comes
};

std::string_view type_name(FieldType t);

// Event ids: the syscall slots of EventSchema, then the process events.
using EventId = std::uint32_t;
constexpr EventId kForkEvent = VIGIL_NR_SLOTS;
constexpr EventId kExecEvent = VIGIL_NR_SLOTS + 1;
constexpr EventId kExitEvent = VIGIL_NR_SLOTS + 2;
constexpr EventId kEventIds = VIGIL_NR_SLOTS + 3;
// Events no rule can name (renames, cgroup and signal events): past the
// ids above, so that no rule is tried on them.
constexpr EventId kUnnamedEvent = kEventIds;
using EventSet = std::bitset<kEventIds>;

} // namespace vigil::rules
