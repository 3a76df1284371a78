/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * scope.h - decides in the kernel whether a task is traced, so that an
 * out-of-scope syscall costs a few lookups and never reaches the ring.
 */
#ifndef VIGIL_HELPERS_SCOPE_H
#define VIGIL_HELPERS_SCOPE_H

#include "../maps.h"
#include "stats.h"

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
	if (mask & VIGIL_FILTER_PID) {
		if (!bpf_map_lookup_elem(&pid_filter, &tgid))
			return (mask & VIGIL_FILTER_FOLLOW) &&
			       bpf_map_lookup_elem(&followed, &tgid);
		if (!(mask & ~(VIGIL_FILTER_PID | VIGIL_FILTER_FOLLOW)))
			return true;
	}
	if ((mask & VIGIL_FILTER_FOLLOW) && bpf_map_lookup_elem(&followed, &tgid))
		return true;
	if (mask & VIGIL_FILTER_UID) {
		__u32 uid = (__u32)bpf_get_current_uid_gid();

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
	return true;
}

/* scope__lasting - the filters are ones whose verdict for a task holds
 * until userspace changes the scope and bumps scope_gen: a pid filter,
 * descendants admitted at fork, or none. A name or uid filter can change
 * its mind at an exec or a setuid. */
static __always_inline bool scope__lasting(void)
{
	return !(filter_mask & ~(VIGIL_FILTER_PID | VIGIL_FILTER_FOLLOW));
}

/* scope__follow_child - admits a new thread group whose parent is traced. */
static __always_inline void scope__follow_child(__u32 child_tgid)
{
	__u8 one = 1;

	if (bpf_map_update_elem(&followed, &child_tgid, &one, BPF_ANY))
		stats__add(VIGIL_STAT_FOLLOW_FULL, 1);
}

#endif
