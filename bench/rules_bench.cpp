// rules_bench.cpp - events per second through the rules engine on one
// core: synthetic records of a typical syscall mix, tested against the
// 25 rules of bench/rules_bench.yaml by a Detector, as a pipeline worker
// does it (event index, lazy argument decoding, detection lines for the
// few that match).
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "event_builder.h"
#include "rules/detector.h"
#include "rules/loader.h"

using vigil::test::EventBuilder;

namespace {

constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(-100);

EventBuilder openat(std::string_view path, std::uint64_t flags,
                    std::int64_t ret, std::string_view comm) {
  EventBuilder b(257);
  b.arg(0, kAtFdcwd).arg(1, 0x7fff0000).arg(2, flags).ret(ret).comm(comm);
  b.item(1, path, VIGIL_ITEM_STRING);
  return b;
}

EventBuilder plain(std::uint32_t nr, std::int64_t ret, std::string_view comm) {
  EventBuilder b(nr);
  b.arg(0, 3).arg(1, 0x7fff0000).arg(2, 4096).ret(ret).comm(comm);
  return b;
}

EventBuilder exec(std::string_view path, std::string_view comm) {
  EventBuilder b(0, VIGIL_EV_PROCESS_EXEC);
  b.arg(0, 100).comm(comm).item(0, path, VIGIL_ITEM_STRING);
  return b;
}

EventBuilder connect_to(std::uint16_t port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(0x7f000001);
  EventBuilder b(42);
  b.arg(0, 3).arg(1, 0x7fff0000).arg(2, sizeof(sa)).ret(0).comm("curl");
  b.item(1, std::string_view(reinterpret_cast<const char *>(&sa), sizeof(sa)),
         VIGIL_ITEM_BYTES);
  return b;
}

// The mix: what a busy host sends, weighted by how often.
std::vector<std::pair<EventBuilder, int>> event_mix() {
  return {
      {plain(0, 4096, "nginx"), 20},                     // read
      {plain(1, 512, "nginx"), 15},                      // write
      {plain(3, 0, "nginx"), 8},                         // close
      {plain(202, 0, "java"), 10},                       // futex
      {plain(232, 1, "nginx"), 6},                       // epoll_wait
      {plain(9, 0x7f0000000000, "java"), 4},             // mmap
      {plain(5, 0, "ls"), 4},                            // fstat
      {plain(262, 0, "ls"), 3},                          // newfstatat
      {openat("/etc/ld.so.cache", 0x80000, 3, "ls"), 6}, // O_CLOEXEC
      {openat("/usr/lib/x86_64-linux-gnu/libc.so.6", 0x80000, 3, "ls"), 6},
      {openat("/proc/self/stat", 0, 3, "top"), 4},
      {openat("/var/log/nginx/access.log", 02101, 4, "nginx"), 3},
      {openat("/etc/passwd", 0, -13, "id"), 1}, // EACCES
      {openat("/etc/shadow", 0, 3, "cat"), 1},  // matches
      {connect_to(443), 2},
      {connect_to(8080), 1}, // matches
      {exec("/usr/bin/ls", "ls"), 2},
      {exec("/bin/sh", "sh"), 1}, // matches
      {plain(101, 0, "gdb"), 1},  // ptrace
      {plain(62, 0, "bash"), 1},  // kill
  };
}

double run(vigil::rules::Detector &d,
           const std::vector<std::vector<std::byte>> &records,
           std::size_t rounds, std::uint64_t &lines) {
  std::vector<vigil::RawEvent> events;
  for (const auto &r : records)
    events.push_back(*vigil::RawEvent::parse(r));
  std::string out;
  out.reserve(1 << 20);
  const vigil::EventContext ctx;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < rounds; ++i) {
    for (const vigil::RawEvent &ev : events)
      lines += d.detect(ev, ctx, out);
    out.clear();
  }
  std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
  return static_cast<double>(rounds * events.size()) / s.count();
}

} // namespace

int main(int argc, char **argv) {
  std::string rules_path = argc > 1 ? argv[1] : "bench/rules_bench.yaml";
  std::size_t rounds = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20000;

  vigil::EventSchema schema;
  vigil::rules::Diagnostics read_problems;
  auto files = vigil::rules::read_rule_paths({rules_path}, read_problems);
  vigil::rules::CompileResult compiled =
      vigil::rules::compile_rules(files, schema);
  if (read_problems.has_errors() || !compiled.rules) {
    std::fprintf(stderr, "%s%s", read_problems.text().c_str(),
                 compiled.diags.text().c_str());
    return 1;
  }
  vigil::WallClock clock;
  vigil::rules::Detector detector(
      schema, clock, std::make_shared<vigil::rules::RuleHolder>(compiled.rules),
      nullptr, vigil::rules::DetectionFormat::kVigil);

  std::vector<std::vector<std::byte>> mix, opens;
  for (const auto &[b, weight] : event_mix()) {
    for (int i = 0; i < weight; ++i)
      mix.push_back(b.record());
  }
  // The hardest case: every event an open that eight rules look at.
  opens.push_back(
      openat("/usr/lib/x86_64-linux-gnu/libc.so.6", 0x80000, 3, "ls").record());
  opens.push_back(openat("/etc/ld.so.cache", 0x80000, 3, "ls").record());
  opens.push_back(
      openat("/var/log/nginx/access.log", 02101, 4, "nginx").record());

  std::uint64_t mix_lines = 0, open_lines = 0;
  run(detector, mix, rounds / 10, mix_lines); // warm-up
  mix_lines = 0;
  double mix_rate = run(detector, mix, rounds, mix_lines);
  double open_rate =
      run(detector, opens, rounds * mix.size() / opens.size(), open_lines);

  std::printf("rules: %zu enabled, from %s\n", compiled.rules->enabled_count(),
              rules_path.c_str());
  std::printf("syscall mix: %.0f events/s on one core (%zu events a round, "
              "%.2f%% detected)\n",
              mix_rate, mix.size(),
              100.0 * static_cast<double>(mix_lines) /
                  static_cast<double>(rounds * mix.size()));
  std::printf("opens only:  %.0f events/s on one core (%llu detections)\n",
              open_rate, static_cast<unsigned long long>(open_lines));
  return 0;
}
