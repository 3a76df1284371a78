// output_sink.h - one destination of event lines. Each sink is driven by
// its own OutputChannel thread, so a sink may block (a slow disk, a
// receiver that is down) without holding up capture or other outputs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace vigil {

// Delivery - what became of the lines handed to one deliver() call.
struct Delivery {
  std::uint64_t delivered = 0; // lines the destination took
  std::uint64_t failed = 0;    // lines given up: rejected, or at exit
  bool closed = false;         // the output is gone for good
  int error = 0;               // the errno that closed it
};

// RetryControl - how a sink waits between retries. wait() returns false
// once vigil is stopping and the drain time is over: give up then.
class RetryControl {
public:
  virtual ~RetryControl() = default;
  virtual bool wait(std::chrono::milliseconds delay) = 0;
  // attempt_failed - counts one failed attempt (a refused connection, a
  // 503), for the output's error counter.
  virtual void attempt_failed() = 0;
};

class OutputSink {
public:
  virtual ~OutputSink() = default;

  // deliver - lines is one or more whole lines, each ending in '\n'.
  virtual Delivery deliver(std::string_view lines, RetryControl &retry) = 0;
  // reopen - the file output opens its path anew (after SIGUSR1).
  virtual void reopen() {}
  // batch_bytes - how many bytes of queued lines one deliver() may take.
  virtual std::size_t batch_bytes() const { return 256 * 1024; }
};

// count_lines - the newlines in text.
std::uint64_t count_lines(std::string_view text);

// ExponentialBackoff - the retry waits of one outage: initial, doubling,
// at most max.
class ExponentialBackoff {
public:
  ExponentialBackoff(std::uint64_t initial_ms, std::uint64_t max_ms)
      : initial_(initial_ms), max_(max_ms), next_(initial_ms) {}
  std::chrono::milliseconds next() {
    std::uint64_t now = next_;
    next_ = std::min(next_ * 2, max_);
    return std::chrono::milliseconds(now);
  }
  void reset() { next_ = initial_; }

private:
  std::uint64_t initial_, max_, next_;
};

} // namespace vigil
