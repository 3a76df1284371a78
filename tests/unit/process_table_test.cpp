#include "context/process_table.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "event_builder.h"

using vigil::ProcessTable;
using vigil::ProcessTableSettings;
using vigil::RawEvent;
using vigil::test::EventBuilder;

namespace {

using namespace std::string_literals;

constexpr std::uint64_t kSec = 1'000'000'000;

// A /proc with nothing in it: the table learns from records alone.
ProcessTableSettings no_proc() {
  ProcessTableSettings s;
  s.proc_root = "/nonexistent-proc";
  return s;
}

void apply(ProcessTable &t, const EventBuilder &b) {
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  t.on_record(*ev);
}

EventBuilder fork_of(std::uint32_t parent, std::uint32_t child,
                     std::uint64_t ts, std::uint32_t child_tid = 0) {
  EventBuilder b(0, VIGIL_EV_PROCESS_FORK);
  b.pid(parent, parent).ppid(1).ts(ts).comm("bash");
  b.arg(0, child).arg(1, child_tid ? child_tid : child);
  b.arg(2, 7 | (std::uint64_t{7} << 32));
  b.arg(3, 4026532001u | (std::uint64_t{4026532002u} << 32));
  b.arg(4, 4026532003u | (std::uint64_t{4026532004u} << 32));
  b.arg(5, 4026531837u | (std::uint64_t{4026531835u} << 32));
  return b;
}

EventBuilder exec_of(std::uint32_t pid, std::uint32_t ppid, std::uint64_t ts,
                     std::string_view exe, std::string_view argv,
                     std::uint32_t exe_flags = 0) {
  EventBuilder b(0, VIGIL_EV_PROCESS_EXEC);
  b.pid(pid, pid).ppid(ppid).ts(ts).comm("ls").ids(1000, 100);
  b.arg(0, pid).arg(1, 1000 | (std::uint64_t{exe_flags} << 32));
  b.arg(2, 9 | (std::uint64_t{9} << 32));
  b.arg(3, 11 | (std::uint64_t{12} << 32));
  b.arg(4, 13 | (std::uint64_t{14} << 32));
  b.arg(5, 15 | (std::uint64_t{16} << 32));
  b.item(0, exe, VIGIL_ITEM_STRING);
  b.item(1, exe, VIGIL_ITEM_STRING);
  b.item(2, argv, VIGIL_ITEM_ARGV);
  return b;
}

EventBuilder exit_of(std::uint32_t pid, std::uint64_t ts, bool group = true) {
  EventBuilder b(0, VIGIL_EV_PROCESS_EXIT);
  b.pid(pid, pid).ts(ts).arg(0, 0).arg(1, group ? 1 : 0);
  return b;
}

EventBuilder syscall_of(std::uint32_t pid, std::uint32_t ppid,
                        std::uint64_t ts) {
  EventBuilder b(39);
  b.pid(pid, pid).ppid(ppid).ts(ts);
  return b;
}

std::shared_ptr<const vigil::ProcessInfo> lookup(ProcessTable &t,
                                                 const EventBuilder &b) {
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  return t.lookup(*ev->header);
}

} // namespace

TEST_CASE("a fork then an exec describe the child fully", "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(500, 1, 1 * kSec, "/bin/bash", "bash\0-l"s));
  apply(t, fork_of(500, 600, 2 * kSec));
  apply(t, exec_of(600, 500, 3 * kSec, "/usr/bin/ls", "ls\0-la\0/tmp"s));

  auto p = lookup(t, syscall_of(600, 500, 4 * kSec));
  REQUIRE(p);
  CHECK(p->pid == 600);
  CHECK(p->ppid == 500);
  CHECK(p->exe == "/usr/bin/ls");
  CHECK(p->cmdline == std::vector<std::string>{"ls", "-la", "/tmp"});
  CHECK(p->start_ns == 2 * kSec); // the fork, not the exec
  CHECK(p->ns_pid == 9);
  CHECK(p->loginuid == 1000);
  CHECK(p->uid == 1000);
  CHECK(p->gid == 100);
  CHECK(p->ns.pid == 11);
  CHECK(p->ns.mnt == 12);
  CHECK(p->ns.net == 13);
  CHECK(p->ns.uts == 14);
  CHECK(p->ns.user == 15);
  CHECK(p->ns.cgroup == 16);
  REQUIRE(p->ancestors.size() == 2);
  CHECK(p->ancestors[0].pid == 500);
  CHECK(p->ancestors[0].exe == "/bin/bash");
  CHECK(p->ancestors[0].comm == "ls"); // exec_of's comm
  CHECK(p->ancestors[1].pid == 1);
}

TEST_CASE("a forked child runs its parent's image until it execs",
          "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(500, 1, 1 * kSec, "/bin/bash", "bash"s));
  apply(t, fork_of(500, 600, 2 * kSec));
  auto p = t.find(600);
  REQUIRE(p);
  CHECK(p->exe == "/bin/bash");
  CHECK(p->cmdline == std::vector<std::string>{"bash"});
  CHECK(p->comm == "bash");
  CHECK(p->ns_pid == 7);
  CHECK(p->ns.pid == 4026532001u);
  CHECK(p->ns.cgroup == 4026531835u);
}

TEST_CASE("a new thread is no new process", "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, fork_of(500, 500, 2 * kSec, 501));
  CHECK_FALSE(t.find(500));
  CHECK(t.stats().entries == 0);
}

TEST_CASE("an exec handled before its fork keeps the exec's image",
          "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(600, 500, 3 * kSec, "/usr/bin/ls", "ls"s));
  apply(t, fork_of(500, 600, 2 * kSec));
  auto p = t.find(600);
  REQUIRE(p);
  CHECK(p->exe == "/usr/bin/ls");
  CHECK(p->start_ns == 2 * kSec); // taken from the late fork
}

TEST_CASE("a deleted or memfd binary is flagged from the exec record",
          "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(600, 1, kSec, "/tmp/gone", "gone"s, 1));
  apply(t, exec_of(601, 1, kSec, "memfd:x", "x"s, 2));
  CHECK(t.find(600)->exe_deleted);
  CHECK_FALSE(t.find(600)->exe_memfd);
  CHECK(t.find(601)->exe_memfd);
  CHECK(t.find(601)->exe == "memfd:x");
}

TEST_CASE("a truncated command line says so", "[process_table]") {
  ProcessTable t(no_proc());
  EventBuilder b(0, VIGIL_EV_PROCESS_EXEC);
  b.pid(700, 700).ts(kSec).item(1, "/bin/x", VIGIL_ITEM_STRING);
  b.item(2, "x\0a"s, VIGIL_ITEM_ARGV | VIGIL_ITEM_TRUNCATED);
  apply(t, b);
  CHECK(t.find(700)->cmdline_truncated);
  CHECK(t.find(700)->cmdline == std::vector<std::string>{"x", "a"});
}

TEST_CASE("an exited process answers for late events, then goes",
          "[process_table]") {
  ProcessTableSettings s = no_proc();
  s.exit_grace_ns = 5 * kSec;
  ProcessTable t(s);
  apply(t, exec_of(600, 1, 1 * kSec, "/usr/bin/ls", "ls"s));
  apply(t, exit_of(600, 2 * kSec, false)); // a thread: the group lives
  apply(t, exit_of(600, 3 * kSec));
  CHECK(lookup(t, syscall_of(600, 1, 2 * kSec)));
  t.sweep(7 * kSec);
  CHECK(t.find(600));
  t.sweep(9 * kSec);
  CHECK_FALSE(t.find(600));
  CHECK(t.stats().expired == 1);
}

TEST_CASE("a reused pid replaces the old process", "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(600, 1, 1 * kSec, "/usr/bin/old", "old"s));
  apply(t, exit_of(600, 2 * kSec));
  apply(t, fork_of(500, 600, 3 * kSec));
  auto p = t.find(600);
  REQUIRE(p);
  CHECK(p->ppid == 500);
  CHECK(p->start_ns == 3 * kSec);
  // The new process is alive: a sweep long after leaves it.
  t.sweep(100 * kSec);
  CHECK(t.find(600));
  // A late exit of the old one changes nothing.
  apply(t, exit_of(600, 2 * kSec));
  t.sweep(200 * kSec);
  CHECK(t.find(600));
}

TEST_CASE("the header's ppid reparents a process whose parent died",
          "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(400, 1, 1 * kSec, "/sbin/subreaper", "subreaper"s));
  apply(t, exec_of(500, 400, 2 * kSec, "/bin/bash", "bash"s));
  apply(t, fork_of(500, 600, 3 * kSec));
  CHECK(t.find(600)->ancestors[0].pid == 500);

  auto p = lookup(t, syscall_of(600, 400, 5 * kSec));
  REQUIRE(p);
  CHECK(p->ppid == 400);
  REQUIRE(p->ancestors.size() == 2);
  CHECK(p->ancestors[0].pid == 400);
  CHECK(p->ancestors[0].exe == "/sbin/subreaper");
  CHECK(p->ancestors[1].pid == 1);
  CHECK(t.find(600)->ppid == 400);
}

TEST_CASE("ancestor chains are bounded", "[process_table]") {
  ProcessTableSettings s = no_proc();
  s.max_ancestors = 3;
  ProcessTable t(s);
  std::uint64_t ts = kSec;
  for (std::uint32_t pid = 100; pid < 110; ++pid) {
    apply(t, fork_of(pid, pid + 1, ts += kSec));
  }
  auto p = t.find(110);
  REQUIRE(p);
  REQUIRE(p->ancestors.size() == 3);
  CHECK(p->ancestors[0].pid == 109);
  CHECK(p->ancestors[1].pid == 108);
  CHECK(p->ancestors[2].pid == 107);
}

TEST_CASE("a rename of the leader renames the process", "[process_table]") {
  ProcessTable t(no_proc());
  apply(t, exec_of(600, 1, 1 * kSec, "/usr/bin/x", "x"s));
  EventBuilder thread(0, VIGIL_EV_PROCESS_RENAME);
  thread.pid(600, 601).ts(2 * kSec).arg(0, 600).arg(1, 601);
  thread.item(0, "worker-1", VIGIL_ITEM_STRING);
  apply(t, thread);
  CHECK(t.find(600)->comm == "ls");
  EventBuilder leader(0, VIGIL_EV_PROCESS_RENAME);
  leader.pid(600, 600).ts(2 * kSec).arg(0, 600).arg(1, 600);
  leader.item(0, "renamed", VIGIL_ITEM_STRING);
  apply(t, leader);
  CHECK(t.find(600)->comm == "renamed");
}

TEST_CASE("the table stops at its cap, exited entries first",
          "[process_table]") {
  ProcessTableSettings s = no_proc();
  s.max_entries = 3;
  ProcessTable t(s);
  apply(t, fork_of(1, 10, 1 * kSec));
  apply(t, fork_of(1, 11, 1 * kSec));
  apply(t, fork_of(1, 12, 1 * kSec));
  apply(t, fork_of(1, 13, 2 * kSec));
  CHECK_FALSE(t.find(13));
  CHECK(t.stats().table_full == 1);
  apply(t, exit_of(10, 3 * kSec));
  apply(t, fork_of(1, 13, 4 * kSec));
  CHECK(t.find(13));
  CHECK_FALSE(t.find(10));
  CHECK(t.stats().entries == 3);
}

TEST_CASE("an unknown pid is read from /proc once", "[process_table]") {
  ProcessTable t;
  auto self = static_cast<std::uint32_t>(getpid());
  auto p =
      lookup(t, syscall_of(self, static_cast<std::uint32_t>(getppid()), kSec));
  REQUIRE(p);
  CHECK(p->pid == self);
  CHECK_FALSE(p->exe.empty());
  CHECK(t.stats().proc_reads == 1);
  lookup(t, syscall_of(self, static_cast<std::uint32_t>(getppid()), kSec));
  CHECK(t.stats().proc_reads == 1);

  // A pid that is not there is asked once, then remembered as absent.
  CHECK_FALSE(lookup(t, syscall_of(4000000, 1, kSec)));
  CHECK_FALSE(lookup(t, syscall_of(4000000, 1, kSec)));
  CHECK(t.stats().proc_reads == 2);
  CHECK(t.stats().proc_read_failed == 1);
}

TEST_CASE("/proc reads are bounded per second", "[process_table]") {
  ProcessTableSettings s;
  s.proc_reads_per_sec = 3;
  ProcessTable t(s);
  for (std::uint32_t pid = 4000000; pid < 4000010; ++pid)
    lookup(t, syscall_of(pid, 1, kSec));
  CHECK(t.stats().proc_reads == 3);
  CHECK(t.stats().proc_read_limited == 7);
}

TEST_CASE("seeding finds this process and its parent chain",
          "[process_table]") {
  ProcessTable t;
  CHECK(t.seed() > 1);
  auto self = t.find(static_cast<std::uint32_t>(getpid()));
  REQUIRE(self);
  CHECK(self->ppid == static_cast<std::uint32_t>(getppid()));
  REQUIRE_FALSE(self->ancestors.empty());
  CHECK(self->ancestors[0].pid == static_cast<std::uint32_t>(getppid()));
  auto init = t.find(1);
  REQUIRE(init);
  CHECK(init->ancestors.empty());
}

TEST_CASE("concurrent records and lookups leave a consistent table",
          "[process_table]") {
  ProcessTable t(no_proc());
  auto worker = [&](std::uint32_t base) {
    for (std::uint32_t i = 0; i < 2000; ++i) {
      std::uint32_t pid = base + i % 50;
      std::uint64_t ts = (i + 1) * 1000;
      apply(t, fork_of(base - 1, pid, ts));
      apply(t, exec_of(pid, base - 1, ts + 1, "/bin/x", "x"s));
      lookup(t, syscall_of(pid, base - 1, ts + 2));
      apply(t, exit_of(pid, ts + 3));
      t.sweep(ts);
    }
  };
  std::thread a(worker, 10000), b(worker, 20000), c(worker, 10000);
  a.join();
  b.join();
  c.join();
  auto p = t.find(10000);
  REQUIRE(p);
  CHECK(p->exe == "/bin/x");
}

TEST_CASE("records without the context fields change no namespace or "
          "loginuid",
          "[process_table]") {
  ProcessTable t(no_proc());
  EventBuilder exec(0, VIGIL_EV_PROCESS_EXEC);
  exec.pid(700, 700).ts(kSec).arg(0, 700);
  exec.item(0, "/bin/old-style", VIGIL_ITEM_STRING);
  apply(t, exec);
  auto p = t.find(700);
  REQUIRE(p);
  CHECK(p->exe == "/bin/old-style"); // the filename, for want of better
  CHECK(p->loginuid == 0xffffffff);
  CHECK(p->ns_pid == 0);
  CHECK(p->ns.pid == 0);
}
