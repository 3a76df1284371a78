// container_metadata.h - what a container runtime says about a container:
// its name, image and labels. Asked from the background thread only: a
// runtime's API can be slow or gone, and events never wait for it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "context/context.h"

namespace vigil {

struct RuntimeSettings {
  std::string docker_socket = "/var/run/docker.sock";
  std::string docker_root = "/var/lib/docker";
  std::string podman_root = "/var/lib/containers/storage";
  long timeout_ms = 1000; // per Docker API request
};

// ContainerMeta - the runtime's answer.
struct ContainerMeta {
  std::string name;
  std::string image;
  std::string image_id;
  std::map<std::string, std::string> labels;
};

// parse_docker_container - a Docker Engine API /containers/ID/json reply,
// or the config.v2.json of the container in Docker's data root, which
// share their layout. The leading slash of Docker's names is removed.
std::optional<ContainerMeta> parse_docker_container(std::string_view json);

// parse_podman_containers - the entry for id in the containers.json of
// containers/storage (overlay-containers/containers.json).
std::optional<ContainerMeta> parse_podman_containers(std::string_view json,
                                                     std::string_view id);

// apply_meta - copies meta into info, and the Kubernetes pod name,
// namespace and uid from the CRI's labels.
void apply_meta(const ContainerMeta &meta, ContainerInfo &info);

// resolve_container - asks the runtime of runtime about id: Docker's API
// first, then its state file; podman's storage. nullopt when the runtime
// has no answer (or vigil cannot ask it: containerd and cri-o).
std::optional<ContainerMeta> resolve_container(const RuntimeSettings &s,
                                               std::string_view runtime,
                                               std::string_view id);

// docker_api_get - the body of a GET on the Docker socket; nullopt on a
// failed request or a status other than 200. Exposed for tests.
std::optional<std::string> docker_api_get(const RuntimeSettings &s,
                                          const std::string &path);

} // namespace vigil
