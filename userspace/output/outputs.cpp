#include "output/outputs.h"

#include <unistd.h>

#include "output/file_sink.h"
#include "output/http_sink.h"
#include "output/syslog_sink.h"

namespace vigil {

namespace {

std::unique_ptr<OutputSink> make_sink(const OutputConfig &o) {
  switch (o.kind) {
  case OutputKind::kStdout:
    return std::make_unique<FdSink>(STDOUT_FILENO);
  case OutputKind::kFile:
    return std::make_unique<FileSink>(o.file);
  case OutputKind::kHttp:
    return std::make_unique<HttpSink>(o.name, o.http);
  case OutputKind::kSyslog:
    return std::make_unique<SyslogSink>(o.name, o.syslog);
  }
  return nullptr;
}

} // namespace

std::vector<std::unique_ptr<OutputChannel>>
make_channels(const std::vector<OutputConfig> &outputs, int fallback_fd) {
  std::vector<std::unique_ptr<OutputChannel>> channels;
  if (outputs.empty()) {
    // Named for where it writes, as the warnings and /metrics show it.
    OutputConfig defaults;
    std::string name = fallback_fd == STDOUT_FILENO   ? "stdout"
                       : fallback_fd == STDERR_FILENO ? "stderr"
                                                      : "file";
    channels.push_back(std::make_unique<OutputChannel>(
        name, std::make_unique<FdSink>(fallback_fd), defaults.queue_bytes,
        std::chrono::milliseconds(defaults.drain_ms)));
    return channels;
  }
  for (const OutputConfig &o : outputs) {
    std::string name = o.name.empty() ? kind_name(o.kind) : o.name;
    channels.push_back(
        std::make_unique<OutputChannel>(name, make_sink(o), o.queue_bytes,
                                        std::chrono::milliseconds(o.drain_ms)));
  }
  return channels;
}

} // namespace vigil
