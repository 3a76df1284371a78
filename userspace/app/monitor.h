// monitor.h - vigil's main job: capture system-wide within the scope the
// user gave, until a signal or the output goes away.
#pragma once

#include <string>

#include "app/session.h"
#include "cli/options.h"

namespace vigil {

// run_monitor - the exit status: 0 after a signal or a reader that went
// away, 1 when an output failed (report_run_end). Start-up failures
// throw StartupError.
int run_monitor(const MonitorOptions &opts);

// warn_missing_exes - a start-up step: warns about each --exe path that
// does not exist. It is traced all the same, since the program may be
// installed after vigil started, but a mistyped path traces nothing.
void warn_missing_exes(const Scope &scope);

// report_run_end - the final summary of a run, and its exit status: 1
// when an output failed (closed by an error, or lines it gave up: a
// write error, a refusal, undelivered at exit), with a line naming each
// such output and what it lost; 0 otherwise. An output that only
// overflowed its queue was slow, not failed: the summary counts it.
int report_run_end(const Totals &t, int output_error);

// writes_stdout - one of the outputs is standard output.
bool writes_stdout(const MonitorOptions &opts);

// check_config - vigil config check FILE: prints "FILE: OK", or every
// problem on stderr; the exit status.
int check_config(const std::string &path);

// open_output - path opened for writing, or fallback_fd when path is
// empty or "-".
int open_output(const std::string &path, int fallback_fd);

} // namespace vigil
