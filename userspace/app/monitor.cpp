#include "app/monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
  if (!scope.pids.empty())
    add("pid " + join(scope.pids));
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

bool writes_stdout(const MonitorOptions &opts) {
  return std::any_of(
      opts.outputs.begin(), opts.outputs.end(),
      [](const OutputConfig &o) { return o.kind == OutputKind::kStdout; });
}

int run_monitor(const MonitorOptions &opts) {
  sigset_t stop_signals = block_stop_signals();
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  EventSchema schema;

  MetricsRegistry registry;
  PipelineSettings ps;
  ps.format = opts.format;
  ps.outputs = opts.outputs;
  ps.workers = opts.workers > 0 ? opts.workers : default_workers();
  ps.metrics = &registry;
  route_libbpf_logs();
  Session session(opts.capture, schema, ps);

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

  session.start();
  spdlog::info("tracing {}", describe_scope(opts.capture.scope));

  LossReporter losses;
  timespec tick{0, 100'000'000};
  for (int ticks = 1;; ++ticks) {
    int sig = sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM)
      break;
    if (sig == SIGUSR1)
      session.pipeline().reopen_outputs();
    if (session.pipeline().output_closed())
      break;
    if (ticks % 10 == 0) {
      session.clock().refresh();
      losses.check(session.totals());
    }
  }

  session.stop();
  if (metrics)
    metrics->stop();

  Totals t = session.totals();
  // A reader that went away (vigil | head) ends vigil quietly; any other
  // failed write is an error, with the summary of what was lost.
  int err = session.pipeline().output_error();
  if (err == EPIPE && opts.outputs.size() == 1 && writes_stdout(opts))
    return 0;
  log_summary(t, err ? spdlog::level::err : spdlog::level::info);
  return err ? 1 : 0;
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
