#include "format/event_formatter.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "event_builder.h"

using vigil::EventSchema;
using vigil::OutputFormat;
using vigil::RawEvent;
using vigil::WallClock;
using vigil::test::EventBuilder;

namespace {

const EventSchema &schema() {
  static const EventSchema s;
  return s;
}

std::string format(const EventBuilder &b, OutputFormat f) {
  static const WallClock clock;
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  std::string out;
  vigil::make_formatter(f, schema(), clock)
      ->format(*ev, vigil::EventContext{}, out);
  return out;
}

nlohmann::json to_json(const EventBuilder &b) {
  std::string line = format(b, OutputFormat::kJson);
  REQUIRE(line.back() == '\n');
  REQUIRE(line.find('\n') == line.size() - 1);
  return nlohmann::json::parse(line);
}

constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(-100);

} // namespace

TEST_CASE("an openat event has every fixed field", "[format]") {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).arg(1, 0x7fff0000).arg(2, 0x80000).arg(3, 0).ret(3);
  b.item(1, "/etc/ld.so.cache", VIGIL_ITEM_STRING);
  nlohmann::json j = to_json(b);

  CHECK(j["event"] == "openat");
  CHECK(j["abi"] == "x86_64");
  CHECK(j["nr"] == 257);
  CHECK(j["cpu"] == 1);
  CHECK(j["process"]["pid"] == 100);
  CHECK(j["process"]["tid"] == 101);
  CHECK(j["process"]["ppid"] == 1);
  CHECK(j["process"]["comm"] == "ls");
  CHECK(j["process"]["uid"] == 1000);
  CHECK(j["process"]["gid"] == 1000);
  CHECK(j["process"]["pidns"] == 4026531836u);
  CHECK(j["process"]["mntns"] == 4026531832u);
  CHECK(j["process"]["cgroup_id"] == 1);
  CHECK(j["args"]["dfd"] == "AT_FDCWD");
  CHECK(j["args"]["filename"] == "/etc/ld.so.cache");
  CHECK(j["args"]["flags"] == "O_RDONLY|O_CLOEXEC");
  CHECK(j["args"]["mode"] == "000");
  CHECK(j["ret"] == 3);
  CHECK(j["duration_ns"] == 2500);
  CHECK_FALSE(j.contains("errno"));
  CHECK_FALSE(j.contains("truncated"));
  std::string time = j["time"];
  CHECK(time.size() == 30);
  CHECK(time[10] == 'T');
  CHECK(time.back() == 'Z');
}

TEST_CASE("a failed syscall carries its errno name", "[format]") {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).ret(-2).item(1, "/nope", VIGIL_ITEM_STRING);
  nlohmann::json j = to_json(b);
  CHECK(j["ret"] == -2);
  CHECK(j["errno"] == "ENOENT");
}

TEST_CASE("execve shows filename and argv, envp stays a pointer", "[format]") {
  EventBuilder b(59);
  b.arg(0, 0x1000).arg(1, 0x2000).arg(2, 0x3000).ret(0);
  b.item(0, "/bin/ls", VIGIL_ITEM_STRING);
  b.item(1, std::string_view("ls\0-la\0/tmp\0", 12), VIGIL_ITEM_ARGV);
  nlohmann::json j = to_json(b);
  CHECK(j["args"]["filename"] == "/bin/ls");
  CHECK(j["args"]["argv"] == nlohmann::json::array({"ls", "-la", "/tmp"}));
  CHECK(j["args"]["envp"] == 0x3000);
}

TEST_CASE("cut and unreadable captures are named, never silently empty",
          "[format]") {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).arg(1, 1).ret(-14);
  b.item(1, "", VIGIL_ITEM_STRING | VIGIL_ITEM_FAULT);
  nlohmann::json bad = to_json(b);
  CHECK(bad["args"]["filename"].is_null());
  CHECK(bad["unreadable"] == nlohmann::json::array({"filename"}));
  CHECK(bad["errno"] == "EFAULT");

  EventBuilder c(257);
  c.arg(0, kAtFdcwd).arg(1, 0x1000).ret(3);
  c.item(1, "/very/long", VIGIL_ITEM_STRING | VIGIL_ITEM_TRUNCATED);
  nlohmann::json cut = to_json(c);
  CHECK(cut["args"]["filename"] == "/very/long");
  CHECK(cut["truncated"] == nlohmann::json::array({"filename"}));
}

TEST_CASE("captured strings with any bytes give valid JSON", "[format]") {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).ret(3);
  b.item(1, std::string_view("/tmp/\"q\"\n\xff\x01", 11), VIGIL_ITEM_STRING);
  nlohmann::json j = to_json(b);
  CHECK(j["args"]["filename"] == "/tmp/\"q\"\n\\xff\x01");
}

TEST_CASE("exit_group has no return value", "[format]") {
  EventBuilder b(231);
  b.arg(0, 3).flags(VIGIL_EVF_NO_RETURN);
  nlohmann::json j = to_json(b);
  CHECK(j["event"] == "exit_group");
  CHECK(j["args"]["error_code"] == 3);
  CHECK_FALSE(j.contains("ret"));
  CHECK_FALSE(j.contains("duration_ns"));
}

TEST_CASE("a 32-bit syscall is named from the i386 table", "[format]") {
  EventBuilder b(5); // i386 open; x86_64 5 is fstat
  b.flags(VIGIL_EVF_COMPAT).arg(1, 0).ret(0xfffffffe);
  b.item(0, "/etc/passwd", VIGIL_ITEM_STRING);
  nlohmann::json j = to_json(b);
  CHECK(j["event"] == "open");
  CHECK(j["abi"] == "i386");
  CHECK(j["args"]["filename"] == "/etc/passwd");
  CHECK(j["ret"] == -2);
  CHECK(j["errno"] == "ENOENT");
}

TEST_CASE("process events use their own argument names", "[format]") {
  EventBuilder fork(0, VIGIL_EV_PROCESS_FORK);
  fork.arg(0, 200).arg(1, 200);
  nlohmann::json f = to_json(fork);
  CHECK(f["event"] == "sched_process_fork");
  CHECK(f["args"]["child_pid"] == 200);
  CHECK_FALSE(f.contains("nr"));

  EventBuilder exec(0, VIGIL_EV_PROCESS_EXEC);
  exec.arg(0, 100).item(0, "/usr/bin/ls", VIGIL_ITEM_STRING);
  nlohmann::json e = to_json(exec);
  CHECK(e["event"] == "sched_process_exec");
  CHECK(e["args"]["filename"] == "/usr/bin/ls");
  CHECK(e["args"]["old_pid"] == 100);

  EventBuilder exit(0, VIGIL_EV_PROCESS_EXIT);
  exit.arg(0, 3 << 8).arg(1, 1);
  nlohmann::json x = to_json(exit);
  CHECK(x["args"]["exit_code"] == 3);
  CHECK(x["args"]["signal"] == 0);
  CHECK(x["args"]["group_dead"] == true);
}

TEST_CASE("the text format is one readable line", "[format]") {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).arg(2, 0).ret(-2).item(1, "/nope", VIGIL_ITEM_STRING);
  std::string line = format(b, OutputFormat::kText);
  CHECK(line.find(" ls[100/101] openat(AT_FDCWD, \"/nope\", O_RDONLY) = "
                  "-1 ENOENT (No such file or directory)\n") !=
        std::string::npos);
}

TEST_CASE("the strace format prints strace's line", "[format]") {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).arg(2, 0x80000).ret(3);
  b.item(1, "/etc/ld.so.cache", VIGIL_ITEM_STRING);
  CHECK(format(b, OutputFormat::kStrace) ==
        "openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3\n");

  EventBuilder c(3);
  c.arg(0, 3).ret(0);
  CHECK(format(c, OutputFormat::kStrace) ==
        "close(3)                                = 0\n");

  EventBuilder d(231);
  d.arg(0, 0).flags(VIGIL_EVF_NO_RETURN);
  CHECK(format(d, OutputFormat::kStrace) ==
        "exit_group(0)                           = ?\n");
}

TEST_CASE("i386's own calls are named and decoded", "[format]") {
  // mmap2 counts its offset in pages and returns a 32-bit address.
  EventBuilder b(192);
  b.flags(VIGIL_EVF_COMPAT).arg(0, 0xf7d2e000).arg(1, 4096).arg(2, 5);
  b.arg(3, 0x812).arg(4, 3).arg(5, 0x22).ret(0xf7d2e000);
  CHECK(format(b, OutputFormat::kStrace) ==
        "mmap2(0xf7d2e000, 4096, PROT_READ|PROT_EXEC, "
        "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x22000) = 0xf7d2e000\n");
  nlohmann::json j = to_json(b);
  CHECK(j["args"]["pgoff"] == 0x22000);
  CHECK(j["ret"] == 0xf7d2e000);

  // sigreturn shows the mask the kernel side read from the task.
  EventBuilder s(119);
  std::uint64_t mask = 1u << (SIGUSR2 - 1);
  s.flags(VIGIL_EVF_COMPAT).ret(0);
  s.item(0, std::string_view(reinterpret_cast<const char *>(&mask), 8),
         VIGIL_ITEM_BYTES | VIGIL_ITEM_AT_EXIT);
  CHECK(format(s, OutputFormat::kStrace) ==
        "sigreturn({mask=[USR2]})                = 0\n");
  EventBuilder bare(15);
  bare.ret(0);
  CHECK(format(bare, OutputFormat::kStrace) ==
        "rt_sigreturn({...})                     = 0\n");
}

namespace {

// signal_event - the record signal_deliver writes for si, taken by
// handler (0 for the default action).
EventBuilder signal_event(const siginfo_t &si, std::uint64_t handler) {
  EventBuilder b(0, VIGIL_EV_SIGNAL);
  b.arg(0, static_cast<std::uint64_t>(si.si_signo)).arg(1, handler);
  b.item(0,
         std::string_view(reinterpret_cast<const char *>(&si),
                          VIGIL_SIGINFO_BYTES),
         VIGIL_ITEM_BYTES);
  return b;
}

} // namespace

TEST_CASE("a signal taken is strace's --- line", "[format]") {
  siginfo_t si{};
  si.si_signo = SIGCHLD;
  si.si_code = CLD_EXITED;
  si.si_pid = 77;
  si.si_status = 3;
  EventBuilder b = signal_event(si, 0x401000);
  CHECK(format(b, OutputFormat::kStrace) ==
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=77, "
        "si_uid=0, si_status=3, si_utime=0, si_stime=0} ---\n");
  nlohmann::json j = to_json(b);
  CHECK(j["event"] == "signal_deliver");
  CHECK(j["args"]["signal"] == "SIGCHLD");
  CHECK(j["args"]["handler"] == 0x401000);
  CHECK(j["args"]["siginfo"]["si_code"] == "CLD_EXITED");
  CHECK(j["args"]["siginfo"]["si_pid"] == 77);
}

TEST_CASE("strace -f's pid prefix: [pid N] on a terminal, a column in -o",
          "[format]") {
  static const WallClock clock;
  EventBuilder b(3);
  b.arg(0, 3).ret(0).pid(100, 4242);
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  auto line = [&](bool column) {
    vigil::FormatOptions options;
    options.pid_prefix = true;
    options.pid_column = column;
    std::string out;
    vigil::make_formatter(OutputFormat::kStrace, schema(), clock, options)
        ->format(*ev, vigil::EventContext{}, out);
    return out;
  };
  CHECK(line(false) == "[pid  4242] close(3)                    = 0\n");
  CHECK(line(true) == "4242  close(3)                          = 0\n");
}

TEST_CASE("a stop signal taken by default is followed by strace's stop line",
          "[format]") {
  siginfo_t si{};
  si.si_signo = SIGSTOP;
  si.si_code = SI_USER;
  si.si_pid = 9;
  EventBuilder b = signal_event(si, 0);
  CHECK(format(b, OutputFormat::kStrace) ==
        "--- SIGSTOP {si_signo=SIGSTOP, si_code=SI_USER, si_pid=9, si_uid=0} "
        "---\n--- stopped by SIGSTOP ---\n");
  // With a handler, SIGTSTP runs it and nothing stops.
  b.arg(0, SIGTSTP).arg(1, 0x401000);
  CHECK(format(b, OutputFormat::kStrace).find("stopped") == std::string::npos);
}

TEST_CASE("strace's lines get [pid N] once a second task shows up",
          "[format]") {
  static const WallClock clock;
  auto formatter = vigil::make_formatter(OutputFormat::kStrace, schema(), clock,
                                         vigil::FormatOptions{});
  auto line = [&](const EventBuilder &b) {
    auto record = b.record();
    auto ev = RawEvent::parse(record);
    REQUIRE(ev);
    std::string out;
    formatter->format(*ev, vigil::EventContext{}, out);
    return out;
  };
  EventBuilder first(3);
  first.arg(0, 3).ret(0).pid(100, 100);
  CHECK(line(first) == "close(3)                                = 0\n");
  // A new thread of the process: from now on every line names its task.
  EventBuilder thread(0, VIGIL_EV_PROCESS_FORK);
  thread.arg(0, 100).arg(1, 101).pid(100, 100);
  CHECK(line(thread).empty());
  CHECK(line(first) == "[pid   100] close(3)                    = 0\n");
}
