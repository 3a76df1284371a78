// lifecycle_test.cpp - how vigil starts, stops and reports: the summary
// line, a reader that goes away, signals, and flags it must refuse.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "runtime_test.h"

namespace vigil::test {
namespace {

using Clock = std::chrono::steady_clock;

// read_line - the first line from fd, or nothing within the timeout.
std::optional<std::string> read_line(int fd, milliseconds timeout) {
  std::string text;
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0)
      continue;
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n <= 0)
      return std::nullopt;
    if (c == '\n')
      return text;
    text.push_back(c);
  }
  return std::nullopt;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  return lines;
}

// run_with_stdout_closed - vigil with args and fd 1 closed; its wait
// status, if it ended within timeout.
std::optional<int> run_with_stdout_closed(std::vector<std::string> args,
                                          milliseconds timeout) {
  args.insert(args.begin(), VIGIL_BINARY);
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(STDOUT_FILENO);
    execv(VIGIL_BINARY, argv.data());
    _exit(127);
  }
  return wait_for_status(pid, timeout);
}

} // namespace

TEST_CASE("the summary line counts every event and reports none lost",
          "[runtime][lifecycle]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TracedRun run = trace_while({"--comm", "vt-openat"}, [&] {
    Child child({VT_OPENAT, dir.file("summary")});
    CHECK(child.wait_exit_code() == 0);
  });

  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  std::optional<Summary> summary = parse_summary(run.stderr_text);
  REQUIRE(summary.has_value());
  CHECK(summary->lost == 0);
  CHECK(summary->emitted == run.lines.events.size());
  CHECK(summary->seen >= summary->emitted);
  CHECK(run.lines.events.size() >= 5);
  CHECK(run.stderr_text.find(": warn:") == std::string::npos);
  CHECK(run.stderr_text.find(": error:") == std::string::npos);
}

TEST_CASE("SIGTERM stops vigil cleanly with a summary line",
          "[runtime][lifecycle]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  VigilProcess vigil({"--comm", "vt-openat"});
  REQUIRE(vigil.wait_ready());
  kill(vigil.pid(), SIGTERM);
  std::optional<int> status = vigil.wait_exit(milliseconds(5000));
  INFO("vigil stderr: " << vigil.stderr_text());
  CHECK(status == 0);
  CHECK(parse_summary(vigil.stderr_text()).has_value());
}

TEST_CASE("vigil exits 0 quietly when its stdout reader goes away",
          "[runtime][lifecycle]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  int out[2];
  REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  VigilProcess vigil({"--comm", "vt-noise"}, VigilStdout::kGivenFd, out[1]);
  close(out[1]);
  REQUIRE(vigil.wait_ready());
  Child noise({VT_NOISE, dir.file("noise"), dir.file("missing")});

  // What `vigil | head -1` does: read one line, then close the pipe.
  std::optional<std::string> first = read_line(out[0], milliseconds(5000));
  close(out[0]);
  auto closed_at = Clock::now();
  std::optional<int> status = vigil.wait_exit(milliseconds(2000));
  auto took = Clock::now() - closed_at;
  noise.terminate();

  REQUIRE(first.has_value());
  Json ev = Json::parse(*first, nullptr, false);
  CHECK(ev.is_object());
  CHECK(ev["process"].value("pid", -1) == noise.pid());
  INFO("vigil stderr: " << vigil.stderr_text());
  CHECK(status == 0);
  CHECK(took < std::chrono::seconds(2));
  for (const std::string &line : lines_of(vigil.stderr_text())) {
    INFO("stderr line: " << line);
    CHECK(line.find("info: tracing ") != std::string::npos);
  }
}

TEST_CASE("a bad flag exits 2 with a one-line error on stderr",
          "[runtime][cli]") {
  // Flags are checked before anything is loaded, so this needs no root.
  auto flags = GENERATE(as<std::vector<std::string>>{},
                        std::vector<std::string>{"--pid", "abc"},
                        std::vector<std::string>{"--bogus"},
                        std::vector<std::string>{"--format", "xml"},
                        std::vector<std::string>{"--string-max", "0"},
                        std::vector<std::string>{"--ring-size", "3"});
  FinishedRun run = run_vigil_to_exit(flags, milliseconds(5000));
  INFO("flags: " << Json(flags).dump());
  INFO("stderr: " << run.stderr_text);
  CHECK(run.status == 2);
  CHECK(run.stdout_text.empty());
  std::vector<std::string> lines = lines_of(run.stderr_text);
  REQUIRE(lines.size() == 1);
  CHECK_FALSE(lines[0].empty());
  CHECK(run.stderr_text.back() == '\n');
}

TEST_CASE("an output that fails stops vigil with an error and the losses",
          "[runtime][lifecycle]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // System-wide: events come at once, and every write to /dev/full fails.
  FinishedRun run = run_vigil_to_exit({"-o", "/dev/full"}, milliseconds(15000));
  INFO(run.stderr_text);
  CHECK(run.status == 1);
  CHECK(run.stderr_text.find("No space left on device") != std::string::npos);
  CHECK(run.stderr_text.find(" lost (") != std::string::npos);
}

TEST_CASE("a closed standard output is refused, not written over",
          "[runtime][lifecycle]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::optional<int> status =
      run_with_stdout_closed({"--comm", "vt-none"}, milliseconds(10000));
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 2);
}

TEST_CASE("vigil trace's command gets its closed standard output back "
          "closed",
          "[runtime][lifecycle][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // ls writing to a closed stdout fails with EBADF and exits 2, as it
  // does untraced; vigil's own /dev/null on fd 1 must not reach it.
  std::optional<int> status = run_with_stdout_closed(
      {"trace", "-o", "/dev/null", "--", "/bin/ls", "/"}, milliseconds(20000));
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 2);
}

} // namespace vigil::test
