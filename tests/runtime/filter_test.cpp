// filter_test.cpp - --comm, --pid, --uid, --events and --follow select
// exactly the processes and events they name, while unrelated processes
// make the same syscalls at the same time.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

// Noise - a vt-noise process for the length of a test.
class Noise {
public:
  explicit Noise(const TempDir &dir)
      : child_({VT_NOISE, dir.file("noise"), dir.file("noise-missing")}) {}
  ~Noise() { child_.terminate(); }
  pid_t pid() const { return child_.pid(); }

private:
  Child child_;
};

bool has_open_of(const TracedRun &run, pid_t pid, const std::string &path) {
  for (const Json &ev : events_named(run.lines, "openat", pid)) {
    if (ev["args"].value("filename", "") == path)
      return true;
  }
  return false;
}

void require_clean_run(const TracedRun &run) {
  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  CHECK(run.lines.malformed.empty());
}

} // namespace

TEST_CASE("a comm filter leaves out a concurrent process with the same calls",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("comm-filter");
  Noise noise(dir);
  pid_t pid = 0;

  // A second vigil watches the noise, proving it was busy all along.
  VigilProcess noise_watch({"--comm", "vt-noise", "--events", "openat"});
  REQUIRE(noise_watch.wait_ready());
  TracedRun run = trace_while({"--comm", "vt-openat"}, [&] {
    Child child({VT_OPENAT, path});
    pid = child.pid();
    CHECK(child.wait_exit_code() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  });
  CHECK(noise_watch.stop() == 0);

  require_clean_run(run);
  CHECK(has_open_of(run, pid, path));
  CHECK(pids_seen(run.lines) == std::set<std::int64_t>{pid});
  CHECK(pids_seen(run.lines).count(noise.pid()) == 0);
  OutputLines noise_lines = noise_watch.output();
  CHECK(pids_seen(noise_lines) == std::set<std::int64_t>{noise.pid()});
  CHECK(noise_lines.events.size() >= 10);
}

TEST_CASE("an events filter of openat emits openat events and nothing else",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("events-filter");
  pid_t pid = 0;

  TracedRun run =
      trace_while({"--comm", "vt-openat", "--events", "openat"}, [&] {
        Child child({VT_OPENAT, path});
        pid = child.pid();
        CHECK(child.wait_exit_code() == 0);
      });

  require_clean_run(run);
  CHECK(has_open_of(run, pid, path));
  for (const Json &ev : run.lines.events) {
    INFO("event: " << ev.dump());
    CHECK(ev.value("event", "") == "openat");
  }
}

TEST_CASE("an events filter with a process event emits only those kinds",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  pid_t pid = 0;

  TracedRun run = trace_while(
      {"--comm", "vt-enoent", "--events", "sched_process_exit,close"}, [&] {
        Child child({VT_ENOENT, dir.file("missing")});
        pid = child.pid();
        CHECK(child.wait_exit_code() == 0);
      });

  require_clean_run(run);
  CHECK(events_named(run.lines, "sched_process_exit", pid).size() == 1);
  CHECK(!events_named(run.lines, "close", pid).empty());
  for (const Json &ev : run.lines.events) {
    INFO("event: " << ev.dump());
    std::string name = ev.value("event", "");
    CHECK((name == "sched_process_exit" || name == "close"));
  }
}

TEST_CASE("a pid filter traces that process only, not its same-named twin",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("pid-filter");
  std::string other_path = dir.file("pid-filter-other");
  Noise noise(dir);
  Child child({VT_OPENAT, path}, {.gated = true});
  pid_t other = 0;

  TracedRun run = trace_while({"--pid", std::to_string(child.pid())}, [&] {
    Child twin({VT_OPENAT, other_path});
    other = twin.pid();
    child.release();
    CHECK(child.wait_exit_code() == 0);
    CHECK(twin.wait_exit_code() == 0);
  });

  require_clean_run(run);
  CHECK(has_open_of(run, child.pid(), path));
  CHECK(pids_seen(run.lines) == std::set<std::int64_t>{child.pid()});
  CHECK_FALSE(has_open_of(run, other, other_path));
}

TEST_CASE("a uid filter traces only processes running as that user",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  const int nobody = 65534;
  TempDir dir;
  std::string shared = dir.file("shared");
  REQUIRE(mkdir(shared.c_str(), 0777) == 0);
  REQUIRE(chmod(shared.c_str(), 0777) == 0);
  REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
  std::string path = shared + "/opened-as-nobody";
  std::string root_path = shared + "/opened-as-root";
  int cpu = last_allowed_cpu();
  pid_t pid = 0;
  pid_t root_pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while(
      {"--uid", std::to_string(nobody), "--comm", "vt-openat"}, [&] {
        Child as_root({VT_OPENAT, root_path});
        root_pid = as_root.pid();
        Child child({VT_OPENAT, path},
                    {.cpu = cpu, .uid = nobody, .gid = nobody});
        pid = child.pid();
        exit_code = child.wait_exit_code();
        CHECK(as_root.wait_exit_code() == 0);
      });

  require_clean_run(run);
  if (exit_code == 126 || exit_code == 127) {
    WARN("skipped: uid " << nobody << " cannot run " << VT_OPENAT);
    return;
  }
  REQUIRE(exit_code == 0);
  CHECK(pids_seen(run.lines) == std::set<std::int64_t>{pid});
  std::vector<Json> opens = events_named(run.lines, "openat", pid);
  std::optional<Json> ev;
  for (const Json &open : opens) {
    if (open["args"].value("filename", "") == path)
      ev = open;
  }
  REQUIRE(ev.has_value());
  ExpectedProcess want = expected_child(pid, "vt-openat");
  want.uid = nobody;
  want.gid = nobody;
  check_process(*ev, want);
  check_syscall_header(*ev, "openat", 257, cpu);
  CHECK(ev->value("ret", -1) >= 3);
}

TEST_CASE("follow traces a child of a matched process with another comm",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("follow");
  int cpu = last_allowed_cpu();
  pid_t forker_pid = 0;

  TracedRun run = trace_while({"--comm", "vt-forker", "--follow"}, [&] {
    Child forker({VT_FORKER, VT_OPENAT, path}, {.cpu = cpu});
    forker_pid = forker.pid();
    CHECK(forker.wait_exit_code() == 0);
  });

  require_clean_run(run);
  std::set<std::int64_t> pids = pids_seen(run.lines);
  pids.erase(forker_pid);
  REQUIRE(pids.size() == 1);
  auto child = static_cast<pid_t>(*pids.begin());

  std::optional<Json> ev;
  for (const Json &open : events_named(run.lines, "openat", child)) {
    if (open["args"].value("filename", "") == path)
      ev = open;
  }
  REQUIRE(ev.has_value());
  INFO("event: " << ev->dump());
  ExpectedProcess want = expected_child(child, "vt-openat");
  want.ppid = forker_pid;
  check_process(*ev, want);
  check_syscall_header(*ev, "openat", 257, cpu);
  check_time(*ev, run);
  check_duration(*ev);
  CHECK((*ev)["args"]["flags"] == "O_RDONLY|O_CREAT");
  CHECK(ev->value("ret", -1) >= 3);

  std::vector<Json> exits =
      events_named(run.lines, "sched_process_exit", child);
  REQUIRE(exits.size() == 1);
  CHECK(exits[0]["process"].value("comm", "") == "vt-openat");
  CHECK(exits[0]["args"].value("exit_code", -1) == 0);
}

TEST_CASE("without follow a child with another comm is not traced",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string path = dir.file("no-follow");
  pid_t forker_pid = 0;

  TracedRun run = trace_while({"--comm", "vt-forker"}, [&] {
    Child forker({VT_FORKER, VT_OPENAT, path});
    forker_pid = forker.pid();
    CHECK(forker.wait_exit_code() == 0);
  });

  require_clean_run(run);
  CHECK(std::filesystem::exists(path));
  CHECK(events_named(run.lines, "sched_process_fork", forker_pid).size() == 1);
  // The child is vt-forker until its exec, and nothing of it after but
  // the exec itself: it was made by vt-forker, reported with the new name.
  int execs = 0;
  for (const Json &ev : run.lines.events) {
    INFO("event: " << ev.dump());
    if (ev.value("event", "") == "execve" &&
        ev["args"].value("filename", "") == VT_OPENAT) {
      ++execs;
      CHECK(ev["process"].value("comm", "") == "vt-openat");
      continue;
    }
    CHECK(ev["process"].value("comm", "") == "vt-forker");
    if (ev.value("event", "") == "openat") {
      CHECK(ev["args"].value("filename", "") != path);
    }
  }
  CHECK(execs == 1);
}

TEST_CASE("cgroup_id is the inode of the process's cgroup v2 directory",
          "[runtime][filter]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::optional<std::string> mount = cgroup2_mount();
  if (!mount) {
    WARN("skipped: no cgroup v2 hierarchy is mounted");
    return;
  }
  std::string group = *mount + "/vigil-rt-" + std::to_string(getpid());
  if (mkdir(group.c_str(), 0755) != 0) {
    WARN("skipped: cannot create cgroup " << group << ": "
                                          << std::strerror(errno));
    return;
  }
  std::uint64_t id = inode_of(group);
  TempDir dir;
  std::string path = dir.file("in-cgroup");
  pid_t pid = 0;
  int exit_code = -1;

  TracedRun run = trace_while({"--comm", "vt-openat"}, [&] {
    Child child({VT_OPENAT, path}, {.cgroup_procs = group + "/cgroup.procs"});
    pid = child.pid();
    exit_code = child.wait_exit_code();
  });
  rmdir(group.c_str());

  require_clean_run(run);
  REQUIRE(exit_code == 0);
  REQUIRE(id > 1);
  std::vector<Json> opens = events_named(run.lines, "openat", pid);
  REQUIRE_FALSE(opens.empty());
  for (const Json &ev : opens) {
    INFO("event: " << ev.dump());
    CHECK(ev["process"].value("cgroup_id", 0ull) == id);
  }
}

} // namespace vigil::test
