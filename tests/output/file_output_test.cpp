// file_output_test.cpp - the file output under load: rotation by size and
// reopening after the file was renamed (what SIGUSR1 asks for) while
// lines keep coming; every line must be in exactly one file, whole.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include "output/file_sink.h"
#include "output/output_channel.h"
#include "servers.h"

namespace vigil::test {
namespace {

namespace fs = std::filesystem;

std::string numbered(int i) {
  // Lines of different lengths, so rotation points fall anywhere.
  return "line " + std::to_string(i) + " " + std::string(i % 37, 'x') + "\n";
}

} // namespace

TEST_CASE("the file output rotates by size and reopens after a rename "
          "under load without losing or splitting a line",
          "[output][file]") {
  ScratchDir dir;
  FileOutputConfig c;
  c.path = dir.file("vigil.log");
  c.rotate_bytes = 32 * 1024;
  c.keep = 400;
  OutputChannel channel("file", std::make_unique<FileSink>(c), 16u << 20,
                        std::chrono::milliseconds(5000));
  channel.start();

  constexpr int kLines = 200000;
  std::thread writer([&] {
    std::string batch;
    for (int i = 0; i < kLines; ++i) {
      batch += numbered(i);
      if (batch.size() > 4000 || i == kLines - 1) {
        channel.offer(batch);
        batch.clear();
        if (i % 8000 == 0)
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
  });
  // logrotate's way: move the file away, then ask for a reopen.
  int moved = 0;
  for (; moved < 10; ++moved) {
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
    std::error_code ec; // a size rotation may have the path this instant
    fs::rename(c.path, dir.file("moved-" + std::to_string(moved)), ec);
    channel.request_reopen();
  }
  writer.join();
  channel.stop();

  OutputStats s = channel.stats();
  CHECK(s.delivered == kLines);
  CHECK(s.dropped == 0);
  CHECK(s.failed == 0);

  std::vector<int> seen(kLines, 0);
  int files = 0, rotated = 0;
  std::regex shape(R"(line (\d+) x*)");
  for (const auto &entry : fs::directory_iterator(dir.path())) {
    std::string text = read_file(entry.path());
    ++files;
    if (entry.path().filename().string().starts_with("vigil.log."))
      ++rotated;
    if (text.empty())
      continue;
    INFO(entry.path());
    CHECK(text.back() == '\n');
    for (const std::string &line : split_lines(text)) {
      std::smatch m;
      REQUIRE(std::regex_match(line, m, shape));
      int i = std::stoi(m[1]);
      REQUIRE(i < kLines);
      CHECK(line + "\n" == numbered(i));
      ++seen[i];
    }
    if (entry.path().filename().string().starts_with("vigil.log"))
      CHECK(text.size() <= c.rotate_bytes);
  }
  CHECK(rotated > 10);
  CHECK(files > moved);
  for (int i = 0; i < kLines; ++i) {
    if (seen[i] != 1) {
      INFO("line " << i << " seen " << seen[i] << " times");
      CHECK(seen[i] == 1);
    }
  }
}

TEST_CASE("the file output keeps only the newest rotated files",
          "[output][file]") {
  ScratchDir dir;
  FileOutputConfig c;
  c.path = dir.file("vigil.log");
  c.rotate_bytes = 4096;
  c.keep = 2;
  FileSink sink(c);
  struct NoRetry : RetryControl {
    bool wait(std::chrono::milliseconds) override { return false; }
    void attempt_failed() override {}
  } retry;
  std::string batch;
  for (int i = 0; i < 1000; ++i)
    batch += numbered(i);
  Delivery d = sink.deliver(batch, retry);
  CHECK(d.delivered == 1000);
  CHECK(fs::exists(c.path));
  CHECK(fs::exists(c.path + ".1"));
  CHECK(fs::exists(c.path + ".2"));
  CHECK_FALSE(fs::exists(c.path + ".3"));
  // The newest lines are in the file itself, the older ones in .1.
  std::vector<std::string> current = split_lines(read_file(c.path));
  REQUIRE_FALSE(current.empty());
  CHECK(current.back() + "\n" == numbered(999));
}

TEST_CASE("a file output that cannot write closes with the error",
          "[output][file]") {
  FileOutputConfig c;
  c.path = "/dev/full";
  FileSink sink(c);
  struct NoRetry : RetryControl {
    bool wait(std::chrono::milliseconds) override { return false; }
    void attempt_failed() override {}
  } retry;
  Delivery d = sink.deliver("a\nb\n", retry);
  CHECK(d.closed);
  CHECK(d.error == ENOSPC);
  CHECK(d.failed == 2);
  CHECK(d.delivered == 0);
}

} // namespace vigil::test
