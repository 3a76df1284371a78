// monitor_fields.h - the monitor's settings as one table: each entry is
// the flag, the configuration file key, the help and the parser of one
// setting. Adding a setting is adding an entry.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "cli/options.h"
#include "config/config_reader.h"
#include "config/field.h"

namespace vigil {

std::span<const Field<MonitorOptions>> monitor_fields();

// read_config_file - applies path's settings to opts; the problems found,
// none when the file is usable.
std::vector<ConfigProblem> read_config_file(const std::string &path,
                                            MonitorOptions &opts);

// finish_settings - checks what only the whole set of settings shows
// (--container with --no-container, the outputs); throws ValueError.
void finish_settings(MonitorOptions &opts);

// check_event_name - throws ValueError unless name is a syscall or one
// of the process events.
void check_event_name(const std::string &name);

// finish_outputs - names the outputs and checks what only the whole set
// of settings shows; throws ValueError.
void finish_outputs(MonitorOptions &opts);

// parse_metrics_address - "HOST:PORT" or "PORT" (loopback), checked.
std::pair<std::string, int> parse_metrics_address(const std::string &text);

} // namespace vigil
