// value_writer.h - the one interface every argument decoder writes to.
//
// A decoder says what a value is (a flag set, a string, a struct with
// fields); the writer decides how it looks. StraceWriter prints strace's
// syntax for vigil trace; JsonValueWriter prints JSON for events. Decoders
// are written once and serve both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

class ValueWriter {
public:
  virtual ~ValueWriter() = default;

  virtual void signed_int(std::int64_t v) = 0;
  virtual void unsigned_int(std::uint64_t v) = 0;
  // 0x1f in text; a number in JSON.
  virtual void hex(std::uint64_t v) = 0;
  // 0644 in text; the string "0644" in JSON.
  virtual void octal(std::uint64_t v) = 0;
  // NULL or 0x7ffd... in text; null or a number in JSON.
  virtual void pointer(std::uint64_t v) = 0;
  // A bare word or an expression of them: AT_FDCWD, O_RDONLY|O_CLOEXEC,
  // SIGINT, 8192*1024. A string in JSON.
  virtual void symbol(std::string_view text) = 0;
  // Captured bytes as a quoted, escaped string; truncated adds strace's
  // "..." after the quote.
  virtual void string(std::string_view bytes, bool truncated) = 0;
  // Binary bytes, every one as \xNN in text (getrandom's buffer).
  virtual void hex_string(std::string_view bytes, bool truncated) = 0;
  // Memory that could not be read: strace prints the address; JSON null.
  virtual void unreadable(std::uint64_t address) = 0;

  // {name=value, ...} in text, {"name": value} in JSON.
  virtual void begin_struct() = 0;
  virtual void field(std::string_view name) = 0;
  virtual void end_struct() = 0;
  // [a, b] in text and JSON.
  virtual void begin_array() = 0;
  virtual void element() = 0; // before each element
  virtual void end_array() = 0;
  // strace's "..." for fields or elements left out; nothing in JSON.
  virtual void ellipsis() = 0;
  // strace's /* 24 vars */; nothing in JSON.
  virtual void comment(std::string_view text) = 0;
  // The path behind a file descriptor, strace -y's 3</etc/passwd>;
  // nothing in JSON.
  virtual void fd_path(std::string_view path) = 0;
};

// StraceWriter - strace's argument syntax, appended to out. string_limit
// is strace's -s: how many bytes of a string are printed (paths are
// always printed whole: the caller passes no limit for them).
class StraceWriter final : public ValueWriter {
public:
  explicit StraceWriter(std::string &out) : out_(out) {}

  void signed_int(std::int64_t v) override;
  void unsigned_int(std::uint64_t v) override;
  void hex(std::uint64_t v) override;
  void octal(std::uint64_t v) override;
  void pointer(std::uint64_t v) override;
  void symbol(std::string_view text) override;
  void string(std::string_view bytes, bool truncated) override;
  void hex_string(std::string_view bytes, bool truncated) override;
  void unreadable(std::uint64_t address) override;
  void begin_struct() override;
  void field(std::string_view name) override;
  void end_struct() override;
  void begin_array() override;
  void element() override;
  void end_array() override;
  void ellipsis() override;
  void comment(std::string_view text) override;
  void fd_path(std::string_view path) override;

private:
  void separate();

  std::string &out_;
  // One bit per open struct or array level: whether it has an item yet.
  std::uint64_t has_item_ = 0;
  int depth_ = 0;
};

// JsonValueWriter - the same values as JSON, appended to out.
class JsonValueWriter final : public ValueWriter {
public:
  explicit JsonValueWriter(std::string &out) : out_(out) {}

  void signed_int(std::int64_t v) override;
  void unsigned_int(std::uint64_t v) override;
  void hex(std::uint64_t v) override;
  void octal(std::uint64_t v) override;
  void pointer(std::uint64_t v) override;
  void symbol(std::string_view text) override;
  void string(std::string_view bytes, bool truncated) override;
  void hex_string(std::string_view bytes, bool truncated) override {
    string(bytes, truncated);
  }
  void unreadable(std::uint64_t address) override;
  void begin_struct() override;
  void field(std::string_view name) override;
  void end_struct() override;
  void begin_array() override;
  void element() override;
  void end_array() override;
  void ellipsis() override {}
  void comment(std::string_view) override {}
  void fd_path(std::string_view) override {}

private:
  std::string &out_;
  std::uint64_t has_item_ = 0;
  int depth_ = 0;
};

// append_strace_hex - v as C's %#lx prints it, as strace does: 0x1f, and
// a plain 0 for zero.
void append_strace_hex(std::string &out, std::uint64_t v);

// strace_escape - bytes in strace's quoting: printable ASCII as is, \n \t
// \r \v \f \" \\ escaped, any other byte as \ooo octal (or \xNN with -x).
void strace_escape(std::string &out, std::string_view bytes);

} // namespace vigil
