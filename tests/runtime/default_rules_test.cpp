// default_rules_test.cpp - the built-in rules on real actions: for every
// rule a harmless action that must fire it (once, with its id, severity,
// MITRE tag, output and event fields) and a benign neighbour that must
// not; container rules on real podman containers; and a benign workload
// (a make and gcc build, unit tests, package queries) that fires nothing.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kDefaultRules = {"--detections-only"};

// Expect - what one detection of a rule must carry.
struct Expect {
  std::string rule;
  std::string severity;
  std::string mitre;                   // one ATT&CK id among the tags
  std::string event;                   // the event's name
  std::vector<std::string> output_has; // substrings of the output
  std::map<std::string, Json> fields;  // JSON pointers into the event
};

bool is_detection(const Json &line) { return line.contains("rule"); }

std::vector<Json> detections_of(const OutputLines &lines,
                                const std::string &rule, pid_t pid) {
  std::vector<Json> out;
  for (const Json &l : lines.events)
    if (is_detection(l) && l["rule"]["id"] == rule &&
        l["event"]["process"]["pid"] == pid)
      out.push_back(l);
  return out;
}

void check_detection(const Json &d, const Expect &want) {
  INFO("detection: " << d.dump());
  CHECK(d["rule"]["id"] == want.rule);
  CHECK(d["rule"]["name"].is_string());
  CHECK(d["severity"] == want.severity);
  const Json &tags = d["tags"];
  CHECK(std::find(tags.begin(), tags.end(), want.mitre) != tags.end());
  CHECK(d["event"]["event"] == want.event);
  for (const std::string &s : want.output_has)
    CHECK_THAT(d["output"].get<std::string>(), Catch::Contains(s));
  for (const auto &[pointer, value] : want.fields) {
    INFO("field " << pointer);
    Json::json_pointer p(pointer);
    REQUIRE(d["event"].contains(p));
    CHECK(d["event"][p] == value);
  }
}

// check_fires - exactly one detection of the rule for pid, as expected.
void check_fires(const TracedRun &run, pid_t pid, const Expect &want) {
  INFO("vigil stderr: " << run.stderr_text);
  std::vector<Json> hits = detections_of(run.lines, want.rule, pid);
  REQUIRE(hits.size() == 1);
  check_detection(hits[0], want);
  CHECK(hits[0]["event"]["process"]["pid"] == pid);
}

void check_silent(const TracedRun &run, pid_t pid, const std::string &rule) {
  std::vector<Json> hits = detections_of(run.lines, rule, pid);
  INFO("unexpected: " << (hits.empty() ? "" : hits[0].dump()));
  CHECK(hits.empty());
}

// run - runs argv to its end; its pid.
pid_t run(const std::vector<std::string> &argv) {
  SpawnOptions quiet;
  quiet.stdout_path = "/dev/null";
  Child child(argv, quiet);
  pid_t pid = child.pid();
  CHECK(child.wait_exit_code() == 0);
  return pid;
}

pid_t attack(std::vector<std::string> args) {
  args.insert(args.begin(), VT_ATTACK);
  return run(args);
}

// traced - vigil with the built-in rules around workload; the settle time
// lets the last events through the pipeline before vigil stops.
TracedRun traced(const std::function<void()> &workload) {
  TracedRun r = trace_while(kDefaultRules, [&] {
    workload();
    std::this_thread::sleep_for(300ms);
  });
  REQUIRE(r.ready);
  CHECK(r.status == 0);
  CHECK(r.lines.malformed.empty());
  return r;
}

void write_text(const std::string &path, const std::string &text) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string unique(const std::string &stem) {
  return stem + "-" + std::to_string(getpid());
}

// Listener - a TCP socket listening on loopback, for connect rules.
class Listener {
public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0);
    REQUIRE(listen(fd_, 8) == 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd_); }
  int port() const { return port_; }

private:
  int fd_ = -1;
  int port_ = 0;
};

} // namespace

TEST_CASE("default rules: the built-in set loads and names its events",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TracedRun r = traced([] {});
  CHECK_THAT(r.stderr_text,
             Catch::Matches("(.|\\n)*loaded ([3-9][0-9]) rules(.|\\n)*"));
  CHECK_THAT(r.stderr_text, Catch::Contains("from the built-in rules"));
}

TEST_CASE("default rules: read_shadow", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"read", "/etc/shadow"});
    good = attack({"read", "/etc/hostname"});
  });
  check_fires(r, bad,
              {"read_shadow",
               "high",
               "T1003.008",
               "openat",
               {"vt-attack", "/etc/shadow"},
               {{"/args/filename", "/etc/shadow"}}});
  check_silent(r, good, "read_shadow");
}

TEST_CASE("default rules: read_ssh_private_key", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string key = dir.path() + "/.ssh/id_ed25519";
  write_text(key, "not a key\n");
  write_text(key + ".pub", "not a key\n");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"read", key});
    good = attack({"read", key + ".pub"});
  });
  check_fires(r, bad,
              {"read_ssh_private_key",
               "high",
               "T1552.004",
               "openat",
               {key},
               {{"/args/filename", key}}});
  check_silent(r, good, "read_ssh_private_key");
}

TEST_CASE("default rules: read_cloud_credentials", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string creds = dir.path() + "/.aws/credentials";
  std::string other = dir.path() + "/.aws/notes.txt";
  write_text(creds, "[default]\n");
  write_text(other, "x\n");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"read", creds});
    good = attack({"read", other});
  });
  check_fires(r, bad,
              {"read_cloud_credentials",
               "high",
               "T1552.001",
               "openat",
               {creds},
               {{"/args/filename", creds}}});
  check_silent(r, good, "read_cloud_credentials");
}

TEST_CASE("default rules: account_files_modified", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t bad = 0, good = 0;
  // O_WRONLY without a write: the file is opened, not changed.
  TracedRun r = traced([&] {
    bad = attack({"open-wronly", "/etc/passwd"});
    good = attack({"read", "/etc/passwd"});
  });
  check_fires(r, bad,
              {"account_files_modified",
               "critical",
               "T1136.001",
               "openat",
               {"/etc/passwd", "O_WRONLY"},
               {{"/args/filename", "/etc/passwd"}}});
  check_silent(r, good, "account_files_modified");
}

TEST_CASE("default rules: sudoers_modified", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::filesystem::path dir = "/etc/sudoers.d";
  bool made = !std::filesystem::exists(dir);
  if (made)
    std::filesystem::create_directory(dir);
  std::string path = dir / unique("vigil-test");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", path});
    good = attack({"read", "/etc/sudoers.d"});
  });
  if (made)
    std::filesystem::remove(dir);
  check_fires(r, bad,
              {"sudoers_modified",
               "high",
               "T1548.003",
               "openat",
               {path},
               {{"/args/filename", path}}});
  check_silent(r, good, "sudoers_modified");
  check_silent(r, bad, "write_below_etc");
}

TEST_CASE("default rules: write_below_etc", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::string path = "/etc/" + unique("vigil-test");
  pid_t bad = 0, good = 0, pkg = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", path});
    good = attack({"read", "/etc/hostname"});
    pkg = attack({"--comm", "dpkg", "open-write", path});
  });
  check_fires(r, bad,
              {"write_below_etc",
               "medium",
               "T1543",
               "openat",
               {path, "O_WRONLY|O_CREAT|O_EXCL"},
               {{"/args/filename", path}}});
  check_silent(r, good, "write_below_etc");
  check_silent(r, pkg, "write_below_etc");
}

TEST_CASE("default rules: write_below_binary_dirs",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::string bin = "/usr/bin/" + unique("vigil-test");
  std::string boot = "/boot/" + unique("vigil-test");
  pid_t bad = 0, bad_boot = 0, good = 0, pkg = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", bin});
    bad_boot = attack({"open-write", boot});
    good = attack({"read", "/usr/bin/true"});
    pkg = attack({"--comm", "dpkg", "open-write", bin});
  });
  check_fires(r, bad,
              {"write_below_binary_dirs",
               "high",
               "T1543",
               "openat",
               {bin},
               {{"/args/filename", bin}}});
  check_fires(r, bad_boot,
              {"write_below_binary_dirs",
               "high",
               "T1543",
               "openat",
               {boot},
               {{"/args/filename", boot}}});
  check_silent(r, good, "write_below_binary_dirs");
  check_silent(r, pkg, "write_below_binary_dirs");
}

TEST_CASE("default rules: cron_persistence", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  REQUIRE(std::filesystem::is_directory("/etc/cron.d"));
  std::string path = "/etc/cron.d/" + unique("vigil-test");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", path});
    good = attack({"read", "/etc/cron.d/e2scrub_all"});
  });
  check_fires(r, bad,
              {"cron_persistence",
               "high",
               "T1053.003",
               "openat",
               {path},
               {{"/args/filename", path}}});
  check_silent(r, good, "cron_persistence");
  check_silent(r, bad, "write_below_etc");
}

TEST_CASE("default rules: systemd_persistence", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir home;
  std::string sys = "/etc/systemd/system/" + unique("vigil-test") + ".service";
  std::string user = home.path() + "/.config/systemd/user/x.service";
  std::filesystem::create_directories(home.path() + "/.config/systemd/user");
  pid_t bad = 0, bad_user = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", sys});
    bad_user = attack({"open-write", user});
    good = attack({"open-write", home.path() + "/.config/other.conf"});
  });
  check_fires(r, bad,
              {"systemd_persistence",
               "high",
               "T1543.002",
               "openat",
               {sys},
               {{"/args/filename", sys}}});
  check_fires(r, bad_user,
              {"systemd_persistence",
               "high",
               "T1543.002",
               "openat",
               {user},
               {{"/args/filename", user}}});
  check_silent(r, good, "systemd_persistence");
  check_silent(r, bad, "write_below_etc");
}

TEST_CASE("default rules: ld_preload_written", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // O_WRONLY without O_CREAT: the file is never created or changed; when
  // it does not exist the open fails, and the attempt still fires.
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-wronly", "/etc/ld.so.preload"});
    good = attack({"read", "/etc/ld.so.conf"});
  });
  check_fires(r, bad,
              {"ld_preload_written",
               "critical",
               "T1574.006",
               "openat",
               {"/etc/ld.so.preload"},
               {{"/args/filename", "/etc/ld.so.preload"}}});
  check_silent(r, good, "ld_preload_written");
  check_silent(r, bad, "write_below_etc");
}

TEST_CASE("default rules: shell_profile_modified", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir home;
  std::string rc = home.file(".bashrc");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", rc});
    good = attack({"open-write", home.file("bashrc.txt")});
  });
  check_fires(r, bad,
              {"shell_profile_modified",
               "medium",
               "T1546.004",
               "openat",
               {rc},
               {{"/args/filename", rc}}});
  check_silent(r, good, "shell_profile_modified");
}

TEST_CASE("default rules: ssh_authorized_keys_modified",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir home;
  std::filesystem::create_directories(home.path() + "/.ssh");
  std::string keys = home.path() + "/.ssh/authorized_keys";
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", keys});
    good = attack({"open-write", home.path() + "/.ssh/known_hosts"});
  });
  check_fires(r, bad,
              {"ssh_authorized_keys_modified",
               "high",
               "T1098.004",
               "openat",
               {keys},
               {{"/args/filename", keys}}});
  check_silent(r, good, "ssh_authorized_keys_modified");
}

TEST_CASE("default rules: pam_config_modified", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::string path = "/etc/pam.d/" + unique("vigil-test");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", path});
    good = attack({"read", "/etc/pam.d/other"});
  });
  check_fires(r, bad,
              {"pam_config_modified",
               "high",
               "T1556.003",
               "openat",
               {path},
               {{"/args/filename", path}}});
  check_silent(r, good, "pam_config_modified");
  check_silent(r, bad, "write_below_etc");
}

TEST_CASE("default rules: exec_from_memfd", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"memfd-exec"});
    good = run({"/bin/true"});
  });
  check_fires(r, bad,
              {"exec_from_memfd",
               "critical",
               "T1620",
               "sched_process_exec",
               {"runs from memory", "memfd:vt-payload"},
               {{"/process/exe_memfd", true}}});
  check_silent(r, good, "exec_from_memfd");
}

TEST_CASE("default rules: netcat_socat_exec", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // A copy of true named nc: the rule reads the execve's path and
  // arguments, and nothing connects.
  TempDir dir;
  std::string nc = dir.file("nc");
  std::filesystem::copy_file("/bin/true", nc);
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = run({nc, "-e", "/bin/sh", "127.0.0.1", "9"});
    good = run({nc, "-z", "127.0.0.1", "9"});
  });
  check_fires(r, bad,
              {"netcat_socat_exec",
               "critical",
               "T1059",
               "execve",
               {nc, "-e /bin/sh"},
               {{"/args/filename", nc}}});
  check_silent(r, good, "netcat_socat_exec");
}

TEST_CASE("default rules: shell_network_connect", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  Listener server;
  std::string port = std::to_string(server.port());
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = run({"/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port});
    good = run({"/bin/bash", "-c", "exec 3</etc/hostname"});
  });
  check_fires(r, bad,
              {"shell_network_connect",
               "critical",
               "T1059.004",
               "connect",
               {"shell bash", "127.0.0.1", "htons(" + port + ")"},
               {{"/args/uservaddr/sa_family", "AF_INET"}, {"/ret", 0}}});
  check_silent(r, good, "shell_network_connect");
}

TEST_CASE("default rules: exec_from_shared_memory",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::string path = "/dev/shm/" + unique("vt-true");
  std::filesystem::copy_file("/bin/true", path);
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = run({path});
    good = run({"/bin/true"});
  });
  std::filesystem::remove(path);
  check_fires(r, bad,
              {"exec_from_shared_memory",
               "high",
               "T1204.002",
               "sched_process_exec",
               {path},
               {{"/args/filename", path}}});
  check_silent(r, good, "exec_from_shared_memory");
}

TEST_CASE("default rules: ptrace_attach", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"ptrace-attach"});
    good = attack({"ptrace-traceme"});
  });
  check_fires(r, bad,
              {"ptrace_attach",
               "medium",
               "T1055.008",
               "ptrace",
               {"ptrace PTRACE_ATTACH"},
               {{"/args/request", "PTRACE_ATTACH"}, {"/ret", 0}}});
  check_silent(r, good, "ptrace_attach");
}

TEST_CASE("default rules: proc_mem_write", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"proc-mem-write"});
    good = attack({"proc-maps-read"});
  });
  check_fires(r, bad,
              {"proc_mem_write",
               "high",
               "T1055.009",
               "openat",
               {"/proc/self/mem", "O_RDWR"},
               {{"/args/filename", "/proc/self/mem"}}});
  check_silent(r, good, "proc_mem_write");
}

TEST_CASE("default rules: kernel_module_load", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string fake = dir.file("not-a-module.ko");
  write_text(fake, "this is no ELF file\n");
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"finit-module", fake});
    good = attack({"read", "/proc/modules"});
  });
  check_fires(r, bad,
              {"kernel_module_load",
               "high",
               "T1547.006",
               "finit_module",
               {"called finit_module"},
               {}});
  // The kernel refused the file: the attempt is what fired.
  std::vector<Json> hits = detections_of(r.lines, "kernel_module_load", bad);
  if (!hits.empty())
    CHECK(hits[0]["event"]["ret"].get<std::int64_t>() < 0);
  check_silent(r, good, "kernel_module_load");
}

TEST_CASE("default rules: bpf_program_load", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  pid_t bad = 0, good = 0, tracer = 0;
  TracedRun r = traced([&] {
    bad = attack({"bpf-prog-load"});
    good = attack({"bpf-map-lookup"});
    tracer = attack({"--comm", "bpftool", "bpf-prog-load"});
  });
  check_fires(r, bad,
              {"bpf_program_load",
               "high",
               "T1014",
               "bpf",
               {"BPF_PROG_LOAD"},
               {{"/args/cmd", "BPF_PROG_LOAD"}}});
  check_silent(r, good, "bpf_program_load");
  check_silent(r, tracer, "bpf_program_load");
}

TEST_CASE("default rules: setuid_setgid_bit_set", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string file = dir.file("payload");
  write_text(file, "#!/bin/sh\n");
  pid_t setuid = 0, setgid = 0, good = 0, sticky = 0;
  TracedRun r = traced([&] {
    setuid = attack({"chmod", file, "4755"});
    setgid = attack({"chmod", file, "2755"});
    good = attack({"chmod", file, "0755"});
    sticky = attack({"chmod", dir.path(), "1777"});
  });
  check_fires(r, setuid,
              {"setuid_setgid_bit_set",
               "high",
               "T1548.001",
               "chmod",
               {"04755", file},
               {{"/args/mode", "04755"}}});
  check_fires(r, setgid,
              {"setuid_setgid_bit_set",
               "high",
               "T1548.001",
               "chmod",
               {"02755", file},
               {{"/args/mode", "02755"}}});
  check_silent(r, good, "setuid_setgid_bit_set");
  check_silent(r, sticky, "setuid_setgid_bit_set");
}

TEST_CASE("default rules: container_escape_files", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  // A file named release_agent in a temporary directory, and core_pattern
  // opened for writing but never written: nothing changes.
  TempDir dir;
  std::string agent = dir.file("release_agent");
  pid_t bad = 0, core = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", agent});
    core = attack({"open-wronly", "/proc/sys/kernel/core_pattern"});
    good = attack({"read", "/proc/sys/kernel/core_pattern"});
  });
  check_fires(r, bad,
              {"container_escape_files",
               "critical",
               "T1611",
               "openat",
               {agent},
               {{"/args/filename", agent}}});
  check_fires(r, core,
              {"container_escape_files",
               "critical",
               "T1611",
               "openat",
               {"/proc/sys/kernel/core_pattern"},
               {{"/args/filename", "/proc/sys/kernel/core_pattern"}}});
  check_silent(r, good, "container_escape_files");
}

TEST_CASE("default rules: log_tampering", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::string log = "/var/log/" + unique("vigil-test") + ".log";
  std::string log2 = "/var/log/" + unique("vigil-test") + "-2.log";
  write_text(log, "line\n");
  write_text(log2, "line\n");
  pid_t unlinked = 0, truncated = 0, good = 0;
  TracedRun r = traced([&] {
    good = attack({"read", log2});
    truncated = attack({"truncate", log2});
    unlinked = attack({"unlink", log});
  });
  std::filesystem::remove(log2);
  check_fires(r, unlinked,
              {"log_tampering",
               "high",
               "T1070.002",
               "unlink",
               {"wiped a log file with unlink"},
               {{"/args/pathname", log}}});
  check_fires(r, truncated,
              {"log_tampering",
               "high",
               "T1070.002",
               "truncate",
               {"with truncate"},
               {{"/args/path", log2}}});
  check_silent(r, good, "log_tampering");
}

TEST_CASE("default rules: shell_history_tampering",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir home;
  std::string hist = home.file(".bash_history");
  write_text(hist, "ls\n");
  write_text(home.file("notes"), "ls\n");
  pid_t bad = 0, bad_unlink = 0, good = 0;
  TracedRun r = traced([&] {
    good = attack({"open-trunc", home.file("notes")});
    bad = attack({"open-trunc", hist});
    bad_unlink = attack({"unlink", hist});
  });
  check_fires(r, bad,
              {"shell_history_tampering",
               "high",
               "T1070.003",
               "openat",
               {"wiped shell history"},
               {{"/args/filename", hist}}});
  check_fires(r, bad_unlink,
              {"shell_history_tampering",
               "high",
               "T1070.003",
               "unlink",
               {"with unlink"},
               {{"/args/pathname", hist}}});
  check_silent(r, good, "shell_history_tampering");
}

TEST_CASE("default rules: hidden_file_in_tmp", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  std::string hidden = "/tmp/." + unique("vigil-test");
  std::string shm = "/dev/shm/." + unique("vigil-test");
  std::string plain = "/tmp/" + unique("vigil-test");
  pid_t bad = 0, bad_shm = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"open-write", hidden});
    bad_shm = attack({"open-write", shm});
    good = attack({"open-write", plain});
  });
  check_fires(r, bad,
              {"hidden_file_in_tmp",
               "medium",
               "T1564.001",
               "openat",
               {"created a hidden file"},
               {{"/args/filename", hidden}}});
  check_fires(r, bad_shm,
              {"hidden_file_in_tmp",
               "medium",
               "T1564.001",
               "openat",
               {"created a hidden file"},
               {{"/args/filename", shm}}});
  check_silent(r, good, "hidden_file_in_tmp");
}

TEST_CASE("default rules: unexpected_outbound_connection",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  Listener server;
  std::string port = std::to_string(server.port());
  pid_t bad = 0, good = 0;
  TracedRun r = traced([&] {
    bad = attack({"--comm", "awk", "connect", port});
    good = attack({"--comm", "vt-client", "connect", port});
  });
  check_fires(
      r, bad,
      {"unexpected_outbound_connection",
       "high",
       "T1071",
       "connect",
       {"awk", "127.0.0.1", "htons(" + port + ")"},
       {{"/args/uservaddr/sa_family", "AF_INET"}, {"/process/comm", "awk"}}});
  check_silent(r, good, "unexpected_outbound_connection");
}

} // namespace vigil::test
