// context_test.cpp - the process context of events under churn: a
// process that execs and exits at once, an exec from a thread that is not
// the group leader, a parent that dies, a reused pid, and a name longer
// than the kernel's 15 characters. Each checks the exact fields.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

void require_clean_run(const TracedRun &run) {
  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  CHECK(run.lines.malformed.empty());
}

std::string real(const std::string &path) {
  return std::filesystem::canonical(path).string();
}

// opens_of_file - pid's openat events of path.
std::vector<Json> opens_of_file(const TracedRun &run, const std::string &path) {
  std::vector<Json> found;
  for (const Json &ev : run.lines.events) {
    if (ev.value("event", "") == "openat" &&
        ev["args"].value("filename", "") == path) {
      found.push_back(ev);
    }
  }
  return found;
}

} // namespace

TEST_CASE("a process that execs and exits at once has its full context",
          "[runtime][context]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t forker = 0;
  TracedRun run = trace_while(
      {"--comm", "true", "--events", "exit_group,sched_process_exit"}, [&] {
        Child child({VT_FORKER, "/bin/true"});
        forker = child.pid();
        CHECK(child.wait_exit_code() == 0);
        std::this_thread::sleep_for(100ms);
      });
  require_clean_run(run);

  std::vector<Json> exits;
  for (const Json &ev : run.lines.events) {
    if (ev["process"].value("ppid", 0) == forker)
      exits.push_back(ev);
  }
  REQUIRE(exits.size() == 2); // exit_group, then sched_process_exit
  for (const Json &ev : exits) {
    INFO("event: " << ev.dump());
    const Json &p = ev["process"];
    CHECK(p.value("comm", "") == "true");
    CHECK(p.value("exe", "") == real("/bin/true"));
    CHECK(p.value("cmdline", "") == "/bin/true");
    CHECK(p["parent"].value("pid", 0) == forker);
    CHECK(p["parent"].value("exe", "") == VT_FORKER);
    CHECK(p["parent"].value("comm", "") == "vt-forker");
    REQUIRE(p["ancestors"].is_array());
    CHECK(p["ancestors"][0].value("pid", 0) == forker);
    CHECK(p["ancestors"][1].value("pid", 0) == getpid());
  }
}

TEST_CASE("an exec from a thread that is not the group leader keeps the "
          "process and shows the new image",
          "[runtime][context]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("after-thread-exec");
  pid_t pid = 0;
  TracedRun run = trace_while(
      {"--comm", "vt-churn,vt-openat", "--events", "openat,sched_process_exec"},
      [&] {
        Child child({VT_CHURN, "thread-exec", VT_OPENAT, path});
        pid = child.pid();
        CHECK(child.wait_exit_code() == 0);
        std::this_thread::sleep_for(100ms);
      });
  require_clean_run(run);

  std::vector<Json> execs = events_named(run.lines, "sched_process_exec", pid);
  std::vector<Json> thread_execs;
  for (const Json &ev : execs) {
    if (ev["args"].value("filename", "") == VT_OPENAT)
      thread_execs.push_back(ev);
  }
  REQUIRE(thread_execs.size() == 1);
  const Json &exec = thread_execs[0];
  INFO("exec: " << exec.dump());
  // The exec came from the second thread: its tid was not the pid.
  CHECK(exec["args"].value("old_pid", 0) != pid);
  CHECK(exec["process"].value("pid", 0) == pid);
  CHECK(exec["process"].value("tid", 0) == pid);

  std::vector<Json> opens = opens_of_file(run, path);
  REQUIRE(opens.size() == 1);
  const Json &p = opens[0]["process"];
  INFO("open: " << opens[0].dump());
  CHECK(p.value("pid", 0) == pid);
  CHECK(p.value("comm", "") == "vt-openat");
  CHECK(p.value("exe", "") == VT_OPENAT);
  CHECK(p.value("cmdline", "") == std::string(VT_OPENAT) + " " + path);
  CHECK(p["parent"].value("pid", 0) == getpid());
}

TEST_CASE("a process whose parent died shows the subreaper that adopted it",
          "[runtime][context]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("orphan");
  pid_t reaper = 0;
  TracedRun run =
      trace_while({"--comm", "vt-churn", "--events", "openat"}, [&] {
        Child child({VT_CHURN, "orphan", path});
        reaper = child.pid();
        CHECK(child.wait_exit_code() == 0);
      });
  require_clean_run(run);

  std::vector<Json> opens = opens_of_file(run, path);
  REQUIRE(opens.size() == 1);
  INFO("open: " << opens[0].dump());
  const Json &p = opens[0]["process"];
  CHECK(p.value("ppid", 0) == reaper);
  CHECK(p["parent"].value("pid", 0) == reaper);
  CHECK(p["parent"].value("comm", "") == "vt-churn");
  CHECK(p["ancestors"][0].value("pid", 0) == reaper);
  CHECK(p["ancestors"][1].value("pid", 0) == getpid());
}

TEST_CASE("a reused pid is the new process, not the old one",
          "[runtime][context]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("reused-pid");
  std::string pid_file = dir.file("pid");
  std::ofstream(pid_file).close(); // the child's stdout
  TracedRun run = trace_while({"--events", "openat,sched_process_exec"}, [&] {
    SpawnOptions opts;
    opts.stdout_path = pid_file;
    Child child({VT_CHURN, "reuse", "/bin/true", VT_OPENAT, path}, opts);
    CHECK(child.wait_exit_code() == 0);
    std::this_thread::sleep_for(100ms);
  });
  require_clean_run(run);
  pid_t pid = 0;
  std::ifstream(pid_file) >> pid;
  REQUIRE(pid != 0);

  // Both lives of the pid were seen: first /bin/true, then vt-openat.
  std::vector<std::string> images;
  for (const Json &ev : events_named(run.lines, "sched_process_exec", pid))
    images.push_back(ev["args"].value("filename", ""));
  CHECK(images == std::vector<std::string>{"/bin/true", VT_OPENAT});
  std::vector<Json> opens = opens_of_file(run, path);
  REQUIRE(opens.size() == 1);
  INFO("open: " << opens[0].dump());
  const Json &p = opens[0]["process"];
  CHECK(p.value("pid", 0) == pid);
  CHECK(p.value("comm", "") == "vt-openat");
  CHECK(p.value("exe", "") == VT_OPENAT);
  CHECK(p.value("cmdline", "") == std::string(VT_OPENAT) + " " + path);
}

TEST_CASE("a name longer than 15 characters is whole in exe and cmdline",
          "[runtime][context]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string program = dir.file("vt-a-program-with-a-long-name");
  std::filesystem::copy_file(VT_OPENAT, program);
  std::filesystem::permissions(program, std::filesystem::perms::owner_all);
  std::string path = dir.file("long-name");
  TracedRun run =
      trace_while({"--comm", "vt-a-program-wi", "--events", "openat"}, [&] {
        Child child({program, path});
        CHECK(child.wait_exit_code() == 0);
      });
  require_clean_run(run);

  std::vector<Json> opens = opens_of_file(run, path);
  REQUIRE(opens.size() == 1);
  INFO("open: " << opens[0].dump());
  const Json &p = opens[0]["process"];
  CHECK(p.value("comm", "") == "vt-a-program-wi");
  CHECK(p.value("exe", "") == program);
  CHECK(p.value("cmdline", "") == program + " " + path);
}

} // namespace vigil::test
