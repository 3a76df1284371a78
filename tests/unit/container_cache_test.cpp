#include "context/container_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "event_builder.h"

using vigil::ContainerCache;
using vigil::ContainerSettings;
using vigil::RawEvent;
using vigil::test::EventBuilder;

namespace {

const std::string kId =
    "c23b66794acaa2cad36d80b268e1db4bbfb160acf21d81cda4f0fad82321197e";
const std::string kId2 =
    "b4b975854200973eee5f4a0f981ddff3703bdd10c78acdbb5037b5b41adb1282";
constexpr std::uint64_t kSec = 1'000'000'000;

// FakeCgroupRoot - a directory tree standing in for the cgroup2 mount:
// its directories' inode numbers are their ids, as on the real one.
class FakeCgroupRoot {
public:
  FakeCgroupRoot() {
    char tmpl[] = "/tmp/vigil-cgroup-XXXXXX";
    root_ = mkdtemp(tmpl);
  }
  ~FakeCgroupRoot() { std::filesystem::remove_all(root_); }
  std::uint64_t mkdir(const std::string &rel) {
    std::filesystem::create_directories(root_ + rel);
    struct stat st {};
    REQUIRE(::stat((root_ + rel).c_str(), &st) == 0);
    return st.st_ino;
  }
  void write(const std::string &rel, const std::string &text) {
    auto p = std::filesystem::path(root_ + rel);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  const std::string &root() const { return root_; }

private:
  std::string root_;
};

ContainerSettings settings_for(const FakeCgroupRoot &cg,
                               const FakeCgroupRoot &state) {
  ContainerSettings s;
  s.cgroup_root = cg.root();
  s.runtime.docker_socket = state.root() + "/absent.sock";
  s.runtime.docker_root = state.root() + "/docker";
  s.runtime.podman_root = state.root() + "/podman";
  s.resolve_attempts = 2;
  return s;
}

std::shared_ptr<const vigil::ContainerInfo> apply(ContainerCache &c,
                                                  const EventBuilder &b) {
  auto record = b.record();
  auto ev = RawEvent::parse(record);
  REQUIRE(ev);
  return c.on_record(*ev);
}

EventBuilder cgroup_event(std::uint16_t kind, std::uint64_t id,
                          const std::string &path, std::uint64_t ts) {
  EventBuilder b(0, kind);
  b.ts(ts).arg(0, id).item(0, path, VIGIL_ITEM_STRING);
  return b;
}

} // namespace

TEST_CASE("the cgroup2 mount is found in mountinfo, wherever it is",
          "[container_cache]") {
  std::string hybrid =
      "25 30 0:22 / /sys rw,nosuid - sysfs sysfs rw\n"
      "40 31 0:37 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  CHECK(vigil::find_cgroup2_mount(hybrid) == "/sys/fs/cgroup/unified");
  std::string pure = "33 24 0:28 / /sys/fs/cgroup rw,nosuid shared:9 - "
                     "cgroup2 cgroup2 rw,nsdelegate\n";
  CHECK(vigil::find_cgroup2_mount(pure) == "/sys/fs/cgroup");
  CHECK(vigil::find_cgroup2_mount("41 31 0:38 / /my\\040cg rw - cgroup2 x "
                                  "rw\n") == "/my cg");
  // A sub-tree bind mount is not the hierarchy's root.
  CHECK(vigil::find_cgroup2_mount("41 31 0:38 /sub /mnt rw - cgroup2 x rw\n")
            .empty());
  CHECK(vigil::find_cgroup2_mount("40 31 0:37 / /sys/fs/cgroup/cpu rw - "
                                  "cgroup cgroup rw\n")
            .empty());
}

TEST_CASE("a walk maps every cgroup id to its path", "[container_cache]") {
  FakeCgroupRoot cg;
  std::uint64_t docker = cg.mkdir("/docker/" + kId);
  std::uint64_t user = cg.mkdir("/user.slice");
  vigil::CgroupMap map;
  CHECK(map.walk(cg.root()) == 4);
  CHECK(map.path(docker) == "/docker/" + kId);
  CHECK(map.path(user) == "/user.slice");
  struct stat st {};
  REQUIRE(::stat(cg.root().c_str(), &st) == 0);
  CHECK(map.path(st.st_ino) == "/");
}

TEST_CASE("a walked docker cgroup gives its container, then its metadata",
          "[container_cache]") {
  FakeCgroupRoot cg, state;
  std::uint64_t id = cg.mkdir("/docker/" + kId);
  std::uint64_t child = cg.mkdir("/docker/" + kId + "/init.scope");
  std::uint64_t plain = cg.mkdir("/user.slice");
  state.write("/docker/containers/" + kId + "/config.v2.json",
              R"({"Name":"/web","Image":"sha256:ab",
                  "Config":{"Image":"busybox","Labels":{"a":"b"}}})");
  ContainerCache cache(settings_for(cg, state));
  cache.start();

  auto c = cache.lookup(id, 1);
  REQUIRE(c);
  CHECK(c->id == kId);
  CHECK(c->runtime == "docker");
  CHECK(c->name.empty()); // not asked yet
  CHECK_FALSE(cache.lookup(plain, 1));
  CHECK(cache.lookup(child, 1) == c); // one container, one snapshot

  cache.resolve_pending(kSec);
  auto resolved = cache.lookup(id, 1);
  REQUIRE(resolved);
  CHECK(resolved->name == "web");
  CHECK(resolved->image == "busybox");
  CHECK(resolved->image_id == "sha256:ab");
  CHECK(resolved->labels.at("a") == "b");
  CHECK(cache.lookup(child, 1)->name == "web");
  CHECK(c->name.empty()); // the old snapshot never changes
  CHECK(cache.stats().resolved == 1);
}

TEST_CASE("mkdir and rmdir records add and remove containers",
          "[container_cache]") {
  FakeCgroupRoot cg, state;
  ContainerCache cache(settings_for(cg, state));
  cache.start();

  auto created =
      apply(cache, cgroup_event(VIGIL_EV_CGROUP_MKDIR, 5000,
                                "/libpod_parent/libpod-" + kId2, 1 * kSec));
  REQUIRE(created);
  CHECK(created->runtime == "podman");
  CHECK(created->id == kId2);
  // A child cgroup of the container is no container event of its own.
  CHECK_FALSE(apply(
      cache, cgroup_event(VIGIL_EV_CGROUP_MKDIR, 5001,
                          "/libpod_parent/libpod-" + kId2 + "/sub", 1 * kSec)));
  CHECK_FALSE(apply(cache, cgroup_event(VIGIL_EV_CGROUP_MKDIR, 5002,
                                        "/user.slice/x", 1 * kSec)));
  CHECK(cache.lookup(5001, 1)->id == kId2);

  auto removed =
      apply(cache, cgroup_event(VIGIL_EV_CGROUP_RMDIR, 5000,
                                "/libpod_parent/libpod-" + kId2, 2 * kSec));
  REQUIRE(removed);
  CHECK(removed->id == kId2);
  apply(cache,
        cgroup_event(VIGIL_EV_CGROUP_RMDIR, 5001,
                     "/libpod_parent/libpod-" + kId2 + "/sub", 2 * kSec));
  // Still there for events in flight, gone after the grace period.
  CHECK(cache.lookup(5000, 1));
  cache.sweep(3 * kSec);
  CHECK(cache.stats().containers == 1);
  cache.sweep(10 * kSec);
  CHECK(cache.stats().containers == 0);
  CHECK(cache.stats().cgroups == 1); // /user.slice/x stays
}

TEST_CASE("podman metadata is read from its storage", "[container_cache]") {
  FakeCgroupRoot cg, state;
  state.write("/podman/overlay-containers/containers.json",
              R"([{"id":")" + kId2 + R"(","names":["vt-pod1"],"image":"08",
                  "metadata":"{\"image-name\":\"localhost/x:latest\"}"}])");
  ContainerCache cache(settings_for(cg, state));
  cache.start();
  apply(cache, cgroup_event(VIGIL_EV_CGROUP_MKDIR, 6000,
                            "/libpod_parent/libpod-" + kId2, kSec));
  cache.resolve_pending(kSec);
  auto c = cache.lookup(6000, 1);
  REQUIRE(c);
  CHECK(c->name == "vt-pod1");
  CHECK(c->image == "localhost/x:latest");
}

TEST_CASE("a runtime without an answer is asked a bounded number of times",
          "[container_cache]") {
  FakeCgroupRoot cg, state;
  ContainerCache cache(settings_for(cg, state));
  cache.start();
  apply(cache,
        cgroup_event(VIGIL_EV_CGROUP_MKDIR, 7000, "/docker/" + kId, kSec));
  cache.resolve_pending(kSec);
  CHECK(cache.stats().unresolved == 0);
  cache.resolve_pending(kSec + kSec / 2); // the retry is not due yet
  CHECK(cache.stats().unresolved == 0);
  cache.resolve_pending(3 * kSec);
  CHECK(cache.stats().unresolved == 1);
  auto c = cache.lookup(7000, 1);
  REQUIRE(c);
  CHECK(c->id == kId);
  CHECK(c->name.empty());
}

TEST_CASE("kubepods cgroups carry the pod uid and QoS", "[container_cache]") {
  FakeCgroupRoot cg, state;
  std::uint64_t id = cg.mkdir(
      "/kubepods/burstable/pod0f3c8d5e-7b7a-4c1e-9d52-3b1e6f0a9c11/" + kId);
  ContainerCache cache(settings_for(cg, state));
  cache.start();
  auto c = cache.lookup(id, 1);
  REQUIRE(c);
  CHECK(c->pod.uid == "0f3c8d5e-7b7a-4c1e-9d52-3b1e6f0a9c11");
  CHECK(c->pod.qos == "burstable");
}

TEST_CASE("without a cgroup2 mount containers come from /proc/PID/cgroup",
          "[container_cache]") {
  FakeCgroupRoot state, proc;
  proc.write("/42/cgroup", "4:memory:/docker/" + kId + "\n0::/\n");
  proc.write("/43/cgroup", "4:memory:/user.slice\n0::/\n");
  state.write("/mountinfo", "25 30 0:22 / /sys rw - sysfs sysfs rw\n");
  ContainerSettings s;
  s.mountinfo = state.root() + "/mountinfo";
  s.proc_root = proc.root();
  s.runtime.docker_socket = state.root() + "/absent.sock";
  ContainerCache cache(s);
  cache.start();
  CHECK_FALSE(cache.stats().cgroup_v2);
  auto c = cache.lookup(1, 42);
  REQUIRE(c);
  CHECK(c->id == kId);
  CHECK_FALSE(cache.lookup(1, 43));
  CHECK_FALSE(cache.lookup(1, 44));
}

TEST_CASE("this machine's own cgroup2 mount is walked", "[container_cache]") {
  ContainerCache cache;
  cache.start();
  if (!cache.stats().cgroup_v2)
    return; // no cgroup2 mount on this machine
  CHECK(cache.cgroups().size() >= 1);
  CHECK(cache.cgroups().path(1) == "/");
}

TEST_CASE("a cgroup made after the walk is named by a rescan",
          "[container_cache]") {
  FakeCgroupRoot cg, state;
  ContainerCache cache(settings_for(cg, state));
  cache.start();
  std::uint64_t id = cg.mkdir("/docker/" + kId);
  CHECK_FALSE(cache.lookup(id, 1));
  CHECK(cache.stats().unmapped == 1);
  cache.rescan_unmapped(10 * kSec);
  auto c = cache.lookup(id, 1);
  REQUIRE(c);
  CHECK(c->id == kId);
  // Rescans are rate bounded.
  std::uint64_t later = cg.mkdir("/docker/" + std::string(64, 'e'));
  CHECK_FALSE(cache.lookup(later, 1));
  cache.rescan_unmapped(10 * kSec + kSec / 2);
  CHECK_FALSE(cache.lookup(later, 1));
  cache.rescan_unmapped(12 * kSec);
  CHECK(cache.lookup(later, 1));
}

TEST_CASE("an unmapped cgroup is named from the process's cgroup file",
          "[container_cache]") {
  FakeCgroupRoot cg, state, proc;
  ContainerSettings s = settings_for(cg, state);
  s.proc_root = proc.root();
  ContainerCache cache(s);
  cache.start();
  std::uint64_t id = cg.mkdir("/docker/" + kId);
  proc.write("/42/cgroup",
             "4:memory:/docker/" + kId + "\n0::/docker/" + kId + "\n");
  // A process that moved on: the path's inode is not the record's id.
  proc.write("/43/cgroup", "0::/docker/" + kId + "\n");
  CHECK_FALSE(cache.lookup(id + 1000000, 43));
  auto c = cache.lookup(id, 42);
  REQUIRE(c);
  CHECK(c->id == kId);
  CHECK(cache.cgroups().path(id) == "/docker/" + kId);
}
