// config_reader.h - reads a YAML configuration file through field tables:
// every key must be a field, every value of the field's type and usable.
// Problems are collected, each with file, line, column and key, so that
// one check reports them all.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/field.h"

namespace vigil {

// ConfigProblem - "vigil.yaml:12:3: scope.pid: no process with pid 7".
struct ConfigProblem {
  std::string file;
  int line = 0; // 1-based; 0 when the problem has no place
  int column = 0;
  std::string key;
  std::string message;

  std::string describe() const;
};

// ConfigError - a file that cannot be used; what() lists every problem.
class ConfigError : public std::runtime_error {
public:
  explicit ConfigError(std::vector<ConfigProblem> problems);
  const std::vector<ConfigProblem> &problems() const { return problems_; }

private:
  std::vector<ConfigProblem> problems_;
};

class ConfigReader {
public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  // load - the parsed document, or a null node after a syntax problem.
  // A key given twice in one map is a problem too (yaml-cpp keeps both
  // and lookups see the first); the document is still returned, so that
  // its other problems are found in the same check.
  YAML::Node load();

  void problem(const YAML::Mark &mark, std::string key, std::string message);
  const std::vector<ConfigProblem> &problems() const { return problems_; }
  const std::string &file() const { return file_; }
  // set_key_prefix - put before the key of every later problem, e.g.
  // "outputs[2]." while one output's entry is read.
  void set_key_prefix(std::string prefix) { key_prefix_ = std::move(prefix); }

  // values - a scalar, or a sequence of scalars, as strings; a null node
  // is no values (an empty list, or "" for a string). Throws TypeError
  // for maps and nested sequences.
  static std::vector<std::string> values(const YAML::Node &node,
                                         ValueType type);

  // apply_map - every entry of map (at prefix, "" for the top) through
  // fields; nested maps reach fields with dotted keys.
  template <class Target>
  void apply_map(const YAML::Node &map, std::span<const Field<Target>> fields,
                 Target &target, const std::string &prefix = "");

private:
  void check_duplicate_keys(const YAML::Node &node, const std::string &path,
                            int depth);

  template <class Target>
  void apply_field(const Field<Target> &field, const YAML::Node &value,
                   Target &target, const std::string &key);

  std::string file_;
  std::string key_prefix_;
  std::vector<ConfigProblem> problems_;
};

template <class Target>
void ConfigReader::apply_map(const YAML::Node &map,
                             std::span<const Field<Target>> fields,
                             Target &target, const std::string &prefix) {
  if (!map.IsMap()) {
    problem(map.Mark(), prefix.empty() ? "(top)" : prefix,
            "expected a map of keys");
    return;
  }
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string key = prefix + it->first.Scalar();
    const Field<Target> *field = nullptr;
    bool is_section = false;
    for (const Field<Target> &f : fields) {
      if (f.key == key)
        field = &f;
      if (f.key.size() > key.size() && f.key.starts_with(key) &&
          f.key[key.size()] == '.')
        is_section = true;
    }
    if (field != nullptr) {
      apply_field(*field, it->second, target, key);
    } else if (is_section) {
      apply_map(it->second, fields, target, key + ".");
    } else {
      problem(it->first.Mark(), key, "unknown key");
    }
  }
}

template <class Target>
void ConfigReader::apply_field(const Field<Target> &field,
                               const YAML::Node &value, Target &target,
                               const std::string &key) {
  if (field.type == ValueType::kNode) {
    field.apply_node(target, value, *this);
    return;
  }
  try {
    std::vector<std::string> v = values(value, field.type);
    check_type(field.type, v);
    field.apply(target, v);
  } catch (const TypeError &e) {
    problem(value.Mark(), key, std::string("wrong type: ") + e.what());
  } catch (const ValueError &e) {
    problem(value.Mark(), key, e.what());
  }
}

} // namespace vigil
