// main.cpp - vigil's entry point: parses the command line, runs the
// chosen job, and turns fatal start-up errors into one clear line.
#include <cstdio>
#include <exception>

#include "app/monitor.h"
#include "app/trace.h"
#include "capture/bpf_capture.h"
#include "cli/options.h"
#include "util/log.h"

int main(int argc, char **argv) {
  vigil::ParseResult parsed = vigil::parse_command_line(argc, argv);
  if (!parsed.monitor && !parsed.trace)
    return parsed.exit_status;

  const std::string &level =
      parsed.trace ? parsed.trace->log_level : parsed.monitor->log_level;
  vigil::log_setup(spdlog::level::from_str(level));
  try {
    if (parsed.trace)
      return vigil::run_trace(*parsed.trace);
    return vigil::run_monitor(*parsed.monitor);
  } catch (const vigil::StartupError &e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception &e) {
    spdlog::error("unexpected failure: {}", e.what());
    return 1;
  }
}
