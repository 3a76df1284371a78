// The pipeline with rules: workers write detections among the events,
// or alone, and count them.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "pipeline/pipeline.h"
#include "rules_helpers.h"

using namespace vigil::test;

namespace {

// run_pipeline - the lines a pipeline writes for these records.
std::vector<nlohmann::json>
run_pipeline(vigil::PipelineSettings ps,
             const std::vector<EventBuilder> &events,
             vigil::PipelineStats &stats) {
  char path[] = "/tmp/vigil-rules-pipeline-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  ps.out_fd = fd;
  ps.workers = 2;
  ps.queue_bytes = 1 << 20;
  vigil::WallClock clock;
  {
    vigil::Pipeline p(ps, rules_schema(), clock);
    p.start();
    for (const EventBuilder &b : events) {
      auto rec = b.record();
      p.push(rec);
    }
    p.stop();
    stats = p.stats();
  }
  close(fd);
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(nlohmann::json::parse(line));
  std::remove(path);
  return lines;
}

std::size_t count_detections(const std::vector<nlohmann::json> &lines) {
  std::size_t n = 0;
  for (const auto &l : lines)
    n += l.contains("rule");
  return n;
}

} // namespace

TEST_CASE("workers write detections among the events", "[rules][pipeline]") {
  vigil::PipelineSettings ps;
  ps.rules = std::make_shared<vigil::rules::RuleHolder>(
      compiled(one_rule("event = openat and args.filename = /etc/shadow")));
  std::vector<EventBuilder> events = {openat_of("/etc/hostname"),
                                      openat_of("/etc/shadow"),
                                      openat_of("/etc/passwd")};
  vigil::PipelineStats stats;
  auto lines = run_pipeline(ps, events, stats);
  REQUIRE(lines.size() == 4);
  // The detection follows its event, from the same worker.
  CHECK(lines[1]["args"]["filename"] == "/etc/shadow");
  CHECK(lines[2]["rule"]["id"] == "r");
  CHECK(lines[2]["event"] == lines[1]);
  // Emitted counts the lines written: three events and a detection.
  CHECK(stats.emitted == lines.size());
  CHECK(stats.detections == 1);
}

TEST_CASE("with detections only the events are not written",
          "[rules][pipeline]") {
  vigil::PipelineSettings ps;
  ps.detections_only = true;
  ps.rules = std::make_shared<vigil::rules::RuleHolder>(
      compiled(one_rule("event = openat and args.filename startswith /etc/")));
  ps.limiter = std::make_shared<vigil::rules::DetectionLimiter>(
      vigil::rules::RateLimit{2, 1'000'000'000});
  std::vector<EventBuilder> events;
  for (int i = 0; i < 5; ++i)
    events.push_back(openat_of("/etc/shadow"));
  events.push_back(openat_of("/tmp/x"));
  vigil::PipelineStats stats;
  auto lines = run_pipeline(ps, events, stats);
  CHECK(lines.size() == 2);
  CHECK(count_detections(lines) == 2);
  // What was written, the detections, not the six events tested.
  CHECK(stats.emitted == lines.size());
  CHECK(stats.detections == 2);
  CHECK(stats.suppressed == 3);
}
