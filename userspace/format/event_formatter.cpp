#include "format/event_formatter.h"

#include <algorithm>
#include <cstring>

#include "decode/flags.h"
#include "decode/structs.h"
#include "decode/syscall_table.h"
#include "decode/value_writer.h"
#include "format/json_writer.h"

namespace vigil {

namespace {

using json::append_int;
using json::append_key;

Abi abi_of(const RawEvent &ev) { return ev.compat() ? Abi::i386 : Abi::x86_64; }

const SyscallSchema &schema_of(const RawEvent &ev, const EventSchema &schema) {
  return schema.syscall(abi_of(ev), ev.header->nr);
}

std::string_view errno_of(std::int64_t ret) {
  int err = failure_errno(ret);
  return err ? errno_name(err) : std::string_view();
}

bool reads_memory(Sem sem) {
  return sem == Sem::kPath || sem == Sem::kString || sem == Sem::kArgv;
}

// ArgProblems - the arguments whose capture was cut or failed.
struct ArgProblems {
  std::string_view truncated[6];
  std::string_view unreadable[6];
  int ntruncated = 0;
  int nunreadable = 0;

  void note(const RawEvent &ev, const SyscallSchema &sc, int i,
            std::string_view key) {
    const auto &cap = ev.captured[i];
    if (cap) {
      if (cap->truncated())
        truncated[ntruncated++] = key;
      if (cap->fault())
        unreadable[nunreadable++] = key;
    } else if (reads_memory(sc.args[i].spec.sem) && ev.header->args[i] != 0) {
      // A string that should have been read was not: the data area of the
      // event was full.
      unreadable[nunreadable++] = key;
    }
  }
};

void append_name_list(std::string &out, std::string_view key,
                      const std::string_view *names, int n) {
  if (n == 0)
    return;
  out.push_back(',');
  append_key(out, key);
  out.push_back('[');
  for (int i = 0; i < n; ++i) {
    if (i)
      out.push_back(',');
    json::append_string(out, names[i]);
  }
  out.push_back(']');
}

std::string_view arg_key(const ArgSchema &arg, int i) {
  static constexpr std::string_view kUnnamed[] = {"arg0", "arg1", "arg2",
                                                  "arg3", "arg4", "arg5"};
  return arg.name.empty() ? kUnnamed[i] : arg.name;
}

bool is_cgroup_event(const vigil_event &h) {
  return h.kind == VIGIL_EV_CGROUP_MKDIR || h.kind == VIGIL_EV_CGROUP_RMDIR;
}

// short_id - the 12 digits of a container id people use.
std::string_view short_id(const ContainerInfo &c) {
  return std::string_view(c.id).substr(0, 12);
}

// exit_status - the wait(2) status of a process exit event.
struct ExitStatus {
  int code;
  int signal;
  bool core_dumped;
};

ExitStatus exit_status(const vigil_event &h) {
  auto status = static_cast<std::uint32_t>(h.args[0]);
  return {static_cast<int>((status >> 8) & 0xff),
          static_cast<int>(status & 0x7f), (status & 0x80) != 0};
}

// append_nul_separated - "a\0b\0" as the JSON array ["a","b"].
void append_nul_separated(std::string &out, std::string_view list) {
  out.push_back('[');
  for (bool first = true; !list.empty(); first = false) {
    std::size_t end = std::min(list.find('\0'), list.size());
    if (!first)
      out.push_back(',');
    json::append_string(out, list.substr(0, end));
    list.remove_prefix(std::min(end + 1, list.size()));
  }
  out.push_back(']');
}

// FormatterBase - what every formatter reads: the schema, the clock, its
// options, and a per-thread time formatter.
class FormatterBase : public EventFormatter {
protected:
  FormatterBase(const EventSchema &schema, const WallClock &clock,
                const FormatOptions &options)
      : schema_(schema), clock_(clock), options_(options) {}

  const EventSchema &schema_;
  const WallClock &clock_;
  FormatOptions options_;
  Rfc3339 time_;
};

class JsonFormatter final : public FormatterBase {
public:
  JsonFormatter(const EventSchema &schema, const WallClock &clock,
                const FormatOptions &options)
      : FormatterBase(schema, clock, options) {}

  void format(const RawEvent &ev, const EventContext &ctx,
              std::string &out) override {
    const vigil_event &h = *ev.header;
    std::string_view name = event_name(ev, schema_);
    if (is_cgroup_event(h)) {
      // Only a container's own cgroup is worth a line.
      if (ctx.container == nullptr)
        return;
      name = h.kind == VIGIL_EV_CGROUP_MKDIR ? "container_create"
                                             : "container_remove";
    }
    out.append("{\"time\":\"");
    time_.append(out, clock_.to_wall_ns(h.ts_ns));
    out.append("\",\"event\":");
    json::append_string(out, name);
    if (h.kind == VIGIL_EV_SYSCALL) {
      out.append(",\"abi\":\"");
      out.append(ev.compat() ? "i386" : "x86_64");
      out.append("\",\"nr\":");
      append_int(out, h.nr);
    }
    out.append(",\"cpu\":");
    append_int(out, h.cpu);
    append_process(ev, ctx, out);
    append_identity(ctx, out);
    if (ctx.container)
      append_container(*ctx.container, out);
    if (h.kind == VIGIL_EV_SYSCALL) {
      append_syscall(ev, out);
    } else {
      append_process_event(ev, out);
    }
    out.append("}\n");
  }

private:
  void append_process(const RawEvent &ev, const EventContext &ctx,
                      std::string &out) {
    const vigil_event &h = *ev.header;
    out.append(",\"process\":{\"pid\":");
    append_int(out, h.pid);
    out.append(",\"tid\":");
    append_int(out, h.tid);
    out.append(",\"ppid\":");
    append_int(out, h.ppid);
    out.append(",\"comm\":");
    json::append_string(out, ev.comm());
    out.append(",\"uid\":");
    append_int(out, h.uid);
    out.append(",\"gid\":");
    append_int(out, h.gid);
    out.append(",\"pidns\":");
    append_int(out, h.pidns);
    out.append(",\"mntns\":");
    append_int(out, h.mntns);
    out.append(",\"cgroup_id\":");
    append_int(out, h.cgroup_id);
    if (ctx.process)
      append_process_context(h, *ctx.process, out);
    out.push_back('}');
  }

  // append_process_context - what the process table adds; each field only
  // when known.
  void append_process_context(const vigil_event &h, const ProcessInfo &p,
                              std::string &out) {
    if (!p.exe.empty()) {
      out.append(",\"exe\":");
      json::append_string(out, p.exe);
    }
    if (p.exe_deleted)
      out.append(",\"exe_deleted\":true");
    if (p.exe_memfd)
      out.append(",\"exe_memfd\":true");
    if (!p.cmdline.empty()) {
      out.append(",\"cmdline\":");
      append_cmdline(p.cmdline, out);
    }
    if (p.cmdline_truncated)
      out.append(",\"cmdline_truncated\":true");
    if (p.start_ns != 0) {
      out.append(",\"start_time\":\"");
      start_time_.append(out, clock_.to_wall_ns(p.start_ns));
      out.push_back('"');
    }
    if (p.ns_pid != 0) {
      out.append(",\"ns_pid\":");
      append_int(out, p.ns_pid);
      // The table holds thread groups: a thread's own namespaced id is
      // known only for the leader, or when the namespace is the host's.
      std::uint32_t ns_tid = h.tid == h.pid      ? p.ns_pid
                             : p.ns_pid == h.pid ? h.tid
                                                 : 0;
      if (ns_tid != 0) {
        out.append(",\"ns_tid\":");
        append_int(out, ns_tid);
      }
    }
    if (p.loginuid != 0xffffffff) {
      out.append(",\"loginuid\":");
      append_int(out, p.loginuid);
    }
    append_namespaces(p.ns, out);
    if (!p.ancestors.empty() && p.ancestors.front().pid == h.ppid) {
      out.append(",\"parent\":");
      append_ancestor(p.ancestors.front(), out);
    }
    if (!p.ancestors.empty()) {
      out.append(",\"ancestors\":[");
      for (std::size_t i = 0; i < p.ancestors.size(); ++i) {
        if (i)
          out.push_back(',');
        append_ancestor(p.ancestors[i], out);
      }
      out.push_back(']');
    }
  }

  void append_cmdline(const std::vector<std::string> &args, std::string &out) {
    // Joined in a buffer kept between events, so that the join allocates
    // nothing once it has grown.
    scratch_.clear();
    for (const std::string &a : args) {
      if (!scratch_.empty())
        scratch_.push_back(' ');
      scratch_.append(a);
    }
    json::append_string(out, scratch_);
  }

  static void append_namespaces(const Namespaces &ns, std::string &out) {
    if ((ns.pid | ns.mnt | ns.net | ns.uts | ns.user | ns.cgroup) == 0)
      return;
    const std::pair<const char *, std::uint32_t> fields[] = {
        {"pid", ns.pid}, {"mnt", ns.mnt},   {"net", ns.net},
        {"uts", ns.uts}, {"user", ns.user}, {"cgroup", ns.cgroup},
    };
    out.append(",\"namespaces\":{");
    bool first = true;
    for (const auto &[key, value] : fields) {
      if (value == 0)
        continue;
      if (!first)
        out.push_back(',');
      first = false;
      append_key(out, key);
      append_int(out, value);
    }
    out.push_back('}');
  }

  static void append_ancestor(const Ancestor &a, std::string &out) {
    out.append("{\"pid\":");
    append_int(out, a.pid);
    if (!a.comm.empty()) {
      out.append(",\"comm\":");
      json::append_string(out, a.comm);
    }
    if (!a.exe.empty()) {
      out.append(",\"exe\":");
      json::append_string(out, a.exe);
    }
    out.push_back('}');
  }

  static void append_identity(const EventContext &ctx, std::string &out) {
    if (!ctx.user.empty()) {
      out.append(",\"user\":{\"name\":");
      json::append_string(out, ctx.user);
      out.push_back('}');
    }
    if (!ctx.group.empty()) {
      out.append(",\"group\":{\"name\":");
      json::append_string(out, ctx.group);
      out.push_back('}');
    }
  }

  static void append_field(std::string &out, std::string_view key,
                           const std::string &value) {
    if (value.empty())
      return;
    out.push_back(',');
    append_key(out, key);
    json::append_string(out, value);
  }

  static void append_container(const ContainerInfo &c, std::string &out) {
    out.append(",\"container\":{\"id\":");
    json::append_string(out, c.id);
    out.append(",\"runtime\":");
    json::append_string(out, c.runtime);
    append_field(out, "name", c.name);
    append_field(out, "image", c.image);
    append_field(out, "image_id", c.image_id);
    if (!c.labels.empty()) {
      out.append(",\"labels\":{");
      bool first = true;
      for (const auto &[k, v] : c.labels) {
        if (!first)
          out.push_back(',');
        first = false;
        json::append_string(out, k);
        out.push_back(':');
        json::append_string(out, v);
      }
      out.push_back('}');
    }
    const PodInfo &pod = c.pod;
    if (!pod.name.empty() || !pod.ns.empty() || !pod.uid.empty() ||
        !pod.qos.empty()) {
      out.append(",\"pod\":{");
      std::size_t start = out.size();
      append_field(out, "name", pod.name);
      append_field(out, "namespace", pod.ns);
      append_field(out, "uid", pod.uid);
      append_field(out, "qos", pod.qos);
      out.erase(start, 1); // the first field's comma
      out.push_back('}');
    }
    out.push_back('}');
  }

  void append_syscall(const RawEvent &ev, std::string &out) {
    const vigil_event &h = *ev.header;
    const SyscallSchema &sc = schema_of(ev, schema_);
    ArgProblems problems;
    JsonValueWriter w(out);

    out.append(",\"args\":{");
    for (int i = 0; i < sc.nargs; ++i) {
      if (i)
        out.push_back(',');
      std::string_view key = arg_key(sc.args[i], i);
      append_key(out, key);
      write_arg(w, ev, sc, i, options_.decode);
      problems.note(ev, sc, i, key);
    }
    out.push_back('}');

    if (ev.returns()) {
      std::int64_t ret = return_value(ev);
      out.append(",\"ret\":");
      if (sc.ret == RetKind::kHex && !failure_errno(ret))
        append_int(out, return_address(ev));
      else
        append_int(out, ret);
      std::string_view err = errno_of(ret);
      if (!err.empty()) {
        out.append(",\"errno\":\"");
        out.append(err);
        out.push_back('"');
      }
      out.append(",\"duration_ns\":");
      append_int(out, h.ts_ns - h.enter_ns);
    }
    append_name_list(out, "truncated", problems.truncated, problems.ntruncated);
    append_name_list(out, "unreadable", problems.unreadable,
                     problems.nunreadable);
  }

  void append_process_event(const RawEvent &ev, std::string &out) {
    const vigil_event &h = *ev.header;
    out.append(",\"args\":{");
    switch (h.kind) {
    case VIGIL_EV_PROCESS_FORK:
      out.append("\"child_pid\":");
      append_int(out, h.args[0]);
      out.append(",\"child_tid\":");
      append_int(out, h.args[1]);
      break;
    case VIGIL_EV_PROCESS_EXEC:
      out.append("\"filename\":");
      append_item_string(ev, 0, out);
      if (ev.captured[1]) {
        out.append(",\"exe\":");
        json::append_string(out, ev.captured[1]->bytes);
      }
      if (h.args[1] >> 32 & VIGIL_EXE_DELETED)
        out.append(",\"exe_deleted\":true");
      if (h.args[1] >> 32 & VIGIL_EXE_MEMFD)
        out.append(",\"exe_memfd\":true");
      if (ev.captured[2]) {
        out.append(",\"argv\":");
        append_nul_separated(out, ev.captured[2]->bytes);
      }
      out.append(",\"old_pid\":");
      append_int(out, h.args[0]);
      break;
    case VIGIL_EV_PROCESS_EXIT: {
      ExitStatus st = exit_status(h);
      out.append("\"exit_code\":");
      append_int(out, st.code);
      out.append(",\"signal\":");
      append_int(out, st.signal);
      if (st.core_dumped)
        out.append(",\"core_dumped\":true");
      out.append(",\"group_dead\":");
      out.append(h.args[1] ? "true" : "false");
      break;
    }
    case VIGIL_EV_PROCESS_RENAME:
      out.append("\"pid\":");
      append_int(out, h.args[0]);
      out.append(",\"tid\":");
      append_int(out, h.args[1]);
      out.append(",\"comm\":");
      append_item_string(ev, 0, out);
      break;
    case VIGIL_EV_CGROUP_MKDIR:
    case VIGIL_EV_CGROUP_RMDIR:
      out.append("\"cgroup_id\":");
      append_int(out, h.args[0]);
      out.append(",\"path\":");
      append_item_string(ev, 0, out);
      break;
    case VIGIL_EV_SIGNAL: {
      JsonValueWriter w(out);
      out.append("\"signal\":");
      write_enum_family(w, EnumFamily::kSignal, h.args[0]);
      out.append(",\"handler\":");
      write_signal_handler(w, h.args[1]);
      if (ev.captured[0] && !ev.captured[0]->fault()) {
        out.append(",\"siginfo\":");
        write_siginfo(w, ev.captured[0]->raw());
      }
      break;
    }
    default:
      break;
    }
    out.push_back('}');
  }

  static void append_item_string(const RawEvent &ev, int i, std::string &out) {
    if (ev.captured[i]) {
      json::append_string(out, ev.captured[i]->bytes);
    } else {
      out.append("null");
    }
  }

  Rfc3339 start_time_; // its own: start times fall in other seconds
  std::string scratch_;
};

// TextFormatter - a readable line per event: who, then the call in
// strace's shape.
class TextFormatter final : public FormatterBase {
public:
  TextFormatter(const EventSchema &schema, const WallClock &clock,
                const FormatOptions &options)
      : FormatterBase(schema, clock, options) {
    if (options_.decode.string_limit == 0)
      options_.decode.string_limit = 64;
  }

  void format(const RawEvent &ev, const EventContext &ctx,
              std::string &out) override {
    const vigil_event &h = *ev.header;
    if (is_cgroup_event(h)) {
      if (ctx.container)
        append_container_event(ev, *ctx.container, out);
      return;
    }
    time_.append_clock(out, clock_.to_wall_ns(h.ts_ns), 6);
    out.push_back(' ');
    out.append(ev.comm());
    out.push_back('[');
    append_int(out, h.pid);
    if (h.tid != h.pid) {
      out.push_back('/');
      append_int(out, h.tid);
    }
    out.append("] ");
    if (ctx.container) {
      // @name, or @short-id until the runtime has named it.
      out.push_back('@');
      out.append(ctx.container->name.empty() ? short_id(*ctx.container)
                                             : ctx.container->name);
      out.push_back(' ');
    }
    out.append(event_name(ev, schema_));
    if (h.kind == VIGIL_EV_SYSCALL) {
      const SyscallSchema &sc = schema_of(ev, schema_);
      out.push_back('(');
      write_strace_args(out, ev, sc, options_.decode);
      out.push_back(')');
      append_strace_return(out, ev, sc, options_.decode);
    } else {
      append_process_event(ev, out);
    }
    out.push_back('\n');
  }

private:
  void append_process_event(const RawEvent &ev, std::string &out) {
    const vigil_event &h = *ev.header;
    switch (h.kind) {
    case VIGIL_EV_PROCESS_FORK:
      out.append(" child=");
      append_int(out, h.args[0]);
      if (h.args[1] != h.args[0]) {
        out.push_back('/');
        append_int(out, h.args[1]);
      }
      break;
    case VIGIL_EV_PROCESS_EXEC:
      out.append(" filename=");
      if (ev.captured[0])
        json::append_c_string(out, ev.captured[0]->bytes);
      break;
    case VIGIL_EV_PROCESS_EXIT: {
      ExitStatus st = exit_status(h);
      out.append(" exit_code=");
      append_int(out, st.code);
      if (st.signal) {
        out.append(" signal=");
        append_int(out, st.signal);
      }
      break;
    }
    case VIGIL_EV_PROCESS_RENAME:
      out.append(" comm=");
      if (ev.captured[0])
        json::append_c_string(out, ev.captured[0]->bytes);
      break;
    case VIGIL_EV_SIGNAL: {
      StraceWriter w(out);
      out.append(" signal=");
      write_enum_family(w, EnumFamily::kSignal, h.args[0]);
      break;
    }
    default:
      break;
    }
  }

  void append_container_event(const RawEvent &ev, const ContainerInfo &c,
                              std::string &out) {
    const vigil_event &h = *ev.header;
    time_.append_clock(out, clock_.to_wall_ns(h.ts_ns), 6);
    out.append(h.kind == VIGIL_EV_CGROUP_MKDIR ? " container_create "
                                               : " container_remove ");
    out.append(c.runtime);
    out.push_back(' ');
    out.append(short_id(c));
    if (!c.name.empty()) {
      out.append(" name=");
      out.append(c.name);
    }
    if (!c.image.empty()) {
      out.append(" image=");
      out.append(c.image);
    }
    out.push_back('\n');
  }
};

// StraceFormatter - strace's own lines: [pid N] prefix under -f, the
// timestamps of -t/-tt/-ttt, the call, and -T's time spent.
class StraceFormatter final : public FormatterBase {
public:
  StraceFormatter(const EventSchema &schema, const WallClock &clock,
                  const FormatOptions &options)
      : FormatterBase(schema, clock, options) {}

  void format(const RawEvent &ev, const EventContext & /*ctx*/,
              std::string &out) override {
    const vigil_event &h = *ev.header;
    std::size_t line_start = out.size();
    if (h.kind == VIGIL_EV_SYSCALL) {
      begin_line(ev, out, h.enter_ns);
      const SyscallSchema &sc = schema_of(ev, schema_);
      out.append(sc.name);
      out.push_back('(');
      write_strace_args(out, ev, sc, options_.decode);
      out.push_back(')');
      pad_to_result_column(out, line_start);
      if (options_.decode.fd_paths != nullptr) {
        options_.decode.fd_paths->observe(ev, sc);
      }
      append_strace_return(out, ev, sc, options_.decode);
      if (options_.durations && ev.returns())
        append_duration(out, h);
      out.push_back('\n');
    } else if (h.kind == VIGIL_EV_PROCESS_FORK) {
      // A second task is traced from now on.
      bool thread = h.args[0] == h.pid;
      many_tasks_ = many_tasks_ || thread || options_.follow;
      if (options_.decode.fd_paths != nullptr && !thread) {
        options_.decode.fd_paths->forked(h.pid, h.args[0]);
      }
    } else if (h.kind == VIGIL_EV_PROCESS_EXIT &&
               (h.args[1] || options_.follow)) {
      begin_line(ev, out, h.ts_ns);
      append_exit(out, h);
    } else if (h.kind == VIGIL_EV_SIGNAL) {
      begin_line(ev, out, h.ts_ns);
      append_signal(out, ev);
      if (stops(h)) {
        begin_line(ev, out, h.ts_ns);
        out.append("--- stopped by ");
        StraceWriter w(out);
        write_enum_family(w, EnumFamily::kSignal, h.args[0]);
        out.append(" ---\n");
      }
    }
  }

private:
  void begin_line(const RawEvent &ev, std::string &out, std::uint64_t ns) {
    std::uint32_t task = ev.header->tid;
    if (first_task_ == 0)
      first_task_ = task;
    many_tasks_ = many_tasks_ || task != first_task_;
    if (options_.pid_prefix || many_tasks_) {
      std::string tid = std::to_string(task);
      std::size_t pad = tid.size() < 5 ? 5 - tid.size() : 0;
      if (options_.pid_column) { // strace's "%-5d "
        out.append(tid);
        out.append(pad + 1, ' ');
      } else { // "[pid %5u] "
        out.append("[pid ");
        out.append(pad, ' ');
        out.append(tid);
        out.append("] ");
      }
    }
    std::int64_t wall = clock_.to_wall_ns(ns);
    switch (options_.timestamps) {
    case Timestamps::kNone:
      return;
    case Timestamps::kSeconds:
      time_.append_clock(out, wall, 0);
      break;
    case Timestamps::kMicros:
      time_.append_clock(out, wall, 6);
      break;
    case Timestamps::kEpoch:
      append_epoch(out, wall);
      break;
    }
    out.push_back(' ');
  }

  // strace starts " = result" at column 40 when the call is shorter.
  static void pad_to_result_column(std::string &out, std::size_t start) {
    constexpr std::size_t kColumn = 39;
    std::size_t width = out.size() - start;
    if (width < kColumn)
      out.append(kColumn - width, ' ');
  }

  static void append_epoch(std::string &out, std::int64_t wall) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%lld.%06lld",
                  static_cast<long long>(wall / 1'000'000'000),
                  static_cast<long long>(wall % 1'000'000'000 / 1000));
    out.append(buf);
  }

  static void append_duration(std::string &out, const vigil_event &h) {
    std::uint64_t ns = h.ts_ns - h.enter_ns;
    char buf[48];
    std::snprintf(buf, sizeof(buf), " <%llu.%06llu>",
                  static_cast<unsigned long long>(ns / 1'000'000'000),
                  static_cast<unsigned long long>(ns % 1'000'000'000 / 1000));
    out.append(buf);
  }

  // stops - the signal's default action, about to be taken, stops the
  // task: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU without a handler.
  static bool stops(const vigil_event &h) {
    return h.args[1] == 0 && h.args[0] >= 19 && h.args[0] <= 22;
  }

  // strace's line for a signal taken: --- SIGCHLD {si_signo=...} ---
  static void append_signal(std::string &out, const RawEvent &ev) {
    StraceWriter w(out);
    out.append("--- ");
    write_enum_family(w, EnumFamily::kSignal, ev.header->args[0]);
    out.push_back(' ');
    if (ev.captured[0] && !ev.captured[0]->fault())
      write_siginfo(w, ev.captured[0]->raw());
    else
      out.append("{...}");
    out.append(" ---\n");
  }

  static void append_exit(std::string &out, const vigil_event &h) {
    ExitStatus st = exit_status(h);
    if (st.signal != 0) {
      out.append("+++ killed by ");
      StraceWriter w(out);
      write_enum_family(w, EnumFamily::kSignal, st.signal);
      out.append(st.core_dumped ? " (core dumped) +++\n" : " +++\n");
      return;
    }
    out.append("+++ exited with ");
    append_int(out, st.code);
    out.append(" +++\n");
  }

  // The first task with a line, and whether another has had one since.
  std::uint32_t first_task_ = 0;
  bool many_tasks_ = false;
};

} // namespace

std::string_view event_name(const RawEvent &ev, const EventSchema &schema) {
  switch (ev.header->kind) {
  case VIGIL_EV_SYSCALL:
    return schema_of(ev, schema).name;
  case VIGIL_EV_PROCESS_FORK:
    return "sched_process_fork";
  case VIGIL_EV_PROCESS_EXEC:
    return "sched_process_exec";
  case VIGIL_EV_PROCESS_EXIT:
    return "sched_process_exit";
  case VIGIL_EV_PROCESS_RENAME:
    return "task_rename";
  case VIGIL_EV_CGROUP_MKDIR:
    return "cgroup_mkdir";
  case VIGIL_EV_CGROUP_RMDIR:
    return "cgroup_rmdir";
  case VIGIL_EV_SIGNAL:
    return "signal_deliver";
  default:
    return "unknown";
  }
}

std::unique_ptr<EventFormatter> make_formatter(OutputFormat format,
                                               const EventSchema &schema,
                                               const WallClock &clock,
                                               const FormatOptions &options) {
  switch (format) {
  case OutputFormat::kText:
    return std::make_unique<TextFormatter>(schema, clock, options);
  case OutputFormat::kStrace:
    return std::make_unique<StraceFormatter>(schema, clock, options);
  default:
    return std::make_unique<JsonFormatter>(schema, clock, options);
  }
}

} // namespace vigil
