#include "cli/options.h"

#include <pwd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>

#include "cli/monitor_fields.h"
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

// process_of - the process that pid, a process or one of its threads,
// belongs to: vigil traces whole processes, as strace -p does.
std::uint32_t process_of(std::uint32_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("Tgid:"))
      return static_cast<std::uint32_t>(std::stoul(line.substr(5)));
  }
  throw CLI::ValidationError("-p",
                             "no process with pid " + std::to_string(pid));
}

void check_event(const std::string &name, const char *flag = "--events") {
  try {
    check_event_name(name);
  } catch (const ValueError &e) {
    throw CLI::ValidationError(flag, e.what());
  }
}

// MonitorFlags - what CLI11 stores for the table's flags before they are
// applied over the configuration file's values.
struct MonitorFlags {
  std::vector<std::vector<std::string>> values; // kList flags
  std::vector<std::string> scalars;             // the other flags
  std::unique_ptr<bool[]> switches;
  std::vector<CLI::Option *> options;
  std::string config_file;
};

// add_monitor_flags - one flag per entry of the monitor's field table.
void add_monitor_flags(CLI::App &app, MonitorFlags &flags) {
  std::span<const Field<MonitorOptions>> fields = monitor_fields();
  flags.values.resize(fields.size());
  flags.scalars.resize(fields.size());
  flags.switches = std::make_unique<bool[]>(fields.size());
  flags.options.assign(fields.size(), nullptr);
  app.add_option("--config", flags.config_file,
                 "read settings from this YAML file first; flags override "
                 "it, e.g. --config /etc/vigil/vigil.yaml")
      ->type_name("FILE");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field<MonitorOptions> &f = fields[i];
    if (f.flag.empty())
      continue;
    std::string name(f.flag), help(f.help);
    if (f.type == ValueType::kBool) {
      flags.switches[i] = false;
      flags.options[i] = app.add_flag(name, flags.switches[i], help);
      continue;
    }
    // Lists are split in finish_monitor, not by CLI11's delimiter, which
    // drops empty items: "--pid 1,,3" must be refused, not read as 1,3.
    CLI::Option *opt = f.type == ValueType::kList
                           ? app.add_option(name, flags.values[i], help)
                           : app.add_option(name, flags.scalars[i], help);
    if (!f.implicit.empty()) {
      opt->expected(0, 1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
    flags.options[i] = opt->type_name(std::string(f.type_name));
  }
}

// first_flag_name - "--output" of "-o,--output", for messages.
std::string first_flag_name(std::string_view flag) {
  std::size_t comma = flag.rfind(',');
  return std::string(comma == std::string_view::npos ? flag
                                                     : flag.substr(comma + 1));
}

// split_values - each value of a list flag split at its commas.
std::vector<std::string> split_values(const std::vector<std::string> &given) {
  std::vector<std::string> values;
  for (const std::string &g : given) {
    std::vector<std::string> items = split_list(g);
    values.insert(values.end(), items.begin(), items.end());
  }
  return values;
}

// finish_monitor - the configuration file, then the flags given over it.
MonitorOptions finish_monitor(const MonitorFlags &flags) {
  MonitorOptions opts;
  if (!flags.config_file.empty()) {
    std::vector<ConfigProblem> problems =
        read_config_file(flags.config_file, opts);
    if (!problems.empty())
      throw ConfigError(std::move(problems));
    opts.config_file = flags.config_file;
  }
  std::span<const Field<MonitorOptions>> fields = monitor_fields();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (flags.options[i] == nullptr || flags.options[i]->count() == 0)
      continue;
    try {
      std::vector<std::string> values =
          fields[i].type == ValueType::kBool
              ? std::vector<std::string>{flags.switches[i] ? "true" : "false"}
          : fields[i].type == ValueType::kList
              ? split_values(flags.values[i])
              : std::vector<std::string>{flags.scalars[i]};
      if (!fields[i].implicit.empty()) {
        // The flag alone: CLI11 gives no value, or an empty one.
        if (values.empty())
          values.emplace_back();
        for (std::string &v : values) {
          if (v.empty())
            v = fields[i].implicit;
        }
      }
      check_type(fields[i].type, values);
      fields[i].apply(opts, values);
    } catch (const std::exception &e) {
      throw CLI::ValidationError(first_flag_name(fields[i].flag), e.what());
    }
  }
  try {
    finish_settings(opts);
  } catch (const ValueError &e) {
    throw CLI::ValidationError(e.what());
  }
  return opts;
}

struct TraceFlags {
  std::vector<std::string> pids; // as given: split in finish_trace
  std::vector<std::string> exprs;
  int timestamps = 0;
  std::string sort = "time";
  std::string format = "strace";
};

void add_trace_flags(CLI::App &trace, TraceOptions &opts, TraceFlags &flags) {
  trace
      .add_option("-p", flags.pids,
                  "attach to these running processes and all their "
                  "threads, e.g. -p 1234,1235")
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
      ->check(CLI::Validator(
          [](const std::string &v) -> std::string {
            return !v.empty() && v.find_first_not_of("0123456789") ==
                                     std::string::npos
                       ? ""
                       : "'" + v + "' is not a whole number";
          },
          ""))
      ->check(CLI::Range(1, 4096))
      ->type_name("SIZE");
  trace.add_flag("-y", opts.fd_paths,
                 "show the path behind each file descriptor, e.g. -y");
  trace.add_flag("-c", opts.summary,
                 "print a table of syscall counts, errors and times "
                 "instead of the lines");
  trace
      .add_flag("-C", opts.summary_and_lines,
                "print the lines and the table at the end")
      ->excludes("-c");
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
  // strace refuses "trace=" with nothing: it would mean every call.
  if (value.find_first_not_of(',') == std::string::npos) {
    throw CLI::ValidationError("-e", "trace= names no syscall: give names "
                                     "or classes, e.g. trace=openat,%network");
  }
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    std::string name = value.substr(start, comma - start);
    start = comma == std::string::npos ? value.size() + 1 : comma + 1;
    if (name.empty())
      continue;
    if (name[0] != '%') {
      // strace's trace= takes syscalls: the monitor's process events
      // are not for it.
      if (!syscall_number(Abi::x86_64, name) &&
          !syscall_number(Abi::i386, name)) {
        throw CLI::ValidationError(
            "-e", "unknown syscall '" + name +
                      "': give syscall names such as openat, or classes "
                      "such as %file");
      }
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

// trace_separator - the index of the "--" that ends vigil trace's flags,
// or -1 when the flags end at the command's first word, or there is none.
int trace_separator(const CLI::App &trace, int argc, char **argv) {
  int i = 1;
  while (i < argc && std::string_view(argv[i]) != "trace")
    ++i;
  for (++i; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--")
      return i;
    if (arg.size() < 2 || arg[0] != '-')
      return -1; // the command's first word
    // A flag whose value is the next word: skip that word.
    if (arg.find('=') != std::string_view::npos ||
        (arg[1] != '-' && arg.size() > 2))
      continue;
    const CLI::Option *opt = trace.get_option_no_throw(std::string(arg));
    if (opt != nullptr && opt->get_items_expected_min() > 0)
      ++i;
  }
  return -1;
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
  try {
    // strace refuses an empty item of -p too ("-p 1,,2").
    for (const std::string &text : split_values(flags.pids)) {
      opts.pids.push_back(
          static_cast<std::uint32_t>(parse_int(text, 1, 4194304)));
    }
  } catch (const ValueError &e) {
    throw CLI::ValidationError("-p", e.what());
  }
  if (opts.command.empty() == opts.pids.empty()) {
    throw CLI::ValidationError(
        "trace", "give a command after -- or -p PID, and not both");
  }
  for (std::uint32_t &pid : opts.pids)
    pid = process_of(pid);
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
  if (opts.format == OutputFormat::kJson &&
      (opts.summary || opts.summary_and_lines)) {
    throw CLI::ValidationError("--format",
                               "the -c and -C table is strace's "
                               "text only: leave out --format json");
  }
}

} // namespace

ParseResult parse_command_line(int argc, char **argv) {
  TraceOptions trace_opts;
  TraceFlags trace_flags;
  MonitorFlags monitor_flags;
  std::string config_to_check;

  CLI::App app(kDescription, "vigil");
  app.get_formatter()->column_width(34);
  app.set_version_flag("--version", "vigil 0.1.0");
  add_monitor_flags(app, monitor_flags);
  CLI::App *trace = app.add_subcommand("trace", kTraceDescription);
  add_trace_flags(*trace, trace_opts, trace_flags);
  CLI::App *config = app.add_subcommand("config", "configuration files");
  config->require_subcommand(1);
  CLI::App *check = config->add_subcommand(
      "check", "check a configuration file: prints OK or every problem");
  check->add_option("FILE", config_to_check, "the file, e.g. vigil.yaml")
      ->required();

  RulesCheckOptions rules_check_opts;
  CLI::App *rules_cmd =
      app.add_subcommand("rules", "work with detection rule files");
  rules_cmd->require_subcommand(1);
  CLI::App *rules_check = rules_cmd->add_subcommand(
      "check", "check rule files and print OK or every problem with its "
               "file:line:column; exits 1 on an error");
  rules_check
      ->add_option("files", rules_check_opts.paths, "rule files or directories")
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
  // Only a "--" among vigil trace's own flags ends them; one after the
  // command's first word is the command's, as strace reads it.
  if (int cut = trace_separator(*trace, argc, argv); cut > 0) {
    trace_opts.command.assign(argv + cut + 1, argv + argc);
    argc = cut;
  }

  try {
    app.parse(argc, argv);
    if (trace->parsed()) {
      finish_trace(*trace, trace_opts, trace_flags);
      return {std::nullopt, std::move(trace_opts), 0};
    }
    if (!trace_opts.command.empty()) {
      throw CLI::ExtrasError({"--"});
    }
    ParseResult r;
    if (check->parsed()) {
      r.config_check = config_to_check;
    } else if (rules_check->parsed()) {
      r.rules_check = std::move(rules_check_opts);
    } else if (fields->parsed()) {
      if (!fields_opts.event.empty())
        check_event(fields_opts.event, "--event");
      r.list_fields = std::move(fields_opts);
    } else {
      r.monitor = finish_monitor(monitor_flags);
    }
    return r;
  } catch (const CLI::CallForVersion &) {
    std::puts("vigil 0.1.0");
    return {std::nullopt, std::nullopt, 0};
  } catch (const CLI::CallForHelp &) {
    CLI::App *shown = &app;
    for (CLI::App *sub :
         {trace, config, check, rules_cmd, rules_check, list_cmd, fields}) {
      if (sub->parsed())
        shown = sub;
    }
    std::fputs(shown->help().c_str(), stdout);
    return {std::nullopt, std::nullopt, 0};
  } catch (const CLI::ParseError &e) {
    const char *where = trace->parsed()         ? " trace"
                        : check->parsed()       ? " config check"
                        : rules_check->parsed() ? " rules check"
                        : rules_cmd->parsed()   ? " rules"
                        : fields->parsed()      ? " list fields"
                        : list_cmd->parsed()    ? " list"
                                                : "";
    std::fprintf(stderr, "vigil: %s (see vigil%s --help)\n", e.what(), where);
    return {std::nullopt, std::nullopt, 2};
  } catch (const ConfigError &e) {
    std::fprintf(stderr, "vigil: %s\n", e.what());
    return {std::nullopt, std::nullopt, 2};
  }
}

} // namespace vigil
