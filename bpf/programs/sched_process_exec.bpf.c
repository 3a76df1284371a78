// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sched_process_exec - a successful exec, seen after the new image is in.
 * The event carries what a process table needs even if the process exits
 * at once: the executable's path, the command line and the namespaces.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/capture.h"
#include "../helpers/emit.h"
#include "../helpers/exe_path.h"
#include "../helpers/process.h"
#include "../helpers/scope.h"

SEC("tp_btf/sched_process_exec")
int BPF_PROG(vigil_sched_process_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct vigil_inflight *st;
	struct exe_walk *w = NULL;
	struct mm_struct *mm;
	__u64 len;

	/* --exe decides by the new image's path: match first, then scope. */
	if (filter_mask & VIGIL_FILTER_EXE) {
		w = exe__walk(bprm->file);
		exe__match(w, task->tgid);
	}
	st = process__begin(VIGIL_EV_PROCESS_EXEC, task, scope__task_matches(task));
	if (!st)
		return 0;
	if (!w)
		w = exe__walk(bprm->file);
	st->ev.args[0] = old_pid;
	context__namespaces(&st->ev, task);
	process__kernel_string(st, 0, bprm->filename);
	exe__append(st, 1, w);
	st->ev.args[1] = (__u32)BPF_CORE_READ(task, loginuid.val) | (__u64)(w ? w->flags : 0) << 32;

	/* The new stack holds the arguments the kernel just copied there:
	 * present pages of the current task. */
	mm = task->mm;
	if (mm) {
		len = BPF_CORE_READ(mm, arg_end) - BPF_CORE_READ(mm, arg_start);
		capture__bytes(st, 2, (const void *)BPF_CORE_READ(mm, arg_start),
			       capture__at_most(len, VIGIL_STR_MAX), VIGIL_ITEM_ARGV);
	}
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
