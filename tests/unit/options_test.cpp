// options_test.cpp - the command line's list flags: items separated by
// commas, and an empty item refused with the flag and the item named.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/options.h"

namespace vigil {
namespace {

// StderrCapture - what is written on fd 2 while it lives.
class StderrCapture {
public:
  StderrCapture() {
    std::fflush(stderr);
    char tmpl[] = "/tmp/vigil-stderr-XXXXXX";
    int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    path_ = tmpl;
    saved_ = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~StderrCapture() {
    restore();
    unlink(path_.c_str());
  }

  // text - restores fd 2 and returns what was written on it.
  std::string text() {
    restore();
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

private:
  void restore() {
    if (saved_ < 0)
      return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }

  std::string path_;
  int saved_ = -1;
};

// Parsed - a parse result with what vigil said on stderr.
struct Parsed {
  ParseResult result;
  std::string stderr_text;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "vigil");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  StderrCapture err;
  ParseResult r =
      parse_command_line(static_cast<int>(argv.size()), argv.data());
  return {std::move(r), err.text()};
}

} // namespace

TEST_CASE("cli: an empty item in a list flag is refused, naming the flag "
          "and the item",
          "[cli]") {
  std::string self = std::to_string(getpid());
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"--pid", "1,," + self},
       "vigil: --pid: '1,," + self +
           "' has an empty item (item 2 of 3): separate values with single "
           "commas (see vigil --help)\n"},
      {{"--pid", self + ","},
       "vigil: --pid: '" + self +
           ",' has an empty item (item 2 of 2): separate values with single "
           "commas (see vigil --help)\n"},
      {{"--comm", ",ls"},
       "vigil: --comm: ',ls' has an empty item (item 1 of 2): separate "
       "values with single commas (see vigil --help)\n"},
      {{"--events", "openat,,execve"},
       "vigil: --events: 'openat,,execve' has an empty item (item 2 of 3): "
       "separate values with single commas (see vigil --help)\n"},
      {{"--container", "new,"},
       "vigil: --container: 'new,' has an empty item (item 2 of 2): "
       "separate values with single commas (see vigil --help)\n"},
      {{"--uid", "0,,0"},
       "vigil: --uid: '0,,0' has an empty item (item 2 of 3): separate "
       "values with single commas (see vigil --help)\n"},
      {{"--rules", "a.yaml,,b.yaml"},
       "vigil: --rules: 'a.yaml,,b.yaml' has an empty item (item 2 of 3): "
       "separate values with single commas (see vigil --help)\n"},
      {{"trace", "-p", "1,," + self},
       "vigil: -p: '1,," + self +
           "' has an empty item (item 2 of 3): separate values with single "
           "commas (see vigil trace --help)\n"},
  };
  for (const Case &c : cases) {
    INFO(c.args[0] << " " << c.args.back());
    Parsed p = parse(c.args);
    CHECK_FALSE(p.result.monitor.has_value());
    CHECK_FALSE(p.result.trace.has_value());
    CHECK(p.result.exit_status == 2);
    CHECK(p.stderr_text == c.message);
  }
}

TEST_CASE("cli: list flags take comma-separated and repeated values", "[cli]") {
  std::string self = std::to_string(getpid());
  Parsed p = parse({"--pid", "1," + self, "--comm", "ls", "--comm", "cat,sh",
                    "--events", "openat,execve", "--container"});
  INFO(p.stderr_text);
  REQUIRE(p.result.monitor.has_value());
  const Scope &s = p.result.monitor->capture.scope;
  CHECK(s.pids ==
        std::vector<std::uint32_t>{1, static_cast<std::uint32_t>(getpid())});
  CHECK(s.comms == std::vector<std::string>{"ls", "cat", "sh"});
  CHECK(s.events == std::vector<std::string>{"openat", "execve"});
  CHECK(s.containers.any);
  CHECK(p.stderr_text.empty());

  Parsed t = parse({"trace", "-p", "1," + self});
  INFO(t.stderr_text);
  REQUIRE(t.result.trace.has_value());
  CHECK(t.result.trace->pids ==
        std::vector<std::uint32_t>{1, static_cast<std::uint32_t>(getpid())});
}

TEST_CASE("cli: a lone empty value keeps its own meaning or message", "[cli]") {
  // --container alone, or with an empty value, means any container.
  Parsed any = parse({"--container", ""});
  REQUIRE(any.result.monitor.has_value());
  CHECK(any.result.monitor->capture.scope.containers.any);

  Parsed comm = parse({"--comm", ""});
  CHECK(comm.result.exit_status == 2);
  CHECK(comm.stderr_text == "vigil: --comm: empty name (see vigil --help)\n");
}

TEST_CASE("cli: trace -p names itself in its errors", "[cli]") {
  Parsed p = parse({"trace", "-p", "4194304"});
  CHECK(p.result.exit_status == 2);
  CHECK(p.stderr_text.find("vigil: -p: no process with pid 4194304") == 0);
  Parsed word = parse({"trace", "-p", "x"});
  CHECK(word.stderr_text ==
        "vigil: -p: 'x' is not a whole number (see vigil trace --help)\n");
}

} // namespace vigil

TEST_CASE("cli: vigil trace's flags end at -- or at the command's first "
          "word, and a later -- is the command's",
          "[cli]") {
  using Command = std::vector<std::string>;
  struct Case {
    std::vector<std::string> args;
    Command command;
  };
  const Case cases[] = {
      {{"trace", "-f", "--", "ls", "-la"}, {"ls", "-la"}},
      {{"trace", "ls", "--", "-la"}, {"ls", "--", "-la"}},
      {{"trace", "-e", "trace=openat", "--", "rm", "--", "-f"},
       {"rm", "--", "-f"}},
      {{"trace", "-o", "/dev/null", "-s", "64", "echo", "a", "--", "b"},
       {"echo", "a", "--", "b"}},
      {{"trace", "-y", "-T", "--", "cat", "--", "x"}, {"cat", "--", "x"}},
  };
  for (const Case &c : cases) {
    INFO(c.args.size() << " words ending " << c.args.back());
    vigil::Parsed p = vigil::parse(c.args);
    REQUIRE(p.result.trace.has_value());
    CHECK(p.result.trace->command == c.command);
  }
}

TEST_CASE("cli: vigil trace -e trace= with no name is refused", "[cli]") {
  for (const char *expr : {"trace=", "trace=,,"}) {
    INFO(expr);
    vigil::Parsed p = vigil::parse({"trace", "-e", expr, "--", "true"});
    CHECK_FALSE(p.result.trace.has_value());
    CHECK(p.result.exit_status == 2);
    CHECK(p.stderr_text.find("trace= names no syscall") != std::string::npos);
  }
}

TEST_CASE("cli: vigil trace refuses what strace refuses", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"trace", "-s", "abc", "--", "true"},
       "vigil: -s: 'abc' is not a whole number"},
      {{"trace", "-c", "-C", "--", "true"}, "vigil: -c excludes -C"},
      {{"trace", "--format", "json", "-c", "--", "true"},
       "vigil: --format: the -c and -C table is strace's text only"},
      {{"trace", "-e", "trace=sched_process_fork", "--", "true"},
       "vigil: -e: unknown syscall 'sched_process_fork'"},
  };
  for (const Case &c : cases) {
    INFO(c.args[1] << " " << c.args[2]);
    vigil::Parsed p = vigil::parse(c.args);
    CHECK_FALSE(p.result.trace.has_value());
    CHECK(p.result.exit_status == 2);
    CHECK(p.stderr_text.find(c.message) == 0);
  }
}
