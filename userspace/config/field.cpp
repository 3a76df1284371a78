#include "config/field.h"

#include <cctype>

namespace vigil {

namespace {

bool is_integer(const std::string &text) {
  std::size_t start = !text.empty() && (text[0] == '-' || text[0] == '+');
  if (start == text.size())
    return false;
  for (std::size_t i = start; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      return false;
  }
  return true;
}

} // namespace

void check_type(ValueType type, const std::vector<std::string> &values) {
  switch (type) {
  case ValueType::kInt:
    if (values.size() != 1 || !is_integer(values[0]))
      throw TypeError("expected a whole number");
    return;
  case ValueType::kBool:
    if (values.size() != 1 || (values[0] != "true" && values[0] != "false"))
      throw TypeError("expected true or false");
    return;
  case ValueType::kString:
    if (values.size() != 1)
      throw TypeError("expected one value, not a list");
    return;
  case ValueType::kList:
  case ValueType::kNode:
    return;
  }
}

std::vector<std::string> split_list(const std::string &text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  if (items.size() < 2)
    return items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty()) {
      throw ValueError("'" + text + "' has an empty item (item " +
                       std::to_string(i + 1) + " of " +
                       std::to_string(items.size()) +
                       "): separate values with single commas");
    }
  }
  return items;
}

long long parse_int(const std::string &text, long long low, long long high) {
  long long value = 0;
  try {
    std::size_t used = 0;
    value = std::stoll(text, &used, 10);
    if (used != text.size())
      throw std::invalid_argument("trailing");
  } catch (const std::exception &) {
    throw ValueError("'" + text + "' is not a whole number");
  }
  if (value < low || value > high) {
    throw ValueError(std::to_string(value) + " is out of range: use " +
                     std::to_string(low) + " to " + std::to_string(high));
  }
  return value;
}

unsigned long long parse_size(const std::string &text, unsigned long long max) {
  unsigned long long value = 0;
  std::size_t used = 0;
  try {
    if (text.empty() || text[0] == '-')
      throw std::invalid_argument("sign");
    value = std::stoull(text, &used, 10);
  } catch (const std::exception &) {
    throw ValueError("'" + text + "' is not a size such as 4096, 64K or 16M");
  }
  std::string unit = text.substr(used);
  int shift = unit.empty()                 ? 0
              : unit == "K" || unit == "k" ? 10
              : unit == "M" || unit == "m" ? 20
              : unit == "G" || unit == "g" ? 30
                                           : -1;
  if (shift < 0)
    throw ValueError("'" + text + "' is not a size such as 4096, 64K or 16M");
  if (value > (max >> shift))
    throw ValueError("'" + text + "' is too large");
  return value << shift;
}

unsigned long long parse_duration_ms(const std::string &text) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    if (text.empty() || text[0] == '-')
      throw std::invalid_argument("sign");
    value = std::stoull(text, &used, 10);
  } catch (const std::exception &) {
    throw ValueError("'" + text + "' is not a duration such as 500ms or 5s");
  }
  std::string unit = text.substr(used);
  unsigned long long scale = unit.empty() || unit == "ms" ? 1
                             : unit == "s"                ? 1000
                             : unit == "m"                ? 60000
                                                          : 0;
  if (scale == 0 || value > (1ull << 40))
    throw ValueError("'" + text + "' is not a duration such as 500ms or 5s");
  return value * scale;
}

const std::string &one_of(const std::string &text,
                          std::initializer_list<std::string_view> choices) {
  std::string names;
  for (std::string_view c : choices) {
    if (c == text)
      return text;
    names += names.empty() ? "" : ", ";
    names += c;
  }
  throw ValueError("'" + text + "' is not one of " + names);
}

} // namespace vigil
