/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * maps.h - every map and global of vigil's BPF programs. Each program is
 * compiled on its own and the objects are linked into one; __weak lets
 * every compilation unit see the same definitions and the linker keep one.
 */
#ifndef VIGIL_MAPS_H
#define VIGIL_MAPS_H

#include "vmlinux/vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "vigil_event.h"

/* Load-time settings, written by userspace before the programs load. */
const volatile __u32 string_max __weak = VIGIL_STR_MAX;
const volatile __u32 argv_max __weak = VIGIL_ARGV_MAX;
/* Bound of byte buffers whose length comes from an argument or ret. */
const volatile __u32 bytes_max __weak = VIGIL_STR_MAX;
/* Bytes waiting in the ring above which a record wakes the reader. */
const volatile __u64 wakeup_bytes __weak = 1 << 20;
/* vigil's own process, never traced: its writes would feed back. */
const volatile __u32 self_tgid __weak;
/* vigil trace's command, traced from its execve on: before it, its own
 * syscalls are vigil's code waiting for the go-ahead. */
const volatile __u32 gate_tgid __weak;

/* What a run traces, fixed before load so that the verifier skips the
 * code of every setting that is off. */
/* Per-syscall totals are kept (vigil trace -c), and events are not sent. */
const volatile __u8 keep_summary __weak;
const volatile __u8 summary_only __weak;
/* Only failed syscalls are emitted (vigil trace -e status=failed). */
const volatile __u8 failed_only __weak;
/* Syscall events carry their entry and exit times; off when nothing
 * shows them, which saves two clock reads per syscall. */
const volatile __u8 syscall_times __weak = 1;
/* Events carry the task's parent, ids, namespaces and cgroup; off when
 * nothing shows them (vigil trace's lines), which saves their pointer
 * walks at run time and at load. */
const volatile __u8 identity_wanted __weak = 1;
const volatile __u32 filter_mask __weak;    /* enum vigil_filter bits */
const volatile __u32 container_mode __weak; /* enum vigil_container_mode bits */
/* Indexed by enum vigil_event_kind: which process events are emitted. */
const volatile __u8 process_wanted[16] __weak;

/* Run-time settings, changed through the mmap-ed .bss. */
/* --pid new: thread groups whose leader started at or after this
 * CLOCK_MONOTONIC time. */
__u64 start_ns __weak;
/* Bumped by userspace whenever the scope changes while running, so that
 * a verdict cached per task is decided again. */
__u32 scope_gen __weak;
__u8 syscall_wanted[VIGIL_NR_SLOTS] __weak;
struct vigil_plan capture_plan[VIGIL_NR_SLOTS] __weak;
/* --comm values as two u64 words each, when there are few of them. */
__u64 comm_fast[VIGIL_COMM_FAST][2] __weak;
__u32 comm_fast_count __weak;

/* Counters, VIGIL_STAT_STRIDE u64s per CPU; see enum vigil_stat. */
__u64 stats[VIGIL_MAX_CPUS * VIGIL_STAT_STRIDE] __weak;

/* The event being built for a task between sys_enter and sys_exit. */
struct vigil_inflight {
	__u8 active;
	__u8 scope_at_exit;
	/* Arguments whose string could not be read at entry, one bit each:
	 * a page not yet faulted in is, after the syscall read it. */
	__u8 faulted;
	/* execve: the task matched the filters before the exec, under its
	 * old name; it is in scope if it matches before or after. */
	__u8 matched_at_entry;
	__u32 pidns; /* the task's pid namespace, once read */
	/* scope_gen + 1 when the task was found in scope under filters
	 * whose verdict lasts (scope__lasting); 0: decide at each syscall */
	__u32 in_scope_gen;
	/* The task's last signal handler got a frame with siginfo, which a
	 * 32-bit task leaves with rt_sigreturn, not sigreturn. */
	__u8 rt_frame;
	__u8 pad[3];
	__u64 busy; /* exit_scratch: a syscall exit is building in it */
	/* The state of a bpf_loop walk over user memory. Kept here, not on
	 * the stack, so that the verifier does not try every value. */
	__u64 walk_buf;
	__u64 walk_off;
	__u32 walk_n;
	__u8 walk_flags; /* vigil_item_flag bits the walk adds */
	__u8 walk_compat;
	__u8 walk_pad[2];
	struct vigil_event ev;
	/* room for one more bounded read past VIGIL_DATA_MAX keeps the
	 * verifier's view of every masked offset inside the buffer */
	__u8 data[VIGIL_DATA_MAX + VIGIL_STR_MAX + sizeof(struct vigil_item) + 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct vigil_inflight);
} inflight SEC(".maps") __weak;

/* A syscall being counted (vigil trace -c): no event, only the entry's
 * time. */
struct vigil_counting {
	__u64 enter_ns;
	__u32 slot;
	__u32 gen; /* like vigil_inflight's in_scope_gen */
	__u8 active;
	__u8 pad[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct vigil_counting);
} counting SEC(".maps") __weak;

/* Per-task state without a helper call, for most tasks: a slot chosen by
 * a hash of the task's address. vigil trace -c claims it with a
 * compare-and-swap for the syscall being counted; events built at exit
 * alone keep the scope's verdict in it. A task whose slot another task
 * holds mid-syscall uses its task storage instead. A task's slot is let
 * go when it exits, before its address can be reused. */
#define VIGIL_TASK_SLOT_BITS 14
#define VIGIL_TASK_SLOT_ACTIVE 1ULL /* in owner: the owner is in a syscall */

struct vigil_task_slot {
	__u64 owner; /* task_struct address, | VIGIL_TASK_SLOT_ACTIVE */
	__u64 enter_ns;
	__u32 slot;
	__u32 gen; /* like vigil_inflight's in_scope_gen */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	/* 1 when neither counting nor building at exit alone */
	__uint(max_entries, 1 << VIGIL_TASK_SLOT_BITS);
	__type(key, __u32);
	__type(value, struct vigil_task_slot);
} task_slots SEC(".maps") __weak;

/* Set once a task has counted in its storage: from then on an exit that
 * finds no slot of its own looks there too. */
__u8 count_in_storage __weak;

/* Scratch for process events, which run with preemption disabled. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_inflight);
} process_scratch SEC(".maps") __weak;

/* Scratch for syscall events built at exit alone (syscall_times off).
 * Claimed through busy: a hook preempted on this CPU keeps its own. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vigil_inflight);
} exit_scratch SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VIGIL_NR_SLOTS);
	__type(key, __u32);
	__type(value, struct vigil_summary);
} summary SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* resized by userspace before load */
} events SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, char[VIGIL_COMM_LEN]);
	__type(value, __u8);
} comm_filter SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} uid_filter SEC(".maps") __weak;

/* Thread groups admitted because an ancestor was in scope (--follow).
 * The large sets allocate entries as they come, not all at start-up. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} mntns_filter SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u8);
} pidns_filter SEC(".maps") __weak;

/* --exe: the paths, NUL-padded to the key length. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, char[VIGIL_EXE_KEY_LEN]);
	__type(value, __u8);
} exe_filter SEC(".maps") __weak;

/* Thread groups running one of the --exe paths: seeded by userspace from
 * /proc, kept by exec, fork and exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u8);
} exe_match SEC(".maps") __weak;

/* cgroup v2 id -> enum vigil_cgroup_state, for --container and
 * --no-container: filled by userspace, new cgroups marked at mkdir. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} container_cgroups SEC(".maps") __weak;

#endif /* VIGIL_MAPS_H */
