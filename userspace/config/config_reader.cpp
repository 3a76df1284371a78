#include "config/config_reader.h"

#include <filesystem>
#include <fstream>

namespace vigil {

std::string ConfigProblem::describe() const {
  std::string text = file;
  if (line > 0)
    text += ":" + std::to_string(line) + ":" + std::to_string(column);
  text += ": ";
  if (!key.empty())
    text += key + ": ";
  return text + message;
}

namespace {

std::string describe_all(const std::vector<ConfigProblem> &problems) {
  std::string text;
  for (const ConfigProblem &p : problems) {
    text += text.empty() ? "" : "\n";
    text += p.describe();
  }
  return text;
}

} // namespace

ConfigError::ConfigError(std::vector<ConfigProblem> problems)
    : std::runtime_error(describe_all(problems)),
      problems_(std::move(problems)) {}

YAML::Node ConfigReader::load() {
  std::error_code ec;
  if (std::filesystem::is_directory(file_, ec)) {
    problems_.push_back({file_, 0, 0, "", "is a directory, not a file"});
    return YAML::Node();
  }
  std::ifstream in(file_);
  if (!in) {
    problems_.push_back({file_, 0, 0, "", "cannot be read"});
    return YAML::Node();
  }
  try {
    YAML::Node doc = YAML::Load(in);
    // An empty file is a valid configuration that changes nothing.
    if (doc.IsNull())
      return YAML::Node(YAML::NodeType::Map);
    return doc;
  } catch (const YAML::Exception &e) {
    problems_.push_back({file_, e.mark.line + 1, e.mark.column + 1, "",
                         "invalid YAML: " + e.msg});
    return YAML::Node();
  } catch (const std::exception &e) {
    problems_.push_back(
        {file_, 0, 0, "", std::string("cannot be read: ") + e.what()});
    return YAML::Node();
  }
}

void ConfigReader::problem(const YAML::Mark &mark, std::string key,
                           std::string message) {
  problems_.push_back({file_, mark.line + 1, mark.column + 1, key_prefix_ + key,
                       std::move(message)});
}

std::vector<std::string> ConfigReader::values(const YAML::Node &node,
                                              ValueType type) {
  if (node.IsNull())
    return type == ValueType::kString ? std::vector<std::string>{""}
                                      : std::vector<std::string>{};
  if (node.IsMap())
    throw TypeError("expected a value, not a map");
  if (node.IsScalar()) {
    if (type == ValueType::kBool) {
      bool b = false;
      if (!YAML::convert<bool>::decode(node, b))
        throw TypeError("expected true or false");
      return {b ? "true" : "false"};
    }
    return {node.Scalar()};
  }
  if (type != ValueType::kList)
    throw TypeError("expected one value, not a list");
  std::vector<std::string> out;
  for (const YAML::Node &item : node) {
    if (!item.IsScalar())
      throw TypeError("expected a list of values");
    out.push_back(item.Scalar());
  }
  return out;
}

} // namespace vigil
