// byte_queue.h - a bounded single-producer single-consumer queue of
// variable-sized records in one preallocated byte ring.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace vigil {

// ByteQueue - try_push never blocks: a full queue is the producer's to
// count. Records are 8-byte aligned, prefixed with their length; a record
// that would cross the end of the ring starts again at offset 0 behind a
// wrap marker.
class ByteQueue {
public:
  explicit ByteQueue(std::size_t capacity); // rounded up to a power of two

  bool try_push(std::span<const std::byte> record);
  // Two-part push, to build a record in place: reserve, fill, commit.
  std::byte *reserve(std::size_t len);
  void commit();

  // front - the oldest record, or an empty span when there is none.
  std::span<const std::byte> front();
  void pop();

  std::size_t capacity() const { return capacity_; }
  std::size_t used_bytes() const {
    return head_.load(std::memory_order_acquire) -
           tail_.load(std::memory_order_acquire);
  }

private:
  static constexpr std::uint32_t kWrap = 0xffffffffu;
  static constexpr std::size_t kAlign = 8;
  static std::size_t padded(std::size_t len) {
    return (sizeof(std::uint64_t) + len + kAlign - 1) & ~(kAlign - 1);
  }

  std::size_t capacity_;
  std::unique_ptr<std::byte[]> ring_;
  // Producer and consumer positions, ever growing, on their own lines.
  alignas(64) std::atomic<std::uint64_t> head_{0};
  std::uint64_t reserved_head_ = 0;
  alignas(64) std::atomic<std::uint64_t> tail_{0};
  std::uint64_t front_len_ = 0;
};

} // namespace vigil
