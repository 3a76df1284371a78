// syscall_events_test.cpp - real syscalls made by the test programs, each
// event checked field by field against the true value.
#include <fcntl.h>

#include <string>

#include "runtime_test.h"

namespace vigil::test {
namespace {

// find_open - the one openat event of pid for filename (a JSON null
// matches an unreadable filename).
std::optional<Json> find_open(const TracedRun &run, pid_t pid,
                              const Json &filename) {
  std::optional<Json> found;
  for (const Json &ev : events_named(run.lines, "openat", pid)) {
    if (!ev.contains("args") ||
        ev["args"].value("filename", Json()) != filename) {
      continue;
    }
    CHECK_FALSE(found.has_value());
    found = ev;
  }
  return found;
}

void check_run_ended_well(const TracedRun &run) {
  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  CHECK(run.lines.malformed.empty());
}

} // namespace

TEST_CASE("openat that creates a file is traced with every field true",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("created-by-vt-openat");
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while({"--comm", "vt-openat"}, [&] {
    Child child({VT_OPENAT, path}, {.cpu = cpu});
    pid = child.pid();
    exit_code = child.wait_exit_code();
  });

  check_run_ended_well(run);
  REQUIRE(exit_code == 0);
  std::optional<Json> ev = find_open(run, pid, path);
  REQUIRE(ev.has_value());
  INFO("event: " << ev->dump());
  check_event_keys(*ev, {"time", "event", "abi", "nr", "cpu", "process", "args",
                         "ret", "duration_ns"});
  check_syscall_header(*ev, "openat", 257, cpu);
  check_process(*ev, expected_child(pid, "vt-openat"));
  check_time(*ev, run);
  check_duration(*ev);

  const Json &args = (*ev)["args"];
  check_keys(args, {"dfd", "filename", "flags", "mode"});
  CHECK(args["dfd"] == "AT_FDCWD");
  CHECK(args.value("filename", "") == path);
  CHECK(args["flags"] == "O_RDONLY|O_CREAT");
  CHECK(args["mode"] == "0640");
  REQUIRE((*ev)["ret"].is_number_integer());
  std::int64_t fd = (*ev)["ret"];
  CHECK(fd >= 3);

  // The program closes exactly the descriptor the kernel returned.
  bool closed = false;
  for (const Json &close : events_named(run.lines, "close", pid)) {
    if (close["args"].value("fd", -1) == fd) {
      closed = true;
      check_syscall_header(close, "close", 3, cpu);
      CHECK(close.value("ret", -1) == 0);
    }
  }
  CHECK(closed);
}

TEST_CASE("openat of a missing path reports ret -2 and errno ENOENT",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("does-not-exist");
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while({"--comm", "vt-enoent"}, [&] {
    Child child({VT_ENOENT, path}, {.cpu = cpu});
    pid = child.pid();
    exit_code = child.wait_exit_code();
  });

  check_run_ended_well(run);
  REQUIRE(exit_code == 0);
  std::optional<Json> ev = find_open(run, pid, path);
  REQUIRE(ev.has_value());
  INFO("event: " << ev->dump());
  check_event_keys(*ev, {"time", "event", "abi", "nr", "cpu", "process", "args",
                         "ret", "errno", "duration_ns"});
  check_syscall_header(*ev, "openat", 257, cpu);
  check_process(*ev, expected_child(pid, "vt-enoent"));
  check_time(*ev, run);
  check_duration(*ev);

  const Json &args = (*ev)["args"];
  check_keys(args, {"dfd", "filename", "flags", "mode"});
  CHECK(args["dfd"] == "AT_FDCWD");
  CHECK(args["flags"] == "O_RDONLY");
  CHECK(args["mode"] == "000");
  CHECK(ev->value("ret", 0) == -2);
  CHECK(ev->value("errno", "") == "ENOENT");
}

TEST_CASE("openat of a bad pointer marks filename unreadable and EFAULT",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while({"--comm", "vt-badptr"}, [&] {
    Child child({VT_BADPTR}, {.cpu = cpu});
    pid = child.pid();
    exit_code = child.wait_exit_code();
  });

  check_run_ended_well(run);
  REQUIRE(exit_code == 0);
  std::optional<Json> ev = find_open(run, pid, Json());
  REQUIRE(ev.has_value());
  INFO("event: " << ev->dump());
  check_event_keys(*ev, {"time", "event", "abi", "nr", "cpu", "process", "args",
                         "ret", "errno", "duration_ns", "unreadable"});
  check_syscall_header(*ev, "openat", 257, cpu);
  check_process(*ev, expected_child(pid, "vt-badptr"));
  check_time(*ev, run);
  check_duration(*ev);

  const Json &args = (*ev)["args"];
  check_keys(args, {"dfd", "filename", "flags", "mode"});
  CHECK(args["dfd"] == "AT_FDCWD");
  CHECK(args["filename"].is_null());
  CHECK(args["flags"] == "O_RDONLY");
  CHECK(args["mode"] == "000");
  CHECK(ev->value("ret", 0) == -14);
  CHECK(ev->value("errno", "") == "EFAULT");
  CHECK((*ev)["unreadable"] == Json::array({"filename"}));
}

TEST_CASE("a path longer than --string-max keeps its prefix, truncated",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file(std::string(120, 'L') + "-end");
  std::string prefix = path.substr(0, 64);
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run =
      trace_while({"--comm", "vt-longpath", "--string-max", "64"}, [&] {
        Child child({VT_LONGPATH, path}, {.cpu = cpu});
        pid = child.pid();
        exit_code = child.wait_exit_code();
      });

  check_run_ended_well(run);
  REQUIRE(exit_code == 0);
  std::optional<Json> ev = find_open(run, pid, prefix);
  REQUIRE(ev.has_value());
  INFO("event: " << ev->dump());
  check_event_keys(*ev, {"time", "event", "abi", "nr", "cpu", "process", "args",
                         "ret", "duration_ns", "truncated"});
  check_syscall_header(*ev, "openat", 257, cpu);
  check_process(*ev, expected_child(pid, "vt-longpath"));
  check_duration(*ev);
  CHECK((*ev)["args"].value("filename", "").size() == 64);
  CHECK((*ev)["args"]["flags"] == "O_RDONLY|O_CREAT");
  CHECK((*ev)["truncated"] == Json::array({"filename"}));
  CHECK(ev->value("ret", -1) >= 3);
}

TEST_CASE("a path of exactly --string-max bytes is kept whole",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("");
  path += std::string(64 - path.size(), 'E');
  REQUIRE(path.size() == 64);
  pid_t pid = 0;

  TracedRun run =
      trace_while({"--comm", "vt-longpath", "--string-max", "64"}, [&] {
        Child child({VT_LONGPATH, path});
        pid = child.pid();
        CHECK(child.wait_exit_code() == 0);
      });

  check_run_ended_well(run);
  std::optional<Json> ev = find_open(run, pid, path);
  REQUIRE(ev.has_value());
  INFO("event: " << ev->dump());
  CHECK_FALSE(ev->contains("truncated"));
}

TEST_CASE("execve is traced with its filename and exact argv",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  const std::string self = VT_EXECVE;
  // Spaces, an empty string and characters JSON must escape.
  const std::vector<std::string> image_argv{
      self,        "--exit", "42",
      "two words", "",       "tab\there \"quoted\" \\ \xc3\xa9"};
  std::vector<std::string> child_argv{self, self};
  child_argv.insert(child_argv.end(), image_argv.begin(), image_argv.end());
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while({"--comm", "vt-execve"}, [&] {
    Child child(child_argv, {.cpu = cpu});
    pid = child.pid();
    exit_code = child.wait_exit_code();
  });

  check_run_ended_well(run);
  REQUIRE(exit_code == 42);
  // Two execs: this test's child becoming vt-execve, then vt-execve
  // replacing itself with the argv under test.
  std::vector<Json> execs = events_named(run.lines, "execve", pid);
  REQUIRE(execs.size() == 2);
  const Json &first = execs[0];
  CHECK(first["args"].value("filename", "") == self);
  CHECK(first["args"]["argv"] == Json(child_argv));

  const Json &ev = execs[1];
  INFO("event: " << ev.dump());
  check_event_keys(ev, {"time", "event", "abi", "nr", "cpu", "process", "args",
                        "ret", "duration_ns"});
  check_syscall_header(ev, "execve", 59, cpu);
  check_process(ev, expected_child(pid, "vt-execve"));
  check_time(ev, run);
  check_duration(ev);
  const Json &args = ev["args"];
  check_keys(args, {"filename", "argv", "envp"});
  CHECK(args.value("filename", "") == self);
  CHECK(args["argv"] == Json(image_argv));
  CHECK(args["envp"].is_number_unsigned());
  CHECK(args.value("envp", 0ull) != 0);
  CHECK(ev.value("ret", -1) == 0);
}

TEST_CASE("argv elements keep --string-max bytes each, cut ones marked",
          "[runtime][syscall]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  const std::string self = VT_EXECVE;
  const std::string exact(16, 'x');
  const std::string longer = "longer-than-sixteen-bytes";
  pid_t pid = 0;

  TracedRun run = trace_while(
      {"--comm", "vt-execve", "--events", "execve", "--string-max", "16"}, [&] {
        Child child({self, self, "short", "--exit", "0", exact, longer});
        pid = child.pid();
        CHECK(child.wait_exit_code() == 0);
      });

  check_run_ended_well(run);
  std::vector<Json> execs = events_named(run.lines, "execve", pid);
  REQUIRE(execs.size() == 2);
  const Json &ev = execs[1];
  INFO("event: " << ev.dump());
  CHECK(ev["args"].value("filename", "") == self.substr(0, 16));
  const Json &argv = ev["args"]["argv"];
  REQUIRE(argv.is_array());
  REQUIRE(argv.size() >= 5);
  CHECK(argv[0] == "short");
  CHECK(argv[1] == "--exit");
  CHECK(argv[2] == "0");
  CHECK(argv[3] == exact);
  CHECK(argv[4] == longer.substr(0, 16));
  REQUIRE(ev.contains("truncated"));
  std::set<std::string> cut = ev["truncated"];
  CHECK(cut == std::set<std::string>{"filename", "argv"});
}

} // namespace vigil::test
