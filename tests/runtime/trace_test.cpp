// trace_test.cpp - vigil trace against real commands: strace's lines,
// the exit status, the in-kernel summary, attaching with -p.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "runtime_test.h"

using namespace vigil::test;

namespace {

std::vector<std::string> read_lines(const std::string &path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::vector<std::string> matching(const std::vector<std::string> &lines,
                                  const std::string &pattern) {
  std::regex re(pattern);
  std::vector<std::string> out;
  for (const auto &l : lines) {
    if (std::regex_search(l, re))
      out.push_back(l);
  }
  return out;
}

// trace - runs vigil trace with flags, output to a file; the lines and the
// exit status.
struct TraceRun {
  std::optional<int> status;
  int signal = 0; // the signal that ended vigil
  std::vector<std::string> lines;
  std::string stderr_text;
};

TraceRun trace(const TempDir &dir, std::vector<std::string> flags,
               const std::vector<std::string> &command) {
  std::string out = dir.file("trace.out");
  std::vector<std::string> args{"trace", "-o", out};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back("--");
  args.insert(args.end(), command.begin(), command.end());
  FinishedRun run = run_vigil_to_exit(args, milliseconds(20000));
  return {run.status, run.signal, read_lines(out), run.stderr_text};
}

} // namespace

TEST_CASE("trace runs the command from its exec and exits with its status",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TraceRun run = trace(dir, {"-s", "256"}, {VT_COUNT, "3", "7"});
  REQUIRE(run.status == 7);
  REQUIRE_FALSE(run.lines.empty());
  INFO(run.stderr_text);
  CHECK(run.lines.front().starts_with("execve(\"" + std::string(VT_COUNT) +
                                      "\", [\"" + VT_COUNT +
                                      "\", \"3\", \"7\"], 0x"));
  CHECK(std::regex_search(run.lines.front(),
                          std::regex(R"(/\* \d+ vars \*/\) = 0$)")));
  CHECK(matching(run.lines, R"(^getppid\(\) +?= \d+$)").size() == 3);
  CHECK(matching(run.lines,
                 R"(^openat\(AT_FDCWD, "/nonexistent/vt-count", O_RDONLY\))"
                 R"( = -1 ENOENT \(No such file or directory\)$)")
            .size() == 1);
  CHECK(matching(run.lines, R"(^exit_group\(7\) += \?$)").size() == 1);
  CHECK(run.lines.back() == "+++ exited with 7 +++");
}

TEST_CASE("trace ends by the signal that killed its command",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TraceRun run = trace(dir, {}, {"/bin/sh", "-c", "kill -TERM $$"});
  INFO(run.stderr_text);
  CHECK_FALSE(run.status);
  CHECK(run.signal == SIGTERM);
  REQUIRE_FALSE(run.lines.empty());
  CHECK(run.lines.back() == "+++ killed by SIGTERM +++");
}

TEST_CASE("trace -c counts every call in the kernel", "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TraceRun run = trace(dir, {"-c"}, {VT_COUNT, "5000", "0"});
  REQUIRE(run.status == 0);
  REQUIRE(run.lines.size() > 4);
  CHECK(run.lines[0] ==
        "% time     seconds  usecs/call     calls    errors syscall");
  CHECK(run.lines[1].starts_with("------ -----------"));
  // No strace lines, only the table.
  CHECK(matching(run.lines, R"(^(execve|getppid)\()").empty());
  auto getppid = matching(run.lines, R"( getppid$)");
  REQUIRE(getppid.size() == 1);
  CHECK(std::regex_search(getppid[0], std::regex(R"( 5000 {11}getppid$)")));
  auto openat = matching(run.lines, R"( openat$)");
  REQUIRE(openat.size() == 1);
  CHECK(std::regex_search(openat[0], std::regex(R"( \d+ +[1-9]\d* openat$)")));
  auto total = matching(run.lines, R"( total$)");
  REQUIRE(total.size() == 1);
  CHECK(total[0].starts_with("100.00"));
}

TEST_CASE("trace -e status=failed shows only failed calls",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TraceRun run =
      trace(dir, {"-e", "trace=openat,getppid", "-e", "status=failed"},
            {VT_COUNT, "3", "0"});
  REQUIRE(run.status == 0);
  CHECK(matching(run.lines, R"(^getppid)").empty());
  CHECK_FALSE(matching(run.lines, R"(/nonexistent/vt-count.*ENOENT)").empty());
  for (const auto &l : run.lines) {
    if (l.starts_with("+++"))
      continue;
    CHECK(l.find(" = -1 E") != std::string::npos);
  }
}

TEST_CASE("trace -T -tt -y add durations, times and descriptor paths",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TraceRun run = trace(dir, {"-T", "-tt", "-y", "-e", "trace=openat,close"},
                       {"/bin/cat", "/etc/hostname"});
  REQUIRE(run.status == 0);
  auto open_host = matching(
      run.lines,
      R"(^\d\d:\d\d:\d\d\.\d{6} openat\(AT_FDCWD<[^>]+>, "/etc/hostname",)"
      R"( O_RDONLY\) = (\d+)</etc/hostname> <\d+\.\d{6}>$)");
  REQUIRE(open_host.size() == 1);
  // -y names the working directory behind AT_FDCWD too.
  CHECK(open_host.front().find(
            "AT_FDCWD<" + std::filesystem::current_path().string() + ">") !=
        std::string::npos);
  CHECK_FALSE(matching(run.lines, R"(close\(\d+</etc/hostname>\))").empty());
}

TEST_CASE("trace reads the same arguments whether it keeps times or not",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // Without -T an event is built at the syscall's exit alone; with it,
  // from its entry and exit. Only addresses (ASLR), -T's durations, the
  // new tid and the random bytes may differ.
  auto normalized = [](const std::vector<std::string> &lines) {
    std::regex address("0x[0-9a-f]+"), duration(R"( <\d+\.\d{6}>$)");
    std::vector<std::string> out;
    for (const auto &l : lines) {
      if (l.starts_with("set_tid_address(") || l.starts_with("getrandom("))
        continue;
      out.push_back(std::regex_replace(std::regex_replace(l, duration, ""),
                                       address, "0x?"));
    }
    return out;
  };
  TempDir plain_dir, timed_dir;
  std::vector<std::string> command{"/bin/cat", "/etc/hostname"};
  TraceRun plain = trace(plain_dir, {"-s", "64"}, command);
  TraceRun timed = trace(timed_dir, {"-s", "64", "-T"}, command);
  REQUIRE(plain.status == 0);
  REQUIRE(timed.status == 0);
  REQUIRE(plain.lines.size() > 10);
  CHECK(normalized(plain.lines) == normalized(timed.lines));
}

TEST_CASE("trace shows the signals taken and the calls that end handlers",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // index_of - the first line at or after from matching pattern, or -1.
  auto index_of = [](const std::vector<std::string> &lines,
                     const std::string &pattern, long from = 0) -> long {
    std::regex re(pattern);
    for (long i = from; i < static_cast<long>(lines.size()); ++i) {
      if (std::regex_search(lines[i], re))
        return i;
    }
    return -1;
  };
  // Each handler's signal line, then the call that ends the handler:
  // plain_return for the SIGUSR1 one, rt_sigreturn for the siginfo one.
  auto check = [&](const char *program, std::vector<std::string> flags,
                   const std::string &plain_return) {
    TempDir dir;
    TraceRun run = trace(dir, flags, {program});
    INFO(program << (flags.empty() ? "" : " -T") << "\n" << run.stderr_text);
    REQUIRE(run.status == 0);
    std::string sender = R"(, si_code=SI_TKILL, si_pid=\d+, si_uid=\d+\} ---$)";
    long usr1 =
        index_of(run.lines, R"(^--- SIGUSR1 \{si_signo=SIGUSR1)" + sender);
    long usr2 =
        index_of(run.lines, R"(^--- SIGUSR2 \{si_signo=SIGUSR2)" + sender);
    REQUIRE(usr1 >= 0);
    REQUIRE(usr2 > usr1);
    long first_return = index_of(run.lines, "^" + plain_return + R"(\()", usr1);
    CHECK(first_return > usr1);
    CHECK(first_return < usr2);
    CHECK(index_of(run.lines, R"(^rt_sigreturn\()", usr2) > usr2);
  };
  // Without times a handler's return is found at its exit alone; with
  // -T from its entry.
  check(VT_SIGNAL, {}, "rt_sigreturn");
  check(VT_SIGNAL, {"-T"}, "rt_sigreturn");
#ifdef VT_SIGNAL32
  // A 32-bit program's plain handler ends in sigreturn, its siginfo
  // handler in rt_sigreturn: told apart at the exit by the frame kind.
  check(VT_SIGNAL32, {}, "sigreturn");
  check(VT_SIGNAL32, {"-T"}, "sigreturn");
#endif
}

TEST_CASE("trace --format json gives the same calls as JSON lines",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  TraceRun run = trace(dir, {"--format", "json", "-e", "trace=getppid"},
                       {VT_COUNT, "4", "0"});
  REQUIRE(run.status == 0);
  std::ostringstream all;
  for (const auto &l : run.lines)
    all << l << "\n";
  OutputLines out = parse_lines(all.str());
  CHECK(out.malformed.empty());
  int getppid = 0;
  for (const auto &ev : out.events) {
    if (ev.value("event", "") == "getppid") {
      ++getppid;
      CHECK(ev["process"]["ppid"] == ev["ret"]);
    }
  }
  CHECK(getppid == 4);
}

TEST_CASE("trace -f follows children and prefixes their pids",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string script = std::string(VT_COUNT) + " 2 0; " + VT_COUNT + " 1 0";
  TraceRun run = trace(dir, {"-f", "-e", "trace=getppid,execve"},
                       {"/bin/sh", "-c", script});
  REQUIRE(run.status == 0);
  // The shell may ask for its own parent too: count the children's calls.
  // With -o, each line starts with its pid in a column, as strace's do.
  REQUIRE_FALSE(run.lines.empty());
  std::smatch shell;
  REQUIRE(std::regex_search(run.lines.front(), shell,
                            std::regex(R"(^(\d+) +execve\()")));
  auto calls = matching(run.lines, R"(^\d+ +getppid\(\) += \d+$)");
  auto children = std::count_if(calls.begin(), calls.end(), [&](auto &l) {
    return !l.starts_with(shell[1].str() + " ");
  });
  CHECK(children == 3);
  CHECK(matching(run.lines, R"(^\d+ +execve\(")").size() == 3);
}

TEST_CASE("trace -p attaches to a running process and ends with it",
          "[runtime][trace]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  pid_t target = fork();
  REQUIRE(target >= 0);
  if (target == 0) {
    // Sleeps first, so that vigil is attached before the calls are made.
    execl(VT_COUNT, VT_COUNT, "10", "0", "1500", static_cast<char *>(nullptr));
    _exit(127);
  }
  std::string out = dir.file("attach.out");
  FinishedRun run;
  std::thread reaper([&] { wait_for_status(target, milliseconds(20000)); });
  run = run_vigil_to_exit(
      {"trace", "-p", std::to_string(target), "-o", out, "-e", "trace=getppid"},
      milliseconds(20000));
  reaper.join();
  INFO(run.stderr_text);
  CHECK(run.status == 0);
  CHECK(matching(read_lines(out), R"(^getppid\(\) += \d+$)").size() == 10);
}

TEST_CASE("trace refuses a missing command and a bad class", "[trace][cli]") {
  FinishedRun none = run_vigil_to_exit({"trace"}, milliseconds(5000));
  CHECK(none.status == 2);
  CHECK(none.stderr_text.find("give a command") != std::string::npos);
  FinishedRun cls =
      run_vigil_to_exit({"trace", "-e", "trace=%nonsense", "--", "/bin/true"},
                        milliseconds(5000));
  CHECK(cls.status == 2);
  CHECK(cls.stderr_text.find("unknown class") != std::string::npos);
  FinishedRun missing = run_vigil_to_exit({"trace", "--", "/no/such/program"},
                                          milliseconds(5000));
  CHECK(missing.status == 1);
  CHECK(missing.stderr_text.find("cannot run /no/such/program") !=
        std::string::npos);
}
