// process_table.h - every thread group vigil knows of, seeded from /proc
// at start-up and kept current from the kernel's fork, exec, exit and
// rename records. Lookups hand out shared immutable snapshots: a change
// builds a new ProcessInfo and swaps the pointer (copy-on-write), so a
// reader never holds the lock longer than a hash lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "context/context.h"
#include "context/user_names.h"
#include "decode/raw_event.h"

namespace vigil {

struct ProcessTableSettings {
  std::string proc_root = "/proc";
  // Entries past this are not added (and counted): a fork bomb must not
  // take vigil's memory with it. About 1 KiB each.
  std::size_t max_entries = 65536;
  // How long an exited process stays, for its events still in flight in
  // other workers' queues.
  std::uint64_t exit_grace_ns = 5'000'000'000;
  // /proc reads for pids no record told of, per second at most, and how
  // long a pid that was not there is not asked again.
  std::uint32_t proc_reads_per_sec = 200;
  std::uint64_t negative_ttl_ns = 10'000'000'000;
  std::size_t max_ancestors = 8;
};

// ProcessTableStats - what the table holds and what it could not do.
struct ProcessTableStats {
  std::size_t entries = 0;
  std::uint64_t proc_reads = 0;        // pids read from /proc after start
  std::uint64_t proc_read_failed = 0;  // gone, or a kernel thread's tid
  std::uint64_t proc_read_limited = 0; // not read: over the rate bound
  std::uint64_t table_full = 0;        // processes not added: at the cap
  std::uint64_t expired = 0;           // exited processes dropped
};

class ProcessTable {
public:
  // names may be null: the snapshots then carry no user and group names.
  explicit ProcessTable(ProcessTableSettings settings = {},
                        UserNames *names = nullptr);

  // seed - every process running now, from /proc; returns how many.
  std::size_t seed();

  // on_record - applies a fork, exec, exit or rename record; other
  // records are ignored. Records of one process may come in any order
  // (different workers handle them): each carries its kernel time, and a
  // record older than what an entry already reflects changes nothing.
  void on_record(const RawEvent &ev);

  // lookup - the process of a record's header. The header's ppid is the
  // truth: a process whose parent died is shown with its new parent. An
  // unknown pid is read from /proc, within the rate bound.
  std::shared_ptr<const ProcessInfo> lookup(const vigil_event &h);
  // find - what the table holds for pid, without reading /proc.
  std::shared_ptr<const ProcessInfo> find(std::uint32_t pid) const;

  // sweep - drops processes that exited more than the grace period
  // before now_ns (CLOCK_MONOTONIC).
  void sweep(std::uint64_t now_ns);

  ProcessTableStats stats() const;

private:
  struct Entry {
    std::shared_ptr<const ProcessInfo> info;
    std::uint64_t last_ns = 0;   // kernel time of the newest record applied
    std::uint64_t exited_ns = 0; // 0 while alive
  };

  void on_fork(const RawEvent &ev);
  void on_exec(const RawEvent &ev);
  void on_exit(const RawEvent &ev);
  void on_rename(const RawEvent &ev);

  std::shared_ptr<const ProcessInfo> read_unknown(std::uint32_t pid);
  std::shared_ptr<const ProcessInfo> reparent(std::uint32_t pid,
                                              std::uint32_t ppid);
  // Callers hold mutex_.
  std::vector<Ancestor> chain_from(std::uint32_t ppid) const;
  bool make_room();
  void store(std::uint32_t pid, std::shared_ptr<const ProcessInfo> info,
             std::uint64_t ts);
  void fill_names(ProcessInfo &info);

  ProcessTableSettings settings_;
  UserNames *names_;

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::uint32_t, Entry> entries_;
  std::uint64_t table_full_ = 0; // under mutex_
  std::uint64_t expired_ = 0;    // under mutex_

  // The /proc path for unknown pids, one reader at a time.
  mutable std::mutex proc_mutex_;
  std::unordered_map<std::uint32_t, std::uint64_t> absent_until_;
  std::uint64_t window_start_ns_ = 0;
  std::uint32_t window_reads_ = 0;
  std::uint64_t proc_reads_ = 0;
  std::uint64_t proc_read_failed_ = 0;
  std::uint64_t proc_read_limited_ = 0;
};

} // namespace vigil
