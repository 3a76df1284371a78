#!/usr/bin/env bash
# context.sh - what process and container context costs: the per-event
# microbenchmark (bench/context_bench.cpp: JSON formatting without
# context, the Enricher's lookup, both together, and the lookup from
# several threads), then the process table's memory: vigil's RSS with
# 10,000 more live processes than before, against the same with
# --no-context.
#
# Needs root (vigil loads its BPF programs) and a configured build dir.
# Usage: bench/context.sh [--vigil PATH] [--build DIR] [--processes N]
#                         [--events N]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$REPO/build"
VIGIL=""
PROCESSES=10000
EVENTS=2000000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --vigil) VIGIL=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --processes) PROCESSES=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    *) echo "usage: bench/context.sh [--vigil PATH] [--build DIR]" \
         "[--processes N] [--events N]" >&2; exit 2 ;;
  esac
done
VIGIL=${VIGIL:-$BUILD/userspace/vigil}

die() { echo "context bench: error: $*" >&2; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root"
[[ -x $VIGIL ]] || die "no vigil binary at $VIGIL"

echo "== per-event cost ($EVENTS events, $PROCESSES processes in the table)"
cmake --build "$BUILD" -j2 --target vigil_context_bench >/dev/null
"$BUILD/bench/vigil_context_bench" "$EVENTS" "$PROCESSES" 2

WORK=$(mktemp -d /tmp/vigil-context-bench.XXXXXX)
SLEEPERS=()
VIGIL_PID=""
cleanup() {
  [[ -n $VIGIL_PID ]] && kill -INT "$VIGIL_PID" 2>/dev/null || true
  [[ -n $VIGIL_PID ]] && wait "$VIGIL_PID" 2>/dev/null || true
  # The sleepers are this script's children, stopped by their pids.
  if [[ ${#SLEEPERS[@]} -gt 0 ]]; then
    kill "${SLEEPERS[@]}" 2>/dev/null || true
    wait "${SLEEPERS[@]}" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# rss_kib ARGS... - vigil's resident set once it is tracing and has
# settled. --comm matches nothing, so the only work is the context.
rss_kib() {
  "$VIGIL" --comm vigil-no-such --log-level info -o /dev/null "$@" \
    2>"$WORK/vigil.err" &
  VIGIL_PID=$!
  for _ in $(seq 1 300); do
    grep -qs "info: tracing" "$WORK/vigil.err" && break
    sleep 0.1
  done
  sleep 1
  awk '/^VmRSS:/ {print $2}' "/proc/$VIGIL_PID/status"
  kill -INT "$VIGIL_PID"
  wait "$VIGIL_PID" || true
  VIGIL_PID=""
}

echo "== memory: vigil's RSS in KiB"
base_ctx=$(rss_kib)
base_none=$(rss_kib --no-context)
before=$(ls /proc | grep -c '^[0-9]')
for _ in $(seq 1 "$PROCESSES"); do
  sleep 3600 &
  SLEEPERS+=($!)
done
after=$(ls /proc | grep -c '^[0-9]')
more_ctx=$(rss_kib)
more_none=$(rss_kib --no-context)

printf "%-28s %10s %10s\n" "" "context" "no-context"
printf "%-28s %10s %10s\n" "$before processes" "$base_ctx" "$base_none"
printf "%-28s %10s %10s\n" "$after processes" "$more_ctx" "$more_none"
growth=$(( (more_ctx - base_ctx) - (more_none - base_none) ))
added=$(( after - before ))
echo "process table: $growth KiB for $added more processes" \
  "($(( growth * 1024 / (added > 0 ? added : 1) )) bytes each)"
