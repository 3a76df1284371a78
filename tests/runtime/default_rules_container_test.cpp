// default_rules_container_test.cpp - the built-in container rules on real
// podman containers of the image vigil-test-busybox (made by
// tests/containers/setup.sh), and the benign workload that must fire
// no built-in rule at all.
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime_test.h"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// shell - runs a command with /bin/sh; its exit status and standard
// output.
std::pair<int, std::string> shell(const std::string &command) {
  std::string out;
  FILE *p = popen(command.c_str(), "r");
  if (!p)
    return {-1, out};
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p))
    out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// containers_skip_reason - why podman containers cannot run here.
std::optional<std::string> containers_skip_reason() {
  static const std::optional<std::string> reason =
      []() -> std::optional<std::string> {
    auto [rc, out] = shell(std::string(VIGIL_CONTAINERS_DIR) +
                           "/setup.sh >/dev/null 2>&1; echo $?");
    if (out.rfind("0", 0) != 0)
      return "tests/containers/setup.sh could not prepare containers (exit " +
             out + ")";
    return std::nullopt;
  }();
  return reason;
}

// podman_run - runs a new busybox container with podman and waits for
// it; its full id, empty when it failed. command follows the image.
std::string podman_run(const std::string &options, const std::string &command) {
  std::string conf = std::string(VIGIL_CONTAINERS_DIR) + "/containers.conf";
  auto [rc, out] =
      shell("CONTAINERS_CONF=" + conf + " podman run -d --network=none " +
            options + " vigil-test-busybox " + command + " 2>/dev/null");
  if (rc != 0 || out.size() < 64)
    return "";
  std::string id = out.substr(0, 64);
  shell("CONTAINERS_CONF=" + conf + " podman wait " + id +
        " >/dev/null 2>&1; CONTAINERS_CONF=" + conf + " podman rm -f " + id +
        " >/dev/null 2>&1");
  return id;
}

// podman - script run by the container's shell, with seccomp off so that
// the calls a default profile refuses reach the kernel.
std::string podman(const std::string &script) {
  return podman_run("--security-opt seccomp=unconfined",
                    "sh -c '" + script + "'");
}

// podman_plain - the container's command is argv itself, no shell.
std::string podman_plain(const std::string &args) {
  return podman_run("", args);
}

#define VIGIL_SKIP_UNLESS_CONTAINERS()                                         \
  do {                                                                         \
    VIGIL_SKIP_UNLESS_RUNTIME();                                               \
    if (auto why = containers_skip_reason()) {                                 \
      WARN("skipped: " << *why);                                               \
      return;                                                                  \
    }                                                                          \
  } while (0)

std::vector<Json> detections_in(const OutputLines &lines,
                                const std::string &rule,
                                const std::string &container_id) {
  std::vector<Json> out;
  for (const Json &l : lines.events)
    if (l.contains("rule") && l["rule"]["id"] == rule &&
        l["event"].contains("container") &&
        l["event"]["container"]["id"] == container_id)
      out.push_back(l);
  return out;
}

TracedRun traced(const std::function<void()> &workload) {
  TracedRun r = trace_while({"--detections-only"}, [&] {
    workload();
    std::this_thread::sleep_for(500ms);
  });
  REQUIRE(r.ready);
  CHECK(r.status == 0);
  return r;
}

void check_one(const TracedRun &r, const std::string &rule,
               const std::string &id, const std::string &severity,
               const std::string &mitre, const std::string &event) {
  INFO("vigil stderr: " << r.stderr_text);
  std::string fired;
  for (const Json &l : r.lines.events) {
    if (l.contains("rule") && l["rule"]["id"] == rule)
      fired += " " + l["event"].value("/container/id"_json_pointer, "-");
  }
  INFO("container " << id << "; " << rule << " fired for:" << fired);
  std::vector<Json> hits = detections_in(r.lines, rule, id);
  REQUIRE(hits.size() >= 1);
  const Json &d = hits[0];
  INFO("detection: " << d.dump());
  CHECK(d["severity"] == severity);
  CHECK(std::find(d["tags"].begin(), d["tags"].end(), mitre) !=
        d["tags"].end());
  CHECK(d["event"]["event"] == event);
  CHECK_THAT(d["output"].get<std::string>(), Catch::Contains(id));
}

} // namespace

TEST_CASE("default rules: container_shell", "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_CONTAINERS();
  std::string bad, good;
  TracedRun r = traced([&] {
    bad = podman("cat /etc/hostname");
    good = podman_plain("cat /etc/hostname");
  });
  REQUIRE(!bad.empty());
  REQUIRE(!good.empty());
  check_one(r, "container_shell", bad, "medium", "T1609", "sched_process_exec");
  CHECK(detections_in(r.lines, "container_shell", bad).size() == 1);
  CHECK(detections_in(r.lines, "container_shell", good).empty());
}

TEST_CASE("default rules: container_drop_and_exec",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_CONTAINERS();
  std::string id;
  TracedRun r = traced([&] {
    id = podman("cp /bin/busybox /tmp/true && /tmp/true; /bin/true");
  });
  REQUIRE(!id.empty());
  check_one(r, "container_drop_and_exec", id, "critical", "T1610",
            "sched_process_exec");
  std::vector<Json> hits =
      detections_in(r.lines, "container_drop_and_exec", id);
  REQUIRE(hits.size() == 1); // /bin/true, from the image, stays silent
  CHECK(hits[0]["event"]["args"]["filename"] == "/tmp/true");
}

TEST_CASE("default rules: container_runtime_socket",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_CONTAINERS();
  std::string id;
  TracedRun r = traced(
      [&] { id = podman("cat /var/run/docker.sock; cat /etc/hostname"); });
  REQUIRE(!id.empty());
  check_one(r, "container_runtime_socket", id, "critical", "T1611", "openat");
  std::vector<Json> hits =
      detections_in(r.lines, "container_runtime_socket", id);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]["event"]["args"]["filename"] == "/var/run/docker.sock");
}

TEST_CASE("default rules: container_namespace_change",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_CONTAINERS();
  std::string id;
  TracedRun r = traced([&] { id = podman("unshare -m true; true"); });
  REQUIRE(!id.empty());
  check_one(r, "container_namespace_change", id, "high", "T1611", "unshare");
  for (const Json &d : detections_in(r.lines, "container_namespace_change", id))
    CHECK(d["event"]["process"]["comm"] == "unshare");
}

TEST_CASE("default rules: container_network_tool_connect",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_CONTAINERS();
  std::string bad, good;
  TracedRun r = traced([&] {
    bad = podman("nc 127.0.0.1 9 </dev/null; true");
    good = podman("cat /etc/hostname");
  });
  REQUIRE(!bad.empty());
  check_one(r, "container_network_tool_connect", bad, "high", "T1105",
            "connect");
  CHECK(detections_in(r.lines, "container_network_tool_connect", good).empty());
}

TEST_CASE("default rules: a benign workload fires no built-in rule",
          "[runtime][default_rules]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::ofstream(dir.file("main.c"))
      << "#include <stdio.h>\nint add(int, int);\n"
         "int main(void) { printf(\"%d\\n\", add(1, 2)); return 0; }\n";
  std::ofstream(dir.file("add.c"))
      << "int add(int a, int b) { return a + b; }\n";
  std::ofstream(dir.file("Makefile"))
      << "app: main.o add.o\n\tgcc -o app main.o add.o\n"
         "%.o: %.c\n\tgcc -O2 -c -o $@ $<\n";
  std::string quiet = " >/dev/null 2>&1";
  TracedRun r = traced([&] {
    CHECK(shell("make -C " + dir.path() + quiet + "; echo $?").second == "0\n");
    CHECK(shell(dir.file("app")).second == "3\n");
    shell("ctest --test-dir " + std::string(VIGIL_BUILD_DIR) +
          " -R 'unit: .*rules' " + quiet);
    CHECK(shell("dpkg -l" + quiet + "; echo $?").second == "0\n");
    CHECK(shell("apt-cache policy bash" + quiet + "; echo $?").second == "0\n");
  });
  // The workload's processes are this test's descendants.
  std::vector<std::string> fired;
  for (const Json &l : r.lines.events) {
    if (!l.contains("rule"))
      continue;
    const Json &p = l["event"]["process"];
    bool ours = p["ppid"] == getpid();
    for (const Json &a : p.value("ancestors", Json::array()))
      ours = ours || a["pid"] == getpid();
    if (ours)
      fired.push_back(l["rule"]["id"].get<std::string>() + ": " +
                      l["output"].get<std::string>());
  }
  for (const std::string &f : fired)
    UNSCOPED_INFO("fired: " << f);
  CHECK(fired.empty());
}

} // namespace vigil::test
