#include "cli/monitor_fields.h"

#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "decode/syscall_table.h"

namespace vigil {

namespace {

using Values = std::vector<std::string>;

std::uint32_t resolve_uid(const std::string &text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit)) {
    // (uid_t)-1 means "no user" to the kernel.
    if (text.size() > 10 || std::stoull(text) >= 4294967295ull)
      throw ValueError(text + " is not a user id");
    return static_cast<std::uint32_t>(std::stoul(text));
  }
  passwd pw{};
  passwd *found = nullptr;
  char buf[4096];
  if (getpwnam_r(text.c_str(), &pw, buf, sizeof(buf), &found) != 0 ||
      found == nullptr) {
    throw ValueError("no user named '" + text + "'");
  }
  return pw.pw_uid;
}

std::uint32_t existing_pid(const std::string &text) {
  std::uint32_t pid = static_cast<std::uint32_t>(parse_int(text, 1, 4194304));
  struct stat st {};
  std::string path = "/proc/" + std::to_string(pid);
  if (stat(path.c_str(), &st) != 0)
    throw ValueError("no process with pid " + std::to_string(pid));
  return pid;
}

// resolve_exe - the path as the kernel will name it: symlinks and
// relative parts resolved, when the file is there at start-up.
std::string resolve_exe(const std::string &path) {
  if (path.empty() || path[0] != '/')
    throw ValueError("'" + path + "' is not an absolute path");
  char resolved[PATH_MAX];
  std::string exe = realpath(path.c_str(), resolved) ? resolved : path;
  if (exe.size() >= VIGIL_EXE_KEY_LEN) {
    throw ValueError("'" + path + "' is longer than " +
                     std::to_string(VIGIL_EXE_KEY_LEN - 1) + " bytes");
  }
  return exe;
}

std::vector<std::uint32_t> namespaces(const Values &v) {
  std::vector<std::uint32_t> ids;
  for (const std::string &text : v)
    ids.push_back(static_cast<std::uint32_t>(parse_int(text, 1, 0xffffffff)));
  return ids;
}

void add_flag_output(MonitorOptions &o, OutputConfig output) {
  if (!o.outputs_from_flags) {
    o.outputs.clear();
    o.outputs_from_flags = true;
  }
  o.outputs.push_back(std::move(output));
}

// The table. Flags of an output replace the file's outputs: list as a
// whole, so that a flag always means what it says.
const std::vector<Field<MonitorOptions>> kFields = {
    {"scope.comm", "--comm", "NAME",
     "trace programs with this name, e.g. --comm ls (repeat or separate "
     "with commas; the kernel keeps 15 characters)",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       for (const std::string &c : v) {
         if (c.empty())
           throw ValueError("empty name");
       }
       o.capture.scope.comms = v;
     }},
    {"scope.pid", "--pid", "PID",
     "trace this process and all its threads, e.g. --pid 1234; 'new': "
     "only processes started after vigil",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       Scope &scope = o.capture.scope;
       scope.pids.clear();
       scope.new_pids = false;
       for (const std::string &p : v) {
         if (p == "new")
           scope.new_pids = true;
         else
           scope.pids.push_back(existing_pid(p));
       }
     }},
    {"scope.container", "--container", "WHICH",
     "trace only containers: any (the flag alone), 'new' (started after "
     "vigil, from their first exec), or an id prefix or name, e.g. "
     "--container new",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       ContainerScope &c = o.capture.scope.containers;
       c.any = c.fresh = false;
       c.refs.clear();
       for (const std::string &w : v) {
         if (w == "any")
           c.any = true;
         else if (w == "new")
           c.fresh = true;
         else if (w.empty())
           throw ValueError("an empty container");
         else
           c.refs.push_back(w);
       }
     },
     nullptr, "any"},
    {"scope.no_container", "--no-container", "",
     "trace only processes outside containers (the host)", ValueType::kBool,
     [](MonitorOptions &o, const Values &v) {
       o.capture.scope.containers.none = v[0] == "true";
     }},
    {"scope.exe", "--exe", "PATH",
     "trace processes running this executable, e.g. --exe /usr/bin/curl "
     "(symlinks are resolved at start-up)",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       o.capture.scope.exes.clear();
       for (const std::string &e : v)
         o.capture.scope.exes.push_back(resolve_exe(e));
     }},
    {"scope.mntns", "--mntns", "ID",
     "trace processes in this mount namespace (the number in readlink "
     "/proc/PID/ns/mnt), e.g. --mntns 4026531841",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       o.capture.scope.mount_nses = namespaces(v);
     }},
    {"scope.pidns", "--pidns", "ID",
     "trace processes in this pid namespace, e.g. --pidns 4026531836",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       o.capture.scope.pid_nses = namespaces(v);
     }},
    {"scope.uid", "--uid", "UID",
     "trace processes of this user id or name, e.g. --uid 1000",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       o.capture.scope.uids.clear();
       for (const std::string &u : v)
         o.capture.scope.uids.push_back(resolve_uid(u));
     }},
    {"scope.events", "--events", "LIST",
     "only these events: syscall names or sched_process_fork, "
     "sched_process_exec, sched_process_exit, task_rename, "
     "container_create, container_remove, signal_deliver, e.g. --events "
     "openat,execve",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) {
       for (const std::string &e : v)
         check_event_name(e);
       o.capture.scope.events = v;
     }},
    {"scope.follow", "--follow", "",
     "also trace every process a traced one starts, from its fork on, "
     "e.g. --comm bash --follow",
     ValueType::kBool,
     [](MonitorOptions &o, const Values &v) {
       o.capture.scope.follow = v[0] == "true";
     }},
    {"format", "--format", "FORMAT",
     "json (one object per line) or text (for a person), e.g. --format text",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       o.format = one_of(v[0], {"json", "text"}) == "text"
                      ? OutputFormat::kText
                      : OutputFormat::kJson;
     }},
    {"", "-o,--output", "FILE",
     "write events to FILE (- for stdout) instead of the configured "
     "outputs, e.g. --output /var/log/vigil.json",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       add_flag_output(o, v[0].empty() || v[0] == "-" ? stdout_output()
                                                      : file_output(v[0]));
     }},
    {"", "--output-http", "URL",
     "POST events as JSON lines to URL (output flags together replace "
     "the configured outputs), e.g. --output-http "
     "http://127.0.0.1:8080/events",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       add_flag_output(o, http_output(v[0]));
     }},
    {"", "--output-syslog", "ADDRESS",
     "send events to syslog (RFC 5424), e.g. --output-syslog "
     "udp://127.0.0.1:514, tcp://HOST:PORT or unix:///dev/log",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       add_flag_output(o, syslog_output(v[0]));
     }},
    {"outputs", "", "", "where events go: see docs/outputs.md",
     ValueType::kNode, nullptr,
     [](MonitorOptions &o, const YAML::Node &node, ConfigReader &reader) {
       parse_outputs_node(o.outputs, node, reader);
     }},
    {"capture.ring_size", "--ring-size", "SIZE",
     "kernel ring buffer size, a power of two, e.g. --ring-size 64M "
     "(default 16M)",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       unsigned long long bytes = parse_size(v[0], 1ull << 31);
       if (bytes < 4096 || (bytes & (bytes - 1)) != 0)
         throw ValueError("must be a power of two of at least 4096, like 8M");
       o.capture.ring_bytes = static_cast<std::uint32_t>(bytes);
     }},
    {"capture.string_max", "--string-max", "BYTES",
     "bytes kept of each captured string, e.g. --string-max 256 (default "
     "and most 4096)",
     ValueType::kInt,
     [](MonitorOptions &o, const Values &v) {
       o.capture.string_max =
           static_cast<std::uint32_t>(parse_int(v[0], 1, 4096));
     }},
    {"workers", "--workers", "N",
     "decoding threads, e.g. --workers 2 (default 0: CPUs - 1)",
     ValueType::kInt,
     [](MonitorOptions &o, const Values &v) {
       o.workers = static_cast<int>(parse_int(v[0], 0, 64));
     }},
    {"log_level", "--log-level", "LEVEL",
     "vigil's own messages on stderr: error, warn, info, debug or trace, "
     "e.g. --log-level debug",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       o.log_level = one_of(v[0], {"error", "warn", "info", "debug", "trace"});
     }},
    {"context.disable", "--no-context", "",
     "leave out the process table's and the container runtimes' context "
     "(exe, cmdline, parent, container, ...)",
     ValueType::kBool,
     [](MonitorOptions &o, const Values &v) { o.no_context = v[0] == "true"; }},
    {"context.docker_socket", "--docker-socket", "PATH",
     "the Docker Engine API socket asked about containers (default "
     "/var/run/docker.sock)",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       o.context.container.runtime.docker_socket = v[0];
     }},
    {"context.docker_root", "--docker-root", "DIR",
     "Docker's data root, read when its API does not answer (default "
     "/var/lib/docker)",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       o.context.container.runtime.docker_root = v[0];
     }},
    {"context.podman_root", "--podman-root", "DIR",
     "podman's storage root (default /var/lib/containers/storage)",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       o.context.container.runtime.podman_root = v[0];
     }},
    {"rules.paths", "--rules", "PATH",
     "load detection rules from these YAML files or directories of *.yaml, "
     "e.g. --rules /etc/vigil/rules; detections are written among the "
     "events",
     ValueType::kList,
     [](MonitorOptions &o, const Values &v) { o.rule_paths = v; }},
    {"rules.detections_only", "--detections-only", "",
     "write detections only, and capture only the events the rules need "
     "(the built-in rules without --rules)",
     ValueType::kBool,
     [](MonitorOptions &o, const Values &v) {
       o.detections_only = v[0] == "true";
     }},
    {"rules.format", "--detection-format", "FORMAT",
     "vigil (default) or falco: Falco's JSON output fields, e.g. "
     "--detection-format falco",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       o.detection_format = one_of(v[0], {"vigil", "falco"}) == "falco"
                                ? rules::DetectionFormat::kFalco
                                : rules::DetectionFormat::kVigil;
     }},
    {"rules.rate", "--detection-rate", "N/PERIOD",
     "at most N identical detections (same rule, process and message) per "
     "period, e.g. --detection-rate 10/s or 5/m (default: no limit)",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       if (v[0].empty()) {
         o.detection_rate = {};
         return;
       }
       std::optional<rules::RateLimit> r = rules::parse_rate_limit(v[0]);
       if (!r) {
         throw ValueError("'" + v[0] +
                          "' is not a rate such as 10/s, 100/m or 5/10s");
       }
       o.detection_rate = *r;
     }},
    {"metrics.address", "--metrics-address", "ADDR",
     "serve /metrics and /healthz on HOST:PORT (PORT alone: loopback), "
     "e.g. --metrics-address 127.0.0.1:9090; off by default",
     ValueType::kString,
     [](MonitorOptions &o, const Values &v) {
       if (!v[0].empty())
         parse_metrics_address(v[0]);
       o.metrics_address = v[0];
     }},
};

} // namespace

std::span<const Field<MonitorOptions>> monitor_fields() { return kFields; }

std::vector<ConfigProblem> read_config_file(const std::string &path,
                                            MonitorOptions &opts) {
  ConfigReader reader(path);
  YAML::Node doc = reader.load();
  // A file that parsed is read whole, duplicate keys and all, so that one
  // check reports every problem.
  if (!doc.IsNull())
    reader.apply_map<MonitorOptions>(doc, monitor_fields(), opts);
  if (reader.problems().empty()) {
    try {
      finish_outputs(opts);
    } catch (const ValueError &e) {
      return {{path, 0, 0, "outputs", e.what()}};
    }
    try {
      finish_settings(opts);
    } catch (const ValueError &e) {
      return {{path, 0, 0, "scope", e.what()}};
    }
  }
  return reader.problems();
}

void check_event_name(const std::string &name) {
  for (std::string_view known : kProcessEventNames) {
    if (name == known)
      return;
  }
  if (syscall_number(Abi::x86_64, name) || syscall_number(Abi::i386, name))
    return;
  throw ValueError("unknown event '" + name +
                   "': give syscall names such as openat, or " +
                   process_event_list());
}

void finish_settings(MonitorOptions &opts) {
  const ContainerScope &c = opts.capture.scope.containers;
  if (c.none && (c.any || c.fresh || !c.refs.empty()))
    throw ValueError("--no-container cannot be combined with --container");
  if (c.active() && opts.no_context) {
    throw ValueError("--container and --no-container need the context "
                     "that --no-context leaves out");
  }
  opts.rules = !opts.rule_paths.empty() || opts.detections_only;
  finish_outputs(opts);
}

void finish_outputs(MonitorOptions &opts) {
  name_outputs(opts.outputs);
  for (std::size_t i = 0; i < opts.outputs.size(); ++i) {
    const OutputConfig &o = opts.outputs[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (opts.outputs[j].name == o.name)
        throw ValueError("two outputs are named '" + o.name + "'");
    }
    if (o.kind == OutputKind::kHttp && opts.format != OutputFormat::kJson)
      throw ValueError("the http output '" + o.name +
                       "' sends JSON: it needs format json");
  }
}

std::pair<std::string, int> parse_metrics_address(const std::string &text) {
  std::size_t colon = text.rfind(':');
  std::string host =
      colon == std::string::npos ? "127.0.0.1" : text.substr(0, colon);
  std::string port = colon == std::string::npos ? text : text.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty())
    host = "127.0.0.1";
  return {host, static_cast<int>(parse_int(port, 1, 65535))};
}

} // namespace vigil
