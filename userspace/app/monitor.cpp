#include "app/monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "capture/bpf_capture.h"
#include "capture/ring_reader.h"
#include "pipeline/pipeline.h"
#include "util/log.h"

namespace vigil {

namespace {

// Totals - every event the kernel tried to hand over, and where each went.
struct Totals {
  std::uint64_t seen = 0;
  std::uint64_t emitted = 0;
  std::uint64_t ringbuf_full = 0;
  std::uint64_t storage_fail = 0;
  std::uint64_t queue_full = 0;
  std::uint64_t malformed = 0;
  std::uint64_t output_failed = 0;

  std::uint64_t lost() const {
    return ringbuf_full + storage_fail + queue_full + malformed + output_failed;
  }
};

Totals totals(const BpfCapture &capture, const Pipeline &pipeline) {
  KernelStats k = capture.stats();
  PipelineStats p = pipeline.stats();
  Totals t;
  t.seen = k.submitted + k.ringbuf_full + k.storage_fail;
  t.emitted = p.emitted;
  t.ringbuf_full = k.ringbuf_full;
  t.storage_fail = k.storage_fail;
  t.queue_full = p.queue_full;
  t.malformed = p.malformed;
  t.output_failed = p.write_failed;
  return t;
}

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

int open_output(const std::string &path) {
  if (path.empty() || path == "-")
    return STDOUT_FILENO;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    throw StartupError("cannot open output " + path + ": " +
                       std::strerror(errno));
  }
  return fd;
}

int default_workers() {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return static_cast<int>(std::max(1L, cpus - 1));
}

// LossReporter - says when losses start and stop, at most once a second.
class LossReporter {
public:
  void check(const Totals &t) {
    std::uint64_t lost = t.lost();
    if (lost > last_lost_) {
      spdlog::warn("lost {} events in the last interval (ring buffer full "
                   "{}, queue full {}, output {}); totals: {} seen, {} lost",
                   lost - last_lost_, t.ringbuf_full - last_.ringbuf_full,
                   t.queue_full - last_.queue_full,
                   t.output_failed - last_.output_failed, t.seen, lost);
      losing_ = true;
    } else if (losing_) {
      spdlog::info("no more events lost; {} lost so far", lost);
      losing_ = false;
    }
    last_lost_ = lost;
    last_ = t;
  }

private:
  std::uint64_t last_lost_ = 0;
  Totals last_;
  bool losing_ = false;
};

void print_summary(const Totals &t) {
  spdlog::info("{} events seen, {} emitted, {} lost (ring buffer full {}, "
               "task storage {}, queue full {}, malformed {}, output {})",
               t.seen, t.emitted, t.lost(), t.ringbuf_full, t.storage_fail,
               t.queue_full, t.malformed, t.output_failed);
}

sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A closed pipe must show up as EPIPE on write, not kill vigil.
  signal(SIGPIPE, SIG_IGN);
  return set;
}

} // namespace

int run_monitor(const MonitorOptions &opts) {
  sigset_t stop_signals = block_stop_signals();
  WallClock clock;
  EventSchema schema;

  int out_fd = open_output(opts.output);
  route_libbpf_logs();
  BpfCapture capture(opts.capture, schema);

  PipelineSettings ps;
  ps.format = opts.format;
  ps.out_fd = out_fd;
  ps.workers = opts.workers > 0 ? opts.workers : default_workers();
  Pipeline pipeline(ps, schema, clock);
  RingReader reader(capture.ring_fd(), pipeline);

  pipeline.start();
  std::atomic<bool> stop_reader{false};
  std::thread reader_thread([&] { reader.run(stop_reader); });
  capture.attach();
  spdlog::info("tracing {}", describe_scope(opts.capture.scope));

  LossReporter losses;
  timespec tick{0, 100'000'000};
  int ticks = 0;
  for (;;) {
    int sig = sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM)
      break;
    if (pipeline.output_closed())
      break;
    if (++ticks % 10 == 0) {
      clock.refresh();
      losses.check(totals(capture, pipeline));
    }
  }

  capture.detach();
  stop_reader.store(true, std::memory_order_release);
  reader_thread.join();
  pipeline.stop();
  if (out_fd != STDOUT_FILENO)
    ::close(out_fd);

  Totals t = totals(capture, pipeline);
  // A reader that went away (vigil | head) ends vigil quietly.
  bool quiet =
      pipeline.output_closed() && t.output_failed > 0 && opts.output.empty();
  if (!quiet)
    print_summary(t);
  return 0;
}

} // namespace vigil
