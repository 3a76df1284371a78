// main.cpp - vigil's entry point: parses the command line, runs the
// chosen job, and turns fatal start-up errors into one clear line.
#include <cstdio>
#include <exception>

#include "app/monitor.h"
#include "capture/bpf_capture.h"
#include "cli/options.h"
#include "util/log.h"

int main(int argc, char **argv) {
  vigil::ParseResult parsed = vigil::parse_command_line(argc, argv);
  if (!parsed.options)
    return parsed.exit_status;

  vigil::log_setup(spdlog::level::from_str(parsed.options->log_level));
  try {
    return vigil::run_monitor(*parsed.options);
  } catch (const vigil::StartupError &e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception &e) {
    spdlog::error("unexpected failure: {}", e.what());
    return 1;
  }
}
