#include "pipeline/byte_queue.h"

#include <bit>

namespace vigil {

ByteQueue::ByteQueue(std::size_t capacity)
    : capacity_(std::bit_ceil(std::max<std::size_t>(capacity, 4096))),
      ring_(new std::byte[capacity_]) {}

std::byte *ByteQueue::reserve(std::size_t len) {
  std::uint64_t head = head_.load(std::memory_order_relaxed);
  std::uint64_t tail = tail_.load(std::memory_order_acquire);
  std::size_t need = padded(len);
  std::size_t offset = head & (capacity_ - 1);
  std::size_t to_end = capacity_ - offset;

  // Skip to the start of the ring when the record would cross its end.
  std::size_t skip = to_end < need ? to_end : 0;
  if (need + skip > capacity_ - (head - tail))
    return nullptr;
  if (skip != 0) {
    std::uint64_t marker = kWrap;
    std::memcpy(&ring_[offset], &marker, sizeof(marker));
    head += skip;
    offset = 0;
  }
  std::uint64_t header = len;
  std::memcpy(&ring_[offset], &header, sizeof(header));
  reserved_head_ = head + need;
  return &ring_[offset + sizeof(header)];
}

void ByteQueue::commit() {
  head_.store(reserved_head_, std::memory_order_release);
}

bool ByteQueue::try_push(std::span<const std::byte> record) {
  std::byte *dst = reserve(record.size());
  if (dst == nullptr)
    return false;
  std::memcpy(dst, record.data(), record.size());
  commit();
  return true;
}

std::span<const std::byte> ByteQueue::front() {
  std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  std::uint64_t head = head_.load(std::memory_order_acquire);
  while (tail != head) {
    std::size_t offset = tail & (capacity_ - 1);
    std::uint64_t header;
    std::memcpy(&header, &ring_[offset], sizeof(header));
    if (header == kWrap || capacity_ - offset < sizeof(header)) {
      tail += capacity_ - offset;
      tail_.store(tail, std::memory_order_release);
      continue;
    }
    front_len_ = header;
    return {&ring_[offset + sizeof(header)], static_cast<std::size_t>(header)};
  }
  return {};
}

void ByteQueue::pop() {
  std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  tail_.store(tail + padded(front_len_), std::memory_order_release);
}

} // namespace vigil
