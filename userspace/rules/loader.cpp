#include "rules/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace vigil::rules {

SourceText::SourceText(RuleFile f)
    : path(std::move(f.path)), text(std::move(f.text)) {
  line_starts.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n')
      line_starts.push_back(i + 1);
  }
}

std::size_t SourceText::offset_of(int line0, int column0) const {
  if (line0 < 0 || static_cast<std::size_t>(line0) >= line_starts.size())
    return text.size();
  return std::min(text.size(), line_starts[line0] + std::max(0, column0));
}

SourcePos SourceText::pos_of(std::size_t offset) const {
  auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - line_starts.begin());
  return {path, static_cast<int>(line),
          static_cast<int>(offset - line_starts[line - 1] + 1)};
}

SourcePos TextSpan::start() const {
  if (!source)
    return {};
  return {source->path, line0 + 1, column0 + 1};
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

// at - walks the value and the file side by side from the scalar's
// start: a run of whitespace in the value matches any run in the file
// (folded lines, indentation), everything else must be equal. Where they
// differ (an escape in a quoted scalar) the scalar's start is the answer.
SourcePos TextSpan::at(std::size_t offset) const {
  if (!source)
    return {};
  const std::string &src = source->text;
  std::size_t p = source->offset_of(line0, column0);
  if (p < src.size() && (src[p] == '|' || src[p] == '>')) {
    while (p < src.size() && src[p] != '\n')
      ++p;
  } else if (p < src.size() && (src[p] == '"' || src[p] == '\'')) {
    ++p;
  }
  offset = std::min(offset, value.size());
  std::size_t v = 0;
  while (v < offset && p < src.size()) {
    if (is_space(value[v])) {
      while (v < offset && is_space(value[v]))
        ++v;
      while (p < src.size() && is_space(src[p]))
        ++p;
      continue;
    }
    if (src[p] == value[v]) {
      ++v;
      ++p;
      continue;
    }
    if (is_space(src[p])) {
      ++p;
      continue;
    }
    return start();
  }
  if (v < value.size() && !is_space(value[v])) {
    while (p < src.size() && is_space(src[p]))
      ++p;
  }
  return source->pos_of(p);
}

namespace {

using Source = std::shared_ptr<const SourceText>;

SourcePos pos_of(const Source &src, const YAML::Mark &m) {
  return {src->path, m.line + 1, m.column + 1};
}

TextSpan span_of(const Source &src, const YAML::Node &n) {
  return {src, n.Mark().line, n.Mark().column, n.Scalar()};
}

// ItemReader - one YAML item: its keys checked against what its kind
// takes, with typed getters that report a wrong type where it is.
class ItemReader {
public:
  ItemReader(const Source &src, const YAML::Node &node, std::string_view kind,
             std::initializer_list<std::string_view> keys, Diagnostics &diags)
      : src_(src), node_(node), diags_(diags) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string known;
        for (std::string_view k : keys)
          known += (known.empty() ? "" : ", ") + std::string(k);
        diags_.error(pos_of(src_, it->first.Mark()),
                     "unknown key '" + key + "' in a " + std::string(kind) +
                         " (it takes " + known + ")");
        ok_ = false;
      }
    }
  }

  bool ok() const { return ok_; }
  bool has(const char *key) const { return bool(node_[key]); }
  SourcePos pos() const { return pos_of(src_, node_.Mark()); }

  std::optional<TextSpan> scalar(const char *key) {
    YAML::Node n = node_[key];
    if (!n)
      return std::nullopt;
    if (!n.IsScalar()) {
      diags_.error(pos_of(src_, n.Mark()),
                   "'" + std::string(key) + "' must be a single value");
      ok_ = false;
      return std::nullopt;
    }
    return span_of(src_, n);
  }

  std::string text(const char *key) {
    std::optional<TextSpan> s = scalar(key);
    return s ? s->value : std::string();
  }

  std::optional<bool> boolean(const char *key) {
    YAML::Node n = node_[key];
    if (!n)
      return std::nullopt;
    bool value = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, value)) {
      diags_.error(pos_of(src_, n.Mark()),
                   "'" + std::string(key) + "' must be true or false");
      ok_ = false;
      return std::nullopt;
    }
    return value;
  }

  // scalars - a sequence of single values.
  std::optional<std::vector<TextSpan>> scalars(const char *key) {
    YAML::Node n = node_[key];
    if (!n)
      return std::nullopt;
    return scalars_of(n, key);
  }

  std::optional<std::vector<TextSpan>> scalars_of(const YAML::Node &n,
                                                  const std::string &what) {
    if (!n.IsSequence()) {
      diags_.error(pos_of(src_, n.Mark()),
                   "'" + what + "' must be a list, e.g. [a, b]");
      ok_ = false;
      return std::nullopt;
    }
    std::vector<TextSpan> out;
    for (const YAML::Node &e : n) {
      if (!e.IsScalar()) {
        diags_.error(pos_of(src_, e.Mark()),
                     "the entries of '" + what + "' must be single values");
        ok_ = false;
        continue;
      }
      out.push_back(span_of(src_, e));
    }
    return out;
  }

  YAML::Node node(const char *key) const { return node_[key]; }
  const Source &source() const { return src_; }
  Diagnostics &diags() { return diags_; }
  void fail() { ok_ = false; }

private:
  const Source &src_;
  const YAML::Node &node_;
  Diagnostics &diags_;
  bool ok_ = true;
};

std::string where(const SourcePos &p) {
  return p.file + ":" + std::to_string(p.line);
}

// Merger - applies items in order: definitions, overrides and appends.
class Merger {
public:
  Merger(RuleSources &out, Diagnostics &diags) : out_(out), diags_(diags) {}

  void item(const Source &src, const YAML::Node &node) {
    if (!node.IsMap()) {
      diags_.error(pos_of(src, node.Mark()),
                   "an item must be a map with a rule, macro or list key");
      return;
    }
    int kinds = bool(node["rule"]) + bool(node["macro"]) + bool(node["list"]);
    if (kinds != 1) {
      diags_.error(pos_of(src, node.Mark()),
                   kinds == 0 ? "an item needs one of the keys rule, macro "
                                "or list"
                              : "an item has exactly one of the keys rule, "
                                "macro and list");
      return;
    }
    if (node["rule"])
      rule(src, node);
    else if (node["macro"])
      macro(src, node);
    else
      list(src, node);
  }

private:
  void rule(const Source &src, const YAML::Node &node) {
    ItemReader r(src, node, "rule",
                 {"rule", "name", "description", "condition", "output",
                  "severity", "tags", "enabled", "exceptions", "append",
                  "override"},
                 diags_);
    RuleDef def;
    def.id = r.text("rule");
    def.pos = r.pos();
    bool append = r.boolean("append").value_or(false);
    bool override_ = r.boolean("override").value_or(false);
    if (def.id.empty()) {
      diags_.error(def.pos, "a rule needs an id: rule: NAME");
      return;
    }
    auto found = std::find_if(out_.rules.begin(), out_.rules.end(),
                              [&](const RuleDef &d) { return d.id == def.id; });
    if (append) {
      append_rule(r, found, def);
      return;
    }
    std::optional<bool> enabled = r.boolean("enabled");
    bool toggle_only =
        found != out_.rules.end() && enabled && !r.has("condition") &&
        !r.has("output") && !r.has("severity") && !r.has("exceptions") &&
        !r.has("tags") && !r.has("name") && !r.has("description");
    if (toggle_only) {
      found->enabled = *enabled;
      return;
    }

    def.name = r.text("name");
    if (def.name.empty())
      def.name = def.id;
    def.description = r.text("description");
    if (auto c = r.scalar("condition"))
      def.condition.push_back(*c);
    if (auto o = r.scalar("output"))
      def.output = *o;
    if (auto s = r.scalar("severity")) {
      def.severity = s->value;
      def.severity_pos = s->start();
    }
    if (auto tags = r.scalars("tags")) {
      for (const TextSpan &t : *tags)
        def.tags.push_back(t.value);
    }
    def.enabled = enabled.value_or(true);
    if (r.has("exceptions"))
      exceptions(r, def.exceptions);

    for (const char *key : {"condition", "output", "severity"}) {
      if (!r.has(key)) {
        diags_.error(def.pos, "rule '" + def.id + "' has no " + key);
        r.fail();
      }
    }
    if (!r.ok())
      return;
    if (found != out_.rules.end()) {
      if (!override_) {
        diags_.warn(def.pos, "rule '" + def.id +
                                 "' is defined again (first "
                                 "at " +
                                 where(found->pos) +
                                 "); this one replaces it: add override: "
                                 "true to say so");
      }
      *found = std::move(def);
      return;
    }
    if (override_) {
      diags_.warn(def.pos,
                  "override: true, but no rule '" + def.id + "' came before");
    }
    out_.rules.push_back(std::move(def));
  }

  void append_rule(ItemReader &r, std::vector<RuleDef>::iterator found,
                   const RuleDef &def) {
    for (const char *key : {"name", "description", "output", "severity", "tags",
                            "enabled", "override"}) {
      if (r.has(key)) {
        diags_.error(pos_of(r.source(), r.node(key).Mark()),
                     std::string("with append: true a rule takes only "
                                 "condition and exceptions, not ") +
                         key);
        r.fail();
      }
    }
    if (found == out_.rules.end()) {
      diags_.error(def.pos,
                   "append: true, but no rule '" + def.id + "' came before");
      return;
    }
    std::optional<TextSpan> cond = r.scalar("condition");
    std::vector<ExceptionDef> more;
    if (r.has("exceptions"))
      exceptions(r, more);
    if (!r.ok())
      return;
    if (cond)
      found->condition.push_back(*cond);
    for (ExceptionDef &e : more) {
      auto same = std::find_if(
          found->exceptions.begin(), found->exceptions.end(),
          [&](const ExceptionDef &old) { return old.name == e.name; });
      if (same == found->exceptions.end()) {
        found->exceptions.push_back(std::move(e));
      } else if (e.fields.empty()) {
        // Only values: more entries for the same fields.
        for (auto &v : e.values)
          same->values.push_back(std::move(v));
      } else {
        *same = std::move(e);
      }
    }
  }

  void exceptions(ItemReader &r, std::vector<ExceptionDef> &out) {
    YAML::Node list = r.node("exceptions");
    const Source &src = r.source();
    if (!list.IsSequence()) {
      diags_.error(pos_of(src, list.Mark()),
                   "'exceptions' must be a list of {name, fields, values}");
      r.fail();
      return;
    }
    for (const YAML::Node &n : list) {
      if (!n.IsMap()) {
        diags_.error(pos_of(src, n.Mark()),
                     "an exception is a map: {name, fields, comps, values}");
        r.fail();
        continue;
      }
      ItemReader e(src, n, "exception", {"name", "fields", "comps", "values"},
                   diags_);
      ExceptionDef def;
      def.name = e.text("name");
      def.pos = e.pos();
      if (def.name.empty()) {
        diags_.error(def.pos, "an exception needs a name");
        e.fail();
      }
      if (YAML::Node f = e.node("fields"); f && f.IsScalar()) {
        def.single_field = true;
        def.fields.push_back(span_of(src, f));
        if (auto c = e.scalar("comps"))
          def.comps.push_back(*c);
      } else if (f) {
        if (auto fields = e.scalars("fields"))
          def.fields = *fields;
        if (auto comps = e.scalars("comps"))
          def.comps = *comps;
      }
      exception_values(e, def);
      if (!e.ok()) {
        r.fail();
        continue;
      }
      out.push_back(std::move(def));
    }
  }

  void exception_values(ItemReader &e, ExceptionDef &def) {
    YAML::Node values = e.node("values");
    const Source &src = e.source();
    if (!values)
      return;
    if (!values.IsSequence()) {
      diags_.error(pos_of(src, values.Mark()), "'values' must be a list");
      e.fail();
      return;
    }
    for (const YAML::Node &v : values) {
      if (def.single_field) {
        if (!v.IsScalar()) {
          diags_.error(pos_of(src, v.Mark()),
                       "with one field, each of 'values' is a single value");
          e.fail();
          continue;
        }
        def.values.push_back({span_of(src, v)});
        continue;
      }
      auto tuple = e.scalars_of(v, "values");
      if (!tuple)
        continue;
      if (!def.fields.empty() && tuple->size() != def.fields.size()) {
        diags_.error(pos_of(src, v.Mark()),
                     "this entry has " + std::to_string(tuple->size()) +
                         " values for " + std::to_string(def.fields.size()) +
                         " fields");
        e.fail();
        continue;
      }
      def.values.push_back(std::move(*tuple));
    }
  }

  void macro(const Source &src, const YAML::Node &node) {
    ItemReader r(src, node, "macro",
                 {"macro", "condition", "append", "override"}, diags_);
    MacroDef def;
    def.name = r.text("macro");
    def.pos = r.pos();
    bool append = r.boolean("append").value_or(false);
    bool override_ = r.boolean("override").value_or(false);
    std::optional<TextSpan> cond = r.scalar("condition");
    if (def.name.empty()) {
      diags_.error(def.pos, "a macro needs a name: macro: NAME");
      return;
    }
    if (!cond) {
      diags_.error(def.pos, "macro '" + def.name + "' has no condition");
      return;
    }
    if (!r.ok())
      return;
    auto found = out_.macros.find(def.name);
    if (append) {
      if (found == out_.macros.end()) {
        diags_.error(def.pos, "append: true, but no macro '" + def.name +
                                  "' came before");
        return;
      }
      found->second.condition.push_back(*cond);
      return;
    }
    def.condition.push_back(*cond);
    redefine(out_.macros, std::move(def), "macro", override_);
  }

  void list(const Source &src, const YAML::Node &node) {
    ItemReader r(src, node, "list", {"list", "items", "append", "override"},
                 diags_);
    ListDef def;
    def.name = r.text("list");
    def.pos = r.pos();
    bool append = r.boolean("append").value_or(false);
    bool override_ = r.boolean("override").value_or(false);
    if (def.name.empty()) {
      diags_.error(def.pos, "a list needs a name: list: NAME");
      return;
    }
    std::optional<std::vector<TextSpan>> items = r.scalars("items");
    if (!items && !r.has("items")) {
      diags_.error(def.pos, "list '" + def.name + "' has no items");
      return;
    }
    if (!r.ok() || !items)
      return;
    for (const TextSpan &t : *items)
      def.items.push_back({t.value, t.start()});
    auto found = out_.lists.find(def.name);
    if (append) {
      if (found == out_.lists.end()) {
        diags_.error(def.pos, "append: true, but no list '" + def.name +
                                  "' came before");
        return;
      }
      for (ListItem &i : def.items)
        found->second.items.push_back(std::move(i));
      return;
    }
    redefine(out_.lists, std::move(def), "list", override_);
  }

  template <typename Def>
  void redefine(std::map<std::string, Def> &items, Def def, const char *kind,
                bool override_) {
    auto found = items.find(def.name);
    if (found != items.end() && !override_) {
      diags_.warn(def.pos, std::string(kind) + " '" + def.name +
                               "' is defined again (first at " +
                               where(found->second.pos) +
                               "); this one replaces it: add override: true "
                               "to say so");
    }
    if (found == items.end() && override_) {
      diags_.warn(def.pos, "override: true, but no " + std::string(kind) +
                               " '" + def.name + "' came before");
    }
    std::string name = def.name;
    items.insert_or_assign(name, std::move(def));
  }

  RuleSources &out_;
  Diagnostics &diags_;
};

} // namespace

RuleSources load_rule_files(const std::vector<RuleFile> &files,
                            Diagnostics &diags) {
  RuleSources out;
  Merger merger(out, diags);
  for (const RuleFile &f : files) {
    auto src = std::make_shared<const SourceText>(f);
    YAML::Node root;
    try {
      root = YAML::Load(src->text);
    } catch (const YAML::Exception &e) {
      diags.error(pos_of(src, e.mark), "invalid YAML: " + e.msg);
      continue;
    }
    if (root.IsNull())
      continue;
    if (!root.IsSequence()) {
      diags.error(pos_of(src, root.Mark()),
                  "a rule file is a list of items: - rule: ..., - macro: "
                  "..., - list: ...");
      continue;
    }
    try {
      for (const YAML::Node &item : root)
        merger.item(src, item);
    } catch (const YAML::Exception &e) {
      diags.error(pos_of(src, e.mark), "unreadable YAML: " + e.msg);
    }
  }
  return out;
}

namespace {

bool read_file(const std::string &path, std::string &text, std::string &err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

} // namespace

std::vector<RuleFile> read_rule_paths(const std::vector<std::string> &paths,
                                      Diagnostics &diags) {
  namespace fs = std::filesystem;
  std::vector<RuleFile> files;
  for (const std::string &path : paths) {
    std::error_code ec;
    std::vector<std::string> names;
    if (fs::is_directory(path, ec)) {
      for (const auto &entry : fs::directory_iterator(path, ec)) {
        std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
          names.push_back(entry.path().string());
      }
      if (ec) {
        diags.error({path, 0, 0}, "cannot read the directory: " + ec.message());
        continue;
      }
      std::sort(names.begin(), names.end());
      if (names.empty())
        diags.warn({path, 0, 0}, "no *.yaml files in this directory");
    } else {
      names.push_back(path);
    }
    for (const std::string &name : names) {
      RuleFile f{name, {}};
      std::string err;
      if (!read_file(name, f.text, err)) {
        diags.error({name, 0, 0}, "cannot read the file: " + err);
        continue;
      }
      files.push_back(std::move(f));
    }
  }
  return files;
}

} // namespace vigil::rules
