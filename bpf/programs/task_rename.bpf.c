// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * task_rename - a thread's name changed (prctl PR_SET_NAME, a write to
 * /proc/PID/comm), so that the process table follows names after exec.
 */
#include "../maps.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "../helpers/emit.h"
#include "../helpers/process.h"
#include "../helpers/scope.h"

SEC("tp_btf/task_rename")
int BPF_PROG(vigil_task_rename, struct task_struct *task, const char *comm)
{
	struct vigil_inflight *st;

	/* Every exec renames its task; the exec event says so already. */
	if (BPF_CORE_READ_BITFIELD_PROBED(task, in_execve))
		return 0;
	st = process__begin(VIGIL_EV_PROCESS_RENAME, bpf_get_current_task_btf(),
			    scope__task_matches(task));
	if (!st)
		return 0;
	st->ev.args[0] = task->tgid;
	st->ev.args[1] = task->pid;
	process__kernel_string(st, 0, comm);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
