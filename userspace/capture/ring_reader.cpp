#include "capture/ring_reader.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <string>

#include "capture/bpf_capture.h"
#include "pipeline/pipeline.h"
#include "util/log.h"

namespace vigil {

namespace {

// Each record starts with a header: its length, with the two flag bits
// the kernel sets while it is written and when it is dropped, and a page
// offset the reader has no use for. Records are 8-byte aligned.
constexpr std::uint32_t kHeaderBytes = BPF_RINGBUF_HDR_SZ;

std::uint64_t record_span(std::uint32_t len) {
  len &= ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
  return (std::uint64_t{len} + kHeaderBytes + 7) & ~std::uint64_t{7};
}

StartupError ring_error(const char *what) {
  return StartupError(std::string(what) + ": " + std::strerror(errno));
}

} // namespace

RingReader::RingReader(int ring_fd, Pipeline &pipeline, int poll_ms)
    : pipeline_(pipeline), poll_ms_(poll_ms),
      page_size_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {
  bpf_map_info info{};
  std::uint32_t info_len = sizeof(info);
  if (bpf_obj_get_info_by_fd(ring_fd, &info, &info_len) != 0)
    throw ring_error("cannot read the BPF ring buffer's size");
  mask_ = info.max_entries - 1;

  // The consumer page is the reader's to write; the producer page and the
  // data are read-only, the data mapped twice so that a record that
  // wraps around the end reads as one piece.
  consumer_page_ =
      mmap(nullptr, page_size_, PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
  if (consumer_page_ == MAP_FAILED) {
    consumer_page_ = nullptr;
    throw ring_error("cannot map the BPF ring buffer");
  }
  producer_map_size_ = page_size_ + 2 * std::size_t{info.max_entries};
  producer_map_ = mmap(nullptr, producer_map_size_, PROT_READ, MAP_SHARED,
                       ring_fd, static_cast<off_t>(page_size_));
  if (producer_map_ == MAP_FAILED) {
    producer_map_ = nullptr;
    int err = errno;
    release();
    errno = err;
    throw ring_error("cannot map the BPF ring buffer");
  }
  consumer_pos_ = static_cast<std::atomic<std::uint64_t> *>(consumer_page_);
  producer_pos_ =
      static_cast<const std::atomic<std::uint64_t> *>(producer_map_);
  data_ = static_cast<const std::byte *>(producer_map_) + page_size_;

  // One epoll set holds the ring itself and a wake-up eventfd.
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ring{}, wake{};
  ring.events = wake.events = EPOLLIN;
  if (epoll_fd_ < 0 || wake_fd_ < 0 ||
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, ring_fd, &ring) ||
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake)) {
    int err = errno;
    release();
    errno = err;
    throw ring_error("cannot poll the BPF ring buffer");
  }
}

RingReader::~RingReader() { release(); }

void RingReader::release() {
  if (producer_map_ != nullptr)
    munmap(producer_map_, producer_map_size_);
  if (consumer_page_ != nullptr)
    munmap(consumer_page_, page_size_);
  producer_map_ = consumer_page_ = nullptr;
  if (epoll_fd_ >= 0)
    ::close(epoll_fd_);
  if (wake_fd_ >= 0)
    ::close(wake_fd_);
  epoll_fd_ = wake_fd_ = -1;
}

std::size_t RingReader::consume() {
  std::size_t records = 0;
  std::uint64_t cons = consumer_pos_->load(std::memory_order_relaxed);
  std::uint64_t published = cons;
  auto publish = [&] {
    if (cons != published) {
      consumer_pos_->store(cons, std::memory_order_release);
      published = cons;
    }
  };
  for (;;) {
    std::uint64_t prod = producer_pos_->load(std::memory_order_acquire);
    if (cons >= prod)
      break;
    while (cons < prod) {
      const std::byte *hdr = data_ + (cons & mask_);
      std::uint32_t len = __atomic_load_n(
          reinterpret_cast<const std::uint32_t *>(hdr), __ATOMIC_ACQUIRE);
      // Still being written: the next call goes on from here.
      if (len & BPF_RINGBUF_BUSY_BIT) {
        publish();
        return records;
      }
      if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
        pipeline_.push(std::span(hdr + kHeaderBytes, len));
        ++records;
      }
      cons += record_span(len);
      if (cons - published >= kReleaseBytes)
        publish();
    }
    publish();
  }
  return records;
}

void RingReader::run() {
  while (!stopping_.load(std::memory_order_acquire)) {
    if (consume() > 0)
      continue;
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
  while (consume() > 0) {
  }
}

} // namespace vigil
