// ring_reader.h - drains the BPF ring buffer into the pipeline. It never
// waits on anything but the ring: the BPF programs write without waking
// it, so it polls on a short timer and is woken early only when the ring
// fills past a threshold.
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

  // run - until stop is set, then drains what is left. Detach the
  // programs before setting stop, or a busy ring never runs dry.
  void run(const std::atomic<bool> &stop);
  // drain - consumes everything in the ring now.
  void drain();

private:
  ring_buffer *rb_ = nullptr;
  int poll_ms_;
};

} // namespace vigil
