// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_enter - the entry half of every syscall: decides the scope, records
 * the raw arguments and reads what the pointer arguments point at. The
 * event is finished at sys_exit, except for syscalls that never return.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/capture.h"
#include "../helpers/context.h"
#include "../helpers/emit.h"
#include "../helpers/scope.h"
#include "../helpers/stats.h"
#include "../helpers/summary.h"

/* sys_enter__no_return - exit and exit_group end here: no sys_exit follows. */
static __always_inline void sys_enter__no_return(struct vigil_inflight *st,
						 struct task_struct *task)
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

SEC("tp_btf/sys_enter")
int BPF_PROG(vigil_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct vigil_plan *plan;
	struct vigil_inflight *st;
	bool compat, matched, lasting;
	__u32 slot, gen;

	if ((unsigned long)id >= VIGIL_NR_MAX)
		return 0;
	compat = task->thread_info.status & 0x0002; /* TS_COMPAT */
	slot = (compat ? VIGIL_NR_MAX : 0) + id;
	if (!scope__syscall_wanted(slot))
		return 0;
	plan = &capture_plan[slot & (VIGIL_NR_SLOTS - 1)];
	/* Without times, most events are built at exit alone. */
	if (!syscall_times && !(plan->flags & VIGIL_PLAN_NEEDS_ENTRY))
		return 0;
	if (scope__gated(task, plan->flags))
		return 0;
	/* Under lasting filters a task found in scope once has storage that
	 * says so: one lookup instead of the filter maps'. */
	gen = scope_gen + 1;
	lasting = scope__lasting();
	st = lasting ? bpf_task_storage_get(&inflight, task, 0, 0) : NULL;
	matched = st && st->in_scope_gen == gen;
	if (!matched) {
		matched = scope__task_matches(task);
		if (!matched && !(plan->flags & VIGIL_PLAN_SCOPE_AT_EXIT))
			return 0;
	}
	if (!st) {
		st = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!st) {
			stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
			return 0;
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
		sys_enter__no_return(st, task);
		return 0;
	}
	st->scope_at_exit = !!(plan->flags & VIGIL_PLAN_SCOPE_AT_EXIT);
	st->matched_at_entry = matched;
	st->active = 1;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
