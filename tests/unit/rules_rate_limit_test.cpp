#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "rules/detector.h"
#include "rules_helpers.h"

using vigil::rules::DetectionLimiter;
using vigil::rules::parse_rate_limit;
using vigil::rules::RateLimit;

TEST_CASE("rates parse as N per period", "[rules][rate]") {
  CHECK(parse_rate_limit("10/s")->count == 10);
  CHECK(parse_rate_limit("10/s")->window_ns == 1'000'000'000ull);
  CHECK(parse_rate_limit("3/m")->window_ns == 60'000'000'000ull);
  CHECK(parse_rate_limit("5/10s")->window_ns == 10'000'000'000ull);
  CHECK_FALSE(parse_rate_limit("10"));
  CHECK_FALSE(parse_rate_limit("0/s"));
  CHECK_FALSE(parse_rate_limit("x/s"));
  CHECK_FALSE(parse_rate_limit("10/h"));
}

TEST_CASE("identical detections above the rate are suppressed and counted",
          "[rules][rate]") {
  DetectionLimiter lim(RateLimit{2, 1'000'000'000});
  constexpr std::uint64_t t0 = 5'000'000'000;
  CHECK(lim.admit("r", 1, "m", t0) == 0u);
  CHECK(lim.admit("r", 1, "m", t0 + 1) == 0u);
  CHECK_FALSE(lim.admit("r", 1, "m", t0 + 2));
  CHECK_FALSE(lim.admit("r", 1, "m", t0 + 3));
  // Another pid, message or rule is not the same detection.
  CHECK(lim.admit("r", 2, "m", t0 + 4) == 0u);
  CHECK(lim.admit("r", 1, "other", t0 + 4) == 0u);
  CHECK(lim.admit("q", 1, "m", t0 + 4) == 0u);
  CHECK(lim.suppressed() == 2);
  // The next window lets one through, with what was held back.
  CHECK(lim.admit("r", 1, "m", t0 + 1'000'000'000) == 2u);
  CHECK(lim.admit("r", 1, "m", t0 + 1'000'000'001) == 0u);
  CHECK_FALSE(lim.admit("r", 1, "m", t0 + 1'000'000'002));
  CHECK(lim.suppressed() == 3);
}

TEST_CASE("the detector reports suppressed repeats in the next line",
          "[rules][rate]") {
  using namespace vigil::test;
  vigil::WallClock clock;
  auto set = compiled(one_rule("event = openat", "open of %args.filename"));
  auto limiter =
      std::make_shared<DetectionLimiter>(RateLimit{1, 1'000'000'000});
  vigil::rules::Detector d(rules_schema(), clock,
                           std::make_shared<vigil::rules::RuleHolder>(set),
                           limiter, vigil::rules::DetectionFormat::kVigil);
  auto detect_at = [&](std::uint64_t ts) {
    EventBuilder b = openat_of("/x");
    b.arg(5, 0);
    auto rec = b.record();
    auto *h = reinterpret_cast<vigil_event *>(rec.data());
    h->ts_ns = ts;
    h->enter_ns = ts - 10;
    std::string out;
    d.detect(*vigil::RawEvent::parse(rec), {}, out);
    return out;
  };
  CHECK_FALSE(detect_at(10'000'000'000).empty());
  CHECK(detect_at(10'100'000'000).empty());
  CHECK(detect_at(10'200'000'000).empty());
  std::string next = detect_at(11'000'000'000);
  REQUIRE_FALSE(next.empty());
  CHECK(nlohmann::json::parse(next)["suppressed"] == 2);
  CHECK(limiter->suppressed() == 2);
}
