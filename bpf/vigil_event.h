/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * vigil_event.h - every struct and constant that crosses from the BPF
 * programs to userspace. Compiled by clang for the BPF target and by the
 * C++ side, which checks each size and offset with static_assert.
 */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define VIGIL_COMM_LEN 16

/* Bounds of the variable data that follows an event header, in bytes. */
#define VIGIL_DATA_MAX 8192
#define VIGIL_STR_MAX 4096
#define VIGIL_ARGV_MAX 64

/*
 * Syscall numbers index a table of 2 * VIGIL_NR_MAX entries: the x86_64
 * numbers first, then the i386 numbers of 32-bit (compat) tasks.
 */
#define VIGIL_NR_MAX 512
#define VIGIL_NR_SLOTS (2 * VIGIL_NR_MAX)

#define VIGIL_MAX_CPUS 256

enum vigil_event_kind {
	VIGIL_EV_SYSCALL = 1,
	VIGIL_EV_PROCESS_FORK = 2,
	VIGIL_EV_PROCESS_EXEC = 3,
	VIGIL_EV_PROCESS_EXIT = 4,
};

enum vigil_event_flag {
	/* The syscall was made through the i386 ABI; nr is an i386 number. */
	VIGIL_EVF_COMPAT = 1 << 0,
	/* The syscall does not return (exit, exit_group); ret is meaningless. */
	VIGIL_EVF_NO_RETURN = 1 << 1,
	/* The data area filled up: some captures were left out. */
	VIGIL_EVF_DATA_FULL = 1 << 2,
};

/*
 * vigil_event - the header of every ring-buffer record. For a syscall,
 * args are the six raw argument registers at entry and ret the return
 * value at exit. For process events the fields are reused:
 *   fork: args[0] child pid, args[1] child tid, comm of the parent
 *   exec: args[0] pid before exec (differs when a thread execs), data
 *         holds the filename
 *   exit: args[0] exit code as wait(2) reports it, args[1] 1 when the
 *         whole thread group is gone
 * data_len bytes of vigil_item records follow the header.
 */
struct vigil_event {
	__u64 ts_ns;	/* CLOCK_MONOTONIC, at exit (or at entry if no return) */
	__u64 enter_ns; /* CLOCK_MONOTONIC at syscall entry; 0 otherwise */
	__u64 cgroup_id;
	__u64 args[6];
	__s64 ret;
	__u32 pid; /* thread group id, as the host sees it */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 pidns; /* inode number of the pid namespace */
	__u32 mntns; /* inode number of the mount namespace */
	__u32 cpu;
	__u32 nr;
	__u16 kind;
	__u16 flags;
	__u16 data_len;
	__u16 nitems;
	__u32 reserved;
	char comm[VIGIL_COMM_LEN];
};

enum vigil_item_flag {
	VIGIL_ITEM_STRING = 1 << 0,    /* NUL-terminated string */
	VIGIL_ITEM_ARGV = 1 << 1,      /* NUL-separated strings */
	VIGIL_ITEM_TRUNCATED = 1 << 4, /* the bound cut it short */
	VIGIL_ITEM_FAULT = 1 << 5,     /* the user memory could not be read */
};

/* vigil_item - one captured argument, followed by len bytes. */
struct vigil_item {
	__u16 len;
	__u8 arg; /* argument index, 0-5 */
	__u8 flags;
};

/*
 * Capture plan: one 64-bit word per syscall slot. Bits 8*i .. 8*i+7 say
 * what to read behind argument i; the top bits are per-syscall flags.
 */
enum vigil_capture_kind {
	VIGIL_CAP_NONE = 0,
	VIGIL_CAP_STRING = 1, /* a user string (path, name) */
	VIGIL_CAP_ARGV = 2,   /* a NULL-terminated array of user strings */
};

#define VIGIL_PLAN_ARG_BITS 8
#define VIGIL_PLAN_NO_RETURN (1ULL << 56)
/* Decide the scope at exit: execve takes the identity of the new image. */
#define VIGIL_PLAN_SCOPE_AT_EXIT (1ULL << 57)
/* The syscall can change what the filters match on (its name, its uid):
 * its exit must not be skipped on a fresh scope check. */
#define VIGIL_PLAN_CHANGES_IDENTITY (1ULL << 58)

/* Up to this many --comm values are compared in place, past it hashed. */
#define VIGIL_COMM_FAST 8

/* Scope filters in force, a bit each; values of one filter are alternatives. */
enum vigil_filter {
	VIGIL_FILTER_COMM = 1 << 0,
	VIGIL_FILTER_PID = 1 << 1,
	VIGIL_FILTER_UID = 1 << 2,
	VIGIL_FILTER_FOLLOW = 1 << 3,
	VIGIL_FILTER_COMM_FAST = 1 << 4,
};

/* Kernel-side counters, one row per CPU. */
enum vigil_stat {
	VIGIL_STAT_SUBMITTED = 0, /* records written to the ring buffer */
	VIGIL_STAT_RINGBUF_FULL,  /* records lost: no room in the ring */
	VIGIL_STAT_STORAGE_FAIL,  /* syscalls lost: no task storage */
	VIGIL_STAT_READ_FAULT,	  /* user reads that failed */
	VIGIL_STAT_FOLLOW_FULL,	  /* descendants not followed: map full */
	VIGIL_STAT_NR,
};

#define VIGIL_STAT_STRIDE 8 /* u64s per CPU row: one cache line */

#endif /* VIGIL_EVENT_H */
