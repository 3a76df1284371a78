// line_fields.h - the few fields the network outputs need from a JSON
// event line, found without parsing the whole line: the JSON formatter
// writes "time" and "event" first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// leading_string_field - the value of "key":"..." among the first keys of
// line, when it holds no escapes; nothing otherwise.
std::optional<std::string_view> leading_string_field(std::string_view line,
                                                     std::string_view key);

// rfc5424_time - "2026-12-03T14:03:21.683179Z" from the event's time
// (RFC 5424 allows six fraction digits), or now when the line has none.
std::string rfc5424_time(std::string_view line);

// epoch_seconds - "1764770601.683179050", the event's time as Splunk's
// "time" wants it, or now.
std::string epoch_seconds(std::string_view line);

} // namespace vigil
