#include "app/container_scope.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace vigil {

ContainerScopeKeeper::ContainerScopeKeeper(const ContainerScope &scope,
                                           BpfCapture &capture,
                                           ContainerCache &cache)
    : scope_(scope), capture_(capture), cache_(cache) {}

bool ContainerScopeKeeper::named(const ContainerInfo &c) const {
  for (const std::string &ref : scope_.refs) {
    std::string_view name = c.name;
    if (!name.empty() && name.front() == '/')
      name.remove_prefix(1);
    if (c.id.starts_with(ref) || name == ref)
      return true;
  }
  return false;
}

std::uint8_t ContainerScopeKeeper::state_of(const ContainerInfo *c) const {
  if (c == nullptr)
    return 0;
  std::uint8_t state = VIGIL_CGROUP_CONTAINER;
  if (!old_containers_.contains(c->id))
    state |= VIGIL_CGROUP_NEW;
  if (named(*c))
    state |= VIGIL_CGROUP_SELECTED;
  return state;
}

void ContainerScopeKeeper::reconcile() {
  std::vector<std::pair<std::uint64_t, std::string>> cgroups =
      cache_.cgroups().entries();
  std::vector<std::shared_ptr<const ContainerInfo>> owners(cgroups.size());
  for (std::size_t i = 0; i < cgroups.size(); ++i) {
    owners[i] = cache_.container_of_path(cgroups[i].second);
    if (first_ && owners[i])
      old_containers_.insert(owners[i]->id);
  }
  std::unordered_set<std::uint64_t> present;
  for (std::size_t i = 0; i < cgroups.size(); ++i) {
    std::uint64_t id = cgroups[i].first;
    std::uint8_t want = state_of(owners[i].get());
    present.insert(id);
    // A cgroup seen for the first time may hold the kernel's guess for a
    // new one: it is written even when it is no container's.
    auto w = written_.find(id);
    if (w == written_.end() || w->second != want) {
      capture_.set_cgroup_state(id, want);
      written_[id] = want;
    }
  }
  // Removed cgroups: the kernel dropped their entries at rmdir.
  std::erase_if(written_,
                [&](const auto &e) { return !present.contains(e.first); });
  first_ = false;
}

namespace {

// runtime_setup - the runtime's own process in the container's cgroup
// (runc init, crun) setting it up before the entrypoint's exec.
bool runtime_setup(const ProcessInfo *p) {
  if (p == nullptr)
    return false;
  std::string_view exe = p->exe;
  exe.remove_prefix(std::min(exe.size(), exe.rfind('/') + 1));
  return p->comm.starts_with("runc") || exe == "runc" || exe == "crun";
}

} // namespace

bool ContainerScopeKeeper::keeps(const EventContext &ctx) const {
  const ContainerInfo *c = ctx.container.get();
  if (scope_.none)
    return c == nullptr;
  if (c == nullptr)
    return false;
  if (scope_.any)
    return true;
  // A new container is its own from the entrypoint's exec on.
  if (scope_.fresh && !old_containers_.contains(c->id) &&
      !runtime_setup(ctx.process.get()))
    return true;
  return named(*c);
}

} // namespace vigil
