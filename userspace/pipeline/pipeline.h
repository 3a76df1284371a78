// pipeline.h - the userspace half of the event path: the reader's
// records go into one bounded queue per worker, chosen by thread id so
// that events of one thread stay in order; workers decode and format;
// one writer thread writes the formatted lines.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "context/enricher.h"
#include "decode/event_schema.h"
#include "format/event_formatter.h"
#include "pipeline/byte_queue.h"
#include "rules/detector.h"
#include "util/clock.h"

namespace vigil {

struct PipelineSettings {
  OutputFormat format = OutputFormat::kJson;
  FormatOptions format_options;
  int out_fd = 1;
  int workers = 1;
  std::size_t queue_bytes = 32u << 20; // per worker, raw records
  // Process and container context on every event; vigil trace's strace
  // lines do without it.
  bool enrich = false;
  EnricherSettings enrich_settings;
  // Rules, when loaded: each event is tested and detections written
  // among the events, or alone with detections_only.
  std::shared_ptr<rules::RuleHolder> rules;
  std::shared_ptr<rules::DetectionLimiter> limiter;
  rules::DetectionFormat detection_format = rules::DetectionFormat::kVigil;
  bool detections_only = false;
};

// PipelineStats - every record is counted once as emitted or lost.
struct PipelineStats {
  std::uint64_t received = 0;
  std::uint64_t queue_full = 0;
  std::uint64_t malformed = 0;
  std::uint64_t emitted = 0;
  std::uint64_t write_failed = 0; // lines not written: output gone
  std::uint64_t context_only = 0; // records for the process table only
  std::uint64_t detections = 0;   // detection lines made
  std::uint64_t suppressed = 0;   // detections held back by the rate limit
};

class Pipeline {
public:
  Pipeline(PipelineSettings settings, const EventSchema &schema,
           const WallClock &clock);
  ~Pipeline();

  void start();
  // push - called by the reader only; never blocks.
  void push(std::span<const std::byte> record);
  // stop - lets the workers and the writer finish what is queued.
  void stop();

  PipelineStats stats() const;
  // The context source, null without PipelineSettings::enrich.
  const Enricher *enricher() const { return enricher_.get(); }
  bool has_rules() const { return settings_.rules != nullptr; }
  // True once the output refused a write (a closed pipe, a full disk).
  bool output_closed() const {
    return output_closed_.load(std::memory_order_acquire);
  }
  // The errno of the write that failed; EPIPE when the reader went away.
  int output_error() const {
    return output_error_.load(std::memory_order_acquire);
  }

  struct Idle;

private:
  struct Worker;
  void run_worker(Worker &w);
  void run_writer();
  bool write_all(std::span<const std::byte> bytes);

  PipelineSettings settings_;
  const EventSchema &schema_;
  const WallClock &clock_;
  std::unique_ptr<Idle> idle_;
  std::unique_ptr<Enricher> enricher_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::thread writer_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> workers_running_{0};
  std::atomic<bool> output_closed_{false};
  std::atomic<int> output_error_{0};
  std::uint64_t received_ = 0;   // reader thread only
  std::uint64_t queue_full_ = 0; // reader thread only
  std::atomic<std::uint64_t> received_pub_{0};
  std::atomic<std::uint64_t> queue_full_pub_{0};
  std::atomic<std::uint64_t> write_failed_{0};
};

} // namespace vigil
