// summary_table.h - strace -c's table: % time, seconds, usecs/call,
// calls, errors, syscall, and a total row.
#pragma once

#include <string>
#include <vector>

#include "capture/bpf_capture.h"
#include "cli/options.h"
#include "decode/event_schema.h"

namespace vigil {

std::string format_summary(std::vector<SyscallTotals> rows,
                           const EventSchema &schema, SummarySort sort);

} // namespace vigil
