// runtime_test.h - what every runtime test file includes: Catch2, the
// helpers, the paths of the binaries under test, and the root check.
#ifndef VIGIL_TESTS_RUNTIME_RUNTIME_TEST_H
#define VIGIL_TESTS_RUNTIME_RUNTIME_TEST_H

#include <catch2/catch.hpp>

#include "event_checks.h"
#include "vigil_process.h"
#include "workload.h"

// VIGIL_SKIP_UNLESS_RUNTIME - Catch2 v2 has no SKIP, so a test that cannot
// run here says why with WARN and returns, passing.
#define VIGIL_SKIP_UNLESS_RUNTIME()                                            \
  do {                                                                         \
    if (auto why = ::vigil::test::runtime_skip_reason()) {                     \
      WARN("skipped: " << *why);                                               \
      return;                                                                  \
    }                                                                          \
  } while (0)

#endif
