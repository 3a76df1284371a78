// ring_reader.h - drains the BPF ring buffer into the pipeline. It never
// waits on anything but the ring: the BPF programs write without waking
// it, so it polls on a short timer and is woken early only when the ring
// fills past a threshold, or when it is told to stop.
#pragma once

#include <atomic>

struct ring_buffer;

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
  void release();

  ring_buffer *rb_ = nullptr;
  int poll_ms_;
  int epoll_fd_ = -1; // the ring's epoll set and wake_fd_
  int wake_fd_ = -1;  // an eventfd written by stop()
  std::atomic<bool> stopping_{false};
};

} // namespace vigil
