#include "output/line_fields.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace vigil {

namespace {

// Only the head of a line is searched: "time" and "event" are its first
// keys, and a key of the same name deeper in the line is some argument.
constexpr std::size_t kHeadBytes = 96;

struct SplitTime {
  std::time_t seconds = 0;
  std::string fraction; // digits after the point, may be empty
};

std::optional<SplitTime> parse_time(std::string_view text) {
  std::tm tm{};
  int used = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
                  &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
                  &used) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  SplitTime t;
  std::size_t i = static_cast<std::size_t>(used);
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]));
         ++i)
      t.fraction.push_back(s[i]);
  }
  if (i >= s.size() || s[i] != 'Z')
    return std::nullopt; // vigil writes UTC; anything else is not ours
  t.seconds = timegm(&tm);
  return t;
}

SplitTime now_time() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
  char frac[16];
  std::snprintf(frac, sizeof(frac), "%09lld",
                static_cast<long long>(ns % 1000000000));
  return {static_cast<std::time_t>(ns / 1000000000), frac};
}

} // namespace

std::optional<std::string_view> leading_string_field(std::string_view line,
                                                     std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":\"";
  std::size_t at = line.substr(0, kHeadBytes).find(needle);
  if (at == std::string_view::npos)
    return std::nullopt;
  std::size_t start = at + needle.size();
  std::size_t end = line.find('"', start);
  if (end == std::string_view::npos)
    return std::nullopt;
  std::string_view value = line.substr(start, end - start);
  if (value.find('\\') != std::string_view::npos)
    return std::nullopt;
  return value;
}

std::string rfc5424_time(std::string_view line) {
  std::optional<std::string_view> field = leading_string_field(line, "time");
  std::optional<SplitTime> t = field ? parse_time(*field) : std::nullopt;
  SplitTime time = t ? *t : now_time();
  std::tm tm{};
  gmtime_r(&time.seconds, &tm);
  char text[40];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = text;
  if (!time.fraction.empty())
    out += "." + time.fraction.substr(0, 6);
  return out + "Z";
}

std::string epoch_seconds(std::string_view line) {
  std::optional<std::string_view> field = leading_string_field(line, "time");
  std::optional<SplitTime> t = field ? parse_time(*field) : std::nullopt;
  SplitTime time = t ? *t : now_time();
  std::string out = std::to_string(time.seconds);
  if (!time.fraction.empty())
    out += "." + time.fraction;
  return out;
}

} // namespace vigil
