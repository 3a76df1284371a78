#include "decode/value_writer.h"

#include "format/json_writer.h"

namespace vigil {

namespace {

void append_octal(std::string &out, std::uint64_t v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 8);
  out.push_back('0');
  if (v != 0)
    out.append(buf, end);
}

} // namespace

void append_strace_hex(std::string &out, std::uint64_t v) {
  if (v == 0) {
    out.push_back('0');
    return;
  }
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, 16);
  out.append("0x");
  out.append(buf, end);
}

void strace_escape(std::string &out, std::string_view bytes) {
  // strace prints a byte as octal with as few digits as are unambiguous:
  // three when a digit follows, else as few as the value needs.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
    case '"':
      out.append("\\\"");
      continue;
    case '\\':
      out.append("\\\\");
      continue;
    case '\n':
      out.append("\\n");
      continue;
    case '\t':
      out.append("\\t");
      continue;
    case '\r':
      out.append("\\r");
      continue;
    case '\v':
      out.append("\\v");
      continue;
    case '\f':
      out.append("\\f");
      continue;
    default:
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    bool digit_next =
        i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
    out.push_back('\\');
    if (digit_next || c >= 0100) {
      out.push_back(static_cast<char>('0' + (c >> 6)));
      out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
    } else if (c >= 010) {
      out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
    }
    out.push_back(static_cast<char>('0' + (c & 7)));
  }
}

// StraceWriter

void StraceWriter::separate() {
  if (depth_ == 0)
    return;
  std::uint64_t bit = 1ull << (depth_ - 1);
  if (has_item_ & bit)
    out_.append(", ");
  has_item_ |= bit;
}

void StraceWriter::signed_int(std::int64_t v) { json::append_int(out_, v); }
void StraceWriter::unsigned_int(std::uint64_t v) { json::append_int(out_, v); }
void StraceWriter::hex(std::uint64_t v) { append_strace_hex(out_, v); }
void StraceWriter::octal(std::uint64_t v) { append_octal(out_, v); }

void StraceWriter::pointer(std::uint64_t v) {
  if (v == 0) {
    out_.append("NULL");
  } else {
    append_strace_hex(out_, v);
  }
}

void StraceWriter::symbol(std::string_view text) { out_.append(text); }

void StraceWriter::string(std::string_view bytes, bool truncated) {
  out_.push_back('"');
  strace_escape(out_, bytes);
  out_.push_back('"');
  if (truncated)
    out_.append("...");
}

void StraceWriter::hex_string(std::string_view bytes, bool truncated) {
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    out_.append("\\x");
    out_.push_back(kHex[c >> 4]);
    out_.push_back(kHex[c & 0xf]);
  }
  out_.push_back('"');
  if (truncated)
    out_.append("...");
}

void StraceWriter::unreadable(std::uint64_t address) { pointer(address); }

void StraceWriter::begin_struct() {
  out_.push_back('{');
  ++depth_;
  has_item_ &= ~(1ull << (depth_ - 1));
}

void StraceWriter::field(std::string_view name) {
  separate();
  out_.append(name);
  out_.push_back('=');
}

void StraceWriter::end_struct() {
  --depth_;
  out_.push_back('}');
}

void StraceWriter::begin_array() {
  out_.push_back('[');
  ++depth_;
  has_item_ &= ~(1ull << (depth_ - 1));
}

void StraceWriter::element() { separate(); }

void StraceWriter::end_array() {
  --depth_;
  out_.push_back(']');
}

void StraceWriter::ellipsis() {
  separate();
  out_.append("...");
}

void StraceWriter::comment(std::string_view text) {
  out_.append(" /* ");
  out_.append(text);
  out_.append(" */");
}

void StraceWriter::fd_path(std::string_view path) {
  out_.push_back('<');
  strace_escape(out_, path);
  out_.push_back('>');
}

// JsonValueWriter

void JsonValueWriter::signed_int(std::int64_t v) { json::append_int(out_, v); }
void JsonValueWriter::unsigned_int(std::uint64_t v) {
  json::append_int(out_, v);
}
void JsonValueWriter::hex(std::uint64_t v) { json::append_int(out_, v); }

void JsonValueWriter::octal(std::uint64_t v) {
  out_.push_back('"');
  append_octal(out_, v);
  out_.push_back('"');
}

void JsonValueWriter::pointer(std::uint64_t v) {
  if (v == 0) {
    out_.append("null");
  } else {
    json::append_int(out_, v);
  }
}

void JsonValueWriter::symbol(std::string_view text) {
  json::append_string(out_, text);
}

void JsonValueWriter::string(std::string_view bytes, bool) {
  json::append_string(out_, bytes);
}

void JsonValueWriter::unreadable(std::uint64_t) { out_.append("null"); }

void JsonValueWriter::begin_struct() {
  out_.push_back('{');
  ++depth_;
  has_item_ &= ~(1ull << (depth_ - 1));
}

void JsonValueWriter::field(std::string_view name) {
  std::uint64_t bit = 1ull << (depth_ - 1);
  if (has_item_ & bit)
    out_.push_back(',');
  has_item_ |= bit;
  json::append_key(out_, name);
}

void JsonValueWriter::end_struct() {
  --depth_;
  out_.push_back('}');
}

void JsonValueWriter::begin_array() {
  out_.push_back('[');
  ++depth_;
  has_item_ &= ~(1ull << (depth_ - 1));
}

void JsonValueWriter::element() {
  std::uint64_t bit = 1ull << (depth_ - 1);
  if (has_item_ & bit)
    out_.push_back(',');
  has_item_ |= bit;
}

void JsonValueWriter::end_array() {
  --depth_;
  out_.push_back(']');
}

} // namespace vigil
