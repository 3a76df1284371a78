// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_count - the syscall hooks of a summary without events (vigil trace
 * -c), loaded instead of sys_enter and sys_exit: per syscall the task's
 * slot of task_slots claimed and released, two clock reads and one per-CPU row
 * update. A task whose slot is taken counts in its task storage.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/scope.h"
#include "../helpers/stats.h"
#include "../helpers/summary.h"
#include "../helpers/task_slot.h"

/* count__enter_storage - the entry of a task whose slot is held by
 * another: as the slot would, in the task's own storage. */
static __always_inline void count__enter_storage(struct task_struct *task, __u32 slot, __u32 gen,
						 bool lasting)
{
	struct vigil_counting *c;

	c = lasting ? bpf_task_storage_get(&counting, task, 0, 0) : NULL;
	if (!c || c->gen != gen) {
		if (!scope__task_matches(task))
			return;
		if (!c)
			c = bpf_task_storage_get(&counting, task, 0,
						 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!c) {
			stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
			return;
		}
		c->gen = lasting ? gen : 0;
	}
	count_in_storage = 1;
	c->active = 1;
	c->slot = slot;
	c->enter_ns = bpf_ktime_get_ns();
}

SEC("tp_btf/sys_enter")
int BPF_PROG(vigil_sys_enter_count, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 addr = bpf_get_current_task();
	struct vigil_task_slot *e;
	bool lasting;
	__u32 slot, gen, flags;
	__u64 owner;

	if ((unsigned long)id >= VIGIL_NR_MAX)
		return 0;
	slot = scope__slot(id, scope__compat(task));
	if (!scope__syscall_wanted(slot))
		return 0;
	/* exit and exit_group never return: strace -c does not count them. */
	flags = scope__plan(slot)->flags;
	if ((flags & VIGIL_PLAN_NO_RETURN) || scope__gated(task, flags))
		return 0;
	gen = scope_gen + 1;
	lasting = scope__lasting();
	e = task_slot__of(addr);
	if (!e)
		return 0;
	owner = e->owner;
	/* Under lasting filters, the slot's owner was found in scope at gen. */
	if (!task_slot__in_scope(e, addr, gen, lasting) && !scope__task_matches(task))
		return 0;
	/* Free, or idle, or this task's own (an exit that was missed): claim
	 * it. Held by another task mid-syscall, or lost to a race: storage. */
	if (((owner & VIGIL_TASK_SLOT_ACTIVE) && owner != (addr | VIGIL_TASK_SLOT_ACTIVE)) ||
	    __sync_val_compare_and_swap(&e->owner, owner, addr | VIGIL_TASK_SLOT_ACTIVE) != owner) {
		count__enter_storage(task, slot, gen, lasting);
		return 0;
	}
	e->gen = lasting ? gen : 0;
	e->slot = slot;
	e->enter_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit_count, struct pt_regs *regs, long ret)
{
	__u64 addr = bpf_get_current_task();
	struct vigil_task_slot *e = task_slot__of(addr);
	struct vigil_counting *c;
	__u64 enter_ns;
	__u32 slot;

	if (e && e->owner == (addr | VIGIL_TASK_SLOT_ACTIVE)) {
		slot = e->slot;
		enter_ns = e->enter_ns;
		/* Idle, still owned: the cached verdict stays with it. */
		e->owner = addr;
	} else {
		if (!count_in_storage)
			return 0;
		c = bpf_task_storage_get(&counting, bpf_get_current_task_btf(), 0, 0);
		if (!c || !c->active)
			return 0;
		c->active = 0;
		slot = c->slot;
		enter_ns = c->enter_ns;
	}
	/* The slot is the entry's: rt_sigreturn leaves orig_ax at -1. */
	if (slot >= VIGIL_NR_MAX)
		ret = (int)ret;
	summary__add(slot, ret, bpf_ktime_get_ns() - enter_ns);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
