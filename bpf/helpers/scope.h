/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * scope.h - decides in the kernel whether a task is traced, so that an
 * out-of-scope syscall costs a few lookups and never reaches the ring.
 */
#ifndef VIGIL_HELPERS_SCOPE_H
#define VIGIL_HELPERS_SCOPE_H

#include "../maps.h"
#include "context.h"
#include "stats.h"

/* scope__compat - task, current, is in a 32-bit syscall (TS_COMPAT). */
static __always_inline bool scope__compat(struct task_struct *task)
{
	return task->thread_info.status & 0x0002;
}

/* scope__slot - the slot of syscall nr (below VIGIL_NR_MAX) in its ABI's
 * half of the tables. */
static __always_inline __u32 scope__slot(__u32 nr, bool compat)
{
	return (compat ? VIGIL_NR_MAX : 0) + nr;
}

static __always_inline const struct vigil_plan *scope__plan(__u32 slot)
{
	return &capture_plan[slot & (VIGIL_NR_SLOTS - 1)];
}

static __always_inline bool scope__syscall_wanted(__u32 slot)
{
	return syscall_wanted[slot & (VIGIL_NR_SLOTS - 1)];
}

/* scope__comm_listed - task's name is one of a few --comm values. Two
 * direct loads and compares each: no helper call, no hashing. */
static __always_inline bool scope__comm_listed(struct task_struct *task)
{
	__u64 lo = *(__u64 *)&task->comm[0];
	__u64 hi = *(__u64 *)&task->comm[8];
	__u32 n = comm_fast_count;

	for (__u32 i = 0; i < VIGIL_COMM_FAST; i++) {
		if (i >= n)
			break;
		if (comm_fast[i][0] == lo && comm_fast[i][1] == hi)
			return true;
	}
	return false;
}

/* scope__pid_listed - --pid: one of the pids, or new since vigil started. */
static __always_inline bool scope__pid_listed(struct task_struct *task, __u32 tgid, __u32 mask)
{
	if ((mask & VIGIL_FILTER_PID) && bpf_map_lookup_elem(&pid_filter, &tgid))
		return true;
	return (mask & VIGIL_FILTER_PID_NEW) && task->group_leader->start_time >= start_ns;
}

/* scope__container_matches - --container's values, or --no-container. */
static __always_inline bool scope__container_matches(struct task_struct *task)
{
	__u64 cgid = context__cgroup_id(task);
	__u8 *state = bpf_map_lookup_elem(&container_cgroups, &cgid);
	__u8 s = state ? *state : 0;
	__u32 mode = container_mode;

	if (mode & VIGIL_CONTAINER_NONE)
		return !(s & VIGIL_CGROUP_CONTAINER);
	if ((mode & VIGIL_CONTAINER_ANY) && (s & (VIGIL_CGROUP_CONTAINER | VIGIL_CGROUP_PENDING)))
		return true;
	if ((mode & VIGIL_CONTAINER_NEW) && (s & VIGIL_CGROUP_NEW))
		return true;
	return (mode & VIGIL_CONTAINER_SELECTED) && (s & VIGIL_CGROUP_SELECTED);
}

/* scope__namespaces_match - --mntns and --pidns. */
static __always_inline bool scope__namespaces_match(struct task_struct *task, __u32 mask)
{
	if (mask & VIGIL_FILTER_MNTNS) {
		__u32 mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);

		if (!bpf_map_lookup_elem(&mntns_filter, &mntns))
			return false;
	}
	if (mask & VIGIL_FILTER_PIDNS) {
		__u32 pidns = context__pidns(task);

		if (!bpf_map_lookup_elem(&pidns_filter, &pidns))
			return false;
	}
	return true;
}

#define SCOPE_PID_FILTERS (VIGIL_FILTER_PID | VIGIL_FILTER_PID_NEW)
#define SCOPE_LASTING_FILTERS (SCOPE_PID_FILTERS | VIGIL_FILTER_FOLLOW)
#define SCOPE_RARE_FILTERS                                                                         \
	(VIGIL_FILTER_MNTNS | VIGIL_FILTER_PIDNS | VIGIL_FILTER_EXE | VIGIL_FILTER_CONTAINER)

/* scope__task_matches - the filters given by the user, all of which must
 * hold; task is current. */
static __always_inline bool scope__task_matches(struct task_struct *task)
{
	__u32 tgid = task->tgid;
	__u32 mask = filter_mask;

	if (tgid == self_tgid)
		return false;
	if (!mask)
		return true;
	/* A followed descendant is in scope whatever the other filters say;
	 * the pid filter is tried first because it is the usual hit. */
	if (mask & SCOPE_PID_FILTERS) {
		if (!scope__pid_listed(task, tgid, mask))
			return (mask & VIGIL_FILTER_FOLLOW) &&
			       bpf_map_lookup_elem(&followed, &tgid);
		if (!(mask & ~SCOPE_LASTING_FILTERS))
			return true;
	}
	if ((mask & VIGIL_FILTER_FOLLOW) && bpf_map_lookup_elem(&followed, &tgid))
		return true;
	if (mask & VIGIL_FILTER_UID) {
		__u32 uid = task->cred->uid.val;

		if (!bpf_map_lookup_elem(&uid_filter, &uid))
			return false;
	}
	if ((mask & VIGIL_FILTER_COMM_FAST) && !scope__comm_listed(task))
		return false;
	if (mask & VIGIL_FILTER_COMM) {
		char comm[VIGIL_COMM_LEN] = {};

		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&comm_filter, comm))
			return false;
	}
	if (!(mask & SCOPE_RARE_FILTERS))
		return true;
	if ((mask & VIGIL_FILTER_EXE) && !bpf_map_lookup_elem(&exe_match, &tgid))
		return false;
	if ((mask & VIGIL_FILTER_CONTAINER) && !scope__container_matches(task))
		return false;
	return scope__namespaces_match(task, mask);
}

/* scope__gated - task is vigil trace's command, not yet past its first
 * exec, and the call is not that exec (plan_flags): a forked task keeps
 * its parent's exec id until it execs. */
static __always_inline bool scope__gated(struct task_struct *task, __u32 plan_flags)
{
	return gate_tgid && !(plan_flags & VIGIL_PLAN_SCOPE_AT_EXIT) && task->tgid == gate_tgid &&
	       task->self_exec_id == task->parent_exec_id;
}

/* scope__lasting - the filters are ones whose verdict for a task holds
 * until userspace changes the scope and bumps scope_gen: pids, new pids,
 * descendants admitted at fork, or none. A name, uid, namespace, exe or
 * cgroup can change at an exec, a setuid, a setns or a move. */
static __always_inline bool scope__lasting(void)
{
	return !(filter_mask & ~SCOPE_LASTING_FILTERS);
}

/* scope__follow_child - admits a new thread group whose parent is traced. */
static __always_inline void scope__follow_child(__u32 child_tgid)
{
	__u8 one = 1;

	if (bpf_map_update_elem(&followed, &child_tgid, &one, BPF_ANY))
		stats__add(VIGIL_STAT_FOLLOW_FULL, 1);
}

#endif
