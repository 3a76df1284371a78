#include "event_checks.h"

#include <unistd.h>

#include <ctime>
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

void check_process(const Json &event, const ExpectedProcess &want) {
  INFO("event: " << event.dump());
  REQUIRE(event.contains("process"));
  const Json &p = event["process"];
  check_keys(p, {"pid", "tid", "ppid", "comm", "uid", "gid", "pidns", "mntns",
                 "cgroup_id"});
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
