// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_exit - joins the return value with what sys_enter recorded, reads
 * what the syscall wrote for the user, and emits the syscall as one event.
 * When no time is kept, syscalls are built here alone (helpers/alone.h).
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/capture.h"
#include "../helpers/context.h"
#include "../helpers/emit.h"
#include "../helpers/scope.h"
#include "../helpers/summary.h"
#include "../helpers/alone.h"

/* x86's numbers of the calls that end a signal handler: rt_sigreturn,
 * and a 32-bit task's sigreturn and rt_sigreturn. Data, not constants,
 * so that the verifier checks the rest of the hook once for all three. */
__u32 sigreturn_nrs[3] = {15, 119, 173};

/* sys_exit__sigreturn_nr - which call returned from a handler, seen at
 * its exit alone, where orig_ax is the restored -1. A 32-bit task has two:
 * the kind of frame its last handler got says which. */
static __always_inline __u32 sys_exit__sigreturn_nr(struct task_struct *task, bool compat)
{
	struct vigil_inflight *st;

	if (!compat)
		return sigreturn_nrs[0];
	st = bpf_task_storage_get(&inflight, task, 0, 0);
	return st && !st->rt_frame ? sigreturn_nrs[1] : sigreturn_nrs[2];
}

/* sys_exit__has_entry - an exec recorded its entry at sched_prepare_exec. */
static __always_inline bool sys_exit__has_entry(struct task_struct *task)
{
	struct vigil_inflight *st = bpf_task_storage_get(&inflight, task, 0, 0);

	return st && st->active;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	bool compat = scope__compat(task);
	const struct vigil_plan *plan;
	struct vigil_inflight *st;
	__u64 nr = regs->orig_ax;
	__u32 slot;

	if (compat)
		ret = (int)ret;
	/* sigreturn restores orig_ax to -1: the entry recorded the number,
	 * or without one it can only be sigreturn. */
	if (nr >= VIGIL_NR_MAX) {
		if (!syscall_times) {
			if (nr != (__u64)-1)
				return 0;
			nr = sys_exit__sigreturn_nr(task, compat);
		} else {
			st = bpf_task_storage_get(&inflight, task, 0, 0);
			if (!st || !st->active)
				return 0;
			nr = st->ev.nr;
			if (nr >= VIGIL_NR_MAX)
				return 0;
		}
	}
	slot = scope__slot(nr, compat);
	if (!scope__syscall_wanted(slot))
		return 0;
	plan = scope__plan(slot);
	/* Without times, an event is built here alone, but for an exec that
	 * recorded its entry: the registers now are the new image's. */
	if (!syscall_times &&
	    (!(plan->flags & VIGIL_PLAN_SCOPE_AT_EXIT) || !sys_exit__has_entry(task))) {
		/* A new task returns 0 from the fork calls: only the caller's
		 * return is the call. */
		if ((plan->flags & VIGIL_PLAN_CHILD_RETURNS) && ret == 0)
			return 0;
		if (failed_only && !(ret < 0 && ret >= -SUMMARY_MAX_ERRNO))
			return 0;
		if (!alone__in_scope(task) || scope__gated(task, plan->flags))
			return 0;
		alone__emit(task, regs, ret, nr, compat, plan, 0, true);
		return 0;
	}
	/* Redo the entry's cheap checks before the storage lookup, which
	 * costs more: most exits are out of scope. A syscall that changes the
	 * task's name or ids, or decides its scope at exit, skips them; so do
	 * lasting filters, under which only tasks in scope have storage. */
	if (!(plan->flags & (VIGIL_PLAN_SCOPE_AT_EXIT | VIGIL_PLAN_CHANGES_IDENTITY)) &&
	    !scope__lasting() && !scope__task_matches(task))
		return 0;

	st = bpf_task_storage_get(&inflight, task, 0, 0);
	if (!st || !st->active)
		return 0;
	st->active = 0;
	if (st->scope_at_exit && !st->matched_at_entry && !scope__task_matches(task))
		return 0;

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
	if (plan->flags & VIGIL_PLAN_SIGRETURN)
		capture__restored_mask(st, task);
	context__fill_current(&st->ev, &st->pidns);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
