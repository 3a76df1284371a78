#include "context/cgroup_path.h"

#include <algorithm>
#include <array>
#include <vector>

namespace vigil {

namespace {

constexpr std::size_t kIdLen = 64;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

bool is_container_id(std::string_view s) {
  return s.size() == kIdLen && is_hex(s);
}

bool strip_prefix(std::string_view &s, std::string_view prefix) {
  if (!s.starts_with(prefix))
    return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool strip_suffix(std::string_view &s, std::string_view suffix) {
  if (!s.ends_with(suffix))
    return false;
  s.remove_suffix(suffix.size());
  return true;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty())
      parts.push_back(part);
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// A systemd scope or slice unit name carries the id as PREFIX<id>.scope;
// the cgroupfs driver of the same runtime leaves the suffix off.
struct UnitPrefix {
  std::string_view prefix;
  std::string_view runtime; // empty: a runtime helper, not a container
};

// Longer prefixes first: "crio-conmon-" must win over "crio-".
constexpr std::array<UnitPrefix, 6> kUnitPrefixes{{
    {"crio-conmon-", ""},
    {"libpod-conmon-", ""},
    {"cri-containerd-", "containerd"},
    {"docker-", "docker"},
    {"crio-", "cri-o"},
    {"libpod-", "podman"},
}};

// systemd cgroup paths that the CRI hands to runc on a cgroupfs host come
// through as "SLICE:PREFIX:ID".
constexpr std::array<UnitPrefix, 3> kColonPrefixes{{
    {"cri-containerd", "containerd"},
    {"crio", "cri-o"},
    {"docker", "docker"},
}};

// Match - what one path component says: a container, a runtime helper
// (which ends the search: nothing below it is a container), or nothing.
enum class Match { kNone, kContainer, kHelper };

Match match_unit(std::string_view part, std::string &runtime, std::string &id) {
  std::string_view name = part;
  strip_suffix(name, ".scope");
  for (const UnitPrefix &u : kUnitPrefixes) {
    std::string_view rest = name;
    if (!strip_prefix(rest, u.prefix))
      continue;
    if (u.runtime.empty())
      return Match::kHelper;
    if (!is_container_id(rest))
      return Match::kNone;
    runtime = u.runtime;
    id = rest;
    return Match::kContainer;
  }
  return Match::kNone;
}

Match match_colon(std::string_view part, std::string &runtime,
                  std::string &id) {
  std::size_t last = part.rfind(':');
  if (last == std::string_view::npos || last == 0)
    return Match::kNone;
  std::size_t first = part.rfind(':', last - 1);
  if (first == std::string_view::npos)
    return Match::kNone;
  std::string_view prefix = part.substr(first + 1, last - first - 1);
  std::string_view rest = part.substr(last + 1);
  for (const UnitPrefix &u : kColonPrefixes) {
    if (prefix == u.prefix && is_container_id(rest)) {
      runtime = u.runtime;
      id = rest;
      return Match::kContainer;
    }
  }
  return Match::kNone;
}

// A bare id is a container of the runtime its parent names: docker's
// cgroupfs driver uses /docker/<id>; containerd without Kubernetes uses
// /<namespace>/<id>. A kubelet with the cgroupfs driver puts every
// runtime's containers in /kubepods/<qos>/pod<uid>/<id>.
// Not yet told apart: docker, containerd and cri-o in that last form are
// all reported as containerd, by far the most common of them.
Match match_bare(std::string_view part, std::string_view parent,
                 std::string &runtime, std::string &id) {
  if (!is_container_id(part) || parent.empty() || is_hex(parent))
    return Match::kNone;
  runtime = parent == "docker" ? "docker" : "containerd";
  id = part;
  return Match::kContainer;
}

// match_pod - the Kubernetes pod a component names, if it does.
bool match_pod(std::string_view part, std::string_view parent,
               CgroupContainer &out) {
  std::string_view name = part;
  if (strip_suffix(name, ".slice")) {
    // kubepods-pod<uid>.slice (guaranteed) or
    // kubepods-<qos>-pod<uid>.slice, the uid with underscores.
    if (!strip_prefix(name, "kubepods-"))
      return false;
    std::string qos = "guaranteed";
    for (std::string_view q : {"burstable", "besteffort"}) {
      if (name.starts_with(q) && name.substr(q.size()).starts_with("-pod")) {
        qos = q;
        name.remove_prefix(q.size() + 1);
        break;
      }
    }
    if (!strip_prefix(name, "pod") || name.empty())
      return false;
    out.pod_uid = name;
    std::replace(out.pod_uid.begin(), out.pod_uid.end(), '_', '-');
    out.qos = qos;
    return true;
  }
  // cgroupfs: /kubepods/pod<uid> or /kubepods/<qos>/pod<uid>.
  if (!strip_prefix(name, "pod") || name.empty())
    return false;
  if (parent == "kubepods") {
    out.qos = "guaranteed";
  } else if (parent == "burstable" || parent == "besteffort") {
    out.qos = parent;
  } else {
    return false;
  }
  out.pod_uid = name;
  return true;
}

} // namespace

std::optional<CgroupContainer> parse_container_cgroup(std::string_view path) {
  std::vector<std::string_view> parts = split_path(path);
  CgroupContainer found;
  bool have = false;
  std::size_t found_at = 0;
  CgroupContainer pod;
  bool in_pod = false;

  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string_view parent = i ? parts[i - 1] : std::string_view();
    if (match_pod(parts[i], parent, pod)) {
      in_pod = true;
      continue;
    }
    std::string runtime, id;
    Match m = match_unit(parts[i], runtime, id);
    if (m == Match::kNone)
      m = match_colon(parts[i], runtime, id);
    if (m == Match::kNone)
      m = match_bare(parts[i], parent, runtime, id);
    if (m == Match::kHelper)
      break;
    if (m == Match::kContainer) {
      found.runtime = std::move(runtime);
      found.id = std::move(id);
      found.pod_uid = in_pod ? pod.pod_uid : std::string();
      found.qos = in_pod ? pod.qos : std::string();
      found_at = i;
      have = true;
    }
  }
  if (!have)
    return std::nullopt;
  found.nested = found_at + 1 < parts.size();
  return found;
}

std::string container_path_from_proc_cgroup(std::string_view text) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    std::size_t first = line.find(':');
    if (first == std::string_view::npos)
      continue;
    std::size_t second = line.find(':', first + 1);
    if (second == std::string_view::npos)
      continue;
    std::string_view path = line.substr(second + 1);
    if (parse_container_cgroup(path))
      return std::string(path);
  }
  return {};
}

} // namespace vigil
