#include "decode/structs.h"

#include <array>
#include <charconv>

#include "decode/structs_internal.h"

namespace vigil {

namespace structs {

bool FieldCursor::field(std::string_view name, std::size_t offset,
                        std::size_t size) {
  if (cut_)
    return false;
  if (!covers(bytes_, offset, size)) {
    cut_ = true;
    w_.ellipsis();
    return false;
  }
  w_.field(name);
  return true;
}

void FieldCursor::signed_field(std::string_view name, std::size_t offset,
                               std::size_t size) {
  if (!field(name, offset, size))
    return;
  w_.signed_int(size == 4 ? read<std::int32_t>(bytes_, offset)
                          : read<std::int64_t>(bytes_, offset));
}

void FieldCursor::unsigned_field(std::string_view name, std::size_t offset,
                                 std::size_t size) {
  if (!field(name, offset, size))
    return;
  switch (size) {
  case 2:
    w_.unsigned_int(read<std::uint16_t>(bytes_, offset));
    break;
  case 4:
    w_.unsigned_int(read<std::uint32_t>(bytes_, offset));
    break;
  default:
    w_.unsigned_int(read<std::uint64_t>(bytes_, offset));
    break;
  }
}

void FieldCursor::more() {
  if (!cut_)
    w_.ellipsis();
}

std::string hex_text(std::uint64_t v) {
  if (v == 0)
    return "0";
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 16);
  return "0x" + std::string(buf, end);
}

void write_hex(ValueWriter &w, std::uint64_t v) {
  // ValueWriter::hex prints 0x0 for zero; strace's %#llx prints 0.
  if (v == 0) {
    w.unsigned_int(0);
  } else {
    w.hex(v);
  }
}

std::string_view find_name(std::span<const FlagName> table, std::uint64_t v) {
  for (const FlagName &f : table)
    if (f.value == v)
      return f.name;
  return {};
}

void write_flags(ValueWriter &w, std::span<const FlagName> table,
                 std::uint64_t v, std::string_view unknown) {
  if (v == 0) {
    w.unsigned_int(0);
    return;
  }

  std::string text;
  std::uint64_t left = v;
  for (const FlagName &f : table) {
    if (f.value == 0 || (left & f.value) != f.value)
      continue;
    if (!text.empty())
      text.push_back('|');
    text.append(f.name);
    left &= ~f.value;
  }

  if (text.empty()) {
    w.hex(v);
    w.comment(unknown);
    return;
  }
  if (left != 0)
    text.append("|" + hex_text(left));
  w.symbol(text);
}

void write_xval(ValueWriter &w, std::span<const FlagName> table,
                std::uint64_t v, std::string_view unknown) {
  std::string_view name = find_name(table, v);
  if (!name.empty()) {
    w.symbol(name);
    return;
  }
  write_hex(w, v);
  if (!unknown.empty())
    w.comment(unknown);
}

} // namespace structs

namespace {

using structs::Decoder;

// KindInfo - one row per StructKind. min_bytes is the smallest capture
// worth decoding: with less, strace's unreadable-memory form (the bare
// address) is the honest output.
struct KindInfo {
  StructKind kind;
  std::size_t capture_size;
  std::size_t min_bytes;
  Decoder decode;
};

// Sizes are the x86_64 kernel's: sizeof(struct stat) = 144, statx = 256,
// struct sigaction as rt_sigaction copies it = 32 (handler, flags,
// restorer, one 64-bit mask word), new_utsname = 6 * 65, clone_args as
// of Linux 5.7 = 88, epoll_event is packed to 12.
constexpr std::array kKinds{
    KindInfo{StructKind::kStat, 144, 28, structs::write_stat},
    KindInfo{StructKind::kStatfs, 120, 8, structs::write_statfs},
    KindInfo{StructKind::kStatx, 256, 4, structs::write_statx},
    KindInfo{StructKind::kTimespec, 16, 8, structs::write_timespec_kind},
    KindInfo{StructKind::kTimeval, 16, 8, structs::write_timeval_kind},
    KindInfo{StructKind::kItimerspec, 32, 16, structs::write_itimerspec},
    KindInfo{StructKind::kSigaction, 32, 8, structs::write_sigaction},
    KindInfo{StructKind::kSigset, 0, 0, structs::write_sigset},
    KindInfo{StructKind::kSiginfo, 48, 12, structs::write_siginfo},
    KindInfo{StructKind::kRlimit, 16, 8, structs::write_rlimit},
    KindInfo{StructKind::kUtsname, 390, 65, structs::write_utsname},
    KindInfo{StructKind::kSockaddr, 0, 0, structs::write_sockaddr},
    KindInfo{StructKind::kIntPair, 8, 4, structs::write_int_pair},
    KindInfo{StructKind::kWaitStatus, 4, 4, structs::write_wait_status},
    KindInfo{StructKind::kRusage, 144, 16, structs::write_rusage},
    KindInfo{StructKind::kSysinfo, 112, 8, structs::write_sysinfo},
    KindInfo{StructKind::kPollfds, 0, 0, structs::write_pollfds},
    KindInfo{StructKind::kEpollEvent, 12, 4, structs::write_epoll_event},
    KindInfo{StructKind::kCloneArgs, 88, 0, structs::write_clone_args},
    KindInfo{StructKind::kTimezone, 8, 4, structs::write_timezone},
    KindInfo{StructKind::kTms, 32, 8, structs::write_tms},
    KindInfo{StructKind::kRobustListHead, 0, 0,
             structs::write_robust_list_head},
    KindInfo{StructKind::kCapHeader, 8, 4, structs::write_cap_header},
    KindInfo{StructKind::kLinuxDirent64, 0, 0, structs::write_dirents64},
};

const KindInfo *find_kind(StructKind kind) {
  for (const KindInfo &k : kKinds)
    if (k.kind == kind)
      return &k;
  return nullptr;
}

} // namespace

void write_siginfo(ValueWriter &w, std::span<const std::byte> bytes) {
  structs::write_siginfo(w, bytes, 0, 0);
}

std::size_t struct_capture_size(StructKind kind) {
  const KindInfo *k = find_kind(kind);
  return k ? k->capture_size : 0;
}

void write_struct(ValueWriter &w, StructKind kind,
                  std::span<const std::byte> bytes, std::uint64_t address,
                  std::uint64_t len_hint) {
  const KindInfo *k = find_kind(kind);
  if (k == nullptr || address == 0 || bytes.size() < k->min_bytes) {
    w.unreadable(address);
    return;
  }
  k->decode(w, bytes, address, len_hint);
}

} // namespace vigil
