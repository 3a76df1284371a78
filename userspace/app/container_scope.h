// container_scope.h - --container and --no-container. The kernel decides
// by cgroup id from a map that only userspace can fill, since only it
// reads cgroup paths: this keeps the map in step with the container
// cache, and checks in userspace what the kernel let through on a guess
// (a cgroup created a moment ago that no one has read yet).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "capture/bpf_capture.h"
#include "context/container_cache.h"
#include "context/context.h"

namespace vigil {

class ContainerScopeKeeper {
public:
  ContainerScopeKeeper(const ContainerScope &scope, BpfCapture &capture,
                       ContainerCache &cache);

  // reconcile - writes each cgroup's state into the kernel's map when it
  // changed: a container's, a new container's, one that --container
  // names. The first call, before the programs attach, also learns which
  // containers were there before vigil. Called from one thread only.
  void reconcile();

  // keeps - whether an event with this context is in scope; any worker
  // may ask, once the first reconcile has run.
  bool keeps(const EventContext &ctx) const;

private:
  bool named(const ContainerInfo &c) const;
  std::uint8_t state_of(const ContainerInfo *c) const;

  ContainerScope scope_;
  BpfCapture &capture_;
  ContainerCache &cache_;
  bool first_ = true;
  std::unordered_set<std::string> old_containers_; // ids at start-up
  std::unordered_map<std::uint64_t, std::uint8_t> written_;
};

} // namespace vigil
