// condition.h - the syntax of rule conditions: a small recursive-descent
// parser from text to a tree, with the offset of every part so that an
// error points at its line and column in the rule file.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::rules {

struct TextSpan;

enum class Op : std::uint8_t {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kContains,
  kIContains,
  kStartsWith,
  kEndsWith,
  kGlob,
  kRegex,
  kIn,
  kExists,
};

std::string_view op_name(Op op);

// Operand - a value as written: a bare word or a quoted string.
struct Operand {
  std::string text;
  bool quoted = false;
  std::size_t offset = 0;
};

struct Ast {
  enum class Kind { kAnd, kOr, kNot, kCompare, kMacro };

  Kind kind = Kind::kCompare;
  std::size_t offset = 0;
  std::vector<std::unique_ptr<Ast>> kids; // kAnd, kOr: two or more; kNot: one
  std::string name;                       // the field, or the macro
  Op op = Op::kEq;
  std::size_t op_offset = 0;
  std::vector<Operand> values;
  bool parenthesized = false; // in (a, b) rather than in list_name
  // The text the offsets are in; set once the tree is placed in a file.
  const TextSpan *span = nullptr;
};

struct ParseError {
  std::size_t offset = 0;
  std::string message;
};

// parse_condition - the tree, or the first syntax error.
std::unique_ptr<Ast> parse_condition(std::string_view text,
                                     std::optional<ParseError> &error);

} // namespace vigil::rules
