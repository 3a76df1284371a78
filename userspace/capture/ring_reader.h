// ring_reader.h - drains the BPF ring buffer into the pipeline. It never
// waits on anything but the ring: the BPF programs write without waking
// it, so it polls on a short timer and is woken early only when the ring
// fills past a threshold, or when it is told to stop.
//
// The ring is read through its own mapping rather than libbpf's reader,
// which publishes the consumer position after every record: each of
// those writes takes the line the producers read on every reservation
// away from them. Here the position is published once per batch, and
// within a batch at least every kReleaseBytes, so the ring never waits
// long for room.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace vigil {

class Pipeline;

class RingReader {
public:
  RingReader(int ring_fd, Pipeline &pipeline, int poll_ms = 10);
  ~RingReader();
  RingReader(const RingReader &) = delete;
  RingReader &operator=(const RingReader &) = delete;

  // run - until stop() is called, then drains what is left. Detach the
  // programs before stopping, or a busy ring never runs dry.
  void run();
  // stop - ends run() now, from any thread, without waiting out a poll.
  void stop();
  // drain - consumes everything in the ring now.
  void drain();

private:
  static constexpr std::uint64_t kReleaseBytes = 64 << 10;

  // consume - hands every committed record to the pipeline; how many.
  std::size_t consume();
  void release();

  Pipeline &pipeline_;
  int poll_ms_;
  std::size_t page_size_ = 0;
  std::uint64_t mask_ = 0; // data size - 1; the size is a power of two
  void *consumer_page_ = nullptr;
  void *producer_map_ = nullptr; // producer page, then the data twice
  std::size_t producer_map_size_ = 0;
  std::atomic<std::uint64_t> *consumer_pos_ = nullptr;
  const std::atomic<std::uint64_t> *producer_pos_ = nullptr;
  const std::byte *data_ = nullptr;
  int epoll_fd_ = -1; // the ring and wake_fd_
  int wake_fd_ = -1;  // an eventfd written by stop()
  std::atomic<bool> stopping_{false};
};

} // namespace vigil
