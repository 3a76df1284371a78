// main.cpp - vigil's entry point: parses the command line, runs the
// chosen job, and turns fatal start-up errors into one clear line.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>

#include "app/monitor.h"
#include "app/rules_commands.h"
#include "app/trace.h"
#include "capture/bpf_capture.h"
#include "cli/options.h"
#include "util/log.h"

namespace {

// guard_standard_fds - a closed stdin, stdout or stderr would be reused by
// the next descriptor vigil opens (a BPF map, an epoll), and output meant
// for the terminal would land there: park /dev/null on it first. Returns
// which of them were closed, a bit each (1 << fd).
unsigned guard_standard_fds() {
  unsigned closed = 0;
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
      continue;
    closed |= 1u << fd;
    int parked = open("/dev/null", O_RDWR);
    if (parked >= 0 && parked != fd) {
      dup2(parked, fd);
      close(parked);
    }
  }
  return closed;
}

} // namespace

int main(int argc, char **argv) {
  unsigned closed = guard_standard_fds();
  vigil::ParseResult parsed = vigil::parse_command_line(argc, argv);
  if (parsed.rules_check || parsed.list_fields) {
    vigil::log_setup(spdlog::level::warn);
    return parsed.rules_check ? vigil::run_rules_check(*parsed.rules_check)
                              : vigil::run_list_fields(*parsed.list_fields);
  }
  if (parsed.config_check)
    return vigil::check_config(*parsed.config_check);
  if (!parsed.monitor && !parsed.trace)
    return parsed.exit_status;

  const std::string &level =
      parsed.trace ? parsed.trace->log_level : parsed.monitor->log_level;
  vigil::log_setup(spdlog::level::from_str(level));
  if ((closed & 2) && parsed.monitor && vigil::writes_stdout(*parsed.monitor)) {
    spdlog::error("standard output is closed: give --output FILE");
    return 2;
  }
  // vigil trace writes its lines to stderr, as strace does.
  if ((closed & 4) && parsed.trace && parsed.trace->output.empty())
    return 2; // nowhere to say so either

  try {
    if (parsed.trace) {
      parsed.trace->closed_std_fds = closed;
      return vigil::run_trace(*parsed.trace);
    }
    return vigil::run_monitor(*parsed.monitor);
  } catch (const vigil::StartupError &e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception &e) {
    spdlog::error("unexpected failure: {}", e.what());
    return 1;
  }
}
