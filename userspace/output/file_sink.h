// file_sink.h - standard output, and files that rotate by size and are
// reopened after SIGUSR1 (logrotate's create mode). Rotation happens only
// between lines, so no line is ever split across two files.
#pragma once

#include <string>

#include "output/output_config.h"
#include "output/output_sink.h"

namespace vigil {

// FdSink - a descriptor vigil does not own: stdout, or vigil trace's
// stderr or -o file. A failed write closes the output.
class FdSink : public OutputSink {
public:
  explicit FdSink(int fd) : fd_(fd) {}
  Delivery deliver(std::string_view lines, RetryControl &retry) override;

private:
  int fd_;
};

class FileSink : public OutputSink {
public:
  // Opens the file; throws StartupError when it cannot.
  explicit FileSink(const FileOutputConfig &config);
  ~FileSink() override;

  Delivery deliver(std::string_view lines, RetryControl &retry) override;
  void reopen() override;

private:
  void rotate();
  int open_file(bool truncate) const;

  FileOutputConfig config_;
  int fd_ = -1;
  std::uint64_t size_ = 0; // bytes in the open file
};

// write_all - every byte, or the errno of the write that failed.
int write_all(int fd, std::string_view bytes);

} // namespace vigil
