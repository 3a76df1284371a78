// monitor.h - vigil's main job: capture system-wide within the scope the
// user gave, until a signal or the output goes away.
#pragma once

#include "cli/options.h"

namespace vigil {

// run_monitor - the exit status: 0 after a signal or a closed output, 1
// after a failed start-up step (already reported).
int run_monitor(const MonitorOptions &opts);

} // namespace vigil
