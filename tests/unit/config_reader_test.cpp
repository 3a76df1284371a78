// config_reader_test.cpp - the configuration file: every kind of problem
// is reported with its key, line and column; flags override the file;
// the shipped config/vigil.yaml holds every setting and loads cleanly.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "cli/monitor_fields.h"

namespace vigil {
namespace {

// ConfigFile - text written to a temporary file, removed at the end.
class ConfigFile {
public:
  explicit ConfigFile(const std::string &text) {
    char tmpl[] = "/tmp/vigil-config-XXXXXX";
    int fd = mkstemp(tmpl);
    path_ = tmpl;
    std::ofstream(path_) << text;
    close(fd);
  }
  ~ConfigFile() { unlink(path_.c_str()); }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

std::vector<ConfigProblem> problems_of(const std::string &text,
                                       MonitorOptions &opts) {
  ConfigFile f(text);
  std::vector<ConfigProblem> problems = read_config_file(f.path(), opts);
  for (ConfigProblem &p : problems) {
    CHECK(p.file == f.path());
    p.file = "FILE";
  }
  return problems;
}

ConfigProblem only_problem(const std::string &text) {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems = problems_of(text, opts);
  REQUIRE(problems.size() == 1);
  return problems[0];
}

} // namespace

TEST_CASE("config: an unknown key is named with its line and column",
          "[config]") {
  ConfigProblem p = only_problem("workers: 2\nscope:\n  comms: [ls]\n");
  CHECK(p.key == "scope.comms");
  CHECK(p.line == 3);
  CHECK(p.column == 3);
  CHECK(p.message == "unknown key");
  CHECK(p.describe() == "FILE:3:3: scope.comms: unknown key");
}

TEST_CASE("config: an unknown top-level section is an unknown key",
          "[config]") {
  ConfigProblem p = only_problem("\n\nfilters:\n  x: 1\n");
  CHECK(p.key == "filters");
  CHECK(p.line == 3);
  CHECK(p.column == 1);
}

TEST_CASE("config: a word where a number belongs is a wrong type", "[config]") {
  ConfigProblem p = only_problem("format: json\nworkers: many\n");
  CHECK(p.key == "workers");
  CHECK(p.line == 2);
  CHECK(p.column == 10);
  CHECK(p.message == "wrong type: expected a whole number");
}

TEST_CASE("config: a list where one value belongs is a wrong type",
          "[config]") {
  ConfigProblem p = only_problem("format: [json, text]\n");
  CHECK(p.key == "format");
  CHECK(p.line == 1);
  CHECK(p.message == "wrong type: expected one value, not a list");
}

TEST_CASE("config: a map where a value belongs is a wrong type", "[config]") {
  ConfigProblem p = only_problem("log_level:\n  level: info\n");
  CHECK(p.key == "log_level");
  CHECK(p.line == 2);
  CHECK(p.message == "wrong type: expected a value, not a map");
}

TEST_CASE("config: a word where true or false belongs is a wrong type",
          "[config]") {
  ConfigProblem p = only_problem("scope:\n  follow: sometimes\n");
  CHECK(p.key == "scope.follow");
  CHECK(p.line == 2);
  CHECK(p.column == 11);
  CHECK(p.message == "wrong type: expected true or false");
}

TEST_CASE("config: impossible values say why", "[config]") {
  struct Case {
    std::string text, key, message;
    int line;
  };
  const Case cases[] = {
      {"capture:\n  ring_size: 3M\n", "capture.ring_size",
       "must be a power of two of at least 4096, like 8M", 2},
      {"workers: 65\n", "workers", "65 is out of range: use 0 to 64", 1},
      {"format: yaml\n", "format", "'yaml' is not one of json, text", 1},
      {"capture:\n  string_max: 0\n", "capture.string_max",
       "0 is out of range: use 1 to 4096", 2},
      {"scope:\n  uid: [no-such-user-here]\n", "scope.uid",
       "no user named 'no-such-user-here'", 2},
      {"scope:\n  pid: [4194000]\n", "scope.pid", "no process with pid 4194000",
       2},
      {"scope:\n  events: [opnat]\n", "scope.events",
       "unknown event 'opnat': give syscall names such as openat, or "
       "sched_process_fork, sched_process_exec, sched_process_exit, "
       "task_rename, container_create, container_remove, signal_deliver",
       2},
      {"metrics:\n  address: 127.0.0.1:99999\n", "metrics.address",
       "99999 is out of range: use 1 to 65535", 2},
  };
  for (const Case &c : cases) {
    INFO(c.text);
    ConfigProblem p = only_problem(c.text);
    CHECK(p.key == c.key);
    CHECK(p.message == c.message);
    CHECK(p.line == c.line);
  }
}

TEST_CASE("config: output problems name the output and the key", "[config]") {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems =
      problems_of("outputs:\n"
                  "  - type: stdout\n"
                  "  - type: http\n"
                  "    url: ftp://example.com\n"
                  "    path: /tmp/x\n"
                  "  - type: syslog\n"
                  "    address: udp://127.0.0.1\n"
                  "    facility: local9\n"
                  "  - type: pigeon\n",
                  opts);
  REQUIRE(problems.size() == 6);
  CHECK(problems[0].describe() ==
        "FILE:4:10: outputs[2].url: 'ftp://example.com' is not an http:// "
        "or https:// URL");
  CHECK(problems[1].describe() == "FILE:5:5: outputs[2].path: unknown key");
  CHECK(problems[2].describe() ==
        "FILE:3:5: outputs[2].url: an http output needs url");
  CHECK(problems[3].describe() ==
        "FILE:7:14: outputs[3].address: 'udp://127.0.0.1' needs HOST:PORT");
  CHECK(problems[4].key == "outputs[3].facility");
  CHECK(problems[4].line == 8);
  CHECK(problems[5].describe() ==
        "FILE:9:11: outputs[4].type: 'pigeon' is not one of stdout, file, "
        "http, syslog");
}

TEST_CASE("config: a syntax error is reported with its place", "[config]") {
  ConfigProblem p = only_problem("scope:\n  comm: [ls\nworkers: 1\n");
  CHECK(p.line >= 2);
  CHECK(p.key.empty());
  CHECK_FALSE(p.message.empty());
}

TEST_CASE("config: a key given twice is named at its second place",
          "[config]") {
  ConfigProblem top = only_problem("outputs:\n  - type: stdout\nworkers: 2\n"
                                   "outputs:\n  - type: stdout\n");
  CHECK(top.describe() ==
        "FILE:4:1: outputs: duplicate key: first given at line 1, column 1");

  ConfigProblem nested =
      only_problem("scope:\n  comm: [ls]\n  follow: true\n  comm: [cat]\n");
  CHECK(nested.describe() == "FILE:4:3: scope.comm: duplicate key: first "
                             "given at line 2, column 3");

  ConfigProblem output = only_problem("outputs:\n  - type: stdout\n"
                                      "  - type: file\n    path: /tmp/a\n"
                                      "    path: /tmp/b\n");
  CHECK(output.describe() == "FILE:5:5: outputs[2].path: duplicate key: "
                             "first given at line 4, column 5");
}

TEST_CASE("config: a duplicate key is reported with the file's other "
          "problems",
          "[config]") {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems =
      problems_of("workers: 1\nformat: yaml\nworkers: 2\n", opts);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].describe() ==
        "FILE:3:1: workers: duplicate key: first given at line 1, column 1");
  CHECK(problems[1].describe() ==
        "FILE:2:9: format: 'yaml' is not one of json, text");
}

TEST_CASE("config: a map reached twice through an alias is one problem",
          "[config]") {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems =
      problems_of("outputs:\n  - &out {type: stdout, type: stdout}\n"
                  "  - *out\n",
                  opts);
  REQUIRE_FALSE(problems.empty());
  CHECK(problems[0].describe() == "FILE:2:25: outputs[1].type: duplicate "
                                  "key: first given at line 2, column 11");
  for (std::size_t i = 1; i < problems.size(); ++i)
    CHECK(problems[i].message.find("duplicate") == std::string::npos);
}

TEST_CASE("config: every problem of a file is reported at once", "[config]") {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems =
      problems_of("workers: x\nformat: y\nnope: 1\n", opts);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].key == "workers");
  CHECK(problems[1].key == "format");
  CHECK(problems[2].key == "nope");
}

TEST_CASE("config: values land in the options", "[config]") {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems =
      problems_of("scope:\n  comm: [ls, cat]\n  follow: yes\n  uid: [0]\n"
                  "capture:\n  ring_size: 64M\n  string_max: 256\n"
                  "format: text\nworkers: 3\nlog_level: debug\n"
                  "metrics:\n  address: 9100\n"
                  "outputs:\n"
                  "  - type: file\n    path: /tmp/v.log\n    rotate_size: 10M\n"
                  "    keep: 3\n    mode: \"0600\"\n"
                  "  - type: syslog\n    address: tcp://[::1]:6514\n"
                  "    facility: auth\n    severity: warning\n",
                  opts);
  CHECK(problems.empty());
  CHECK(opts.capture.scope.comms == std::vector<std::string>{"ls", "cat"});
  CHECK(opts.capture.scope.follow);
  CHECK(opts.capture.scope.uids == std::vector<std::uint32_t>{0});
  CHECK(opts.capture.ring_bytes == 64u << 20);
  CHECK(opts.capture.string_max == 256);
  CHECK(opts.format == OutputFormat::kText);
  CHECK(opts.workers == 3);
  CHECK(opts.log_level == "debug");
  CHECK(opts.metrics_address == "9100");
  CHECK(parse_metrics_address(opts.metrics_address) ==
        std::pair<std::string, int>{"127.0.0.1", 9100});
  REQUIRE(opts.outputs.size() == 2);
  CHECK(opts.outputs[0].kind == OutputKind::kFile);
  CHECK(opts.outputs[0].name == "file");
  CHECK(opts.outputs[0].file.rotate_bytes == 10u << 20);
  CHECK(opts.outputs[0].file.keep == 3);
  CHECK(opts.outputs[0].file.mode == 0600);
  CHECK(opts.outputs[1].syslog.transport == SyslogTransport::kTcp);
  CHECK(opts.outputs[1].syslog.host == "::1");
  CHECK(opts.outputs[1].syslog.port == 6514);
  CHECK(opts.outputs[1].syslog.facility == 4);
  CHECK(opts.outputs[1].syslog.severity == 4);
}

TEST_CASE("config: an http output with text lines is refused", "[config]") {
  ConfigProblem p = only_problem(
      "format: text\noutputs:\n  - type: http\n    url: http://x/\n");
  CHECK(p.key == "outputs");
  CHECK(p.message == "the http output 'http' sends JSON: it needs format json");
}

TEST_CASE("config: flags override the file, output flags replace its "
          "outputs",
          "[config]") {
  ConfigFile f("workers: 3\nformat: text\nscope:\n  comm: [ls]\n"
               "outputs:\n  - type: file\n    path: /tmp/vigil-a.log\n");
  std::vector<std::string> args = {
      "vigil",    "--config", f.path(),        "--workers",           "5",
      "--format", "json",     "--output-http", "http://127.0.0.1:1/", "-o",
      "-"};
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  ParseResult r =
      parse_command_line(static_cast<int>(argv.size()), argv.data());
  REQUIRE(r.monitor.has_value());
  CHECK(r.monitor->workers == 5);
  CHECK(r.monitor->format == OutputFormat::kJson);
  CHECK(r.monitor->capture.scope.comms == std::vector<std::string>{"ls"});
  REQUIRE(r.monitor->outputs.size() == 2);
  std::set<OutputKind> kinds;
  for (const OutputConfig &o : r.monitor->outputs)
    kinds.insert(o.kind);
  CHECK(kinds == std::set<OutputKind>{OutputKind::kHttp, OutputKind::kStdout});
}

TEST_CASE("config: the shipped vigil.yaml loads and names every setting",
          "[config]") {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems =
      read_config_file(VIGIL_CONFIG_FILE, opts);
  for (const ConfigProblem &p : problems)
    FAIL_CHECK(p.describe());
  CHECK(problems.empty());

  // The shipped file states every default: what it sets equals what an
  // empty configuration gives.
  MonitorOptions defaults;
  CHECK(opts.capture.ring_bytes == defaults.capture.ring_bytes);
  CHECK(opts.capture.string_max == defaults.capture.string_max);
  CHECK(opts.workers == defaults.workers);
  CHECK(opts.log_level == defaults.log_level);
  CHECK(opts.metrics_address == defaults.metrics_address);
  REQUIRE(opts.outputs.size() == 1);
  CHECK(opts.outputs[0].kind == OutputKind::kStdout);

  std::ifstream in(VIGIL_CONFIG_FILE);
  std::stringstream text;
  text << in.rdbuf();
  for (const Field<MonitorOptions> &f : monitor_fields()) {
    if (f.key.empty())
      continue;
    std::string leaf(f.key.substr(f.key.rfind('.') + 1));
    INFO("setting " << f.key << " is missing from config/vigil.yaml");
    CHECK(text.str().find(leaf + ":") != std::string::npos);
  }
}

} // namespace vigil
