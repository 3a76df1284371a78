// scope_test.cpp - --pid new, --exe, --mntns and --pidns select exactly
// the processes they name, while other processes make the same syscalls
// at the same time, and they combine with the other filters.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// opens_of - the filenames of pid's openat calls.
std::set<std::string> opens_of(const TracedRun &run, pid_t pid) {
  std::set<std::string> paths;
  for (const Json &ev : events_named(run.lines, "openat", pid))
    paths.insert(ev["args"].value("filename", ""));
  return paths;
}

void require_clean_run(const TracedRun &run) {
  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  CHECK(run.lines.malformed.empty());
}

// namespace_of - the inode number of /proc/PID/ns/KIND.
std::string namespace_of(pid_t pid, const std::string &kind) {
  std::string link = std::filesystem::read_symlink(
      "/proc/" + std::to_string(pid) + "/ns/" + kind);
  // "mnt:[4026531841]"
  auto open = link.find('[');
  return link.substr(open + 1, link.size() - open - 2);
}

// Unshared - a sleeper in new namespaces, for programs to join with
// nsenter while it lives.
class Unshared {
public:
  explicit Unshared(std::vector<std::string> unshare_flags) {
    std::vector<std::string> argv = {"/usr/bin/unshare"};
    argv.insert(argv.end(), unshare_flags.begin(), unshare_flags.end());
    for (const char *a : {"--fork", "/bin/sleep", "30"})
      argv.emplace_back(a);
    child_.emplace(argv);
    // The sleeper is unshare's child: wait until it has exec'd.
    for (int i = 0; i < 200 && sleeper_ == 0; ++i) {
      std::ifstream children("/proc/" + std::to_string(child_->pid()) +
                             "/task/" + std::to_string(child_->pid()) +
                             "/children");
      pid_t pid = 0;
      if (children >> pid) {
        std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
        std::string name;
        if (comm >> name && name == "sleep")
          sleeper_ = pid;
      }
      if (sleeper_ == 0)
        std::this_thread::sleep_for(10ms);
    }
  }
  ~Unshared() {
    // unshare waits for its child: end the sleeper first.
    if (sleeper_ != 0)
      kill(sleeper_, SIGKILL);
  }
  Unshared(const Unshared &) = delete;
  Unshared &operator=(const Unshared &) = delete;
  pid_t sleeper() const { return sleeper_; }

private:
  std::optional<Child> child_;
  pid_t sleeper_ = 0;
};

} // namespace

TEST_CASE("pid scope new traces processes started after vigil, not older ones",
          "[runtime][scope]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string old_path = dir.file("started-before");
  std::string new_path = dir.file("started-after");
  // Started before vigil: gated, so it opens its file only later.
  Child before({VT_OPENAT, old_path}, {.gated = true});
  pid_t after_pid = 0;

  TracedRun run = trace_while({"--pid", "new", "--events", "openat"}, [&] {
    before.release();
    CHECK(before.wait_exit_code() == 0);
    Child after({VT_OPENAT, new_path});
    after_pid = after.pid();
    CHECK(after.wait_exit_code() == 0);
  });

  require_clean_run(run);
  CHECK(opens_of(run, after_pid).count(new_path) == 1);
  CHECK(events_named(run.lines, "openat", before.pid()).empty());
}

TEST_CASE("an exe scope traces the processes of one executable, found by "
          "its real path, and a comm filter narrows it",
          "[runtime][scope]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string link = dir.file("openat-link");
  std::filesystem::create_symlink(VT_OPENAT, link);
  std::string path = dir.file("exe-scope");
  // Running before vigil starts: found in /proc at start-up.
  Child early({VT_OPENAT, dir.file("early")}, {.gated = true});
  pid_t pid = 0, other = 0;

  TracedRun run = trace_while({"--exe", link, "--events", "openat"}, [&] {
    early.release();
    CHECK(early.wait_exit_code() == 0);
    Child child({VT_OPENAT, path});
    Child enoent({VT_ENOENT, dir.file("enoent")});
    pid = child.pid();
    other = enoent.pid();
    CHECK(child.wait_exit_code() == 0);
    enoent.wait();
  });

  require_clean_run(run);
  CHECK(opens_of(run, pid).count(path) == 1);
  CHECK(opens_of(run, early.pid()).count(dir.file("early")) == 1);
  CHECK(events_named(run.lines, "openat", other).empty());
  for (const Json &ev : run.lines.events)
    CHECK(ev["process"].value("comm", "") == "vt-openat");

  // Both must hold: the exe matches, the name does not.
  TracedRun none = trace_while(
      {"--exe", VT_OPENAT, "--comm", "vt-enoent", "--events", "openat"}, [&] {
        Child child({VT_OPENAT, path});
        CHECK(child.wait_exit_code() == 0);
      });
  require_clean_run(none);
  CHECK(none.lines.events.empty());
}

TEST_CASE("an exe scope of a path that does not exist yet is warned about "
          "and traces the program once it is there",
          "[runtime][scope]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  namespace fs = std::filesystem;
  TempDir dir;
  std::string later = (fs::canonical(dir.path()) / "later").string();
  std::string path = dir.file("exe-later");
  pid_t pid = 0;

  TracedRun run = trace_while({"--exe", later, "--events", "openat"}, [&] {
    fs::copy_file(VT_OPENAT, later);
    fs::permissions(later, fs::perms::owner_all);
    Child child({later, path});
    pid = child.pid();
    CHECK(child.wait_exit_code() == 0);
  });

  require_clean_run(run);
  CHECK(run.stderr_text.find("warning: --exe " + later +
                             ": No such file or directory; it is traced "
                             "once a program runs from it\n") !=
        std::string::npos);
  CHECK(opens_of(run, pid).count(path) == 1);
}

TEST_CASE("mntns and pidns scopes trace only processes in those namespaces",
          "[runtime][scope]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  Unshared ns({"--mount", "--pid", "--mount-proc"});
  REQUIRE(ns.sleeper() != 0);
  std::string mntns = namespace_of(ns.sleeper(), "mnt");
  std::string pidns = namespace_of(ns.sleeper(), "pid");
  REQUIRE(mntns != namespace_of(getpid(), "mnt"));
  std::string inside = dir.file("inside"), outside = dir.file("outside");
  auto run_both = [&](pid_t &in_pid, pid_t &out_pid) {
    Child in({"/usr/bin/nsenter", "-t", std::to_string(ns.sleeper()), "-m",
              "-p", "--", VT_OPENAT, inside});
    Child out({VT_OPENAT, outside});
    in_pid = in.pid();
    out_pid = out.pid();
    CHECK(in.wait_exit_code() == 0);
    CHECK(out.wait_exit_code() == 0);
  };

  for (const std::vector<std::string> &flags :
       {std::vector<std::string>{"--mntns", mntns},
        std::vector<std::string>{"--pidns", pidns}}) {
    INFO(flags[0] << " " << flags[1]);
    std::vector<std::string> all = flags;
    for (const char *f : {"--comm", "vt-openat", "--events", "openat"})
      all.emplace_back(f);
    pid_t in_pid = 0, out_pid = 0;
    TracedRun run = trace_while(all, [&] { run_both(in_pid, out_pid); });
    require_clean_run(run);
    // nsenter forks into the pid namespace: the opener is its child.
    std::set<std::string> paths;
    for (const Json &ev : run.lines.events)
      paths.insert(ev["args"].value("filename", ""));
    CHECK(paths.count(inside) == 1);
    CHECK(paths.count(outside) == 0);
    CHECK(events_named(run.lines, "openat", out_pid).empty());
    for (const Json &ev : run.lines.events) {
      CHECK(std::to_string(ev["process"].value("mntns", 0ull)) == mntns);
      CHECK(std::to_string(ev["process"].value("pidns", 0ull)) == pidns);
    }
  }
}

} // namespace vigil::test
