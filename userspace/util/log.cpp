#include "util/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace vigil {

void log_setup(spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_color_mt("vigil");
  logger->set_pattern("vigil: %^%l%$: %v");
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

} // namespace vigil
