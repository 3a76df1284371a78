#include "app/session.h"

#include <algorithm>

#include "util/log.h"

namespace vigil {

Session::Session(const CaptureSettings &capture, const EventSchema &schema,
                 const PipelineSettings &pipeline)
    : capture_(capture, schema), pipeline_(pipeline, schema, clock_),
      reader_(capture_.ring_fd(), pipeline_) {}

Session::~Session() { stop(); }

void Session::start() {
  pipeline_.start();
  reader_thread_ = std::thread([this] { reader_.run(); });
  running_ = true;
  capture_.attach();
}

void Session::stop() {
  if (!running_)
    return;
  running_ = false;
  capture_.detach();
  reader_.stop();
  reader_thread_.join();
  pipeline_.stop();
}

Totals Session::totals() const {
  KernelStats k = capture_.stats();
  PipelineStats p = pipeline_.stats();
  Totals t;
  // Records sent only to keep the process table current are not events
  // the user asked for.
  t.seen = k.submitted + k.ringbuf_full + k.storage_fail -
           std::min(k.submitted, p.context_only);
  t.emitted = p.emitted;
  t.ringbuf_full = k.ringbuf_full;
  t.storage_fail = k.storage_fail;
  t.queue_full = p.queue_full;
  t.malformed = p.malformed;
  t.output_failed = p.write_failed;
  t.rules = pipeline_.has_rules();
  t.detections = p.detections;
  t.suppressed = p.suppressed;
  return t;
}

void LossReporter::check(const Totals &t) {
  std::uint64_t lost = t.lost();
  if (lost > last_lost_) {
    spdlog::warn("lost {} events in the last interval (ring buffer full "
                 "{}, queue full {}, output {}); totals: {} seen, {} lost",
                 lost - last_lost_, t.ringbuf_full - last_.ringbuf_full,
                 t.queue_full - last_.queue_full,
                 t.output_failed - last_.output_failed, t.seen, lost);
    losing_ = true;
  } else if (losing_) {
    spdlog::info("no more events lost; {} lost so far", lost);
    losing_ = false;
  }
  last_lost_ = lost;
  last_ = t;
}

void log_summary(const Totals &t, spdlog::level::level_enum level) {
  spdlog::log(level,
              "{} events seen, {} emitted, {} lost (ring buffer full {}, "
              "task storage {}, queue full {}, malformed {}, output {})",
              t.seen, t.emitted, t.lost(), t.ringbuf_full, t.storage_fail,
              t.queue_full, t.malformed, t.output_failed);
  if (t.rules) {
    spdlog::log(level, "{} detections, {} more suppressed by the rate limit",
                t.detections, t.suppressed);
  }
}

} // namespace vigil
