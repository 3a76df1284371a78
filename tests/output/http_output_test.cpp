// http_output_test.cpp - the HTTP output against a real python3 server:
// refused connections and 503s are retried until every line arrives
// exactly once; an overflowing queue is counted; the Splunk and
// Elasticsearch bodies are what those receivers read.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "output/http_sink.h"
#include "output/output_channel.h"
#include "servers.h"

namespace vigil::test {
namespace {

using Json = nlohmann::json;

std::string numbered_lines(int first, int count) {
  std::string text;
  for (int i = first; i < first + count; ++i) {
    text += "{\"time\":\"2026-12-03T14:03:21.683179050Z\",\"event\":"
            "\"getppid\",\"seq\":" +
            std::to_string(i) + "}\n";
  }
  return text;
}

HttpOutputConfig fast_retries(const std::string &url) {
  HttpOutputConfig c;
  c.url = url;
  c.retry_initial_ms = 20;
  c.retry_max_ms = 200;
  c.timeout_ms = 2000;
  c.batch_bytes = 16 * 1024;
  return c;
}

// seq_counts - how often each seq arrived, over every accepted request.
std::map<int, int> seq_counts(const HttpReceiver &receiver) {
  std::map<int, int> counts;
  for (const std::string &request : receiver.requests()) {
    Json r = Json::parse(request);
    for (const std::string &line : split_lines(r["body"].get<std::string>()))
      ++counts[Json::parse(line)["seq"].get<int>()];
  }
  return counts;
}

std::uint64_t received_total(const HttpReceiver &receiver) {
  std::uint64_t n = 0;
  for (const auto &[seq, times] : seq_counts(receiver))
    n += times;
  return n;
}

} // namespace

TEST_CASE("the http output retries through refusals and 503s and delivers "
          "every line exactly once",
          "[output][http]") {
  ScratchDir dir;
  int port = free_port();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/ingest";
  OutputChannel channel("http",
                        std::make_unique<HttpSink>("http", fast_retries(url)),
                        16u << 20, std::chrono::milliseconds(10000));
  channel.start();

  constexpr int kLines = 5000;
  // Nothing listens yet: every attempt is a refused connection.
  for (int i = 0; i < kLines / 2; i += 100)
    channel.offer(numbered_lines(i, 100));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  OutputStats refused = channel.stats();
  CHECK(refused.errors >= 1);
  CHECK(refused.delivered == 0);

  // Then it listens, but answers 503 to the first ten requests.
  HttpReceiver receiver(dir, port, 10, 503);
  for (int i = kLines / 2; i < kLines; i += 100)
    channel.offer(numbered_lines(i, 100));
  REQUIRE(wait_until([&] { return channel.stats().delivered == kLines; },
                     std::chrono::milliseconds(30000)));
  channel.stop();

  OutputStats s = channel.stats();
  CHECK(s.offered == kLines);
  CHECK(s.delivered == kLines);
  CHECK(s.dropped == 0);
  CHECK(s.failed == 0);
  CHECK(s.errors >= refused.errors + 10);
  std::map<int, int> counts = seq_counts(receiver);
  CHECK(counts.size() == kLines);
  for (const auto &[seq, times] : counts) {
    INFO("seq " << seq);
    CHECK(times == 1);
  }
  CHECK(counts.begin()->first == 0);
  CHECK(counts.rbegin()->first == kLines - 1);
}

TEST_CASE("the http output counts what overflows its queue while the "
          "receiver is down, and delivers the rest once",
          "[output][http]") {
  ScratchDir dir;
  int port = free_port();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  // The smallest queue: 64 KiB holds about 700 of these lines.
  OutputChannel channel("http",
                        std::make_unique<HttpSink>("http", fast_retries(url)),
                        64 * 1024, std::chrono::milliseconds(10000));
  channel.start();
  constexpr int kLines = 20000;
  for (int i = 0; i < kLines; i += 50)
    channel.offer(numbered_lines(i, 50));
  OutputStats during = channel.stats();
  CHECK(during.dropped > 0);

  HttpReceiver receiver(dir, port);
  REQUIRE(wait_until(
      [&] {
        OutputStats s = channel.stats();
        return s.delivered + s.dropped == kLines;
      },
      std::chrono::milliseconds(30000)));
  channel.stop();

  OutputStats s = channel.stats();
  CHECK(s.offered == kLines);
  CHECK(s.failed == 0);
  CHECK(s.dropped == during.dropped);
  CHECK(s.delivered + s.dropped == kLines);
  std::map<int, int> counts = seq_counts(receiver);
  CHECK(counts.size() == s.delivered);
  CHECK(received_total(receiver) == s.delivered);
}

TEST_CASE("a 4xx answer is counted as failed and not retried",
          "[output][http]") {
  ScratchDir dir;
  int port = free_port();
  HttpReceiver receiver(dir, port, 1, 400);
  OutputChannel channel(
      "http",
      std::make_unique<HttpSink>(
          "http", fast_retries("http://127.0.0.1:" + std::to_string(port))),
      1u << 20, std::chrono::milliseconds(5000));
  channel.start();
  channel.offer(numbered_lines(0, 10));
  REQUIRE(wait_until([&] { return channel.stats().failed == 10; },
                     std::chrono::milliseconds(10000)));
  channel.offer(numbered_lines(10, 10));
  REQUIRE(wait_until([&] { return channel.stats().delivered == 10; },
                     std::chrono::milliseconds(10000)));
  channel.stop();
  std::map<int, int> counts = seq_counts(receiver);
  CHECK(counts.size() == 10);
  CHECK(counts.begin()->first == 10);
  CHECK(channel.stats().errors == 1);
}

TEST_CASE("a stop while the receiver stays down gives up after the drain "
          "time and counts the lines as failed",
          "[output][http]") {
  int port = free_port();
  OutputChannel channel(
      "http",
      std::make_unique<HttpSink>(
          "http", fast_retries("http://127.0.0.1:" + std::to_string(port))),
      1u << 20, std::chrono::milliseconds(300));
  channel.start();
  channel.offer(numbered_lines(0, 100));
  auto start = std::chrono::steady_clock::now();
  channel.stop();
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::milliseconds(3000));
  OutputStats s = channel.stats();
  CHECK(s.failed == 100);
  CHECK(s.delivered == 0);
}

TEST_CASE("the splunk format sends HEC events with the token",
          "[output][http]") {
  ScratchDir dir;
  int port = free_port();
  HttpReceiver receiver(dir, port);
  HttpOutputConfig c = fast_retries("http://127.0.0.1:" + std::to_string(port) +
                                    "/services/collector/event");
  c.format = HttpFormat::kSplunkHec;
  c.splunk_token = "secret-token";
  c.headers = {"X-Test: yes"};
  OutputChannel channel("splunk", std::make_unique<HttpSink>("splunk", c),
                        1u << 20, std::chrono::milliseconds(5000));
  channel.start();
  channel.offer(numbered_lines(0, 3));
  REQUIRE(wait_until([&] { return channel.stats().delivered == 3; },
                     std::chrono::milliseconds(10000)));
  channel.stop();

  std::vector<std::string> requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  Json r = Json::parse(requests[0]);
  CHECK(r["path"] == "/services/collector/event");
  CHECK(r["headers"]["Authorization"] == "Splunk secret-token");
  CHECK(r["headers"]["X-Test"] == "yes");
  std::vector<std::string> lines = split_lines(r["body"].get<std::string>());
  REQUIRE(lines.size() == 3);
  for (int i = 0; i < 3; ++i) {
    Json e = Json::parse(lines[i]);
    CHECK(e["event"]["seq"] == i);
    CHECK(e["event"]["event"] == "getppid");
    CHECK(e["time"].get<double>() == Approx(1796306601.683179));
    CHECK(e["sourcetype"] == "vigil");
    CHECK(e["host"].get<std::string>().size() > 0);
  }
}

TEST_CASE("the elasticsearch format sends a _bulk action before each "
          "event",
          "[output][http]") {
  ScratchDir dir;
  int port = free_port();
  HttpReceiver receiver(dir, port);
  HttpOutputConfig c =
      fast_retries("http://127.0.0.1:" + std::to_string(port) + "/_bulk");
  c.format = HttpFormat::kElasticBulk;
  c.index = "vigil-events";
  OutputChannel channel("es", std::make_unique<HttpSink>("es", c), 1u << 20,
                        std::chrono::milliseconds(5000));
  channel.start();
  channel.offer(numbered_lines(0, 2));
  REQUIRE(wait_until([&] { return channel.stats().delivered == 2; },
                     std::chrono::milliseconds(10000)));
  channel.stop();

  std::vector<std::string> requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  Json r = Json::parse(requests[0]);
  CHECK(r["headers"]["Content-Type"] == "application/x-ndjson");
  std::vector<std::string> lines = split_lines(r["body"].get<std::string>());
  REQUIRE(lines.size() == 4);
  CHECK(Json::parse(lines[0]) ==
        Json::parse(R"({"index":{"_index":"vigil-events"}})"));
  CHECK(Json::parse(lines[1])["seq"] == 0);
  CHECK(Json::parse(lines[2]) == Json::parse(lines[0]));
  CHECK(Json::parse(lines[3])["seq"] == 1);
}

TEST_CASE("documents elasticsearch refuses inside a 200 answer are counted "
          "as failed, the others as delivered",
          "[output][http]") {
  ScratchDir dir;
  int port = free_port();
  HttpReceiver receiver(dir, port, 0, 503, 10);
  HttpOutputConfig c =
      fast_retries("http://127.0.0.1:" + std::to_string(port) + "/_bulk");
  c.format = HttpFormat::kElasticBulk;
  OutputChannel channel("es", std::make_unique<HttpSink>("es", c), 1u << 20,
                        std::chrono::milliseconds(5000));
  channel.start();
  channel.offer(numbered_lines(0, 100));
  REQUIRE(wait_until(
      [&] {
        OutputStats s = channel.stats();
        return s.delivered + s.failed == 100;
      },
      std::chrono::milliseconds(10000)));
  channel.stop();
  OutputStats s = channel.stats();
  CHECK(s.failed == 10);
  CHECK(s.delivered == 90);
  CHECK(receiver.requests().size() == 1);
}

TEST_CASE("a _bulk answer's refused items are counted", "[output][http]") {
  CHECK(bulk_item_failures(R"({"errors":false,"items":[]})") == 0);
  CHECK(bulk_item_failures(
            R"({"took":3,"errors":true,"items":[{"index":{"status":201}},)"
            R"({"index":{"status":429}},{"create":{"status":409}}]})") == 2);
  CHECK(bulk_item_failures("not json") == 0);
}

} // namespace vigil::test
