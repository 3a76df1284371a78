#include "capture/ring_reader.h"

#include <bpf/libbpf.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

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
  // One epoll set holds the ring's own set and a wake-up eventfd.
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ring{}, wake{};
  ring.events = wake.events = EPOLLIN;
  if (epoll_fd_ < 0 || wake_fd_ < 0 ||
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb_), &ring) ||
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake)) {
    int err = errno;
    release();
    throw StartupError(std::string("cannot poll the BPF ring buffer: ") +
                       std::strerror(err));
  }
}

RingReader::~RingReader() { release(); }

void RingReader::release() {
  ring_buffer__free(rb_);
  rb_ = nullptr;
  if (epoll_fd_ >= 0)
    ::close(epoll_fd_);
  if (wake_fd_ >= 0)
    ::close(wake_fd_);
  epoll_fd_ = wake_fd_ = -1;
}

void RingReader::run() {
  while (!stopping_.load(std::memory_order_acquire)) {
    int n = ring_buffer__consume(rb_);
    if (n > 0)
      continue;
    if (n < 0) {
      spdlog::error("reading the ring buffer failed: {}", std::strerror(-n));
      break;
    }
    epoll_event ev;
    if (epoll_wait(epoll_fd_, &ev, 1, poll_ms_) < 0 && errno != EINTR) {
      spdlog::error("polling the ring buffer failed: {}", std::strerror(errno));
      break;
    }
  }
  drain();
}

void RingReader::stop() {
  stopping_.store(true, std::memory_order_release);
  std::uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof(one)) < 0) {
    // The reader still sees the flag at its next poll.
  }
}

void RingReader::drain() {
  while (ring_buffer__consume(rb_) > 0) {
  }
}

} // namespace vigil
