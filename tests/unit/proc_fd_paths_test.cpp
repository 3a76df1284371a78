#include "decode/proc_fd_paths.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "decode/event_schema.h"
#include "event_builder.h"

using vigil::EventSchema;
using vigil::ProcFdPaths;
using vigil::RawEvent;
using vigil::test::EventBuilder;

namespace {

constexpr int kAtFdcwd = -100;

// observe_chdir - what -y learns from a chdir(path) that returned ret.
void observe_chdir(ProcFdPaths &paths, std::uint32_t pid, std::string_view path,
                   std::int64_t ret = 0) {
  static const EventSchema schema;
  EventBuilder b(80); // x86_64 chdir
  b.pid(pid, pid).arg(0, 0x1000).ret(ret);
  b.item(0, path, VIGIL_ITEM_STRING);
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  paths.observe(*ev, schema.syscall(vigil::Abi::x86_64, 80));
}

} // namespace

TEST_CASE("trace -y follows the working directory through chdir and fork",
          "[decode]") {
  auto self = static_cast<std::uint32_t>(getpid());
  ProcFdPaths paths;
  paths.seed(self);
  CHECK(paths.path(self, kAtFdcwd) == std::filesystem::current_path());

  observe_chdir(paths, self, "/usr/share");
  CHECK(paths.path(self, kAtFdcwd) == "/usr/share");
  observe_chdir(paths, self, "../lib/./x86_64-linux-gnu/");
  CHECK(paths.path(self, kAtFdcwd) == "/usr/lib/x86_64-linux-gnu");
  observe_chdir(paths, self, "../../../../..");
  CHECK(paths.path(self, kAtFdcwd) == "/");
  // A failed chdir moves nothing.
  observe_chdir(paths, self, "/nonexistent", -2);
  CHECK(paths.path(self, kAtFdcwd) == "/");

  // A child starts where its parent is.
  paths.forked(self, 4000000);
  CHECK(paths.path(4000000, kAtFdcwd) == "/");
}
