#include "context/cgroup_path.h"

#include <catch2/catch.hpp>

using vigil::container_path_from_proc_cgroup;
using vigil::parse_container_cgroup;

namespace {

const std::string kId =
    "c23b66794acaa2cad36d80b268e1db4bbfb160acf21d81cda4f0fad82321197e";
const std::string kId2 =
    "b4b975854200973eee5f4a0f981ddff3703bdd10c78acdbb5037b5b41adb1282";

struct Expect {
  std::string runtime, id, pod_uid, qos;
  bool nested = false;
};

void check(const std::string &path, const Expect &want) {
  INFO(path);
  auto c = parse_container_cgroup(path);
  REQUIRE(c);
  CHECK(c->runtime == want.runtime);
  CHECK(c->id == want.id);
  CHECK(c->pod_uid == want.pod_uid);
  CHECK(c->qos == want.qos);
  CHECK(c->nested == want.nested);
}

} // namespace

TEST_CASE("docker's cgroupfs and systemd paths name a docker container",
          "[cgroup_path]") {
  check("/docker/" + kId, {"docker", kId});
  check("/system.slice/docker-" + kId + ".scope", {"docker", kId});
}

TEST_CASE("containerd's paths name a containerd container", "[cgroup_path]") {
  check("/system.slice/cri-containerd-" + kId + ".scope", {"containerd", kId});
  check("/kubepods-besteffort-pod1234_ab.slice:cri-containerd:" + kId,
        {"containerd", kId});
  check("/default/" + kId, {"containerd", kId});
  check("/k8s.io/" + kId, {"containerd", kId});
}

TEST_CASE("cri-o's container is named, its conmon is not", "[cgroup_path]") {
  check("/machine.slice/crio-" + kId + ".scope", {"cri-o", kId});
  check("/crio-" + kId, {"cri-o", kId});
  CHECK_FALSE(
      parse_container_cgroup("/machine.slice/crio-conmon-" + kId + ".scope"));
}

TEST_CASE("podman's containers are named under every parent, conmon is not",
          "[cgroup_path]") {
  check("/libpod_parent/libpod-" + kId2, {"podman", kId2});
  check("/machine.slice/libpod-" + kId2 + ".scope", {"podman", kId2});
  check("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" +
            kId2 + ".scope",
        {"podman", kId2});
  check("/machine.slice/libpod-" + kId2 + ".scope/container",
        {"podman", kId2, "", "", true});
  CHECK_FALSE(parse_container_cgroup("/libpod_parent/libpod-conmon-" + kId2));
  CHECK_FALSE(parse_container_cgroup("/machine.slice/libpod-conmon-" + kId2 +
                                     ".scope"));
}

TEST_CASE("kubepods paths give the pod uid and QoS class", "[cgroup_path]") {
  const std::string uid = "0f3c8d5e-7b7a-4c1e-9d52-3b1e6f0a9c11";
  const std::string uid_ = "0f3c8d5e_7b7a_4c1e_9d52_3b1e6f0a9c11";
  check("/kubepods/burstable/pod" + uid + "/" + kId,
        {"containerd", kId, uid, "burstable"});
  check("/kubepods/besteffort/pod" + uid + "/" + kId,
        {"containerd", kId, uid, "besteffort"});
  check("/kubepods/pod" + uid + "/" + kId,
        {"containerd", kId, uid, "guaranteed"});
  check("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" +
            uid_ + ".slice/cri-containerd-" + kId + ".scope",
        {"containerd", kId, uid, "besteffort"});
  check("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" +
            uid_ + ".slice/crio-" + kId + ".scope",
        {"cri-o", kId, uid, "burstable"});
  check("/kubepods.slice/kubepods-pod" + uid_ + ".slice/docker-" + kId +
            ".scope",
        {"docker", kId, uid, "guaranteed"});
}

TEST_CASE("a cgroup below a container belongs to that container",
          "[cgroup_path]") {
  check("/docker/" + kId + "/init.scope", {"docker", kId, "", "", true});
  check("/system.slice/docker-" + kId + ".scope/a/b",
        {"docker", kId, "", "", true});
}

TEST_CASE("a container inside a container is the innermost", "[cgroup_path]") {
  check("/docker/" + kId + "/docker/" + kId2, {"docker", kId2});
}

TEST_CASE("paths outside containers name none", "[cgroup_path]") {
  for (const char *p :
       {"/", "", "/user.slice/user-1000.slice/session-3.scope",
        "/system.slice/docker.service", "/docker", "/docker/abc",
        "/kubepods/burstable", "/kubepods.slice/kubepods-burstable.slice",
        "/system.slice/docker-notanid.scope"}) {
    INFO(p);
    CHECK_FALSE(parse_container_cgroup(p));
  }
  // A bare id needs a parent naming its runtime or namespace.
  CHECK_FALSE(parse_container_cgroup("/" + kId));
  // Upper case is not how any runtime writes an id.
  std::string upper = kId;
  upper[0] = 'C';
  CHECK_FALSE(parse_container_cgroup("/docker/" + upper));
}

TEST_CASE("a v1 cgroup file gives the first container path", "[cgroup_path]") {
  std::string text = "12:pids:/user.slice\n"
                     "4:memory:/docker/" +
                     kId +
                     "\n"
                     "0::/\n";
  CHECK(container_path_from_proc_cgroup(text) == "/docker/" + kId);
  CHECK(container_path_from_proc_cgroup("0::/init.scope\n").empty());
  CHECK(container_path_from_proc_cgroup("garbage").empty());
}
