// outputs_test.cpp - vigil capturing real workloads into several outputs
// at once: an HTTP receiver that is down and then answers 503 before it
// accepts, a file renamed and reopened with SIGUSR1 while rotating, and
// the metrics endpoint scraped during the run.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "../output/servers.h"
#include "runtime_test.h"

namespace vigil::test {
namespace {

namespace fs = std::filesystem;

void write_text(const std::string &path, const std::string &text) {
  std::ofstream(path) << text;
}

// HttpAnswer - a status and body from a plain HTTP/1.0 GET.
struct HttpAnswer {
  int status = 0; // 0: no answer
  std::string body;
};

HttpAnswer http_get(int port, const std::string &path) {
  HttpAnswer answer;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return answer;
  }
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
  if (write(fd, request.data(), request.size()) < 0) {
    close(fd);
    return answer;
  }
  std::string text;
  char buf[8192];
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;)
    text.append(buf, static_cast<std::size_t>(n));
  close(fd);
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"(^HTTP/1\.\d (\d+))")))
    answer.status = std::stoi(m[1]);
  std::size_t body = text.find("\r\n\r\n");
  if (body != std::string::npos)
    answer.body = text.substr(body + 4);
  return answer;
}

// metric - the value of one sample line "name{labels} value", or -1.
double metric(const std::string &text, const std::string &sample) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(sample + " "))
      return std::stod(line.substr(sample.size() + 1));
  }
  return -1;
}

std::vector<std::string> lines_of_file(const std::string &path) {
  return split_lines(read_file(path));
}

// gated_counts - vt-count children held before exec, one per entry of
// calls, to be released in order: a child forked later holds the gate of
// every earlier one until it execs, so the last forked goes first.
std::vector<std::unique_ptr<Child>> gated_counts(std::vector<int> calls) {
  std::vector<std::unique_ptr<Child>> children;
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
    children.insert(
        children.begin(),
        std::make_unique<Child>(
            std::vector<std::string>{VT_COUNT, std::to_string(*it), "0"},
            SpawnOptions{.gated = true}));
  }
  return children;
}

// pid_list - "[1, 2]": the scope of gated children, so that programs of
// the same name run by anyone else on the machine stay out of the count.
std::string pid_list(const std::vector<std::unique_ptr<Child>> &children) {
  std::string text;
  for (const auto &c : children)
    text += (text.empty() ? "" : ", ") + std::to_string(c->pid());
  return "[" + text + "]";
}

} // namespace

TEST_CASE("events reach an http receiver exactly once after it was down "
          "and answered 503, and match the file output",
          "[runtime][outputs]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  ScratchDir server_dir;
  int port = free_port();
  std::string file = dir.file("events.json");
  std::vector<std::unique_ptr<Child>> children = gated_counts({300, 200});
  write_text(dir.file("vigil.yaml"),
             "scope:\n  pid: " + pid_list(children) +
                 "\n"
                 "outputs:\n"
                 "  - type: file\n    path: " +
                 file +
                 "\n"
                 "  - type: http\n    url: http://127.0.0.1:" +
                 std::to_string(port) +
                 "/ingest\n"
                 "    retry_initial: 50ms\n    retry_max: 300ms\n");
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  VigilProcess vigil({"--config", dir.file("vigil.yaml")},
                     VigilStdout::kGivenFd, null_fd);
  close(null_fd);
  REQUIRE(vigil.wait_ready());

  children[0]->release();
  CHECK(children[0]->wait_exit_code() == 0);
  std::this_thread::sleep_for(milliseconds(500));
  std::optional<HttpReceiver> receiver;
  receiver.emplace(server_dir, port, 3, 503);
  children[1]->release();
  CHECK(children[1]->wait_exit_code() == 0);

  auto http_lines = [&] {
    std::vector<std::string> lines;
    for (const std::string &request : receiver->requests()) {
      for (const std::string &l :
           split_lines(Json::parse(request)["body"].get<std::string>()))
        lines.push_back(l);
    }
    return lines;
  };
  // Both programs written whole (their exits are their last events),
  // and as many lines received as written.
  auto exits = [&] {
    int n = 0;
    for (const std::string &l : lines_of_file(file))
      n += l.find("\"event\":\"sched_process_exit\"") != std::string::npos;
    return n;
  };
  bool settled = wait_until(
      [&] {
        return exits() == 2 &&
               http_lines().size() == lines_of_file(file).size();
      },
      milliseconds(30000));
  INFO("vigil stderr so far: " << vigil.stderr_text());
  INFO("lines in the file: " << lines_of_file(file).size()
                             << ", over http: " << http_lines().size());
  REQUIRE(settled);
  std::optional<int> status = vigil.stop();
  INFO("vigil stderr: " << vigil.stderr_text());
  CHECK(status == 0);

  std::vector<std::string> in_file = lines_of_file(file);
  std::vector<std::string> over_http = http_lines();
  std::map<std::string, int> counts;
  for (const std::string &l : in_file)
    ++counts[l];
  for (const std::string &l : over_http)
    --counts[l];
  for (const auto &[line, diff] : counts) {
    INFO(line);
    CHECK(diff == 0);
  }
  CHECK(over_http.size() == in_file.size());
  int getppid = 0;
  for (const std::string &l : over_http)
    getppid += Json::parse(l)["event"] == "getppid";
  CHECK(getppid == 500);
  std::optional<Summary> summary = parse_summary(vigil.stderr_text());
  REQUIRE(summary.has_value());
  CHECK(summary->lost == 0);
  CHECK(vigil.stderr_text().find(
            "output http: " + std::to_string(in_file.size()) +
            " delivered, 0 lost") != std::string::npos);
}

TEST_CASE("a file output renamed and reopened with SIGUSR1 while rotating "
          "keeps every event exactly once",
          "[runtime][outputs]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  std::string file = dir.file("vigil.log");
  constexpr int kRuns = 6, kCalls = 1000;
  std::vector<std::unique_ptr<Child>> children =
      gated_counts(std::vector<int>(kRuns, kCalls));
  write_text(dir.file("vigil.yaml"),
             "scope:\n  pid: " + pid_list(children) +
                 "\n"
                 "outputs:\n"
                 "  - type: file\n    path: " +
                 file +
                 "\n"
                 "    rotate_size: 16K\n    keep: 1000\n");
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  VigilProcess vigil({"--config", dir.file("vigil.yaml")},
                     VigilStdout::kGivenFd, null_fd);
  close(null_fd);
  REQUIRE(vigil.wait_ready());

  auto getppid_lines = [&] {
    int n = 0;
    for (const auto &entry : fs::directory_iterator(dir.path())) {
      for (const std::string &l : split_lines(read_file(entry.path())))
        n += l.find("\"event\":\"getppid\"") != std::string::npos;
    }
    return n;
  };
  // Each round: a workload, its events written (rotating on the way),
  // the file moved away as logrotate does, SIGUSR1, and the new file.
  for (int i = 0; i < kRuns; ++i) {
    children[i]->release();
    CHECK(children[i]->wait_exit_code() == 0);
    REQUIRE(wait_until([&] { return getppid_lines() == (i + 1) * kCalls; },
                       milliseconds(10000)));
    fs::rename(file, dir.file("moved-" + std::to_string(i)));
    kill(vigil.pid(), SIGUSR1);
    REQUIRE(wait_until([&] { return fs::exists(file); }, milliseconds(5000)));
  }
  std::optional<int> status = vigil.stop();
  INFO("vigil stderr: " << vigil.stderr_text());
  CHECK(status == 0);
  std::optional<Summary> summary = parse_summary(vigil.stderr_text());
  REQUIRE(summary.has_value());
  CHECK(summary->lost == 0);

  std::uint64_t lines = 0;
  int getppid = 0, rotated = 0, moved = 0;
  for (const auto &entry : fs::directory_iterator(dir.path())) {
    std::string name = entry.path().filename();
    if (name == "vigil.yaml")
      continue;
    rotated += name.starts_with("vigil.log.");
    moved += name.starts_with("moved-");
    std::string text = read_file(entry.path());
    if (!text.empty())
      CHECK(text.back() == '\n');
    for (const std::string &l : split_lines(text)) {
      Json j = Json::parse(l, nullptr, false);
      INFO(name << ": " << l);
      REQUIRE(j.is_object());
      getppid += j["event"] == "getppid";
      ++lines;
    }
  }
  CHECK(moved == kRuns);
  CHECK(rotated > kRuns);
  CHECK(getppid == kRuns * kCalls);
  CHECK(lines == summary->emitted);
}

TEST_CASE("an http output that stays down loses only its own events, "
          "counted in the warnings and the summary, and vigil exits 1",
          "[runtime][outputs]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  TempDir dir;
  int port = free_port(); // nothing will listen there
  std::string file = dir.file("events.json");
  std::vector<std::unique_ptr<Child>> children = gated_counts({5000});
  write_text(dir.file("vigil.yaml"),
             "scope:\n  pid: " + pid_list(children) +
                 "\n"
                 "outputs:\n"
                 "  - type: file\n    path: " +
                 file +
                 "\n"
                 "  - type: http\n    url: http://127.0.0.1:" +
                 std::to_string(port) +
                 "/\n"
                 "    queue_size: 64K\n    drain_timeout: 200ms\n"
                 "    retry_initial: 50ms\n    retry_max: 100ms\n");
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  VigilProcess vigil({"--config", dir.file("vigil.yaml")},
                     VigilStdout::kGivenFd, null_fd);
  close(null_fd);
  REQUIRE(vigil.wait_ready());
  children[0]->release();
  CHECK(children[0]->wait_exit_code() == 0);
  // Long enough for a once-a-second loss report.
  std::this_thread::sleep_for(milliseconds(2500));
  std::optional<int> status = vigil.stop();
  std::string err = vigil.stderr_text();
  INFO("vigil stderr: " << err);
  // Events were lost because an output failed: that is an error.
  CHECK(status == 1);

  std::size_t written = lines_of_file(file).size();
  CHECK(written > 5000);
  std::smatch m;
  REQUIRE(std::regex_search(
      err, m,
      std::regex(R"(output http: 0 delivered, (\d+) lost \(queue full )"
                 R"((\d+), failed (\d+)\))")));
  CHECK(std::stoull(m[1]) == written);
  CHECK(std::stoull(m[2]) > 0);
  CHECK(std::stoull(m[2]) + std::stoull(m[3]) == written);
  CHECK(err.find("output file: " + std::to_string(written) +
                 " delivered, 0 lost") != std::string::npos);
  CHECK(err.find("warning: output http lost ") != std::string::npos);
  CHECK(err.find("error: output http failed: " + std::to_string(written) +
                 " lines lost (queue full " + std::string(m[2]) + ", failed " +
                 std::string(m[3]) + ")\n") != std::string::npos);
  // The file output lost nothing, so the summary's own count is clean.
  std::optional<Summary> summary = parse_summary(err);
  REQUIRE(summary.has_value());
  CHECK(summary->emitted == written);
}

TEST_CASE("the metrics endpoint agrees with what the run wrote",
          "[runtime][outputs][metrics]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  int port = free_port();
  std::unique_ptr<Child> child = std::move(gated_counts({777})[0]);
  VigilProcess vigil({"--pid", std::to_string(child->pid()),
                      "--metrics-address", std::to_string(port)});
  REQUIRE(vigil.wait_ready());
  HttpAnswer health = http_get(port, "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");

  child->release();
  CHECK(child->wait_exit_code() == 0);

  std::string text;
  auto settled = [&] {
    text = http_get(port, "/metrics").body;
    double emitted = metric(text, "vigil_events_emitted_total");
    // The file output counts a batch as delivered after writing it: the
    // lines can be in the file a moment before the counter moves.
    std::size_t lines = vigil.output().events.size();
    return emitted > 0 && static_cast<std::size_t>(emitted) == lines &&
           metric(text, "vigil_output_delivered_total{output=\"file\"}") ==
               lines &&
           metric(text, "vigil_events_total{event=\"sched_process_exit\"}") ==
               1;
  };
  REQUIRE(wait_until(settled, milliseconds(10000)));
  OutputLines out = vigil.output();
  INFO(text);
  std::map<std::string, int> by_event;
  for (const Json &e : out.events)
    ++by_event[e["event"].get<std::string>()];
  CHECK(by_event["getppid"] == 777);
  for (const auto &[event, n] : by_event) {
    INFO(event);
    CHECK(metric(text, "vigil_events_total{event=\"" + event + "\"}") == n);
  }
  CHECK(metric(text, "vigil_events_emitted_total") == out.events.size());
  CHECK(metric(text, "vigil_output_delivered_total{output=\"file\"}") ==
        out.events.size());
  CHECK(metric(text, "vigil_output_dropped_total{output=\"file\"}") == 0);
  CHECK(metric(text, "vigil_events_lost_total{cause=\"ringbuf_full\"}") == 0);
  CHECK(metric(text, "vigil_events_lost_total{cause=\"queue_full\"}") == 0);
  CHECK(metric(text, "vigil_events_received_total") >= out.events.size());
  CHECK(metric(text, "vigil_up") == 1);
  CHECK(metric(text, "process_cpu_seconds_total") >= 0);
  CHECK(metric(text, "process_resident_memory_bytes") > 1e6);
  CHECK(metric(text, "vigil_queue_bytes{worker=\"0\"}") >= 0);

  CHECK(vigil.stop() == 0);
  CHECK(http_get(port, "/healthz").status == 0);
}

TEST_CASE("a metrics address already in use stops vigil at start-up",
          "[runtime][outputs][metrics]") {
  VIGIL_SKIP_UNLESS_RUNTIME();
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0);
  REQUIRE(listen(fd, 1) == 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
  FinishedRun run =
      run_vigil_to_exit({"--comm", "vt-count", "--metrics-address",
                         "127.0.0.1:" + std::to_string(ntohs(addr.sin_port))},
                        milliseconds(15000));
  close(fd);
  INFO(run.stderr_text);
  CHECK(run.status == 1);
  CHECK(run.stderr_text.find("cannot serve metrics on 127.0.0.1:") !=
        std::string::npos);
}

} // namespace vigil::test
