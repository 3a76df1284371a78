#include "util/clock.h"

#include <catch2/catch.hpp>

using vigil::Rfc3339;

TEST_CASE("wall times print as RFC 3339 UTC with nanoseconds", "[clock]") {
  Rfc3339 fmt;
  std::string out;
  fmt.append(out, 1'796'305'783'000'000'123LL);
  CHECK(out == "2026-12-03T13:49:43.000000123Z");
  out.clear();
  fmt.append(out, 1'796'305'783'999'999'999LL);
  CHECK(out == "2026-12-03T13:49:43.999999999Z");
  out.clear();
  fmt.append(out, 1'796'305'784'000'000'000LL); // next second, cache moves
  CHECK(out == "2026-12-03T13:49:44.000000000Z");
}

TEST_CASE("the monotonic offset lands near the real time", "[clock]") {
  vigil::WallClock clock;
  timespec mono{}, real{};
  clock_gettime(CLOCK_MONOTONIC, &mono);
  clock_gettime(CLOCK_REALTIME, &real);
  std::int64_t m = mono.tv_sec * 1'000'000'000LL + mono.tv_nsec;
  std::int64_t r = real.tv_sec * 1'000'000'000LL + real.tv_nsec;
  CHECK(std::llabs(clock.to_wall_ns(m) - r) < 5'000'000);
}
