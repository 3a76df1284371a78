// raw_event.h - a checked view of one ring-buffer record: the header the
// BPF programs wrote and the captured items that follow it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

extern "C" {
#include "vigil_event.h"
}

namespace vigil {

static_assert(sizeof(vigil_event) == 144);
static_assert(offsetof(vigil_event, ts_ns) == 0);
static_assert(offsetof(vigil_event, enter_ns) == 8);
static_assert(offsetof(vigil_event, cgroup_id) == 16);
static_assert(offsetof(vigil_event, args) == 24);
static_assert(offsetof(vigil_event, ret) == 72);
static_assert(offsetof(vigil_event, pid) == 80);
static_assert(offsetof(vigil_event, tid) == 84);
static_assert(offsetof(vigil_event, ppid) == 88);
static_assert(offsetof(vigil_event, uid) == 92);
static_assert(offsetof(vigil_event, gid) == 96);
static_assert(offsetof(vigil_event, pidns) == 100);
static_assert(offsetof(vigil_event, mntns) == 104);
static_assert(offsetof(vigil_event, cpu) == 108);
static_assert(offsetof(vigil_event, nr) == 112);
static_assert(offsetof(vigil_event, kind) == 116);
static_assert(offsetof(vigil_event, flags) == 118);
static_assert(offsetof(vigil_event, data_len) == 120);
static_assert(offsetof(vigil_event, nitems) == 122);
static_assert(offsetof(vigil_event, comm) == 128);
static_assert(sizeof(vigil_item) == 4);
static_assert(offsetof(vigil_item, len) == 0);
static_assert(offsetof(vigil_item, arg) == 2);
static_assert(offsetof(vigil_item, flags) == 3);

// CapturedArg - what the kernel read behind one pointer argument.
struct CapturedArg {
  std::string_view bytes; // strings without their NUL; argv NUL-separated
  std::uint8_t flags = 0; // enum vigil_item_flag

  bool truncated() const { return flags & VIGIL_ITEM_TRUNCATED; }
  bool fault() const { return flags & VIGIL_ITEM_FAULT; }
  // raw - the bytes as bytes, for the struct decoders.
  std::span<const std::byte> raw() const {
    return {reinterpret_cast<const std::byte *>(bytes.data()), bytes.size()};
  }
};

// RawEvent - a record that passed parse(); the pointers borrow the record.
struct RawEvent {
  const vigil_event *header = nullptr;
  std::array<std::optional<CapturedArg>, 6> captured;

  // parse - nullopt when the record is shorter than its header says or an
  // item runs past the end: a record is never trusted blindly.
  static std::optional<RawEvent> parse(std::span<const std::byte> record);

  bool compat() const { return header->flags & VIGIL_EVF_COMPAT; }
  bool returns() const { return !(header->flags & VIGIL_EVF_NO_RETURN); }
  std::string_view comm() const;
};

} // namespace vigil
