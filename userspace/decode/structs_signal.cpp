// structs_signal.cpp - signal structs: sigset_t, the kernel's struct
// sigaction, siginfo_t, and the int a wait call fills.
#include <algorithm>
#include <array>
#include <bit>

#include "decode/structs.h"
#include "decode/structs_internal.h"
#include "decode/syscall_table.h"

namespace vigil::structs {

namespace {

// strace's x86_64 signalent: index is the signal number, 32 is the first
// real-time signal under its own name.
constexpr std::array<std::string_view, 33> kSignalNames{
    "",        "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP",
    "SIGABRT", "SIGBUS",  "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV",
    "SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
    "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
    "SIGPWR",  "SIGSYS",  "SIGRTMIN",
};

// The kernel's real-time range on x86_64; glibc's SIGRTMIN is higher
// because it keeps 32 and 33 for itself, but strace numbers from 32.
constexpr std::int64_t kRtMin = 32;
constexpr std::int64_t kRtMax = 64;
constexpr std::size_t kSigsetBytes = 8;

constexpr std::uint64_t kSaRestorer = 0x04000000;

// strace's sigact_flags order for x86_64.
constexpr FlagName kSaFlags[] = {
    {0x04000000, "SA_RESTORER"},  {0x08000000, "SA_ONSTACK"},
    {0x10000000, "SA_RESTART"},   {0x20000000, "SA_INTERRUPT"},
    {0x40000000, "SA_NODEFER"},   {0x80000000, "SA_RESETHAND"},
    {0x00000004, "SA_SIGINFO"},   {0x00000001, "SA_NOCLDSTOP"},
    {0x00000002, "SA_NOCLDWAIT"},
};

constexpr FlagName kSaHandlers[] = {
    {0, "SIG_DFL"},
    {1, "SIG_IGN"},
    {~0ull, "SIG_ERR"},
};

constexpr FlagName kPtraceEvents[] = {
    {1, "PTRACE_EVENT_FORK"},       {2, "PTRACE_EVENT_VFORK"},
    {3, "PTRACE_EVENT_CLONE"},      {4, "PTRACE_EVENT_EXEC"},
    {5, "PTRACE_EVENT_VFORK_DONE"}, {6, "PTRACE_EVENT_EXIT"},
    {7, "PTRACE_EVENT_SECCOMP"},    {0x80, "PTRACE_EVENT_STOP"},
};

// si_code values every signal shares (SI_*); the kernel's own are > 0.
constexpr FlagName kSiCodes[] = {
    {0, "SI_USER"},
    {0x80, "SI_KERNEL"},
    {static_cast<std::uint32_t>(-1), "SI_QUEUE"},
    {static_cast<std::uint32_t>(-2), "SI_TIMER"},
    {static_cast<std::uint32_t>(-3), "SI_MESGQ"},
    {static_cast<std::uint32_t>(-4), "SI_ASYNCIO"},
    {static_cast<std::uint32_t>(-5), "SI_SIGIO"},
    {static_cast<std::uint32_t>(-6), "SI_TKILL"},
    {static_cast<std::uint32_t>(-7), "SI_DETHREAD"},
    {static_cast<std::uint32_t>(-60), "SI_ASYNCNL"},
};

// Each signal's own si_code values, from the uapi siginfo.h.
constexpr FlagName kChldCodes[] = {
    {1, "CLD_EXITED"},  {2, "CLD_KILLED"},  {3, "CLD_DUMPED"},
    {4, "CLD_TRAPPED"}, {5, "CLD_STOPPED"}, {6, "CLD_CONTINUED"},
};
constexpr FlagName kIllCodes[] = {
    {1, "ILL_ILLOPC"}, {2, "ILL_ILLOPN"}, {3, "ILL_ILLADR"},
    {4, "ILL_ILLTRP"}, {5, "ILL_PRVOPC"}, {6, "ILL_PRVREG"},
    {7, "ILL_COPROC"}, {8, "ILL_BADSTK"}, {9, "ILL_BADIADDR"},
};
constexpr FlagName kFpeCodes[] = {
    {1, "FPE_INTDIV"},    {2, "FPE_INTOVF"}, {3, "FPE_FLTDIV"},
    {4, "FPE_FLTOVF"},    {5, "FPE_FLTUND"}, {6, "FPE_FLTRES"},
    {7, "FPE_FLTINV"},    {8, "FPE_FLTSUB"}, {14, "FPE_FLTUNK"},
    {15, "FPE_CONDTRAP"},
};
constexpr FlagName kSegvCodes[] = {
    {1, "SEGV_MAPERR"},  {2, "SEGV_ACCERR"},  {3, "SEGV_BNDERR"},
    {4, "SEGV_PKUERR"},  {5, "SEGV_ACCADI"},  {6, "SEGV_ADIDERR"},
    {7, "SEGV_ADIPERR"}, {8, "SEGV_MTEAERR"}, {9, "SEGV_MTESERR"},
    {10, "SEGV_CPERR"},
};
constexpr FlagName kBusCodes[] = {
    {1, "BUS_ADRALN"},    {2, "BUS_ADRERR"},    {3, "BUS_OBJERR"},
    {4, "BUS_MCEERR_AR"}, {5, "BUS_MCEERR_AO"},
};
constexpr FlagName kTrapCodes[] = {
    {1, "TRAP_BRKPT"},  {2, "TRAP_TRACE"}, {3, "TRAP_BRANCH"},
    {4, "TRAP_HWBKPT"}, {5, "TRAP_UNK"},   {6, "TRAP_PERF"},
};
constexpr FlagName kPollCodes[] = {
    {1, "POLL_IN"},  {2, "POLL_OUT"}, {3, "POLL_MSG"},
    {4, "POLL_ERR"}, {5, "POLL_PRI"}, {6, "POLL_HUP"},
};
constexpr FlagName kProfCodes[] = {{1, "PROF_TIMER"}};
constexpr FlagName kSysCodes[] = {{1, "SYS_SECCOMP"}, {2, "SYS_USER_DISPATCH"}};

constexpr FlagName kAuditArches[] = {
    {0xc000003e, "AUDIT_ARCH_X86_64"},
    {0x40000003, "AUDIT_ARCH_I386"},
};

// Signal numbers whose si_code has names of its own.
constexpr int kSigIll = 4, kSigTrap = 5, kSigBus = 7, kSigFpe = 8,
              kSigSegv = 11, kSigChld = 17, kSigIo = 29, kSigProf = 27,
              kSigSys = 31;

std::span<const FlagName> signal_codes(std::int32_t sig) {
  switch (sig) {
  case kSigChld:
    return kChldCodes;
  case kSigIll:
    return kIllCodes;
  case kSigFpe:
    return kFpeCodes;
  case kSigSegv:
    return kSegvCodes;
  case kSigBus:
    return kBusCodes;
  case kSigTrap:
    return kTrapCodes;
  case kSigIo:
    return kPollCodes;
  case kSigProf:
    return kProfCodes;
  case kSigSys:
    return kSysCodes;
  default:
    return {};
  }
}

// sigset_name - a set member as strace writes it inside [...]: the name
// without SIG, or RT_n above SIGRTMIN.
std::string sigset_name(unsigned sig) {
  if (sig < kSignalNames.size())
    return std::string(kSignalNames[sig].substr(3));
  if (sig <= kRtMax)
    return "RT_" + std::to_string(sig - kRtMin);
  return {};
}

// wait_status_text - strace's printstatus: the W* macro that matches,
// then any bits it did not explain (a ptrace event, stray bits).
std::string wait_status_text(std::uint32_t status) {
  std::string text;
  std::uint32_t low = status & 0x7f;

  if ((status & 0xff) == 0x7f) {
    std::uint32_t sig = (status >> 8) & 0xff;
    text = "{WIFSTOPPED(s) && WSTOPSIG(s) == " + signal_text(sig & 0x7f) +
           (sig & 0x80 ? " | 0x80" : "") + "}";
    status &= ~((sig << 8) | 0x7f);
  } else if (low != 0 && low != 0x7f) {
    text = "{WIFSIGNALED(s) && WTERMSIG(s) == " + signal_text(low) +
           (status & 0x80 ? " && WCOREDUMP(s)" : "") + "}";
    status &= ~(low | 0x80);
  } else if (low == 0) {
    std::uint32_t code = (status >> 8) & 0xff;
    text = "{WIFEXITED(s) && WEXITSTATUS(s) == " + std::to_string(code) + "}";
    status &= ~(code << 8);
  } else if (status == 0xffff) {
    text = "{WIFCONTINUED(s)}";
    status = 0;
  } else {
    return hex_text(status);
  }

  if (std::uint32_t event = status >> 16; event != 0) {
    std::string_view name = find_name(kPtraceEvents, event);
    text += " | ";
    text += name.empty() ? hex_text(event) + " /* PTRACE_EVENT_??? */"
                         : std::string(name);
    text += " << 16";
    status &= 0xffff;
  }
  if (status != 0)
    text += " | " + hex_text(status);
  return text;
}

} // namespace

std::string signal_text(std::int64_t sig) {
  if (sig > 0 && sig < static_cast<std::int64_t>(kSignalNames.size()))
    return std::string(kSignalNames[sig]);
  if (sig > kRtMin && sig <= kRtMax)
    return "SIGRT_" + std::to_string(sig - kRtMin);
  return std::to_string(sig);
}

std::string sigset_text(Bytes mask, std::size_t size) {
  std::size_t words = (std::min(size, kSigsetBytes) + 3) / 4;
  std::array<std::uint32_t, kSigsetBytes / 4> bits{};
  unsigned set = 0;
  for (std::size_t i = 0; i < words; ++i) {
    bits[i] = read<std::uint32_t>(mask, 4 * i);
    set += std::popcount(bits[i]);
  }

  // strace lists the clear bits instead once two thirds are set, which is
  // how a "block everything" mask stays short: ~[RTMIN RT_1].
  std::string text;
  if (set >= words * 32 * 2 / 3) {
    text.push_back('~');
    for (std::size_t i = 0; i < words; ++i)
      bits[i] = ~bits[i];
  }

  text.push_back('[');
  bool first = true;
  for (unsigned bit = 0; bit < words * 32; ++bit) {
    if (!(bits[bit / 32] & (1u << (bit % 32))))
      continue;
    if (!first)
      text.push_back(' ');
    text += sigset_name(bit + 1);
    first = false;
  }
  text.push_back(']');
  return text;
}

// rt_sigprocmask and friends: strace prints the mask only when the size
// argument is the kernel's 8 bytes, and the address otherwise.
// Not yet handled: rt_sigpending's shorter sizes, which strace accepts.
void write_sigset(ValueWriter &w, Bytes bytes, std::uint64_t address,
                  std::uint64_t len_hint) {
  if (len_hint != kSigsetBytes || bytes.size() < len_hint) {
    w.unreadable(address);
    return;
  }
  w.symbol(sigset_text(bytes, len_hint));
}

// The kernel's struct sigaction on x86_64: handler at 0, flags at 8,
// restorer at 16, one 64-bit mask word at 24. sa_restorer is shown only
// when SA_RESTORER says it is meaningful.
void write_sigaction(ValueWriter &w, Bytes bytes, std::uint64_t,
                     std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();

  if (c.field("sa_handler", 0, 8))
    write_signal_handler(w, c.get<std::uint64_t>(0));
  if (c.field("sa_mask", 24, 8))
    w.symbol(sigset_text(bytes.subspan(24, 8), kSigsetBytes));

  std::uint64_t flags = c.get<std::uint64_t>(8);
  if (c.field("sa_flags", 8, 8))
    write_flags(w, kSaFlags, flags, "SA_???");
  if ((flags & kSaRestorer) && c.field("sa_restorer", 16, 8))
    w.pointer(c.get<std::uint64_t>(16));

  w.end_struct();
}

namespace {

// Offsets in the kernel's siginfo on x86_64: a 16-byte head (signo,
// errno, code), then the union, whose members share offset 16.
constexpr std::size_t kSiSigno = 0, kSiErrno = 4, kSiCode = 8, kSiPid = 16,
                      kSiUid = 20, kSiValue = 24, kSiStatus = 24, kSiUtime = 32,
                      kSiStime = 40, kSiAddr = 16, kSiBand = 16, kSiFd = 24,
                      kSiSyscall = 24, kSiArch = 28;

void write_si_source(FieldCursor &c, ValueWriter &w) {
  c.signed_field("si_pid", kSiPid, 4);
  if (c.field("si_uid", kSiUid, 4)) {
    std::uint32_t uid = c.get<std::uint32_t>(kSiUid);
    if (uid == 0xffffffff)
      w.signed_int(-1);
    else
      w.unsigned_int(uid);
  }
}

void write_si_value(FieldCursor &c, ValueWriter &w) {
  c.signed_field("si_int", kSiValue, 4);
  if (c.field("si_ptr", kSiValue, 8))
    w.pointer(c.get<std::uint64_t>(kSiValue));
}

void write_si_pointer(FieldCursor &c, ValueWriter &w, std::string_view name,
                      std::size_t offset) {
  if (c.field(name, offset, 8))
    w.pointer(c.get<std::uint64_t>(offset));
}

// write_si_fields - what follows si_code, as strace chooses by where the
// signal came from: a process (si_code <= 0) or the kernel.
void write_si_fields(FieldCursor &c, ValueWriter &w, std::int32_t sig,
                     std::int32_t code) {
  if (code <= 0) {
    switch (code) {
    case -2: // SI_TIMER
      if (c.field("si_timerid", kSiPid, 4))
        write_hex(w, c.get<std::uint32_t>(kSiPid));
      c.signed_field("si_overrun", kSiUid, 4);
      write_si_value(c, w);
      return;
    case -5: // SI_SIGIO
      c.signed_field("si_band", kSiBand, 8);
      c.signed_field("si_fd", kSiFd, 4);
      return;
    default:
      write_si_source(c, w);
      if (code != 0 && code != -6 && c.get<std::uint64_t>(kSiValue) != 0)
        write_si_value(c, w);
      return;
    }
  }
  switch (sig) {
  case kSigChld:
    write_si_source(c, w);
    if (c.field("si_status", kSiStatus, 4)) {
      std::int32_t status = c.get<std::int32_t>(kSiStatus);
      if (code == 1) // CLD_EXITED: an exit status, else a signal
        w.signed_int(status);
      else
        w.symbol(signal_text(status));
    }
    c.signed_field("si_utime", kSiUtime, 8);
    c.signed_field("si_stime", kSiStime, 8);
    return;
  case kSigIll:
  case kSigFpe:
  case kSigBus:
  case kSigSegv:
  case kSigTrap:
    write_si_pointer(c, w, "si_addr", kSiAddr);
    return;
  case kSigIo:
    if (code >= 1 && code <= 3) { // POLL_IN, POLL_OUT, POLL_MSG
      c.signed_field("si_band", kSiBand, 8);
      c.signed_field("si_fd", kSiFd, 4);
    }
    return;
  case kSigSys: {
    write_si_pointer(c, w, "si_call_addr", kSiAddr);
    std::uint32_t arch = c.get<std::uint32_t>(kSiArch);
    if (c.field("si_syscall", kSiSyscall, 4)) {
      std::int32_t nr = c.get<std::int32_t>(kSiSyscall);
      const SyscallInfo *info =
          nr < 0 ? nullptr
                 : syscall_info(arch == 0x40000003 ? Abi::i386 : Abi::x86_64,
                                static_cast<std::uint32_t>(nr));
      if (info != nullptr)
        w.symbol("__NR_" + std::string(info->name));
      else
        w.signed_int(nr);
    }
    if (c.field("si_arch", kSiArch, 4))
      write_xval(w, kAuditArches, arch, "AUDIT_ARCH_???");
    return;
  }
  default:
    if (c.get<std::uint64_t>(kSiPid) != 0)
      write_si_source(c, w);
    if (c.get<std::uint64_t>(kSiValue) != 0)
      write_si_value(c, w);
    return;
  }
}

} // namespace

// siginfo_t as strace's printsiginfo writes it: the signal and its code,
// then the fields that code says are filled.
void write_siginfo(ValueWriter &w, Bytes bytes, std::uint64_t, std::uint64_t) {
  FieldCursor c(w, bytes);
  w.begin_struct();
  std::int32_t sig = c.get<std::int32_t>(kSiSigno);
  if (sig != 0) {
    if (c.field("si_signo", kSiSigno, 4))
      w.symbol(signal_text(sig));
    std::int32_t code = c.get<std::int32_t>(kSiCode);
    if (c.field("si_code", kSiCode, 4)) {
      auto ucode = static_cast<std::uint32_t>(code);
      std::string_view name = find_name(kSiCodes, ucode);
      if (name.empty())
        name = find_name(signal_codes(sig), ucode);
      if (name.empty())
        write_hex(w, ucode);
      else
        w.symbol(name);
    }
    if (std::int32_t err = c.get<std::int32_t>(kSiErrno); err != 0) {
      if (c.field("si_errno", kSiErrno, 4)) {
        std::string_view name = errno_name(err);
        if (name.empty())
          w.signed_int(err);
        else
          w.symbol(name);
      }
    }
    write_si_fields(c, w, sig, code);
  }
  w.end_struct();
}

void write_wait_status(ValueWriter &w, Bytes bytes, std::uint64_t,
                       std::uint64_t) {
  w.begin_array();
  w.element();
  w.symbol(wait_status_text(read<std::uint32_t>(bytes, 0)));
  w.end_array();
}

} // namespace vigil::structs

namespace vigil {

void write_signal_mask(ValueWriter &w, std::span<const std::byte> mask) {
  w.symbol(structs::sigset_text(mask, mask.size()));
}

void write_signal_handler(ValueWriter &w, std::uint64_t handler) {
  std::string_view name = structs::find_name(structs::kSaHandlers, handler);
  if (name.empty())
    w.pointer(handler);
  else
    w.symbol(name);
}

} // namespace vigil
