// trace.h - vigil trace: strace's job on vigil's capture. Runs a command
// traced from its exec on, or attaches to running processes, and prints
// strace's lines or summary table.
#pragma once

#include "cli/options.h"

namespace vigil {

// run_trace - the command's exit status, or 0 for -p once the processes
// are gone or on Ctrl-C. A command killed by a signal kills vigil with
// the same signal once its output is written (128 + signal if that
// signal cannot end vigil).
int run_trace(const TraceOptions &opts);

} // namespace vigil
