// session_metrics.h - what a session exports on /metrics: events by name,
// losses by cause, queue depths, each output's counts, and vigil's own
// CPU time and memory.
#pragma once

#include "app/session.h"
#include "metrics/metrics_registry.h"

namespace vigil {

// add_session_metrics - collectors reading session on every scrape; the
// session must outlive the registry's use.
void add_session_metrics(MetricsRegistry &registry, Session &session);

// ProcessUsage - this process's CPU seconds (user + system) and resident
// bytes, from /proc/self/stat and /proc/self/statm.
struct ProcessUsage {
  double cpu_seconds = 0;
  double resident_bytes = 0;
};
ProcessUsage process_usage();

} // namespace vigil
