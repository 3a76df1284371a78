// clock.h - turns the kernel's CLOCK_MONOTONIC stamps into wall-clock time.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace vigil {

// monotonic_ns - CLOCK_MONOTONIC now, the clock of the kernel's stamps.
std::uint64_t monotonic_ns();

// WallClock - the offset between CLOCK_REALTIME and CLOCK_MONOTONIC,
// refreshed by one thread and read by many, so that a stepped or slewed
// system clock is followed within a refresh.
class WallClock {
public:
  WallClock() { refresh(); }
  void refresh();
  std::int64_t to_wall_ns(std::uint64_t monotonic_ns) const {
    return static_cast<std::int64_t>(monotonic_ns) +
           offset_ns_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::int64_t> offset_ns_{0};
};

// Rfc3339 - formats nanosecond wall-clock times as
// 2026-12-03T13:49:43.123456789Z, caching the part that changes once a
// second. One instance per thread.
class Rfc3339 {
public:
  void append(std::string &out, std::int64_t wall_ns);
  // HH:MM:SS.uuuuuu, local time, for people at a terminal.
  void append_clock(std::string &out, std::int64_t wall_ns, int digits);

private:
  std::int64_t cached_sec_ = -1;
  char date_[64] = {}; // "YYYY-MM-DDTHH:MM:SS."
  std::int64_t cached_local_sec_ = -1;
  char local_[40] = {}; // "HH:MM:SS"
};

} // namespace vigil
