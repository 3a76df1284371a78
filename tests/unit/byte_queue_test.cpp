#include "pipeline/byte_queue.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>

using vigil::ByteQueue;

namespace {

std::span<const std::byte> bytes(const std::string &s) {
  return std::as_bytes(std::span(s));
}

std::string text(std::span<const std::byte> b) {
  return std::string(reinterpret_cast<const char *>(b.data()), b.size());
}

} // namespace

TEST_CASE("records come out in order and whole", "[queue]") {
  ByteQueue q(4096);
  REQUIRE(q.try_push(bytes("one")));
  REQUIRE(q.try_push(bytes("two!")));
  CHECK(text(q.front()) == "one");
  q.pop();
  CHECK(text(q.front()) == "two!");
  q.pop();
  CHECK(q.front().empty());
}

TEST_CASE("a full queue refuses instead of overwriting", "[queue]") {
  ByteQueue q(4096);
  std::string big(1000, 'x');
  int pushed = 0;
  while (q.try_push(bytes(big)))
    ++pushed;
  CHECK(pushed == 4); // 4 * (1000 + 8 header) fits, a fifth does not
  CHECK(text(q.front()) == big);
}

TEST_CASE("records wrap around the end of the ring intact", "[queue]") {
  ByteQueue q(4096);
  std::string rec(1500, 'a');
  for (int round = 0; round < 20; ++round) {
    rec.assign(1500, static_cast<char>('a' + round % 26));
    REQUIRE(q.try_push(bytes(rec)));
    REQUIRE(q.try_push(bytes(rec)));
    CHECK(text(q.front()) == rec);
    q.pop();
    CHECK(text(q.front()) == rec);
    q.pop();
  }
}

TEST_CASE("one producer and one consumer pass a million records in order",
          "[queue]") {
  ByteQueue q(1 << 16);
  constexpr int kCount = 1'000'000;
  std::thread producer([&] {
    for (int i = 0; i < kCount;) {
      std::string s = std::to_string(i);
      if (q.try_push(bytes(s)))
        ++i;
    }
  });
  int expected = 0;
  bool in_order = true;
  while (expected < kCount) {
    auto rec = q.front();
    if (rec.empty())
      continue;
    in_order = in_order && text(rec) == std::to_string(expected);
    q.pop();
    ++expected;
  }
  producer.join();
  CHECK(in_order);
  CHECK(q.front().empty());
}
