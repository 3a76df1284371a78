// rules_helpers.h - compiles inline YAML rules and runs them over
// synthetic events, for the rules unit tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "event_builder.h"
#include "rules/rule_set.h"

namespace vigil::test {

inline const EventSchema &rules_schema() {
  static const EventSchema s;
  return s;
}

inline rules::CompileResult compile_yaml(const std::string &yaml) {
  return rules::compile_rules({{"t.yaml", yaml}}, rules_schema());
}

// compiled - the set, failing the test with the diagnostics if none.
inline std::shared_ptr<const rules::RuleSet> compiled(const std::string &yaml) {
  rules::CompileResult r = compile_yaml(yaml);
  INFO(r.diags.text());
  REQUIRE(r.rules);
  return r.rules;
}

// matching - the ids of the rules the event matches.
inline std::vector<std::string> matching(const rules::RuleSet &set,
                                         const EventBuilder &b,
                                         const EventContext &ctx = {}) {
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  rules::EvalContext c;
  c.bind(*ev, rules_schema(), ctx);
  std::vector<std::string> ids;
  for (const rules::CompiledRule *r : set.rules_for(c.id())) {
    if (r->condition->eval(c))
      ids.push_back(r->id);
  }
  return ids;
}

// one_rule - a rule file of a single rule with this condition.
inline std::string one_rule(const std::string &condition,
                            const std::string &output = "hit") {
  return "- rule: r\n  condition: " + condition + "\n  output: " + output +
         "\n  severity: high\n";
}

// fires - whether a single rule with this condition matches the event.
inline bool fires(const std::string &condition, const EventBuilder &b,
                  const EventContext &ctx = {}) {
  auto set = compiled(one_rule(condition));
  return !matching(*set, b, ctx).empty();
}

constexpr std::uint32_t kRead = 0;
constexpr std::uint32_t kOpen = 2;
constexpr std::uint32_t kExecve = 59;
constexpr std::uint32_t kPtrace = 101;
constexpr std::uint32_t kOpenat = 257;
constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(-100);

// openat_of - openat(AT_FDCWD, path, flags) = ret by comm.
inline EventBuilder openat_of(std::string_view path, std::int64_t ret = 3,
                              std::string_view comm = "cat",
                              std::uint64_t flags = 0) {
  EventBuilder b(kOpenat);
  b.arg(0, kAtFdcwd).arg(1, 0x7fff0000).arg(2, flags).ret(ret).comm(comm);
  b.item(1, path, VIGIL_ITEM_STRING);
  return b;
}

} // namespace vigil::test
