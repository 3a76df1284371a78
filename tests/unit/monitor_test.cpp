// monitor_test.cpp - the monitor's start-up steps that need no BPF: an
// --exe path that does not exist is warned about and kept.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "app/monitor.h"
#include "log_capture.h"

namespace vigil {
namespace {

MonitorOptions parse_monitor(std::vector<std::string> args) {
  args.insert(args.begin(), "vigil");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  ParseResult r =
      parse_command_line(static_cast<int>(argv.size()), argv.data());
  REQUIRE(r.monitor.has_value());
  return *r.monitor;
}

} // namespace

TEST_CASE("monitor: an --exe path that does not exist is warned about and "
          "still traced",
          "[monitor]") {
  MonitorOptions opts = parse_monitor({"--exe", "/no/such/path"});
  CHECK(opts.capture.scope.exes == std::vector<std::string>{"/no/such/path"});
  test::LogCapture log;
  warn_missing_exes(opts.capture.scope);
  CHECK(log.text() == "warning: --exe /no/such/path: No such file or "
                      "directory; it is traced once a program runs from "
                      "it\n");
}

TEST_CASE("monitor: an --exe symlink is resolved and not warned about",
          "[monitor]") {
  namespace fs = std::filesystem;
  fs::path dir =
      fs::temp_directory_path() / ("vigil-exe-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path target = fs::canonical("/bin/sh");
  fs::create_symlink(target, dir / "sh");
  MonitorOptions opts = parse_monitor(
      {"--exe", (dir / "sh").string() + ",/no/such/path," + target.string()});
  fs::remove_all(dir);
  CHECK(opts.capture.scope.exes == std::vector<std::string>{target.string(),
                                                            "/no/such/path",
                                                            target.string()});
  test::LogCapture log;
  warn_missing_exes(opts.capture.scope);
  CHECK(log.text() == "warning: --exe /no/such/path: No such file or "
                      "directory; it is traced once a program runs from "
                      "it\n");
}

} // namespace vigil
