// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* sched_process_exec - a successful exec, seen after the new image is in. */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/emit.h"
#include "../helpers/process.h"
#include "../helpers/scope.h"

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vigil_sched_process_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct vigil_inflight *st;

	if (!scope__task_matches(task))
		return 0;
	st = process__begin(VIGIL_EV_PROCESS_EXEC, task);
	if (!st)
		return 0;
	st->ev.args[0] = old_pid;
	process__kernel_string(st, 0, bprm->filename);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
