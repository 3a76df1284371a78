#!/bin/sh
# check-format.sh - fails when a C or C++ source differs from what
# clang-format makes of it under the committed .clang-format files.
set -eu
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.cpp' '*.h' | grep -v '^bpf/vmlinux/')
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files
