// rules_test.cpp - detection rules on real events: the example rules
// fire for a real read of /etc/shadow and stay silent for a benign
// neighbour, and SIGHUP swaps rule files under a running vigil.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

using Clock = std::chrono::steady_clock;

bool is_detection(const Json &line) { return line.contains("rule"); }

// detections_for - the detections of rule id for events of pid.
std::vector<Json> detections_for(const OutputLines &lines,
                                 const std::string &id, pid_t pid) {
  std::vector<Json> out;
  for (const Json &l : lines.events) {
    if (is_detection(l) && l["rule"]["id"] == id &&
        l["event"]["process"]["pid"] == pid) {
      out.push_back(l);
    }
  }
  return out;
}

std::size_t detections_of_pid(const OutputLines &lines, pid_t pid) {
  std::size_t n = 0;
  for (const Json &l : lines.events)
    n += is_detection(l) && l["event"]["process"]["pid"] == pid;
  return n;
}

// cat - runs /bin/cat on path to its end; its pid.
pid_t cat(const std::string &path) {
  SpawnOptions quiet;
  quiet.stdout_path = "/dev/null"; // never copy /etc/shadow into a log
  Child child({"/bin/cat", path}, quiet);
  pid_t pid = child.pid();
  CHECK(child.wait_exit_code() == 0);
  return pid;
}

void write_file(const std::string &path, const std::string &text) {
  // Written beside and renamed, as an editor or a deployment does, so a
  // reload never reads half a file.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << text;
  }
  REQUIRE(std::rename(tmp.c_str(), path.c_str()) == 0);
}

// wait_for_stderr - true once vigil wrote text on stderr.
bool wait_for_stderr(VigilProcess &vigil, const std::string &text) {
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (vigil.stderr_text().find(text) != std::string::npos)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// wait_for_detection - the output once pid has a detection of rule id.
OutputLines wait_for_detection(VigilProcess &vigil, const std::string &id,
                               pid_t pid) {
  auto deadline = Clock::now() + std::chrono::seconds(5);
  OutputLines lines = vigil.output();
  while (detections_for(lines, id, pid).empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    lines = vigil.output();
  }
  return lines;
}

std::string file_rule(const std::string &id, const std::string &path) {
  return "- rule: " + id +
         "\n"
         "  condition: event in (open, openat) and args.filename = " +
         path +
         "\n  output: '%process.comm read %args.filename'\n"
         "  severity: medium\n  tags: [test]\n";
}

} // namespace

TEST_CASE("the shadow rule fires for cat /etc/shadow and not /etc/hostname",
          "[runtime][rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t shadow = 0, hostname = 0;
  TracedRun run = trace_while(
      {"--rules", VIGIL_RULES_DIR, "--detections-only", "--comm", "cat"}, [&] {
        shadow = cat("/etc/shadow");
        hostname = cat("/etc/hostname");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      });
  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  CHECK(run.status == 0);
  CHECK(run.lines.malformed.empty());
  CHECK(run.stderr_text.find("events open|openat|openat2|ptrace|"
                             "sched_process_exec") != std::string::npos);

  std::vector<Json> hits = detections_for(run.lines, "read_shadow", shadow);
  REQUIRE(hits.size() == 1);
  const Json &d = hits[0];
  check_keys(
      d, {"time", "rule", "severity", "tags", "output", "hostname", "event"});
  CHECK(d["rule"]["name"] ==
        "Read of shadow passwords by a non-allowed program");
  CHECK(d["severity"] == "high");
  CHECK(d["tags"] ==
        Json::array({"credentials", "mitre_credential_access", "T1003.008"}));
  // The context fills the rule's placeholders: cat's real path, and the
  // comm of this test program, its parent (15 characters of it).
  std::string exe = std::filesystem::canonical("/bin/cat");
  CHECK(d["output"] == "cat (pid " + std::to_string(shadow) +
                           ", uid 0) opened /etc/shadow (exe " + exe +
                           ", parent vigil_runtime_t)");
  CHECK(d["time"] == d["event"]["time"]);
  const Json &ev = d["event"];
  CHECK(ev["event"] == "openat");
  CHECK(ev["args"]["filename"] == "/etc/shadow");
  CHECK(ev["process"]["comm"] == "cat");
  CHECK(ev["process"]["ppid"] == getpid());
  CHECK(ev["ret"].get<std::int64_t>() >= 0);
  check_time(d, run);

  // Only detections are written, and none for the benign read.
  CHECK(detections_of_pid(run.lines, hostname) == 0);
  for (const Json &l : run.lines.events)
    CHECK(is_detection(l));
  CHECK(run.stderr_text.find("1 detections") != std::string::npos);
  // The summary's emitted is the lines written: the detections.
  std::optional<Summary> summary = parse_summary(run.stderr_text);
  REQUIRE(summary.has_value());
  CHECK(summary->emitted == run.lines.events.size());
}

TEST_CASE("with --rules alone events and detections are both written",
          "[runtime][rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string rules = dir.file("host.yaml");
  write_file(rules, file_rule("host_read", "/etc/hostname"));
  pid_t pid = 0;
  TracedRun run = trace_while({"--rules", rules, "--comm", "cat"}, [&] {
    pid = cat("/etc/hostname");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  INFO("vigil stderr: " << run.stderr_text);
  REQUIRE(run.ready);
  std::vector<Json> hits = detections_for(run.lines, "host_read", pid);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["output"] == "cat read /etc/hostname");
  OutputLines raw;
  for (const Json &l : run.lines.events) {
    if (!is_detection(l))
      raw.events.push_back(l);
  }
  bool raw_open = false;
  for (const Json &ev : events_named(raw, "openat", pid))
    raw_open = raw_open || ev["args"]["filename"] == "/etc/hostname";
  bool raw_exit = !events_named(raw, "exit_group", pid).empty();
  CHECK(raw_open);
  CHECK(raw_exit);
}

TEST_CASE("SIGHUP swaps the rules, and a broken file leaves them running",
          "[runtime][rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string rules = dir.file("rules.yaml");
  write_file(rules, file_rule("host_read", "/etc/hostname"));
  VigilProcess vigil({"--rules", rules, "--detections-only", "--comm", "cat"});
  REQUIRE(vigil.wait_ready());

  pid_t first = cat("/etc/hostname");
  OutputLines lines = wait_for_detection(vigil, "host_read", first);
  CHECK(detections_for(lines, "host_read", first).size() == 1);

  write_file(rules, file_rule("passwd_read", "/etc/passwd"));
  REQUIRE(kill(vigil.pid(), SIGHUP) == 0);
  REQUIRE(wait_for_stderr(vigil, "reloaded 1 rules"));
  pid_t old_rule = cat("/etc/hostname");
  pid_t new_rule = cat("/etc/passwd");
  lines = wait_for_detection(vigil, "passwd_read", new_rule);
  CHECK(detections_for(lines, "passwd_read", new_rule).size() == 1);
  CHECK(detections_of_pid(lines, old_rule) == 0);

  write_file(rules, "- rule: broken\n  condition: event = openat and\n"
                    "  output: x\n  severity: high\n");
  REQUIRE(kill(vigil.pid(), SIGHUP) == 0);
  REQUIRE(wait_for_stderr(vigil, "reloading the rules failed"));
  CHECK(vigil.stderr_text().find("rules.yaml:2:") != std::string::npos);
  pid_t after = cat("/etc/passwd");
  lines = wait_for_detection(vigil, "passwd_read", after);
  CHECK(detections_for(lines, "passwd_read", after).size() == 1);

  CHECK(vigil.stop() == 0);
  INFO("vigil stderr: " << vigil.stderr_text());
  CHECK(vigil.stderr_text().find("3 detections") != std::string::npos);
}

TEST_CASE("vigil refuses to start with a broken rule file",
          "[runtime][rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string rules = dir.file("bad.yaml");
  write_file(rules, "- rule: r\n  condition: event = read and "
                    "args.filename = x\n  output: x\n  severity: high\n");
  FinishedRun run =
      run_vigil_to_exit({"--rules", rules}, std::chrono::seconds(10));
  INFO("vigil stderr: " << run.stderr_text);
  CHECK(run.status == 1);
  CHECK(run.stderr_text.find("bad.yaml:2:31: error: args.filename does not "
                             "exist for read") != std::string::npos);
}

} // namespace vigil::test
