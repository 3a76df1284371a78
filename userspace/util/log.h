// log.h - vigil's own messages, on stderr through spdlog.
//
// Levels: info is what an operator cares about (what is traced, probes
// attached, losses); debug is a decision and its reason; warn is degraded
// but running; error is a failed operation. Nothing on the per-event path
// logs without a rate limit.
#pragma once

#include <spdlog/spdlog.h>

namespace vigil {

void log_setup(spdlog::level::level_enum level);

} // namespace vigil
