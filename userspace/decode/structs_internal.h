// structs_internal.h - what the struct decoders in structs_*.cpp share:
// bounds-checked reads of captured bytes, a cursor that cuts a struct
// where the capture ends, and strace's flag and value printing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "decode/value_writer.h"

namespace vigil::structs {

using Bytes = std::span<const std::byte>;

// read - the T at offset, or 0 when the capture does not cover it. The
// kernel copies user structs byte for byte, so memcpy is the only safe
// way to read them out of an unaligned buffer.
template <typename T> T read(Bytes bytes, std::size_t offset) {
  T value{};
  if (offset + sizeof(T) <= bytes.size())
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

inline bool covers(Bytes bytes, std::size_t offset, std::size_t size) {
  return offset + size <= bytes.size();
}

// FieldCursor - writes a struct's fields in strace's order while they
// fit the capture. The first field that was not captured whole becomes
// "..." and ends the visible part, so a cut capture never prints a value
// made of missing bytes.
class FieldCursor {
public:
  FieldCursor(ValueWriter &w, Bytes bytes) : w_(w), bytes_(bytes) {}

  // field - writes name= when [offset, offset + size) was captured.
  bool field(std::string_view name, std::size_t offset, std::size_t size);
  void signed_field(std::string_view name, std::size_t offset,
                    std::size_t size);
  void unsigned_field(std::string_view name, std::size_t offset,
                      std::size_t size);
  // more - strace's "..." for the fields abbreviated output leaves out.
  void more();

  template <typename T> T get(std::size_t offset) const {
    return read<T>(bytes_, offset);
  }
  Bytes bytes() const { return bytes_; }

private:
  ValueWriter &w_;
  Bytes bytes_;
  bool cut_ = false;
};

// FlagName - one entry of a flag or value table. Tables list entries in
// strace's xlat order, which decides the order of names in A|B|C.
struct FlagName {
  std::uint64_t value;
  std::string_view name;
};

// hex_text - strace's %#llx: 0x1f, but a bare 0 for zero.
std::string hex_text(std::uint64_t v);
// write_hex - hex_text through the writer (a number in JSON).
void write_hex(ValueWriter &w, std::uint64_t v);
// write_flags - strace's printflags: known names joined by |, leftover
// bits as |0x..; no known bit at all gives 0x.. /* unknown */.
void write_flags(ValueWriter &w, std::span<const FlagName> table,
                 std::uint64_t v, std::string_view unknown);
// write_xval - strace's printxval: the name, else 0x.. and, when unknown
// is not empty, a /* unknown */ comment.
void write_xval(ValueWriter &w, std::span<const FlagName> table,
                std::uint64_t v, std::string_view unknown);
std::string_view find_name(std::span<const FlagName> table, std::uint64_t v);

// signal_text - strace's sprintsigname: SIGINT, SIGRTMIN, SIGRT_3, or the
// number when the signal has no name.
std::string signal_text(std::int64_t sig);
// sigset_text - strace's sprintsigmask_n over size bytes of mask:
// [INT QUIT], or ~[...] listing the clear bits when 2/3 or more are set.
std::string sigset_text(Bytes mask, std::size_t size);
// mode_text - strace's print_symbolic_mode_t: S_IFREG|S_ISUID|0755.
std::string mode_text(std::uint32_t mode);
// write_timespec / write_timeval - a whole 16-byte struct at bytes.
void write_timespec(ValueWriter &w, Bytes bytes);
void write_timeval(ValueWriter &w, Bytes bytes);

// Decoder - one struct kind's printer; see write_struct for the contract.
using Decoder = void (*)(ValueWriter &w, Bytes bytes, std::uint64_t address,
                         std::uint64_t len_hint);

// structs_file.cpp
void write_stat(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_statfs(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_statx(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_utsname(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_dirents64(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);

// structs_time.cpp
void write_timespec_kind(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_timeval_kind(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_itimerspec(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_timezone(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_tms(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_rusage(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_sysinfo(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_rlimit(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);

// structs_signal.cpp
void write_sigaction(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_sigset(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_siginfo(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_wait_status(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);

// structs_net.cpp
void write_sockaddr(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);

// structs_process.cpp
void write_int_pair(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_pollfds(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_epoll_event(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_clone_args(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_robust_list_head(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);
void write_cap_header(ValueWriter &, Bytes, std::uint64_t, std::uint64_t);

} // namespace vigil::structs
