// metrics_registry.h - vigil's metrics, rendered in Prometheus' text
// format. Counters and gauges are registered by name and labels and
// updated by whoever owns them (the rules engine counts detections with
// counter("vigil_detections_total", ..., {{"rule", name}})); collectors
// add values that are computed at scrape time (sums over workers, the
// kernel's counters).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vigil {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
  void inc(std::uint64_t n = 1) {
    value_.fetch_add(n, std::memory_order_relaxed);
  }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<double> value_{0};
};

// MetricsWriter - what a collector adds to one scrape.
class MetricsWriter {
public:
  void counter(const std::string &name, const std::string &help,
               const Labels &labels, double value);
  void gauge(const std::string &name, const std::string &help,
             const Labels &labels, double value);
  std::string text() const;

private:
  struct Family {
    std::string help, type;
    std::vector<std::pair<Labels, double>> samples;
  };
  void add(const std::string &name, const std::string &help, const char *type,
           const Labels &labels, double value);

  std::vector<std::string> order_; // families in the order first seen
  std::map<std::string, Family> families_;
};

class MetricsRegistry {
public:
  // counter, gauge - the one metric of this name and labels, created on
  // first use; the reference stays valid for the registry's lifetime.
  Counter &counter(const std::string &name, const std::string &help,
                   const Labels &labels = {});
  Gauge &gauge(const std::string &name, const std::string &help,
               const Labels &labels = {});
  // add_collector - fn runs on every scrape, on the server's thread.
  void add_collector(std::function<void(MetricsWriter &)> fn);

  // render - every metric in Prometheus text exposition format 0.0.4.
  std::string render() const;

private:
  template <class T> struct Entry {
    std::string name, help;
    Labels labels;
    T metric;
  };

  mutable std::mutex mutex_; // guards the lists, not the values
  std::deque<Entry<Counter>> counters_;
  std::deque<Entry<Gauge>> gauges_;
  std::vector<std::function<void(MetricsWriter &)>> collectors_;
};

} // namespace vigil
