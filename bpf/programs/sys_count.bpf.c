// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_count - the syscall hooks of a summary without events (vigil trace
 * -c), loaded instead of sys_enter and sys_exit: per syscall one small
 * task-local record, two clock reads and one per-CPU row update.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/scope.h"
#include "../helpers/stats.h"
#include "../helpers/summary.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(vigil_sys_enter_count, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct vigil_counting *c;
	__u32 slot, gen;
	bool lasting;

	if ((unsigned long)id >= VIGIL_NR_MAX)
		return 0;
	slot = (task->thread_info.status & 0x0002 ? VIGIL_NR_MAX : 0) + id; /* TS_COMPAT */
	if (!scope__syscall_wanted(slot))
		return 0;
	/* As at sys_enter: under lasting filters, storage says "in scope". */
	gen = scope_gen + 1;
	lasting = scope__lasting();
	c = lasting ? bpf_task_storage_get(&counting, task, 0, 0) : NULL;
	if (!c || c->gen != gen) {
		if (!scope__task_matches(task))
			return 0;
		if (!c)
			c = bpf_task_storage_get(&counting, task, 0,
						 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!c) {
			stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
			return 0;
		}
		c->gen = lasting ? gen : 0;
	}
	/* exit and exit_group never return: strace -c does not count them. */
	c->active = !(capture_plan[slot & (VIGIL_NR_SLOTS - 1)].flags & VIGIL_PLAN_NO_RETURN);
	c->slot = slot;
	c->enter_ns = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit_count, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct vigil_counting *c;

	c = bpf_task_storage_get(&counting, task, 0, 0);
	if (!c || !c->active)
		return 0;
	c->active = 0;
	/* The slot is the entry's: rt_sigreturn leaves orig_ax at -1. */
	if (c->slot >= VIGIL_NR_MAX)
		ret = (int)ret;
	summary__add(c->slot, ret, bpf_ktime_get_ns() - c->enter_ns);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
