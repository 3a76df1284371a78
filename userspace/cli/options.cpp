#include "cli/options.h"

#include <pwd.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "decode/syscall_table.h"

namespace vigil {

namespace {

constexpr const char *kDescription =
    "vigil - trace syscalls and process events system-wide with eBPF.\n"
    "Prints one JSON line per event. Flags of one kind are alternatives;\n"
    "different kinds must all match.\n\n"
    "Examples:\n"
    "  vigil --comm ls                 every syscall of programs named ls\n"
    "  vigil --pid 1234 --follow       process 1234 and its new children\n"
    "  vigil --events openat,execve    only these syscalls, system-wide\n"
    "  vigil --format text | less      readable lines instead of JSON";

std::uint32_t parse_size(const std::string &text) {
  std::size_t used = 0;
  unsigned long long value = std::stoull(text, &used, 0);
  std::string unit = text.substr(used);
  if (unit == "K" || unit == "k")
    value <<= 10;
  else if (unit == "M" || unit == "m")
    value <<= 20;
  else if (unit == "G" || unit == "g")
    value <<= 30;
  else if (!unit.empty())
    throw std::invalid_argument("unit");
  if (value == 0 || value > (1ull << 31))
    throw std::out_of_range("size");
  return static_cast<std::uint32_t>(value);
}

bool is_power_of_two(std::uint64_t v) { return v && !(v & (v - 1)); }

std::uint32_t resolve_uid(const std::string &text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit)) {
    return static_cast<std::uint32_t>(std::stoul(text));
  }
  passwd pw{};
  passwd *found = nullptr;
  char buf[4096];
  if (getpwnam_r(text.c_str(), &pw, buf, sizeof(buf), &found) != 0 ||
      found == nullptr) {
    throw CLI::ValidationError("--uid", "no user named '" + text + "'");
  }
  return pw.pw_uid;
}

void check_pid(std::uint32_t pid) {
  struct stat st {};
  std::string path = "/proc/" + std::to_string(pid);
  if (pid == 0 || stat(path.c_str(), &st) != 0) {
    throw CLI::ValidationError("--pid",
                               "no process with pid " + std::to_string(pid));
  }
}

void check_event(const std::string &name) {
  if (name == "sched_process_fork" || name == "sched_process_exec" ||
      name == "sched_process_exit") {
    return;
  }
  if (syscall_number(Abi::x86_64, name) || syscall_number(Abi::i386, name)) {
    return;
  }
  throw CLI::ValidationError("--events",
                             "unknown event '" + name +
                                 "': give syscall names such as openat, or "
                                 "sched_process_fork, sched_process_exec, "
                                 "sched_process_exit");
}

void apply_ring_size(const std::string &text, CaptureSettings &capture) {
  std::uint32_t bytes;
  try {
    bytes = parse_size(text);
  } catch (const std::exception &) {
    throw CLI::ValidationError("--ring-size",
                               "'" + text + "' is not a size such as 16M");
  }
  if (!is_power_of_two(bytes) || bytes < 4096) {
    throw CLI::ValidationError(
        "--ring-size", "must be a power of two of at least 4096, like 8M");
  }
  capture.ring_bytes = bytes;
}

} // namespace

ParseResult parse_command_line(int argc, char **argv) {
  MonitorOptions opts;
  std::vector<std::string> uids;
  std::string format = "json";
  std::string ring_size = "16M";

  CLI::App app(kDescription, "vigil");
  app.get_formatter()->column_width(34);
  app.add_option("--comm", opts.capture.scope.comms,
                 "trace programs with this name, e.g. --comm ls (repeat "
                 "or separate with commas; the kernel keeps 15 characters)")
      ->delimiter(',')
      ->type_name("NAME");
  app.add_option("--pid", opts.capture.scope.pids,
                 "trace this process and all its threads, e.g. --pid 1234")
      ->delimiter(',')
      ->type_name("PID");
  app.add_option("--uid", uids,
                 "trace processes of this user id or name, e.g. --uid 1000")
      ->delimiter(',')
      ->type_name("UID");
  app.add_option("--events", opts.capture.scope.events,
                 "only these events: syscall names or sched_process_fork, "
                 "sched_process_exec, sched_process_exit, e.g. "
                 "--events openat,execve")
      ->delimiter(',')
      ->type_name("LIST");
  app.add_flag("--follow", opts.capture.scope.follow,
               "also trace every process a traced one starts, from its "
               "fork on, e.g. --comm bash --follow");
  app.add_option("--format", format,
                 "json (one object per line) or text (for a person), "
                 "e.g. --format text")
      ->check(CLI::IsMember({"json", "text"}))
      ->type_name("FORMAT");
  app.add_option("-o,--output", opts.output,
                 "write events to FILE instead of stdout, e.g. "
                 "--output /var/log/vigil.json")
      ->type_name("FILE");
  app.add_option("--ring-size", ring_size,
                 "kernel ring buffer size, a power of two, e.g. "
                 "--ring-size 64M (default 16M)")
      ->type_name("SIZE");
  app.add_option("--string-max", opts.capture.string_max,
                 "bytes kept of each captured string, e.g. --string-max 256 "
                 "(default and most 4096)")
      ->check(CLI::Range(1, 4096))
      ->type_name("BYTES");
  app.add_option("--workers", opts.workers,
                 "decoding threads, e.g. --workers 2 (default: CPUs - 1)")
      ->check(CLI::Range(1, 64))
      ->type_name("N");
  app.add_option("--log-level", opts.log_level,
                 "vigil's own messages on stderr: error, warn, info, debug "
                 "or trace, e.g. --log-level debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug", "trace"}))
      ->type_name("LEVEL");

  try {
    app.parse(argc, argv);
    for (const std::string &u : uids) {
      opts.capture.scope.uids.push_back(resolve_uid(u));
    }
    for (std::uint32_t pid : opts.capture.scope.pids)
      check_pid(pid);
    for (const std::string &e : opts.capture.scope.events)
      check_event(e);
    for (const std::string &c : opts.capture.scope.comms) {
      if (c.empty())
        throw CLI::ValidationError("--comm", "empty name");
    }
    apply_ring_size(ring_size, opts.capture);
  } catch (const CLI::CallForHelp &) {
    std::fputs(app.help().c_str(), stdout);
    return {std::nullopt, 0};
  } catch (const CLI::ParseError &e) {
    std::fprintf(stderr, "vigil: %s (see vigil --help)\n", e.what());
    return {std::nullopt, 2};
  }
  opts.format = format == "text" ? OutputFormat::kText : OutputFormat::kJson;
  return {std::move(opts), 0};
}

} // namespace vigil
