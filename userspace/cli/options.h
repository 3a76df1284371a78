// options.h - vigil's command line, parsed with CLI11.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "capture/bpf_capture.h"
#include "format/event_formatter.h"

namespace vigil {

struct MonitorOptions {
  CaptureSettings capture;
  OutputFormat format = OutputFormat::kJson;
  std::string output; // empty: stdout
  int workers = 0;    // 0: chosen from the number of CPUs
  std::string log_level = "info";
};

// ParseResult - options to run with, or an exit status to leave with
// (0 after --help, 2 after a usage error, already reported).
struct ParseResult {
  std::optional<MonitorOptions> options;
  int exit_status = 0;
};

ParseResult parse_command_line(int argc, char **argv);

} // namespace vigil
