#include "rules/fields.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "decode/arg_decoder.h"
#include "decode/syscall_table.h"
#include "decode/value_writer.h"

namespace vigil::rules {

std::string_view type_name(FieldType t) {
  switch (t) {
  case FieldType::kInt:
    return "number";
  case FieldType::kString:
    return "string";
  case FieldType::kBool:
    return "bool";
  case FieldType::kIntList:
    return "list of numbers";
  case FieldType::kStringList:
    return "list of strings";
  case FieldType::kIntOrString:
    return "number or name";
  case FieldType::kStruct:
    return "struct";
  case FieldType::kAny:
    return "any";
  }
  return "?";
}

namespace {

// CaptureWriter - keeps the value a decoder writes instead of printing
// it: the whole argument, or one field of a struct argument. Strings
// the kernel captured stay views into the record; only text a decoder
// builds (flag names, modes) is copied.
class CaptureWriter final : public ValueWriter {
public:
  CaptureWriter(Value &out, std::string &text, std::deque<std::string> &texts,
                std::vector<Value> &items, std::string_view field = {})
      : out_(out), text_(text), texts_(texts), items_(items), field_(field) {}

  void signed_int(std::int64_t v) override { put(Value::of_int(v)); }
  void unsigned_int(std::uint64_t v) override {
    put(Value::of_int(static_cast<std::int64_t>(v)));
  }
  void hex(std::uint64_t v) override { unsigned_int(v); }
  void octal(std::uint64_t v) override {
    char buf[32];
    buf[0] = '0';
    auto [end, ec] = std::to_chars(buf + 1, buf + sizeof(buf), v, 8);
    put_text(std::string_view(buf, v == 0 ? 1 : end - buf));
  }
  // NULL is null in JSON, and absent to rules.
  void pointer(std::uint64_t v) override {
    put(v == 0 ? Value{} : Value::of_int(static_cast<std::int64_t>(v)));
  }
  void symbol(std::string_view text) override { put_text(text); }
  void string(std::string_view bytes, bool) override {
    put(Value::of_string(bytes));
  }
  void hex_string(std::string_view bytes, bool) override {
    put(Value::of_string(bytes));
  }
  void unreadable(std::uint64_t) override { put(Value{}); }

  void begin_struct() override {
    if (depth_ == 0 && field_.empty())
      out_ = Value{ValueKind::kStruct, 0, {}, {}};
    else if (depth_ == 1 && in_field_)
      out_ = Value{ValueKind::kStruct, 0, {}, {}};
    ++depth_;
  }
  void field(std::string_view name) override {
    if (depth_ == 1)
      in_field_ = !field_.empty() && name == field_;
  }
  void end_struct() override {
    --depth_;
    if (depth_ == 1)
      in_field_ = false;
  }
  void begin_array() override {
    if (depth_ == 0 && field_.empty())
      in_list_ = true;
    ++depth_;
  }
  void element() override {}
  void end_array() override {
    --depth_;
    if (depth_ == 0 && in_list_)
      out_ = Value::of_list(items_);
  }
  void ellipsis() override {}
  void comment(std::string_view) override {}
  void fd_path(std::string_view) override {}

private:
  void put(const Value &v) {
    if (!field_.empty()) {
      if (depth_ == 1 && in_field_)
        out_ = v;
      return;
    }
    if (depth_ == 0)
      out_ = v;
    else if (depth_ == 1 && in_list_)
      items_.push_back(v);
  }
  void put_text(std::string_view text) {
    bool top = field_.empty() ? depth_ == 0 : (depth_ == 1 && in_field_);
    if (top) {
      text_.assign(text);
      put(Value::of_string(text_));
    } else if (depth_ == 1 && in_list_) {
      texts_.emplace_back(text);
      put(Value::of_string(texts_.back()));
    }
  }

  Value &out_;
  std::string &text_;
  std::deque<std::string> &texts_;
  std::vector<Value> &items_;
  std::string_view field_;
  int depth_ = 0;
  bool in_list_ = false;
  bool in_field_ = false;
};

std::string_view arg_key(const ArgSchema &arg, int i) {
  static constexpr std::string_view kUnnamed[] = {"arg0", "arg1", "arg2",
                                                  "arg3", "arg4", "arg5"};
  return arg.name.empty() ? kUnnamed[i] : arg.name;
}

FieldType arg_field_type(Sem sem) {
  switch (sem) {
  case Sem::kPath:
  case Sem::kString:
  case Sem::kStrOut:
  case Sem::kFlags:
  case Sem::kEnum:
  case Sem::kMode:
  case Sem::kSignal:
    return FieldType::kString;
  case Sem::kArgv:
    return FieldType::kStringList;
  case Sem::kDirFd:
  case Sem::kBufIn:
  case Sem::kBufOut:
    return FieldType::kIntOrString;
  case Sem::kStructIn:
  case Sem::kStructOut:
  case Sem::kSockaddrIn:
  case Sem::kSockaddrOut:
  case Sem::kSigsetIn:
  case Sem::kSigsetOut:
    return FieldType::kStruct;
  default:
    return FieldType::kInt;
  }
}

std::string_view arg_description(Sem sem) {
  switch (sem) {
  case Sem::kFd:
    return "a file descriptor";
  case Sem::kDirFd:
    return "a directory descriptor: AT_FDCWD or a number";
  case Sem::kPath:
    return "a path, as the process gave it";
  case Sem::kString:
  case Sem::kStrOut:
    return "a string";
  case Sem::kArgv:
    return "the argument strings";
  case Sem::kFlags:
    return "a flag set by name, joined by |, e.g. O_RDONLY|O_CLOEXEC";
  case Sem::kEnum:
    return "a value by name";
  case Sem::kMode:
    return "permission bits in octal, e.g. 0644";
  case Sem::kSignal:
    return "a signal by name, e.g. SIGTERM";
  case Sem::kBufIn:
  case Sem::kBufOut:
    return "a buffer: its address (the monitor does not read buffers)";
  case Sem::kStructIn:
  case Sem::kStructOut:
  case Sem::kSockaddrIn:
  case Sem::kSockaddrOut:
  case Sem::kSigsetIn:
  case Sem::kSigsetOut:
    return "a struct: name a field as args.NAME.FIELD";
  case Sem::kPtr:
  case Sem::kEnvp:
    return "an address";
  default:
    return "a number";
  }
}

// The arguments of the process events, by event id.
struct ProcessArg {
  EventId id;
  std::string_view name;
  FieldType type;
  std::string_view description;
};
constexpr ProcessArg kProcessArgs[] = {
    {kForkEvent, "child_pid", FieldType::kInt, "the new process's pid"},
    {kForkEvent, "child_tid", FieldType::kInt, "the new thread's id"},
    {kExecEvent, "filename", FieldType::kString, "the path given to exec"},
    {kExecEvent, "old_pid", FieldType::kInt, "the thread id before exec"},
    {kExitEvent, "exit_code", FieldType::kInt, "the exit status"},
    {kExitEvent, "signal", FieldType::kInt, "the killing signal, or 0"},
    {kExitEvent, "group_dead", FieldType::kBool,
     "true for the last thread of the process"},
};

Value process_arg(EvalContext &c, int i) {
  const vigil_event &h = c.header();
  switch (c.id()) {
  case kForkEvent:
    return Value::of_int(static_cast<std::int64_t>(h.args[i]));
  case kExecEvent:
    if (i == 1)
      return Value::of_int(static_cast<std::int64_t>(h.args[0]));
    if (c.event().captured[0])
      return Value::of_string(c.event().captured[0]->bytes);
    return {};
  case kExitEvent: {
    auto status = static_cast<std::uint32_t>(h.args[0]);
    if (i == 0)
      return Value::of_int((status >> 8) & 0xff);
    if (i == 1)
      return Value::of_int(status & 0x7f);
    return Value::of_bool(h.args[1] != 0);
  }
  default:
    return {};
  }
}

Value string_or_none(std::string_view s) {
  return s.empty() ? Value{} : Value::of_string(s);
}

Value nonzero_or_none(std::uint64_t v) {
  return v == 0 ? Value{} : Value::of_int(static_cast<std::int64_t>(v));
}

// The parent is the nearest ancestor, when the table knows it.
const Ancestor *parent_of(EvalContext &c) {
  const ProcessInfo *p = c.process();
  if (p == nullptr || p->ancestors.empty())
    return nullptr;
  const Ancestor &a = p->ancestors.front();
  return a.pid == c.header().ppid ? &a : nullptr;
}

Value ancestor_part(const Ancestor &a, std::string_view which) {
  if (which == "pid")
    return Value::of_int(a.pid);
  if (which == "comm")
    return string_or_none(a.comm);
  return string_or_none(a.exe);
}

// FixedField - a field whose path is fixed, read by a small function.
struct FixedField {
  std::string_view name;
  FieldType type;
  bool syscall_only;
  FieldGetter get;
  std::string_view description;
};

#define HEADER_INT(member)                                                     \
  [](const FieldRef &, EvalContext &c) {                                       \
    return Value::of_int(static_cast<std::int64_t>(c.header().member));        \
  }
#define PROCESS(expr)                                                          \
  [](const FieldRef &, EvalContext &c) {                                       \
    const ProcessInfo *p = c.process();                                        \
    return p == nullptr ? Value{} : (expr);                                    \
  }
#define CONTAINER(expr)                                                        \
  [](const FieldRef &, EvalContext &c) {                                       \
    const ContainerInfo *k = c.container();                                    \
    return k == nullptr ? Value{} : (expr);                                    \
  }

Value get_ret(const FieldRef &, EvalContext &c) {
  if (c.syscall() == nullptr || !c.event().returns())
    return {};
  return Value::of_int(return_value(c.event()));
}

Value get_errno(const FieldRef &, EvalContext &c) {
  if (c.syscall() == nullptr || !c.event().returns())
    return {};
  int err = failure_errno(return_value(c.event()));
  return err ? string_or_none(errno_name(err)) : Value{};
}

Value get_duration(const FieldRef &, EvalContext &c) {
  if (c.syscall() == nullptr || !c.event().returns())
    return {};
  const vigil_event &h = c.header();
  return Value::of_int(static_cast<std::int64_t>(h.ts_ns - h.enter_ns));
}

Value get_cmdline(const FieldRef &, EvalContext &c) {
  const ProcessInfo *p = c.process();
  if (p == nullptr || p->cmdline.empty())
    return {};
  c.text.clear();
  for (const std::string &a : p->cmdline) {
    if (!c.text.empty())
      c.text.push_back(' ');
    c.text.append(a);
  }
  return Value::of_string(c.text);
}

Value get_ns_tid(const FieldRef &, EvalContext &c) {
  // The table keeps the namespaced id of the process only; a thread's
  // own namespaced id is known when it is the leader.
  const ProcessInfo *p = c.process();
  if (p == nullptr || p->ns_pid == 0 || c.header().tid != c.header().pid)
    return {};
  return Value::of_int(p->ns_pid);
}

const FixedField kFixedFields[] = {
    {"event", FieldType::kString, false,
     [](const FieldRef &, EvalContext &c) {
       return Value::of_string(c.name());
     },
     "the syscall's or process event's name, e.g. openat"},
    {"abi", FieldType::kString, true,
     [](const FieldRef &, EvalContext &c) {
       return Value::of_string(c.event().compat() ? "i386" : "x86_64");
     },
     "x86_64, or i386 for the 32-bit entry"},
    {"nr", FieldType::kInt, true, HEADER_INT(nr),
     "the syscall number in its ABI"},
    {"cpu", FieldType::kInt, false, HEADER_INT(cpu),
     "the CPU the event was emitted on"},
    {"ret", FieldType::kInt, true, get_ret,
     "the return value; absent for exit and exit_group"},
    {"errno", FieldType::kString, true, get_errno,
     "the error's name, e.g. ENOENT; absent when the call succeeded"},
    {"duration_ns", FieldType::kInt, true, get_duration,
     "nanoseconds from entry to exit"},
    {"process.pid", FieldType::kInt, false, HEADER_INT(pid),
     "process id (thread group id) on the host"},
    {"process.tid", FieldType::kInt, false, HEADER_INT(tid),
     "thread id on the host"},
    {"process.ppid", FieldType::kInt, false, HEADER_INT(ppid),
     "the parent's process id"},
    {"process.comm", FieldType::kString, false,
     [](const FieldRef &, EvalContext &c) {
       return Value::of_string(c.event().comm());
     },
     "the thread's name, at most 15 bytes"},
    {"process.uid", FieldType::kInt, false, HEADER_INT(uid), "real user id"},
    {"process.gid", FieldType::kInt, false, HEADER_INT(gid), "real group id"},
    {"process.pidns", FieldType::kInt, false, HEADER_INT(pidns),
     "inode number of the pid namespace"},
    {"process.mntns", FieldType::kInt, false, HEADER_INT(mntns),
     "inode number of the mount namespace"},
    {"process.cgroup_id", FieldType::kInt, false, HEADER_INT(cgroup_id),
     "the cgroup v2 id; 1 is the root"},
    {"process.exe", FieldType::kString, false, PROCESS(string_or_none(p->exe)),
     "the executable, as /proc/PID/exe says"},
    {"process.exe_deleted", FieldType::kBool, false,
     PROCESS(Value::of_bool(p->exe_deleted)),
     "true when the executable was unlinked after exec"},
    {"process.exe_memfd", FieldType::kBool, false,
     PROCESS(Value::of_bool(p->exe_memfd)),
     "true when the executable is a memfd (fileless)"},
    {"process.cmdline", FieldType::kString, false, get_cmdline,
     "the command line, arguments joined by spaces"},
    {"process.start_time", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->start_ns)),
     "when the process started, CLOCK_MONOTONIC nanoseconds"},
    {"process.ns_pid", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns_pid)),
     "the process id inside its pid namespace"},
    {"process.ns_tid", FieldType::kInt, false, get_ns_tid,
     "the thread id inside its pid namespace (known for the leader)"},
    {"process.loginuid", FieldType::kInt, false,
     PROCESS(Value::of_int(p->loginuid)),
     "the login user id; 4294967295 when unset"},
    {"process.namespaces.pid", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns.pid)), "pid namespace inode"},
    {"process.namespaces.mnt", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns.mnt)), "mount namespace inode"},
    {"process.namespaces.net", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns.net)), "network namespace inode"},
    {"process.namespaces.uts", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns.uts)), "UTS namespace inode"},
    {"process.namespaces.user", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns.user)), "user namespace inode"},
    {"process.namespaces.cgroup", FieldType::kInt, false,
     PROCESS(nonzero_or_none(p->ns.cgroup)), "cgroup namespace inode"},
    {"process.parent.pid", FieldType::kInt, false, HEADER_INT(ppid),
     "the parent's process id"},
    {"process.parent.comm", FieldType::kString, false,
     [](const FieldRef &, EvalContext &c) {
       const Ancestor *a = parent_of(c);
       return a ? string_or_none(a->comm) : Value{};
     },
     "the parent's name"},
    {"process.parent.exe", FieldType::kString, false,
     [](const FieldRef &, EvalContext &c) {
       const Ancestor *a = parent_of(c);
       return a ? string_or_none(a->exe) : Value{};
     },
     "the parent's executable"},
    {"user.name", FieldType::kString, false, PROCESS(string_or_none(p->user)),
     "the name of the real user id"},
    {"group.name", FieldType::kString, false, PROCESS(string_or_none(p->group)),
     "the name of the real group id"},
    {"container.id", FieldType::kString, false,
     CONTAINER(string_or_none(k->id)),
     "the container's full id; absent outside containers"},
    {"container.runtime", FieldType::kString, false,
     CONTAINER(string_or_none(k->runtime)),
     "docker, podman, containerd or cri-o"},
    {"container.name", FieldType::kString, false,
     CONTAINER(string_or_none(k->name)), "the container's name"},
    {"container.image", FieldType::kString, false,
     CONTAINER(string_or_none(k->image)), "the image, as the runtime names it"},
    {"container.image_id", FieldType::kString, false,
     CONTAINER(string_or_none(k->image_id)), "the image's id"},
    {"container.pod.name", FieldType::kString, false,
     CONTAINER(string_or_none(k->pod.name)), "the Kubernetes pod's name"},
    {"container.pod.namespace", FieldType::kString, false,
     CONTAINER(string_or_none(k->pod.ns)), "the pod's namespace"},
    {"container.pod.uid", FieldType::kString, false,
     CONTAINER(string_or_none(k->pod.uid)), "the pod's uid"},
    {"container.pod.qos", FieldType::kString, false,
     CONTAINER(string_or_none(k->pod.qos)), "the pod's QoS class"},
};

#undef HEADER_INT
#undef PROCESS
#undef CONTAINER

Value get_arg(const FieldRef &f, EvalContext &c) {
  int i = (*f.arg_index)[c.id()];
  if (i < 0)
    return {};
  if (c.syscall() == nullptr)
    return process_arg(c, i);
  if (!f.key.empty())
    return c.arg_field(i, f.key);
  return c.arg(i);
}

Value get_label(const FieldRef &f, EvalContext &c) {
  const ContainerInfo *k = c.container();
  if (k == nullptr)
    return {};
  auto it = k->labels.find(f.key);
  return it == k->labels.end() ? Value{} : Value::of_string(it->second);
}

Value get_ancestor(const FieldRef &f, EvalContext &c) {
  const ProcessInfo *p = c.process();
  if (p == nullptr || f.index < 0 ||
      static_cast<std::size_t>(f.index) >= p->ancestors.size()) {
    return {};
  }
  return ancestor_part(p->ancestors[f.index], f.which);
}

Value get_ancestors(const FieldRef &f, EvalContext &c) {
  const ProcessInfo *p = c.process();
  if (p == nullptr || p->ancestors.empty())
    return {};
  c.list.clear();
  for (const Ancestor &a : p->ancestors) {
    Value v = ancestor_part(a, f.which);
    if (v.kind != ValueKind::kNone)
      c.list.push_back(v);
  }
  return Value::of_list(c.list);
}

std::optional<std::string_view> ancestor_part_name(std::string_view s) {
  for (std::string_view n : {"pid", "comm", "exe"}) {
    if (s == n)
      return n;
  }
  return std::nullopt;
}

} // namespace

void EvalContext::bind(const RawEvent &ev, const EventSchema &schema,
                       const EventContext &ctx) {
  ev_ = &ev;
  schema_ = &schema;
  ctx_ = &ctx;
  ++generation_;
  id_ = event_id(ev, schema);
  if (id_ < VIGIL_NR_SLOTS) {
    sc_ = &schema.at_slot(id_);
    name_ = sc_->name;
  } else {
    sc_ = nullptr;
    name_ = id_ == kForkEvent   ? "sched_process_fork"
            : id_ == kExecEvent ? "sched_process_exec"
                                : "sched_process_exit";
  }
}

Value EvalContext::arg(int i) {
  ArgCache &a = args_[i];
  if (a.generation == generation_)
    return a.value;
  a.generation = generation_;
  a.value = Value{};
  if (!a.items.empty())
    a.items.clear();
  if (!a.texts.empty())
    a.texts.clear();
  CaptureWriter w(a.value, a.text, a.texts, a.items);
  write_arg(w, *ev_, *sc_, i, DecodeOptions{});
  return a.value;
}

Value EvalContext::arg_field(int i, std::string_view field) {
  ArgCache &a = field_cache_;
  a.value = Value{};
  a.items.clear();
  a.texts.clear();
  CaptureWriter w(a.value, a.text, a.texts, a.items, field);
  write_arg(w, *ev_, *sc_, i, DecodeOptions{});
  return a.value;
}

EventId event_id(const RawEvent &ev, const EventSchema &schema) {
  switch (ev.header->kind) {
  case VIGIL_EV_PROCESS_FORK:
    return kForkEvent;
  case VIGIL_EV_PROCESS_EXEC:
    return kExecEvent;
  case VIGIL_EV_PROCESS_EXIT:
    return kExitEvent;
  case VIGIL_EV_SYSCALL:
    return schema.slot(ev.compat() ? Abi::i386 : Abi::x86_64, ev.header->nr);
  default:
    return kUnnamedEvent;
  }
}

EventNames::EventNames(const EventSchema &schema) : schema_(schema) {
  std::unordered_map<std::string_view, std::size_t> at;
  auto add = [&](std::string_view name, EventId id) {
    auto [it, fresh] = at.emplace(name, by_name_.size());
    if (fresh)
      by_name_.push_back({name, {}});
    by_name_[it->second].second.push_back(id);
  };
  for (std::size_t s = 0; s < schema.slot_count(); ++s)
    add(schema.at_slot(s).name, static_cast<EventId>(s));
  add("sched_process_fork", kForkEvent);
  add("sched_process_exec", kExecEvent);
  add("sched_process_exit", kExitEvent);
  std::sort(by_name_.begin(), by_name_.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
}

const std::vector<EventId> &EventNames::ids(std::string_view name) const {
  static const std::vector<EventId> kNone;
  auto it = std::lower_bound(
      by_name_.begin(), by_name_.end(), name,
      [](const auto &entry, std::string_view n) { return entry.first < n; });
  return it != by_name_.end() && it->first == name ? it->second : kNone;
}

std::string_view EventNames::name(EventId id) const {
  if (id < VIGIL_NR_SLOTS)
    return schema_.at_slot(id).name;
  return id == kForkEvent   ? "sched_process_fork"
         : id == kExecEvent ? "sched_process_exec"
                            : "sched_process_exit";
}

std::optional<FieldType> FieldRef::type_on(EventId id) const {
  if (arg_type) {
    std::int8_t t = (*arg_type)[id];
    if (t < 0)
      return std::nullopt;
    return static_cast<FieldType>(t);
  }
  if (syscall_only_ && id >= VIGIL_NR_SLOTS)
    return std::nullopt;
  return type_;
}

namespace {

// resolve_args - args.NAME or args.NAME.FIELD: which argument it is on
// every event that has one of that name.
bool resolve_args(FieldRef &f, std::string_view rest, const EventSchema &schema,
                  std::string &error) {
  std::string_view name = rest;
  std::string_view sub;
  if (auto dot = rest.find('.'); dot != std::string_view::npos) {
    name = rest.substr(0, dot);
    sub = rest.substr(dot + 1);
  }
  auto index = std::make_shared<std::vector<std::int8_t>>(kEventIds, -1);
  auto type = std::make_shared<std::vector<std::int8_t>>(kEventIds, -1);
  bool found = false;
  auto set = [&](EventId id, int i, FieldType t) {
    if (!sub.empty()) {
      if (t != FieldType::kStruct)
        return;
      t = FieldType::kAny;
    }
    (*index)[id] = static_cast<std::int8_t>(i);
    (*type)[id] = static_cast<std::int8_t>(t);
    found = true;
  };
  for (std::size_t s = 0; s < schema.slot_count(); ++s) {
    const SyscallSchema &sc = schema.at_slot(s);
    for (int i = 0; i < sc.nargs; ++i) {
      if (arg_key(sc.args[i], i) == name) {
        set(static_cast<EventId>(s), i, arg_field_type(sc.args[i].spec.sem));
      }
    }
  }
  for (const ProcessArg &pa : kProcessArgs) {
    if (pa.name != name)
      continue;
    int i = 0;
    for (const ProcessArg &other : kProcessArgs) {
      if (&other == &pa)
        break;
      i += other.id == pa.id;
    }
    set(pa.id, i, pa.type);
  }
  if (!found) {
    error = sub.empty()
                ? "no event has an argument named '" + std::string(name) + "'"
                : "no event has a struct argument named '" + std::string(name) +
                      "'";
    return false;
  }
  f.key = std::string(sub);
  f.arg_index = std::move(index);
  f.arg_type = std::move(type);
  return true;
}

} // namespace

std::optional<FieldRef> resolve_field(std::string_view path,
                                      const EventSchema &schema,
                                      std::string &error) {
  FieldRef f;
  f.path_ = std::string(path);
  for (const FixedField &ff : kFixedFields) {
    if (ff.name == path) {
      f.getter_ = ff.get;
      f.type_ = ff.type;
      f.syscall_only_ = ff.syscall_only;
      return f;
    }
  }
  if (path.starts_with("args.") && path.size() > 5) {
    if (!resolve_args(f, path.substr(5), schema, error))
      return std::nullopt;
    f.getter_ = get_arg;
    return f;
  }
  constexpr std::string_view kLabels = "container.labels.";
  if (path.starts_with(kLabels) && path.size() > kLabels.size()) {
    f.key = std::string(path.substr(kLabels.size()));
    f.getter_ = get_label;
    f.type_ = FieldType::kString;
    return f;
  }
  constexpr std::string_view kAncestors = "process.ancestors";
  if (path.starts_with(kAncestors)) {
    std::string_view rest = path.substr(kAncestors.size());
    if (rest.starts_with('[')) {
      std::size_t close = rest.find(']');
      int n = -1;
      if (close != std::string_view::npos) {
        auto [p, ec] = std::from_chars(rest.data() + 1, rest.data() + close, n);
        if (ec != std::errc() || p != rest.data() + close)
          n = -1;
      }
      if (n < 0) {
        error = "'" + std::string(path) +
                "': an ancestor's index is a number, e.g. "
                "process.ancestors[1].exe";
        return std::nullopt;
      }
      f.index = n;
      rest = rest.substr(close + 1);
      f.getter_ = get_ancestor;
    } else {
      f.getter_ = get_ancestors;
    }
    if (rest.starts_with('.')) {
      if (auto part = ancestor_part_name(rest.substr(1))) {
        f.which = *part;
        bool number = f.which == "pid";
        if (f.index >= 0) {
          f.type_ = number ? FieldType::kInt : FieldType::kString;
        } else {
          f.type_ = number ? FieldType::kIntList : FieldType::kStringList;
        }
        return f;
      }
    }
    error = "'" + std::string(path) +
            "': name an ancestor's pid, comm or exe, e.g. "
            "process.ancestors.comm or process.ancestors[0].exe";
    return std::nullopt;
  }
  error = "unknown field '" + std::string(path) +
          "' (vigil list fields shows them all)";
  return std::nullopt;
}

std::vector<FieldDoc> field_catalog() {
  std::vector<FieldDoc> docs;
  for (const FixedField &ff : kFixedFields) {
    std::string desc(ff.description);
    if (ff.syscall_only)
      desc += " (syscalls only)";
    docs.push_back(
        {std::string(ff.name), std::string(type_name(ff.type)), desc});
  }
  docs.push_back({"process.ancestors.pid", "list of numbers",
                  "pids up the parent chain, nearest first"});
  docs.push_back({"process.ancestors.comm", "list of strings",
                  "names up the parent chain, nearest first"});
  docs.push_back({"process.ancestors.exe", "list of strings",
                  "executables up the parent chain, nearest first"});
  docs.push_back({"process.ancestors[N].pid|comm|exe", "number or string",
                  "one ancestor: [0] is the parent, [1] its parent"});
  docs.push_back({"container.labels.KEY", "string", "one container label"});
  docs.push_back({"args.NAME", "per event",
                  "an argument by the kernel's name; vigil list fields "
                  "--event NAME lists one event's"});
  docs.push_back({"args.NAME.FIELD", "any",
                  "a field of a struct argument, e.g. "
                  "args.uservaddr.sin_port"});
  return docs;
}

std::vector<FieldDoc> event_arg_docs(std::string_view event,
                                     const EventSchema &schema) {
  std::vector<FieldDoc> docs;
  for (const ProcessArg &pa : kProcessArgs) {
    std::string_view name = pa.id == kForkEvent   ? "sched_process_fork"
                            : pa.id == kExecEvent ? "sched_process_exec"
                                                  : "sched_process_exit";
    if (name == event) {
      docs.push_back({"args." + std::string(pa.name),
                      std::string(type_name(pa.type)),
                      std::string(pa.description)});
    }
  }
  for (std::size_t s = 0; s < schema.slot_count() && docs.empty(); ++s) {
    const SyscallSchema &sc = schema.at_slot(s);
    if (sc.name != event)
      continue;
    for (int i = 0; i < sc.nargs; ++i) {
      Sem sem = sc.args[i].spec.sem;
      docs.push_back({"args." + std::string(arg_key(sc.args[i], i)),
                      std::string(type_name(arg_field_type(sem))),
                      std::string(arg_description(sem))});
    }
  }
  return docs;
}

void append_value(std::string &out, const Value &v) {
  switch (v.kind) {
  case ValueKind::kNone:
    out.append("<NA>");
    break;
  case ValueKind::kInt: {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v.i);
    out.append(buf, end);
    break;
  }
  case ValueKind::kString:
    out.append(v.s);
    break;
  case ValueKind::kBool:
    out.append(v.i ? "true" : "false");
    break;
  case ValueKind::kList:
    for (std::size_t i = 0; i < v.list.size(); ++i) {
      if (i)
        out.push_back(' ');
      append_value(out, v.list[i]);
    }
    break;
  case ValueKind::kStruct:
    out.append("<struct>");
    break;
  }
}

} // namespace vigil::rules
