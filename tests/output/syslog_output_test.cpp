// syslog_output_test.cpp - the syslog output against a real rsyslogd on
// loopback, started with its own configuration: UDP, TCP with octet
// counting, and a unix datagram socket; rsyslog parses each message as
// RFC 5424 and writes its fields, which are checked one by one.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "output/output_channel.h"
#include "output/syslog_sink.h"
#include "servers.h"

namespace vigil::test {
namespace {

using Json = nlohmann::json;

std::string rsyslogd_path() {
  for (const char *p : {"/usr/sbin/rsyslogd", "/sbin/rsyslogd"}) {
    if (access(p, X_OK) == 0)
      return p;
  }
  return "";
}

// Rsyslog - rsyslogd in the foreground with UDP, TCP and a unix socket
// input, writing every message's RFC 5424 fields to out.log.
class Rsyslog {
public:
  Rsyslog(const ScratchDir &dir, int udp_port, int tcp_port)
      : out_(dir.file("out.log")), socket_(dir.file("log.sock")) {
    std::string conf = dir.file("rsyslog.conf");
    std::ofstream(conf)
        << "global(workDirectory=\"" << dir.path() << "\")\n"
        << "module(load=\"imudp\")\n"
        << "module(load=\"imtcp\")\n"
        << "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
        << "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" << udp_port
        << "\")\n"
        << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << tcp_port
        << "\")\n"
        << "input(type=\"imuxsock\" Socket=\"" << socket_
        << "\" UseSpecialParser=\"off\" ParseHostname=\"on\" "
        << "IgnoreTimestamp=\"off\")\n"
        << "template(name=\"fields\" type=\"string\" string=\""
        << "%protocol-version%|%timereported:::date-rfc3339%|%hostname%|"
        << "%app-name%|%procid%|%msgid%|%syslogfacility%|%syslogseverity%|"
        << "%structured-data%|%msg%\\n\")\n"
        << "*.* action(type=\"omfile\" file=\"" << out_
        << "\" template=\"fields\")\n";
    server_.emplace(std::vector<std::string>{rsyslogd_path(), "-n", "-f", conf,
                                             "-i", dir.file("rsyslog.pid")});
    ready_ = wait_until([&] { return std::filesystem::exists(socket_); },
                        std::chrono::milliseconds(10000));
    // The socket appears once the inputs are up; TCP and UDP follow at
    // the same start-up step.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }

  bool ready() const { return ready_; }
  const std::string &socket() const { return socket_; }
  std::vector<std::string> lines() const {
    return split_lines(read_file(out_));
  }

private:
  std::string out_, socket_;
  std::optional<Server> server_;
  bool ready_ = false;
};

std::vector<std::string> split(const std::string &line, char sep, int n) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < n - 1; ++i) {
    std::size_t at = line.find(sep, start);
    if (at == std::string::npos)
      break;
    parts.push_back(line.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(line.substr(start));
  return parts;
}

std::string event_line(const std::string &transport, int seq) {
  return "{\"time\":\"2026-12-03T14:03:21.683179050Z\",\"event\":\"openat\","
         "\"transport\":\"" +
         transport + "\",\"seq\":" + std::to_string(seq) + "}\n";
}

} // namespace

TEST_CASE("the syslog output sends RFC 5424 messages over udp, tcp and a "
          "unix socket that rsyslog parses field by field",
          "[output][syslog]") {
  if (rsyslogd_path().empty()) {
    WARN("skipped: rsyslogd is not installed (scripts/install-deps.sh)");
    return;
  }
  ScratchDir dir;
  int udp_port = free_port();
  int tcp_port = free_port();
  Rsyslog rsyslog(dir, udp_port, tcp_port);
  REQUIRE(rsyslog.ready());

  constexpr int kPerTransport = 50;
  const std::pair<std::string, std::string> transports[] = {
      {"udp", "udp://127.0.0.1:" + std::to_string(udp_port)},
      {"tcp", "tcp://127.0.0.1:" + std::to_string(tcp_port)},
      {"unix", "unix://" + rsyslog.socket()}};
  for (const auto &[name, address] : transports) {
    SyslogOutputConfig c = syslog_output(address).syslog;
    c.facility = 19; // local3
    c.severity = 5;  // notice
    c.hostname = "vigil-test-host";
    OutputChannel channel(name, std::make_unique<SyslogSink>(name, c), 1u << 20,
                          std::chrono::milliseconds(5000));
    channel.start();
    std::string batch;
    for (int i = 0; i < kPerTransport; ++i)
      batch += event_line(name, i);
    channel.offer(batch);
    REQUIRE(
        wait_until([&] { return channel.stats().delivered == kPerTransport; },
                   std::chrono::milliseconds(10000)));
    channel.stop();
    CHECK(channel.stats().failed == 0);
  }

  std::map<std::string, std::set<int>> seen;
  REQUIRE(
      wait_until([&] { return rsyslog.lines().size() >= 3 * kPerTransport; },
                 std::chrono::milliseconds(10000)));
  for (const std::string &line : rsyslog.lines()) {
    INFO(line);
    std::vector<std::string> f = split(line, '|', 10);
    REQUIRE(f.size() == 10);
    CHECK(f[0] == "1");
    CHECK(f[1].starts_with("2026-12-03T14:03:21.683179"));
    CHECK(f[2] == "vigil-test-host");
    CHECK(f[3] == "vigil");
    CHECK(f[4] == std::to_string(getpid()));
    CHECK(f[5] == "openat");
    CHECK(f[6] == "19");
    CHECK(f[7] == "5");
    CHECK(f[8] == "-");
    Json event = Json::parse(f[9]);
    CHECK(event["event"] == "openat");
    std::string transport = event["transport"];
    CHECK(seen[transport].insert(event["seq"].get<int>()).second);
  }
  for (const auto &[name, address] : transports) {
    INFO(name);
    CHECK(seen[name].size() == kPerTransport);
  }
}

TEST_CASE("the tcp syslog output reconnects and resends once the server "
          "is back",
          "[output][syslog]") {
  if (rsyslogd_path().empty()) {
    WARN("skipped: rsyslogd is not installed (scripts/install-deps.sh)");
    return;
  }
  ScratchDir dir;
  int udp_port = free_port();
  int tcp_port = free_port();
  SyslogOutputConfig c =
      syslog_output("tcp://127.0.0.1:" + std::to_string(tcp_port)).syslog;
  c.retry_initial_ms = 20;
  c.retry_max_ms = 200;
  OutputChannel channel("tcp", std::make_unique<SyslogSink>("tcp", c), 1u << 20,
                        std::chrono::milliseconds(5000));
  channel.start();
  std::string batch;
  for (int i = 0; i < 20; ++i)
    batch += event_line("tcp", i);
  channel.offer(batch);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(channel.stats().errors >= 1);
  CHECK(channel.stats().delivered == 0);

  Rsyslog rsyslog(dir, udp_port, tcp_port);
  REQUIRE(rsyslog.ready());
  REQUIRE(wait_until([&] { return channel.stats().delivered == 20; },
                     std::chrono::milliseconds(10000)));
  channel.stop();
  REQUIRE(wait_until([&] { return rsyslog.lines().size() >= 20; },
                     std::chrono::milliseconds(10000)));
  CHECK(rsyslog.lines().size() == 20);
}

} // namespace vigil::test
