// detector.h - the rules on the event path: each worker's Detector
// tests every event against the rules indexed for it and writes one
// JSON line per detection; the RuleHolder lets the monitor swap in a
// reloaded set while workers run; the DetectionLimiter suppresses
// repeats.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "format/event_formatter.h"
#include "rules/fields.h"
#include "rules/rule_set.h"
#include "util/clock.h"

namespace vigil::rules {

enum class DetectionFormat {
  kVigil, // vigil's own shape, with the whole event
  kFalco, // Falco's JSON output shape
};

// RateLimit - at most count identical detections per window; count 0
// is no limit.
struct RateLimit {
  std::uint32_t count = 0;
  std::uint64_t window_ns = 1'000'000'000;
};

// parse_rate_limit - "N/s", "N/m", "N/10s", "N/5m"; nullopt if not one.
std::optional<RateLimit> parse_rate_limit(std::string_view text);

// DetectionLimiter - counts detections of one rule, process and message
// in fixed windows, timed by the events' own clock. Shared by the
// workers: detections are rare next to events, so a lock is cheap here.
class DetectionLimiter {
public:
  explicit DetectionLimiter(RateLimit limit) : limit_(limit) {}

  // admit - nullopt when this detection is suppressed; else how many
  // like it were suppressed since the last one let through.
  std::optional<std::uint64_t> admit(std::string_view rule, std::uint32_t pid,
                                     std::string_view output,
                                     std::uint64_t now_ns);
  std::uint64_t suppressed() const {
    return suppressed_.load(std::memory_order_relaxed);
  }
  bool enabled() const { return limit_.count != 0; }

private:
  struct Entry {
    std::uint64_t window_start = 0;
    std::uint32_t count = 0;
    std::uint64_t pending = 0; // suppressed, not reported in a line yet
  };
  void prune(std::uint64_t now_ns);

  RateLimit limit_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::string key_;
  std::uint64_t admits_ = 0;
  std::atomic<std::uint64_t> suppressed_{0};
};

// RuleHolder - the current RuleSet. The monitor replaces it on SIGHUP;
// a worker notices the new generation before its next event and takes
// the new set, so no event goes untested.
class RuleHolder {
public:
  explicit RuleHolder(std::shared_ptr<const RuleSet> rules)
      : rules_(std::move(rules)) {}

  std::shared_ptr<const RuleSet> get() const {
    std::lock_guard lock(mu_);
    return rules_;
  }
  void set(std::shared_ptr<const RuleSet> rules) {
    {
      std::lock_guard lock(mu_);
      rules_ = std::move(rules);
    }
    generation_.fetch_add(1, std::memory_order_release);
  }
  std::uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

private:
  mutable std::mutex mu_;
  std::shared_ptr<const RuleSet> rules_;
  std::atomic<std::uint64_t> generation_{0};
};

struct DetectionSettings {
  DetectionFormat format = DetectionFormat::kVigil;
  RateLimit rate;
};

// Detector - one per worker thread.
class Detector {
public:
  Detector(const EventSchema &schema, const WallClock &clock,
           std::shared_ptr<RuleHolder> holder,
           std::shared_ptr<DetectionLimiter> limiter, DetectionFormat format);

  // detect - appends one line per rule the event matches; returns how
  // many lines it appended.
  std::size_t detect(const RawEvent &ev, const EventContext &ctx,
                     std::string &out);

private:
  void refresh();
  void append_detection(const CompiledRule &rule, std::uint64_t suppressed,
                        std::string &out);
  void append_falco(const CompiledRule &rule, std::uint64_t suppressed,
                    std::string &out);

  const EventSchema &schema_;
  const WallClock &clock_;
  std::shared_ptr<RuleHolder> holder_;
  std::shared_ptr<DetectionLimiter> limiter_;
  DetectionFormat format_;
  std::shared_ptr<const RuleSet> rules_;
  std::uint64_t generation_ = ~0ull;
  std::unique_ptr<EventFormatter> event_json_;
  EvalContext eval_;
  Rfc3339 time_;
  std::string hostname_;
  std::string message_;
  std::string event_text_;
  std::string time_text_;
};

// append_json_value - a field's value as JSON: a number, a string, an
// array, or null when absent.
void append_json_value(std::string &out, const Value &v);

} // namespace vigil::rules
