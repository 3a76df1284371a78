// line_fields_test.cpp - the fields the network outputs take from a JSON
// line, the RFC 5424 message and the HTTP bodies built from them.
#include <catch2/catch.hpp>

#include "output/http_sink.h"
#include "output/line_fields.h"
#include "output/syslog_sink.h"

namespace vigil {
namespace {

constexpr std::string_view kLine =
    R"({"time":"2026-12-03T14:03:21.683179050Z","event":"openat","abi":"x86_64"})";

} // namespace

TEST_CASE("line fields: time and event come from the head of the line",
          "[output]") {
  CHECK(leading_string_field(kLine, "time") ==
        std::optional<std::string_view>("2026-12-03T14:03:21.683179050Z"));
  CHECK(leading_string_field(kLine, "event") ==
        std::optional<std::string_view>("openat"));
  CHECK_FALSE(leading_string_field("read(3, ...) = 0", "event"));
  CHECK(rfc5424_time(kLine) == "2026-12-03T14:03:21.683179Z");
  CHECK(epoch_seconds(kLine) == "1796306601.683179050");
}

TEST_CASE("line fields: an RFC 5424 message carries priority, time, host, "
          "app, pid and event",
          "[output]") {
  SyslogOutputConfig c;
  c.facility = 16;
  c.severity = 6;
  CHECK(rfc5424_message(kLine, c, "host1", 42) ==
        "<134>1 2026-12-03T14:03:21.683179Z host1 vigil 42 openat - " +
            std::string(kLine));
}

TEST_CASE("line fields: ndjson bodies are the lines as they are", "[output]") {
  HttpOutputConfig c;
  std::string lines = std::string(kLine) + "\n" + std::string(kLine) + "\n";
  CHECK(encode_http_body(lines, c, "h") == lines);
}

} // namespace vigil
