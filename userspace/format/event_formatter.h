// event_formatter.h - turns one decoded record into one output line.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "context/context.h"
#include "decode/arg_decoder.h"
#include "decode/event_schema.h"
#include "decode/raw_event.h"
#include "util/clock.h"

namespace vigil {

enum class OutputFormat {
  kJson,   // one JSON object per event
  kText,   // one readable line per event, for a person
  kStrace, // strace's lines, for vigil trace
};

enum class Timestamps { kNone, kSeconds, kMicros, kEpoch }; // -t -tt -ttt

struct FormatOptions {
  DecodeOptions decode;
  // strace's pid prefix on every line, as -f -o FILE has it; without it,
  // lines have one once a second task has shown up.
  bool pid_prefix = false;
  // The prefix's form: the pid in a column ("1234  ", as strace writes
  // to a file), or "[pid  1234] " (as to a terminal).
  bool pid_column = false;
  // strace -f: a +++ exited line for each thread that ends, not only the
  // last of a process, and a new child process, like a new thread, makes
  // lines carry their pid.
  bool follow = false;
  Timestamps timestamps = Timestamps::kNone;
  bool durations = false; // strace -T
};

// EventFormatter - appends one line, with its newline, per event; an
// event a format does not show appends nothing. ctx is what is known of
// the event's process and container. Not thread-safe: each worker owns
// one.
class EventFormatter {
public:
  virtual ~EventFormatter() = default;
  virtual void format(const RawEvent &ev, const EventContext &ctx,
                      std::string &out) = 0;
};

std::unique_ptr<EventFormatter>
make_formatter(OutputFormat format, const EventSchema &schema,
               const WallClock &clock, const FormatOptions &options = {});

// event_name - "openat", "sched_process_exec", ...
std::string_view event_name(const RawEvent &ev, const EventSchema &schema);

} // namespace vigil
