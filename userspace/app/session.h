// session.h - one capture from start to stop: the BPF programs, the ring
// reader and the pipeline, started and stopped in order. The monitor and
// vigil trace both run one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "capture/bpf_capture.h"
#include "capture/ring_reader.h"
#include "pipeline/pipeline.h"
#include "util/clock.h"
#include "util/log.h"

namespace vigil {

// Totals - every event the kernel tried to hand over, and where each went.
struct Totals {
  std::uint64_t seen = 0;
  std::uint64_t emitted = 0;
  std::uint64_t ringbuf_full = 0;
  std::uint64_t storage_fail = 0;
  std::uint64_t queue_full = 0;
  std::uint64_t malformed = 0;
  bool rules = false;
  std::uint64_t detections = 0;
  std::uint64_t suppressed = 0;    // detections held back by the rate limit
  std::uint64_t output_failed = 0; // lost by the output that lost fewest
  std::vector<OutputStats> outputs;

  std::uint64_t lost() const {
    return ringbuf_full + storage_fail + queue_full + malformed + output_failed;
  }
};

class Session {
public:
  Session(const CaptureSettings &capture, const EventSchema &schema,
          const PipelineSettings &pipeline);
  ~Session();

  // start - workers, writer and reader first, then before_attach (if
  // any), then the programs attach: nothing the kernel sends is dropped
  // for want of a consumer.
  void start(const std::function<void()> &before_attach = {});
  // stop - detach, drain the ring, let the pipeline finish; idempotent.
  void stop();

  BpfCapture &capture() { return capture_; }
  const Pipeline &pipeline() const { return pipeline_; }
  Pipeline &pipeline() { return pipeline_; }
  // healthy - the programs are attached and the pipeline runs.
  bool healthy() const {
    return attached_.load(std::memory_order_acquire) && pipeline_.running();
  }
  WallClock &clock() { return clock_; }
  Totals totals() const;

private:
  WallClock clock_;
  BpfCapture capture_;
  Pipeline pipeline_;
  RingReader reader_;
  std::thread reader_thread_;
  bool running_ = false;
  std::atomic<bool> attached_{false};
};

// totals_of - the run's totals from the kernel's and the pipeline's
// counts; rules: the pipeline runs rules.
Totals totals_of(const KernelStats &k, PipelineStats p, bool rules);

// LossReporter - says when losses start and stop; called once a second.
class LossReporter {
public:
  void check(const Totals &t);

private:
  void check_outputs(const Totals &t);

  std::uint64_t last_lost_ = 0;
  Totals last_;
  bool losing_ = false;
  std::vector<bool> output_losing_;
};

void log_summary(const Totals &t,
                 spdlog::level::level_enum level = spdlog::level::info);

} // namespace vigil
