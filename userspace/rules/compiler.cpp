// compiler.cpp - from merged rule text to a RuleSet: conditions parsed,
// macros and lists expanded, every field resolved against the events
// the rule can see at that point, every operator checked against the
// field's type, regular expressions compiled once (RE2).
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_set>

#include "rules/condition.h"
#include "rules/rule_set.h"

namespace vigil::rules {

namespace {

struct SeverityName {
  std::string_view name;
  Severity severity;
  std::string_view falco;
};
constexpr SeverityName kSeverities[] = {
    {"info", Severity::kInfo, "Informational"},
    {"low", Severity::kLow, "Notice"},
    {"medium", Severity::kMedium, "Warning"},
    {"high", Severity::kHigh, "Error"},
    {"critical", Severity::kCritical, "Critical"},
};

} // namespace

std::optional<Severity> parse_severity(std::string_view name) {
  for (const SeverityName &s : kSeverities) {
    if (s.name == name)
      return s.severity;
  }
  return std::nullopt;
}

std::string_view severity_name(Severity s) {
  return kSeverities[static_cast<int>(s)].name;
}

std::string_view falco_priority(Severity s) {
  return kSeverities[static_cast<int>(s)].falco;
}

void OutputTemplate::render(EvalContext &c, std::string &out) const {
  for (const Part &p : parts_) {
    out.append(p.literal);
    if (p.field)
      append_value(out, p.field->get(c));
  }
}

void RuleSet::add(std::unique_ptr<CompiledRule> rule) {
  if (rule->enabled) {
    for (EventId id = 0; id < kEventIds; ++id) {
      if (rule->events[id])
        by_event_[id].push_back(rule.get());
    }
    events_ |= rule->events;
  }
  rules_.push_back(std::move(rule));
}

std::size_t RuleSet::enabled_count() const {
  return std::count_if(rules_.begin(), rules_.end(),
                       [](const auto &r) { return r->enabled; });
}

std::vector<std::string> RuleSet::event_names(const EventSchema &schema) const {
  EventNames names(schema);
  std::set<std::string> out;
  for (EventId id = 0; id < kEventIds; ++id) {
    if (events_[id])
      out.insert(std::string(names.name(id)));
  }
  return {out.begin(), out.end()};
}

namespace {

// Nodes ------------------------------------------------------------------

class AndNode final : public Node {
public:
  std::vector<std::unique_ptr<Node>> kids;
  bool eval(EvalContext &c) const override {
    for (const auto &k : kids) {
      if (!k->eval(c))
        return false;
    }
    return true;
  }
};

class OrNode final : public Node {
public:
  std::vector<std::unique_ptr<Node>> kids;
  bool eval(EvalContext &c) const override {
    for (const auto &k : kids) {
      if (k->eval(c))
        return true;
    }
    return false;
  }
};

class NotNode final : public Node {
public:
  std::unique_ptr<Node> kid;
  bool eval(EvalContext &c) const override { return !kid->eval(c); }
};

class ConstNode final : public Node {
public:
  explicit ConstNode(bool v) : value(v) {}
  bool value;
  bool eval(EvalContext &) const override { return value; }
};

// EventNode - event = X, event != X, event in (...): one bit test.
class EventNode final : public Node {
public:
  EventSet set;
  bool eval(EvalContext &c) const override { return set[c.id()]; }
};

struct Literal {
  std::string text;
  std::optional<std::int64_t> number;
  std::string lower; // icontains
  std::shared_ptr<const re2::RE2> re;
};

bool iequal(char a, char b) {
  auto lower = [](char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
  };
  return lower(a) == lower(b);
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.empty())
    return true;
  auto it =
      std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), iequal);
  return it != hay.end();
}

// glob - shell wildcards over the whole string: * (any run, / included),
// ? (one byte), [abc], [a-z], [!abc].
bool glob(std::string_view p, std::string_view s) {
  std::size_t pi = 0, si = 0, star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_s = si;
      continue;
    }
    if (pi < p.size() && p[pi] == '[') {
      std::size_t q = pi + 1;
      bool negate = q < p.size() && (p[q] == '!' || p[q] == '^');
      if (negate)
        ++q;
      bool matched = false;
      std::size_t start = q;
      while (q < p.size() && (p[q] != ']' || q == start)) {
        if (q + 2 < p.size() && p[q + 1] == '-' && p[q + 2] != ']') {
          matched = matched || (s[si] >= p[q] && s[si] <= p[q + 2]);
          q += 3;
        } else {
          matched = matched || s[si] == p[q];
          ++q;
        }
      }
      if (q < p.size() && matched != negate) {
        pi = q + 1;
        ++si;
        continue;
      }
    } else if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
      continue;
    }
    if (star_p == std::string_view::npos)
      return false;
    pi = star_p + 1;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

// CompareNode - field OP value(s). A field absent from the event makes
// every comparison false (exists aside). A list field matches when any
// element does; != is true when no element equals.
class CompareNode final : public Node {
public:
  FieldRef field;
  Op op = Op::kEq;
  std::vector<Literal> literals;
  std::unordered_set<std::string_view> string_set; // a long in (...)

  bool eval(EvalContext &c) const override {
    Value v = field.get(c);
    if (op == Op::kExists)
      return v.kind != ValueKind::kNone;
    if (v.kind == ValueKind::kNone)
      return false;
    Op eff = op == Op::kNe ? Op::kEq : op;
    bool hit;
    if (v.kind == ValueKind::kList) {
      hit = std::any_of(v.list.begin(), v.list.end(),
                        [&](const Value &e) { return match(e, eff); });
    } else {
      hit = match(v, eff);
    }
    return op == Op::kNe ? !hit : hit;
  }

private:
  bool match(const Value &v, Op eff) const {
    switch (v.kind) {
    case ValueKind::kInt:
    case ValueKind::kBool:
      return match_number(v.i, eff);
    case ValueKind::kString:
      return match_string(v.s, eff);
    default:
      return false;
    }
  }

  bool match_number(std::int64_t n, Op eff) const {
    for (const Literal &l : literals) {
      if (!l.number)
        continue;
      std::int64_t x = *l.number;
      bool r = false;
      switch (eff) {
      case Op::kEq:
      case Op::kIn:
        r = n == x;
        break;
      case Op::kLt:
        r = n < x;
        break;
      case Op::kLe:
        r = n <= x;
        break;
      case Op::kGt:
        r = n > x;
        break;
      case Op::kGe:
        r = n >= x;
        break;
      default:
        break;
      }
      if (r)
        return true;
    }
    return false;
  }

  bool match_string(std::string_view s, Op eff) const {
    if ((eff == Op::kEq || eff == Op::kIn) && !string_set.empty())
      return string_set.count(s) != 0;
    for (const Literal &l : literals) {
      bool r = false;
      switch (eff) {
      case Op::kEq:
      case Op::kIn:
        r = s == l.text;
        break;
      case Op::kContains:
        r = s.find(l.text) != std::string_view::npos;
        break;
      case Op::kIContains:
        r = icontains(s, l.lower);
        break;
      case Op::kStartsWith:
        r = s.starts_with(l.text);
        break;
      case Op::kEndsWith:
        r = s.ends_with(l.text);
        break;
      case Op::kGlob:
        r = glob(l.text, s);
        break;
      case Op::kRegex:
        r = re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *l.re);
        break;
      default:
        break;
      }
      if (r)
        return true;
    }
    return false;
  }
};

std::optional<std::int64_t> parse_number(std::string_view t) {
  std::int64_t v = 0;
  bool neg = t.starts_with('-');
  std::string_view digits = neg ? t.substr(1) : t;
  int base = 10;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  if (digits.empty())
    return std::nullopt;
  std::uint64_t u = 0;
  auto [p, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (ec != std::errc() || p != digits.data() + digits.size())
    return std::nullopt;
  v = static_cast<std::int64_t>(u);
  return neg ? -v : v;
}

bool is_string_op(Op op) {
  return op == Op::kContains || op == Op::kIContains || op == Op::kStartsWith ||
         op == Op::kEndsWith || op == Op::kGlob || op == Op::kRegex;
}

bool is_order_op(Op op) {
  return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe;
}

// type_problem - why op cannot apply to a field of type t; empty if it
// can.
std::string type_problem(Op op, FieldType t, const std::string &field) {
  if (op == Op::kExists || t == FieldType::kAny)
    return {};
  std::string is = field + " is a " + std::string(type_name(t));
  if (t == FieldType::kStruct) {
    return "operator " + std::string(op_name(op)) + " cannot compare a " +
           "struct; " + field + " has fields: compare one as " + field +
           ".FIELD";
  }
  bool numeric = t == FieldType::kInt || t == FieldType::kIntList ||
                 t == FieldType::kIntOrString;
  bool text = t == FieldType::kString || t == FieldType::kStringList ||
              t == FieldType::kIntOrString;
  if (is_order_op(op) && !numeric) {
    return "operator " + std::string(op_name(op)) + " needs a number; " + is;
  }
  if (is_string_op(op) && !text) {
    return "operator " + std::string(op_name(op)) + " needs a string; " + is;
  }
  return {};
}

// Shape - the events a condition can be true for, over-approximated;
// exact when the condition depends on the event type alone.
struct Shape {
  EventSet set;
  bool exact = false;
};

EventSet all_events() {
  EventSet s;
  s.set();
  return s;
}

class Compiler {
public:
  Compiler(const EventSchema &schema, const RuleSources &src,
           Diagnostics &diags)
      : schema_(schema), names_(schema), src_(src), diags_(diags) {}

  void check_macros() {
    for (const auto &[name, def] : src_.macros) {
      const Ast *tree = macro_tree(name);
      if (tree != nullptr)
        check_refs(*tree);
    }
  }

  std::unique_ptr<CompiledRule> rule(const RuleDef &def) {
    auto out = std::make_unique<CompiledRule>();
    out->id = def.id;
    out->name = def.name;
    out->description = def.description;
    out->tags = def.tags;
    out->enabled = def.enabled;
    out->pos = def.pos;
    std::size_t errors = diags_.error_count();

    if (auto s = parse_severity(def.severity)) {
      out->severity = *s;
    } else {
      diags_.error(def.severity_pos,
                   "unknown severity '" + def.severity +
                       "': use info, low, medium, high or critical");
    }

    std::unique_ptr<Ast> tree = parse_parts(def.condition);
    if (!tree)
      return nullptr;
    check_refs(*tree);
    if (diags_.error_count() > errors)
      return nullptr;

    broken_macro_ = false;
    Shape shape = shape_of(*tree);
    if (broken_macro_)
      return nullptr; // the macro's own error is reported
    SourcePos cond_pos = def.condition.front().start();
    if (shape.set.all()) {
      diags_.error(cond_pos, "rule '" + def.id +
                                 "' does not say which events it applies "
                                 "to: add event = NAME or event in (A, B)");
      return nullptr;
    }
    if (shape.set.none()) {
      diags_.error(cond_pos, "rule '" + def.id +
                                 "' can never match: its event constraints "
                                 "exclude every event");
      return nullptr;
    }
    if (shape.set.count() > kEventIds / 2) {
      diags_.warn(cond_pos, "rule '" + def.id + "' applies to " +
                                std::to_string(shape.set.count()) + " of " +
                                std::to_string(kEventIds) +
                                " events: name the events it needs");
    }
    out->events = shape.set;
    std::unique_ptr<Node> cond = compile(*tree, shape.set);
    std::unique_ptr<Node> unless = exceptions(def, shape.set);
    if (unless) {
      auto both = std::make_unique<AndNode>();
      both->kids.push_back(std::move(cond));
      auto neg = std::make_unique<NotNode>();
      neg->kid = std::move(unless);
      both->kids.push_back(std::move(neg));
      cond = std::move(both);
    }
    out->condition = std::move(cond);
    output(def.output, shape.set, out->output);
    if (diags_.error_count() > errors)
      return nullptr;
    return out;
  }

private:
  SourcePos pos_of(const Ast &a, std::size_t offset) const {
    return a.span ? a.span->at(offset) : SourcePos{};
  }

  // parse_parts - a condition and the parts appended to it, each
  // starting with and/or.
  std::unique_ptr<Ast> parse_parts(const std::vector<TextSpan> &parts) {
    std::unique_ptr<Ast> acc;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const TextSpan &part = parts[i];
      std::string_view text = part.value;
      std::size_t skip = 0;
      Ast::Kind join = Ast::Kind::kAnd;
      if (i > 0) {
        while (skip < text.size() && std::isspace((unsigned char)text[skip]))
          ++skip;
        std::string_view rest = text.substr(skip);
        auto word = [&](std::string_view w) {
          return rest.starts_with(w) &&
                 (rest.size() == w.size() ||
                  std::isspace((unsigned char)rest[w.size()]) ||
                  rest[w.size()] == '(');
        };
        if (word("and")) {
          skip += 3;
        } else if (word("or")) {
          join = Ast::Kind::kOr;
          skip += 2;
        } else {
          diags_.error(part.at(skip), "an appended condition starts with "
                                      "'and' or 'or', e.g. and not "
                                      "process.comm = sshd");
          return nullptr;
        }
      }
      std::optional<ParseError> err;
      std::unique_ptr<Ast> tree = parse_condition(text.substr(skip), err);
      if (!tree) {
        diags_.error(part.at(skip + err->offset), err->message);
        return nullptr;
      }
      place(*tree, part, skip);
      if (!acc) {
        acc = std::move(tree);
        continue;
      }
      auto node = std::make_unique<Ast>();
      node->kind = join;
      node->offset = acc->offset;
      node->span = acc->span;
      node->kids.push_back(std::move(acc));
      node->kids.push_back(std::move(tree));
      acc = std::move(node);
    }
    return acc;
  }

  static void place(Ast &a, const TextSpan &span, std::size_t shift) {
    a.span = &span;
    a.offset += shift;
    a.op_offset += shift;
    for (Operand &o : a.values)
      o.offset += shift;
    for (auto &k : a.kids)
      place(*k, span, shift);
  }

  // macro_tree - a macro's parsed condition, parsed once; null after a
  // syntax error (reported once) or when there is no such macro.
  const Ast *macro_tree(const std::string &name) {
    auto done = macro_trees_.find(name);
    if (done != macro_trees_.end())
      return done->second.get();
    auto def = src_.macros.find(name);
    if (def == src_.macros.end())
      return nullptr;
    std::unique_ptr<Ast> tree = parse_parts(def->second.condition);
    return (macro_trees_[name] = std::move(tree)).get();
  }

  // check_refs - every macro and list a condition names exists.
  void check_refs(const Ast &a) {
    if (a.kind == Ast::Kind::kMacro && !src_.macros.count(a.name)) {
      std::string hint = src_.lists.count(a.name)
                             ? ": '" + a.name + "' is a list; use it as " +
                                   "FIELD in " + a.name
                             : ", and a comparison needs an operator";
      diags_.error(pos_of(a, a.offset),
                   "unknown macro '" + a.name + "'" + hint);
    }
    if (a.kind == Ast::Kind::kCompare && a.op == Op::kIn && !a.parenthesized &&
        !a.values.empty() && !src_.lists.count(a.values[0].text)) {
      diags_.error(pos_of(a, a.values[0].offset),
                   "unknown list '" + a.values[0].text +
                       "': define it, or write in (" + a.values[0].text + ")");
    }
    for (const auto &k : a.kids)
      check_refs(*k);
  }

  bool is_event_compare(const Ast &a) const {
    return a.kind == Ast::Kind::kCompare && a.name == "event" &&
           (a.op == Op::kEq || a.op == Op::kNe || a.op == Op::kIn);
  }

  Shape shape_of(const Ast &a) {
    switch (a.kind) {
    case Ast::Kind::kCompare:
      if (is_event_compare(a)) {
        EventSet s = event_literals(a, false);
        return {a.op == Op::kNe ? ~s : s, true};
      }
      return {all_events(), false};
    case Ast::Kind::kNot: {
      Shape k = shape_of(*a.kids[0]);
      if (k.exact)
        return {~k.set, true};
      return {all_events(), false};
    }
    case Ast::Kind::kAnd:
    case Ast::Kind::kOr: {
      bool is_and = a.kind == Ast::Kind::kAnd;
      Shape s{is_and ? all_events() : EventSet{}, true};
      for (const auto &k : a.kids) {
        Shape ks = shape_of(*k);
        s.set = is_and ? (s.set & ks.set) : (s.set | ks.set);
        s.exact = s.exact && ks.exact;
      }
      return s;
    }
    case Ast::Kind::kMacro: {
      if (std::count(stack_.begin(), stack_.end(), a.name))
        return {all_events(), false};
      const Ast *tree = macro_tree(a.name);
      if (!tree) {
        broken_macro_ = true;
        return {all_events(), false};
      }
      stack_.push_back(a.name);
      Shape s = shape_of(*tree);
      stack_.pop_back();
      return s;
    }
    }
    return {all_events(), false};
  }

  // values - a comparison's operands, lists expanded.
  std::vector<Operand> values(const Ast &a) {
    std::vector<Operand> out;
    std::set<std::string> seen;
    for (const Operand &o : a.values) {
      if (!o.quoted && src_.lists.count(o.text)) {
        expand_list(o.text, o.offset, out, seen);
      } else {
        out.push_back(o);
      }
    }
    return out;
  }

  void expand_list(const std::string &name, std::size_t offset,
                   std::vector<Operand> &out, std::set<std::string> &seen) {
    if (!seen.insert(name).second)
      return;
    for (const ListItem &item : src_.lists.at(name).items) {
      if (src_.lists.count(item.text)) {
        expand_list(item.text, offset, out, seen);
      } else {
        out.push_back({item.text, true, offset});
      }
    }
  }

  EventSet event_literals(const Ast &a, bool report) {
    EventSet s;
    for (const Operand &o : values(a)) {
      const std::vector<EventId> &ids = names_.ids(o.text);
      if (ids.empty() && report) {
        diags_.error(pos_of(a, o.offset),
                     "unknown event '" + o.text +
                         "': give a syscall name such as openat, or "
                         "sched_process_fork, sched_process_exec, "
                         "sched_process_exit");
      }
      for (EventId id : ids)
        s.set(id);
    }
    return s;
  }

  std::unique_ptr<Node> compile(const Ast &a, const EventSet &ctx) {
    switch (a.kind) {
    case Ast::Kind::kAnd: {
      auto node = std::make_unique<AndNode>();
      EventSet inner = ctx & shape_of(a).set;
      for (const auto &k : a.kids)
        node->kids.push_back(compile(*k, inner));
      return node;
    }
    case Ast::Kind::kOr: {
      auto node = std::make_unique<OrNode>();
      for (const auto &k : a.kids)
        node->kids.push_back(compile(*k, ctx & shape_of(*k).set));
      return node;
    }
    case Ast::Kind::kNot: {
      auto node = std::make_unique<NotNode>();
      node->kid = compile(*a.kids[0], ctx);
      return node;
    }
    case Ast::Kind::kMacro:
      return macro(a, ctx);
    case Ast::Kind::kCompare:
      return compare(a, ctx);
    }
    return std::make_unique<ConstNode>(false);
  }

  std::unique_ptr<Node> macro(const Ast &a, const EventSet &ctx) {
    if (std::count(stack_.begin(), stack_.end(), a.name)) {
      std::string chain;
      for (const std::string &m : stack_)
        chain += m + " -> ";
      diags_.error(pos_of(a, a.offset), "macro '" + a.name +
                                            "' refers to itself: " + chain +
                                            a.name);
      return std::make_unique<ConstNode>(false);
    }
    const Ast *tree = macro_tree(a.name);
    if (!tree)
      return std::make_unique<ConstNode>(false);
    stack_.push_back(a.name);
    std::unique_ptr<Node> n = compile(*tree, ctx & shape_of(*tree).set);
    stack_.pop_back();
    return n;
  }

  std::string event_list(const EventSet &ids, std::size_t max = 3) const {
    std::string out;
    std::set<std::string_view> seen;
    for (EventId id = 0; id < kEventIds && seen.size() < max; ++id) {
      if (ids[id] && seen.insert(names_.name(id)).second)
        out += (out.empty() ? "" : ", ") + std::string(names_.name(id));
    }
    if (ids.count() > seen.size() * 2 && seen.size() == max)
      out += ", ...";
    return out;
  }

  // field - resolves a field and checks it exists on the events the
  // condition can see here, and that op applies to its type there.
  std::optional<FieldRef> field(const std::string &path, SourcePos pos,
                                const EventSet &ctx,
                                std::optional<Op> op = std::nullopt,
                                SourcePos op_pos = {}) {
    std::string error;
    std::optional<FieldRef> f = resolve_field(path, schema_, error);
    if (!f) {
      diags_.error(pos, error);
      return std::nullopt;
    }
    EventSet present, missing;
    std::optional<FieldType> first_type;
    for (EventId id = 0; id < kEventIds; ++id) {
      if (!ctx[id])
        continue;
      std::optional<FieldType> t = f->type_on(id);
      if (!t) {
        missing.set(id);
        continue;
      }
      present.set(id);
      if (op) {
        std::string problem = type_problem(*op, *t, path);
        if (!problem.empty()) {
          diags_.error(op_pos, problem);
          return std::nullopt;
        }
      }
    }
    if (present.none()) {
      diags_.error(pos, path + " does not exist for " + event_list(ctx));
      return std::nullopt;
    }
    if (missing.any() && path.starts_with("args.")) {
      diags_.warn(pos, path + " does not exist for " + event_list(missing) +
                           "; there the comparison is false");
    }
    return f;
  }

  std::unique_ptr<Node> compare(const Ast &a, const EventSet &ctx) {
    if (is_event_compare(a)) {
      auto node = std::make_unique<EventNode>();
      EventSet s = event_literals(a, true);
      node->set = a.op == Op::kNe ? ~s : s;
      return node;
    }
    std::optional<FieldRef> f =
        field(a.name, pos_of(a, a.offset), ctx, a.op, pos_of(a, a.op_offset));
    if (!f)
      return std::make_unique<ConstNode>(false);
    auto node = std::make_unique<CompareNode>();
    node->field = std::move(*f);
    node->op = a.op;
    for (const Operand &o : values(a)) {
      std::optional<Literal> l = literal(node->field, a.op, o, a, ctx);
      if (l)
        node->literals.push_back(std::move(*l));
    }
    if ((a.op == Op::kIn || a.op == Op::kEq || a.op == Op::kNe) &&
        node->literals.size() > 8) {
      for (const Literal &l : node->literals)
        node->string_set.insert(l.text);
    }
    return node;
  }

  // literal - a value checked against the field's type wherever the
  // field exists.
  std::optional<Literal> literal(const FieldRef &f, Op op, const Operand &o,
                                 const Ast &a, const EventSet &ctx) {
    Literal l;
    l.text = o.text;
    l.number = parse_number(o.text);
    if (o.text == "true" || o.text == "false") {
      bool is_bool = false;
      for (EventId id = 0; id < kEventIds && !is_bool; ++id)
        is_bool = ctx[id] && f.type_on(id) == FieldType::kBool;
      if (is_bool)
        l.number = o.text == "true";
    }
    for (EventId id = 0; id < kEventIds; ++id) {
      if (!ctx[id])
        continue;
      std::optional<FieldType> t = f.type_on(id);
      if (!t)
        continue;
      bool wants_number = *t == FieldType::kInt || *t == FieldType::kIntList ||
                          (*t == FieldType::kIntOrString && is_order_op(op));
      if (wants_number && !l.number) {
        diags_.error(pos_of(a, o.offset), "'" + o.text + "' is not a number; " +
                                              f.path() + " is a " +
                                              std::string(type_name(*t)));
        return std::nullopt;
      }
      if (*t == FieldType::kBool && !l.number) {
        diags_.error(pos_of(a, o.offset), "'" + o.text +
                                              "' is not true or "
                                              "false; " +
                                              f.path() + " is a bool");
        return std::nullopt;
      }
      break;
    }
    if (op == Op::kIContains) {
      l.lower = o.text;
      for (char &ch : l.lower)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    if (op == Op::kRegex) {
      re2::RE2::Options opts;
      opts.set_log_errors(false);
      auto re = std::make_shared<re2::RE2>(o.text, opts);
      if (!re->ok()) {
        diags_.error(pos_of(a, o.offset),
                     "bad regular expression: " + re->error());
        return std::nullopt;
      }
      l.re = std::move(re);
    }
    return l;
  }

  std::optional<Op> comp_op(const TextSpan &t) {
    std::optional<ParseError> err;
    std::string probe = "x " + t.value + (t.value == "exists" ? "" : " y");
    std::unique_ptr<Ast> tree = parse_condition(probe, err);
    if (!tree || tree->kind != Ast::Kind::kCompare) {
      diags_.error(t.start(), "unknown comparison '" + t.value +
                                  "' (use =, !=, <, <=, >, >=, contains, "
                                  "icontains, startswith, endswith, glob, "
                                  "regex, in)");
      return std::nullopt;
    }
    return tree->op;
  }

  // exceptions - the rule's exceptions as one condition: any entry of
  // any exception whose fields all match suppresses the rule.
  std::unique_ptr<Node> exceptions(const RuleDef &def, const EventSet &ctx) {
    auto any = std::make_unique<OrNode>();
    for (const ExceptionDef &e : def.exceptions) {
      std::vector<FieldRef> fields;
      std::vector<Op> ops;
      for (std::size_t i = 0; i < e.fields.size(); ++i) {
        Op op = e.single_field ? Op::kIn : Op::kEq;
        if (i < e.comps.size()) {
          std::optional<Op> parsed = comp_op(e.comps[i]);
          if (!parsed)
            return nullptr;
          op = *parsed;
        } else if (!e.comps.empty() && !e.single_field) {
          diags_.error(e.pos, "exception '" + e.name + "' has " +
                                  std::to_string(e.comps.size()) +
                                  " comps for " +
                                  std::to_string(e.fields.size()) + " fields");
          return nullptr;
        }
        std::optional<FieldRef> f =
            field(e.fields[i].value, e.fields[i].start(), ctx, op,
                  e.fields[i].start());
        if (!f)
          return nullptr;
        fields.push_back(std::move(*f));
        ops.push_back(op);
      }
      if (fields.empty()) {
        diags_.error(e.pos, "exception '" + e.name + "' names no fields");
        return nullptr;
      }
      if (e.single_field) {
        auto node = exception_compare(fields[0], ops[0], e.values, ctx);
        if (!node)
          return nullptr;
        any->kids.push_back(std::move(node));
        continue;
      }
      for (const std::vector<TextSpan> &tuple : e.values) {
        auto all = std::make_unique<AndNode>();
        for (std::size_t i = 0; i < tuple.size(); ++i) {
          auto node = exception_compare(fields[i], ops[i], {{tuple[i]}}, ctx);
          if (!node)
            return nullptr;
          all->kids.push_back(std::move(node));
        }
        any->kids.push_back(std::move(all));
      }
    }
    if (any->kids.empty())
      return nullptr;
    return any;
  }

  std::unique_ptr<Node>
  exception_compare(const FieldRef &f, Op op,
                    const std::vector<std::vector<TextSpan>> &entries,
                    const EventSet &ctx) {
    auto node = std::make_unique<CompareNode>();
    node->field = f;
    node->op = op;
    for (const auto &entry : entries) {
      for (const TextSpan &v : entry) {
        Ast holder;
        holder.span = &v;
        std::vector<Operand> ops;
        std::set<std::string> seen;
        if (src_.lists.count(v.value))
          expand_list(v.value, 0, ops, seen);
        else
          ops.push_back({v.value, true, 0});
        for (const Operand &o : ops) {
          std::optional<Literal> l = literal(f, op, o, holder, ctx);
          if (!l)
            return nullptr;
          node->literals.push_back(std::move(*l));
        }
      }
    }
    if (node->literals.size() > 8 && op == Op::kIn) {
      for (const Literal &l : node->literals)
        node->string_set.insert(l.text);
    }
    return node;
  }

  // output - the message with %field or %{field} placeholders; %% is a
  // percent sign.
  void output(const TextSpan &span, const EventSet &ctx, OutputTemplate &out) {
    // A folded or literal block ends in a newline the message does not
    // want.
    std::string_view s = span.value;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
      s.remove_suffix(1);
    OutputTemplate::Part part;
    std::size_t i = 0;
    auto field_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
             c == '.' || c == '[' || c == ']';
    };
    while (i < s.size()) {
      if (s[i] != '%') {
        part.literal.push_back(s[i++]);
        continue;
      }
      if (i + 1 < s.size() && s[i + 1] == '%') {
        part.literal.push_back('%');
        i += 2;
        continue;
      }
      std::size_t start = i + 1, end;
      std::string name;
      if (start < s.size() && s[start] == '{') {
        end = s.find('}', start);
        if (end == std::string_view::npos) {
          diags_.error(span.at(i), "this %{ is never closed with }");
          return;
        }
        name = std::string(s.substr(start + 1, end - start - 1));
        i = end + 1;
      } else {
        end = start;
        while (end < s.size() && field_char(s[end]))
          ++end;
        while (end > start && s[end - 1] == '.')
          --end; // a full stop after the field
        name = std::string(s.substr(start, end - start));
        i = end;
      }
      if (name.empty()) {
        diags_.error(span.at(start - 1), "a % without a field: write %% for "
                                         "a percent sign");
        return;
      }
      std::optional<FieldRef> f = field(name, span.at(start), ctx);
      if (!f)
        return;
      part.field = std::move(*f);
      out.parts().push_back(std::move(part));
      part = {};
    }
    if (!part.literal.empty())
      out.parts().push_back(std::move(part));
  }

  const EventSchema &schema_;
  EventNames names_;
  const RuleSources &src_;
  Diagnostics &diags_;
  std::map<std::string, std::unique_ptr<Ast>> macro_trees_;
  std::vector<std::string> stack_;
  bool broken_macro_ = false; // a macro in the rule did not parse
};

} // namespace

CompileResult compile_rules(const std::vector<RuleFile> &files,
                            const EventSchema &schema) {
  CompileResult result;
  RuleSources src = load_rule_files(files, result.diags);
  Compiler compiler(schema, src, result.diags);
  compiler.check_macros();
  auto set = std::make_shared<RuleSet>();
  for (const RuleDef &def : src.rules) {
    std::unique_ptr<CompiledRule> rule = compiler.rule(def);
    if (rule)
      set->add(std::move(rule));
  }
  if (!result.diags.has_errors())
    result.rules = std::move(set);
  return result;
}

} // namespace vigil::rules
