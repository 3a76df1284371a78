// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_exit - joins the return value with what sys_enter recorded and
 * emits the syscall as one event.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/context.h"
#include "../helpers/emit.h"
#include "../helpers/scope.h"

SEC("tp_btf/sys_exit")
int BPF_PROG(vigil_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct vigil_inflight *st;

	/* A task that never had a syscall in scope has no storage at all:
	 * this lookup is the whole cost of an out-of-scope exit. */
	st = bpf_task_storage_get(&inflight, task, 0, 0);
	if (!st || !st->active)
		return 0;
	st->active = 0;
	if (st->scope_at_exit && !scope__task_matches(task->tgid))
		return 0;

	st->ev.ret = ret;
	st->ev.ts_ns = bpf_ktime_get_ns();
	context__fill(&st->ev, task);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
