// Evaluation of compiled rules on synthetic events: every operator,
// list and context fields, macros, lists, exceptions, overrides and
// appends, the event index and the detection lines.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

#include "rules/builtin.h"
#include "rules/detector.h"
#include "rules_helpers.h"

using namespace vigil::test;
using vigil::EventContext;
using vigil::ProcessInfo;

TEST_CASE("equality, inequality and in on strings and numbers",
          "[rules][engine]") {
  EventBuilder b = openat_of("/etc/shadow", 3);
  CHECK(fires("event = openat and args.filename = /etc/shadow", b));
  CHECK_FALSE(fires("event = openat and args.filename = /etc/passwd", b));
  CHECK(fires("event = openat and args.filename != /etc/passwd", b));
  CHECK_FALSE(fires("event = openat and args.filename != /etc/shadow", b));
  CHECK(fires("event = openat and ret = 3", b));
  CHECK(fires("event = openat and process.pid in (5, 100, 7)", b));
  CHECK_FALSE(fires("event = openat and process.pid in (5, 7)", b));
  CHECK(fires("event = openat and process.comm in (ls, \"cat\")", b));
  CHECK(fires("event = openat and args.dfd = AT_FDCWD", b));
}

TEST_CASE("order operators compare numbers", "[rules][engine]") {
  EventBuilder b = openat_of("/x", 3);
  CHECK(fires("event = openat and ret < 4", b));
  CHECK_FALSE(fires("event = openat and ret < 3", b));
  CHECK(fires("event = openat and ret <= 3", b));
  CHECK(fires("event = openat and ret > 2", b));
  CHECK_FALSE(fires("event = openat and ret > 3", b));
  CHECK(fires("event = openat and ret >= 3", b));
  CHECK(fires("event = openat and process.uid >= 0x3e8", b));
  CHECK(fires("event = openat and ret > -1", b));
  CHECK(fires("event = openat and duration_ns = 2500", b));
}

TEST_CASE("string operators match as documented", "[rules][engine]") {
  EventBuilder b = openat_of("/etc/Shadow.bak", 3);
  CHECK(fires("event = openat and args.filename contains Shadow", b));
  CHECK_FALSE(fires("event = openat and args.filename contains shadow", b));
  CHECK(fires("event = openat and args.filename icontains SHADOW", b));
  CHECK(fires("event = openat and args.filename startswith /etc/", b));
  CHECK_FALSE(fires("event = openat and args.filename startswith /usr", b));
  CHECK(fires("event = openat and args.filename endswith .bak", b));
  CHECK(fires("event = openat and args.filename glob \"/etc/*.bak\"", b));
  CHECK(fires("event = openat and args.filename glob /etc/[RS]hado?.bak", b));
  CHECK_FALSE(fires("event = openat and args.filename glob /etc/*.txt", b));
  CHECK(fires("event = openat and args.filename regex \"^/etc/[A-Z]\"", b));
  CHECK_FALSE(fires("event = openat and args.filename regex \"^/usr\"", b));
  CHECK(fires("event = openat and args.flags contains O_RDONLY", b));
}

TEST_CASE("exists tells present fields from absent ones", "[rules][engine]") {
  EventBuilder ok = openat_of("/x", 3);
  EventBuilder failed = openat_of("/x", -2);
  CHECK_FALSE(fires("event = openat and errno exists", ok));
  CHECK(fires("event = openat and errno exists", failed));
  CHECK(fires("event = openat and errno = ENOENT", failed));
  CHECK_FALSE(fires("event = openat and process.exe exists", ok));
  CHECK_FALSE(fires("event = openat and process.exe != /bin/x", ok));
  CHECK(fires("event = openat and not process.exe = /bin/x", ok));
}

TEST_CASE("flag arguments compare by their names", "[rules][engine]") {
  EventBuilder b = openat_of("/etc/x", 3, "cat", 01 | 0100); // WRONLY|CREAT
  CHECK(fires("event = openat and args.flags contains O_CREAT", b));
  CHECK(fires("event = openat and args.flags = \"O_WRONLY|O_CREAT\"", b));
  CHECK(fires("event = openat and args.mode = \"000\"", b));
}

TEST_CASE("list fields match when any element does", "[rules][engine]") {
  EventBuilder b(kExecve);
  b.arg(0, 1).arg(1, 2).ret(0).comm("bash");
  b.item(0, "/bin/sh", VIGIL_ITEM_STRING);
  b.item(1, std::string_view("sh\0-c\0id\0", 9), VIGIL_ITEM_ARGV);
  CHECK(fires("event = execve and args.argv = -c", b));
  CHECK(fires("event = execve and args.argv contains i", b));
  CHECK_FALSE(fires("event = execve and args.argv = -x", b));
  CHECK(fires("event = execve and args.argv != -x", b));
  CHECK_FALSE(fires("event = execve and args.argv != sh", b));
}

TEST_CASE("process and container context fields come from EventContext",
          "[rules][engine]") {
  auto p = std::make_shared<ProcessInfo>();
  p->exe = "/usr/bin/cat";
  p->cmdline = {"cat", "/etc/shadow"};
  p->exe_memfd = true;
  p->ancestors = {{1, "bash", "/usr/bin/bash"}, {0, "sshd", "/usr/sbin/sshd"}};
  p->user = "root";
  auto k = std::make_shared<vigil::ContainerInfo>();
  k->id = "abc123";
  k->labels["app"] = "web";
  k->pod.ns = "prod";
  EventContext ctx{p, k};
  EventBuilder b = openat_of("/etc/shadow");

  CHECK(fires("event = openat and process.exe = /usr/bin/cat", b, ctx));
  CHECK(fires("event = openat and process.cmdline = \"cat /etc/shadow\"", b,
              ctx));
  CHECK(fires("event = openat and process.exe_memfd = true", b, ctx));
  CHECK_FALSE(fires("event = openat and process.exe_deleted = true", b, ctx));
  CHECK(fires("event = openat and process.parent.comm = bash", b, ctx));
  CHECK(fires("event = openat and process.ancestors.comm = sshd", b, ctx));
  CHECK(fires("event = openat and process.ancestors[1].exe = /usr/sbin/sshd", b,
              ctx));
  CHECK_FALSE(
      fires("event = openat and process.ancestors[2].exe exists", b, ctx));
  CHECK(fires("event = openat and user.name = root", b, ctx));
  CHECK(fires("event = openat and container.id = abc123", b, ctx));
  CHECK(fires("event = openat and container.labels.app = web", b, ctx));
  CHECK(fires("event = openat and container.pod.namespace = prod", b, ctx));
  CHECK_FALSE(fires("event = openat and container.id exists", b));
}

TEST_CASE("process events have their own arguments", "[rules][engine]") {
  EventBuilder exec(0, VIGIL_EV_PROCESS_EXEC);
  exec.arg(0, 100).comm("sh").item(0, "/usr/bin/sh", VIGIL_ITEM_STRING);
  CHECK(
      fires("event = sched_process_exec and args.filename endswith /sh", exec));
  EventBuilder exit(0, VIGIL_EV_PROCESS_EXIT);
  exit.arg(0, 3 << 8).arg(1, 1);
  CHECK(fires("event = sched_process_exit and args.exit_code = 3 and "
              "args.group_dead = true",
              exit));
  CHECK_FALSE(fires("event = sched_process_exec and args.filename = x", exit));
}

TEST_CASE("events meet only the rules indexed for them", "[rules][engine]") {
  auto set = compiled("- rule: a\n  condition: event in (open, openat)\n"
                      "  output: x\n  severity: low\n"
                      "- rule: b\n  condition: event = read\n"
                      "  output: x\n  severity: low\n"
                      "- rule: c\n  condition: event = openat or event = read\n"
                      "  output: x\n  severity: low\n"
                      "- rule: d\n  condition: event = read\n  enabled: false\n"
                      "  output: x\n  severity: low\n");
  const vigil::EventSchema &s = rules_schema();
  auto ids = [&](std::uint32_t nr) {
    std::vector<std::string> out;
    for (auto *r : set->rules_for(s.slot(vigil::Abi::x86_64, nr)))
      out.push_back(r->id);
    return out;
  };
  CHECK(ids(kOpenat) == std::vector<std::string>{"a", "c"});
  CHECK(ids(kOpen) == std::vector<std::string>{"a"});
  CHECK(ids(kRead) == std::vector<std::string>{"b", "c"});
  CHECK(ids(kPtrace).empty());
  // The i386 open (5) is the same event by name.
  CHECK(set->rules_for(s.slot(vigil::Abi::i386, 5)).size() == 1);
  CHECK(set->event_names(s) ==
        std::vector<std::string>{"open", "openat", "read"});
}

TEST_CASE("macros and lists expand where they are named", "[rules][engine]") {
  auto set = compiled("- list: secrets\n  items: [/etc/shadow, more]\n"
                      "- list: more\n  items: [/etc/gshadow]\n"
                      "- macro: opens\n  condition: event in (open, openat)\n"
                      "- rule: r\n  condition: opens and args.filename in "
                      "secrets\n  output: x\n  severity: high\n");
  CHECK(matching(*set, openat_of("/etc/shadow")).size() == 1);
  CHECK(matching(*set, openat_of("/etc/gshadow")).size() == 1);
  CHECK(matching(*set, openat_of("/etc/passwd")).empty());
}

TEST_CASE("exceptions suppress the entries they list", "[rules][engine]") {
  auto p = std::make_shared<ProcessInfo>();
  p->exe = "/usr/sbin/sshd";
  auto set = compiled("- rule: r\n  condition: event = openat\n"
                      "  output: x\n  severity: high\n"
                      "  exceptions:\n"
                      "    - name: by_exe_and_file\n"
                      "      fields: [process.exe, args.filename]\n"
                      "      comps: [=, startswith]\n"
                      "      values:\n"
                      "        - [/usr/sbin/sshd, /etc/ssh/]\n"
                      "    - name: by_comm\n"
                      "      fields: process.comm\n"
                      "      values: [passwd, login]\n");
  CHECK(
      matching(*set, openat_of("/etc/ssh/key", 3, "x"), {p, nullptr}).empty());
  CHECK(matching(*set, openat_of("/etc/shadow", 3, "x"), {p, nullptr}).size() ==
        1);
  CHECK(matching(*set, openat_of("/etc/ssh/key", 3, "x")).size() == 1);
  CHECK(matching(*set, openat_of("/etc/x", 3, "login")).empty());
  CHECK(matching(*set, openat_of("/etc/x", 3, "cat")).size() == 1);
}

TEST_CASE("a later file overrides, appends to and disables items",
          "[rules][engine]") {
  std::string base = "- list: users\n  items: [cat]\n"
                     "- macro: m\n  condition: event = openat\n"
                     "- rule: r\n  condition: m and process.comm in users\n"
                     "  output: x\n  severity: high\n"
                     "- rule: q\n  condition: event = openat\n"
                     "  output: x\n  severity: high\n";
  std::string extra = "- list: users\n  append: true\n  items: [vim]\n"
                      "- macro: m\n  append: true\n  condition: or event = "
                      "open\n"
                      "- rule: r\n  append: true\n  condition: and not "
                      "args.filename = /tmp/ok\n"
                      "- rule: q\n  enabled: false\n";
  vigil::rules::CompileResult r = vigil::rules::compile_rules(
      {{"a.yaml", base}, {"b.yaml", extra}}, rules_schema());
  INFO(r.diags.text());
  REQUIRE(r.rules);
  CHECK(r.diags.items().empty());
  CHECK(matching(*r.rules, openat_of("/etc/x", 3, "vim")) ==
        std::vector<std::string>{"r"});
  CHECK(matching(*r.rules, openat_of("/tmp/ok", 3, "vim")).empty());
  CHECK(matching(*r.rules, openat_of("/etc/x", 3, "ls")).empty());
  EventBuilder open(kOpen);
  open.comm("cat").ret(3).item(0, "/etc/x", VIGIL_ITEM_STRING);
  CHECK(matching(*r.rules, open) == std::vector<std::string>{"r"});
  CHECK(r.rules->enabled_count() == 1);
}

TEST_CASE("a detection line carries the rule, the message and the event",
          "[rules][engine]") {
  auto set = compiled("- rule: read_shadow\n  name: Shadow read\n"
                      "  condition: event = openat and args.filename = "
                      "/etc/shadow\n"
                      "  output: >\n    %process.comm opened %args.filename "
                      "(%{process.pid}, 100%% %process.exe).\n"
                      "  severity: high\n  tags: [T1003.008, creds]\n");
  vigil::WallClock clock;
  auto holder = std::make_shared<vigil::rules::RuleHolder>(set);
  vigil::rules::Detector d(rules_schema(), clock, holder, nullptr,
                           vigil::rules::DetectionFormat::kVigil);
  auto record = openat_of("/etc/shadow").record();
  auto ev = vigil::RawEvent::parse(record);
  std::string out;
  REQUIRE(d.detect(*ev, {}, out) == 1);
  auto j = nlohmann::json::parse(out);
  CHECK(j["rule"]["id"] == "read_shadow");
  CHECK(j["rule"]["name"] == "Shadow read");
  CHECK(j["severity"] == "high");
  CHECK(j["tags"] == nlohmann::json::array({"T1003.008", "creds"}));
  CHECK(j["output"] == "cat opened /etc/shadow (100, 100% <NA>).");
  CHECK(j["event"]["event"] == "openat");
  CHECK(j["event"]["args"]["filename"] == "/etc/shadow");
  CHECK(j["event"]["process"]["pid"] == 100);
  CHECK(j["time"] == j["event"]["time"]);
  CHECK_FALSE(j["hostname"].get<std::string>().empty());
  CHECK_FALSE(j.contains("suppressed"));

  std::string none;
  auto other = openat_of("/etc/passwd").record();
  CHECK(d.detect(*vigil::RawEvent::parse(other), {}, none) == 0);
  CHECK(none.empty());
}

TEST_CASE("the falco format has Falco's fields and priority names",
          "[rules][engine]") {
  auto set = compiled(one_rule("event = openat", "'%process.comm read "
                                                 "%args.filename'"));
  vigil::WallClock clock;
  vigil::rules::Detector d(rules_schema(), clock,
                           std::make_shared<vigil::rules::RuleHolder>(set),
                           nullptr, vigil::rules::DetectionFormat::kFalco);
  auto record = openat_of("/etc/x").record();
  std::string out;
  REQUIRE(d.detect(*vigil::RawEvent::parse(record), {}, out) == 1);
  auto j = nlohmann::json::parse(out);
  CHECK(j["rule"] == "r");
  CHECK(j["priority"] == "Error");
  CHECK(j["source"] == "syscall");
  CHECK(j["output_fields"]["process.comm"] == "cat");
  CHECK(j["output_fields"]["args.filename"] == "/etc/x");
  std::string text = j["output"];
  CHECK(text.ends_with(": Error cat read /etc/x"));
  CHECK(text.size() == 18 + std::string(": Error cat read /etc/x").size());
  CHECK(vigil::rules::falco_priority(vigil::rules::Severity::kInfo) ==
        "Informational");
  CHECK(vigil::rules::falco_priority(vigil::rules::Severity::kCritical) ==
        "Critical");
}

TEST_CASE("a swapped rule set is used from the next event on",
          "[rules][engine]") {
  vigil::WallClock clock;
  auto holder = std::make_shared<vigil::rules::RuleHolder>(
      compiled(one_rule("event = openat and args.filename = /a")));
  vigil::rules::Detector d(rules_schema(), clock, holder, nullptr,
                           vigil::rules::DetectionFormat::kVigil);
  auto a = openat_of("/a").record();
  auto b = openat_of("/b").record();
  std::string out;
  CHECK(d.detect(*vigil::RawEvent::parse(a), {}, out) == 1);
  holder->set(compiled(one_rule("event = openat and args.filename = /b")));
  CHECK(d.detect(*vigil::RawEvent::parse(a), {}, out) == 0);
  CHECK(d.detect(*vigil::RawEvent::parse(b), {}, out) == 1);
}

TEST_CASE("a long in list matches through its hash set", "[rules][engine]") {
  std::string values;
  for (int i = 0; i < 40; ++i)
    values += (i ? ", /etc/f" : "/etc/f") + std::to_string(i);
  std::string cond = "event = openat and args.filename in (" + values + ")";
  CHECK(fires(cond, openat_of("/etc/f0")));
  CHECK(fires(cond, openat_of("/etc/f39")));
  CHECK_FALSE(fires(cond, openat_of("/etc/f40")));
  CHECK(fires("event = openat and not args.filename in (" + values + ")",
              openat_of("/etc/f40")));
}

TEST_CASE("the field catalog lists the context fields", "[rules][engine]") {
  std::set<std::string> names;
  for (const auto &d : vigil::rules::field_catalog())
    names.insert(d.name);
  for (const char *f :
       {"event", "ret", "process.comm", "process.exe", "process.exe_memfd",
        "process.cmdline", "process.loginuid", "process.namespaces.net",
        "process.parent.exe", "process.ancestors.comm", "user.name",
        "group.name", "container.id", "container.image_id",
        "container.labels.KEY", "container.pod.qos"}) {
    CHECK(names.count(f) == 1);
  }
  auto openat = vigil::rules::event_arg_docs("openat", rules_schema());
  REQUIRE(openat.size() == 4);
  CHECK(openat[1].name == "args.filename");
  CHECK(openat[1].type == "string");
  auto exec =
      vigil::rules::event_arg_docs("sched_process_exec", rules_schema());
  REQUIRE(exec.size() == 2);
  CHECK(exec[0].name == "args.filename");
}

TEST_CASE("a rule on a process event cannot use syscall fields",
          "[rules][engine]") {
  auto r = compile_yaml(one_rule("event = sched_process_exec and ret = 0"));
  CHECK_FALSE(r.rules);
  CHECK_THAT(r.diags.text(),
             Catch::Contains("ret does not exist for sched_process_exec"));
}

TEST_CASE("the built-in rules compile without a problem", "[rules][engine]") {
  auto r = vigil::rules::compile_rules(vigil::rules::builtin_rule_files(),
                                       rules_schema());
  INFO(r.diags.text());
  REQUIRE(r.rules);
  CHECK(r.diags.items().empty());
  CHECK(r.rules->enabled_count() >= 3);
  EventBuilder ptrace(kPtrace);
  ptrace.arg(0, 0x10).arg(1, 4242).ret(0).comm("evil");
  CHECK(matching(*r.rules, ptrace) ==
        std::vector<std::string>{"ptrace_attach"});
  EventBuilder gdb(kPtrace);
  gdb.arg(0, 0x10).arg(1, 4242).ret(0).comm("gdb");
  CHECK(matching(*r.rules, gdb).empty());
  CHECK(matching(*r.rules, openat_of("/etc/shadow", 3, "cat")) ==
        std::vector<std::string>{"read_shadow"});
  CHECK(matching(*r.rules, openat_of("/etc/shadow", 3, "sshd")).empty());
}

TEST_CASE("rules are not tried on events no rule can name", "[rules][engine]") {
  // A rename or signal event has no syscall number: it must not be taken
  // for read, whose number is 0.
  auto set = compiled(one_rule("event = read"));
  vigil::WallClock clock;
  auto holder = std::make_shared<vigil::rules::RuleHolder>(set);
  vigil::rules::Detector d(rules_schema(), clock, holder, nullptr,
                           vigil::rules::DetectionFormat::kVigil);
  std::string out;
  auto read = EventBuilder(kRead).arg(0, 3).ret(0).record();
  CHECK(d.detect(*vigil::RawEvent::parse(read), {}, out) == 1);
  for (std::uint16_t kind :
       {VIGIL_EV_PROCESS_RENAME, VIGIL_EV_SIGNAL, VIGIL_EV_CGROUP_MKDIR}) {
    INFO("kind " << kind);
    out.clear();
    auto record = EventBuilder(0, kind).record();
    CHECK(d.detect(*vigil::RawEvent::parse(record), {}, out) == 0);
    CHECK(out.empty());
  }
}
