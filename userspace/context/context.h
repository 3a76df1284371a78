// context.h - what vigil knows about the process and the container behind
// an event, beyond what the kernel put in the record. The process table
// and the container cache fill these; the formatters and the rules
// engine read them. An event is never held back for its context: a
// field not known yet is empty (or zero), and is filled on later events.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// Namespaces - inode numbers of a process's namespaces; 0 when unknown.
struct Namespaces {
  std::uint32_t pid = 0, mnt = 0, net = 0, uts = 0, user = 0, cgroup = 0;
};

// Ancestor - a process up the parent chain, as last seen.
struct Ancestor {
  std::uint32_t pid = 0;
  std::string comm;
  std::string exe;
};

// ProcessInfo - one thread group as the process table knows it.
struct ProcessInfo {
  std::uint32_t pid = 0;    // host thread group id
  std::uint32_t ns_pid = 0; // the same, inside its pid namespace
  std::uint32_t ppid = 0;
  std::string comm;
  std::string exe;          // as the kernel sees it (/proc/PID/exe)
  bool exe_deleted = false; // the binary was unlinked after exec
  bool exe_memfd = false;   // the binary is a memfd (fileless)
  std::vector<std::string> cmdline;
  bool cmdline_truncated = false; // the capture bound cut the arguments
  std::uint64_t start_ns = 0;     // CLOCK_MONOTONIC; 0 when unknown
  std::uint32_t uid = 0, gid = 0;
  std::uint32_t loginuid = 0xffffffff; // unset, as the kernel says
  std::string user, group;             // names of uid and gid
  Namespaces ns;
  std::vector<Ancestor> ancestors; // nearest first, bounded
};

// PodInfo - Kubernetes metadata, from the CRI labels.
struct PodInfo {
  std::string name, ns, uid, qos;
};

// ContainerInfo - a container as the runtime describes it.
struct ContainerInfo {
  std::string id;      // full id, 64 hex digits for most runtimes
  std::string runtime; // docker, podman, containerd, cri-o
  std::string name;
  std::string image;
  std::string image_id;
  std::map<std::string, std::string> labels;
  PodInfo pod;
  std::string cgroup; // the cgroup v2 path it was found from
};

// EventContext - handed with each record to the formatters and the
// rules; either pointer may be null (not known, or not a container).
// user and group name the uid and gid of the record's header (which a
// setuid may have changed since the process table's snapshot); empty
// when unknown. They stay valid for as long as vigil runs.
struct EventContext {
  std::shared_ptr<const ProcessInfo> process;
  std::shared_ptr<const ContainerInfo> container;
  std::string_view user, group;
};

} // namespace vigil
