#include "rules/condition.h"

#include <catch2/catch.hpp>

using vigil::rules::Ast;
using vigil::rules::Op;
using vigil::rules::parse_condition;
using vigil::rules::ParseError;

namespace {

std::unique_ptr<Ast> parse_ok(const std::string &text) {
  std::optional<ParseError> err;
  auto tree = parse_condition(text, err);
  INFO((err ? err->message : std::string()));
  REQUIRE(tree);
  return tree;
}

ParseError parse_fails(const std::string &text) {
  std::optional<ParseError> err;
  auto tree = parse_condition(text, err);
  REQUIRE_FALSE(tree);
  REQUIRE(err);
  return *err;
}

} // namespace

TEST_CASE("and binds tighter than or", "[rules][parser]") {
  auto t = parse_ok("a = 1 or b = 2 and c = 3");
  REQUIRE(t->kind == Ast::Kind::kOr);
  REQUIRE(t->kids.size() == 2);
  CHECK(t->kids[0]->kind == Ast::Kind::kCompare);
  CHECK(t->kids[0]->name == "a");
  CHECK(t->kids[1]->kind == Ast::Kind::kAnd);
  CHECK(t->kids[1]->kids[1]->name == "c");
}

TEST_CASE("parentheses and not group as written", "[rules][parser]") {
  auto t = parse_ok("not (a = 1 or b = 2) and c exists");
  REQUIRE(t->kind == Ast::Kind::kAnd);
  REQUIRE(t->kids[0]->kind == Ast::Kind::kNot);
  CHECK(t->kids[0]->kids[0]->kind == Ast::Kind::kOr);
  CHECK(t->kids[1]->op == Op::kExists);
  CHECK(t->kids[1]->values.empty());
}

TEST_CASE("every operator parses with its operand and offset",
          "[rules][parser]") {
  struct Case {
    std::string text;
    Op op;
  };
  for (const Case &c : std::vector<Case>{{"f = v", Op::kEq},
                                         {"f != v", Op::kNe},
                                         {"f < 1", Op::kLt},
                                         {"f <= 1", Op::kLe},
                                         {"f > 1", Op::kGt},
                                         {"f >= 1", Op::kGe},
                                         {"f contains v", Op::kContains},
                                         {"f icontains v", Op::kIContains},
                                         {"f startswith v", Op::kStartsWith},
                                         {"f endswith v", Op::kEndsWith},
                                         {"f glob v", Op::kGlob},
                                         {"f regex v", Op::kRegex}}) {
    INFO(c.text);
    auto t = parse_ok(c.text);
    CHECK(t->op == c.op);
    REQUIRE(t->values.size() == 1);
    CHECK(t->values[0].offset == c.text.size() - 1);
  }
}

TEST_CASE("in takes a parenthesized list or a list name", "[rules][parser]") {
  auto t = parse_ok("f in (a, \"b c\", /x/y)");
  CHECK(t->op == Op::kIn);
  CHECK(t->parenthesized);
  REQUIRE(t->values.size() == 3);
  CHECK(t->values[1].text == "b c");
  CHECK(t->values[1].quoted);
  CHECK(t->values[2].text == "/x/y");

  auto named = parse_ok("f in my_list");
  CHECK_FALSE(named->parenthesized);
  CHECK(named->values[0].text == "my_list");
}

TEST_CASE("quoted strings keep spaces and escaped quotes", "[rules][parser]") {
  auto t = parse_ok(R"(f = "say \"hi\" now")");
  CHECK(t->values[0].text == "say \"hi\" now");
  auto s = parse_ok("f = 'single'");
  CHECK(s->values[0].text == "single");
}

TEST_CASE("a bare word without an operator is a macro", "[rules][parser]") {
  auto t = parse_ok("open_read and not trusted");
  REQUIRE(t->kind == Ast::Kind::kAnd);
  CHECK(t->kids[0]->kind == Ast::Kind::kMacro);
  CHECK(t->kids[0]->name == "open_read");
  CHECK(t->kids[1]->kids[0]->name == "trusted");
}

TEST_CASE("syntax errors point at their offset", "[rules][parser]") {
  ParseError e = parse_fails("f = \"open");
  CHECK(e.offset == 4);
  CHECK_THAT(e.message, Catch::Contains("unterminated string"));

  e = parse_fails("(a = 1 or b = 2");
  CHECK(e.offset == 0);
  CHECK_THAT(e.message, Catch::Contains("never closed"));

  e = parse_fails("a = 1 )");
  CHECK(e.offset == 6);

  e = parse_fails("a contains");
  CHECK(e.offset == 2);
  CHECK_THAT(e.message, Catch::Contains("expected a value after 'contains'"));

  e = parse_fails("a = 1 b = 2");
  CHECK(e.offset == 6);
  CHECK_THAT(e.message, Catch::Contains("expected 'and' or 'or'"));

  e = parse_fails("f in ()");
  CHECK(e.offset == 5);
}
