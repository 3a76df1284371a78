// options.h - vigil's command line, parsed with CLI11: the system-wide
// monitor (vigil [flags]) and the strace-like tracer (vigil trace).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "capture/bpf_capture.h"
#include "context/enricher.h"
#include "format/event_formatter.h"
#include "output/output_config.h"
#include "rules/detector.h"

namespace vigil {

// MonitorOptions - every setting of the monitor. Each one is described
// once, for its flag and its configuration file key, in
// cli/monitor_fields.cpp.
struct MonitorOptions {
  CaptureSettings capture;
  OutputFormat format = OutputFormat::kJson;
  std::vector<OutputConfig> outputs{stdout_output()};
  // Set by the first output flag: output flags replace the file's list.
  bool outputs_from_flags = false;
  int workers = 0; // 0: chosen from the number of CPUs
  std::string log_level = "info";
  bool no_context = false;
  EnricherSettings context;
  // Rules: files or directories; empty with rules set means the
  // built-in rules.
  bool rules = false;
  std::vector<std::string> rule_paths;
  bool detections_only = false;
  rules::DetectionFormat detection_format = rules::DetectionFormat::kVigil;
  rules::RateLimit detection_rate;
  std::string metrics_address; // HOST:PORT; empty: no metrics endpoint
  std::string config_file;     // the --config file, if any
};

// vigil rules check FILE...
struct RulesCheckOptions {
  std::vector<std::string> paths;
};

// vigil list fields [--event NAME]
struct ListFieldsOptions {
  std::string event;
};

enum class SummarySort { kTime, kCalls, kErrors, kName, kNothing };

struct TraceOptions {
  std::vector<std::string> command; // run and trace this, or
  std::vector<std::uint32_t> pids;  // attach to these
  bool follow = false;
  std::string output;                // empty: stderr, as strace
  std::vector<std::string> syscalls; // empty: all
  bool failed_only = false;
  bool durations = false;
  Timestamps timestamps = Timestamps::kNone;
  std::uint32_t string_limit = 32;
  bool fd_paths = false;
  bool summary = false;           // -c: the table only
  bool summary_and_lines = false; // -C: both
  SummarySort sort = SummarySort::kTime;
  OutputFormat format = OutputFormat::kStrace;
  std::string log_level = "warn";
  // Standard descriptors closed when vigil started, a bit each (1 << fd):
  // closed again for the command, which must see them as it would.
  unsigned closed_std_fds = 0;
};

// ParseResult - what to run, or an exit status to leave with (0 after
// --help, 2 after a usage error, already reported).
struct ParseResult {
  std::optional<MonitorOptions> monitor;
  std::optional<TraceOptions> trace;
  int exit_status = 0;
  std::optional<RulesCheckOptions> rules_check{};
  std::optional<ListFieldsOptions> list_fields{};
  std::optional<std::string> config_check{}; // vigil config check FILE
};

ParseResult parse_command_line(int argc, char **argv);

} // namespace vigil
