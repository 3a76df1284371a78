#include "decode/event_schema.h"

#include <catch2/catch.hpp>

extern "C" {
#include "vigil_event.h"
}

using vigil::Abi;
using vigil::ArgKind;
using vigil::EventSchema;

namespace {

std::uint64_t cap(std::uint64_t plan, int arg) {
  return (plan >> (arg * VIGIL_PLAN_ARG_BITS)) & 0xff;
}

} // namespace

TEST_CASE("openat captures its filename and nothing else", "[schema]") {
  EventSchema schema;
  const auto &openat = schema.syscall(Abi::x86_64, 257);
  CHECK(openat.name == "openat");
  CHECK(openat.args[1].kind == ArgKind::kString);
  CHECK(cap(openat.capture_plan, 0) == VIGIL_CAP_NONE);
  CHECK(cap(openat.capture_plan, 1) == VIGIL_CAP_STRING);
  CHECK(cap(openat.capture_plan, 2) == VIGIL_CAP_NONE);
}

TEST_CASE("execve captures filename and argv and scopes at exit", "[schema]") {
  EventSchema schema;
  for (Abi abi : {Abi::x86_64, Abi::i386}) {
    std::uint32_t nr = abi == Abi::x86_64 ? 59 : 11;
    const auto &execve = schema.syscall(abi, nr);
    CHECK(execve.name == "execve");
    CHECK(cap(execve.capture_plan, 0) == VIGIL_CAP_STRING);
    CHECK(cap(execve.capture_plan, 1) == VIGIL_CAP_ARGV);
    CHECK(cap(execve.capture_plan, 2) == VIGIL_CAP_NONE); // envp
    CHECK(execve.capture_plan & VIGIL_PLAN_SCOPE_AT_EXIT);
  }
}

TEST_CASE("write's buffer is not read as a string", "[schema]") {
  EventSchema schema;
  const auto &write = schema.syscall(Abi::x86_64, 1);
  CHECK(write.name == "write");
  CHECK(write.capture_plan == 0);
}

TEST_CASE("exit and exit_group are marked as not returning", "[schema]") {
  EventSchema schema;
  CHECK(schema.syscall(Abi::x86_64, 60).capture_plan & VIGIL_PLAN_NO_RETURN);
  CHECK(schema.syscall(Abi::x86_64, 231).capture_plan & VIGIL_PLAN_NO_RETURN);
  CHECK(schema.syscall(Abi::i386, 1).capture_plan & VIGIL_PLAN_NO_RETURN);
  CHECK_FALSE(schema.syscall(Abi::x86_64, 0).capture_plan &
              VIGIL_PLAN_NO_RETURN);
}

TEST_CASE("syscalls that change the name or ids are marked", "[schema]") {
  EventSchema schema;
  CHECK(schema.syscall(Abi::x86_64, 157).name == "prctl");
  CHECK(schema.syscall(Abi::x86_64, 157).capture_plan &
        VIGIL_PLAN_CHANGES_IDENTITY);
  CHECK(schema.syscall(Abi::x86_64, 105).capture_plan &
        VIGIL_PLAN_CHANGES_IDENTITY); // setuid
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
