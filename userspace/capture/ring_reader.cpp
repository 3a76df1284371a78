#include "capture/ring_reader.h"

#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "capture/bpf_capture.h"
#include "pipeline/pipeline.h"
#include "util/log.h"

namespace vigil {

namespace {

int on_record(void *ctx, void *data, size_t size) {
  auto *pipeline = static_cast<Pipeline *>(ctx);
  pipeline->push(std::span(static_cast<const std::byte *>(data), size));
  return 0;
}

} // namespace

RingReader::RingReader(int ring_fd, Pipeline &pipeline, int poll_ms)
    : poll_ms_(poll_ms) {
  rb_ = ring_buffer__new(ring_fd, on_record, &pipeline, nullptr);
  if (rb_ == nullptr) {
    throw StartupError(std::string("cannot map the BPF ring buffer: ") +
                       std::strerror(errno));
  }
}

RingReader::~RingReader() { ring_buffer__free(rb_); }

void RingReader::run(const std::atomic<bool> &stop) {
  while (!stop.load(std::memory_order_acquire)) {
    int n = ring_buffer__consume(rb_);
    if (n > 0)
      continue;
    n = ring_buffer__poll(rb_, poll_ms_);
    if (n < 0 && n != -EINTR) {
      spdlog::error("polling the ring buffer failed: {}", std::strerror(-n));
      break;
    }
  }
  drain();
}

void RingReader::drain() {
  while (ring_buffer__consume(rb_) > 0) {
  }
}

} // namespace vigil
