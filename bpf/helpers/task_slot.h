/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* task_slot.h - the slot of task_slots that a task hashes to. */
#ifndef VIGIL_HELPERS_TASK_SLOT_H
#define VIGIL_HELPERS_TASK_SLOT_H

#include "../maps.h"

/* task_slot__of - the slot for the task at task_addr, from
 * bpf_get_current_task() or a task pointer's value. */
static __always_inline struct vigil_task_slot *task_slot__of(__u64 task_addr)
{
	__u32 key = (task_addr * 0x9E3779B97F4A7C15ULL) >> (64 - VIGIL_TASK_SLOT_BITS);

	return bpf_map_lookup_elem(&task_slots, &key);
}

/* task_slot__in_scope - the slot says its idle owner, the task at
 * task_addr, was found in scope at gen; only under lasting filters. */
static __always_inline bool task_slot__in_scope(const struct vigil_task_slot *e, __u64 task_addr,
						__u32 gen, bool lasting)
{
	return lasting && e && e->owner == task_addr && e->gen == gen;
}

/* task_slot__release - an exiting task lets its slot go, so that a task
 * later given the same address does not inherit it. */
static __always_inline void task_slot__release(__u64 task_addr)
{
	struct vigil_task_slot *e = task_slot__of(task_addr);
	__u64 owner;

	if (!e)
		return;
	owner = e->owner;
	if ((owner & ~VIGIL_TASK_SLOT_ACTIVE) == task_addr)
		__sync_val_compare_and_swap(&e->owner, owner, 0);
}

#endif
