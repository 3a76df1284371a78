#include "app/monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app/session.h"
#include "app/signals.h"
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

int run_monitor(const MonitorOptions &opts) {
  sigset_t stop_signals = block_stop_signals();
  EventSchema schema;

  PipelineSettings ps;
  ps.format = opts.format;
  ps.out_fd = open_output(opts.output, STDOUT_FILENO);
  ps.workers = opts.workers > 0 ? opts.workers : default_workers();
  ps.enrich = !opts.no_context;
  ps.enrich_settings = opts.context;
  route_libbpf_logs();
  CaptureSettings capture = opts.capture;
  capture.context_events = ps.enrich;
  Session session(capture, schema, ps);
  session.start();
  spdlog::info("tracing {}", describe_scope(opts.capture.scope));

  LossReporter losses;
  timespec tick{0, 100'000'000};
  for (int ticks = 1;; ++ticks) {
    int sig = sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM)
      break;
    if (session.pipeline().output_closed())
      break;
    if (ticks % 10 == 0) {
      session.clock().refresh();
      losses.check(session.totals());
    }
  }

  session.stop();
  log_context_stats(session.pipeline().enricher());
  if (ps.out_fd != STDOUT_FILENO)
    ::close(ps.out_fd);

  Totals t = session.totals();
  // A reader that went away (vigil | head) ends vigil quietly; any other
  // failed write is an error, with the summary of what was lost.
  int err = session.pipeline().output_error();
  if (err == EPIPE && opts.output.empty())
    return 0;
  log_summary(t, err ? spdlog::level::err : spdlog::level::info);
  return err ? 1 : 0;
}

} // namespace vigil
