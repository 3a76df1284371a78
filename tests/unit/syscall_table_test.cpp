// syscall_table_test.cpp - checks the generated syscall and errno tables
// against values taken from Linux 6.18's syscall_64.tbl / syscall_32.tbl
// and the kernel's tracefs syscall formats.
#include "decode/syscall_table.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

using vigil::Abi;
using vigil::SyscallInfo;

namespace {

const SyscallInfo &require_info(Abi abi, std::uint32_t nr) {
  const SyscallInfo *info = vigil::syscall_info(abi, nr);
  REQUIRE(info != nullptr);
  REQUIRE(info->nr == nr);
  return *info;
}

void check_args(const SyscallInfo &info,
                std::initializer_list<std::string_view> names) {
  REQUIRE(info.nargs == static_cast<int>(names.size()));
  std::size_t i = 0;
  for (std::string_view name : names)
    CHECK(info.args[i++].name == name);
  for (; i < info.args.size(); ++i) {
    CHECK(info.args[i].name.empty());
    CHECK(info.args[i].type.empty());
  }
}

// Numbers below each table's maximum that the kernel's .tbl leaves unused;
// the row counts are those of the .tbl ("common" + "64" rows for x86_64).
struct Expected {
  Abi abi;
  std::uint32_t max_nr;
  std::size_t rows;
  std::set<std::uint32_t> holes;
};

std::set<std::uint32_t> range(std::uint32_t lo, std::uint32_t hi) {
  std::set<std::uint32_t> s;
  for (std::uint32_t n = lo; n <= hi; ++n)
    s.insert(n);
  return s;
}

Expected expected(Abi abi) {
  if (abi == Abi::x86_64)
    return {abi, 469, 383, range(337, 423)};
  std::set<std::uint32_t> holes = range(387, 392);
  holes.insert({222, 223, 251, 285, 415});
  return {abi, 469, 459, holes};
}

} // namespace

TEST_CASE("x86_64 syscalls have the kernel's names and arguments",
          "[syscall_table]") {
  const SyscallInfo &read = require_info(Abi::x86_64, 0);
  CHECK(read.name == "read");
  check_args(read, {"fd", "buf", "count"});
  CHECK(read.args[0].type == "unsigned int");
  CHECK(read.args[1].type == "char *");
  CHECK(read.args[2].type == "size_t");

  const SyscallInfo &open = require_info(Abi::x86_64, 2);
  CHECK(open.name == "open");
  check_args(open, {"filename", "flags", "mode"});

  const SyscallInfo &openat = require_info(Abi::x86_64, 257);
  CHECK(openat.name == "openat");
  check_args(openat, {"dfd", "filename", "flags", "mode"});
  CHECK(openat.args[0].type == "int");
  CHECK(openat.args[1].type == "const char *");
  CHECK(openat.args[2].type == "int");
  CHECK(openat.args[3].type == "umode_t");

  const SyscallInfo &execve = require_info(Abi::x86_64, 59);
  CHECK(execve.name == "execve");
  check_args(execve, {"filename", "argv", "envp"});
  CHECK(execve.args[1].type == "const char *const *");

  const SyscallInfo &exit_group = require_info(Abi::x86_64, 231);
  CHECK(exit_group.name == "exit_group");
  check_args(exit_group, {"error_code"});

  const SyscallInfo &clone3 = require_info(Abi::x86_64, 435);
  CHECK(clone3.name == "clone3");
  check_args(clone3, {"uargs", "size"});

  const SyscallInfo &getpid = require_info(Abi::x86_64, 39);
  CHECK(getpid.name == "getpid");
  CHECK(getpid.nargs == 0);

  // The newest syscalls of 6.18, and the entry-point fallback (table name
  // "stat", kernel function sys_newstat).
  CHECK(require_info(Abi::x86_64, 469).name == "file_setattr");
  CHECK(require_info(Abi::x86_64, 4).nargs == 2);
  CHECK(vigil::syscall_info(Abi::x86_64, 470) == nullptr);
  CHECK(vigil::syscall_info(Abi::x86_64, 512) == nullptr); // x32 only
  CHECK(vigil::syscall_info(Abi::x86_64, 400) == nullptr);
}

TEST_CASE("i386 syscalls use the 32-bit numbering", "[syscall_table]") {
  const SyscallInfo &open = require_info(Abi::i386, 5);
  CHECK(open.name == "open");
  check_args(open, {"filename", "flags", "mode"});

  const SyscallInfo &execve = require_info(Abi::i386, 11);
  CHECK(execve.name == "execve");
  check_args(execve, {"filename", "argv", "envp"});

  const SyscallInfo &openat = require_info(Abi::i386, 295);
  CHECK(openat.name == "openat");
  check_args(openat, {"dfd", "filename", "flags", "mode"});

  CHECK(require_info(Abi::i386, 140).name == "_llseek");
  CHECK(require_info(Abi::i386, 192).name == "mmap2");
  CHECK(require_info(Abi::i386, 102).name == "socketcall");
  CHECK(require_info(Abi::i386, 18).name == "oldstat");

  const SyscallInfo &exit_group = require_info(Abi::i386, 252);
  CHECK(exit_group.name == "exit_group");
  check_args(exit_group, {"error_code"});

  // No x86_64 kernel has a tracefs format for the i386-only entry points:
  // the common ones take their parameters from the kernel's prototypes,
  // the rest stay unknown.
  check_args(require_info(Abi::i386, 192),
             {"addr", "len", "prot", "flags", "fd", "pgoff"});
  check_args(require_info(Abi::i386, 102), {"call", "args"});
  CHECK(require_info(Abi::i386, 119).nargs == 0); // sigreturn
  CHECK(require_info(Abi::i386, 18).nargs == -1); // oldstat

  CHECK(require_info(Abi::i386, 469).name == "file_setattr");
  CHECK(vigil::syscall_info(Abi::i386, 222) == nullptr);
  CHECK(vigil::syscall_info(Abi::i386, 470) == nullptr);
}

TEST_CASE("every defined number has a name and round-trips",
          "[syscall_table]") {
  for (Abi abi : {Abi::x86_64, Abi::i386}) {
    const Expected want = expected(abi);
    auto table = vigil::syscall_table(abi);
    CAPTURE(static_cast<int>(abi));
    REQUIRE(table.size() == want.rows);
    CHECK(table.back().nr == want.max_nr);

    std::size_t named = 0;
    for (std::uint32_t nr = 0; nr <= want.max_nr; ++nr) {
      CAPTURE(nr);
      const SyscallInfo *info = vigil::syscall_info(abi, nr);
      if (want.holes.count(nr) != 0) {
        CHECK(info == nullptr);
        continue;
      }
      REQUIRE(info != nullptr);
      CHECK(!info->name.empty());
      CHECK(info->nargs >= -1);
      CHECK(info->nargs <= 6);
      ++named;
    }
    CHECK(named == want.rows);

    std::uint32_t prev = 0;
    bool first = true;
    for (const SyscallInfo &info : table) {
      CAPTURE(info.nr, std::string(info.name));
      if (!first)
        CHECK(info.nr > prev);
      first = false;
      prev = info.nr;
      auto nr = vigil::syscall_number(abi, info.name);
      REQUIRE(nr.has_value());
      CHECK(*nr == info.nr);
      CHECK(vigil::syscall_info(abi, info.nr) == &info);
    }
  }
  CHECK(vigil::syscall_number(Abi::x86_64, "openat") == 257u);
  CHECK(vigil::syscall_number(Abi::i386, "openat") == 295u);
  CHECK_FALSE(vigil::syscall_number(Abi::x86_64, "mmap2").has_value());
  CHECK_FALSE(vigil::syscall_number(Abi::i386, "no_such_call").has_value());
}

TEST_CASE("errno names", "[errno]") {
  CHECK(vigil::errno_name(1) == "EPERM");
  CHECK(vigil::errno_name(2) == "ENOENT");
  CHECK(vigil::errno_name(11) == "EAGAIN"); // not EWOULDBLOCK
  CHECK(vigil::errno_name(13) == "EACCES");
  CHECK(vigil::errno_name(35) == "EDEADLK"); // not EDEADLOCK
  CHECK(vigil::errno_name(133) == "EHWPOISON");
  CHECK(vigil::errno_name(512) == "ERESTARTSYS");
  CHECK(vigil::errno_name(516) == "ERESTART_RESTARTBLOCK");
  CHECK(vigil::errno_name(530) == "ERECALLCONFLICT");
  CHECK(vigil::errno_name(0).empty());
  CHECK(vigil::errno_name(-2).empty());
  CHECK(vigil::errno_name(41).empty());
  CHECK(vigil::errno_name(520).empty());
  CHECK(vigil::errno_name(531).empty());
  CHECK(vigil::errno_name(100000).empty());

  CHECK(vigil::errno_number("EPERM") == 1);
  CHECK(vigil::errno_number("ENOENT") == 2);
  CHECK(vigil::errno_number("ERESTARTSYS") == 512);
  CHECK_FALSE(vigil::errno_number("EWOULDBLOCK").has_value());
  CHECK_FALSE(vigil::errno_number("").has_value());

  for (int err = 1; err <= 133; ++err) {
    if (err == 41 || err == 58)
      continue; // never assigned by Linux
    CAPTURE(err);
    std::string_view name = vigil::errno_name(err);
    REQUIRE(!name.empty());
    CHECK(vigil::errno_number(name) == err);
  }
}
