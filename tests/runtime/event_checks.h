// event_checks.h - runs one traced scenario and checks the fields of the
// JSON events vigil wrote for it against their true values.
#ifndef VIGIL_TESTS_RUNTIME_EVENT_CHECKS_H
#define VIGIL_TESTS_RUNTIME_EVENT_CHECKS_H

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vigil_process.h"

namespace vigil::test {

using Json = nlohmann::json;
using WallTime = std::chrono::system_clock::time_point;

// TracedRun - everything one vigil run produced around a workload.
struct TracedRun {
  bool ready = false;
  std::optional<int> status; // vigil's exit status; nothing on a hang
  std::string stderr_text;
  OutputLines lines;
  WallTime started;  // just before the workload ran
  WallTime finished; // just after it ended
};

// trace_while - starts vigil with flags, runs workload once vigil is
// attached, then stops vigil and collects its output.
TracedRun trace_while(const std::vector<std::string> &flags,
                      const std::function<void()> &workload);

// Summary - the numbers of vigil's closing "N events seen, ..." line.
struct Summary {
  std::uint64_t seen = 0;
  std::uint64_t emitted = 0;
  std::uint64_t lost = 0;
};
std::optional<Summary> parse_summary(const std::string &stderr_text);

// ExpectedProcess - the true identity of the process behind an event.
struct ExpectedProcess {
  pid_t pid = 0;
  pid_t tid = 0;
  pid_t ppid = 0;
  std::string comm;
  std::uint64_t uid = 0;
  std::uint64_t gid = 0;
  std::uint64_t pidns = 0;
  std::uint64_t mntns = 0;
  std::uint64_t cgroup_id = 0;
};

// expected_child - a single-threaded child of this test named comm.
ExpectedProcess expected_child(pid_t pid, const std::string &comm);

// events_named - the events called name that pid caused, in output order.
std::vector<Json> events_named(const OutputLines &lines,
                               const std::string &name, pid_t pid);

// pids_seen - every process.pid in the output.
std::set<std::int64_t> pids_seen(const OutputLines &lines);

// parse_rfc3339 - "2026-12-03T14:03:21.682882270Z" and offset forms.
std::optional<WallTime> parse_rfc3339(const std::string &text);

// Field checks; each reports through Catch CHECKs.
void check_keys(const Json &object, const std::set<std::string> &keys);
// check_event_keys - an event's top-level keys: keys, and the user and
// group objects, whose names are checked, for ids the host names.
void check_event_keys(const Json &event, std::set<std::string> keys);
void check_process(const Json &event, const ExpectedProcess &want);
void check_time(const Json &event, const TracedRun &run);
void check_syscall_header(const Json &event, const std::string &name, int nr,
                          int cpu);
void check_duration(const Json &event);

} // namespace vigil::test

#endif
