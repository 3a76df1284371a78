// output_channel.h - one output with its own bounded queue and thread.
// The pipeline's fan-out offers every batch of lines to every channel and
// never waits: a channel whose queue is full drops the batch and counts
// its lines, so a slow or dead output costs only its own lines.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "output/output_sink.h"
#include "pipeline/byte_queue.h"

namespace vigil {

// OutputStats - every line offered to an output is counted once as
// delivered, dropped or failed, or is still queued.
struct OutputStats {
  std::string name;
  std::uint64_t offered = 0;
  std::uint64_t delivered = 0;
  std::uint64_t dropped = 0; // the queue was full
  std::uint64_t failed = 0;  // written nowhere: error, rejected, at exit
  std::uint64_t errors = 0;  // failed attempts, retries included
  std::size_t queued_bytes = 0;
  bool closed = false;

  std::uint64_t lost() const { return dropped + failed; }
};

class OutputChannel {
public:
  OutputChannel(std::string name, std::unique_ptr<OutputSink> sink,
                std::size_t queue_bytes, std::chrono::milliseconds drain);
  ~OutputChannel();
  OutputChannel(const OutputChannel &) = delete;
  OutputChannel &operator=(const OutputChannel &) = delete;

  void start();
  // offer - called by one producer thread only; never blocks.
  void offer(std::string_view lines);
  // stop - delivers what is queued, for at most the drain time once the
  // destination stops taking lines; what is left is counted as failed.
  void stop();
  // request_reopen - the thread reopens the sink before its next batch.
  void request_reopen() { reopen_.store(true, std::memory_order_release); }

  const std::string &name() const { return name_; }
  bool closed() const { return closed_.load(std::memory_order_acquire); }
  int error() const { return error_.load(std::memory_order_acquire); }
  OutputStats stats() const;

private:
  class Retry;
  void run();
  bool take_batch(std::string &batch);
  void count(const Delivery &d);

  std::string name_;
  std::unique_ptr<OutputSink> sink_;
  ByteQueue queue_;
  std::chrono::milliseconds drain_;
  std::thread thread_;
  std::mutex mutex_; // guards the wake-up of a waiting thread only
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> reopen_{false};
  std::atomic<bool> closed_{false};
  std::atomic<int> error_{0};
  std::atomic<std::int64_t> stop_deadline_ns_{0};
  std::atomic<std::uint64_t> offered_{0}, delivered_{0}, dropped_{0},
      failed_{0}, errors_{0};
};

} // namespace vigil
