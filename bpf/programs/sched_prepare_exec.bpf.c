// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sched_prepare_exec - the entry half of a successful execve when no
 * time is kept and sys_enter is not loaded. It fires once the exec can no
 * longer fail back to the caller, while the old image and the caller's
 * registers are still there: the arguments can be read as at entry. A
 * failed execve keeps both, and is built at its exit alone.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/entry.h"

SEC("tp_btf/sched_prepare_exec")
int BPF_PROG(vigil_sched_prepare_exec, struct task_struct *task, struct linux_binprm *bprm)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	__u64 nr;

	if (!regs)
		return 0;
	nr = regs->orig_ax;
	if (nr >= VIGIL_NR_MAX)
		return 0;
	/* Only the exec calls: a kernel thread's exec has no such number. */
	if (!(scope__plan(scope__slot(nr, scope__compat(task)))->flags & VIGIL_PLAN_SCOPE_AT_EXIT))
		return 0;
	entry__record(task, regs, nr);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
