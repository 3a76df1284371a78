#include "util/clock.h"

#include <time.h>

#include <cstdio>

namespace vigil {

std::uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

namespace {

std::int64_t clock_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

void append_digits(std::string &out, std::int64_t value, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, width);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

void WallClock::refresh() {
  // Read monotonic on both sides of realtime to bound the error.
  std::int64_t before = clock_ns(CLOCK_MONOTONIC);
  std::int64_t real = clock_ns(CLOCK_REALTIME);
  std::int64_t after = clock_ns(CLOCK_MONOTONIC);
  offset_ns_.store(real - (before + (after - before) / 2),
                   std::memory_order_relaxed);
}

void Rfc3339::append(std::string &out, std::int64_t wall_ns) {
  std::int64_t sec = floor_div(wall_ns, 1'000'000'000);
  std::int64_t nsec = wall_ns - sec * 1'000'000'000;
  if (sec != cached_sec_) {
    time_t t = sec;
    tm parts{};
    gmtime_r(&t, &parts);
    std::snprintf(date_, sizeof(date_), "%04d-%02d-%02dT%02d:%02d:%02d.",
                  parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                  parts.tm_hour, parts.tm_min, parts.tm_sec);
    cached_sec_ = sec;
  }
  out.append(date_, 20);
  append_digits(out, nsec, 9);
  out.push_back('Z');
}

void Rfc3339::append_clock(std::string &out, std::int64_t wall_ns, int digits) {
  std::int64_t sec = floor_div(wall_ns, 1'000'000'000);
  std::int64_t nsec = wall_ns - sec * 1'000'000'000;
  if (sec != cached_local_sec_) {
    time_t t = sec;
    tm parts{};
    localtime_r(&t, &parts);
    std::snprintf(local_, sizeof(local_), "%02d:%02d:%02d", parts.tm_hour,
                  parts.tm_min, parts.tm_sec);
    cached_local_sec_ = sec;
  }
  out.append(local_, 8);
  if (digits > 0) {
    out.push_back('.');
    std::int64_t scaled = nsec;
    for (int i = digits; i < 9; ++i)
      scaled /= 10;
    append_digits(out, scaled, digits);
  }
}

} // namespace vigil
