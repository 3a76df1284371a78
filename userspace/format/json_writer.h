// json_writer.h - the small, fast JSON writing vigil's event path needs:
// appending to a std::string, no intermediate document.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::json {

// append_string - s as a quoted JSON string. Valid UTF-8 passes through;
// a byte that is not part of valid UTF-8 becomes the four characters \xNN,
// so the output is valid JSON whatever the kernel captured.
void append_string(std::string &out, std::string_view s);

// append_c_string - s as a C string literal for the text format: the same
// \xNN for invalid bytes, C escapes for control characters.
void append_c_string(std::string &out, std::string_view s);

template <typename Int> void append_int(std::string &out, Int value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, end);
}

inline void append_key(std::string &out, std::string_view key) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
}

} // namespace vigil::json
