// field.h - one description of a setting, shared by its command-line
// flag and its key in the configuration file: the name of each, the help
// text, the type of value, and the function that stores a value.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace vigil {

class ConfigReader;

// ValueType - what a setting takes. kInt values are checked to be whole
// numbers before apply sees them, so apply only checks their range.
enum class ValueType {
  kString, // one scalar
  kInt,    // one whole number
  kBool,   // true or false; a flag without a value on the command line
  kList,   // a sequence (or one scalar, or comma-separated on the flag)
  kNode,   // a structure the field parses itself (file only)
};

// ValueError - a value of the right type that cannot be used: a size that
// is not a power of two, a user that does not exist. The message names
// the problem, not the setting: the caller adds flag or file position.
class ValueError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// TypeError - a value of the wrong kind: a word where a number belongs,
// a list where one value belongs.
class TypeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

template <class Target> struct Field {
  std::string_view key;  // dotted path in the file ("scope.comm"); "" none
  std::string_view flag; // CLI11 names ("-o,--output"); "" for file only
  std::string_view type_name;
  std::string_view help;
  ValueType type = ValueType::kString;
  // apply - stores values (one for scalars, "true"/"false" for kBool);
  // throws ValueError. Unused for kNode.
  std::function<void(Target &, const std::vector<std::string> &)> apply =
      nullptr;
  // apply_node - kNode only: parses the node, reporting to the reader.
  std::function<void(Target &, const YAML::Node &, ConfigReader &)> apply_node =
      nullptr;
  // implicit - for a flag that may be given without a value ("--container"
  // alone): the value it then has; empty when a value is required.
  std::string_view implicit{};
};

// check_type - throws TypeError unless values suit type.
void check_type(ValueType type, const std::vector<std::string> &values);

// split_list - the comma-separated items of a flag's value: "1,2" is
// {"1", "2"}. An empty item ("1,,3", "1,") is a ValueError naming it,
// as the file refuses one; a value without a comma is one item, even
// when empty, for the setting itself to judge.
std::vector<std::string> split_list(const std::string &text);

// parse_int - a whole number within [low, high]; ValueError otherwise.
long long parse_int(const std::string &text, long long low, long long high);

// parse_size - "4096", "64K", "16M", "1G" in bytes, at most max.
unsigned long long parse_size(const std::string &text,
                              unsigned long long max = 1ull << 40);

// parse_duration_ms - "250ms", "5s", "2m", or plain milliseconds.
unsigned long long parse_duration_ms(const std::string &text);

// one_of - text when it is one of choices; ValueError naming them.
const std::string &one_of(const std::string &text,
                          std::initializer_list<std::string_view> choices);

} // namespace vigil
