// The rule flags and subcommands of vigil's command line.
#include <catch2/catch.hpp>

#include "cli/options.h"

namespace {

vigil::ParseResult parse(std::vector<std::string> args) {
  args.insert(args.begin(), "vigil");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  return vigil::parse_command_line(static_cast<int>(argv.size()), argv.data());
}

} // namespace

TEST_CASE("the rules flag takes several paths and turns rules on",
          "[rules][cli]") {
  vigil::ParseResult r = parse({"--rules", "a.yaml", "dir", "--comm", "ls"});
  REQUIRE(r.monitor);
  CHECK(r.monitor->rules);
  CHECK(r.monitor->rule_paths == std::vector<std::string>{"a.yaml", "dir"});
  CHECK_FALSE(r.monitor->detections_only);
  CHECK(r.monitor->detection_rate.count == 0);
}

TEST_CASE("detections only without rule paths asks for the built-in rules",
          "[rules][cli]") {
  vigil::ParseResult r = parse({"--detections-only", "--detection-format",
                                "falco", "--detection-rate", "5/10s"});
  REQUIRE(r.monitor);
  CHECK(r.monitor->rules);
  CHECK(r.monitor->rule_paths.empty());
  CHECK(r.monitor->detection_format == vigil::rules::DetectionFormat::kFalco);
  CHECK(r.monitor->detection_rate.count == 5);
  CHECK(r.monitor->detection_rate.window_ns == 10'000'000'000ull);
}

TEST_CASE("no rule flag leaves rules off", "[rules][cli]") {
  vigil::ParseResult r = parse({"--comm", "ls"});
  REQUIRE(r.monitor);
  CHECK_FALSE(r.monitor->rules);
}

TEST_CASE("a bad rate or format is a usage error", "[rules][cli]") {
  CHECK(parse({"--detection-rate", "fast"}).exit_status == 2);
  CHECK(parse({"--detection-format", "xml"}).exit_status == 2);
}

TEST_CASE("rules check and list fields are subcommands", "[rules][cli]") {
  vigil::ParseResult check = parse({"rules", "check", "a.yaml", "b.yaml"});
  REQUIRE(check.rules_check);
  CHECK_FALSE(check.monitor);
  CHECK(check.rules_check->paths ==
        std::vector<std::string>{"a.yaml", "b.yaml"});

  vigil::ParseResult fields = parse({"list", "fields", "--event", "openat"});
  REQUIRE(fields.list_fields);
  CHECK(fields.list_fields->event == "openat");
  CHECK(parse({"list", "fields", "--event", "nosuch"}).exit_status == 2);
  CHECK(parse({"rules", "check"}).exit_status == 2);
}
