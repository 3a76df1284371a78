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

class ProcFdPaths final : public FdPaths {
 public:
  std::string_view path(std::uint32_t pid, int fd) override;

 private:
  // Not yet handled: a descriptor reused after close keeps its old path
  // when /proc can no longer be read, because closes are not followed.
  std::map<std::pair<std::uint32_t, int>, std::string> known_;
};

}  // namespace vigil
