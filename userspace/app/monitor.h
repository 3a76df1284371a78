// monitor.h - vigil's main job: capture system-wide within the scope the
// user gave, until a signal or the output goes away.
#pragma once

#include <string>

#include "cli/options.h"

namespace vigil {

// run_monitor - the exit status: 0 after a signal or a closed output.
// Start-up failures throw StartupError.
int run_monitor(const MonitorOptions &opts);

// warn_missing_exes - a start-up step: warns about each --exe path that
// does not exist. It is traced all the same, since the program may be
// installed after vigil started, but a mistyped path traces nothing.
void warn_missing_exes(const Scope &scope);

// writes_stdout - one of the outputs is standard output.
bool writes_stdout(const MonitorOptions &opts);

// check_config - vigil config check FILE: prints "FILE: OK", or every
// problem on stderr; the exit status.
int check_config(const std::string &path);

// open_output - path opened for writing, or fallback_fd when path is
// empty or "-".
int open_output(const std::string &path, int fallback_fd);

} // namespace vigil
