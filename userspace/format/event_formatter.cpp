#include "format/event_formatter.h"

#include <cstring>

#include "decode/syscall_table.h"
#include "format/json_writer.h"

namespace vigil {

namespace {

using json::append_int;
using json::append_key;

constexpr std::int64_t kMaxErrno = 4095;

Abi abi_of(const RawEvent &ev) { return ev.compat() ? Abi::i386 : Abi::x86_64; }

const SyscallSchema &schema_of(const RawEvent &ev, const EventSchema &schema) {
  return schema.syscall(abi_of(ev), ev.header->nr);
}

std::string_view errno_of(std::int64_t ret) {
  if (ret >= 0 || ret < -kMaxErrno)
    return {};
  return errno_name(static_cast<int>(-ret));
}

void append_raw(std::string &out, std::uint64_t raw, ArgKind kind) {
  switch (kind) {
  case ArgKind::kSigned32:
    append_int(out, static_cast<std::int32_t>(raw));
    break;
  case ArgKind::kUnsigned32:
    append_int(out, static_cast<std::uint32_t>(raw));
    break;
  case ArgKind::kSigned64:
    append_int(out, static_cast<std::int64_t>(raw));
    break;
  default:
    append_int(out, raw);
    break;
  }
}

// for_each_argv - calls fn for each NUL-separated string of an argv item.
template <typename Fn> void for_each_argv(std::string_view bytes, Fn fn) {
  while (!bytes.empty()) {
    std::size_t nul = bytes.find('\0');
    fn(bytes.substr(0, nul));
    if (nul == std::string_view::npos)
      break;
    bytes.remove_prefix(nul + 1);
  }
}

// ArgProblems - the arguments whose capture was cut or failed.
struct ArgProblems {
  std::string_view truncated[6];
  std::string_view unreadable[6];
  int ntruncated = 0;
  int nunreadable = 0;

  void note(std::string_view name, const CapturedArg &cap) {
    if (cap.truncated())
      truncated[ntruncated++] = name;
    if (cap.fault())
      unreadable[nunreadable++] = name;
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

class JsonFormatter final : public EventFormatter {
public:
  JsonFormatter(const EventSchema &schema, const WallClock &clock)
      : schema_(schema), clock_(clock) {}

  void format(const RawEvent &ev, std::string &out) override {
    const vigil_event &h = *ev.header;
    out.append("{\"time\":\"");
    time_.append(out, clock_.to_wall_ns(h.ts_ns));
    out.append("\",\"event\":");
    json::append_string(out, event_name(ev, schema_));
    if (h.kind == VIGIL_EV_SYSCALL) {
      out.append(",\"abi\":\"");
      out.append(ev.compat() ? "i386" : "x86_64");
      out.append("\",\"nr\":");
      append_int(out, h.nr);
    }
    out.append(",\"cpu\":");
    append_int(out, h.cpu);
    append_process(ev, out);
    if (h.kind == VIGIL_EV_SYSCALL) {
      append_syscall(ev, out);
    } else {
      append_process_event(ev, out);
    }
    out.append("}\n");
  }

private:
  void append_process(const RawEvent &ev, std::string &out) {
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
    out.push_back('}');
  }

  void append_captured(const CapturedArg &cap, ArgKind kind, std::string &out) {
    if (cap.fault() && cap.bytes.empty()) {
      out.append("null");
      return;
    }
    if (kind != ArgKind::kArgv) {
      json::append_string(out, cap.bytes);
      return;
    }
    out.push_back('[');
    bool first = true;
    for_each_argv(cap.bytes, [&](std::string_view s) {
      if (!first)
        out.push_back(',');
      first = false;
      json::append_string(out, s);
    });
    out.push_back(']');
  }

  void append_syscall(const RawEvent &ev, std::string &out) {
    const vigil_event &h = *ev.header;
    const SyscallSchema &sc = schema_of(ev, schema_);
    ArgProblems problems;

    out.append(",\"args\":{");
    for (int i = 0; i < sc.nargs; ++i) {
      if (i)
        out.push_back(',');
      std::string_view key = arg_key(sc.args[i], i);
      append_key(out, key);
      if (ev.captured[i]) {
        append_captured(*ev.captured[i], sc.args[i].kind, out);
        problems.note(key, *ev.captured[i]);
      } else if (sc.args[i].kind == ArgKind::kString ||
                 sc.args[i].kind == ArgKind::kArgv) {
        // Not captured: a NULL pointer, or the data area was full.
        if (h.args[i] == 0) {
          out.append("null");
        } else {
          append_int(out, h.args[i]);
          problems.unreadable[problems.nunreadable++] = key;
        }
      } else {
        append_raw(out, h.args[i], sc.args[i].kind);
      }
    }
    out.push_back('}');

    if (ev.returns()) {
      std::int64_t ret = ev.compat() ? static_cast<std::int32_t>(h.ret) : h.ret;
      out.append(",\"ret\":");
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
      if (ev.captured[0]) {
        json::append_string(out, ev.captured[0]->bytes);
      } else {
        out.append("null");
      }
      out.append(",\"old_pid\":");
      append_int(out, h.args[0]);
      break;
    case VIGIL_EV_PROCESS_EXIT: {
      // exit_code is the wait(2) status: exit status high, signal low.
      auto status = static_cast<std::uint32_t>(h.args[0]);
      out.append("\"exit_code\":");
      append_int(out, (status >> 8) & 0xff);
      out.append(",\"signal\":");
      append_int(out, status & 0x7f);
      out.append(",\"group_dead\":");
      out.append(h.args[1] ? "true" : "false");
      break;
    }
    default:
      break;
    }
    out.push_back('}');
  }

  const EventSchema &schema_;
  const WallClock &clock_;
  Rfc3339 time_;
};

class TextFormatter final : public EventFormatter {
public:
  TextFormatter(const EventSchema &schema, const WallClock &clock)
      : schema_(schema), clock_(clock) {}

  void format(const RawEvent &ev, std::string &out) override {
    const vigil_event &h = *ev.header;
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
    out.append(event_name(ev, schema_));
    if (h.kind == VIGIL_EV_SYSCALL) {
      append_call(ev, out);
    } else {
      append_process_event(ev, out);
    }
    out.push_back('\n');
  }

private:
  void append_call(const RawEvent &ev, std::string &out) {
    const vigil_event &h = *ev.header;
    const SyscallSchema &sc = schema_of(ev, schema_);
    out.push_back('(');
    for (int i = 0; i < sc.nargs; ++i) {
      if (i)
        out.append(", ");
      out.append(arg_key(sc.args[i], i));
      out.push_back('=');
      if (ev.captured[i]) {
        append_captured(*ev.captured[i], sc.args[i].kind, out);
      } else if (sc.args[i].kind == ArgKind::kString ||
                 sc.args[i].kind == ArgKind::kArgv ||
                 sc.args[i].kind == ArgKind::kPointer) {
        append_pointer(out, h.args[i]);
      } else {
        append_raw(out, h.args[i], sc.args[i].kind);
      }
    }
    out.push_back(')');
    if (!ev.returns()) {
      out.append(" = ?");
      return;
    }
    std::int64_t ret = ev.compat() ? static_cast<std::int32_t>(h.ret) : h.ret;
    out.append(" = ");
    std::string_view err = errno_of(ret);
    if (err.empty()) {
      append_int(out, ret);
    } else {
      out.append("-1 ");
      out.append(err);
    }
  }

  static void append_pointer(std::string &out, std::uint64_t p) {
    if (p == 0) {
      out.append("NULL");
      return;
    }
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), p, 16);
    out.append("0x");
    out.append(buf, end);
  }

  static void append_captured(const CapturedArg &cap, ArgKind kind,
                              std::string &out) {
    if (cap.fault() && cap.bytes.empty()) {
      out.append("<unreadable>");
      return;
    }
    if (kind == ArgKind::kArgv) {
      out.push_back('[');
      bool first = true;
      for_each_argv(cap.bytes, [&](std::string_view s) {
        if (!first)
          out.append(", ");
        first = false;
        json::append_c_string(out, s);
      });
      if (cap.truncated())
        out.append(", ...");
      out.push_back(']');
      return;
    }
    json::append_c_string(out, cap.bytes);
    if (cap.truncated())
      out.append("...");
  }

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
      auto status = static_cast<std::uint32_t>(h.args[0]);
      out.append(" exit_code=");
      append_int(out, (status >> 8) & 0xff);
      if (status & 0x7f) {
        out.append(" signal=");
        append_int(out, status & 0x7f);
      }
      break;
    }
    default:
      break;
    }
  }

  const EventSchema &schema_;
  const WallClock &clock_;
  Rfc3339 time_;
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
  default:
    return "unknown";
  }
}

std::unique_ptr<EventFormatter> make_formatter(OutputFormat format,
                                               const EventSchema &schema,
                                               const WallClock &clock) {
  if (format == OutputFormat::kText) {
    return std::make_unique<TextFormatter>(schema, clock);
  }
  return std::make_unique<JsonFormatter>(schema, clock);
}

} // namespace vigil
