// proc_fd_paths.h - file descriptor paths for vigil trace -y, read from
// /proc/PID/fd and remembered, because a descriptor printed after the
// process closed it or exited can no longer be read there.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "decode/arg_decoder.h"

namespace vigil {

// ProcFdPaths - what the traced syscalls say first (a path opened, a
// descriptor copied or closed), /proc where they say nothing (pipes,
// sockets, descriptors older than the trace). Used by one thread.
class ProcFdPaths final : public FdPaths {
public:
  std::string_view path(std::uint32_t pid, int fd) override;
  void observe(const RawEvent &ev, const SyscallSchema &sc) override;
  void forked(std::uint32_t parent, std::uint32_t child) override;
  // seed - reads every descriptor a live process has now, so that
  // inherited ones are known after it exits. With
  // before_exec, only those that survive its exec: vigil trace's command
  // is read while it waits to exec.
  void seed(std::uint32_t pid, bool before_exec = false);

private:
  using Key = std::pair<std::uint32_t, int>;
  // Also each process's working directory, under fd AT_FDCWD.
  std::map<Key, std::string> known_;
};

} // namespace vigil
