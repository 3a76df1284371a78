#include "app/session_metrics.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace vigil {

ProcessUsage process_usage() {
  ProcessUsage u;
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)),
                   std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields are counted
  // from the last ')'; utime and stime are fields 14 and 15.
  std::size_t close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i >= 14)
        ticks += std::stod(field);
    }
    u.cpu_seconds = ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::ifstream statm("/proc/self/statm");
  double size = 0, resident = 0;
  if (statm >> size >> resident)
    u.resident_bytes = resident * static_cast<double>(sysconf(_SC_PAGESIZE));
  return u;
}

void add_session_metrics(MetricsRegistry &registry, Session &session) {
  registry.add_collector([&session](MetricsWriter &w) {
    Totals t = session.totals();
    KernelStats k = session.capture().stats();
    const Pipeline &p = session.pipeline();
    PipelineStats ps = p.stats();

    w.gauge("vigil_up",
            "1 while the programs are attached and the "
            "pipeline runs",
            {}, session.healthy() ? 1 : 0);
    for (const EventCount &c : p.event_counts()) {
      w.counter("vigil_events_total", "events decoded, by event name",
                {{"event", std::string(c.name)}}, static_cast<double>(c.count));
    }
    w.counter("vigil_events_seen_total", "events the kernel tried to hand over",
              {}, static_cast<double>(t.seen));
    w.counter("vigil_events_received_total",
              "records read from the ring buffer", {},
              static_cast<double>(ps.received));
    w.counter("vigil_events_emitted_total",
              "lines taken by the output that lost fewest", {},
              static_cast<double>(t.emitted));
    const std::pair<const char *, std::uint64_t> causes[] = {
        {"ringbuf_full", t.ringbuf_full},
        {"task_storage", t.storage_fail},
        {"queue_full", t.queue_full},
        {"malformed", t.malformed},
        {"output", t.output_failed}};
    for (const auto &[cause, n] : causes) {
      w.counter("vigil_events_lost_total", "events lost, by cause",
                {{"cause", cause}}, static_cast<double>(n));
    }
    w.counter("vigil_kernel_read_faults_total",
              "strings and structs the kernel could not read", {},
              static_cast<double>(k.read_fault));
    w.counter("vigil_follow_table_full_total",
              "children --follow could not add: its table was full", {},
              static_cast<double>(k.follow_full));
    std::vector<std::size_t> depths = p.queue_depths();
    for (std::size_t i = 0; i < depths.size(); ++i) {
      w.gauge("vigil_queue_bytes", "bytes waiting in a worker's queue",
              {{"worker", std::to_string(i)}}, static_cast<double>(depths[i]));
    }
    for (const OutputStats &o : ps.outputs) {
      Labels l{{"output", o.name}};
      w.counter("vigil_output_lines_total", "lines offered to an output", l,
                static_cast<double>(o.offered));
      w.counter("vigil_output_delivered_total", "lines an output delivered", l,
                static_cast<double>(o.delivered));
      w.counter("vigil_output_dropped_total",
                "lines dropped because the output's queue was full", l,
                static_cast<double>(o.dropped));
      w.counter("vigil_output_failed_total",
                "lines an output could not deliver: a write error, a "
                "refusal, or given up at exit",
                l, static_cast<double>(o.failed));
      w.counter("vigil_output_errors_total",
                "failed delivery attempts, retries included", l,
                static_cast<double>(o.errors));
      w.gauge("vigil_output_queue_bytes", "bytes waiting for an output", l,
              static_cast<double>(o.queued_bytes));
      w.gauge("vigil_output_up", "0 once an output is closed for good", l,
              o.closed ? 0 : 1);
    }
    ProcessUsage u = process_usage();
    w.counter("process_cpu_seconds_total",
              "vigil's user and system CPU time in seconds", {}, u.cpu_seconds);
    w.gauge("process_resident_memory_bytes", "vigil's resident memory", {},
            u.resident_bytes);
  });
}

} // namespace vigil
