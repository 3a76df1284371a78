/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * entry.h - the entry half of a syscall event: the scope's verdict, the
 * raw arguments and what the pointer arguments point at, kept in the
 * task's storage until the exit finishes the event.
 */
#ifndef VIGIL_HELPERS_ENTRY_H
#define VIGIL_HELPERS_ENTRY_H

#include "../maps.h"

#include "capture.h"
#include "context.h"
#include "emit.h"
#include "scope.h"
#include "stats.h"

/* entry__no_return - exit and exit_group end here: no sys_exit follows. */
static __always_inline void entry__no_return(struct vigil_inflight *st)
{
	st->active = 0;
	st->ev.flags |= VIGIL_EVF_NO_RETURN;
	st->ev.ts_ns = st->ev.enter_ns;
	/* Not counted in summaries: strace -c counts calls that returned. */
	if (summary_only || failed_only)
		return;
	context__fill_current(&st->ev, &st->pidns);
	emit__event(st);
}

/* entry__record - syscall id of the current task, with its registers at
 * entry: kept for the exit when in scope, emitted now if it never
 * returns. */
static __always_inline void entry__record(struct task_struct *task, struct pt_regs *regs, long id)
{
	const struct vigil_plan *plan;
	struct vigil_inflight *st;
	bool compat, matched, lasting;
	__u32 slot, gen;

	if ((unsigned long)id >= VIGIL_NR_MAX)
		return;
	compat = scope__compat(task);
	slot = scope__slot(id, compat);
	if (!scope__syscall_wanted(slot))
		return;
	plan = scope__plan(slot);
	if (scope__gated(task, plan->flags))
		return;
	/* Under lasting filters a task found in scope once has storage that
	 * says so: one lookup instead of the filter maps'. */
	gen = scope_gen + 1;
	lasting = scope__lasting();
	st = lasting ? bpf_task_storage_get(&inflight, task, 0, 0) : NULL;
	matched = st && st->in_scope_gen == gen;
	if (!matched) {
		matched = scope__task_matches(task);
		if (!matched && !(plan->flags & VIGIL_PLAN_SCOPE_AT_EXIT))
			return;
	}
	if (!st) {
		st = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!st) {
			stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
			return;
		}
	}
	if (lasting && matched)
		st->in_scope_gen = gen;
	capture__begin(st, regs, id, compat);
	if (syscall_times)
		st->ev.enter_ns = bpf_ktime_get_ns();
	if (!summary_only && (plan->flags & VIGIL_PLAN_AT_ENTRY))
		capture__entry(st, plan, compat);

	if (plan->flags & VIGIL_PLAN_NO_RETURN) {
		entry__no_return(st);
		return;
	}
	st->scope_at_exit = !!(plan->flags & VIGIL_PLAN_SCOPE_AT_EXIT);
	st->matched_at_entry = matched;
	st->active = 1;
}

#endif
