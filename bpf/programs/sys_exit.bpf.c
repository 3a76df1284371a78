// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_exit - joins the return value with what sys_enter recorded, reads
 * what the syscall wrote for the user, and emits the syscall as one event.
 * When no time is kept, most syscalls are built here alone.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/capture.h"
#include "../helpers/context.h"
#include "../helpers/emit.h"
#include "../helpers/scope.h"
#include "../helpers/summary.h"
#include "../helpers/task_slot.h"

/* sys_exit__in_scope - the scope's verdict for an event built at exit
 * alone: under lasting filters, kept in the task's slot once found. */
static __always_inline bool sys_exit__in_scope(struct task_struct *task)
{
	__u64 addr = bpf_get_current_task();
	struct vigil_task_slot *e;
	__u32 gen = scope_gen + 1;

	if (!scope__lasting())
		return scope__task_matches(task);
	e = task_slot__of(addr);
	if (task_slot__in_scope(e, addr, gen, true))
		return true;
	if (!scope__task_matches(task))
		return false;
	/* Unclaimed: a task that hashes here too only costs a new check. */
	if (e) {
		e->gen = gen;
		e->owner = addr;
	}
	return true;
}

/* sys_exit__alone - an event built at exit without its entry, when no
 * time is kept: the arguments are still in the saved registers, and what
 * they point at is read now. The CPU's scratch holds it, or the task's
 * storage when a hook preempted on this CPU holds the scratch. */
static __always_inline void sys_exit__alone(struct task_struct *task, struct pt_regs *regs,
					    long ret, __u32 nr, bool compat,
					    const struct vigil_plan *plan)
{
	struct vigil_inflight *st, *claimed = NULL;
	__u32 zero = 0;

	if (failed_only && !(ret < 0 && ret >= -SUMMARY_MAX_ERRNO))
		return;
	if (!sys_exit__in_scope(task) || scope__gated(task, plan->flags))
		return;
	st = bpf_map_lookup_elem(&exit_scratch, &zero);
	if (st && __sync_val_compare_and_swap(&st->busy, 0, 1) == 0) {
		claimed = st;
	} else {
		st = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!st) {
			stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
			return;
		}
	}
	capture__begin(st, regs, nr, compat);
	st->ev.ret = ret;
	if (plan->flags & VIGIL_PLAN_AT_ENTRY)
		capture__entry(st, plan, compat);
	if (plan->flags & VIGIL_PLAN_AT_EXIT)
		capture__exit(st, plan, ret);
	context__fill_current(&st->ev, NULL);
	emit__event(st);
	if (claimed)
		claimed->busy = 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	bool compat = task->thread_info.status & 0x0002; /* TS_COMPAT */
	const struct vigil_plan *plan;
	struct vigil_inflight *st;
	__u64 nr = regs->orig_ax;
	__u32 slot;

	/* Redo the entry's cheap checks before the storage lookup, which
	 * costs more: most exits are out of scope. A syscall that changes the
	 * task's name or ids, or decides its scope at exit, skips them; so do
	 * lasting filters, under which only tasks in scope have storage. */
	if (nr >= VIGIL_NR_MAX) {
		/* rt_sigreturn restores orig_ax to -1: take the number the
		 * entry recorded, if the task was traced at all. */
		st = bpf_task_storage_get(&inflight, task, 0, 0);
		if (!st || !st->active)
			return 0;
		nr = st->ev.nr;
		if (nr >= VIGIL_NR_MAX)
			return 0;
	}
	slot = (compat ? VIGIL_NR_MAX : 0) + nr;
	if (!scope__syscall_wanted(slot))
		return 0;
	plan = &capture_plan[slot & (VIGIL_NR_SLOTS - 1)];
	if (!syscall_times && !(plan->flags & VIGIL_PLAN_NEEDS_ENTRY)) {
		sys_exit__alone(task, regs, compat ? (int)ret : ret, nr, compat, plan);
		return 0;
	}
	if (!(plan->flags & (VIGIL_PLAN_SCOPE_AT_EXIT | VIGIL_PLAN_CHANGES_IDENTITY)) &&
	    !scope__lasting() && !scope__task_matches(task))
		return 0;

	st = bpf_task_storage_get(&inflight, task, 0, 0);
	if (!st || !st->active)
		return 0;
	st->active = 0;
	if (st->scope_at_exit && !st->matched_at_entry && !scope__task_matches(task))
		return 0;

	if (compat)
		ret = (int)ret;
	st->ev.ret = ret;
	st->ev.ts_ns = syscall_times ? bpf_ktime_get_ns() : 0;
	if (keep_summary)
		summary__add(slot, ret, st->ev.ts_ns - st->ev.enter_ns);
	if (summary_only)
		return 0;
	if (failed_only && !(ret < 0 && ret >= -SUMMARY_MAX_ERRNO))
		return 0;
	/* execve's old image is gone: its pointers mean nothing now. */
	if (st->faulted && !st->scope_at_exit)
		capture__retry_faulted(st);
	if (plan->flags & VIGIL_PLAN_AT_EXIT)
		capture__exit(st, plan, ret);
	context__fill_current(&st->ev, &st->pidns);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
