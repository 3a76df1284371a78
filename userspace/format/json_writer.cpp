#include "format/json_writer.h"

#include <array>

namespace vigil::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// utf8_sequence - the length of the valid UTF-8 sequence at s[i], or 0 if
// the byte there does not start one (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100;
  };
  auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xbf) {
    unsigned b = byte(k);
    return b >= lo && b <= hi;
  };
  unsigned b0 = byte(0);
  if (b0 >= 0xc2 && b0 <= 0xdf)
    return cont(1) ? 2 : 0;
  if (b0 == 0xe0)
    return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 == 0xed)
    return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef)
    return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xf0)
    return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3)
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xf4)
    return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

void append_hex_byte(std::string &out, unsigned char c, bool json) {
  // In JSON the backslash of \xNN must itself be escaped.
  out.append(json ? "\\\\x" : "\\x");
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xf]);
}

// The escape for a byte below 0x20 or a quote or backslash, in JSON or C.
void append_escape(std::string &out, unsigned char c, bool json) {
  switch (c) {
  case '"':
    out.append("\\\"");
    return;
  case '\\':
    out.append("\\\\");
    return;
  case '\n':
    out.append("\\n");
    return;
  case '\t':
    out.append("\\t");
    return;
  case '\r':
    out.append("\\r");
    return;
  default:
    break;
  }
  if (json) {
    out.append("\\u00");
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  } else {
    append_hex_byte(out, c, false);
  }
}

bool needs_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f;
}

void append_escaped(std::string &out, std::string_view s, bool json) {
  out.push_back('"');
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    if (c == 0x7f) {
      if (json) {
        out.append("\\u007f");
      } else {
        append_hex_byte(out, c, false);
      }
      ++i;
    } else if (c >= 0x80) {
      std::size_t len = utf8_sequence(s, i);
      if (len == 0) {
        append_hex_byte(out, c, json);
        ++i;
      } else {
        out.append(s.data() + i, len);
        i += len;
      }
    } else {
      append_escape(out, c, json);
      ++i;
    }
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

} // namespace

void append_string(std::string &out, std::string_view s) {
  append_escaped(out, s, true);
}

void append_c_string(std::string &out, std::string_view s) {
  append_escaped(out, s, false);
}

} // namespace vigil::json
