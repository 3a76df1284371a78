#include "context/enricher.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "event_builder.h"

using vigil::Enricher;
using vigil::EnricherSettings;
using vigil::RawEvent;
using vigil::test::EventBuilder;

namespace {

using namespace std::string_literals;

const std::string kId =
    "c23b66794acaa2cad36d80b268e1db4bbfb160acf21d81cda4f0fad82321197e";

vigil::EventContext context(Enricher &e, const EventBuilder &b) {
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  return e.context_for(*ev);
}

EnricherSettings offline() {
  EnricherSettings s;
  s.process.proc_root = "/nonexistent-proc";
  s.container.cgroup_root = "/nonexistent-cgroup";
  s.container.runtime.docker_socket = "/nonexistent.sock";
  s.container.runtime.docker_root = "/nonexistent";
  return s;
}

} // namespace

TEST_CASE("an exec's own event shows the new image", "[enricher]") {
  Enricher e(offline());
  e.start();
  EventBuilder exec(0, VIGIL_EV_PROCESS_EXEC);
  exec.pid(900, 900).ppid(1).ts(10).ids(0, 0);
  exec.item(1, "/usr/bin/id", VIGIL_ITEM_STRING);
  exec.item(2, "id\0-u"s, VIGIL_ITEM_ARGV);
  auto ctx = context(e, exec);
  REQUIRE(ctx.process);
  CHECK(ctx.process->exe == "/usr/bin/id");
  CHECK(ctx.user == "root");
  CHECK(ctx.group == "root");
}

TEST_CASE("records of a container's cgroup carry the container", "[enricher]") {
  Enricher e(offline());
  e.start();
  EventBuilder mk(0, VIGIL_EV_CGROUP_MKDIR);
  mk.ts(10).arg(0, 4242).item(0, "/docker/" + kId, VIGIL_ITEM_STRING);
  auto created = context(e, mk);
  REQUIRE(created.container);
  CHECK(created.container->id == kId);

  EventBuilder call(39);
  call.cgroup(4242).ts(20);
  auto ctx = context(e, call);
  REQUIRE(ctx.container);
  CHECK(ctx.container->id == kId);
  CHECK(ctx.container->runtime == "docker");

  call.cgroup(1);
  CHECK_FALSE(context(e, call).container);
}
