#include "output/output_channel.h"

#include <algorithm>
#include <cstring>

namespace vigil {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             SteadyClock::now().time_since_epoch())
      .count();
}

// An idle channel looks at its queue a little later each time it finds
// nothing, up to 10 ms: a busy output never sleeps, an idle vigil wakes
// rarely.
constexpr auto kMinIdleWait = std::chrono::microseconds(50);
constexpr auto kMaxIdleWait = std::chrono::microseconds(10000);
constexpr auto kRetryStep = std::chrono::milliseconds(50);

} // namespace

std::uint64_t count_lines(std::string_view text) {
  // memchr skips the hundreds of bytes between newlines many at a time;
  // every batch is counted on its way to each output.
  std::uint64_t n = 0;
  const char *p = text.data();
  const char *end = p + text.size();
  while (p < end) {
    p = static_cast<const char *>(std::memchr(p, '\n', end - p));
    if (p == nullptr)
      break;
    ++n;
    ++p;
  }
  return n;
}

class OutputChannel::Retry : public RetryControl {
public:
  explicit Retry(OutputChannel &channel) : channel_(channel) {}

  bool wait(std::chrono::milliseconds delay) override {
    // Waits in short steps, so that a stop during a long wait is seen
    // soon and its drain deadline is kept.
    auto until = SteadyClock::now() + delay;
    std::unique_lock lock(channel_.mutex_);
    while (!past_deadline()) {
      auto now = SteadyClock::now();
      if (now >= until)
        return true;
      channel_.wake_.wait_for(
          lock, std::min<SteadyClock::duration>(until - now, kRetryStep));
    }
    return false;
  }

  void attempt_failed() override {
    channel_.errors_.fetch_add(1, std::memory_order_relaxed);
  }

  bool past_deadline() const {
    return channel_.stopping_.load(std::memory_order_acquire) &&
           now_ns() >= channel_.stop_deadline_ns_.load();
  }

private:
  OutputChannel &channel_;
};

OutputChannel::OutputChannel(std::string name, std::unique_ptr<OutputSink> sink,
                             std::size_t queue_bytes,
                             std::chrono::milliseconds drain)
    : name_(std::move(name)), sink_(std::move(sink)), queue_(queue_bytes),
      drain_(drain) {}

OutputChannel::~OutputChannel() { stop(); }

void OutputChannel::start() {
  thread_ = std::thread([this] { run(); });
}

void OutputChannel::offer(std::string_view lines) {
  std::uint64_t n = count_lines(lines);
  offered_.fetch_add(n, std::memory_order_relaxed);
  if (closed()) {
    failed_.fetch_add(n, std::memory_order_relaxed);
    return;
  }
  if (!queue_.try_push(std::as_bytes(std::span(lines))))
    dropped_.fetch_add(n, std::memory_order_relaxed);
}

bool OutputChannel::take_batch(std::string &batch) {
  batch.clear();
  for (;;) {
    std::span<const std::byte> rec = queue_.front();
    if (rec.empty())
      break;
    if (!batch.empty() && batch.size() + rec.size() > sink_->batch_bytes())
      break;
    batch.append(reinterpret_cast<const char *>(rec.data()), rec.size());
    queue_.pop();
  }
  return !batch.empty();
}

void OutputChannel::count(const Delivery &d) {
  delivered_.fetch_add(d.delivered, std::memory_order_relaxed);
  failed_.fetch_add(d.failed, std::memory_order_relaxed);
  if (d.closed) {
    error_.store(d.error, std::memory_order_release);
    closed_.store(true, std::memory_order_release);
  }
}

void OutputChannel::run() {
  Retry retry(*this);
  std::string batch;
  std::chrono::microseconds idle = kMinIdleWait;
  for (;;) {
    if (reopen_.exchange(false, std::memory_order_acq_rel))
      sink_->reopen();
    if (!take_batch(batch)) {
      if (stopping_.load(std::memory_order_acquire))
        break;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, idle);
      idle = std::min(idle * 2, kMaxIdleWait);
      continue;
    }
    idle = kMinIdleWait;
    // A closed output, or one still failing when the drain time is over,
    // takes nothing more: its lines are counted, not attempted.
    if (closed() || retry.past_deadline()) {
      failed_.fetch_add(count_lines(batch), std::memory_order_relaxed);
      continue;
    }
    count(sink_->deliver(batch, retry));
  }
}

void OutputChannel::stop() {
  if (!thread_.joinable())
    return;
  {
    std::lock_guard lock(mutex_);
    stop_deadline_ns_.store(
        now_ns() +
        std::chrono::duration_cast<std::chrono::nanoseconds>(drain_).count());
    stopping_.store(true, std::memory_order_release);
  }
  wake_.notify_all();
  thread_.join();
}

OutputStats OutputChannel::stats() const {
  OutputStats s;
  s.name = name_;
  s.offered = offered_.load(std::memory_order_relaxed);
  s.delivered = delivered_.load(std::memory_order_relaxed);
  s.dropped = dropped_.load(std::memory_order_relaxed);
  s.failed = failed_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.queued_bytes = queue_.used_bytes();
  s.closed = closed();
  return s;
}

} // namespace vigil
