// metrics_registry_test.cpp - the Prometheus text the registry renders.
#include <catch2/catch.hpp>

#include "metrics/metrics_registry.h"

namespace vigil {

TEST_CASE("metrics: counters, gauges and collectors render as Prometheus "
          "text",
          "[metrics]") {
  MetricsRegistry r;
  r.counter("vigil_detections_total", "detections by rule",
            {{"rule", "shell in container"}})
      .inc(3);
  r.counter("vigil_detections_total", "detections by rule",
            {{"rule", "a \"quoted\\ rule"}})
      .inc();
  r.gauge("vigil_some_gauge", "a gauge").set(2.5);
  r.add_collector([](MetricsWriter &w) {
    w.counter("vigil_events_total", "events", {{"event", "openat"}}, 7);
    w.counter("vigil_events_total", "events", {{"event", "read"}}, 1);
  });
  CHECK(r.render() ==
        "# HELP vigil_detections_total detections by rule\n"
        "# TYPE vigil_detections_total counter\n"
        "vigil_detections_total{rule=\"shell in container\"} 3\n"
        "vigil_detections_total{rule=\"a \\\"quoted\\\\ rule\"} 1\n"
        "# HELP vigil_some_gauge a gauge\n"
        "# TYPE vigil_some_gauge gauge\n"
        "vigil_some_gauge 2.5\n"
        "# HELP vigil_events_total events\n"
        "# TYPE vigil_events_total counter\n"
        "vigil_events_total{event=\"openat\"} 7\n"
        "vigil_events_total{event=\"read\"} 1\n");
}

TEST_CASE("metrics: the same name and labels give the same counter",
          "[metrics]") {
  MetricsRegistry r;
  Counter &a = r.counter("c_total", "c", {{"k", "v"}});
  Counter &b = r.counter("c_total", "c", {{"k", "v"}});
  Counter &other = r.counter("c_total", "c", {{"k", "w"}});
  a.inc();
  b.inc(2);
  CHECK(&a == &b);
  CHECK(a.value() == 3);
  CHECK(other.value() == 0);
}

} // namespace vigil
