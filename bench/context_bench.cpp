// context_bench - what process and container context costs per event:
// synthetic openat records formatted as JSON without context, with the
// Enricher's lookup and the enriched JSON, and the lookup alone; then the
// lookup from several threads at once. Prints one line per case, in
// nanoseconds per event.
//
// Usage: vigil_context_bench [events] [processes] [threads]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "context/enricher.h"
#include "format/event_formatter.h"
#include "util/log.h"

using namespace vigil;

namespace {

// Record - one ring-buffer record, laid out as the BPF programs write it.
struct Record {
  std::vector<std::byte> bytes;
  void item(int arg, std::string_view s, std::uint8_t flags) {
    vigil_item it{static_cast<std::uint16_t>(s.size()),
                  static_cast<std::uint8_t>(arg), flags};
    auto *p = reinterpret_cast<const std::byte *>(&it);
    bytes.insert(bytes.end(), p, p + sizeof(it));
    auto *b = reinterpret_cast<const std::byte *>(s.data());
    bytes.insert(bytes.end(), b, b + s.size());
  }
};

Record make_record(std::uint16_t kind, std::uint32_t nr, std::uint32_t pid,
                   std::uint32_t ppid, std::uint64_t ts, std::uint64_t cgroup) {
  vigil_event h{};
  h.kind = kind;
  h.nr = nr;
  h.pid = h.tid = pid;
  h.ppid = ppid;
  h.ts_ns = ts;
  h.enter_ns = ts - 1000;
  h.cgroup_id = cgroup;
  h.args[0] = static_cast<std::uint64_t>(-100);
  h.args[2] = 0x80000;
  std::memcpy(h.comm, "worker", 7);
  Record r;
  r.bytes.resize(sizeof(h));
  std::memcpy(r.bytes.data(), &h, sizeof(h));
  return r;
}

void finish(Record &r, std::uint16_t nitems) {
  auto *h = reinterpret_cast<vigil_event *>(r.bytes.data());
  h->nitems = nitems;
  h->data_len = static_cast<std::uint16_t>(r.bytes.size() - sizeof(*h));
}

std::uint64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

} // namespace

int main(int argc, char **argv) {
  const int events = argc > 1 ? std::atoi(argv[1]) : 2'000'000;
  const int processes = argc > 2 ? std::atoi(argv[2]) : 10'000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  spdlog::set_level(spdlog::level::warn);

  // No /proc and no cgroup mount: only the records below fill the tables.
  EnricherSettings settings;
  settings.process.proc_root = "/nonexistent";
  settings.container.cgroup_root = "/nonexistent";
  settings.container.runtime.docker_socket = "/nonexistent.sock";
  Enricher enricher(settings);
  enricher.start();

  const std::string id(64, 'a');
  {
    Record mk = make_record(VIGIL_EV_CGROUP_MKDIR, 0, 1, 0, 1, 0);
    reinterpret_cast<vigil_event *>(mk.bytes.data())->args[0] = 5000;
    mk.item(0, "/docker/" + id, VIGIL_ITEM_STRING);
    finish(mk, 1);
    enricher.context_for(*RawEvent::parse(mk.bytes));
  }
  using namespace std::string_literals;
  for (int i = 0; i < processes; ++i) {
    auto pid = static_cast<std::uint32_t>(1000 + i);
    Record exec = make_record(VIGIL_EV_PROCESS_EXEC, 0, pid, 1, 10, 5000);
    exec.item(0, "/usr/bin/worker", VIGIL_ITEM_STRING);
    exec.item(1, "/usr/bin/worker", VIGIL_ITEM_STRING);
    exec.item(2, "worker\0--queue\0jobs\0--threads\0004"s, VIGIL_ITEM_ARGV);
    finish(exec, 3);
    enricher.context_for(*RawEvent::parse(exec.bytes));
  }

  // The events: openat by the processes in turn, half in the container.
  std::vector<Record> recs;
  for (int i = 0; i < 1024; ++i) {
    auto pid = static_cast<std::uint32_t>(1000 + (i * 7919) % processes);
    Record r = make_record(VIGIL_EV_SYSCALL, 257, pid, 1, 1'000'000 + i,
                           i % 2 ? 5000 : 1);
    r.item(1, "/etc/ld.so.cache", VIGIL_ITEM_STRING);
    finish(r, 1);
    reinterpret_cast<vigil_event *>(r.bytes.data())->ret = 3;
    recs.push_back(std::move(r));
  }
  std::vector<RawEvent> evs;
  for (auto &r : recs)
    evs.push_back(*RawEvent::parse(r.bytes));

  EventSchema schema;
  WallClock clock;
  auto json = make_formatter(OutputFormat::kJson, schema, clock);
  std::string out;
  out.reserve(1 << 20);
  std::size_t bytes_plain = 0, bytes_ctx = 0;

  auto run = [&](const char *name, auto &&body) {
    std::uint64_t t0 = now_ns();
    for (int i = 0; i < events; ++i) {
      body(evs[static_cast<std::size_t>(i) & 1023]);
      if (out.size() > (1 << 19))
        out.clear();
    }
    double ns = static_cast<double>(now_ns() - t0) / events;
    std::printf("%-34s %8.1f ns/event\n", name, ns);
    return ns;
  };

  run("json, no context", [&](const RawEvent &ev) {
    std::size_t before = out.size();
    json->format(ev, EventContext{}, out);
    bytes_plain = out.size() - before;
  });
  run("context lookup only", [&](const RawEvent &ev) {
    EventContext ctx = enricher.context_for(ev);
    if (!ctx.process)
      std::abort();
  });
  run("context lookup + json", [&](const RawEvent &ev) {
    std::size_t before = out.size();
    json->format(ev, enricher.context_for(ev), out);
    bytes_ctx = out.size() - before;
  });

  // Several workers at once, as the pipeline runs them.
  std::vector<std::thread> pool;
  std::uint64_t t0 = now_ns();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < events; ++i) {
        EventContext ctx =
            enricher.context_for(evs[static_cast<std::size_t>(i + t) & 1023]);
        if (!ctx.process)
          std::abort();
      }
    });
  }
  for (auto &th : pool)
    th.join();
  double per = static_cast<double>(now_ns() - t0) / events;
  std::printf("%-34s %8.1f ns/event per thread (%d threads)\n",
              "context lookup, concurrent", per, threads);
  std::printf("line size: %zu bytes without context, %zu with\n", bytes_plain,
              bytes_ctx);
  enricher.stop();
  return 0;
}
