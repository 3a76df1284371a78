// Every kind of rule error and warning, with the line and column it
// names.
#include <catch2/catch.hpp>

#include "rules_helpers.h"

using vigil::rules::DiagLevel;
using vigil::test::compile_yaml;

namespace {

// only_problem - the one diagnostic of this YAML, as text.
std::string only_problem(const std::string &yaml) {
  vigil::rules::CompileResult r = compile_yaml(yaml);
  INFO(r.diags.text());
  REQUIRE(r.diags.items().size() == 1);
  return r.diags.items()[0].text();
}

} // namespace

TEST_CASE("a rule that names no event type is an error", "[rules][errors]") {
  std::string yaml = "- rule: r\n"
                     "  condition: args.filename = /etc/x\n"
                     "  output: x\n"
                     "  severity: high\n";
  CHECK(only_problem(yaml) ==
        "t.yaml:2:14: error: rule 'r' does not say which events it "
        "applies to: add event = NAME or event in (A, B)");
  CHECK_FALSE(compile_yaml(yaml).rules);
}

TEST_CASE("an argument the named event lacks is an error", "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = read and args.filename = /x\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:31: error: args.filename does not exist for read");
}

TEST_CASE("a string operator on a number is an error", "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: >\n"
                     "    event = openat\n"
                     "    and ret contains \"x\"\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:4:13: error: operator contains needs a string; ret is a "
        "number");
}

TEST_CASE("an order operator on a string is an error", "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat and process.comm > 3\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:46: error: operator > needs a number; process.comm is a "
        "string");
}

TEST_CASE("a word compared with a number field is an error",
          "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat and process.pid = abc\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:47: error: 'abc' is not a number; process.pid is a number");
}

TEST_CASE("an unknown key in an item is an error", "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat\n"
                     "  output: x\n"
                     "  severity: high\n"
                     "  condtion: typo\n") ==
        "t.yaml:5:3: error: unknown key 'condtion' in a rule (it takes rule, "
        "name, description, condition, output, severity, tags, enabled, "
        "exceptions, append, override)");
}

TEST_CASE("a dangling macro or list is an error", "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat and not trusted\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:37: error: unknown macro 'trusted', and a comparison "
        "needs an operator");
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat and process.comm in admins\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:49: error: unknown list 'admins': define it, or write in "
        "(admins)");
}

TEST_CASE("an unknown field and an unknown event are errors",
          "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat and process.nme = x\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:33: error: unknown field 'process.nme' (vigil list fields "
        "shows them all)");
  CHECK(only_problem("- rule: r\n"
                     "  condition: event in (openat, opn)\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:32: error: unknown event 'opn': give a syscall name such "
        "as openat, or sched_process_fork, sched_process_exec, "
        "sched_process_exit");
}

TEST_CASE("a duplicate without override is a warning only", "[rules][errors]") {
  std::string rule = "- rule: r\n"
                     "  condition: event = openat\n"
                     "  output: x\n"
                     "  severity: high\n";
  vigil::rules::CompileResult r = compile_yaml(rule + rule);
  REQUIRE(r.diags.items().size() == 1);
  CHECK(r.diags.items()[0].level == DiagLevel::kWarning);
  CHECK(r.diags.items()[0].text() ==
        "t.yaml:5:3: warning: rule 'r' is defined again (first at t.yaml:1); "
        "this one replaces it: add override: true to say so");
  CHECK(r.rules);

  vigil::rules::CompileResult quiet = compile_yaml(
      rule + "- rule: r\n  override: true\n  condition: event = read\n"
             "  output: y\n  severity: low\n");
  CHECK(quiet.diags.items().empty());
  REQUIRE(quiet.rules);
  CHECK(quiet.rules->rules().size() == 1);
}

TEST_CASE("invalid YAML is reported with its line and column",
          "[rules][errors]") {
  CHECK(only_problem("- rule: r\n  condition: [event = openat\n") ==
        "t.yaml:3:1: error: invalid YAML: end of sequence flow not found");
  CHECK(only_problem("- rule: r\n   bad: : :\n  x: y\n")
            .starts_with("t.yaml:2:"));
}

TEST_CASE("a bad regular expression is an error at its text",
          "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = openat and args.filename regex "
                     "\"a(b\"\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:2:53: error: bad regular expression: missing ): a(b");
}

TEST_CASE("a syntax error in a folded condition points into the block",
          "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: >\n"
                     "    event = openat and\n"
                     "      (ret > 0 or ret < -5\n"
                     "  output: x\n"
                     "  severity: high\n") ==
        "t.yaml:4:7: error: this '(' is never closed");
}

TEST_CASE("an output placeholder must name a field", "[rules][errors]") {
  CHECK(only_problem("- rule: r\n"
                     "  condition: event = read\n"
                     "  output: read by %process.comm of %args.filename\n"
                     "  severity: high\n") ==
        "t.yaml:3:37: error: args.filename does not exist for read");
}

TEST_CASE("missing keys, bad severities and appends to nothing are errors",
          "[rules][errors]") {
  CHECK(only_problem("- rule: r\n  condition: event = read\n"
                     "  severity: high\n") ==
        "t.yaml:1:3: error: rule 'r' has no output");
  CHECK(only_problem("- rule: r\n  condition: event = read\n  output: x\n"
                     "  severity: urgent\n") ==
        "t.yaml:4:13: error: unknown severity 'urgent': use info, low, "
        "medium, high or critical");
  CHECK(only_problem("- list: l\n  append: true\n  items: [a]\n") ==
        "t.yaml:1:3: error: append: true, but no list 'l' came before");
}

TEST_CASE("a macro that refers to itself is an error", "[rules][errors]") {
  vigil::rules::CompileResult r =
      compile_yaml("- macro: a\n  condition: b\n"
                   "- macro: b\n  condition: a and event = read\n"
                   "- rule: r\n  condition: event = read and a\n"
                   "  output: x\n  severity: high\n");
  CHECK(r.diags.has_errors());
  CHECK_THAT(r.diags.text(), Catch::Contains("refers to itself"));
}

TEST_CASE("a rule on almost every event is a warning", "[rules][errors]") {
  vigil::rules::CompileResult r = compile_yaml("- rule: r\n"
                                               "  condition: event != read\n"
                                               "  output: x\n"
                                               "  severity: low\n");
  REQUIRE(r.diags.items().size() == 1);
  CHECK(r.diags.items()[0].text() ==
        "t.yaml:2:14: warning: rule 'r' applies to 1025 of 1027 events: "
        "name the events it needs");
  CHECK(r.rules);
}

TEST_CASE("a broken macro is reported once, not again by its rules",
          "[rules][errors]") {
  CHECK(only_problem("- macro: m\n  condition: event = openat and (\n"
                     "- rule: r\n  condition: m\n  output: x\n"
                     "  severity: low\n") ==
        "t.yaml:2:34: error: a condition is missing here");
}
