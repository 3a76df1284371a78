// pipeline.h - the userspace half of the event path: the reader's
// records go into one bounded queue per worker, chosen by thread id so
// that events of one thread stay in order; workers decode and format;
// one fan-out thread hands the formatted lines to every output, each of
// which has its own queue and thread (output/output_channel.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "context/enricher.h"
#include "decode/event_schema.h"
#include "format/event_formatter.h"
#include "metrics/metrics_registry.h"
#include "output/output_channel.h"
#include "output/output_config.h"
#include "pipeline/byte_queue.h"
#include "rules/detector.h"
#include "util/clock.h"

namespace vigil {

struct PipelineSettings {
  OutputFormat format = OutputFormat::kJson;
  FormatOptions format_options;
  std::vector<OutputConfig> outputs; // empty: one output on out_fd
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
  // keep - when set, a last check of each event's scope in userspace,
  // after its context is known; false drops the event.
  std::function<bool(const EventContext &)> keep;
  // Where parts that run in the workers (the rules engine) register
  // their counters, e.g. vigil_detections_total by rule; may be null.
  MetricsRegistry *metrics = nullptr;
};

// PipelineStats - every record is counted once as emitted or lost.
// emitted is what the best output took: the lines formatted, less the
// fewest that any one output lost; each output's own counts are in
// outputs. Lines are what is written: one per event, and one per
// detection with rules; with detections only, the detections alone.
struct PipelineStats {
  std::uint64_t received = 0;
  std::uint64_t queue_full = 0;
  std::uint64_t malformed = 0;
  std::uint64_t formatted = 0; // lines made for the outputs
  std::uint64_t emitted = 0;
  std::uint64_t write_failed = 0; // lines the best output lost
  // records for the process table only, or out of scope after all
  std::uint64_t context_only = 0;
  std::uint64_t detections = 0; // detection lines made
  std::uint64_t suppressed = 0; // detections held back by the rate limit
  std::vector<OutputStats> outputs;
};

// EventCount - how many events of one name the workers handled.
struct EventCount {
  std::string_view name;
  std::uint64_t count = 0;
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
  Enricher *enricher() { return enricher_.get(); }
  bool has_rules() const { return settings_.rules != nullptr; }
  // event_counts - per event name, summed over the workers; names with
  // no events are left out.
  std::vector<EventCount> event_counts() const;
  // queue_depths - bytes waiting in each worker's input queue.
  std::vector<std::size_t> queue_depths() const;
  // True once every output is gone for good (a closed pipe, a full disk).
  bool output_closed() const;
  // The errno that closed the first output; EPIPE when a reader went away.
  int output_error() const;
  // running - the workers and the fan-out are running.
  bool running() const { return running_.load(std::memory_order_acquire); }
  // reopen_outputs - file outputs open their paths anew (SIGUSR1).
  void reopen_outputs();

  struct Idle;

private:
  struct Worker;
  void run_worker(Worker &w);
  void note_new_cgroup(std::span<const std::byte> record);
  void run_fanout();
  std::size_t event_index(const RawEvent &ev) const;

  PipelineSettings settings_;
  const EventSchema &schema_;
  const WallClock &clock_;
  std::unique_ptr<Idle> idle_;
  std::unique_ptr<Enricher> enricher_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<OutputChannel>> outputs_;
  std::thread fanout_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> running_{false};
  std::atomic<int> workers_running_{0};
  std::uint64_t received_ = 0;   // reader thread only
  std::uint64_t queue_full_ = 0; // reader thread only
  std::atomic<std::uint64_t> received_pub_{0};
  std::atomic<std::uint64_t> queue_full_pub_{0};
};

} // namespace vigil
