// cgroup_map.h - cgroup v2 ids to paths. The kernel stamps each record
// with the id of the task's v2 cgroup, which is the inode number of that
// cgroup's directory; the map is filled by walking the v2 mount once at
// start-up and kept current from the cgroup mkdir and rmdir records.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vigil {

// find_cgroup2_mount - the mount point of the cgroup2 filesystem in the
// text of a /proc/self/mountinfo; empty when none is mounted. Hybrid
// hosts mount it at /sys/fs/cgroup/unified, pure v2 hosts at
// /sys/fs/cgroup: it is never assumed.
std::string find_cgroup2_mount(std::string_view mountinfo);

class CgroupMap {
public:
  // kMaxEntries - cgroups remembered; past it new ones go unnamed.
  static constexpr std::size_t kMaxEntries = 262144;

  // walk - every directory below root, as "/a/b" paths relative to it
  // (the root itself is "/"); returns how many were found.
  std::size_t walk(const std::string &root);

  void add(std::uint64_t id, std::string path);
  void remove(std::uint64_t id);
  std::optional<std::string> path(std::uint64_t id) const;
  // knows - whether id has a path, without copying it.
  bool knows(std::uint64_t id) const;
  std::size_t size() const;
  // entries - a copy of every (id, path) known now.
  std::vector<std::pair<std::uint64_t, std::string>> entries() const;

private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::uint64_t, std::string> paths_;
};

} // namespace vigil
