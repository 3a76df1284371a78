#include "event_checks.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>

#include "workload.h"

namespace vigil::test {

TracedRun trace_while(const std::vector<std::string> &flags,
                      const std::function<void()> &workload) {
  TracedRun run;
  VigilProcess vigil(flags);
  run.ready = vigil.wait_ready();
  if (run.ready) {
    run.started = std::chrono::system_clock::now();
    workload();
    run.finished = std::chrono::system_clock::now();
  }
  run.status = vigil.stop();
  run.stderr_text = vigil.stderr_text();
  run.lines = vigil.output();
  return run;
}

std::optional<Summary> parse_summary(const std::string &stderr_text) {
  static const std::regex line(
      R"((\d+) events seen, (\d+) emitted, (\d+) lost \()");
  std::smatch m;
  if (!std::regex_search(stderr_text, m, line))
    return std::nullopt;
  return Summary{std::stoull(m[1]), std::stoull(m[2]), std::stoull(m[3])};
}

ExpectedProcess expected_child(pid_t pid, const std::string &comm) {
  static const HostFacts facts = host_facts();
  ExpectedProcess want;
  want.pid = pid;
  want.tid = pid;
  want.ppid = getpid();
  want.comm = comm;
  want.uid = getuid();
  want.gid = getgid();
  want.pidns = facts.pidns;
  want.mntns = facts.mntns;
  want.cgroup_id = facts.cgroup_id;
  return want;
}

std::vector<Json> events_named(const OutputLines &lines,
                               const std::string &name, pid_t pid) {
  std::vector<Json> out;
  for (const Json &ev : lines.events) {
    if (ev.value("event", "") != name)
      continue;
    const Json *process = ev.contains("process") ? &ev["process"] : nullptr;
    if (process == nullptr || process->value("pid", -1) != pid)
      continue;
    out.push_back(ev);
  }
  return out;
}

std::set<std::int64_t> pids_seen(const OutputLines &lines) {
  std::set<std::int64_t> pids;
  for (const Json &ev : lines.events) {
    if (ev.contains("process") && ev["process"].contains("pid")) {
      pids.insert(ev["process"]["pid"].get<std::int64_t>());
    }
  }
  return pids;
}

std::optional<WallTime> parse_rfc3339(const std::string &text) {
  static const std::regex form(
      R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.(\d{1,9}))?)"
      R"((Z|z|([+-])(\d{2}):(\d{2}))$)");
  std::smatch m;
  if (!std::regex_match(text, m, form))
    return std::nullopt;

  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  std::int64_t seconds = timegm(&tm);
  if (m[10].matched) {
    int offset = std::stoi(m[11]) * 3600 + std::stoi(m[12]) * 60;
    seconds -= m[10] == "+" ? offset : -offset;
  }
  std::int64_t nanos = 0;
  if (m[8].matched) {
    std::string digits = m[8].str();
    digits.resize(9, '0');
    nanos = std::stoll(digits);
  }
  return WallTime(std::chrono::duration_cast<WallTime::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
}

void check_keys(const Json &object, const std::set<std::string> &keys) {
  std::set<std::string> have;
  for (auto it = object.begin(); it != object.end(); ++it) {
    have.insert(it.key());
  }
  CHECK(have == keys);
}

namespace {

std::string read_link(const std::string &path) {
  char buf[4096];
  ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
}

std::string user_name(uid_t uid) {
  passwd *pw = getpwuid(uid);
  return pw ? pw->pw_name : "";
}

std::string group_name(gid_t gid) {
  group *gr = getgrgid(gid);
  return gr ? gr->gr_name : "";
}

// check_context - the process table's fields, when present, against the
// truth: the test programs run from the host's namespaces, most of them
// as this test runner's children.
void check_context(const Json &p, const ExpectedProcess &want) {
  static const std::string self_exe = read_link("/proc/self/exe");
  static const HostFacts facts = host_facts();
  std::set<std::string> allowed = {
      "exe",        "exe_deleted", "exe_memfd", "cmdline",  "cmdline_truncated",
      "start_time", "ns_pid",      "ns_tid",    "loginuid", "namespaces",
      "parent",     "ancestors"};
  for (auto it = p.begin(); it != p.end(); ++it) {
    INFO("context field " << it.key());
    CHECK((allowed.contains(it.key()) ||
           std::set<std::string>{"pid", "tid", "ppid", "comm", "uid", "gid",
                                 "pidns", "mntns", "cgroup_id"}
               .contains(it.key())));
  }
  if (p.contains("exe")) {
    // The program's file is named after its comm (cut at 15 bytes).
    std::string exe = p["exe"];
    CHECK(exe.substr(exe.rfind('/') + 1).starts_with(want.comm));
  }
  CHECK_FALSE(p.contains("exe_deleted"));
  CHECK_FALSE(p.contains("exe_memfd"));
  if (p.contains("ns_pid"))
    CHECK(p["ns_pid"] == want.pid); // the host's namespace
  if (p.contains("ns_tid"))
    CHECK(p["ns_tid"] == want.tid);
  if (p.contains("namespaces")) {
    CHECK(p["namespaces"].value("pid", facts.pidns) == facts.pidns);
    CHECK(p["namespaces"].value("mnt", facts.mntns) == facts.mntns);
  }
  if (p.contains("loginuid")) {
    std::ifstream in("/proc/self/loginuid");
    std::uint64_t mine = 0;
    in >> mine;
    CHECK(p["loginuid"] == mine);
  }
  if (p.contains("parent")) {
    const Json &parent = p["parent"];
    CHECK(parent.value("pid", -1) == want.ppid);
    if (parent.contains("exe") && want.ppid == getpid())
      CHECK(parent["exe"] == self_exe);
    REQUIRE(p.contains("ancestors"));
    CHECK(p["ancestors"][0] == parent);
  }
  if (p.contains("ancestors")) {
    CHECK(p["ancestors"].size() <= 8);
    CHECK(p["ancestors"].back().value("pid", -1) >= 0);
  }
}

} // namespace

void check_event_keys(const Json &event, std::set<std::string> keys) {
  INFO("event: " << event.dump());
  // Named users and groups are always named: the test runs as root.
  if (event.contains("process")) {
    std::uint64_t uid = event["process"].value("uid", ~0ull);
    std::uint64_t gid = event["process"].value("gid", ~0ull);
    std::string user = user_name(static_cast<uid_t>(uid));
    std::string group = group_name(static_cast<gid_t>(gid));
    if (!user.empty()) {
      keys.insert("user");
      CHECK(event["user"].value("name", "") == user);
    }
    if (!group.empty()) {
      keys.insert("group");
      CHECK(event["group"].value("name", "") == group);
    }
  }
  check_keys(event, keys);
}

void check_process(const Json &event, const ExpectedProcess &want) {
  INFO("event: " << event.dump());
  REQUIRE(event.contains("process"));
  const Json &p = event["process"];
  check_context(p, want);
  CHECK(p.value("pid", -1) == want.pid);
  CHECK(p.value("tid", -1) == want.tid);
  CHECK(p.value("ppid", -1) == want.ppid);
  CHECK(p.value("comm", "") == want.comm);
  CHECK(p.value("uid", ~0ull) == want.uid);
  CHECK(p.value("gid", ~0ull) == want.gid);
  CHECK(p.value("pidns", 0ull) == want.pidns);
  CHECK(p.value("mntns", 0ull) == want.mntns);
  CHECK(p.value("cgroup_id", 0ull) == want.cgroup_id);
}

void check_time(const Json &event, const TracedRun &run) {
  INFO("event: " << event.dump());
  REQUIRE(event.contains("time"));
  REQUIRE(event["time"].is_string());
  std::optional<WallTime> t = parse_rfc3339(event["time"]);
  REQUIRE(t.has_value());
  // vigil turns kernel timestamps into wall time with an offset it reads
  // again every second, so a few seconds either side are allowed.
  CHECK(*t >= run.started - std::chrono::seconds(3));
  CHECK(*t <= run.finished + std::chrono::seconds(3));
  CHECK(*t <= std::chrono::system_clock::now() + std::chrono::seconds(3));
}

void check_syscall_header(const Json &event, const std::string &name, int nr,
                          int cpu) {
  INFO("event: " << event.dump());
  CHECK(event.value("event", "") == name);
  CHECK(event.value("abi", "") == "x86_64");
  CHECK(event.value("nr", -1) == nr);
  CHECK(event.value("cpu", -1) == cpu);
}

void check_duration(const Json &event) {
  INFO("event: " << event.dump());
  REQUIRE(event.contains("duration_ns"));
  REQUIRE(event["duration_ns"].is_number_unsigned());
  std::uint64_t ns = event["duration_ns"];
  CHECK(ns > 0);
  CHECK(ns < 5'000'000'000ull);
}

} // namespace vigil::test
