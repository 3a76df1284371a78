#include "context/enricher.h"

#include <chrono>

#include "util/clock.h"
#include "util/log.h"

namespace vigil {

namespace {

// The background thread looks for new containers this often, and sweeps
// the tables every kSweepTicks of it.
constexpr auto kTick = std::chrono::milliseconds(100);
constexpr int kSweepTicks = 10;

} // namespace

Enricher::Enricher(EnricherSettings settings)
    : processes_(std::move(settings.process), &names_),
      containers_(std::move(settings.container)) {}

Enricher::~Enricher() { stop(); }

void Enricher::start() {
  std::size_t n = processes_.seed();
  containers_.start();
  spdlog::debug("process table seeded with {} processes", n);
  stopping_ = false;
  thread_ = std::thread([this] { run_maintenance(); });
}

void Enricher::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

EventContext Enricher::context_for(const RawEvent &ev) {
  const vigil_event &h = *ev.header;
  EventContext ctx;
  switch (h.kind) {
  case VIGIL_EV_CGROUP_MKDIR:
  case VIGIL_EV_CGROUP_RMDIR:
    ctx.container = containers_.on_record(ev);
    break;
  case VIGIL_EV_PROCESS_FORK:
  case VIGIL_EV_PROCESS_EXEC:
  case VIGIL_EV_PROCESS_EXIT:
  case VIGIL_EV_PROCESS_RENAME:
    // Applied first: an exec's event shows the new image.
    processes_.on_record(ev);
    ctx.container = containers_.lookup(h.cgroup_id, h.pid, h.ppid);
    break;
  default:
    ctx.container = containers_.lookup(h.cgroup_id, h.pid, h.ppid);
    break;
  }
  ctx.process = processes_.lookup(h);
  ctx.user = names_.user(h.uid);
  ctx.group = names_.group(h.gid);
  return ctx;
}

void Enricher::observe(const RawEvent &ev) {
  switch (ev.header->kind) {
  case VIGIL_EV_CGROUP_MKDIR:
  case VIGIL_EV_CGROUP_RMDIR:
    containers_.on_record(ev);
    break;
  case VIGIL_EV_PROCESS_FORK:
  case VIGIL_EV_PROCESS_EXEC:
  case VIGIL_EV_PROCESS_EXIT:
  case VIGIL_EV_PROCESS_RENAME:
    processes_.on_record(ev);
    break;
  default:
    break;
  }
}

void Enricher::run_maintenance() {
  std::unique_lock lock(stop_mutex_);
  for (int tick = 1; !stopping_; ++tick) {
    lock.unlock();
    std::uint64_t now = monotonic_ns();
    containers_.rescan_unmapped(now);
    containers_.resolve_pending(now);
    if (tick % kSweepTicks == 0) {
      processes_.sweep(now);
      containers_.sweep(now);
    }
    lock.lock();
    stop_cv_.wait_for(lock, kTick, [this] { return stopping_; });
  }
}

EnricherStats Enricher::stats() const {
  return {processes_.stats(), containers_.stats()};
}

} // namespace vigil
