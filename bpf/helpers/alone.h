/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * alone.h - syscall events built in one hook, without an entry half: the
 * way of every syscall when no time is kept and sys_enter is not loaded.
 * The arguments are still in the saved registers at the syscall's exit,
 * and what they point at is read then.
 */
#ifndef VIGIL_HELPERS_ALONE_H
#define VIGIL_HELPERS_ALONE_H

#include "../maps.h"

#include "capture.h"
#include "context.h"
#include "emit.h"
#include "scope.h"
#include "stats.h"
#include "task_slot.h"

/* alone__in_scope - the scope's verdict for task, which is current: under
 * lasting filters, kept in the task's slot once found. */
static __always_inline bool alone__in_scope(struct task_struct *task)
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

/* alone__claim - where to build the event: the CPU's scratch, or the
 * task's storage when a hook preempted on this CPU holds the scratch;
 * *claimed is the scratch to hand back with alone__release. */
static __always_inline struct vigil_inflight *alone__claim(struct task_struct *task,
							   struct vigil_inflight **claimed)
{
	struct vigil_inflight *st;
	__u32 zero = 0;

	*claimed = NULL;
	st = bpf_map_lookup_elem(&exit_scratch, &zero);
	if (st && __sync_val_compare_and_swap(&st->busy, 0, 1) == 0) {
		*claimed = st;
		return st;
	}
	st = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st)
		stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
	return st;
}

static __always_inline void alone__release(struct vigil_inflight *claimed)
{
	if (claimed)
		claimed->busy = 0;
}

/* alone__emit - the event of syscall nr, its arguments in regs, built
 * and sent; ret is its return value, or 0 with VIGIL_EVF_NO_RETURN.
 * Without captures (a constant), the hook has no capture code to verify. */
static __always_inline void alone__emit(struct task_struct *task, struct pt_regs *regs, long ret,
					__u32 nr, bool compat, const struct vigil_plan *plan,
					__u32 flags, const bool captures)
{
	struct vigil_inflight *st, *claimed;

	st = alone__claim(task, &claimed);
	if (!st)
		return;
	capture__begin(st, regs, nr, compat);
	st->ev.flags |= flags;
	st->ev.ret = ret;
	/* sigreturn's registers are the restored context's, not arguments. */
	if (plan->flags & VIGIL_PLAN_SIGRETURN) {
		for (int i = 0; i < 6; i++)
			st->ev.args[i] = 0;
		capture__restored_mask(st, task);
	} else if (captures && (plan->flags & VIGIL_PLAN_AT_ENTRY)) {
		capture__entry(st, plan, compat);
	}
	if (captures && (plan->flags & VIGIL_PLAN_AT_EXIT))
		capture__exit(st, plan, ret);
	context__fill_current(&st->ev, NULL);
	emit__event(st);
	alone__release(claimed);
}

/* alone__no_return - exit or exit_group, seen as the task exits: the
 * registers still hold the call that ended it, whose arguments are
 * numbers (nothing to capture). */
static __always_inline void alone__no_return(struct task_struct *task)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	bool compat = scope__compat(task);
	const struct vigil_plan *plan;
	__u32 slot;
	__u64 nr;

	if (syscall_times || summary_only || failed_only || !regs)
		return;
	nr = regs->orig_ax;
	if (nr >= VIGIL_NR_MAX)
		return;
	slot = scope__slot(nr, compat);
	if (!scope__syscall_wanted(slot))
		return;
	plan = scope__plan(slot);
	/* A signal's number in the exit code: the signal ended the task, in
	 * whatever call it was. */
	if (!(plan->flags & VIGIL_PLAN_NO_RETURN) || (task->exit_code & 0x7f))
		return;
	if (!alone__in_scope(task) || scope__gated(task, plan->flags))
		return;
	alone__emit(task, regs, 0, nr, compat, plan, VIGIL_EVF_NO_RETURN, false);
}

#endif
