#include "pipeline/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include "decode/raw_event.h"
#include "output/outputs.h"
#include "util/log.h"

namespace vigil {

namespace {

constexpr std::size_t kBatchBytes = 64 * 1024;
constexpr std::size_t kOutQueueBytes = 4u << 20;
// Process events are counted after the syscall slots, in this order.
constexpr std::string_view kProcessEvents[] = {"sched_process_fork",
                                               "sched_process_exec",
                                               "sched_process_exit", "unknown"};
// An idle thread sleeps a little longer each time it finds nothing, up
// to the reader's own poll period: an idle vigil costs a few wake-ups a
// second, a busy one never sleeps.
constexpr auto kMinIdleSleep = std::chrono::microseconds(50);
constexpr auto kMaxIdleSleep = std::chrono::microseconds(10000);

class Backoff {
public:
  explicit Backoff(Pipeline::Idle &idle) : idle_(idle) {}
  void idle();
  void busy() { sleep_ = kMinIdleSleep; }

private:
  Pipeline::Idle &idle_;
  std::chrono::microseconds sleep_ = kMinIdleSleep;
};

} // namespace

// Idle - where idle threads sleep; stop() wakes them all at once, so
// that stopping never waits out a sleep.
struct Pipeline::Idle {
  void sleep(std::chrono::microseconds d) {
    std::unique_lock lock(mutex);
    if (woken) {
      lock.unlock();
      std::this_thread::yield();
      return;
    }
    cv.wait_for(lock, d, [this] { return woken; });
  }
  void wake_all() {
    {
      std::lock_guard lock(mutex);
      woken = true;
    }
    cv.notify_all();
  }

  std::mutex mutex;
  std::condition_variable cv;
  bool woken = false;
};

void Backoff::idle() {
  idle_.sleep(sleep_);
  sleep_ = std::min(sleep_ * 2, kMaxIdleSleep);
}

struct Pipeline::Worker {
  Worker(std::size_t queue_bytes, std::size_t event_kinds)
      : in(queue_bytes), out(kOutQueueBytes), by_event(event_kinds) {}

  ByteQueue in;  // raw records from the reader
  ByteQueue out; // formatted batches for the fan-out
  // Events handled, by syscall slot then process event; written by this
  // worker only, summed by a metrics scrape.
  std::vector<std::atomic<std::uint64_t>> by_event;
  std::thread thread;
  std::atomic<std::uint64_t> lines{0}; // event and detection lines made
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> context_only{0};
  std::atomic<std::uint64_t> detections{0};
  std::atomic<bool> done{false};
};

Pipeline::Pipeline(PipelineSettings settings, const EventSchema &schema,
                   const WallClock &clock)
    : settings_(settings), schema_(schema), clock_(clock),
      idle_(std::make_unique<Idle>()),
      outputs_(make_channels(settings_.outputs, settings_.out_fd)) {
  if (settings_.enrich)
    enricher_ = std::make_unique<Enricher>(settings_.enrich_settings);
  int n = std::max(1, settings_.workers);
  std::size_t kinds = schema_.slot_count() + std::size(kProcessEvents);
  for (int i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(settings_.queue_bytes, kinds));
  }
}

Pipeline::~Pipeline() { stop(); }

void Pipeline::start() {
  // Seeded before any record arrives, so that the processes already
  // running have their context from the first event on.
  if (enricher_)
    enricher_->start();
  for (auto &o : outputs_)
    o->start();
  workers_running_ = static_cast<int>(workers_.size());
  for (auto &w : workers_) {
    w->thread = std::thread([this, &w] { run_worker(*w); });
  }
  fanout_ = std::thread([this] { run_fanout(); });
  running_.store(true, std::memory_order_release);
}

std::size_t Pipeline::event_index(const RawEvent &ev) const {
  const vigil_event &h = *ev.header;
  if (h.kind == VIGIL_EV_SYSCALL)
    return schema_.slot(ev.compat() ? Abi::i386 : Abi::x86_64, h.nr);
  std::size_t process =
      h.kind >= VIGIL_EV_PROCESS_FORK && h.kind <= VIGIL_EV_PROCESS_EXIT
          ? h.kind - VIGIL_EV_PROCESS_FORK
          : std::size(kProcessEvents) - 1;
  return schema_.slot_count() + process;
}

void Pipeline::push(std::span<const std::byte> record) {
  ++received_;
  std::uint32_t tid = 0;
  if (record.size() >= sizeof(vigil_event)) {
    std::memcpy(&tid, record.data() + offsetof(vigil_event, tid), sizeof(tid));
  }
  if (enricher_)
    note_new_cgroup(record);
  Worker &w = *workers_[tid % workers_.size()];
  if (!w.in.try_push(record))
    queue_full_pub_.store(++queue_full_, std::memory_order_relaxed);
  // A relaxed store from the one reader thread is a plain move: the
  // metrics endpoint sees the exact count.
  received_pub_.store(received_, std::memory_order_relaxed);
}

void Pipeline::note_new_cgroup(std::span<const std::byte> record) {
  // Records leave the ring in the order they were written, and a cgroup
  // is made before any process can run in it. Its path is learnt here,
  // in that order, not in a worker that may come to it after the events
  // of the container's first processes, queued in other workers.
  std::uint16_t kind = 0;
  if (record.size() >= sizeof(vigil_event)) {
    std::memcpy(&kind, record.data() + offsetof(vigil_event, kind),
                sizeof(kind));
  }
  if (kind != VIGIL_EV_CGROUP_MKDIR)
    return;
  std::optional<RawEvent> ev = RawEvent::parse(record);
  if (ev && ev->captured[0]) {
    enricher_->containers().cgroups().add(ev->header->args[0],
                                          std::string(ev->captured[0]->bytes));
  }
}

void Pipeline::run_worker(Worker &w) {
  std::unique_ptr<EventFormatter> formatter = make_formatter(
      settings_.format, schema_, clock_, settings_.format_options);
  std::unique_ptr<rules::Detector> detector;
  if (settings_.rules) {
    detector = std::make_unique<rules::Detector>(
        schema_, clock_, settings_.rules, settings_.limiter,
        settings_.detection_format);
  }
  std::string batch;
  batch.reserve(kBatchBytes * 2);

  auto flush = [&] {
    if (batch.empty())
      return;
    // Wait for the writer rather than drop formatted lines: the reader
    // never waits, so a slow output shows up as counted queue losses.
    Backoff wait(*idle_);
    while (!w.out.try_push(std::as_bytes(std::span(batch)))) {
      wait.idle();
    }
    batch.clear();
  };

  Backoff backoff(*idle_);
  for (;;) {
    std::span<const std::byte> rec = w.in.front();
    if (rec.empty()) {
      flush();
      if (stopping_.load(std::memory_order_acquire) && w.in.front().empty()) {
        break;
      }
      backoff.idle();
      continue;
    }
    backoff.busy();
    std::optional<RawEvent> ev = RawEvent::parse(rec);
    if (ev && (ev->header->flags & VIGIL_EVF_CONTEXT_ONLY)) {
      // Not shown: it only keeps the process table current.
      if (enricher_)
        enricher_->observe(*ev);
      w.context_only.fetch_add(1, std::memory_order_relaxed);
    } else if (ev) {
      EventContext ctx =
          enricher_ ? enricher_->context_for(*ev) : EventContext{};
      if (settings_.keep && !settings_.keep(ctx)) {
        // Out of scope after all, once its context is known.
        w.context_only.fetch_add(1, std::memory_order_relaxed);
      } else {
        // Counted in lines, as the outputs count them: the event's own
        // line (none with detections only), then one per detection.
        std::uint64_t lines = settings_.detections_only ? 0 : 1;
        if (!settings_.detections_only)
          formatter->format(*ev, ctx, batch);
        if (detector) {
          std::size_t n = detector->detect(*ev, ctx, batch);
          if (n)
            w.detections.fetch_add(n, std::memory_order_relaxed);
          lines += n;
        }
        if (lines)
          w.lines.fetch_add(lines, std::memory_order_relaxed);
        // One writer: a plain load and store, no locked add per event.
        std::atomic<std::uint64_t> &n = w.by_event[event_index(*ev)];
        n.store(n.load(std::memory_order_relaxed) + 1,
                std::memory_order_relaxed);
      }
    } else {
      w.malformed.fetch_add(1, std::memory_order_relaxed);
    }
    w.in.pop();
    if (batch.size() >= kBatchBytes)
      flush();
  }
  flush();
  w.done.store(true, std::memory_order_release);
  workers_running_.fetch_sub(1, std::memory_order_acq_rel);
}

void Pipeline::run_fanout() {
  Backoff backoff(*idle_);
  for (;;) {
    bool moved = false;
    for (auto &w : workers_) {
      std::span<const std::byte> batch = w->out.front();
      if (batch.empty())
        continue;
      std::string_view lines(reinterpret_cast<const char *>(batch.data()),
                             batch.size());
      for (auto &o : outputs_)
        o->offer(lines);
      w->out.pop();
      moved = true;
    }
    if (moved) {
      backoff.busy();
      continue;
    }
    if (workers_running_.load(std::memory_order_acquire) == 0) {
      bool empty = true;
      for (auto &w : workers_)
        empty = empty && w->out.front().empty();
      if (empty)
        break;
      continue;
    }
    backoff.idle();
  }
}

void Pipeline::stop() {
  stopping_.store(true, std::memory_order_release);
  idle_->wake_all();
  for (auto &w : workers_) {
    if (w->thread.joinable())
      w->thread.join();
  }
  if (fanout_.joinable())
    fanout_.join();
  for (auto &o : outputs_)
    o->stop();
  if (enricher_)
    enricher_->stop();
  running_.store(false, std::memory_order_release);
  received_pub_.store(received_, std::memory_order_relaxed);
  queue_full_pub_.store(queue_full_, std::memory_order_relaxed);
}

PipelineStats Pipeline::stats() const {
  PipelineStats s;
  s.received = received_pub_.load(std::memory_order_relaxed);
  s.queue_full = queue_full_pub_.load(std::memory_order_relaxed);
  for (const auto &w : workers_) {
    s.formatted += w->lines.load(std::memory_order_relaxed);
    s.malformed += w->malformed.load(std::memory_order_relaxed);
    s.context_only += w->context_only.load(std::memory_order_relaxed);
    s.detections += w->detections.load(std::memory_order_relaxed);
  }
  if (settings_.limiter)
    s.suppressed = settings_.limiter->suppressed();
  std::uint64_t fewest_lost = UINT64_MAX;
  for (const auto &o : outputs_) {
    s.outputs.push_back(o->stats());
    fewest_lost = std::min(fewest_lost, s.outputs.back().lost());
  }
  s.write_failed = std::min(s.formatted, fewest_lost);
  s.emitted = s.formatted - s.write_failed;
  return s;
}

std::vector<EventCount> Pipeline::event_counts() const {
  std::size_t kinds = schema_.slot_count() + std::size(kProcessEvents);
  std::vector<std::uint64_t> sums(kinds, 0);
  for (const auto &w : workers_) {
    for (std::size_t i = 0; i < kinds; ++i)
      sums[i] += w->by_event[i].load(std::memory_order_relaxed);
  }
  // i386 and x86_64 slots of one syscall share its name: one count each.
  std::vector<EventCount> out;
  for (std::size_t i = 0; i < kinds; ++i) {
    if (sums[i] == 0)
      continue;
    std::string_view name = i < schema_.slot_count()
                                ? std::string_view(schema_.at_slot(i).name)
                                : kProcessEvents[i - schema_.slot_count()];
    auto same = std::find_if(out.begin(), out.end(), [&](const EventCount &c) {
      return c.name == name;
    });
    if (same != out.end())
      same->count += sums[i];
    else
      out.push_back({name, sums[i]});
  }
  return out;
}

std::vector<std::size_t> Pipeline::queue_depths() const {
  std::vector<std::size_t> out;
  for (const auto &w : workers_)
    out.push_back(w->in.used_bytes());
  return out;
}

bool Pipeline::output_closed() const {
  return std::all_of(outputs_.begin(), outputs_.end(),
                     [](const auto &o) { return o->closed(); });
}

int Pipeline::output_error() const {
  for (const auto &o : outputs_) {
    if (o->closed())
      return o->error();
  }
  return 0;
}

void Pipeline::reopen_outputs() {
  for (auto &o : outputs_)
    o->request_reopen();
}

} // namespace vigil
