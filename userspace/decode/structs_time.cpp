// structs_time.cpp - time and resource structs: timespec, timeval,
// itimerspec, timezone, tms, rusage, sysinfo, rlimit.
#include <limits>

#include "decode/structs_internal.h"

namespace vigil::structs {

namespace {

// strace prints tv_nsec and tv_usec unsigned: a negative nanosecond count
// handed to nanosleep shows as 18446744073709551611, not -5.
void write_sec_frac(ValueWriter &w, Bytes bytes, std::string_view frac) {
  w.begin_struct();
  w.field("tv_sec");
  w.signed_int(read<std::int64_t>(bytes, 0));
  w.field(frac);
  w.unsigned_int(read<std::uint64_t>(bytes, 8));
  w.end_struct();
}

// strace's sprint_rlim64: 8192*1024 for whole KiB above 1 KiB, and the
// all-ones value by name. getrlimit and prlimit64 agree on x86_64, where
// struct rlimit is already 64-bit. Plain counts stay numbers for JSON.
void write_rlim(ValueWriter &w, std::uint64_t v) {
  if (v == std::numeric_limits<std::uint64_t>::max()) {
    w.symbol("RLIM64_INFINITY");
  } else if (v > 1024 && v % 1024 == 0) {
    w.symbol(std::to_string(v / 1024) + "*1024");
  } else {
    w.unsigned_int(v);
  }
}

} // namespace

void write_timespec(ValueWriter &w, Bytes bytes) {
  write_sec_frac(w, bytes, "tv_nsec");
}

void write_timeval(ValueWriter &w, Bytes bytes) {
  write_sec_frac(w, bytes, "tv_usec");
}

void write_timespec_kind(ValueWriter &w, Bytes bytes, std::uint64_t address,
                         std::uint64_t) {
  // A timespec is too small to print in part: strace reads it whole.
  if (!covers(bytes, 0, 16)) {
    w.unreadable(address);
    return;
  }
  write_timespec(w, bytes);
}

void write_timeval_kind(ValueWriter &w, Bytes bytes, std::uint64_t address,
                        std::uint64_t) {
  if (!covers(bytes, 0, 16)) {
    w.unreadable(address);
    return;
  }
  write_timeval(w, bytes);
}

void write_itimerspec(ValueWriter &w, Bytes bytes, std::uint64_t,
                      std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  if (c.field("it_interval", 0, 16))
    write_timespec(w, bytes.subspan(0, 16));
  if (c.field("it_value", 16, 16))
    write_timespec(w, bytes.subspan(16, 16));
  w.end_struct();
}

void write_timezone(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  c.signed_field("tz_minuteswest", 0, 4);
  c.signed_field("tz_dsttime", 4, 4);
  w.end_struct();
}

// struct tms: four clock_t (long) counts in clock ticks; strace prints
// them zero-extended.
void write_tms(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  c.unsigned_field("tms_utime", 0, 8);
  c.unsigned_field("tms_stime", 8, 8);
  c.unsigned_field("tms_cutime", 16, 8);
  c.unsigned_field("tms_cstime", 24, 8);
  w.end_struct();
}

// struct rusage: two timevals, then fourteen longs that abbreviated
// output leaves out.
void write_rusage(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  if (c.field("ru_utime", 0, 16))
    write_timeval(w, bytes.subspan(0, 16));
  if (c.field("ru_stime", 16, 16))
    write_timeval(w, bytes.subspan(16, 16));
  c.more();
  w.end_struct();
}

// struct sysinfo on x86_64: longs, a u16 procs at 80 padded to 88, and a
// u32 mem_unit at 104. strace prints every field even when abbreviating.
void write_sysinfo(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();

  c.signed_field("uptime", 0, 8);
  if (c.field("loads", 8, 24)) {
    w.begin_array();
    for (std::size_t i = 0; i < 3; ++i) {
      w.element();
      w.unsigned_int(read<std::uint64_t>(bytes, 8 + 8 * i));
    }
    w.end_array();
  }
  c.unsigned_field("totalram", 32, 8);
  c.unsigned_field("freeram", 40, 8);
  c.unsigned_field("sharedram", 48, 8);
  c.unsigned_field("bufferram", 56, 8);
  c.unsigned_field("totalswap", 64, 8);
  c.unsigned_field("freeswap", 72, 8);
  c.unsigned_field("procs", 80, 2);
  c.unsigned_field("totalhigh", 88, 8);
  c.unsigned_field("freehigh", 96, 8);
  c.unsigned_field("mem_unit", 104, 4);

  w.end_struct();
}

void write_rlimit(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  if (c.field("rlim_cur", 0, 8))
    write_rlim(w, c.get<std::uint64_t>(0));
  if (c.field("rlim_max", 8, 8))
    write_rlim(w, c.get<std::uint64_t>(8));
  w.end_struct();
}

} // namespace vigil::structs
