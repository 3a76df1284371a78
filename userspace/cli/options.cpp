#include "cli/options.h"

#include <pwd.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "decode/event_schema.h"
#include "decode/syscall_classes.h"
#include "decode/syscall_table.h"

namespace vigil {

namespace {

constexpr const char *kDescription =
    "vigil - trace syscalls and process events system-wide with eBPF.\n"
    "Prints one JSON line per event. Flags of one kind are alternatives;\n"
    "different kinds must all match.\n\n"
    "Examples:\n"
    "  vigil --comm ls                 every syscall of programs named ls\n"
    "  vigil --pid 1234 --follow       process 1234 and its new children\n"
    "  vigil --events openat,execve    only these syscalls, system-wide\n"
    "  vigil --format text | less      readable lines instead of JSON\n"
    "  vigil --detections-only         only what the default rules detect\n"
    "  vigil --rules my_rules.yaml     events, and detections of these rules\n"
    "  vigil trace -f -- make          strace's view of a command";

constexpr const char *kTraceDescription =
    "Trace a command, or running processes, as strace does: one line per\n"
    "syscall on stderr, or a summary table.\n\n"
    "Examples:\n"
    "  vigil trace -- ls -la            trace ls from its exec on\n"
    "  vigil trace -f -o out.txt -- make  make and all it starts\n"
    "  vigil trace -p 1234,1235         running processes, until Ctrl-C\n"
    "  vigil trace -c -f -- make        count and time syscalls\n"
    "  vigil trace -e trace=%file,close -e status=failed -- cat x";

std::uint32_t parse_size(const std::string &text) {
  std::size_t used = 0;
  unsigned long long value = std::stoull(text, &used, 0);
  std::string unit = text.substr(used);
  if (unit == "K" || unit == "k")
    value <<= 10;
  else if (unit == "M" || unit == "m")
    value <<= 20;
  else if (unit == "G" || unit == "g")
    value <<= 30;
  else if (!unit.empty())
    throw std::invalid_argument("unit");
  if (value == 0 || value > (1ull << 31))
    throw std::out_of_range("size");
  return static_cast<std::uint32_t>(value);
}

bool is_power_of_two(std::uint64_t v) { return v && !(v & (v - 1)); }

std::uint32_t resolve_uid(const std::string &text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit)) {
    // (uid_t)-1 means "no user" to the kernel.
    if (text.size() > 10 || std::stoull(text) >= 4294967295ull) {
      throw CLI::ValidationError("--uid", text + " is not a user id");
    }
    return static_cast<std::uint32_t>(std::stoul(text));
  }
  passwd pw{};
  passwd *found = nullptr;
  char buf[4096];
  if (getpwnam_r(text.c_str(), &pw, buf, sizeof(buf), &found) != 0 ||
      found == nullptr) {
    throw CLI::ValidationError("--uid", "no user named '" + text + "'");
  }
  return pw.pw_uid;
}

void check_pid(std::uint32_t pid) {
  struct stat st {};
  std::string path = "/proc/" + std::to_string(pid);
  if (pid == 0 || stat(path.c_str(), &st) != 0) {
    throw CLI::ValidationError("--pid",
                               "no process with pid " + std::to_string(pid));
  }
}

void check_event(const std::string &name, const char *flag = "--events") {
  for (std::string_view known : kProcessEventNames) {
    if (name == known)
      return;
  }
  if (syscall_number(Abi::x86_64, name) || syscall_number(Abi::i386, name)) {
    return;
  }
  throw CLI::ValidationError(flag,
                             "unknown event '" + name +
                                 "': give syscall names such as openat, or " +
                                 process_event_list());
}

void apply_ring_size(const std::string &text, CaptureSettings &capture) {
  std::uint32_t bytes;
  try {
    bytes = parse_size(text);
  } catch (const std::exception &) {
    throw CLI::ValidationError("--ring-size",
                               "'" + text + "' is not a size such as 16M");
  }
  if (!is_power_of_two(bytes) || bytes < 4096) {
    throw CLI::ValidationError(
        "--ring-size", "must be a power of two of at least 4096, like 8M");
  }
  capture.ring_bytes = bytes;
}

// ScopeFlags - the scope flags as given, before they are checked.
struct ScopeFlags {
  std::vector<std::string> pids;
  std::vector<std::string> containers;
  bool no_container = false;
  std::vector<std::string> exes;
  std::vector<std::uint32_t> mount_nses;
  std::vector<std::uint32_t> pid_nses;
};

std::uint32_t parse_pid(const std::string &text) {
  if (text.empty() || text.size() > 10 ||
      !std::all_of(text.begin(), text.end(), ::isdigit) ||
      std::stoull(text) > 0x7fffffff) {
    throw CLI::ValidationError("--pid",
                               "'" + text + "' is not a process id or 'new'");
  }
  auto pid = static_cast<std::uint32_t>(std::stoul(text));
  check_pid(pid);
  return pid;
}

// resolve_exe - the path as the kernel will name it: symlinks and
// relative parts resolved, when the file is there at start-up.
std::string resolve_exe(const std::string &path) {
  if (path.empty() || path[0] != '/') {
    throw CLI::ValidationError("--exe",
                               "'" + path + "' is not an absolute path");
  }
  char resolved[PATH_MAX];
  std::string exe = realpath(path.c_str(), resolved) ? resolved : path;
  if (exe.size() >= VIGIL_EXE_KEY_LEN) {
    throw CLI::ValidationError(
        "--exe", "'" + path + "' is longer than " +
                     std::to_string(VIGIL_EXE_KEY_LEN - 1) + " bytes");
  }
  return exe;
}

void apply_scope_flags(const ScopeFlags &flags, Scope &scope) {
  for (const std::string &p : flags.pids) {
    if (p == "new")
      scope.new_pids = true;
    else
      scope.pids.push_back(parse_pid(p));
  }
  ContainerScope &c = scope.containers;
  for (const std::string &v : flags.containers) {
    if (v == "any" || v.empty())
      c.any = true;
    else if (v == "new")
      c.fresh = true;
    else
      c.refs.push_back(v);
  }
  if (flags.no_container && (c.any || c.fresh || !c.refs.empty())) {
    throw CLI::ValidationError("--no-container",
                               "cannot be combined with --container");
  }
  c.none = flags.no_container;
  for (const std::string &e : flags.exes)
    scope.exes.push_back(resolve_exe(e));
  for (std::uint32_t ns : flags.mount_nses) {
    if (ns == 0)
      throw CLI::ValidationError("--mntns", "0 is not a namespace");
    scope.mount_nses.push_back(ns);
  }
  for (std::uint32_t ns : flags.pid_nses) {
    if (ns == 0)
      throw CLI::ValidationError("--pidns", "0 is not a namespace");
    scope.pid_nses.push_back(ns);
  }
}

// add_context_flags - where the process and container context comes from.
void add_context_flags(CLI::App &app, MonitorOptions &opts) {
  RuntimeSettings &rt = opts.context.container.runtime;
  app.add_flag("--no-context", opts.no_context,
               "leave out the process table's and the container runtimes' "
               "context (exe, cmdline, parent, container, ...)");
  app.add_option("--docker-socket", rt.docker_socket,
                 "the Docker Engine API socket asked about containers "
                 "(default /var/run/docker.sock)")
      ->type_name("PATH");
  app.add_option("--docker-root", rt.docker_root,
                 "Docker's data root, read when its API does not answer "
                 "(default /var/lib/docker)")
      ->type_name("DIR");
  app.add_option("--podman-root", rt.podman_root,
                 "podman's storage root (default /var/lib/containers/storage)")
      ->type_name("DIR");
}

// RuleFlags - the rule flags as given, checked in finish_monitor.
struct RuleFlags {
  std::string detection_format = "vigil";
  std::string detection_rate;
};

void add_rule_flags(CLI::App &app, MonitorOptions &opts, RuleFlags &flags) {
  app.add_option("--rules", opts.rule_paths,
                 "load detection rules from these YAML files or "
                 "directories of *.yaml, e.g. --rules /etc/vigil/rules; "
                 "detections are written among the events")
      ->type_name("PATH")
      ->expected(1, -1);
  app.add_flag("--detections-only", opts.detections_only,
               "write detections only, and capture only the events the "
               "rules need (the built-in rules without --rules)");
  app.add_option("--detection-format", flags.detection_format,
                 "vigil (default) or falco: Falco's JSON output fields, "
                 "e.g. --detection-format falco")
      ->check(CLI::IsMember({"vigil", "falco"}))
      ->type_name("FORMAT");
  app.add_option("--detection-rate", flags.detection_rate,
                 "at most N identical detections (same rule, process and "
                 "message) per period, e.g. --detection-rate 10/s or 5/m "
                 "(default: no limit)")
      ->type_name("N/PERIOD");
}

void finish_rules(MonitorOptions &opts, const RuleFlags &flags) {
  opts.rules = !opts.rule_paths.empty() || opts.detections_only;
  opts.detection_format = flags.detection_format == "falco"
                              ? rules::DetectionFormat::kFalco
                              : rules::DetectionFormat::kVigil;
  if (!flags.detection_rate.empty()) {
    std::optional<rules::RateLimit> r =
        rules::parse_rate_limit(flags.detection_rate);
    if (!r) {
      throw CLI::ValidationError("--detection-rate",
                                 "'" + flags.detection_rate +
                                     "' is not a rate such as 10/s, 100/m "
                                     "or 5/10s");
    }
    opts.detection_rate = *r;
  }
}

// add_monitor_flags - the flags of the system-wide monitor.
void add_monitor_flags(CLI::App &app, MonitorOptions &opts, ScopeFlags &scope,
                       std::vector<std::string> &uids, std::string &format,
                       std::string &ring_size) {
  app.add_option("--comm", opts.capture.scope.comms,
                 "trace programs with this name, e.g. --comm ls (repeat "
                 "or separate with commas; the kernel keeps 15 characters)")
      ->delimiter(',')
      ->type_name("NAME");
  app.add_option("--pid", scope.pids,
                 "trace this process and all its threads, e.g. --pid 1234; "
                 "'new': only processes started after vigil")
      ->delimiter(',')
      ->type_name("PID");
  app.add_option("--container", scope.containers,
                 "trace only containers: any (the default value), 'new' "
                 "(started after vigil, from their first exec), or an id "
                 "prefix or name, e.g. --container new")
      ->delimiter(',')
      ->expected(0, 1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->default_str("any")
      ->type_name("WHICH");
  app.add_flag("--no-container", scope.no_container,
               "trace only processes outside containers (the host)");
  app.add_option("--exe", scope.exes,
                 "trace processes running this executable, e.g. --exe "
                 "/usr/bin/curl (symlinks are resolved at start-up)")
      ->delimiter(',')
      ->type_name("PATH");
  app.add_option("--mntns", scope.mount_nses,
                 "trace processes in this mount namespace (the number in "
                 "readlink /proc/PID/ns/mnt), e.g. --mntns 4026531841")
      ->delimiter(',')
      ->type_name("ID");
  app.add_option("--pidns", scope.pid_nses,
                 "trace processes in this pid namespace, e.g. --pidns "
                 "4026531836")
      ->delimiter(',')
      ->type_name("ID");
  app.add_option("--uid", uids,
                 "trace processes of this user id or name, e.g. --uid 1000")
      ->delimiter(',')
      ->type_name("UID");
  app.add_option("--events", opts.capture.scope.events,
                 "only these events: syscall names or " + process_event_list() +
                     ", e.g. --events openat,execve")
      ->delimiter(',')
      ->type_name("LIST");
  app.add_flag("--follow", opts.capture.scope.follow,
               "also trace every process a traced one starts, from its "
               "fork on, e.g. --comm bash --follow");
  app.add_option("--format", format,
                 "json (one object per line) or text (for a person), "
                 "e.g. --format text")
      ->check(CLI::IsMember({"json", "text"}))
      ->type_name("FORMAT");
  app.add_option("-o,--output", opts.output,
                 "write events to FILE instead of stdout, e.g. "
                 "--output /var/log/vigil.json")
      ->type_name("FILE");
  app.add_option("--ring-size", ring_size,
                 "kernel ring buffer size, a power of two, e.g. "
                 "--ring-size 64M (default 16M)")
      ->type_name("SIZE");
  app.add_option("--string-max", opts.capture.string_max,
                 "bytes kept of each captured string, e.g. --string-max 256 "
                 "(default and most 4096)")
      ->check(CLI::Range(1, 4096))
      ->type_name("BYTES");
  app.add_option("--workers", opts.workers,
                 "decoding threads, e.g. --workers 2 (default: CPUs - 1)")
      ->check(CLI::Range(1, 64))
      ->type_name("N");
  app.add_option("--log-level", opts.log_level,
                 "vigil's own messages on stderr: error, warn, info, debug "
                 "or trace, e.g. --log-level debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug", "trace"}))
      ->type_name("LEVEL");
  add_context_flags(app, opts);
}

void finish_monitor(MonitorOptions &opts, const ScopeFlags &scope_flags,
                    const std::vector<std::string> &uids,
                    const std::string &format, const std::string &ring_size) {
  for (const std::string &u : uids) {
    opts.capture.scope.uids.push_back(resolve_uid(u));
  }
  apply_scope_flags(scope_flags, opts.capture.scope);
  for (const std::string &e : opts.capture.scope.events)
    check_event(e);
  for (const std::string &c : opts.capture.scope.comms) {
    if (c.empty())
      throw CLI::ValidationError("--comm", "empty name");
  }
  apply_ring_size(ring_size, opts.capture);
  opts.format = format == "text" ? OutputFormat::kText : OutputFormat::kJson;
}

struct TraceFlags {
  std::vector<std::string> exprs;
  int timestamps = 0;
  std::string sort = "time";
  std::string format = "strace";
};

void add_trace_flags(CLI::App &trace, TraceOptions &opts, TraceFlags &flags) {
  trace
      .add_option("-p", opts.pids,
                  "attach to these running processes and all their "
                  "threads, e.g. -p 1234,1235")
      ->delimiter(',')
      ->type_name("PID");
  trace.add_flag("-f", opts.follow,
                 "follow forks: trace the children too, e.g. -f -- make");
  trace
      .add_option("-o", opts.output,
                  "write the trace to FILE instead of stderr, e.g. -o "
                  "trace.txt")
      ->type_name("FILE");
  trace
      .add_option("-e", flags.exprs,
                  "trace=NAMES|%class (classes: %file %process %network "
                  "%signal %ipc %desc %memory) or status=failed, e.g. "
                  "-e trace=openat,%network")
      ->allow_extra_args(false)
      ->type_name("EXPR");
  trace.add_flag("-T", opts.durations,
                 "show the time spent in each syscall, e.g. -T");
  trace.add_flag("-t", flags.timestamps,
                 "prefix each line with the time: -t seconds, -tt "
                 "microseconds, -ttt since the epoch");
  trace
      .add_option("-s", opts.string_limit,
                  "bytes of each string or buffer to show (default 32), "
                  "e.g. -s 128; paths are always shown whole")
      ->check(CLI::Range(1, 4096))
      ->type_name("SIZE");
  trace.add_flag("-y", opts.fd_paths,
                 "show the path behind each file descriptor, e.g. -y");
  trace.add_flag("-c", opts.summary,
                 "print a table of syscall counts, errors and times "
                 "instead of the lines");
  trace.add_flag("-C", opts.summary_and_lines,
                 "print the lines and the table at the end");
  trace
      .add_option("-S", flags.sort,
                  "sort the table by time, calls, errors, name or "
                  "nothing, e.g. -S calls")
      ->check(CLI::IsMember({"time", "calls", "errors", "name", "nothing"}))
      ->type_name("SORTBY");
  trace
      .add_option("--format", flags.format,
                  "strace (default) or json, e.g. --format json")
      ->check(CLI::IsMember({"strace", "json"}))
      ->type_name("FORMAT");
  trace
      .add_option("--log-level", opts.log_level,
                  "vigil's own messages on stderr (default warn), e.g. "
                  "--log-level info")
      ->check(CLI::IsMember({"error", "warn", "info", "debug", "trace"}))
      ->type_name("LEVEL");
  // Everything from the command on is the command's, flags included.
  trace.prefix_command();
  trace.footer("CMD [ARGS]: the command to run and trace, after --");
}

// apply_trace_expr - one -e expression: trace=..., status=..., or names.
void apply_trace_expr(const std::string &expr, TraceOptions &opts) {
  static const EventSchema schema;
  std::string value = expr;
  std::string key = "trace";
  if (auto eq = expr.find('='); eq != std::string::npos) {
    key = expr.substr(0, eq);
    value = expr.substr(eq + 1);
  }
  if (key == "status") {
    if (value != "failed") {
      throw CLI::ValidationError("-e", "status=" + value +
                                           " is not supported; use "
                                           "status=failed");
    }
    opts.failed_only = true;
    return;
  }
  if (key != "trace") {
    throw CLI::ValidationError("-e", "unknown qualifier '" + key +
                                         "': use trace= or status=");
  }
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    std::string name = value.substr(start, comma - start);
    start = comma == std::string::npos ? value.size() + 1 : comma + 1;
    if (name.empty())
      continue;
    if (name[0] != '%') {
      check_event(name, "-e");
      opts.syscalls.push_back(name);
      continue;
    }
    bool known = false;
    for (std::size_t s = 0; s < schema.slot_count(); ++s) {
      std::optional<bool> in = in_class(name.substr(1), schema.at_slot(s));
      known = known || in.has_value();
      if (in.value_or(false)) {
        opts.syscalls.push_back(std::string(schema.at_slot(s).name));
      }
    }
    if (!known) {
      throw CLI::ValidationError("-e", "unknown class '" + name +
                                           "': use %file, %process, "
                                           "%network, %signal, %ipc, %desc "
                                           "or %memory");
    }
  }
}

void finish_trace(CLI::App &trace, TraceOptions &opts,
                  const TraceFlags &flags) {
  std::vector<std::string> rest = trace.remaining();
  if (!rest.empty() && rest.front().starts_with('-')) {
    throw CLI::ExtrasError({rest.front()});
  }
  opts.command.insert(opts.command.begin(), rest.begin(), rest.end());
  for (const std::string &e : flags.exprs)
    apply_trace_expr(e, opts);
  if (opts.command.empty() == opts.pids.empty()) {
    throw CLI::ValidationError(
        "trace", "give a command after -- or -p PID, and not both");
  }
  for (std::uint32_t pid : opts.pids)
    check_pid(pid);
  opts.timestamps = flags.timestamps >= 3   ? Timestamps::kEpoch
                    : flags.timestamps == 2 ? Timestamps::kMicros
                    : flags.timestamps == 1 ? Timestamps::kSeconds
                                            : Timestamps::kNone;
  static const std::pair<std::string_view, SummarySort> kSorts[] = {
      {"time", SummarySort::kTime},
      {"calls", SummarySort::kCalls},
      {"errors", SummarySort::kErrors},
      {"name", SummarySort::kName},
      {"nothing", SummarySort::kNothing}};
  for (const auto &[name, sort] : kSorts) {
    if (name == flags.sort)
      opts.sort = sort;
  }
  opts.format =
      flags.format == "json" ? OutputFormat::kJson : OutputFormat::kStrace;
}

} // namespace

ParseResult parse_command_line(int argc, char **argv) {
  MonitorOptions monitor;
  TraceOptions trace_opts;
  TraceFlags trace_flags;
  ScopeFlags scope_flags;
  std::vector<std::string> uids;
  std::string format = "json";
  std::string ring_size = "16M";

  CLI::App app(kDescription, "vigil");
  app.get_formatter()->column_width(34);
  app.set_version_flag("--version", "vigil 0.1.0");
  add_monitor_flags(app, monitor, scope_flags, uids, format, ring_size);
  RuleFlags rule_flags;
  add_rule_flags(app, monitor, rule_flags);
  CLI::App *trace = app.add_subcommand("trace", kTraceDescription);
  add_trace_flags(*trace, trace_opts, trace_flags);

  RulesCheckOptions check_opts;
  CLI::App *rules_cmd =
      app.add_subcommand("rules", "work with detection rule files");
  rules_cmd->require_subcommand(1);
  CLI::App *check = rules_cmd->add_subcommand(
      "check", "check rule files and print OK or every problem with its "
               "file:line:column; exits 1 on an error");
  check->add_option("files", check_opts.paths, "rule files or directories")
      ->required()
      ->type_name("FILE");
  ListFieldsOptions fields_opts;
  CLI::App *list_cmd = app.add_subcommand("list", "list what rules can use");
  list_cmd->require_subcommand(1);
  CLI::App *fields = list_cmd->add_subcommand(
      "fields", "every field rules can name, with its type");
  fields
      ->add_option("--event", fields_opts.event,
                   "the args.* fields of one event, e.g. --event openat")
      ->type_name("NAME");

  // The command after "--" is the command's alone: CLI11 never sees it.
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      trace_opts.command.assign(argv + i + 1, argv + argc);
      argc = i;
      break;
    }
  }

  try {
    app.parse(argc, argv);
    if (trace->parsed()) {
      finish_trace(*trace, trace_opts, trace_flags);
      return {std::nullopt, std::move(trace_opts), 0, {}, {}};
    }
    if (check->parsed()) {
      ParseResult r;
      r.rules_check = std::move(check_opts);
      return r;
    }
    if (fields->parsed()) {
      if (!fields_opts.event.empty())
        check_event(fields_opts.event, "--event");
      ParseResult r;
      r.list_fields = std::move(fields_opts);
      return r;
    }
    if (!trace_opts.command.empty()) {
      throw CLI::ExtrasError({"--"});
    }
    finish_monitor(monitor, scope_flags, uids, format, ring_size);
    finish_rules(monitor, rule_flags);
  } catch (const CLI::CallForVersion &) {
    std::puts("vigil 0.1.0");
    return {std::nullopt, std::nullopt, 0, {}, {}};
  } catch (const CLI::CallForHelp &) {
    CLI::App *shown = &app;
    for (CLI::App *sub : {trace, rules_cmd, check, list_cmd, fields}) {
      if (sub->parsed())
        shown = sub;
    }
    std::fputs(shown->help().c_str(), stdout);
    return {std::nullopt, std::nullopt, 0, {}, {}};
  } catch (const CLI::ParseError &e) {
    const char *where = trace->parsed()       ? " trace"
                        : check->parsed()     ? " rules check"
                        : rules_cmd->parsed() ? " rules"
                        : fields->parsed()    ? " list fields"
                        : list_cmd->parsed()  ? " list"
                                              : "";
    std::fprintf(stderr, "vigil: %s (see vigil%s --help)\n", e.what(), where);
    return {std::nullopt, std::nullopt, 2, {}, {}};
  }
  return {std::move(monitor), std::nullopt, 0, {}, {}};
}

} // namespace vigil
