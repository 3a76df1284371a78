#include "format/summary_table.h"

#include <algorithm>
#include <cstdio>

namespace vigil {

namespace {

constexpr const char *kRule =
    "------ ----------- ----------- --------- --------- ----------------\n";

void sort_rows(std::vector<SyscallTotals> &rows, const EventSchema &schema,
               SummarySort sort) {
  auto name = [&](const SyscallTotals &t) {
    return schema.at_slot(t.slot).name;
  };
  switch (sort) {
  case SummarySort::kTime:
    std::stable_sort(rows.begin(), rows.end(),
                     [](auto &a, auto &b) { return a.ns > b.ns; });
    break;
  case SummarySort::kCalls:
    std::stable_sort(rows.begin(), rows.end(),
                     [](auto &a, auto &b) { return a.calls > b.calls; });
    break;
  case SummarySort::kErrors:
    std::stable_sort(rows.begin(), rows.end(),
                     [](auto &a, auto &b) { return a.errors > b.errors; });
    break;
  case SummarySort::kName:
    std::stable_sort(rows.begin(), rows.end(),
                     [&](auto &a, auto &b) { return name(a) < name(b); });
    break;
  case SummarySort::kNothing:
    break;
  }
}

void append_row(std::string &out, double percent, std::uint64_t ns,
                std::uint64_t calls, std::uint64_t errors,
                std::string_view name) {
  char buf[160];
  std::uint64_t usecs_per_call = calls ? ns / 1000 / calls : 0;
  int n =
      std::snprintf(buf, sizeof(buf), "%6.2f %11.6f %11llu %9llu ", percent,
                    ns / 1e9, static_cast<unsigned long long>(usecs_per_call),
                    static_cast<unsigned long long>(calls));
  out.append(buf, n);
  if (errors) {
    n = std::snprintf(buf, sizeof(buf), "%9llu ",
                      static_cast<unsigned long long>(errors));
    out.append(buf, n);
  } else {
    out.append(10, ' ');
  }
  out.append(name);
  out.push_back('\n');
}

} // namespace

std::string format_summary(std::vector<SyscallTotals> rows,
                           const EventSchema &schema, SummarySort sort) {
  sort_rows(rows, schema, sort);
  std::uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
  for (const SyscallTotals &t : rows) {
    total_ns += t.ns;
    total_calls += t.calls;
    total_errors += t.errors;
  }

  std::string out =
      "% time     seconds  usecs/call     calls    errors syscall\n";
  out.append(kRule);
  for (const SyscallTotals &t : rows) {
    double percent = total_ns ? 100.0 * t.ns / total_ns : 0.0;
    append_row(out, percent, t.ns, t.calls, t.errors,
               schema.at_slot(t.slot).name);
  }
  out.append(kRule);
  append_row(out, 100.0, total_ns, total_calls, total_errors, "total");
  return out;
}

} // namespace vigil
