#include "pipeline/pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include "decode/raw_event.h"
#include "util/log.h"

namespace vigil {

namespace {

constexpr std::size_t kBatchBytes = 64 * 1024;
constexpr std::size_t kOutQueueBytes = 4u << 20;
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
  explicit Worker(std::size_t queue_bytes)
      : in(queue_bytes), out(kOutQueueBytes) {}

  ByteQueue in;  // raw records from the reader
  ByteQueue out; // formatted batches for the writer
  std::thread thread;
  std::atomic<std::uint64_t> emitted{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> context_only{0};
  std::atomic<std::uint64_t> detections{0};
  std::atomic<bool> done{false};
};

Pipeline::Pipeline(PipelineSettings settings, const EventSchema &schema,
                   const WallClock &clock)
    : settings_(settings), schema_(schema), clock_(clock),
      idle_(std::make_unique<Idle>()) {
  if (settings_.enrich)
    enricher_ = std::make_unique<Enricher>(settings_.enrich_settings);
  int n = std::max(1, settings_.workers);
  for (int i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>(settings_.queue_bytes));
  }
}

Pipeline::~Pipeline() { stop(); }

void Pipeline::start() {
  // Seeded before any record arrives, so that the processes already
  // running have their context from the first event on.
  if (enricher_)
    enricher_->start();
  workers_running_ = static_cast<int>(workers_.size());
  for (auto &w : workers_) {
    w->thread = std::thread([this, &w] { run_worker(*w); });
  }
  writer_ = std::thread([this] { run_writer(); });
}

void Pipeline::push(std::span<const std::byte> record) {
  ++received_;
  std::uint32_t tid = 0;
  if (record.size() >= sizeof(vigil_event)) {
    std::memcpy(&tid, record.data() + offsetof(vigil_event, tid), sizeof(tid));
  }
  Worker &w = *workers_[tid % workers_.size()];
  if (!w.in.try_push(record))
    ++queue_full_;

  // Publish the reader's counters now and then, not per record.
  if ((received_ & 1023) == 0) {
    received_pub_.store(received_, std::memory_order_relaxed);
    queue_full_pub_.store(queue_full_, std::memory_order_relaxed);
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
      if (output_closed())
        break;
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
      if (!settings_.detections_only)
        formatter->format(*ev, ctx, batch);
      if (detector) {
        std::size_t n = detector->detect(*ev, ctx, batch);
        if (n)
          w.detections.fetch_add(n, std::memory_order_relaxed);
      }
      w.emitted.fetch_add(1, std::memory_order_relaxed);
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

bool Pipeline::write_all(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(settings_.out_fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      if (err != EPIPE) {
        spdlog::error("writing events failed: {}", std::strerror(err));
      }
      output_error_.store(err, std::memory_order_release);
      output_closed_.store(true, std::memory_order_release);
      return false;
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

void Pipeline::run_writer() {
  Backoff backoff(*idle_);
  for (;;) {
    bool wrote = false;
    for (auto &w : workers_) {
      std::span<const std::byte> batch = w->out.front();
      if (batch.empty())
        continue;
      if (!output_closed())
        write_all(batch);
      if (output_closed()) {
        // Once the output is gone every later line is counted, not lost
        // silently.
        auto lines = std::count(batch.begin(), batch.end(), std::byte{'\n'});
        write_failed_.fetch_add(lines, std::memory_order_relaxed);
      }
      w->out.pop();
      wrote = true;
    }
    if (!wrote) {
      if (workers_running_.load(std::memory_order_acquire) == 0) {
        bool empty = true;
        for (auto &w : workers_)
          empty = empty && w->out.front().empty();
        if (empty)
          break;
        continue;
      }
      backoff.idle();
    } else {
      backoff.busy();
    }
  }
}

void Pipeline::stop() {
  stopping_.store(true, std::memory_order_release);
  idle_->wake_all();
  for (auto &w : workers_) {
    if (w->thread.joinable())
      w->thread.join();
  }
  if (writer_.joinable())
    writer_.join();
  if (enricher_)
    enricher_->stop();
  received_pub_.store(received_, std::memory_order_relaxed);
  queue_full_pub_.store(queue_full_, std::memory_order_relaxed);
}

PipelineStats Pipeline::stats() const {
  PipelineStats s;
  s.received = received_pub_.load(std::memory_order_relaxed);
  s.queue_full = queue_full_pub_.load(std::memory_order_relaxed);
  for (const auto &w : workers_) {
    s.emitted += w->emitted.load(std::memory_order_relaxed);
    s.malformed += w->malformed.load(std::memory_order_relaxed);
    s.context_only += w->context_only.load(std::memory_order_relaxed);
    s.detections += w->detections.load(std::memory_order_relaxed);
  }
  if (settings_.limiter)
    s.suppressed = settings_.limiter->suppressed();
  s.write_failed = write_failed_.load(std::memory_order_relaxed);
  s.emitted -= std::min(s.emitted, s.write_failed);
  return s;
}

} // namespace vigil
