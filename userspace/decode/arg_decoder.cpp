#include "decode/arg_decoder.h"

#include <string.h>

#include <cstring>

#include <array>
#include <optional>

#include "decode/flags.h"
#include "decode/structs.h"
#include "decode/syscall_table.h"

namespace vigil {

namespace {

constexpr std::int64_t kMaxErrno = 4095;
constexpr int kAtFdcwd = -100;

// ArgContext - everything a decoder of one argument may look at.
struct ArgContext {
  ValueWriter &w;
  const RawEvent &ev;
  const SyscallSchema &sc;
  const ArgSchema &arg;
  const DecodeOptions &opts;
  std::uint64_t raw;
  const CapturedArg *cap; // nullptr when nothing was read
};

std::uint64_t width_masked(std::uint64_t raw, ArgKind kind) {
  bool narrow = kind == ArgKind::kSigned32 || kind == ArgKind::kUnsigned32;
  return narrow ? static_cast<std::uint32_t>(raw) : raw;
}

std::int64_t as_signed(std::uint64_t raw, ArgKind kind) {
  bool narrow = kind == ArgKind::kSigned32 || kind == ArgKind::kUnsigned32;
  return narrow ? static_cast<std::int32_t>(raw)
                : static_cast<std::int64_t>(raw);
}

std::string_view limited(std::string_view bytes, std::uint32_t limit,
                         bool &cut) {
  if (limit != 0 && bytes.size() > limit) {
    cut = true;
    return bytes.substr(0, limit);
  }
  return bytes;
}

std::optional<std::uint32_t> captured_count(const CapturedArg *cap);

// Decoders, one per Sem, in the order of the enum.

void write_int(const ArgContext &c) {
  c.w.signed_int(as_signed(c.raw, c.arg.raw));
}

void write_uint(const ArgContext &c) {
  c.w.unsigned_int(width_masked(c.raw, c.arg.raw));
}

void write_hex(const ArgContext &c) { c.w.hex(width_masked(c.raw, c.arg.raw)); }

void write_ptr(const ArgContext &c) { c.w.pointer(c.raw); }

void write_fd_value(const ArgContext &c, int fd) {
  c.w.signed_int(fd);
  if (c.opts.fd_paths == nullptr || fd < 0)
    return;
  std::string_view path = c.opts.fd_paths->path(c.ev.header->pid, fd);
  if (!path.empty())
    c.w.fd_path(path);
}

void write_fd(const ArgContext &c) {
  write_fd_value(c, static_cast<std::int32_t>(c.raw));
}

void write_dirfd(const ArgContext &c) {
  auto fd = static_cast<std::int32_t>(c.raw);
  if (fd == kAtFdcwd) {
    c.w.symbol("AT_FDCWD");
    // strace -y names the working directory too: AT_FDCWD</home/me>.
    if (c.opts.fd_paths != nullptr) {
      std::string_view cwd = c.opts.fd_paths->path(c.ev.header->pid, fd);
      if (!cwd.empty())
        c.w.fd_path(cwd);
    }
  } else {
    write_fd_value(c, fd);
  }
}

// write_uncaptured - when nothing usable was read behind the argument,
// writes why (a plain address, or an unreadable one) and says so.
bool write_uncaptured(const ArgContext &c) {
  if (c.cap == nullptr) {
    c.w.pointer(c.raw);
    return true;
  }
  if (c.cap->fault()) {
    c.w.unreadable(c.raw);
    return true;
  }
  return false;
}

// write_captured_string - a captured string, or why there is none.
void write_captured_string(const ArgContext &c, std::uint32_t limit) {
  if (write_uncaptured(c))
    return;
  bool cut = c.cap->truncated();
  std::string_view shown = limited(c.cap->bytes, limit, cut);
  c.w.string(shown, cut);
}

void write_path(const ArgContext &c) { write_captured_string(c, 0); }

void write_string(const ArgContext &c) {
  write_captured_string(c, c.opts.string_limit);
}

void write_argv(const ArgContext &c) {
  if (c.cap == nullptr || (c.cap->fault() && c.cap->bytes.empty())) {
    c.cap ? c.w.unreadable(c.raw) : c.w.pointer(c.raw);
    return;
  }
  c.w.begin_array();
  std::string_view rest = c.cap->bytes;
  while (!rest.empty()) {
    std::size_t nul = rest.find('\0');
    bool cut = false;
    std::string_view shown =
        limited(rest.substr(0, nul), c.opts.string_limit, cut);
    c.w.element();
    c.w.string(shown, cut);
    if (nul == std::string_view::npos)
      break;
    rest.remove_prefix(nul + 1);
  }
  if (c.cap->truncated())
    c.w.ellipsis();
  c.w.end_array();
}

void write_envp(const ArgContext &c) {
  c.w.pointer(c.raw);
  std::optional<std::uint32_t> n = captured_count(c.cap);
  if (!n)
    return;
  c.w.comment(std::to_string(*n) + (c.cap->truncated() ? "+" : "") +
              (*n == 1 ? " var" : " vars"));
}

void write_buffer(const ArgContext &c) {
  if (write_uncaptured(c))
    return;
  bool cut = c.cap->truncated();
  std::string_view bytes = limited(c.cap->bytes, c.opts.string_limit, cut);
  if (static_cast<BufStyle>(c.arg.spec.family) == BufStyle::kHex) {
    c.w.hex_string(bytes, cut);
  } else {
    c.w.string(bytes, cut);
  }
}

// A u32 the kernel counted (envp entries, directory records).
std::optional<std::uint32_t> captured_count(const CapturedArg *cap) {
  if (cap == nullptr || cap->bytes.size() != sizeof(std::uint32_t)) {
    return std::nullopt;
  }
  std::uint32_t n;
  std::memcpy(&n, cap->bytes.data(), sizeof(n));
  return n;
}

void write_str_out(const ArgContext &c) {
  if (write_uncaptured(c))
    return;
  std::string_view s = c.cap->bytes;
  if (!s.empty() && s.back() == '\0')
    s.remove_suffix(1);
  bool cut = c.cap->truncated();
  std::string_view shown = limited(s, c.opts.string_limit, cut);
  c.w.string(shown, cut);
}

void write_flags_arg(const ArgContext &c) {
  write_flag_family(c.w, static_cast<FlagFamily>(c.arg.spec.family),
                    width_masked(c.raw, c.arg.raw));
}

void write_enum_arg(const ArgContext &c) {
  write_enum_family(c.w, static_cast<EnumFamily>(c.arg.spec.family),
                    width_masked(c.raw, c.arg.raw));
}

std::uint64_t len_hint(const ArgContext &c) {
  std::uint8_t i = c.arg.spec.len_arg;
  if (i < 6)
    return c.ev.header->args[i];
  return static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, return_value(c.ev)));
}

void write_struct_of(const ArgContext &c, StructKind kind) {
  if (write_uncaptured(c))
    return;
  write_struct(c.w, kind, c.cap->raw(), c.raw, len_hint(c));
}

void write_struct_arg(const ArgContext &c) {
  auto kind = static_cast<StructKind>(c.arg.spec.family);
  if (kind == StructKind::kLinuxDirent64 && c.cap != nullptr) {
    // The kernel counted the records; the buffer itself is not read.
    c.w.pointer(c.raw);
    if (std::optional<std::uint32_t> n = captured_count(c.cap)) {
      c.w.comment(std::to_string(*n) + " entries");
    }
    return;
  }
  // wait4 and waitid with WNOHANG return 0 without writing a status.
  if (kind == StructKind::kWaitStatus && return_value(c.ev) <= 0) {
    c.w.pointer(c.raw);
    return;
  }
  write_struct_of(c, kind);
}

void write_sockaddr(const ArgContext &c) {
  write_struct_of(c, StructKind::kSockaddr);
}

void write_sigset(const ArgContext &c) {
  write_struct_of(c, StructKind::kSigset);
}

void write_mode(const ArgContext &c) {
  write_flag_family(c.w, FlagFamily::kCreateMode,
                    static_cast<std::uint32_t>(c.raw));
}

void write_signal(const ArgContext &c) {
  write_enum_family(c.w, EnumFamily::kSignal,
                    static_cast<std::uint32_t>(c.raw));
}

// sigreturn's frame as strace shows it: the mask it restored.
void write_restored_mask(const ArgContext &c) {
  c.w.begin_struct();
  if (c.cap != nullptr && !c.cap->fault()) {
    c.w.field("mask");
    write_signal_mask(c.w, c.cap->raw());
  } else {
    c.w.ellipsis();
  }
  c.w.end_struct();
}

// mmap2's offset counts 4096-byte pages; strace shows it in bytes.
void write_page_offset(const ArgContext &c) {
  c.w.hex(width_masked(c.raw, c.arg.raw) << 12);
}

using ArgWriter = void (*)(const ArgContext &);

// Indexed by Sem.
constexpr ArgWriter kWriters[] = {
    write_int,           // kDefault (resolved before use)
    write_int,           // kInt
    write_uint,          // kUint
    write_hex,           // kHex
    write_ptr,           // kPtr
    write_fd,            // kFd
    write_dirfd,         // kDirFd
    write_path,          // kPath
    write_string,        // kString
    write_argv,          // kArgv
    write_envp,          // kEnvp
    write_buffer,        // kBufIn
    write_buffer,        // kBufOut
    write_str_out,       // kStrOut
    write_flags_arg,     // kFlags
    write_enum_arg,      // kEnum
    write_struct_arg,    // kStructIn
    write_struct_arg,    // kStructOut
    write_sockaddr,      // kSockaddrIn
    write_sockaddr,      // kSockaddrOut
    write_sigset,        // kSigsetIn
    write_sigset,        // kSigsetOut
    write_mode,          // kMode
    write_signal,        // kSignal
    write_page_offset,   // kPageOffset
    write_restored_mask, // kRestoredMask
};
static_assert(std::size(kWriters) ==
              static_cast<std::size_t>(Sem::kRestoredMask) + 1);

// ArgList - strace's comma-separated top-level arguments.
class ArgList {
public:
  ArgList(std::string &out, const RawEvent &ev, const SyscallSchema &sc,
          const DecodeOptions &opts)
      : out_(out), w_(out), ev_(ev), sc_(sc), opts_(opts) {}

  void arg(int i, std::string_view name = {}) {
    next(name);
    write_arg(w_, ev_, sc_, i, opts_);
  }
  template <typename Fn> void custom(Fn fn, std::string_view name = {}) {
    next(name);
    fn(w_);
  }

private:
  void next(std::string_view name) {
    if (count_++)
      out_.append(", ");
    if (!name.empty()) {
      out_.append(name);
      out_.push_back('=');
    }
  }

  std::string &out_;
  StraceWriter w_;
  const RawEvent &ev_;
  const SyscallSchema &sc_;
  const DecodeOptions &opts_;
  int count_ = 0;
};

// Linux clone flag bits strace keys the optional arguments on.
constexpr std::uint64_t kCloneSettls = 0x00080000;
constexpr std::uint64_t kCloneParentSettid = 0x00100000;
constexpr std::uint64_t kCloneChildCleartid = 0x00200000;
constexpr std::uint64_t kCloneChildSettid = 0x01000000;

// clone(flags, newsp, parent_tid, child_tid, tls) on x86_64, with the
// last two swapped on i386; printed by strace with names and only the
// pointers the flags make meaningful.
void write_clone(ArgList &list, const RawEvent &ev, Abi abi) {
  std::uint64_t flags = ev.header->args[0];
  bool i386 = abi == Abi::i386;
  int tls = i386 ? 3 : 4, child_tid = i386 ? 4 : 3;
  list.arg(1, "child_stack");
  list.arg(0, "flags");
  if (flags & kCloneParentSettid)
    list.arg(2, "parent_tid");
  if (flags & kCloneSettls)
    list.arg(tls, "tls");
  if (flags & (kCloneChildSettid | kCloneChildCleartid)) {
    list.arg(child_tid, "child_tidptr");
  }
}

// fcntl commands by the kind of their third argument.
enum class FcntlArg { kNone, kInt, kFdFlags, kOpenFlags, kPointer };

FcntlArg fcntl_arg(std::uint32_t cmd) {
  switch (cmd) {
  case 1:    // F_GETFD
  case 3:    // F_GETFL
  case 9:    // F_GETOWN
  case 1025: // F_GETLEASE
  case 1032: // F_GETPIPE_SZ
  case 1034: // F_GET_SEALS
    return FcntlArg::kNone;
  case 2:
    return FcntlArg::kFdFlags; // F_SETFD
  case 4:
    return FcntlArg::kOpenFlags; // F_SETFL
  case 5:                        // F_GETLK
  case 6:                        // F_SETLK
  case 7:                        // F_SETLKW
    return FcntlArg::kPointer;
  default:
    return FcntlArg::kInt;
  }
}

void write_fcntl(ArgList &list, const RawEvent &ev) {
  auto cmd = static_cast<std::uint32_t>(ev.header->args[1]);
  std::uint64_t arg = ev.header->args[2];
  list.arg(0);
  list.arg(1);
  switch (fcntl_arg(cmd)) {
  case FcntlArg::kNone:
    break;
  case FcntlArg::kInt:
    list.custom(
        [&](ValueWriter &w) { w.signed_int(static_cast<std::int32_t>(arg)); });
    break;
  case FcntlArg::kFdFlags:
    list.custom([&](ValueWriter &w) {
      if (arg == 1) {
        w.symbol("FD_CLOEXEC");
      } else {
        w.hex(arg);
      }
    });
    break;
  case FcntlArg::kOpenFlags:
    list.custom([&](ValueWriter &w) {
      write_flag_family(w, FlagFamily::kOpen, static_cast<std::uint32_t>(arg));
    });
    break;
  case FcntlArg::kPointer:
    list.custom([&](ValueWriter &w) { w.pointer(arg); });
    break;
  }
}

// futex commands and how many arguments strace shows for each.
void write_futex(ArgList &list, const RawEvent &ev) {
  constexpr std::uint32_t kCmdMask = 127;
  auto op = static_cast<std::uint32_t>(ev.header->args[1]);
  std::uint32_t cmd = op & kCmdMask;
  auto val3 = static_cast<std::uint32_t>(ev.header->args[5]);
  list.arg(0);
  list.arg(1);
  list.arg(2);
  switch (cmd) {
  case 0: // FUTEX_WAIT
    list.arg(3);
    break;
  case 1: // FUTEX_WAKE
  case 7: // FUTEX_UNLOCK_PI
    break;
  case 9:  // FUTEX_WAIT_BITSET
  case 10: // FUTEX_WAKE_BITSET
    if (cmd == 9)
      list.arg(3);
    list.custom([&](ValueWriter &w) {
      if (val3 == 0xffffffffu) {
        w.symbol("FUTEX_BITSET_MATCH_ANY");
      } else {
        w.hex(val3);
      }
    });
    break;
  default:
    list.arg(3);
    list.arg(4);
    list.arg(5);
    break;
  }
}

// open and openat: the mode is meaningful, and shown, only when the flags
// create a file.
void write_open(ArgList &list, const RawEvent &ev, const SyscallSchema &sc) {
  constexpr std::uint64_t kOCreat = 0100;
  constexpr std::uint64_t kOTmpfile = 020000000;
  int flags_arg = sc.nargs - 2;
  for (int i = 0; i < sc.nargs - 1; ++i)
    list.arg(i);
  if (flags_arg >= 0 && (ev.header->args[flags_arg] & (kOCreat | kOTmpfile))) {
    list.arg(sc.nargs - 1);
  }
}

// socket: strace names the protocol of AF_INET and AF_INET6 sockets.
void write_socket(ArgList &list, const RawEvent &ev) {
  constexpr std::uint32_t kAfInet = 2;
  constexpr std::uint32_t kAfInet6 = 10;
  auto domain = static_cast<std::uint32_t>(ev.header->args[0]);
  auto protocol = static_cast<std::uint32_t>(ev.header->args[2]);
  list.arg(0);
  list.arg(1);
  list.custom([&](ValueWriter &w) {
    if (domain == kAfInet || domain == kAfInet6) {
      write_enum_family(w, EnumFamily::kInetProtocol, protocol);
    } else {
      w.signed_int(static_cast<std::int32_t>(protocol));
    }
  });
}

// Errors the kernel reports only to tracers, with strace's texts.
struct RestartCode {
  int err;
  std::string_view text;
};
constexpr RestartCode kRestartCodes[] = {
    {512, "To be restarted if SA_RESTART is set"},
    {513, "To be restarted"},
    {514, "To be restarted if no handler"},
    {516, "Interrupted by signal"},
};

void append_hex_value(std::string &out, std::uint64_t v) {
  StraceWriter(out).hex(v);
}

// fcntl's F_GETFD and F_GETFL results, which strace names.
bool append_fcntl_result(std::string &out, const RawEvent &ev,
                         std::int64_t ret) {
  auto cmd = static_cast<std::uint32_t>(ev.header->args[1]);
  if ((cmd != 1 && cmd != 3) || ret <= 0)
    return false;
  append_hex_value(out, static_cast<std::uint64_t>(ret));
  out.append(" (flags ");
  StraceWriter w(out);
  if (cmd == 1) {
    w.symbol(ret == 1 ? "FD_CLOEXEC" : "0");
  } else {
    write_flag_family(w, FlagFamily::kOpen, static_cast<std::uint64_t>(ret));
  }
  out.push_back(')');
  return true;
}

} // namespace

std::int64_t return_value(const RawEvent &ev) {
  return ev.compat() ? static_cast<std::int32_t>(ev.header->ret)
                     : ev.header->ret;
}

std::uint64_t return_address(const RawEvent &ev) {
  return ev.compat() ? static_cast<std::uint32_t>(ev.header->ret)
                     : static_cast<std::uint64_t>(ev.header->ret);
}

int failure_errno(std::int64_t ret) {
  return ret < 0 && ret >= -kMaxErrno ? static_cast<int>(-ret) : 0;
}

std::string_view errno_description(int err) {
  for (const RestartCode &r : kRestartCodes) {
    if (r.err == err)
      return r.text;
  }
  const char *text = strerrordesc_np(err);
  return text != nullptr ? std::string_view(text) : std::string_view();
}

void write_arg(ValueWriter &w, const RawEvent &ev, const SyscallSchema &sc,
               int i, const DecodeOptions &opts) {
  const ArgSchema &arg = sc.args[i];
  const CapturedArg *cap = ev.captured[i] ? &*ev.captured[i] : nullptr;
  ArgContext c{w, ev, sc, arg, opts, ev.header->args[i], cap};
  kWriters[static_cast<std::size_t>(arg.spec.sem)](c);
}

void write_strace_args(std::string &out, const RawEvent &ev,
                       const SyscallSchema &sc, const DecodeOptions &opts) {
  ArgList list(out, ev, sc, opts);
  if (sc.shape == CallShape::kClone) {
    write_clone(list, ev, sc.abi);
  } else if (sc.shape == CallShape::kFcntl) {
    write_fcntl(list, ev);
  } else if (sc.shape == CallShape::kFutex) {
    write_futex(list, ev);
  } else if (sc.shape == CallShape::kOpen) {
    write_open(list, ev, sc);
  } else if (sc.shape == CallShape::kSocket) {
    write_socket(list, ev);
  } else {
    for (int i = 0; i < sc.nargs; ++i)
      list.arg(i);
  }
}

void append_strace_return(std::string &out, const RawEvent &ev,
                          const SyscallSchema &sc, const DecodeOptions &opts) {
  out.append(" = ");
  if (!ev.returns() || sc.ret == RetKind::kNone) {
    out.push_back('?');
    return;
  }
  std::int64_t ret = return_value(ev);
  if (int err = failure_errno(ret)) {
    bool restart = err >= 512;
    out.append(restart ? "? " : "-1 ");
    std::string_view name = errno_name(err);
    if (name.empty()) {
      out.append("E??? (errno ");
      out.append(std::to_string(err));
      out.push_back(')');
      return;
    }
    out.append(name);
    std::string_view text = errno_description(err);
    if (!text.empty()) {
      out.append(" (");
      out.append(text);
      out.push_back(')');
    }
    return;
  }
  if (sc.shape == CallShape::kFcntl && append_fcntl_result(out, ev, ret)) {
    return;
  }
  StraceWriter w(out);
  switch (sc.ret) {
  case RetKind::kHex:
    w.hex(return_address(ev));
    break;
  case RetKind::kOctal:
    w.octal(static_cast<std::uint64_t>(ret));
    break;
  case RetKind::kFd: {
    w.signed_int(ret);
    if (opts.fd_paths != nullptr && ret >= 0) {
      std::string_view path =
          opts.fd_paths->path(ev.header->pid, static_cast<int>(ret));
      if (!path.empty())
        w.fd_path(path);
    }
    break;
  }
  default:
    w.signed_int(ret);
    break;
  }
}

} // namespace vigil
