// trace.h - vigil trace: strace's job on vigil's capture. Runs a command
// traced from its exec on, or attaches to running processes, and prints
// strace's lines or summary table.
#pragma once

#include "cli/options.h"

namespace vigil {

// run_trace - the command's exit status (128 + signal if it was killed),
// or 0 for -p once the processes are gone or on Ctrl-C.
int run_trace(const TraceOptions &opts);

} // namespace vigil
