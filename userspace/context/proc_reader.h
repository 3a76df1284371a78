// proc_reader.h - one process as /proc describes it, for the processes
// that were running before vigil started and for pids no record told
// vigil about. The parsers are separate so tests can feed them text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "context/context.h"

namespace vigil {

// kCmdlineMax - bytes of a command line kept, as the BPF side keeps.
constexpr std::size_t kCmdlineMax = 4096;

// ProcStat - the fields of /proc/PID/stat vigil uses.
struct ProcStat {
  std::string comm;
  std::uint32_t ppid = 0;
  std::uint64_t start_ticks = 0; // clock ticks after boot
};

// parse_proc_stat - nullopt when the text is not a stat line. The comm
// may hold spaces and parentheses: it ends at the last ')'.
std::optional<ProcStat> parse_proc_stat(std::string_view text);

// parse_proc_status - fills uid, gid (the real ids), ppid and ns_pid (the
// last NSpid entry: the pid in the process's own namespace).
void parse_proc_status(std::string_view text, ProcessInfo &info);

// parse_exe_link - sets exe, exe_deleted and exe_memfd from the target of
// /proc/PID/exe. A memfd reads "/memfd:NAME (deleted)" there and becomes
// "memfd:NAME", as the kernel's exec records name it.
void parse_exe_link(std::string_view target, ProcessInfo &info);

// parse_ns_link - the inode of a /proc/PID/ns/* link target such as
// "pid:[4026531836]"; 0 when it is not one.
std::uint32_t parse_ns_link(std::string_view target);

// split_cmdline - NUL-separated arguments, at most kCmdlineMax bytes;
// truncated says whether that bound cut them.
std::vector<std::string> split_cmdline(std::string_view bytes,
                                       bool *truncated = nullptr);

// boot_to_monotonic_ns - CLOCK_MONOTONIC nanoseconds of a /proc start
// time in clock ticks after boot (CLOCK_BOOTTIME, which also counts
// suspend).
std::uint64_t boot_ticks_to_monotonic_ns(std::uint64_t ticks);

// read_process - the process pid under proc_root (normally "/proc");
// nullopt when it is gone or is a thread id rather than a process.
// Ancestors and user names are left for the caller.
std::optional<ProcessInfo> read_process(const std::string &proc_root,
                                        std::uint32_t pid);

// list_pids - every numeric entry of proc_root.
std::vector<std::uint32_t> list_pids(const std::string &proc_root);

} // namespace vigil
