// loader.h - reads rule files: YAML items (rule, macro, list), checked
// key by key, merged in file order (a later item overrides or appends to
// an earlier one of the same name). The result is uncompiled text with
// its positions; compiler.h turns it into a RuleSet.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rules/diagnostic.h"

namespace vigil::rules {

// RuleFile - one file's path, as errors name it, and its text.
struct RuleFile {
  std::string path;
  std::string text;
};

// SourceText - a loaded file, to find lines and columns in.
struct SourceText {
  std::string path;
  std::string text;
  std::vector<std::size_t> line_starts;

  explicit SourceText(RuleFile f);
  std::size_t offset_of(int line0, int column0) const;
  SourcePos pos_of(std::size_t offset) const;
};

// TextSpan - a scalar's value and where it starts; at() finds the line
// and column of any offset in the value, through folded lines and block
// scalars.
struct TextSpan {
  std::shared_ptr<const SourceText> source;
  int line0 = 0, column0 = 0; // yaml-cpp's 0-based mark
  std::string value;

  SourcePos start() const;
  SourcePos at(std::size_t offset) const;
};

struct ExceptionDef {
  std::string name;
  SourcePos pos;
  std::vector<TextSpan> fields;
  std::vector<TextSpan> comps;               // empty: = (or in, see docs)
  std::vector<std::vector<TextSpan>> values; // one tuple per entry
  bool single_field = false;                 // fields: FIELD, values: [a, b]
};

struct RuleDef {
  std::string id;
  SourcePos pos;
  std::string name;
  std::string description;
  std::vector<TextSpan> condition; // the first, then appended parts
  TextSpan output;
  std::string severity;
  SourcePos severity_pos;
  std::vector<std::string> tags;
  bool enabled = true;
  std::vector<ExceptionDef> exceptions;
};

struct MacroDef {
  std::string name;
  SourcePos pos;
  std::vector<TextSpan> condition;
};

struct ListItem {
  std::string text;
  SourcePos pos;
};

struct ListDef {
  std::string name;
  SourcePos pos;
  std::vector<ListItem> items;
};

// RuleSources - every item after merging, rules in definition order.
struct RuleSources {
  std::vector<RuleDef> rules;
  std::map<std::string, MacroDef> macros;
  std::map<std::string, ListDef> lists;
};

// load_rule_files - parses and merges the files in order; problems go to
// diags (invalid YAML, unknown keys, wrong types, appends to nothing,
// redefinitions without override).
RuleSources load_rule_files(const std::vector<RuleFile> &files,
                            Diagnostics &diags);

// read_rule_paths - the files named, and the *.yaml and *.yml files of
// the directories named (sorted by name); unreadable paths are errors.
std::vector<RuleFile> read_rule_paths(const std::vector<std::string> &paths,
                                      Diagnostics &diags);

} // namespace vigil::rules
