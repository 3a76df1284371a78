// container_cache.h - the container behind a record's cgroup. A cgroup
// id is named through the CgroupMap, its path parsed (cgroup_path.h) and
// the answer cached per id, so a known cgroup costs a shared lock and a
// hash lookup. What only the runtime knows (name, image, labels) is asked
// from a background thread, which swaps in a fuller snapshot when it has
// one: until then an event carries the id and runtime alone.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "context/cgroup_map.h"
#include "context/cgroup_path.h"
#include "context/container_metadata.h"
#include "context/context.h"
#include "decode/raw_event.h"

namespace vigil {

struct ContainerSettings {
  RuntimeSettings runtime;
  std::string mountinfo = "/proc/self/mountinfo";
  std::string cgroup_root; // empty: the cgroup2 mount in mountinfo
  std::string proc_root = "/proc";
  // How long a removed cgroup stays, for its events still in flight.
  std::uint64_t remove_grace_ns = 5'000'000'000;
  std::size_t max_cgroups = 65536;
  // Attempts to resolve a container's metadata, the first at once, the
  // others after 1 s and 4 s: a runtime may write its state just after
  // it made the cgroup.
  int resolve_attempts = 3;
};

struct ContainerStats {
  std::size_t cgroups = 0;      // cgroup ids cached
  std::size_t containers = 0;   // containers known
  std::uint64_t resolved = 0;   // metadata found
  std::uint64_t unresolved = 0; // attempts exhausted without an answer
  std::uint64_t unmapped = 0;   // ids with no known path
  bool cgroup_v2 = false;
};

class ContainerCache {
public:
  explicit ContainerCache(ContainerSettings settings = {});

  // start - finds the cgroup2 mount and walks it. Without one, containers
  // are found from /proc/PID/cgroup instead (the v1 fallback).
  void start();

  // lookup - the container of a record; null outside containers. A
  // cgroup id first seen, and not mapped yet, is named from
  // /proc/PID/cgroup of the record's process or its parent (once per
  // cgroup).
  std::shared_ptr<const ContainerInfo>
  lookup(std::uint64_t cgroup_id, std::uint32_t pid, std::uint32_t ppid = 0);

  // on_record - applies a cgroup mkdir or rmdir; returns the container
  // whose own cgroup the record creates or removes, else null.
  std::shared_ptr<const ContainerInfo> on_record(const RawEvent &ev);

  // resolve_pending - asks the runtimes about new containers; called by
  // the background thread (and by tests), never by a worker.
  void resolve_pending(std::uint64_t now_ns);
  // rescan_unmapped - walks the cgroup2 mount again when ids without a
  // path were looked up (their mkdir record was lost or came before the
  // walk), at most once a second; the background thread calls it.
  void rescan_unmapped(std::uint64_t now_ns);
  // sweep - drops removed cgroups and their containers past the grace.
  void sweep(std::uint64_t now_ns);

  ContainerStats stats() const;
  CgroupMap &cgroups() { return map_; }
  // container_of_path - the container a cgroup path is in (its own
  // cgroup or one below it), as known now; null outside containers. A
  // container first met here is asked about like any other.
  std::shared_ptr<const ContainerInfo>
  container_of_path(const std::string &path);

private:
  struct CgroupEntry {
    std::shared_ptr<const ContainerInfo> info; // null: not a container
    bool own = false;             // the container's own cgroup, not a child
    bool unmapped = false;        // no path known when first looked up
    std::uint64_t removed_ns = 0; // 0 while it exists
  };
  struct Pending {
    std::string id;
    std::uint64_t due_ns = 0;
    int attempts = 0;
  };

  CgroupEntry classify(const std::string &path);
  std::shared_ptr<const ContainerInfo> lookup_v1(std::uint32_t pid);
  std::optional<std::string> path_from_proc(std::uint64_t id,
                                            std::uint32_t pid);
  // Callers hold mutex_.
  std::shared_ptr<const ContainerInfo>
  shared_container(const CgroupContainer &c, const std::string &path);
  void publish(const std::string &id,
               std::shared_ptr<const ContainerInfo> info);

  ContainerSettings settings_;
  CgroupMap map_;
  std::string root_; // the cgroup2 mount; empty without one
  bool v2_ = false;
  std::atomic<bool> rescan_wanted_{false};
  std::uint64_t last_rescan_ns_ = 0; // background thread only

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::uint64_t, CgroupEntry> cgroups_;
  std::unordered_map<std::string, std::shared_ptr<const ContainerInfo>>
      containers_;
  std::unordered_map<std::uint32_t, std::shared_ptr<const ContainerInfo>>
      by_pid_; // v1 fallback only
  std::deque<Pending> pending_;
  std::uint64_t resolved_ = 0, unresolved_ = 0, unmapped_ = 0;
};

} // namespace vigil
