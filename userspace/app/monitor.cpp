#include "app/monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app/container_scope.h"
#include "app/rules_commands.h"
#include "app/session.h"
#include "app/session_metrics.h"
#include "app/signals.h"
#include "cli/monitor_fields.h"
#include "metrics/metrics_server.h"
#include "util/log.h"

namespace vigil {

namespace {

std::string describe_scope(const Scope &scope) {
  std::string text;
  auto add = [&](const std::string &what) {
    text += text.empty() ? "" : ", ";
    text += what;
  };
  auto join = [](const auto &values) {
    std::string s;
    for (const auto &v : values) {
      if (!s.empty())
        s += "|";
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) {
        s += v;
      } else {
        s += std::to_string(v);
      }
    }
    return s;
  };
  if (!scope.comms.empty())
    add("comm " + join(scope.comms));
  if (!scope.pids.empty() || scope.new_pids) {
    std::string pids = join(scope.pids);
    if (scope.new_pids)
      pids += pids.empty() ? "new" : "|new";
    add("pid " + pids);
  }
  if (!scope.exes.empty())
    add("exe " + join(scope.exes));
  if (!scope.mount_nses.empty())
    add("mntns " + join(scope.mount_nses));
  if (!scope.pid_nses.empty())
    add("pidns " + join(scope.pid_nses));
  const ContainerScope &c = scope.containers;
  if (c.none) {
    add("no container");
  } else if (c.active()) {
    std::vector<std::string> which = c.refs;
    if (c.any)
      which.insert(which.begin(), "any");
    if (c.fresh)
      which.insert(which.begin(), "new");
    add("container " + join(which));
  }
  if (!scope.uids.empty())
    add("uid " + join(scope.uids));
  if (text.empty())
    text = "all processes";
  if (scope.follow)
    text += ", and their descendants";
  text +=
      scope.events.empty() ? "; all events" : "; events " + join(scope.events);
  return text;
}

// log_context_stats - what the context could not follow, for operators:
// a full table or rate-bounded /proc reads leave events without context.
void log_context_stats(const Enricher *enricher) {
  if (enricher == nullptr)
    return;
  EnricherStats s = enricher->stats();
  auto level = s.process.table_full || s.process.proc_read_limited
                   ? spdlog::level::warn
                   : spdlog::level::debug;
  spdlog::log(level,
              "context: {} processes ({} read from /proc, {} not there, "
              "{} over the read rate, {} over the table cap, {} expired); "
              "{} containers in {} cgroups ({} described by their "
              "runtime, {} not)",
              s.process.entries, s.process.proc_reads,
              s.process.proc_read_failed, s.process.proc_read_limited,
              s.process.table_full, s.process.expired, s.container.containers,
              s.container.cgroups, s.container.resolved,
              s.container.unresolved);
}

// RuleLoad - the rules the monitor runs, and how to load them again.
struct RuleLoad {
  std::shared_ptr<rules::RuleHolder> holder;
  std::vector<std::string> paths;
  std::string source; // for messages: the paths, or "the built-in rules"
};

std::string describe_paths(const std::vector<std::string> &paths) {
  if (paths.empty())
    return "the built-in rules";
  std::string s;
  for (const std::string &p : paths)
    s += (s.empty() ? "" : ", ") + p;
  return s;
}

void log_warnings(const rules::Diagnostics &diags) {
  for (const rules::Diagnostic &d : diags.items()) {
    if (d.level == rules::DiagLevel::kWarning)
      spdlog::warn("{}", d.text());
  }
}

// start_rules - loads and compiles the rules; a rule file with an error
// stops vigil before anything is attached.
std::shared_ptr<const rules::RuleSet> start_rules(const MonitorOptions &opts,
                                                  const EventSchema &schema) {
  rules::CompileResult r = load_rules(opts.rule_paths, schema);
  if (!r.rules) {
    throw StartupError("the rules have errors:\n" + r.diags.text() +
                       "(vigil rules check FILE shows them too)");
  }
  log_warnings(r.diags);
  spdlog::info("loaded {} rules ({} enabled) from {}; they need {} events",
               r.rules->rules().size(), r.rules->enabled_count(),
               describe_paths(opts.rule_paths),
               r.rules->event_names(schema).size());
  return r.rules;
}

// reload_rules - SIGHUP: the new set replaces the old one only when it
// compiles; otherwise the old one keeps running.
void reload_rules(const MonitorOptions &opts, const EventSchema &schema,
                  rules::RuleHolder &holder, const Scope &captured) {
  rules::CompileResult r = load_rules(opts.rule_paths, schema);
  if (!r.rules) {
    spdlog::error("reloading the rules failed; the old rules stay in "
                  "force:\n{}",
                  r.diags.text());
    return;
  }
  log_warnings(r.diags);
  if (!captured.events.empty()) {
    std::vector<std::string> missing;
    for (const std::string &e : r.rules->event_names(schema)) {
      if (std::find(captured.events.begin(), captured.events.end(), e) ==
          captured.events.end()) {
        missing.push_back(e);
      }
    }
    if (!missing.empty()) {
      std::string names;
      for (const std::string &m : missing)
        names += (names.empty() ? "" : ", ") + m;
      spdlog::warn("the reloaded rules need events that are not captured: "
                   "{}; restart vigil to capture them",
                   names);
    }
  }
  holder.set(r.rules);
  spdlog::info("reloaded {} rules ({} enabled) from {}",
               r.rules->rules().size(), r.rules->enabled_count(),
               describe_paths(opts.rule_paths));
}

int default_workers() {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<int>(std::max(1L, cpus - 1));
}

} // namespace

int open_output(const std::string &path, int fallback_fd) {
  if (path.empty() || path == "-")
    return fallback_fd;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    throw StartupError("cannot open output " + path + ": " +
                       std::strerror(errno));
  }
  return fd;
}

void warn_missing_exes(const Scope &scope) {
  for (const std::string &exe : scope.exes) {
    struct stat st {};
    if (stat(exe.c_str(), &st) != 0) {
      spdlog::warn("--exe {}: {}; it is traced once a program runs from it",
                   exe, std::strerror(errno));
    }
  }
}

bool writes_stdout(const MonitorOptions &opts) {
  return std::any_of(
      opts.outputs.begin(), opts.outputs.end(),
      [](const OutputConfig &o) { return o.kind == OutputKind::kStdout; });
}

int run_monitor(const MonitorOptions &opts) {
  sigset_t stop_signals = block_stop_signals();
  sigaddset(&stop_signals, SIGHUP);
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  warn_missing_exes(opts.capture.scope);
  EventSchema schema;

  MetricsRegistry registry;
  PipelineSettings ps;
  CaptureSettings capture = opts.capture;
  if (opts.rules) {
    std::shared_ptr<const rules::RuleSet> set = start_rules(opts, schema);
    ps.rules = std::make_shared<rules::RuleHolder>(set);
    if (opts.detection_rate.count != 0) {
      ps.limiter =
          std::make_shared<rules::DetectionLimiter>(opts.detection_rate);
    }
    ps.detection_format = opts.detection_format;
    ps.detections_only = opts.detections_only;
    // Only what the rules need crosses from the kernel.
    if (opts.detections_only && capture.scope.events.empty())
      capture.scope.events = set->event_names(schema);
  }
  ps.format = opts.format;
  ps.outputs = opts.outputs;
  ps.workers = opts.workers > 0 ? opts.workers : default_workers();
  ps.enrich = !opts.no_context;
  ps.enrich_settings = opts.context;
  ps.metrics = &registry;
  route_libbpf_logs();
  capture.context_events = ps.enrich;
  // --container: the kernel's map of container cgroups is kept from the
  // container cache, and what it let through on a guess checked here.
  std::unique_ptr<ContainerScopeKeeper> containers;
  if (capture.scope.containers.active()) {
    ps.keep = [&containers](const EventContext &ctx) {
      return containers->keeps(ctx);
    };
  }
  Session session(capture, schema, ps);
  if (capture.scope.containers.active()) {
    containers = std::make_unique<ContainerScopeKeeper>(
        capture.scope.containers, session.capture(),
        session.pipeline().enricher()->containers());
  }
  // The endpoint comes up before capture, so /healthz says 503 until the
  // programs are attached, and goes down after capture stopped.
  std::unique_ptr<MetricsServer> metrics;
  if (!opts.metrics_address.empty()) {
    add_session_metrics(registry, session);
    metrics = std::make_unique<MetricsServer>(
        registry, [&session] { return session.healthy(); });
    auto [host, port] = parse_metrics_address(opts.metrics_address);
    metrics->start(host, port);
  }

  session.start([&containers] {
    if (containers)
      containers->reconcile();
  });
  spdlog::info("tracing {}", describe_scope(capture.scope));

  LossReporter losses;
  timespec tick{0, 100'000'000};
  for (int ticks = 1;; ++ticks) {
    int sig = sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM)
      break;
    if (sig == SIGHUP) {
      if (ps.rules)
        reload_rules(opts, schema, *ps.rules, capture.scope);
      else
        spdlog::info("SIGHUP: no rules are loaded, nothing to reload");
    }
    if (sig == SIGUSR1)
      session.pipeline().reopen_outputs();
    if (session.pipeline().output_closed())
      break;
    if (containers)
      containers->reconcile();
    if (ticks % 10 == 0) {
      session.clock().refresh();
      losses.check(session.totals());
    }
  }

  session.stop();
  log_context_stats(session.pipeline().enricher());
  if (metrics)
    metrics->stop();

  Totals t = session.totals();
  // A reader that went away (vigil | head) ends vigil quietly; any other
  // failed output is an error, with the summary of what was lost.
  int err = session.pipeline().output_error();
  if (err == EPIPE && opts.outputs.size() == 1 && writes_stdout(opts))
    return 0;
  return report_run_end(t, err);
}

int report_run_end(const Totals &t, int output_error) {
  std::vector<const OutputStats *> failed;
  for (const OutputStats &o : t.outputs) {
    if (o.failed > 0)
      failed.push_back(&o);
  }
  bool failure = output_error != 0 || !failed.empty();
  log_summary(t, failure ? spdlog::level::err : spdlog::level::info);
  for (const OutputStats *o : failed) {
    spdlog::error("output {} failed: {} lines lost (queue full {}, failed "
                  "{})",
                  o->name, o->lost(), o->dropped, o->failed);
  }
  return failure ? 1 : 0;
}

int check_config(const std::string &path) {
  MonitorOptions opts;
  std::vector<ConfigProblem> problems = read_config_file(path, opts);
  for (const ConfigProblem &p : problems)
    std::fprintf(stderr, "%s\n", p.describe().c_str());
  if (!problems.empty())
    return 1;
  std::printf("%s: OK\n", path.c_str());
  return 0;
}

} // namespace vigil
