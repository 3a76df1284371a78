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
	VIGIL_EV_PROCESS_RENAME = 5, /* a thread's comm changed */
	VIGIL_EV_CGROUP_MKDIR = 6,   /* a cgroup v2 directory was created */
	VIGIL_EV_CGROUP_RMDIR = 7,   /* ... or removed */
	VIGIL_EV_SIGNAL = 8,	     /* a signal was delivered to a thread */
};

/* A signal event's siginfo: its first bytes hold every field shown. */
#define VIGIL_SIGINFO_BYTES 48

/* Bits of an exec event's exe flags. */
enum vigil_exe_flag {
	VIGIL_EXE_DELETED = 1 << 0, /* the binary has no name left on disk */
	VIGIL_EXE_MEMFD = 1 << 1,   /* the binary is a memfd: fileless */
	VIGIL_EXE_TRUNCATED = 1 << 2,
};

enum vigil_event_flag {
	/* The syscall was made through the i386 ABI; nr is an i386 number. */
	VIGIL_EVF_COMPAT = 1 << 0,
	/* The syscall does not return (exit, exit_group); ret is meaningless. */
	VIGIL_EVF_NO_RETURN = 1 << 1,
	/* The data area filled up: some captures were left out. */
	VIGIL_EVF_DATA_FULL = 1 << 2,
	/* Out of the user's scope or selection: sent only to keep userspace's
	 * process table and container cache current, not to be shown. */
	VIGIL_EVF_CONTEXT_ONLY = 1 << 3,
};

/* Bits of process_wanted[kind]: what a process or cgroup event is for. */
enum vigil_wanted {
	VIGIL_WANT_SHOWN = 1 << 0,   /* in scope, selected: an event to show */
	VIGIL_WANT_CONTEXT = 1 << 1, /* every one, for context */
};

/*
 * vigil_event - the header of every ring-buffer record. For a syscall,
 * args are the six raw argument registers at entry and ret the return
 * value at exit. For the other kinds the fields are reused; "ns pair"
 * is one namespace inode number in the low and one in the high 32 bits.
 *   fork:   the header is the parent's. args[0] child pid, args[1] child
 *           tid (a new thread when the pid is the parent's),
 *           args[2] child pid | child tid << 32, both as seen in the
 *           child's pid namespace, args[3] ns pair pid | mnt,
 *           args[4] ns pair net | uts, args[5] ns pair user | cgroup,
 *           all of the child
 *   exec:   the header is the task after the exec. args[0] pid before
 *           exec (differs when a thread execs), args[1] loginuid |
 *           vigil_exe_flag bits << 32, args[2] to args[5] as for fork.
 *           Items: arg 0 the filename exec was given, arg 1 the path of
 *           the executable as the kernel sees it ("/memfd:NAME" for a
 *           memfd), arg 2 the new command line (VIGIL_ITEM_ARGV)
 *   exit:   args[0] exit code as wait(2) reports it, args[1] 1 when the
 *           whole thread group is gone
 *   rename: args[0] pid, args[1] tid of the renamed thread (not always
 *           the current one); item arg 0 the new name
 *   cgroup: args[0] the cgroup id; item arg 0 the path below the v2 root
 *   signal: the header is the receiving thread's. args[0] the signal,
 *           args[1] its handler (0 default action, 1 ignored, else the
 *           handler's address), args[2] the handler's sa_flags; item
 *           arg 0 the siginfo's first VIGIL_SIGINFO_BYTES bytes
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
	VIGIL_ITEM_BYTES = 1 << 2,     /* raw bytes */
	VIGIL_ITEM_AT_EXIT = 1 << 3,   /* read at exit */
	VIGIL_ITEM_COUNT = 1 << 6,     /* a u32 count of array entries */
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
 * Capture plan: for each syscall slot, what to read behind each argument
 * and when. Userspace derives it from its syscall table at start-up.
 */
enum vigil_capture_kind {
	VIGIL_CAP_NONE = 0,
	VIGIL_CAP_STRING = 1,	  /* at entry: a NUL-terminated user string */
	VIGIL_CAP_ARGV = 2,	  /* at entry: a NULL-terminated string array */
	VIGIL_CAP_BYTES = 3,	  /* at entry: bytes, see len */
	VIGIL_CAP_BYTES_EXIT = 4, /* at exit, if ret >= 0: bytes, see len */
	VIGIL_CAP_COUNT = 5,	  /* at entry: entries of a pointer array */
	VIGIL_CAP_DIRENTS = 6,	  /* at exit: records in a getdents64 buffer */
};

/* Bound of VIGIL_CAP_COUNT; a longer array is marked truncated. */
#define VIGIL_COUNT_MAX 256
/* Bound of VIGIL_CAP_DIRENTS, as many as a 256 KiB buffer can hold. */
#define VIGIL_DIRENTS_MAX 16384

/* Where the byte count of a VIGIL_CAP_BYTES* capture comes from. */
enum vigil_len_source {
	VIGIL_LEN_FIXED = 0,	  /* size */
	VIGIL_LEN_ARG0 = 1,	  /* + i: the value of argument i */
	VIGIL_LEN_RET = 7,	  /* the return value */
	VIGIL_LEN_DEREF_ARG0 = 8, /* + i: the u32 argument i points at */
};

/* vigil_capture - one argument's capture; size bounds every length. */
struct vigil_capture {
	__u8 kind;
	__u8 len;
	__u16 size;
};

struct vigil_plan {
	struct vigil_capture arg[6];
	__u32 flags; /* enum vigil_plan_flag */
	__u32 reserved;
};

enum vigil_plan_flag {
	VIGIL_PLAN_NO_RETURN = 1 << 0,
	/* Decide the scope at exit: execve takes the new image's identity. */
	VIGIL_PLAN_SCOPE_AT_EXIT = 1 << 1,
	/* The syscall can change what the filters match on (its name, its
	 * uid): its exit must not be skipped on a fresh scope check. */
	VIGIL_PLAN_CHANGES_IDENTITY = 1 << 2,
	/* Some capture happens at exit. */
	VIGIL_PLAN_AT_EXIT = 1 << 3,
	/* Some capture happens at entry. */
	VIGIL_PLAN_AT_ENTRY = 1 << 4,
	/* A fork call: the new task returns from it too, with 0. */
	VIGIL_PLAN_CHILD_RETURNS = 1 << 5,
	/* Ends a signal handler: at its exit the registers are the restored
	 * context's, orig_ax (the syscall number) -1 included. */
	VIGIL_PLAN_SIGRETURN = 1 << 6,
};

/* Per-syscall totals for summaries, one row per slot and CPU. */
struct vigil_summary {
	__u64 calls;
	__u64 errors;
	__u64 ns;
};

/* Up to this many --comm values are compared in place, past it hashed. */
#define VIGIL_COMM_FAST 8

/* Scope filters in force, a bit each; values of one filter are alternatives. */
enum vigil_filter {
	VIGIL_FILTER_COMM = 1 << 0,
	VIGIL_FILTER_PID = 1 << 1,
	VIGIL_FILTER_UID = 1 << 2,
	VIGIL_FILTER_FOLLOW = 1 << 3,
	VIGIL_FILTER_COMM_FAST = 1 << 4,
	VIGIL_FILTER_PID_NEW = 1 << 5, /* --pid new: started after vigil */
	VIGIL_FILTER_MNTNS = 1 << 6,
	VIGIL_FILTER_PIDNS = 1 << 7,
	VIGIL_FILTER_EXE = 1 << 8,
	VIGIL_FILTER_CONTAINER = 1 << 9, /* container_mode says which */
};

/* The longest path --exe compares, NUL included. */
#define VIGIL_EXE_KEY_LEN 256

/* Bits of a cgroup's entry in the container_cgroups map. */
enum vigil_cgroup_state {
	VIGIL_CGROUP_CONTAINER = 1 << 0, /* a container's cgroup, or below one */
	VIGIL_CGROUP_NEW = 1 << 1,	 /* created after vigil started */
	VIGIL_CGROUP_SELECTED = 1 << 2,	 /* of a container --container named */
	VIGIL_CGROUP_PENDING = 1 << 3,	 /* new, not classified by userspace yet */
};

/* Bits of container_mode: the --container values, alternatives. */
enum vigil_container_mode {
	VIGIL_CONTAINER_ANY = 1 << 0,	   /* --container */
	VIGIL_CONTAINER_NEW = 1 << 1,	   /* --container new */
	VIGIL_CONTAINER_SELECTED = 1 << 2, /* --container ID|NAME */
	VIGIL_CONTAINER_NONE = 1 << 3,	   /* --no-container */
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
