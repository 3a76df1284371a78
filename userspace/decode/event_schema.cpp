#include "decode/event_schema.h"

#include <algorithm>

#include "decode/structs.h"

namespace vigil {

namespace {

constexpr std::string_view kSigned32Types[] = {
    "int",   "pid_t", "key_serial_t", "clockid_t", "timer_t",
    "mqd_t", "rwf_t", "__s32",        "s32"};
constexpr std::string_view kUnsigned32Types[] = {
    "unsigned int", "u32",   "__u32",     "umode_t",   "uid_t",
    "gid_t",        "qid_t", "old_uid_t", "old_gid_t", "unsigned"};
constexpr std::string_view kUnsigned64Types[] = {
    "unsigned long",     "size_t",         "u64", "__u64", "aio_context_t",
    "cap_user_header_t", "cap_user_data_t"};

// Pointer arguments that name a path in the kernel's own argument names,
// for syscalls the semantics table does not list; other "const char *"
// arguments (write's buf) are byte buffers with a length.
constexpr std::string_view kPathArgNames[] = {
    "filename", "pathname", "path",     "oldname", "newname", "oldpath",
    "newpath",  "dev_name", "dir_name", "special", "library", "linkpath"};
constexpr std::string_view kStringArgNames[] = {"name", "uname", "type",
                                                "name_user", "uargs"};

// Syscalls after which the task may no longer match the filters it
// matched at entry: their exit always looks the task up.
constexpr std::string_view kIdentityChanging[] = {
    "prctl",      "setuid",     "setgid",     "setreuid",    "setregid",
    "setresuid",  "setresgid",  "setfsuid",   "setfsgid",    "setuid32",
    "setgid32",   "setreuid32", "setregid32", "setresuid32", "setresgid32",
    "setfsuid32", "setfsgid32"};

constexpr std::string_view kForkCalls[] = {"clone", "clone3", "fork", "vfork"};
// The calls that end a signal handler.
constexpr std::string_view kSigreturns[] = {"rt_sigreturn", "sigreturn"};

// Struct layouts that are the same for 32-bit callers.
constexpr StructKind kCompatSafeStructs[] = {StructKind::kIntPair,
                                             StructKind::kWaitStatus};

constexpr std::uint16_t kSockaddrMax = 128;
constexpr std::uint16_t kSigsetMax = 128;

template <typename T, std::size_t N>
bool one_of(const T &value, const T (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

// default_spec - the meaning of an argument the table does not give,
// guessed from its C type and name.
ArgSpec default_spec(const SyscallArg &arg, ArgKind raw) {
  bool const_string = arg.type == "const char *";
  if (arg.name == "argv" && arg.type.find("*const *") != arg.type.npos) {
    return {Sem::kArgv};
  }
  if (arg.name == "envp" && arg.type.find("*const *") != arg.type.npos) {
    return {Sem::kEnvp};
  }
  if (const_string && one_of(arg.name, kPathArgNames))
    return {Sem::kPath};
  if (const_string && one_of(arg.name, kStringArgNames)) {
    return {Sem::kString};
  }
  if (arg.name == "fd" || arg.name.ends_with("_fd"))
    return {Sem::kFd};
  if (arg.name == "dfd" || arg.name == "dirfd")
    return {Sem::kDirFd};
  if (arg.name == "mode" && arg.type == "umode_t")
    return {Sem::kMode};
  switch (raw) {
  case ArgKind::kPointer:
    return {Sem::kPtr};
  case ArgKind::kUnsigned32:
  case ArgKind::kUnsigned64:
    return {Sem::kUint};
  default:
    return {Sem::kInt};
  }
}

// compat_spec - 32-bit callers lay out most structs differently; until
// those layouts are decoded, such arguments print as pointers.
ArgSpec compat_spec(ArgSpec spec) {
  bool is_struct = spec.sem == Sem::kStructIn || spec.sem == Sem::kStructOut;
  if (is_struct &&
      !one_of(static_cast<StructKind>(spec.family), kCompatSafeStructs)) {
    return {Sem::kPtr};
  }
  return spec;
}

vigil_capture bytes(std::uint8_t kind, std::uint8_t len, std::uint16_t size) {
  return vigil_capture{kind, len, size};
}

// capture_for - what the kernel reads for one argument.
vigil_capture capture_for(const ArgSpec &spec, const CaptureProfile &profile) {
  auto arg_len = static_cast<std::uint8_t>(VIGIL_LEN_ARG0 + spec.len_arg);
  auto deref_len =
      static_cast<std::uint8_t>(VIGIL_LEN_DEREF_ARG0 + spec.len_arg);
  switch (spec.sem) {
  case Sem::kPath:
  case Sem::kString:
    return {VIGIL_CAP_STRING, 0, 0};
  case Sem::kArgv:
    return {VIGIL_CAP_ARGV, 0, 0};
  case Sem::kEnvp:
    return {VIGIL_CAP_COUNT, 0, 0};
  case Sem::kBufIn:
    if (!profile.buffers)
      break;
    return bytes(VIGIL_CAP_BYTES, arg_len, 0);
  case Sem::kBufOut:
  case Sem::kStrOut:
    if (!profile.buffers)
      break;
    return bytes(VIGIL_CAP_BYTES_EXIT, VIGIL_LEN_RET, 0);
  case Sem::kStructIn:
  case Sem::kStructOut: {
    if (!profile.structs)
      break;
    if (static_cast<StructKind>(spec.family) == StructKind::kLinuxDirent64) {
      return {VIGIL_CAP_DIRENTS, 0, 0};
    }
    auto size = static_cast<std::uint16_t>(
        struct_capture_size(static_cast<StructKind>(spec.family)));
    if (size == 0)
      break;
    std::uint8_t kind =
        spec.sem == Sem::kStructIn ? VIGIL_CAP_BYTES : VIGIL_CAP_BYTES_EXIT;
    return bytes(kind, VIGIL_LEN_FIXED, size);
  }
  case Sem::kSockaddrIn:
    return bytes(VIGIL_CAP_BYTES, arg_len, kSockaddrMax);
  case Sem::kSockaddrOut:
    return bytes(VIGIL_CAP_BYTES_EXIT, deref_len, kSockaddrMax);
  case Sem::kSigsetIn:
    return bytes(VIGIL_CAP_BYTES, arg_len, kSigsetMax);
  case Sem::kSigsetOut:
    return bytes(VIGIL_CAP_BYTES_EXIT, arg_len, kSigsetMax);
  default:
    break;
  }
  return {VIGIL_CAP_NONE, 0, 0};
}

void build_plan(SyscallSchema &schema, const CaptureProfile &profile) {
  vigil_plan &plan = schema.plan;
  for (int i = 0; i < schema.nargs && i < 6; ++i) {
    plan.arg[i] = capture_for(schema.args[i].spec, profile);
    std::uint8_t kind = plan.arg[i].kind;
    if (kind == VIGIL_CAP_BYTES_EXIT || kind == VIGIL_CAP_DIRENTS) {
      plan.flags |= VIGIL_PLAN_AT_EXIT;
    } else if (plan.arg[i].kind != VIGIL_CAP_NONE) {
      plan.flags |= VIGIL_PLAN_AT_ENTRY;
    }
  }
  if (schema.ret == RetKind::kNone)
    plan.flags |= VIGIL_PLAN_NO_RETURN;
  if (schema.name == "execve" || schema.name == "execveat") {
    plan.flags |= VIGIL_PLAN_SCOPE_AT_EXIT;
  }
  if (one_of(schema.name, kIdentityChanging)) {
    plan.flags |= VIGIL_PLAN_CHANGES_IDENTITY;
  }
  // A new task returns from the fork calls too, with no entry of its own.
  if (one_of(schema.name, kForkCalls)) {
    plan.flags |= VIGIL_PLAN_CHILD_RETURNS;
  }
  // At their exit the registers are the interrupted context's.
  if (one_of(schema.name, kSigreturns)) {
    plan.flags |= VIGIL_PLAN_SIGRETURN;
  }
}

void fill_known(SyscallSchema &schema, const SyscallInfo &info,
                const CaptureProfile &profile) {
  const CallSpec *spec = call_spec(info.name);
  schema.name = info.name;
  schema.nargs = info.nargs < 0 ? 6 : info.nargs;
  if (spec != nullptr) {
    schema.ret = spec->ret;
    schema.shape = spec->shape;
  }
  if (schema.name == "exit" || schema.name == "exit_group") {
    schema.ret = RetKind::kNone;
  }
  for (int i = 0; i < schema.nargs; ++i) {
    ArgSchema &arg = schema.args[i];
    if (info.nargs < 0) {
      arg = {"", classify_ctype("long", schema.abi), {Sem::kInt}};
      continue;
    }
    arg.name = info.args[i].name;
    arg.raw = classify_ctype(info.args[i].type, schema.abi);
    arg.spec = spec != nullptr ? spec->args[i] : ArgSpec{};
    if (arg.spec.sem == Sem::kDefault) {
      arg.spec = default_spec(info.args[i], arg.raw);
    }
    if (schema.abi == Abi::i386)
      arg.spec = compat_spec(arg.spec);
  }
  // The kernel takes no argument, but strace shows the handler's frame:
  // the mask it restored, which the kernel side reads from the task.
  if (one_of(schema.name, kSigreturns)) {
    schema.nargs = 1;
    schema.args[0] = {"frame", ArgKind::kPointer, {Sem::kRestoredMask}};
  }
  build_plan(schema, profile);
}

} // namespace

ArgKind classify_ctype(std::string_view ctype, Abi abi) {
  bool narrow = abi == Abi::i386;
  if (ctype.find('*') != std::string_view::npos)
    return ArgKind::kPointer;
  if (one_of(ctype, kSigned32Types))
    return ArgKind::kSigned32;
  if (one_of(ctype, kUnsigned32Types))
    return ArgKind::kUnsigned32;
  if (one_of(ctype, kUnsigned64Types) || ctype.starts_with("unsigned")) {
    return narrow ? ArgKind::kUnsigned32 : ArgKind::kUnsigned64;
  }
  return narrow ? ArgKind::kSigned32 : ArgKind::kSigned64;
}

EventSchema::EventSchema(CaptureProfile profile)
    : slots_(VIGIL_NR_SLOTS), unknown_names_(VIGIL_NR_SLOTS) {
  for (std::uint32_t s = 0; s < VIGIL_NR_SLOTS; ++s) {
    SyscallSchema &schema = slots_[s];
    schema.abi = s < VIGIL_NR_MAX ? Abi::x86_64 : Abi::i386;
    schema.nr = s % VIGIL_NR_MAX;

    const SyscallInfo *info = syscall_info(schema.abi, schema.nr);
    if (info != nullptr) {
      fill_known(schema, *info, profile);
      continue;
    }
    unknown_names_[s] = "syscall_" + std::to_string(schema.nr);
    schema.name = unknown_names_[s];
    schema.nargs = 6;
    for (auto &arg : schema.args) {
      arg = {"", classify_ctype("long", schema.abi), {Sem::kHex}};
    }
  }
}

std::uint32_t EventSchema::slot(Abi abi, std::uint32_t nr) const {
  return (abi == Abi::i386 ? VIGIL_NR_MAX : 0) + (nr % VIGIL_NR_MAX);
}

const SyscallSchema &EventSchema::syscall(Abi abi, std::uint32_t nr) const {
  return slots_[slot(abi, nr)];
}

} // namespace vigil
