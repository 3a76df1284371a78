// process_events_test.cpp - sched_process_fork, exec and exit events of
// real processes, with their arguments checked against the true values.
#include <signal.h>

#include <string>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

void check_process_event_keys(const Json &ev) {
  // Process events come from scheduler tracepoints: no abi, nr or ret.
  check_event_keys(ev, {"time", "event", "cpu", "process", "args"});
}

} // namespace

TEST_CASE("exec and exit of a traced process carry filename and status",
          "[runtime][process]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  const std::string self = VT_EXECVE;
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while({"--comm", "vt-execve"}, [&] {
    Child child({self, self, self, "--exit", "42"}, {.cpu = cpu});
    pid = child.pid();
    exit_code = child.wait_exit_code();
  });

  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  REQUIRE(exit_code == 42);
  ExpectedProcess want = expected_child(pid, "vt-execve");

  std::vector<Json> execs = events_named(run.lines, "sched_process_exec", pid);
  REQUIRE(execs.size() == 2);
  // The command line of each exec: vt-execve runs PROGRAM with ARGV0 and
  // the rest.
  const std::vector<std::vector<std::string>> argvs = {
      {self, self, self, "--exit", "42"}, {self, "--exit", "42"}};
  for (std::size_t i = 0; i < execs.size(); ++i) {
    const Json &ev = execs[i];
    INFO("event: " << ev.dump());
    check_process_event_keys(ev);
    CHECK(ev.value("cpu", -1) == cpu);
    check_process(ev, want);
    check_time(ev, run);
    check_keys(ev["args"], {"filename", "exe", "argv", "old_pid"});
    CHECK(ev["args"].value("filename", "") == self);
    CHECK(ev["args"].value("exe", "") == self);
    CHECK(ev["args"]["argv"].get<std::vector<std::string>>() == argvs[i]);
    CHECK(ev["args"].value("old_pid", -1) == pid);
  }

  std::vector<Json> exits = events_named(run.lines, "sched_process_exit", pid);
  REQUIRE(exits.size() == 1);
  const Json &ev = exits[0];
  INFO("event: " << ev.dump());
  check_process_event_keys(ev);
  CHECK(ev.value("cpu", -1) == cpu);
  check_process(ev, want);
  check_time(ev, run);
  check_keys(ev["args"], {"exit_code", "signal", "group_dead"});
  CHECK(ev["args"].value("exit_code", -1) == 42);
  CHECK(ev["args"].value("signal", -1) == 0);
  CHECK(ev["args"].value("group_dead", false) == true);

  // exit_group is the last syscall and, as it never returns, has no ret.
  std::vector<Json> last = events_named(run.lines, "exit_group", pid);
  REQUIRE(last.size() == 1);
  check_event_keys(last[0],
                   {"time", "event", "abi", "nr", "cpu", "process", "args"});
  CHECK(last[0].value("nr", -1) == 231);
  CHECK(last[0]["args"].value("error_code", -1) == 42);
}

TEST_CASE("exit of a process killed by a signal reports that signal",
          "[runtime][process]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  pid_t pid = 0;

  TracedRun run = trace_while(
      {"--comm", "vt-noise", "--events", "sched_process_exit"}, [&] {
        Child noise({VT_NOISE, dir.file("noise"), dir.file("missing")});
        pid = noise.pid();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        kill(pid, SIGKILL);
        noise.wait();
      });

  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  std::vector<Json> exits = events_named(run.lines, "sched_process_exit", pid);
  REQUIRE(exits.size() == 1);
  INFO("event: " << exits[0].dump());
  check_process(exits[0], expected_child(pid, "vt-noise"));
  CHECK(exits[0]["args"].value("exit_code", -1) == 0);
  CHECK(exits[0]["args"].value("signal", -1) == SIGKILL);
  CHECK(exits[0]["args"].value("group_dead", false) == true);
  CHECK(run.lines.events.size() == 1);
}

TEST_CASE("fork of a traced process names the child pid and tid",
          "[runtime][process]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("opened-by-the-forked-child");
  int cpu = last_allowed_cpu();
  pid_t pid = 0;

  TracedRun run =
      trace_while({"--comm", "vt-forker", "--follow", "--events",
                   "sched_process_fork,openat"},
                  [&] {
                    Child forker({VT_FORKER, VT_OPENAT, path}, {.cpu = cpu});
                    pid = forker.pid();
                    CHECK(forker.wait_exit_code() == 0);
                  });

  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  std::vector<Json> forks = events_named(run.lines, "sched_process_fork", pid);
  REQUIRE(forks.size() == 1);
  const Json &ev = forks[0];
  INFO("event: " << ev.dump());
  check_process_event_keys(ev);
  CHECK(ev.value("cpu", -1) == cpu);
  check_process(ev, expected_child(pid, "vt-forker"));
  check_time(ev, run);
  check_keys(ev["args"], {"child_pid", "child_tid"});
  std::int64_t child = ev["args"].value("child_pid", -1);
  CHECK(child > 0);
  CHECK(child != pid);
  CHECK(ev["args"].value("child_tid", -1) == child);

  // The pid the fork event names is the one that then makes the openat.
  std::vector<Json> opens =
      events_named(run.lines, "openat", static_cast<pid_t>(child));
  bool opened = false;
  for (const Json &open : opens) {
    opened = opened || open["args"].value("filename", "") == path;
  }
  CHECK(opened);
}

} // namespace vigil::test
