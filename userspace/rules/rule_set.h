// rule_set.h - compiled rules: each condition a tree evaluated against
// one event at a time, indexed by event so that an event meets only the
// rules that name it.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "decode/event_schema.h"
#include "rules/diagnostic.h"
#include "rules/fields.h"
#include "rules/loader.h"

namespace vigil::rules {

enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };

std::optional<Severity> parse_severity(std::string_view name);
std::string_view severity_name(Severity s);
// falco_priority - Falco's name for the severity, for
// --detection-format falco.
std::string_view falco_priority(Severity s);

// Node - one compiled part of a condition.
class Node {
public:
  virtual ~Node() = default;
  virtual bool eval(EvalContext &c) const = 0;
};

// OutputTemplate - a rule's message: literal text and %field
// placeholders.
class OutputTemplate {
public:
  struct Part {
    std::string literal;
    std::optional<FieldRef> field; // after the literal
  };

  void render(EvalContext &c, std::string &out) const;
  const std::vector<Part> &parts() const { return parts_; }
  std::vector<Part> &parts() { return parts_; }

private:
  std::vector<Part> parts_;
};

struct CompiledRule {
  std::string id;
  std::string name;
  std::string description;
  Severity severity = Severity::kMedium;
  std::vector<std::string> tags;
  bool enabled = true;
  std::unique_ptr<Node> condition;
  OutputTemplate output;
  EventSet events;
  SourcePos pos;
};

class RuleSet {
public:
  const std::vector<std::unique_ptr<CompiledRule>> &rules() const {
    return rules_;
  }
  // rules_for - the enabled rules whose events include this one.
  std::span<const CompiledRule *const> rules_for(EventId id) const {
    return by_event_[id];
  }
  // events - every event an enabled rule needs.
  const EventSet &events() const { return events_; }
  // event_names - the same, as names for Scope::events.
  std::vector<std::string> event_names(const EventSchema &schema) const;
  std::size_t enabled_count() const;

  // add - takes a compiled rule and indexes it when enabled.
  void add(std::unique_ptr<CompiledRule> rule);

private:
  std::vector<std::unique_ptr<CompiledRule>> rules_;
  std::vector<std::vector<const CompiledRule *>> by_event_ =
      std::vector<std::vector<const CompiledRule *>>(kEventIds);
  EventSet events_;
};

struct CompileResult {
  std::shared_ptr<const RuleSet> rules; // null when there was an error
  Diagnostics diags;
};

// compile_rules - loads the files in order and compiles the merged
// items; every problem found is in diags, and rules is set only when
// none is an error.
CompileResult compile_rules(const std::vector<RuleFile> &files,
                            const EventSchema &schema);

} // namespace vigil::rules
