#!/usr/bin/env bash
# run.sh - vigil's overhead and throughput benchmark.
#
# Measures what tracing costs a process that makes syscalls, as ratios to
# the same process untraced, for: an empty BPF program on the same hooks
# (the floor for any BPF tracer), vigil with the process out of scope,
# vigil emitting every syscall as JSON, strace -f -c and a bpftrace count.
# Also runs the rules engine's own benchmark (rules_bench.cpp: events per
# second on one core through 25 rules). Then paces getppid at rising rates under vigil to find the highest rate
# it keeps up with without losing an event. Last, times whole commands (dd
# with one-byte blocks, a fork/exec loop) under strace -c -f, vigil trace
# -c -f and vigil trace -f, start-up included. docs/performance.md
# explains the method and records one run.
#
# Needs root, gcc, clang with the BPF target, libbpf, strace, bpftrace and
# taskset. Installs nothing: the helpers are built in a temporary folder.
#
# Usage: bench/run.sh [--vigil PATH] [--markdown FILE] [options]; see usage().

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$REPO/bench"

VIGIL="$REPO/build/userspace/vigil"
MARKDOWN=""
RUNS=5
GETPPID_N=5000000
OPEN_N=1000000
# strace stops the process twice per syscall; a full-size run would take
# minutes, and the per-call cost does not depend on the count.
STRACE_DIVISOR=20
RATES="200000 400000 600000 800000 1000000 1200000 1400000 1600000 1800000 2000000"
RATE_SECONDS=3
# The workload gets a core of its own so the tracers' user-space side runs
# on the other one, as it would on a machine that is not saturated.
WORKLOAD_CPU=1
OPEN_FILE=/etc/hostname
READY_TIMEOUT=30
# vigil trace's commands: dd makes two syscalls per block, the loop one
# fork and one exec per iteration.
TRACE_DD_COUNT=1000000
TRACE_LOOP_N=300
# Against strace's ratios, in the tens, run-to-run noise changes nothing.
TRACE_STRACE_RUNS=3

usage() {
  cat <<EOF
Usage: bench/run.sh [options]
  --vigil PATH          vigil binary (default: build/userspace/vigil)
  --markdown FILE       also write the results as a Markdown section
  --runs N              runs per configuration, best is kept (default $RUNS)
  --getppid N           getppid loop iterations (default $GETPPID_N)
  --open N              open/close loop iterations (default $OPEN_N)
  --strace-divisor N    strace runs 1/N of the iterations (default $STRACE_DIVISOR)
  --rates "R1 R2 ..."   paced getppid rates in events/s (default: 200k to 2M)
  --rate-seconds S      length of each paced run (default $RATE_SECONDS)
  --cpu N               CPU the workload is pinned to (default $WORKLOAD_CPU)
  --no-paced            skip the paced-rate test
  --trace-dd N          dd blocks of 1 byte under vigil trace (default $TRACE_DD_COUNT)
  --trace-loop N        /bin/true runs of the fork/exec loop (default $TRACE_LOOP_N)
  --trace-strace-runs N runs of each command under strace (default $TRACE_STRACE_RUNS)
  --no-trace            skip the vigil trace commands
  --trace-only          only the vigil trace commands (and the rules engine)
  --context             run bench/context.sh instead: the per-event cost
                        and the memory of process and container context
  --rules-bench PATH    the rules engine benchmark (default:
                        build/bench/vigil_rules_bench)
  --rules-only          run only the rules engine benchmark (no root needed)
EOF
}

PACED=1
TRACE=1
LOOPS=1
RULES_BENCH="$REPO/build/bench/vigil_rules_bench"
RULES_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --vigil) VIGIL=$2; shift 2 ;;
    --markdown) MARKDOWN=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --getppid) GETPPID_N=$2; shift 2 ;;
    --open) OPEN_N=$2; shift 2 ;;
    --strace-divisor) STRACE_DIVISOR=$2; shift 2 ;;
    --rates) RATES=$2; shift 2 ;;
    --rate-seconds) RATE_SECONDS=$2; shift 2 ;;
    --cpu) WORKLOAD_CPU=$2; shift 2 ;;
    --no-paced) PACED=0; shift ;;
    --trace-dd) TRACE_DD_COUNT=$2; shift 2 ;;
    --trace-loop) TRACE_LOOP_N=$2; shift 2 ;;
    --trace-strace-runs) TRACE_STRACE_RUNS=$2; shift 2 ;;
    --no-trace) TRACE=0; shift ;;
    --trace-only) LOOPS=0; PACED=0; shift ;;
    --context) exec "$BENCH/context.sh" --vigil "$VIGIL" ;;
    --rules-bench) RULES_BENCH=$2; shift 2 ;;
    --rules-only) RULES_ONLY=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

die() { echo "bench: error: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# rules_bench - the engine alone, on synthetic events: no BPF, no root.
rules_bench() {
  [[ -x $RULES_BENCH ]] ||
    die "no rules benchmark at $RULES_BENCH (cmake --build build --target vigil_rules_bench)"
  note "rules engine, one core:"
  "$RULES_BENCH" "$BENCH/rules_bench.yaml"
}

if ((RULES_ONLY)); then
  rules_bench
  exit 0
fi

[[ $EUID -eq 0 ]] || die "must run as root (BPF programs and strace)"
[[ -x $VIGIL ]] || die "no vigil binary at $VIGIL (build it, or pass --vigil)"
for tool in gcc clang strace bpftrace taskset; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ -r $OPEN_FILE ]] || die "$OPEN_FILE is not readable"

WORK=$(mktemp -d /tmp/vigil-bench.XXXXXX)
TRACER_PID=""

BPF_STATS_WAS=""

cleanup() {
  if [[ -n $TRACER_PID ]]; then
    kill -INT "$TRACER_PID" 2>/dev/null || true
    wait "$TRACER_PID" 2>/dev/null || true
  fi
  if [[ -n $BPF_STATS_WAS ]]; then
    sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_WAS" || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The workload's file name is its comm, which is what vigil and bpftrace
# filter on; it must be unique on the machine and under 16 characters.
WORKLOAD="$WORK/benchload"
COMM=benchload

build_helpers() {
  gcc -O2 -Wall -Wextra -o "$WORKLOAD" "$BENCH/workload.c" ||
    die "cannot build workload.c"
  clang -target bpf -O2 -g -D__TARGET_ARCH_x86 -I"$REPO/bpf" \
    -c "$BENCH/empty_probe.bpf.c" -o "$WORK/empty_probe.bpf.o" ||
    die "cannot build empty_probe.bpf.c"
  gcc -O2 -Wall -Wextra -o "$WORK/empty_probe" "$BENCH/empty_probe.c" -lbpf ||
    die "cannot build empty_probe.c"
}

# start_tracer NAME PATTERN CMD... - starts CMD in the background and
# waits until PATTERN shows in its output: measuring before the probes are
# attached would time an untraced run.
start_tracer() {
  local name=$1 pattern=$2
  shift 2
  # Emptied here, not by the redirection below: that one runs in the child,
  # and a pattern left from an earlier start would pass the wait at once.
  : >"$WORK/$name.out"
  : >"$WORK/$name.err"
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  TRACER_PID=$!
  local waited=0
  until grep -qs -- "$pattern" "$WORK/$name.out" "$WORK/$name.err"; do
    if ! kill -0 "$TRACER_PID" 2>/dev/null; then
      cat "$WORK/$name.err" >&2
      die "$name exited before it was ready"
    fi
    ((waited++ < READY_TIMEOUT * 10)) || die "$name not ready after ${READY_TIMEOUT}s"
    sleep 0.1
  done
}

# stop_tracer - SIGINT, which every tracer here treats as "finish up":
# vigil drains its ring and prints its summary, bpftrace prints its maps.
# bpftrace 0.17 once sat through a SIGINT here, so it is repeated
# every 2 s, and after 30 s the tracer is killed.
stop_tracer() {
  local pid=$TRACER_PID state tries=0
  kill -INT "$pid" 2>/dev/null || true
  while read -r _ _ state _ 2>/dev/null <"/proc/$pid/stat" && [[ $state != Z ]]; do
    sleep 0.1
    ((++tries % 20)) || kill -INT "$pid" 2>/dev/null || true
    if ((tries == 300)); then
      note "warning: tracer $pid ignored SIGINT for 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait "$pid" || true
  TRACER_PID=""
}

# vigil_summary NAME - "seen emitted lost" from vigil's last summary line.
vigil_summary() {
  sed -nE 's/.* ([0-9]+) events seen, ([0-9]+) emitted, ([0-9]+) lost.*/\1 \2 \3/p' \
    "$WORK/$1.err" | tail -n 1
}

# time_workload [PREFIX...] -- ARGS... - runs the workload RUNS times,
# behind the optional command PREFIX (strace), and prints "calls best_ns
# total_ns": the best run is the one least disturbed by the rest of the
# machine, the total is what rates over all runs are computed from.
time_workload() {
  local prefix=()
  while [[ $1 != -- ]]; do prefix+=("$1"); shift; done
  shift
  local best="" total=0 calls ns i
  for ((i = 0; i < RUNS; i++)); do
    read -r calls ns < <("${prefix[@]}" taskset -c "$WORKLOAD_CPU" "$WORKLOAD" "$@") || true
    [[ -n $ns ]] || die "workload $* printed no timing"
    total=$((total + ns))
    if [[ -z $best || $ns -lt $best ]]; then best=$ns; fi
  done
  echo "$calls $best $total"
}

# Results, one line per measurement, rendered by report() at the end:
#   overhead WORKLOAD CONFIG CALLS BEST_NS TOTAL_NS EMITTED LOST
#   paced RATE CALLS ELAPSED_NS SEEN EMITTED LOST
#   trace COMMAND CONFIG RUNS BEST_NS TOTAL_NS
#   tracecheck COMMAND CONFIG KEY_CALLS TOTAL LOST
RESULTS="$WORK/results"
: >"$RESULTS"

record() { echo "$*" >>"$RESULTS"; }

# measure WORKLOAD_NAME ARGS... - every configuration against one loop.
measure() {
  local wl=$1
  shift
  local r
  note "$wl: untraced"
  r=$(time_workload -- "$@")
  record overhead "$wl" untraced $r - -

  note "$wl: empty BPF program"
  start_tracer empty "attached" "$WORK/empty_probe" "$WORK/empty_probe.bpf.o"
  r=$(time_workload -- "$@")
  stop_tracer
  record overhead "$wl" empty $r - -

  note "$wl: vigil, out of scope"
  start_tracer vigil_oos "vigil: info: tracing" \
    "$VIGIL" --comm nosuchprogram -o /dev/null
  r=$(time_workload -- "$@")
  stop_tracer
  record overhead "$wl" vigil_oos $r - -

  note "$wl: vigil, JSON to /dev/null"
  start_tracer vigil_json "vigil: info: tracing" \
    "$VIGIL" --comm "$COMM" -o /dev/null
  r=$(time_workload -- "$@")
  stop_tracer
  local seen emitted lost
  read -r seen emitted lost < <(vigil_summary vigil_json) || true
  record overhead "$wl" vigil_json $r "${emitted:--}" "${lost:--}"

  note "$wl: bpftrace count"
  start_tracer bpftrace "Attaching" bpftrace -e \
    "tracepoint:raw_syscalls:sys_enter /comm == \"$COMM\"/ { @[args->id] = count(); }"
  r=$(time_workload -- "$@")
  stop_tracer
  record overhead "$wl" bpftrace $r - -

  note "$wl: strace -f -c"
  local args=("$@")
  args[1]=$((args[1] / STRACE_DIVISOR))
  r=$(time_workload strace -f -c -o "$WORK/strace.txt" -- "${args[@]}")
  record overhead "$wl" strace $r - -
}

# paced_test - one fresh vigil per rate, so each rate's losses are its own.
# Stops early once the workload cannot reach the rate (a traced getppid
# then costs more than 1/rate) or two rates in a row lose events.
paced_test() {
  local rate calls ns seen emitted lost lossy=0
  for rate in $RATES; do
    note "paced: $rate events/s for ${RATE_SECONDS}s under vigil"
    start_tracer vigil_paced "vigil: info: tracing" \
      "$VIGIL" --comm "$COMM" -o /dev/null
    read -r calls ns < <(taskset -c "$WORKLOAD_CPU" "$WORKLOAD" paced "$rate" "$RATE_SECONDS")
    stop_tracer
    read -r seen emitted lost < <(vigil_summary vigil_paced) || true
    [[ -n $lost ]] || die "vigil printed no summary at rate $rate"
    record paced "$rate" "$calls" "$ns" "$seen" "$emitted" "$lost"

    if ((lost > 0)); then ((++lossy)); else lossy=0; fi
    ((lossy < 2)) || break
    # achieved below 97% of the target: the workload itself is saturated
    ((calls * 1000000000 / ns * 100 >= rate * 97)) || break
  done
}

# time_command RUNS [PREFIX...] -- CMD... - runs the whole command RUNS
# times, behind the optional tracer PREFIX, with only the command pinned,
# and prints "best_ns total_ns" of its wall clock. Unlike time_workload,
# the tracer's start-up, attach, drain and exit are in the number: they
# are what someone waiting on `vigil trace make` waits for. The clock is
# bash's own EPOCHREALTIME (microseconds): reading it forks nothing.
time_command() {
  local runs=$1
  shift
  local prefix=()
  while [[ $1 != -- ]]; do prefix+=("$1"); shift; done
  shift
  local best="" total=0 start end ns i
  for ((i = 0; i < runs; i++)); do
    start=${EPOCHREALTIME/[.,]/}
    if ! "${prefix[@]}" taskset -c "$WORKLOAD_CPU" "$@" \
      >/dev/null 2>"$WORK/command.err"; then
      cat "$WORK/command.err" >&2
      die "$* failed under '${prefix[*]:-no tracer}'"
    fi
    end=${EPOCHREALTIME/[.,]/}
    ns=$(((10#$end - 10#$start) * 1000))
    total=$((total + ns))
    if [[ -z $best || $ns -lt $best ]]; then best=$ns; fi
  done
  echo "$best $total"
}

# summary_calls FILE SYSCALL - the calls column of one row (or "total") of
# a strace -c style table. Read by position: the errors column is blank
# when there were none, so counting fields would misread it.
summary_calls() {
  awk -v name="$2" '$NF == name { n = substr($0, 32, 9) + 0 } END { print n + 0 }' "$1"
}

# trace_check NAME CONFIG KEY CMD... - one more run of a vigil trace
# configuration, untimed, with its output and log kept: a tracer that
# traced nothing would look fast. Records how many KEY syscalls it saw,
# all syscalls (-c) or lines (full trace), and what it reported lost.
trace_check() {
  local name=$1 config=$2 key=$3
  shift 3
  local out="$WORK/trace_check.out" flags=(-f) keys total lost
  [[ $config == vigil_c ]] && flags=(-c -f)
  "$VIGIL" trace "${flags[@]}" --log-level info -o "$out" -- \
    taskset -c "$WORKLOAD_CPU" "$@" >/dev/null 2>"$WORK/trace_check.err" ||
    die "vigil trace ${flags[*]} -- $* failed"
  if [[ $config == vigil_c ]]; then
    keys=$(summary_calls "$out" "$key")
    total=$(summary_calls "$out" total)
  else
    # -f -o FILE starts each line with the pid in a column, as strace.
    keys=$(grep -cE "^([0-9]+ +)?$key\(" "$out" || true)
    total=$(wc -l <"$out")
  fi
  # vigil trace logs its totals only when something was lost.
  lost=$(sed -nE 's/.* ([0-9]+) lost.*/\1/p' "$WORK/trace_check.err" | tail -n 1)
  record tracecheck "$name" "$config" "$keys" "$total" "${lost:-0}"
  rm -f "$out"
}

# trace_strace NAME CMD... - strace -c -f on CMD, and CMD untraced as its
# baseline, for a command that trace_one runs larger.
trace_strace() {
  local name=$1
  shift
  local r
  note "trace $name: untraced, strace's size"
  r=$(time_command "$RUNS" -- "$@")
  record trace "$name" strace_base "$RUNS" $r
  note "trace $name: strace -c -f ($TRACE_STRACE_RUNS runs)"
  r=$(time_command "$TRACE_STRACE_RUNS" strace -c -f -o /dev/null -- "$@")
  record trace "$name" strace "$TRACE_STRACE_RUNS" $r
}

# trace_one NAME KEY STRACE CMD... - one command in every configuration
# (strace only if STRACE is 1), then the vigil checks. /bin/true alone is
# measured first by trace_test: the start-up each configuration adds to
# any command.
trace_one() {
  local name=$1 key=$2 with_strace=$3
  shift 3
  local r
  note "trace $name: untraced"
  r=$(time_command "$RUNS" -- "$@")
  record trace "$name" untraced "$RUNS" $r
  if ((with_strace)); then
    note "trace $name: strace -c -f ($TRACE_STRACE_RUNS runs)"
    r=$(time_command "$TRACE_STRACE_RUNS" strace -c -f -o /dev/null -- "$@")
    record trace "$name" strace "$TRACE_STRACE_RUNS" $r
  fi
  # The floor: nothing but an empty program on the two syscall hooks,
  # which sends every syscall through the kernel's slower path.
  note "trace $name: empty BPF program"
  start_tracer empty "attached" "$WORK/empty_probe" "$WORK/empty_probe.bpf.o"
  r=$(time_command "$RUNS" -- "$@")
  stop_tracer
  record trace "$name" empty "$RUNS" $r
  note "trace $name: vigil trace -c -f"
  r=$(time_command "$RUNS" "$VIGIL" trace -c -f -o /dev/null -- "$@")
  record trace "$name" vigil_c "$RUNS" $r
  note "trace $name: vigil trace -f"
  r=$(time_command "$RUNS" "$VIGIL" trace -f -o /dev/null -- "$@")
  record trace "$name" vigil_full "$RUNS" $r

  [[ -z $key ]] && return 0
  note "trace $name: checking what vigil trace saw"
  trace_check "$name" vigil_c "$key" "$@"
  trace_check "$name" vigil_full "$key" "$@"
}

# trace_test - /bin/true, dd and the fork/exec loop. strace stops dd twice
# per block, which took 1 to 6 minutes a run here depending on the host's
# steal time, so it traces 1/STRACE_DIVISOR of the blocks, timed against
# dd of that size untraced; the loop it traces whole.
trace_test() {
  local dd=(dd if=/dev/zero of=/dev/null bs=1)
  trace_one startup "" 1 /bin/true
  trace_one dd read 0 "${dd[@]}" count="$TRACE_DD_COUNT"
  trace_strace dd "${dd[@]}" count=$((TRACE_DD_COUNT / STRACE_DIVISOR))
  trace_one forkexec execve 1 sh -c \
    "i=0; while [ \$i -lt $TRACE_LOOP_N ]; do /bin/true; i=\$((i+1)); done"
}

machine() {
  echo "kernel $(uname -r), $(nproc) CPUs," \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
}

# report FORMAT - the results as a plain table (text) or Markdown (md).
report() {
  local fmt=$1
  awk -v fmt="$fmt" -v runs="$RUNS" -v gn="$GETPPID_N" -v on="$OPEN_N" \
    -v div="$STRACE_DIVISOR" -v secs="$RATE_SECONDS" -v comm="$COMM" '
    function row(a, b, c, d, e, f, g) {
      if (fmt == "md")
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", a, b, c, d, e, f, g
      else
        printf "  %-30s %10s %9s %10s %8s %12s %8s\n", a, b, c, d, e, f, g
    }
    function head(a, b, c, d, e, f, g) {
      row(a, b, c, d, e, f, g)
      if (fmt == "md") print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    }
    function title(t) {
      if (fmt == "md") printf "\n#### %s\n\n", t
      else printf "\n%s\n", t
    }
    function prow(a, b, c, d, e, f, g) {
      if (fmt == "md") printf "| %s | %s | %s | %s | %s | %s | %s |\n", a, b, c, d, e, f, g
      else printf "  %-10s %11s %10s %10s %9s %8s %8s\n", a, b, c, d, e, f, g
    }
    BEGIN {
      label["untraced"] = "untraced"
      label["empty"] = "empty BPF program"
      label["vigil_oos"] = "vigil, out of scope"
      label["vigil_json"] = "vigil, JSON to /dev/null"
      label["bpftrace"] = "bpftrace count"
      label["strace"] = "strace -f -c"
      norder = split("untraced empty vigil_oos vigil_json bpftrace strace", order)
      desc["getppid"] = sprintf("getppid loop: %d syscall(SYS_getppid)", gn)
      desc["openclose"] = sprintf("open/close loop: %d open + close of one file", on)
    }
    $1 == "overhead" {
      w = $2; c = $3
      calls[w, c] = $4; best[w, c] = $5; total[w, c] = $6
      emitted[w, c] = $7; lost[w, c] = $8
      percall[w, c] = $5 / $4
      seenw[w] = 1
    }
    $1 == "paced" { np++; prate[np] = $2; pcalls[np] = $3; pns[np] = $4
      pemitted[np] = $6; plost[np] = $7 }
    END {
      nw = split("getppid openclose", wls)
      for (k = 1; k <= nw; k++) {
        w = wls[k]
        if (!(w in seenw)) continue
        title(sprintf("%s, best of %d runs (strace: 1/%d of the calls)", desc[w], runs, div))
        head("configuration", "best (s)", "ns/call", "added ns", "ratio", "events/s", "lost")
        base = percall[w, "untraced"]
        for (i = 1; i <= norder; i++) {
          c = order[i]
          if (!((w, c) in best)) continue
          added = percall[w, c] - base
          rate = "-"; l = "-"
          if (emitted[w, c] != "-") {
            rate = sprintf("%.0f", emitted[w, c] / (total[w, c] / 1e9))
            l = lost[w, c]
          }
          row(label[c], sprintf("%.3f", best[w, c] / 1e9), sprintf("%.1f", percall[w, c]),
              c == "untraced" ? "-" : sprintf("%+.1f", added),
              sprintf("%.2fx", percall[w, c] / base), rate, l)
        }
        if ((w, "vigil_json") in best && emitted[w, "vigil_json"] != "-") {
          miss = calls[w, "vigil_json"] * runs - emitted[w, "vigil_json"] - lost[w, "vigil_json"]
          if (miss > 0) {
            m = sprintf("warning: vigil neither emitted nor counted as lost %d syscalls of the loop", miss)
            if (fmt == "md") printf "\n%s\n", m
            else printf "  %s\n", m
          }
        }
        e = percall[w, "empty"] - base
        o = percall[w, "vigil_oos"] - base
        keyline = sprintf("key ratio (vigil out of scope - untraced) / (empty program - untraced) = %.1f / %.1f = %.2f (target <= 1.5: %s)",
          o, e, e > 0 ? o / e : 0, (e > 0 && o / e <= 1.5) ? "met" : "missed")
        # A baseline slower than the empty program was disturbed: no
        # ratio can be read from it.
        if (e <= 0)
          keyline = sprintf("key ratio not measurable: the empty program added %.1f ns over the untraced loop, so the untraced runs were disturbed; run again", e)
        if (fmt == "md") printf "\n%s\n", keyline
        else printf "  %s\n", keyline
      }
      if (np == 0) exit
      title(sprintf("paced getppid under vigil (comm %s, JSON to /dev/null, default settings), %d s per rate", comm, secs))
      prow("target/s", "achieved/s", "getppid", "emitted", "lost", "loss %", "missing")
      if (fmt == "md") print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      bestrate = 0
      for (i = 1; i <= np; i++) {
        ach = pcalls[i] / (pns[i] / 1e9)
        # emitted also holds the pacing sleeps and start-up syscalls, so
        # "missing" (getppid calls neither emitted nor counted lost) is a
        # lower bound; anything above 0 is a silent loss.
        miss = pcalls[i] - pemitted[i] - plost[i]
        prow(prate[i], sprintf("%.0f", ach), pcalls[i], pemitted[i], plost[i],
             sprintf("%.2f", 100 * plost[i] / (pemitted[i] + plost[i])),
             miss > 0 ? miss : 0)
        # A rate counts once it was held with nothing lost; 1% of slack
        # allows for the last batch, which is issued at the deadline.
        if (plost[i] == 0 && miss <= 0 && ach >= 0.99 * prate[i] && prate[i] > bestrate) {
          bestrate = prate[i]; bestach = ach
        }
      }
      if (bestrate == 0)
        s = "no rate was held without loss (target >= 1000000 events/s: missed)"
      else
        s = sprintf("highest rate held with zero loss: %d events/s (achieved %.0f; target >= 1000000: %s)",
                    bestrate, bestach, bestrate >= 1000000 ? "met" : "missed")
      if (fmt == "md") printf "\n%s\n", s
      else printf "  %s\n", s
    }' "$RESULTS"
}

# report_trace FORMAT - the vigil trace commands, as report() does.
report_trace() {
  local fmt=$1
  awk -v fmt="$fmt" -v dd="$TRACE_DD_COUNT" -v loop="$TRACE_LOOP_N" \
    -v div="$STRACE_DIVISOR" '
    function row(a, b, c, d, e, f, g) {
      if (fmt == "md")
        printf "| %s | %s | %s | %s | %s | %s | %s |\n", a, b, c, d, e, f, g
      else
        printf "  %-34s %9s %9s %8s %13s %10s %6s\n", a, b, c, d, e, f, g
    }
    function row3(a, b, c) {
      if (fmt == "md") printf "| %s | %s | %s |\n", a, b, c
      else printf "  %-34s %9s %9s\n", a, b, c
    }
    function title(t) {
      if (fmt == "md") printf "\n#### %s\n\n", t
      else printf "\n%s\n", t
    }
    function line(t) {
      if (fmt == "md") printf "\n%s\n", t
      else printf "  %s\n", t
    }
    # sbase - what configuration c is timed against: a strace run on a
    # smaller command has an untraced run of its own size.
    function sbase(c) {
      if (c == "strace" && (w, "strace_base") in best) return "strace_base"
      return "untraced"
    }
    function verdict(c, target) {
      r = best[w, c] / best[w, sbase(c)]
      return sprintf("%s %.2fx (target <= %s: %s)", label[c], r, target,
                     r <= target ? "met" : "missed")
    }
    BEGIN {
      label["untraced"] = "untraced"
      label["strace"] = "strace -c -f"
      label["vigil_c"] = "vigil trace -c -f"
      label["vigil_full"] = "vigil trace -f"
      label["empty"] = "empty BPF program (the floor)"
      norder = split("untraced empty strace vigil_c vigil_full", order)
      desc["dd"] = sprintf("dd if=/dev/zero of=/dev/null bs=1 count=%d", dd)
      desc["forkexec"] = sprintf("sh loop running /bin/true %d times", loop)
      key["dd"] = "read"; key["forkexec"] = "execve"
    }
    $1 == "trace" {
      runs[$2, $3] = $4; best[$2, $3] = $5; seen[$2] = 1
    }
    $1 == "tracecheck" { keys[$2, $3] = $4; lost[$2, $3] = $6; checked[$2] = 1 }
    END {
      if (!("startup" in seen)) exit
      title(sprintf("start-up: /bin/true under each configuration, wall clock, best of %d runs (strace: %d)",
                    runs["startup", "untraced"], runs["startup", "strace"]))
      row3("configuration", "best (s)", "added (s)")
      if (fmt == "md") print "| --- | ---: | ---: |"
      for (i = 1; i <= norder; i++) {
        c = order[i]
        row3(label[c], sprintf("%.3f", best["startup", c] / 1e9),
             c == "untraced" ? "-" : sprintf("%+.3f", (best["startup", c] - best["startup", "untraced"]) / 1e9))
      }
      nw = split("dd forkexec", wls)
      for (k = 1; k <= nw; k++) {
        w = wls[k]
        if (!(w in seen)) continue
        title(sprintf("%s: wall clock of the whole command, best of %d runs (strace: %d)",
                      desc[w], runs[w, "untraced"], runs[w, "strace"]))
        row("configuration", "best (s)", "added (s)", "ratio", "less start-up",
            key[w] " seen", "lost")
        if (fmt == "md") print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (i = 1; i <= norder; i++) {
          c = order[i]
          if (c == "strace" && (w, "strace_base") in best) {
            row(sprintf("untraced, 1/%d of the blocks", div),
                sprintf("%.3f", best[w, "strace_base"] / 1e9), "-", "1.00x", "1.00x", "-", "-")
            lab = sprintf("strace -c -f, 1/%d of the blocks", div)
          } else {
            lab = label[c]
          }
          base = best[w, sbase(c)]
          net = base - best["startup", "untraced"]
          k2 = "-"; l = "-"
          if ((w, c) in keys) { k2 = keys[w, c]; l = lost[w, c] }
          row(lab, sprintf("%.3f", best[w, c] / 1e9),
              c == "untraced" ? "-" : sprintf("%+.3f", (best[w, c] - base) / 1e9),
              sprintf("%.2fx", best[w, c] / base),
              sprintf("%.2fx", (best[w, c] - best["startup", c]) / net), k2, l)
        }
        line(verdict("vigil_c", 1.5) "; " verdict("vigil_full", 3) \
             sprintf("; beside strace -c -f %.2fx", best[w, "strace"] / best[w, sbase("strace")]))
      }
    }' "$RESULTS"
}

main() {
  note "machine: $(machine)"
  note "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  if awk '{ exit !($1 >= 1.0) }' /proc/loadavg; then
    note "warning: the machine is busy; timings will be noisy"
  fi
  local load_before
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  # Any program on the syscall tracepoints puts every task on the slow
  # syscall path, so someone else's tracer would make "untraced" traced.
  local others=0
  if command -v bpftool >/dev/null; then
    others=$(bpftool link list 2>/dev/null | grep -cE 'raw_tracepoint|tracing' || true)
  fi
  ((others == 0)) || note "warning: $others BPF tracing links already attached; the untraced baseline is not untraced"
  # BPF run-time statistics read the clock twice around every program
  # run: off for the measurement, restored after it.
  local stats
  stats=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
  if [[ $stats != 0 ]]; then
    note "kernel.bpf_stats_enabled was $stats: turned off while measuring"
    BPF_STATS_WAS=$stats
    sysctl -qw kernel.bpf_stats_enabled=0
  fi

  build_helpers
  if ((LOOPS)); then
    measure getppid getppid "$GETPPID_N"
    measure openclose openclose "$OPEN_N" "$OPEN_FILE"
  fi
  ((PACED == 0)) || paced_test
  ((TRACE == 0)) || trace_test
  if [[ -x $RULES_BENCH ]]; then
    rules_bench
  else
    note "skipping the rules engine benchmark: no $RULES_BENCH"
  fi

  local load_after rev
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  rev=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$REPO" status --porcelain -- bpf userspace 2>/dev/null) ]]; then
    rev="$rev (with uncommitted changes)"
  fi

  echo "vigil benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), vigil $rev"
  echo "$(machine); workload pinned to CPU $WORKLOAD_CPU"
  echo "load average before: $load_before, after: $load_after;" \
    "other tracing BPF links at start: $others"
  report text
  report_trace text

  if [[ -n $MARKDOWN ]]; then
    {
      echo "### Results: $(date -u '+%Y-%m-%d'), vigil $rev"
      echo
      echo "$(machine); workload pinned to CPU $WORKLOAD_CPU;" \
        "load average before $load_before, after $load_after;" \
        "other tracing BPF links at start: $others."
      echo "Times are the workload's own loop, best of $RUNS runs;" \
        "\"added ns\" is the cost per syscall over the untraced loop." \
        "The vigil trace tables time whole commands, start-up included;" \
        "\"less start-up\" takes each configuration's /bin/true time off" \
        "both sides."
      report md
      report_trace md
    } >"$MARKDOWN"
    note "Markdown written to $MARKDOWN"
  fi
}

main
