// structs_signal.cpp - signal structs: sigset_t, the kernel's struct
// sigaction, and the int a wait call fills.
#include <algorithm>
#include <array>
#include <bit>

#include "decode/structs_internal.h"

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

  std::uint64_t handler = c.get<std::uint64_t>(0);
  if (c.field("sa_handler", 0, 8)) {
    std::string_view name = find_name(kSaHandlers, handler);
    if (name.empty()) {
      w.pointer(handler);
    } else {
      w.symbol(name);
    }
  }
  if (c.field("sa_mask", 24, 8))
    w.symbol(sigset_text(bytes.subspan(24, 8), kSigsetBytes));

  std::uint64_t flags = c.get<std::uint64_t>(8);
  if (c.field("sa_flags", 8, 8))
    write_flags(w, kSaFlags, flags, "SA_???");
  if ((flags & kSaRestorer) && c.field("sa_restorer", 16, 8))
    w.pointer(c.get<std::uint64_t>(16));

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
