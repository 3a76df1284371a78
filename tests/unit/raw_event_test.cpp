#include "decode/raw_event.h"

#include <catch2/catch.hpp>

#include "event_builder.h"

using vigil::RawEvent;
using vigil::test::EventBuilder;

TEST_CASE("a record parses into header and captured arguments", "[decode]") {
  EventBuilder b(257);
  b.item(1, "/tmp/x", VIGIL_ITEM_STRING | VIGIL_ITEM_TRUNCATED);
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  CHECK(ev->header->nr == 257);
  CHECK(ev->comm() == "ls");
  REQUIRE(ev->captured[1]);
  CHECK(ev->captured[1]->bytes == "/tmp/x");
  CHECK(ev->captured[1]->truncated());
  CHECK_FALSE(ev->captured[0]);
}

TEST_CASE("a short or inconsistent record is refused", "[decode]") {
  EventBuilder b(257);
  b.item(1, "/tmp/x", VIGIL_ITEM_STRING);
  auto record = b.record();

  auto cut = std::span(record).first(record.size() - 1);
  CHECK_FALSE(RawEvent::parse(cut));
  CHECK_FALSE(RawEvent::parse(std::span(record).first(10)));

  auto bad_arg = record;
  bad_arg[sizeof(vigil_event) + 2] = std::byte{9}; // item arg index 9
  CHECK_FALSE(RawEvent::parse(bad_arg));
}

TEST_CASE("a comm of 16 characters has no terminator and still reads",
          "[decode]") {
  EventBuilder b(39);
  b.comm("0123456789abcdef");
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  CHECK(ev->comm() == "0123456789abcdef");
}
