#include "output/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "capture/bpf_capture.h"
#include "util/log.h"

namespace vigil {

int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return n < 0 ? errno : EIO;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

Delivery FdSink::deliver(std::string_view lines, RetryControl &) {
  int err = write_all(fd_, lines);
  if (err == 0)
    return {count_lines(lines), 0};
  // A reader that went away (vigil | head) is the normal end of a pipe.
  if (err != EPIPE)
    spdlog::error("writing events failed: {}", std::strerror(err));
  return {0, count_lines(lines), true, err};
}

FileSink::FileSink(const FileOutputConfig &config) : config_(config) {
  fd_ = open_file(!config_.append);
  if (fd_ < 0) {
    throw StartupError("cannot open output " + config_.path + ": " +
                       std::strerror(errno));
  }
  struct stat st {};
  size_ = fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

FileSink::~FileSink() {
  if (fd_ >= 0)
    ::close(fd_);
}

int FileSink::open_file(bool truncate) const {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND);
  return ::open(config_.path.c_str(), flags, config_.mode);
}

// whole_lines_within - the bytes of the leading whole lines of text that
// fit in room; 0 when not even the first line does.
static std::size_t whole_lines_within(std::string_view text,
                                      std::uint64_t room) {
  if (text.size() <= room)
    return text.size();
  std::size_t last = text.rfind('\n', room == 0 ? 0 : room - 1);
  return last == std::string_view::npos || room == 0 ? 0 : last + 1;
}

Delivery FileSink::deliver(std::string_view lines, RetryControl &) {
  Delivery d;
  std::uint64_t limit = config_.rotate_bytes;
  while (!lines.empty()) {
    std::size_t take = lines.size();
    if (limit != 0 && size_ + take > limit) {
      take = whole_lines_within(lines, limit > size_ ? limit - size_ : 0);
      if (take == 0 && size_ > 0) {
        rotate();
        continue;
      }
      // A line longer than the limit gets a file of its own.
      if (take == 0)
        take = lines.find('\n') + 1;
    }
    std::string_view part = lines.substr(0, take);
    if (int err = write_all(fd_, part); err != 0) {
      spdlog::error("writing events to {} failed: {}", config_.path,
                    std::strerror(err));
      d.failed += count_lines(lines);
      d.closed = true;
      d.error = err;
      return d;
    }
    d.delivered += count_lines(part);
    size_ += take;
    lines.remove_prefix(take);
    if (limit != 0 && size_ >= limit)
      rotate();
  }
  return d;
}

void FileSink::rotate() {
  const std::string &p = config_.path;
  auto numbered = [&](int n) { return p + "." + std::to_string(n); };
  if (config_.keep == 0) {
    ::unlink(p.c_str());
  } else {
    for (int n = config_.keep - 1; n >= 1; --n)
      ::rename(numbered(n).c_str(), numbered(n + 1).c_str());
    if (::rename(p.c_str(), numbered(1).c_str()) != 0 && errno != ENOENT) {
      // Truncating a file that could not be moved away would lose it:
      // keep writing to it and try again at the next limit.
      spdlog::warn("cannot rotate {}: {}", p, std::strerror(errno));
      size_ = 0;
      return;
    }
  }
  int fd = open_file(true);
  if (fd < 0) {
    spdlog::warn("cannot open {} after rotating it: {}; writing on to the "
                 "rotated file",
                 p, std::strerror(errno));
    size_ = 0;
    return;
  }
  ::close(fd_);
  fd_ = fd;
  size_ = 0;
}

void FileSink::reopen() {
  // logrotate has moved the file away: lines written until now went to
  // the moved file through the old descriptor, later ones go to a new
  // file at the path.
  int fd = open_file(false);
  if (fd < 0) {
    spdlog::warn("cannot reopen {}: {}; writing on to the old file",
                 config_.path, std::strerror(errno));
    return;
  }
  ::close(fd_);
  fd_ = fd;
  struct stat st {};
  size_ = fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  spdlog::info("reopened {}", config_.path);
}

} // namespace vigil
