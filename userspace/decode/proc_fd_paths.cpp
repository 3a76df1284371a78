#include "decode/proc_fd_paths.h"

#include <unistd.h>

namespace vigil {

std::string_view ProcFdPaths::path(std::uint32_t pid, int fd) {
  char link[64];
  std::snprintf(link, sizeof(link), "/proc/%u/fd/%d", pid, fd);
  char target[4096];
  ssize_t n = readlink(link, target, sizeof(target));
  auto &slot = known_[{pid, fd}];
  if (n > 0) slot.assign(target, static_cast<std::size_t>(n));
  return slot;
}

}  // namespace vigil
