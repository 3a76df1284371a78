// main.cpp - Catch2's main for vigil_runtime_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
