#include "context/proc_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <charconv>

namespace vigil {

namespace {

template <typename Int> bool parse_int(std::string_view s, Int &out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// next_field - the next whitespace-separated field of s, consumed.
std::string_view next_field(std::string_view &s) {
  std::size_t start = s.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    s = {};
    return {};
  }
  s.remove_prefix(start);
  std::size_t end = s.find_first_of(" \t");
  std::string_view field = s.substr(0, end);
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  return field;
}

// read_file - at most max bytes of a /proc file; nullopt when it cannot
// be opened (the process is gone).
std::optional<std::string> read_file(const std::string &path, std::size_t max) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  std::string text(max, '\0');
  std::size_t used = 0;
  while (used < max) {
    ssize_t n = ::read(fd, text.data() + used, max - used);
    if (n <= 0)
      break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(used);
  return text;
}

std::optional<std::string> read_link(const std::string &path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  if (n < 0)
    return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

std::uint64_t clock_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

} // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
  std::size_t open = text.find('(');
  std::size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos ||
      close < open)
    return std::nullopt;
  ProcStat st;
  st.comm = text.substr(open + 1, close - open - 1);

  // After the comm: state (field 3), ppid (4), ... starttime (22).
  std::string_view rest = text.substr(close + 1);
  for (int field = 3; field <= 22; ++field) {
    std::string_view f = next_field(rest);
    if (f.empty())
      return std::nullopt;
    if (field == 4 && !parse_int(f, st.ppid))
      return std::nullopt;
    if (field == 22 && !parse_int(f, st.start_ticks))
      return std::nullopt;
  }
  return st;
}

void parse_proc_status(std::string_view text, ProcessInfo &info) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    std::string_view key = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (key == "Uid") {
      parse_int(next_field(value), info.uid);
    } else if (key == "Gid") {
      parse_int(next_field(value), info.gid);
    } else if (key == "PPid") {
      parse_int(trim(value), info.ppid);
    } else if (key == "NSpid") {
      std::string_view last;
      for (std::string_view f = next_field(value); !f.empty();
           f = next_field(value))
        last = f;
      parse_int(last, info.ns_pid);
    }
  }
}

void parse_exe_link(std::string_view target, ProcessInfo &info) {
  constexpr std::string_view kDeleted = " (deleted)";
  bool deleted = target.ends_with(kDeleted);
  if (deleted)
    target.remove_suffix(kDeleted.size());
  if (target.starts_with("/memfd:")) {
    target.remove_prefix(1);
    info.exe_memfd = true;
    deleted = false;
  }
  info.exe = target;
  info.exe_deleted = deleted;
}

std::uint32_t parse_ns_link(std::string_view target) {
  std::size_t open = target.find(":[");
  if (open == std::string_view::npos || !target.ends_with("]"))
    return 0;
  std::uint32_t inode = 0;
  std::string_view digits = target.substr(open + 2, target.size() - open - 3);
  return parse_int(digits, inode) ? inode : 0;
}

std::vector<std::string> split_cmdline(std::string_view bytes,
                                       bool *truncated) {
  bool cut = bytes.size() > kCmdlineMax;
  if (cut)
    bytes = bytes.substr(0, kCmdlineMax);
  if (truncated)
    *truncated = cut;
  if (!bytes.empty() && bytes.back() == '\0')
    bytes.remove_suffix(1);
  std::vector<std::string> args;
  if (bytes.empty())
    return args;
  for (;;) {
    std::size_t nul = bytes.find('\0');
    args.emplace_back(bytes.substr(0, nul));
    if (nul == std::string_view::npos)
      break;
    bytes.remove_prefix(nul + 1);
  }
  return args;
}

std::uint64_t boot_ticks_to_monotonic_ns(std::uint64_t ticks) {
  static const auto hz = static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK));
  std::uint64_t boot_ns = ticks * (1'000'000'000ull / hz);
  // The two clocks differ by the time spent suspended; read one after
  // the other they may also differ by the reads' own nanoseconds, either
  // way.
  std::uint64_t boottime = clock_ns(CLOCK_BOOTTIME);
  std::uint64_t monotonic = clock_ns(CLOCK_MONOTONIC);
  std::uint64_t suspended = boottime > monotonic ? boottime - monotonic : 0;
  return boot_ns > suspended ? boot_ns - suspended : 0;
}

std::optional<ProcessInfo> read_process(const std::string &proc_root,
                                        std::uint32_t pid) {
  const std::string dir = proc_root + "/" + std::to_string(pid);
  std::optional<std::string> stat_text = read_file(dir + "/stat", 1024);
  std::optional<std::string> status_text = read_file(dir + "/status", 4096);
  if (!stat_text || !status_text)
    return std::nullopt;
  std::optional<ProcStat> st = parse_proc_stat(*stat_text);
  if (!st)
    return std::nullopt;

  ProcessInfo info;
  info.pid = pid;
  info.ns_pid = pid;
  info.comm = std::move(st->comm);
  info.ppid = st->ppid;
  info.start_ns = boot_ticks_to_monotonic_ns(st->start_ticks);
  parse_proc_status(*status_text, info);
  // /proc/TID of a thread exists too, but is not a thread group.
  if (status_text->find("\nTgid:\t" + std::to_string(pid) + "\n") ==
      std::string::npos)
    return std::nullopt;

  if (auto exe = read_link(dir + "/exe"))
    parse_exe_link(*exe, info);
  if (auto cmdline = read_file(dir + "/cmdline", kCmdlineMax + 1)) {
    info.cmdline = split_cmdline(*cmdline, &info.cmdline_truncated);
  }
  if (auto loginuid = read_file(dir + "/loginuid", 32))
    parse_int(trim(*loginuid), info.loginuid);

  struct NsLink {
    const char *name;
    std::uint32_t Namespaces::*field;
  };
  static constexpr NsLink kLinks[] = {
      {"pid", &Namespaces::pid},   {"mnt", &Namespaces::mnt},
      {"net", &Namespaces::net},   {"uts", &Namespaces::uts},
      {"user", &Namespaces::user}, {"cgroup", &Namespaces::cgroup},
  };
  for (const NsLink &l : kLinks) {
    if (auto target = read_link(dir + "/ns/" + l.name))
      info.ns.*l.field = parse_ns_link(*target);
  }
  return info;
}

std::vector<std::uint32_t> list_pids(const std::string &proc_root) {
  std::vector<std::uint32_t> pids;
  DIR *d = ::opendir(proc_root.c_str());
  if (d == nullptr)
    return pids;
  while (dirent *e = ::readdir(d)) {
    std::uint32_t pid = 0;
    if (parse_int(std::string_view(e->d_name), pid) && pid != 0)
      pids.push_back(pid);
  }
  ::closedir(d);
  return pids;
}

} // namespace vigil
