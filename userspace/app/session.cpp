#include "app/session.h"

#include <algorithm>

#include "util/log.h"

namespace vigil {

Session::Session(const CaptureSettings &capture, const EventSchema &schema,
                 const PipelineSettings &pipeline)
    : capture_(capture, schema), pipeline_(pipeline, schema, clock_),
      reader_(capture_.ring_fd(), pipeline_) {}

Session::~Session() { stop(); }

void Session::start(const std::function<void()> &before_attach) {
  pipeline_.start();
  reader_thread_ = std::thread([this] { reader_.run(); });
  running_ = true;
  if (before_attach)
    before_attach();
  capture_.attach();
  attached_.store(true, std::memory_order_release);
}

void Session::stop() {
  if (!running_)
    return;
  running_ = false;
  attached_.store(false, std::memory_order_release);
  capture_.detach();
  reader_.stop();
  reader_thread_.join();
  pipeline_.stop();
}

Totals Session::totals() const {
  return totals_of(capture_.stats(), pipeline_.stats(), pipeline_.has_rules());
}

Totals totals_of(const KernelStats &k, PipelineStats p, bool rules) {
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
  t.rules = rules;
  t.detections = p.detections;
  t.suppressed = p.suppressed;
  t.outputs = std::move(p.outputs);
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
  check_outputs(t);
  last_ = t;
}

void LossReporter::check_outputs(const Totals &t) {
  output_losing_.resize(t.outputs.size(), false);
  for (std::size_t i = 0; i < t.outputs.size(); ++i) {
    const OutputStats &now = t.outputs[i];
    OutputStats before =
        i < last_.outputs.size() ? last_.outputs[i] : OutputStats{};
    if (now.lost() > before.lost()) {
      spdlog::warn("output {} lost {} events in the last interval (queue "
                   "full {}, failed {}); {} lost so far",
                   now.name, now.lost() - before.lost(),
                   now.dropped - before.dropped, now.failed - before.failed,
                   now.lost());
      output_losing_[i] = true;
    } else if (output_losing_[i]) {
      spdlog::info("output {} loses no more events; {} lost so far", now.name,
                   now.lost());
      output_losing_[i] = false;
    }
  }
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
  // With one output its losses are the summary's; with more, each says
  // its own.
  if (t.outputs.size() < 2)
    return;
  for (const OutputStats &o : t.outputs) {
    spdlog::log(o.lost() ? spdlog::level::warn : level,
                "output {}: {} delivered, {} lost (queue full {}, failed "
                "{}), {} failed attempts",
                o.name, o.delivered, o.lost(), o.dropped, o.failed, o.errors);
  }
}

} // namespace vigil
