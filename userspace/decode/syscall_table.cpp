// syscall_table.cpp - lookups over the generated syscall and errno tables.
//
// The tables are constexpr arrays expanded from the generated .inc files;
// number lookups go through dense index arrays built at compile time
// (decoding runs once per traced event, so it must not search), and name
// lookups through name-sorted views built once on first use.
#include "decode/syscall_table.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace vigil {
namespace {

#define VIGIL_SYSCALL(nr, name, nargs, n1, t1, n2, t2, n3, t3, n4, t4, n5, t5, \
                      n6, t6)                                                  \
  SyscallInfo{nr,                                                              \
              name,                                                            \
              nargs,                                                           \
              {{{n1, t1}, {n2, t2}, {n3, t3}, {n4, t4}, {n5, t5}, {n6, t6}}}},

constexpr SyscallInfo kX86_64Syscalls[] = {
#include "decode/syscalls_x86_64.inc"
};

constexpr SyscallInfo kI386Generated[] = {
#include "decode/syscalls_i386.inc"
};

#undef VIGIL_SYSCALL

// The i386 calls that tracefs describes under no name of theirs (no
// sys_enter format matches them), with their parameters as the kernel's
// SYSCALL_DEFINE and COMPAT_SYSCALL_DEFINE lines declare them. A value
// that i386 splits over two registers (truncate64's length,
// fadvise64_64's offsets) is left raw, as are the calls nothing uses now.
struct Prototype {
  std::string_view name;
  int nargs;
  std::array<SyscallArg, 6> args;
};

constexpr SyscallArg kStat64Args[] = {{"filename", "const char *"},
                                      {"statbuf", "struct stat64 *"}};

constexpr Prototype kI386Prototypes[] = {
    {"waitpid",
     3,
     {{{"pid", "pid_t"}, {"stat_addr", "int *"}, {"options", "int"}}}},
    {"sigreturn", 0, {}},
    {"mmap2",
     6,
     {{{"addr", "unsigned long"},
       {"len", "unsigned long"},
       {"prot", "unsigned long"},
       {"flags", "unsigned long"},
       {"fd", "unsigned long"},
       {"pgoff", "unsigned long"}}}},
    {"_llseek",
     5,
     {{{"fd", "unsigned int"},
       {"offset_high", "unsigned long"},
       {"offset_low", "unsigned long"},
       {"result", "loff_t *"},
       {"whence", "unsigned int"}}}},
    {"fcntl64",
     3,
     {{{"fd", "unsigned int"},
       {"cmd", "unsigned int"},
       {"arg", "unsigned long"}}}},
    {"stat64", 2, {{kStat64Args[0], kStat64Args[1]}}},
    {"lstat64", 2, {{kStat64Args[0], kStat64Args[1]}}},
    {"fstat64", 2, {{{"fd", "unsigned long"}, kStat64Args[1]}}},
    {"fstatat64",
     4,
     {{{"dfd", "int"}, kStat64Args[0], kStat64Args[1], {"flag", "int"}}}},
    {"statfs64",
     3,
     {{{"pathname", "const char *"},
       {"sz", "size_t"},
       {"buf", "struct statfs64 *"}}}},
    {"fstatfs64",
     3,
     {{{"fd", "unsigned int"},
       {"sz", "size_t"},
       {"buf", "struct statfs64 *"}}}},
    {"sendfile",
     4,
     {{{"out_fd", "int"},
       {"in_fd", "int"},
       {"offset", "off_t *"},
       {"count", "size_t"}}}},
    {"set_thread_area", 1, {{{"u_info", "struct user_desc *"}}}},
    {"get_thread_area", 1, {{{"u_info", "struct user_desc *"}}}},
    {"sigaction",
     3,
     {{{"sig", "int"},
       {"act", "const struct old_sigaction *"},
       {"oact", "struct old_sigaction *"}}}},
    {"sigprocmask",
     3,
     {{{"how", "int"},
       {"nset", "old_sigset_t *"},
       {"oset", "old_sigset_t *"}}}},
    {"sigpending", 1, {{{"uset", "old_sigset_t *"}}}},
    {"sigsuspend",
     3,
     {{{"unused1", "int"}, {"unused2", "int"}, {"mask", "old_sigset_t"}}}},
    {"socketcall", 2, {{{"call", "int"}, {"args", "unsigned long *"}}}},
    {"ipc",
     6,
     {{{"call", "unsigned int"},
       {"first", "int"},
       {"second", "unsigned long"},
       {"third", "unsigned long"},
       {"ptr", "void *"},
       {"fifth", "long"}}}},
    {"nice", 1, {{{"increment", "int"}}}},
    {"signal", 2, {{{"sig", "int"}, {"handler", "__sighandler_t"}}}},
    {"sgetmask", 0, {}},
    {"ssetmask", 1, {{{"newmask", "int"}}}},
    {"uselib", 1, {{{"library", "const char *"}}}},
    {"finit_module",
     3,
     {{{"fd", "int"}, {"uargs", "const char *"}, {"flags", "int"}}}},
};

template <std::size_t N>
constexpr std::array<SyscallInfo, N>
with_prototypes(const SyscallInfo (&table)[N]) {
  std::array<SyscallInfo, N> out{};
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = table[i];
    for (const Prototype &p : kI386Prototypes) {
      if (out[i].nargs < 0 && out[i].name == p.name) {
        out[i].nargs = p.nargs;
        out[i].args = p.args;
      }
    }
  }
  return out;
}

constexpr auto kI386Syscalls = with_prototypes(kI386Generated);

struct ErrnoInfo {
  int number;
  std::string_view name;
};

#define VIGIL_ERRNO(number, name) ErrnoInfo{number, name},

constexpr ErrnoInfo kErrnos[] = {
#include "decode/errno_names.inc"
};

#undef VIGIL_ERRNO

template <typename Table, typename Key>
constexpr bool sorted_by(const Table &table, Key key) {
  for (std::size_t i = 1; i < std::size(table); ++i) {
    if (!(key(table[i - 1]) < key(table[i])))
      return false;
  }
  return true;
}

constexpr auto kSyscallNr = [](const SyscallInfo &s) { return s.nr; };
constexpr auto kErrnoNr = [](const ErrnoInfo &e) { return e.number; };

// The dense indexes below and syscall_table()'s contract rely on this, and a
// hand-edited or badly generated .inc would otherwise fail silently.
static_assert(sorted_by(kX86_64Syscalls, kSyscallNr));
static_assert(sorted_by(kI386Syscalls, kSyscallNr));
static_assert(sorted_by(kErrnos, kErrnoNr));
// The indexes below hold rows as int16_t.
static_assert(std::size(kX86_64Syscalls) < 32768 &&
              std::size(kI386Syscalls) < 32768 && std::size(kErrnos) < 32768);

// Maps a number to its row in the table, -1 for gaps; int16_t keeps the
// index small since the tables have well under 32768 rows.
template <std::size_t Size, typename Table, typename Key>
constexpr std::array<std::int16_t, Size> make_index(const Table &table,
                                                    Key key) {
  std::array<std::int16_t, Size> index{};
  for (auto &slot : index)
    slot = -1;
  for (std::size_t i = 0; i < std::size(table); ++i) {
    index[static_cast<std::size_t>(key(table[i]))] =
        static_cast<std::int16_t>(i);
  }
  return index;
}

template <typename Table, typename Key>
constexpr std::size_t index_size(const Table &table, Key key) {
  return static_cast<std::size_t>(key(table[std::size(table) - 1])) + 1;
}

constexpr auto kX86_64Index =
    make_index<index_size(kX86_64Syscalls, kSyscallNr)>(kX86_64Syscalls,
                                                        kSyscallNr);
constexpr auto kI386Index = make_index<index_size(kI386Syscalls, kSyscallNr)>(
    kI386Syscalls, kSyscallNr);
constexpr auto kErrnoIndex =
    make_index<index_size(kErrnos, kErrnoNr)>(kErrnos, kErrnoNr);

template <typename T, std::size_t N>
const T *lookup(std::span<const T> table,
                const std::array<std::int16_t, N> &index, std::size_t key) {
  if (key >= index.size() || index[key] < 0)
    return nullptr;
  return &table[static_cast<std::size_t>(index[key])];
}

// Pointers into a table, sorted by name, so names can be binary searched.
template <typename T> std::vector<const T *> by_name(std::span<const T> table) {
  std::vector<const T *> sorted;
  sorted.reserve(table.size());
  for (const T &row : table)
    sorted.push_back(&row);
  std::sort(sorted.begin(), sorted.end(),
            [](const T *a, const T *b) { return a->name < b->name; });
  return sorted;
}

template <typename T>
const T *find_name(const std::vector<const T *> &sorted,
                   std::string_view name) {
  auto it = std::lower_bound(
      sorted.begin(), sorted.end(), name,
      [](const T *row, std::string_view n) { return row->name < n; });
  if (it == sorted.end() || (*it)->name != name)
    return nullptr;
  return *it;
}

} // namespace

std::span<const SyscallInfo> syscall_table(Abi abi) {
  switch (abi) {
  case Abi::x86_64:
    return kX86_64Syscalls;
  case Abi::i386:
    return kI386Syscalls;
  }
  return {};
}

const SyscallInfo *syscall_info(Abi abi, std::uint32_t nr) {
  switch (abi) {
  case Abi::x86_64:
    return lookup(syscall_table(abi), kX86_64Index, nr);
  case Abi::i386:
    return lookup(syscall_table(abi), kI386Index, nr);
  }
  return nullptr;
}

std::optional<std::uint32_t> syscall_number(Abi abi, std::string_view name) {
  // Function-local statics: built once, thread-safe, and only if some
  // caller actually resolves names (e.g. a --syscall filter).
  static const auto x86_64 = by_name(syscall_table(Abi::x86_64));
  static const auto i386 = by_name(syscall_table(Abi::i386));
  const SyscallInfo *info = find_name(abi == Abi::x86_64 ? x86_64 : i386, name);
  if (info == nullptr)
    return std::nullopt;
  return info->nr;
}

std::string_view errno_name(int err) {
  if (err <= 0)
    return {};
  const ErrnoInfo *info = lookup(std::span<const ErrnoInfo>(kErrnos),
                                 kErrnoIndex, static_cast<std::size_t>(err));
  return info == nullptr ? std::string_view{} : info->name;
}

std::optional<int> errno_number(std::string_view name) {
  static const auto sorted = by_name(std::span<const ErrnoInfo>(kErrnos));
  const ErrnoInfo *info = find_name(sorted, name);
  if (info == nullptr)
    return std::nullopt;
  return info->number;
}

} // namespace vigil
