#include "decode/event_schema.h"

#include <catch2/catch.hpp>

using vigil::Abi;
using vigil::ArgKind;
using vigil::CaptureProfile;
using vigil::EventSchema;
using vigil::Sem;

TEST_CASE("openat reads its path at entry and nothing else", "[schema]") {
  EventSchema schema;
  const auto &openat = schema.syscall(Abi::x86_64, 257);
  CHECK(openat.name == "openat");
  CHECK(openat.args[0].spec.sem == Sem::kDirFd);
  CHECK(openat.args[1].spec.sem == Sem::kPath);
  CHECK(openat.args[2].spec.sem == Sem::kFlags);
  CHECK(openat.args[3].spec.sem == Sem::kMode);
  CHECK(openat.plan.arg[0].kind == VIGIL_CAP_NONE);
  CHECK(openat.plan.arg[1].kind == VIGIL_CAP_STRING);
  CHECK(openat.plan.arg[2].kind == VIGIL_CAP_NONE);
  CHECK(openat.plan.flags == VIGIL_PLAN_AT_ENTRY);
}

TEST_CASE("execve reads filename and argv, counts envp, scopes at exit",
          "[schema]") {
  EventSchema schema;
  for (Abi abi : {Abi::x86_64, Abi::i386}) {
    std::uint32_t nr = abi == Abi::x86_64 ? 59 : 11;
    const auto &execve = schema.syscall(abi, nr);
    CHECK(execve.name == "execve");
    CHECK(execve.plan.arg[0].kind == VIGIL_CAP_STRING);
    CHECK(execve.plan.arg[1].kind == VIGIL_CAP_ARGV);
    CHECK(execve.plan.arg[2].kind == VIGIL_CAP_COUNT);
    CHECK(execve.plan.flags & VIGIL_PLAN_SCOPE_AT_EXIT);
  }
}

TEST_CASE("buffers are read only when the profile asks", "[schema]") {
  EventSchema lean;
  CHECK(lean.syscall(Abi::x86_64, 1).name == "write");
  CHECK(lean.syscall(Abi::x86_64, 1).plan.arg[1].kind == VIGIL_CAP_NONE);
  CHECK(lean.syscall(Abi::x86_64, 0).plan.arg[1].kind == VIGIL_CAP_NONE);

  EventSchema full(CaptureProfile{.buffers = true});
  const auto &write = full.syscall(Abi::x86_64, 1);
  CHECK(write.plan.arg[1].kind == VIGIL_CAP_BYTES);
  CHECK(write.plan.arg[1].len == VIGIL_LEN_ARG0 + 2);
  const auto &read = full.syscall(Abi::x86_64, 0);
  CHECK(read.plan.arg[1].kind == VIGIL_CAP_BYTES_EXIT);
  CHECK(read.plan.arg[1].len == VIGIL_LEN_RET);
  CHECK(read.plan.flags == VIGIL_PLAN_AT_EXIT);
}

TEST_CASE("fstat reads its struct at exit, a 32-bit caller's is not read",
          "[schema]") {
  EventSchema schema;
  const auto &fstat = schema.syscall(Abi::x86_64, 5);
  CHECK(fstat.name == "fstat");
  CHECK(fstat.plan.arg[1].kind == VIGIL_CAP_BYTES_EXIT);
  CHECK(fstat.plan.arg[1].len == VIGIL_LEN_FIXED);
  CHECK(fstat.plan.arg[1].size == 144);
  const auto &fstat64 = schema.syscall(Abi::i386, 197);
  CHECK(fstat64.plan.arg[1].kind == VIGIL_CAP_NONE);
}

TEST_CASE("accept reads the address at exit by the length it points at",
          "[schema]") {
  EventSchema schema;
  const auto &accept = schema.syscall(Abi::x86_64, 43);
  CHECK(accept.name == "accept");
  CHECK(accept.plan.arg[1].kind == VIGIL_CAP_BYTES_EXIT);
  CHECK(accept.plan.arg[1].len == VIGIL_LEN_DEREF_ARG0 + 2);
}

TEST_CASE("exit and exit_group are marked as not returning", "[schema]") {
  EventSchema schema;
  CHECK(schema.syscall(Abi::x86_64, 60).plan.flags & VIGIL_PLAN_NO_RETURN);
  CHECK(schema.syscall(Abi::x86_64, 231).plan.flags & VIGIL_PLAN_NO_RETURN);
  CHECK(schema.syscall(Abi::i386, 1).plan.flags & VIGIL_PLAN_NO_RETURN);
  CHECK_FALSE(schema.syscall(Abi::x86_64, 0).plan.flags & VIGIL_PLAN_NO_RETURN);
}

TEST_CASE("syscalls that change the name or ids are marked", "[schema]") {
  EventSchema schema;
  CHECK(schema.syscall(Abi::x86_64, 157).name == "prctl");
  CHECK(schema.syscall(Abi::x86_64, 157).plan.flags &
        VIGIL_PLAN_CHANGES_IDENTITY);
  CHECK(schema.syscall(Abi::x86_64, 105).plan.flags &
        VIGIL_PLAN_CHANGES_IDENTITY); // setuid
}

TEST_CASE("arguments the table omits follow their names and types",
          "[schema]") {
  EventSchema schema;
  const auto &fchownat = schema.syscall(Abi::x86_64, 260);
  CHECK(fchownat.args[0].spec.sem == Sem::kDirFd);
  const auto &syncfs = schema.syscall(Abi::x86_64, 306);
  CHECK(syncfs.name == "syncfs");
  CHECK(syncfs.args[0].spec.sem == Sem::kFd);
}

TEST_CASE("every slot has a name, also numbers the kernel never used",
          "[schema]") {
  EventSchema schema;
  for (std::size_t s = 0; s < schema.slot_count(); ++s) {
    CHECK_FALSE(schema.at_slot(s).name.empty());
  }
  CHECK(schema.syscall(Abi::x86_64, 400).name == "syscall_400");
}

TEST_CASE("C types map to the width and sign of the ABI", "[schema]") {
  CHECK(vigil::classify_ctype("int", Abi::x86_64) == ArgKind::kSigned32);
  CHECK(vigil::classify_ctype("unsigned int", Abi::x86_64) ==
        ArgKind::kUnsigned32);
  CHECK(vigil::classify_ctype("size_t", Abi::x86_64) == ArgKind::kUnsigned64);
  CHECK(vigil::classify_ctype("size_t", Abi::i386) == ArgKind::kUnsigned32);
  CHECK(vigil::classify_ctype("long", Abi::x86_64) == ArgKind::kSigned64);
  CHECK(vigil::classify_ctype("long", Abi::i386) == ArgKind::kSigned32);
  CHECK(vigil::classify_ctype("char *", Abi::x86_64) == ArgKind::kPointer);
}
