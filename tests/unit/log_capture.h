// log_capture.h - vigil's spdlog messages captured in a string for a
// test, as "warning: text" lines; the previous default logger comes back
// at the end.
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace vigil::test {

class LogCapture {
public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_pattern("%l: %v");
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture &) = delete;
  LogCapture &operator=(const LogCapture &) = delete;

  std::string text() const { return text_.str(); }

private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

} // namespace vigil::test
