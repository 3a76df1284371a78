#include "decode/event_schema.h"

#include <algorithm>

extern "C" {
#include "vigil_event.h"
}

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

// Pointer arguments that name a NUL-terminated string in the kernel's own
// argument names; other "const char *" arguments (write's buf) are byte
// buffers with a length and are not read as strings.
constexpr std::string_view kStringArgNames[] = {
    "filename", "pathname", "path",      "oldname",  "newname",  "oldpath",
    "newpath",  "name",     "uname",     "dev_name", "dir_name", "type",
    "special",  "library",  "name_user", "uargs",    "linkpath", "target"};

// Syscalls after which the task may no longer match the filters it
// matched at entry: their exit always looks the task up.
constexpr std::string_view kIdentityChanging[] = {
    "prctl",      "setuid",     "setgid",     "setreuid",    "setregid",
    "setresuid",  "setresgid",  "setfsuid",   "setfsgid",    "setuid32",
    "setgid32",   "setreuid32", "setregid32", "setresuid32", "setresgid32",
    "setfsuid32", "setfsgid32"};

template <std::size_t N>
bool one_of(std::string_view value, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

bool is_string_pointer(std::string_view ctype) {
  return ctype == "const char *" || ctype == "char *";
}

// The kernel's type names say "const char *const *" for argv.
bool is_argv_type(std::string_view ctype) {
  return ctype.find("*const *") != std::string_view::npos ||
         ctype.find("* const *") != std::string_view::npos;
}

ArgSchema make_arg(const SyscallArg &arg, Abi abi) {
  ArgSchema schema{arg.name, classify_ctype(arg.type, abi)};
  if (arg.name == "argv" && is_argv_type(arg.type)) {
    schema.kind = ArgKind::kArgv;
  } else if (is_string_pointer(arg.type) && arg.type.starts_with("const") &&
             one_of(arg.name, kStringArgNames)) {
    schema.kind = ArgKind::kString;
  }
  return schema;
}

std::uint64_t plan_for(const SyscallSchema &schema) {
  std::uint64_t plan = 0;
  for (int i = 0; i < schema.nargs && i < 6; ++i) {
    std::uint64_t kind = VIGIL_CAP_NONE;
    if (schema.args[i].kind == ArgKind::kString)
      kind = VIGIL_CAP_STRING;
    if (schema.args[i].kind == ArgKind::kArgv)
      kind = VIGIL_CAP_ARGV;
    plan |= kind << (i * VIGIL_PLAN_ARG_BITS);
  }
  if (schema.name == "exit" || schema.name == "exit_group") {
    plan |= VIGIL_PLAN_NO_RETURN;
  }
  if (schema.name == "execve" || schema.name == "execveat") {
    plan |= VIGIL_PLAN_SCOPE_AT_EXIT;
  }
  if (one_of(schema.name, kIdentityChanging)) {
    plan |= VIGIL_PLAN_CHANGES_IDENTITY;
  }
  return plan;
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
  if (one_of(ctype, kUnsigned64Types)) {
    return narrow ? ArgKind::kUnsigned32 : ArgKind::kUnsigned64;
  }
  if (ctype.starts_with("unsigned")) {
    return narrow ? ArgKind::kUnsigned32 : ArgKind::kUnsigned64;
  }
  return narrow ? ArgKind::kSigned32 : ArgKind::kSigned64;
}

EventSchema::EventSchema()
    : slots_(VIGIL_NR_SLOTS), unknown_names_(VIGIL_NR_SLOTS) {
  for (std::uint32_t s = 0; s < VIGIL_NR_SLOTS; ++s) {
    Abi abi = s < VIGIL_NR_MAX ? Abi::x86_64 : Abi::i386;
    std::uint32_t nr = s % VIGIL_NR_MAX;
    SyscallSchema &schema = slots_[s];
    schema.abi = abi;
    schema.nr = nr;

    const SyscallInfo *info = syscall_info(abi, nr);
    if (info == nullptr) {
      unknown_names_[s] = "syscall_" + std::to_string(nr);
      schema.name = unknown_names_[s];
      schema.nargs = 6;
      for (int i = 0; i < 6; ++i) {
        schema.args[i] = {"", classify_ctype("long", abi)};
      }
      continue;
    }
    schema.name = info->name;
    schema.nargs = info->nargs < 0 ? 6 : info->nargs;
    for (int i = 0; i < schema.nargs; ++i) {
      schema.args[i] = info->nargs < 0
                           ? ArgSchema{"", classify_ctype("long", abi)}
                           : make_arg(info->args[i], abi);
    }
    schema.capture_plan = plan_for(schema);
  }
}

std::uint32_t EventSchema::slot(Abi abi, std::uint32_t nr) const {
  return (abi == Abi::i386 ? VIGIL_NR_MAX : 0) + (nr % VIGIL_NR_MAX);
}

const SyscallSchema &EventSchema::syscall(Abi abi, std::uint32_t nr) const {
  return slots_[slot(abi, nr)];
}

} // namespace vigil
