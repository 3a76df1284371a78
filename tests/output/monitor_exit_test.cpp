// monitor_exit_test.cpp - how a run ends with a real HTTP output: one
// that stays down makes the exit status 1 and the final summary names it
// and what it lost; one that delivers everything ends with 0.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "../unit/event_builder.h"
#include "../unit/log_capture.h"
#include "app/monitor.h"
#include "app/session.h"
#include "pipeline/pipeline.h"
#include "servers.h"

namespace vigil::test {
namespace {

constexpr std::uint32_t kGetppid = 110;

OutputConfig http_to(int port) {
  OutputConfig o =
      http_output("http://127.0.0.1:" + std::to_string(port) + "/ingest");
  o.http.retry_initial_ms = 20;
  o.http.retry_max_ms = 50;
  o.drain_ms = 300;
  return o;
}

// Ended - what report_run_end made of a run, and the run's own counts.
struct Ended {
  int status = -1;
  std::string log;
  Totals totals;
};

// run_events - count getppid events through a real pipeline into
// outputs, stopped as the monitor stops it, then reported.
Ended run_events(std::vector<OutputConfig> outputs, int count) {
  name_outputs(outputs);
  EventSchema schema;
  WallClock clock;
  PipelineSettings ps;
  ps.outputs = std::move(outputs);
  ps.workers = 1;
  Ended end;
  {
    Pipeline p(ps, schema, clock);
    p.start();
    for (int i = 0; i < count; ++i) {
      EventBuilder b(kGetppid);
      b.ret(1).comm("vt-count");
      auto rec = b.record();
      p.push(rec);
    }
    p.stop();
    KernelStats k;
    k.submitted = static_cast<std::uint64_t>(count);
    end.totals = totals_of(k, p.stats(), false);
    LogCapture log;
    end.status = report_run_end(end.totals, p.output_error());
    end.log = log.text();
  }
  return end;
}

const OutputStats &stats_of(const Totals &t, const std::string &name) {
  for (const OutputStats &o : t.outputs) {
    if (o.name == name)
      return o;
  }
  FAIL("no output named " << name);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("a dead http output makes the exit status 1 and the summary "
          "names it with what it lost",
          "[output][http][exit]") {
  int port = free_port(); // nothing listens there
  Ended end = run_events({http_to(port)}, 300);
  INFO(end.log);
  CHECK(end.status == 1);
  const OutputStats &http = stats_of(end.totals, "http");
  CHECK(http.delivered == 0);
  CHECK(http.failed == 300);
  CHECK(end.log.find("error: 300 events seen, 0 emitted, 300 lost (ring "
                     "buffer full 0, task storage 0, queue full 0, "
                     "malformed 0, output 300)\n") != std::string::npos);
  CHECK(end.log.find("error: output http failed: 300 lines lost (queue full "
                     "0, failed 300)\n") != std::string::npos);
}

TEST_CASE("a dead http output beside a working file output still makes "
          "the exit status 1",
          "[output][http][exit]") {
  ScratchDir dir;
  int port = free_port();
  OutputConfig http = http_to(port);
  http.queue_bytes = 64 * 1024; // overflows: queue-full losses too
  std::string path = dir.file("events.json");
  constexpr int kEvents = 5000;
  Ended end = run_events({file_output(path), http}, kEvents);
  INFO(end.log);
  CHECK(end.status == 1);

  std::size_t written = split_lines(read_file(path)).size();
  CHECK(written == kEvents);
  CHECK(end.totals.emitted == written);
  const OutputStats &h = stats_of(end.totals, "http");
  CHECK(h.delivered == 0);
  CHECK(h.failed > 0);
  CHECK(h.dropped + h.failed == kEvents);
  CHECK(end.log.find("output file: 5000 delivered, 0 lost") !=
        std::string::npos);
  CHECK(end.log.find("error: output http failed: 5000 lines lost (queue "
                     "full " +
                     std::to_string(h.dropped) + ", failed " +
                     std::to_string(h.failed) + ")\n") != std::string::npos);
  CHECK(end.log.find("error: output file failed") == std::string::npos);
}

TEST_CASE("an http output that delivers everything ends with status 0",
          "[output][http][exit]") {
  ScratchDir dir;
  int port = free_port();
  HttpReceiver receiver(dir, port);
  OutputConfig http = http_to(port);
  http.drain_ms = 10000;
  Ended end = run_events({http}, 300);
  INFO(end.log);
  CHECK(end.status == 0);
  CHECK(stats_of(end.totals, "http").delivered == 300);
  CHECK(end.log == "info: 300 events seen, 300 emitted, 0 lost (ring buffer "
                   "full 0, task storage 0, queue full 0, malformed 0, "
                   "output 0)\n");
}

} // namespace vigil::test
