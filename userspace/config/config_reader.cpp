#include "config/config_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

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
    check_duplicate_keys(doc, "", 0);
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

void ConfigReader::check_duplicate_keys(const YAML::Node &node,
                                        const std::string &path, int depth) {
  // Far deeper than any setting; an alias of a node inside itself would
  // otherwise be walked forever.
  constexpr int kMaxDepth = 32;
  if (depth > kMaxDepth)
    return;
  if (node.IsSequence()) {
    int index = 0;
    for (const YAML::Node &item : node) {
      check_duplicate_keys(item, path + "[" + std::to_string(++index) + "]",
                           depth + 1);
    }
    return;
  }
  if (!node.IsMap())
    return;
  std::map<std::string, YAML::Mark> first;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar())
      continue;
    std::string key = (path.empty() ? "" : path + ".") + it->first.Scalar();
    YAML::Mark mark = it->first.Mark();
    auto [seen, fresh] = first.emplace(it->first.Scalar(), mark);
    // A map reached again through an alias has the same marks: one
    // problem per place in the file.
    bool known = std::any_of(
        problems_.begin(), problems_.end(), [&](const ConfigProblem &p) {
          return p.line == mark.line + 1 && p.column == mark.column + 1;
        });
    if (!fresh && !known) {
      problem(mark, key,
              "duplicate key: first given at line " +
                  std::to_string(seen->second.line + 1) + ", column " +
                  std::to_string(seen->second.column + 1));
    }
    check_duplicate_keys(it->second, key, depth + 1);
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
