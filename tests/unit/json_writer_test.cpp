#include "format/json_writer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using vigil::json::append_c_string;
using vigil::json::append_string;

namespace {

std::string as_json(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

} // namespace

TEST_CASE("json strings escape quotes, backslashes and control bytes",
          "[json]") {
  CHECK(as_json("a\"b") == R"("a\"b")");
  CHECK(as_json("a\\b") == R"("a\\b")");
  CHECK(as_json("line\nnext\ttab\r") == R"("line\nnext\ttab\r")");
  CHECK(as_json(std::string_view("\x01\x1f", 2)) == R"("\u0001\u001f")");
  CHECK(as_json(std::string_view("a\0b", 3)) == R"("a\u0000b")");
  CHECK(as_json("\x7f") == R"("\u007f")");
}

TEST_CASE("json strings keep valid UTF-8 as it is", "[json]") {
  CHECK(as_json("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(as_json("\xe2\x82\xac") == "\"\xe2\x82\xac\"");
  CHECK(as_json("\xf0\x9f\x98\x80") == "\"\xf0\x9f\x98\x80\"");
}

TEST_CASE("json strings write invalid UTF-8 bytes as \\xNN", "[json]") {
  CHECK(as_json("\xff") == R"("\\xff")");
  CHECK(as_json("a\xc3") == R"("a\\xc3")");                 // cut sequence
  CHECK(as_json("\xc0\xaf") == R"("\\xc0\\xaf")");          // overlong
  CHECK(as_json("\xed\xa0\x80") == R"("\\xed\\xa0\\x80")"); // surrogate
  CHECK(as_json("\xf4\x90\x80\x80") == R"("\\xf4\\x90\\x80\\x80")");
}

TEST_CASE("every byte string becomes JSON that a parser accepts", "[json]") {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  std::string doc = as_json(all);
  nlohmann::json parsed = nlohmann::json::parse(doc);
  REQUIRE(parsed.is_string());
  CHECK(parsed.get<std::string>().size() > all.size());
}

TEST_CASE("c strings use C escapes for the text format", "[json]") {
  std::string out;
  append_c_string(out, "a\"\n\x01\xff");
  CHECK(out == R"("a\"\n\x01\xff")");
}
