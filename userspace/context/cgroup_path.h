// cgroup_path.h - which container, if any, a cgroup path belongs to. Pure
// string work: the runtimes' naming conventions, nothing read from disk.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// CgroupContainer - what a cgroup path alone says about its container.
struct CgroupContainer {
  std::string runtime; // docker, podman, containerd, cri-o
  std::string id;      // the container id, as in the path
  std::string pod_uid; // Kubernetes pod UID, with dashes; empty if none
  std::string qos;     // guaranteed, burstable, besteffort; empty if none
  // The path is below the container's own cgroup (a child it made), not
  // the container's cgroup itself.
  bool nested = false;
};

// parse_container_cgroup - the container of a cgroup v2 (or v1) path such
// as "/docker/<id>" or "/kubepods.slice/.../cri-containerd-<id>.scope";
// nullopt for a path outside any container. When containers nest (a
// container runtime inside a container) the innermost one is returned.
// Runtime helpers (crio-conmon-, libpod-conmon-) are not containers.
std::optional<CgroupContainer> parse_container_cgroup(std::string_view path);

// container_path_from_proc_cgroup - the first path in the text of a
// /proc/PID/cgroup file ("ID:CONTROLLERS:PATH" lines) that belongs to a
// container; empty when none does. Used when there is no cgroup v2 mount.
std::string container_path_from_proc_cgroup(std::string_view text);

} // namespace vigil
