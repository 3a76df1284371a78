// event_formatter.h - turns one decoded record into one output line.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "decode/event_schema.h"
#include "decode/raw_event.h"
#include "util/clock.h"

namespace vigil {

enum class OutputFormat { kJson, kText };

// EventFormatter - appends exactly one line, with its newline, per event.
// Not thread-safe: each worker owns one.
class EventFormatter {
public:
  virtual ~EventFormatter() = default;
  virtual void format(const RawEvent &ev, std::string &out) = 0;
};

std::unique_ptr<EventFormatter> make_formatter(OutputFormat format,
                                               const EventSchema &schema,
                                               const WallClock &clock);

// event_name - "openat", "sched_process_exec", ...
std::string_view event_name(const RawEvent &ev, const EventSchema &schema);

} // namespace vigil
