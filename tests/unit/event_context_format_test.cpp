// The formatters' use of an EventContext: every process and container
// field, present when known and absent when not.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "event_builder.h"
#include "format/event_formatter.h"

using vigil::ContainerInfo;
using vigil::EventContext;
using vigil::OutputFormat;
using vigil::ProcessInfo;
using vigil::RawEvent;
using vigil::test::EventBuilder;

namespace {

const std::string kId =
    "c23b66794acaa2cad36d80b268e1db4bbfb160acf21d81cda4f0fad82321197e";

std::string format(const EventBuilder &b, const EventContext &ctx,
                   OutputFormat f = OutputFormat::kJson) {
  static const vigil::EventSchema schema;
  static const vigil::WallClock clock;
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  std::string out;
  vigil::make_formatter(f, schema, clock)->format(*ev, ctx, out);
  return out;
}

nlohmann::json to_json(const EventBuilder &b, const EventContext &ctx) {
  std::string line = format(b, ctx);
  REQUIRE(!line.empty());
  REQUIRE(line.find('\n') == line.size() - 1);
  return nlohmann::json::parse(line);
}

std::shared_ptr<const ProcessInfo> full_process() {
  auto p = std::make_shared<ProcessInfo>();
  p->pid = 100;
  p->ns_pid = 7;
  p->ppid = 1;
  p->comm = "ls";
  p->exe = "/usr/bin/ls";
  p->cmdline = {"ls", "-la", "/tmp/a b"};
  p->start_ns = 500'000'000;
  p->loginuid = 1000;
  p->ns = {4026532001u, 4026532002u, 4026532003u,
           4026532004u, 4026531837u, 4026531835u};
  p->ancestors = {{1, "init", "/sbin/init"}, {0, "", ""}};
  return p;
}

std::shared_ptr<const ContainerInfo> full_container() {
  auto c = std::make_shared<ContainerInfo>();
  c->id = kId;
  c->runtime = "docker";
  c->name = "web";
  c->image = "busybox";
  c->image_id = "sha256:ab";
  c->labels = {{"tier", "front"}};
  c->pod = {"web-7d9f", "shop", "0f3c", "burstable"};
  return c;
}

} // namespace

TEST_CASE("known process context is added to the process object",
          "[format][context]") {
  EventBuilder b(39); // getpid
  b.pid(100, 100).ret(100);
  EventContext ctx;
  ctx.process = full_process();
  nlohmann::json j = to_json(b, ctx);
  const auto &p = j["process"];
  CHECK(p["pid"] == 100); // the header's fields stay
  CHECK(p["comm"] == "ls");
  CHECK(p["exe"] == "/usr/bin/ls");
  CHECK(p["cmdline"] == "ls -la /tmp/a b");
  CHECK(p["ns_pid"] == 7);
  CHECK(p["ns_tid"] == 7);
  CHECK(p["loginuid"] == 1000);
  CHECK(p["namespaces"]["pid"] == 4026532001u);
  CHECK(p["namespaces"]["mnt"] == 4026532002u);
  CHECK(p["namespaces"]["net"] == 4026532003u);
  CHECK(p["namespaces"]["uts"] == 4026532004u);
  CHECK(p["namespaces"]["user"] == 4026531837u);
  CHECK(p["namespaces"]["cgroup"] == 4026531835u);
  CHECK(p["parent"] ==
        nlohmann::json::parse(R"({"pid":1,"comm":"init","exe":"/sbin/init"})"));
  REQUIRE(p["ancestors"].size() == 2);
  CHECK(p["ancestors"][1] == nlohmann::json::parse(R"({"pid":0})"));
  std::string start = p["start_time"];
  CHECK(start.size() == 30);
  CHECK(start.back() == 'Z');
  CHECK_FALSE(p.contains("exe_deleted"));
  CHECK_FALSE(p.contains("exe_memfd"));
  CHECK_FALSE(p.contains("args"));
  CHECK_FALSE(j.contains("container"));
  CHECK_FALSE(j.contains("user"));
}

TEST_CASE("unknown context adds no field", "[format][context]") {
  EventBuilder b(39);
  b.ret(100);
  nlohmann::json j = to_json(b, EventContext{});
  for (const char *key : {"exe", "cmdline", "start_time", "ns_pid", "ns_tid",
                          "loginuid", "namespaces", "parent", "ancestors"}) {
    INFO(key);
    CHECK_FALSE(j["process"].contains(key));
  }
  CHECK_FALSE(j.contains("user"));
  CHECK_FALSE(j.contains("group"));
  CHECK_FALSE(j.contains("container"));
}

TEST_CASE("deleted and memfd binaries and cut command lines are flagged",
          "[format][context]") {
  EventBuilder b(39);
  b.ret(1);
  auto p = std::make_shared<ProcessInfo>(*full_process());
  p->exe = "memfd:x";
  p->exe_memfd = true;
  p->exe_deleted = true;
  p->cmdline_truncated = true;
  p->loginuid = 0xffffffff;
  EventContext ctx;
  ctx.process = p;
  nlohmann::json j = to_json(b, ctx);
  CHECK(j["process"]["exe_memfd"] == true);
  CHECK(j["process"]["exe_deleted"] == true);
  CHECK(j["process"]["cmdline_truncated"] == true);
  CHECK_FALSE(j["process"].contains("loginuid")); // unset
}

TEST_CASE("a thread's namespaced tid is shown only when it is known",
          "[format][context]") {
  EventBuilder b(39);
  b.pid(100, 101).ret(1);
  EventContext ctx;
  ctx.process = full_process(); // ns_pid 7 in another namespace
  CHECK_FALSE(to_json(b, ctx)["process"].contains("ns_tid"));
  auto host = std::make_shared<ProcessInfo>(*full_process());
  host->ns_pid = 100; // the host's own namespace
  ctx.process = host;
  CHECK(to_json(b, ctx)["process"]["ns_tid"] == 101);
}

TEST_CASE("a parent that is not the header's ppid is not shown as parent",
          "[format][context]") {
  EventBuilder b(39);
  b.ppid(55).ret(1);
  EventContext ctx;
  ctx.process = full_process();
  nlohmann::json j = to_json(b, ctx);
  CHECK_FALSE(j["process"].contains("parent"));
  CHECK(j["process"]["ancestors"].size() == 2);
}

TEST_CASE("user, group and container are top-level objects",
          "[format][context]") {
  EventBuilder b(39);
  b.ret(1);
  EventContext ctx;
  ctx.user = "alice";
  ctx.group = "staff";
  ctx.container = full_container();
  nlohmann::json j = to_json(b, ctx);
  CHECK(j["user"] == nlohmann::json::parse(R"({"name":"alice"})"));
  CHECK(j["group"] == nlohmann::json::parse(R"({"name":"staff"})"));
  CHECK(j["container"] == nlohmann::json::parse(R"({
    "id": ")" + kId + R"(", "runtime": "docker", "name": "web",
    "image": "busybox", "image_id": "sha256:ab", "labels": {"tier": "front"},
    "pod": {"name": "web-7d9f", "namespace": "shop", "uid": "0f3c",
            "qos": "burstable"}})"));

  auto bare = std::make_shared<ContainerInfo>();
  bare->id = kId;
  bare->runtime = "cri-o";
  bare->pod.qos = "besteffort";
  ctx.container = bare;
  CHECK(to_json(b, ctx)["container"] == nlohmann::json::parse(R"({
    "id": ")" + kId + R"(", "runtime": "cri-o",
    "pod": {"qos": "besteffort"}})"));
}

TEST_CASE("a container's own cgroup records are container events",
          "[format][context]") {
  EventBuilder mk(0, VIGIL_EV_CGROUP_MKDIR);
  mk.arg(0, 5000).item(0, "/docker/" + kId, VIGIL_ITEM_STRING);
  EventContext ctx;
  ctx.container = full_container();
  nlohmann::json j = to_json(mk, ctx);
  CHECK(j["event"] == "container_create");
  CHECK(j["container"]["id"] == kId);
  CHECK(j["args"]["cgroup_id"] == 5000);
  CHECK(j["args"]["path"] == "/docker/" + kId);

  EventBuilder rm(0, VIGIL_EV_CGROUP_RMDIR);
  rm.arg(0, 5000).item(0, "/docker/" + kId, VIGIL_ITEM_STRING);
  CHECK(to_json(rm, ctx)["event"] == "container_remove");

  std::string text = format(mk, ctx, OutputFormat::kText);
  CHECK(text.find(" container_create docker c23b66794aca name=web "
                  "image=busybox\n") != std::string::npos);

  // Any other cgroup is no line at all.
  CHECK(format(mk, EventContext{}).empty());
  CHECK(format(rm, EventContext{}, OutputFormat::kText).empty());
  CHECK(format(mk, ctx, OutputFormat::kStrace).empty());
}

TEST_CASE("a rename record names the new comm", "[format][context]") {
  EventBuilder b(0, VIGIL_EV_PROCESS_RENAME);
  b.pid(100, 101).arg(0, 100).arg(1, 101);
  b.item(0, "worker-1", VIGIL_ITEM_STRING);
  nlohmann::json j = to_json(b, EventContext{});
  CHECK(j["event"] == "task_rename");
  CHECK(j["args"]["pid"] == 100);
  CHECK(j["args"]["tid"] == 101);
  CHECK(j["args"]["comm"] == "worker-1");
}

TEST_CASE("the text format shows the container's name or short id",
          "[format][context]") {
  EventBuilder b(39);
  b.ret(1);
  EventContext ctx;
  ctx.container = full_container();
  CHECK(format(b, ctx, OutputFormat::kText).find("ls[100/101] @web getpid") !=
        std::string::npos);
  auto bare = std::make_shared<ContainerInfo>(*full_container());
  bare->name.clear();
  ctx.container = bare;
  CHECK(format(b, ctx, OutputFormat::kText)
            .find("ls[100/101] @c23b66794aca getpid") != std::string::npos);
}
