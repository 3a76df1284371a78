#include "context/container_metadata.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

using vigil::ContainerInfo;
using vigil::RuntimeSettings;

namespace {

const std::string kId =
    "c23b66794acaa2cad36d80b268e1db4bbfb160acf21d81cda4f0fad82321197e";

// Docker's /containers/ID/json and config.v2.json, cut to what matters.
const std::string kDockerJson = R"({
  "ID": ")" + kId + R"(",
  "Name": "/web-1",
  "Image": "sha256:dc3f974487bf0000000000000000000000000000000000000000000000000000",
  "Config": {
    "Image": "vigil-test-busybox",
    "Labels": {
      "io.kubernetes.pod.name": "web-7d9f",
      "io.kubernetes.pod.namespace": "shop",
      "io.kubernetes.pod.uid": "0f3c8d5e-7b7a-4c1e-9d52-3b1e6f0a9c11",
      "tier": "front"
    }
  }
})";

class TempDir {
public:
  TempDir() {
    char tmpl[] = "/tmp/vigil-meta-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string &path() const { return path_; }
  void write(const std::string &rel, const std::string &text) const {
    auto p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }

private:
  std::string path_;
};

// FakeDockerd - a real HTTP server on a unix socket, in python3: answers
// GET /containers/<kId>/json with kDockerJson and 404 otherwise.
class FakeDockerd {
public:
  explicit FakeDockerd(const std::string &socket) : socket_(socket) {
    std::string script = R"(
import http.server, socketserver, sys
body = open(sys.argv[2], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == '/containers/' + sys.argv[3] + '/json':
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)
    def log_message(self, *a):
        pass
    def address_string(self):
        return 'unix'
class S(socketserver.UnixStreamServer):
    pass
S(sys.argv[1], H).serve_forever()
)";
    dir_.write("reply.json", kDockerJson);
    dir_.write("server.py", script);
    std::string py = dir_.path() + "/server.py";
    std::string reply = dir_.path() + "/reply.json";
    pid_ = fork();
    if (pid_ == 0) {
      execlp("python3", "python3", py.c_str(), socket_.c_str(), reply.c_str(),
             kId.c_str(), nullptr);
      _exit(127);
    }
    // The socket file appears at bind, before the server listens: wait
    // until a connection is taken.
    for (int i = 0; i < 200 && !accepts(socket_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~FakeDockerd() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }

private:
  static bool accepts(const std::string &path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
    bool ok =
        connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0;
    close(fd);
    return ok;
  }

  TempDir dir_;
  std::string socket_;
  pid_t pid_ = -1;
};

} // namespace

TEST_CASE("docker's container JSON gives name, image and labels",
          "[container_metadata]") {
  auto meta = vigil::parse_docker_container(kDockerJson);
  REQUIRE(meta);
  CHECK(meta->name == "web-1"); // without Docker's leading slash
  CHECK(meta->image == "vigil-test-busybox");
  CHECK(meta->image_id.starts_with("sha256:dc3f974487bf"));
  CHECK(meta->labels.size() == 4);
  CHECK(meta->labels.at("tier") == "front");

  ContainerInfo info;
  vigil::apply_meta(*meta, info);
  CHECK(info.pod.name == "web-7d9f");
  CHECK(info.pod.ns == "shop");
  CHECK(info.pod.uid == "0f3c8d5e-7b7a-4c1e-9d52-3b1e6f0a9c11");
  CHECK(info.name == "web-1");
}

TEST_CASE("bad runtime JSON is no answer, not a crash",
          "[container_metadata]") {
  CHECK_FALSE(vigil::parse_docker_container("{not json"));
  CHECK_FALSE(vigil::parse_docker_container("[1,2]"));
  auto odd = vigil::parse_docker_container(R"({"Name":7,"Config":"x"})");
  REQUIRE(odd);
  CHECK(odd->name.empty());
  CHECK_FALSE(vigil::parse_podman_containers("{}", kId));
  CHECK_FALSE(vigil::parse_podman_containers("nope", kId));
}

TEST_CASE("podman's containers.json gives name and image",
          "[container_metadata]") {
  std::string text = R"([{"id":"other","names":["x"]},
    {"id":")" + kId + R"(","names":["vt-pod1"],
     "image":"088a2970b427316135f2cda805e2f6448b1d082d9853827fcc11e3e602ce1998",
     "metadata":"{\"image-name\":\"localhost/vigil-test-busybox:latest\",\"name\":\"vt-pod1\"}"}])";
  auto meta = vigil::parse_podman_containers(text, kId);
  REQUIRE(meta);
  CHECK(meta->name == "vt-pod1");
  CHECK(meta->image == "localhost/vigil-test-busybox:latest");
  CHECK(meta->image_id.starts_with("088a2970b427"));
  CHECK_FALSE(vigil::parse_podman_containers(text, "missing"));
}

TEST_CASE("docker is asked over its API socket", "[container_metadata]") {
  TempDir dir;
  RuntimeSettings s;
  s.docker_socket = dir.path() + "/docker.sock";
  s.docker_root = dir.path() + "/no-root";
  FakeDockerd dockerd(s.docker_socket);

  auto meta = vigil::resolve_container(s, "docker", kId);
  REQUIRE(meta);
  CHECK(meta->name == "web-1");
  CHECK(meta->labels.at("tier") == "front");
  CHECK_FALSE(vigil::docker_api_get(s, "/containers/unknown/json"));
}

TEST_CASE("docker's state file answers when its API does not",
          "[container_metadata]") {
  TempDir dir;
  RuntimeSettings s;
  s.docker_socket = dir.path() + "/absent.sock";
  s.docker_root = dir.path();
  dir.write("containers/" + kId + "/config.v2.json", kDockerJson);
  auto meta = vigil::resolve_container(s, "docker", kId);
  REQUIRE(meta);
  CHECK(meta->image == "vigil-test-busybox");
  CHECK_FALSE(vigil::resolve_container(s, "docker", std::string(64, 'a')));
}

TEST_CASE("an id that could leave the data root is not looked up",
          "[container_metadata]") {
  TempDir dir;
  RuntimeSettings s;
  s.docker_socket = dir.path() + "/absent.sock";
  s.docker_root = dir.path();
  dir.write("x/config.v2.json", kDockerJson);
  CHECK_FALSE(vigil::resolve_container(s, "docker", "../x"));
  CHECK_FALSE(vigil::resolve_container(s, "containerd", kId));
}
