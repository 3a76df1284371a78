// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sched_process_exit - a thread leaves; when it was the last of its group
 * the process is gone and its --follow entry is dropped. When no time is
 * kept, the exit or exit_group call that ended the thread comes first.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/alone.h"
#include "../helpers/emit.h"
#include "../helpers/process.h"
#include "../helpers/scope.h"
#include "../helpers/task_slot.h"

SEC("tp_btf/sched_process_exit")
int BPF_PROG(vigil_sched_process_exit, struct task_struct *task)
{
	struct vigil_inflight *st;
	__u32 tgid = task->tgid;
	/* signal->live drops to zero before the tracepoint fires for the
	 * group's last thread; older kernels do not pass group_dead. */
	bool group_dead = task->signal->live.counter == 0;
	bool in_scope = scope__task_matches(task);

	/* Without sys_enter, an exit call is seen here, before the exit. */
	alone__no_return(task);
	task_slot__release(bpf_get_current_task());
	if (group_dead && (filter_mask & VIGIL_FILTER_FOLLOW))
		bpf_map_delete_elem(&followed, &tgid);
	if (group_dead && (filter_mask & VIGIL_FILTER_EXE))
		bpf_map_delete_elem(&exe_match, &tgid);
	st = process__begin(VIGIL_EV_PROCESS_EXIT, task, in_scope);
	if (!st)
		return 0;
	st->ev.args[0] = task->exit_code;
	st->ev.args[1] = group_dead;
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
