// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sched_process_fork - a new process or thread. It runs in the parent;
 * with --follow a traced parent's new thread group joins the scope here,
 * before the child can make its first syscall.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/emit.h"
#include "../helpers/process.h"
#include "../helpers/scope.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(vigil_sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	struct vigil_inflight *st;
	__u32 child_tgid = child->tgid;

	bool in_scope;
	__u8 one = 1;

	/* A child runs its parent's image until it execs. */
	if ((filter_mask & VIGIL_FILTER_EXE) && child_tgid != parent->tgid) {
		__u32 parent_tgid = parent->tgid;

		if (bpf_map_lookup_elem(&exe_match, &parent_tgid))
			bpf_map_update_elem(&exe_match, &child_tgid, &one, BPF_ANY);
	}
	in_scope = scope__task_matches(parent);

	if (in_scope && (filter_mask & VIGIL_FILTER_FOLLOW) && child_tgid != parent->tgid)
		scope__follow_child(child_tgid);

	st = process__begin(VIGIL_EV_PROCESS_FORK, parent, in_scope);
	if (!st)
		return 0;
	st->ev.args[0] = child_tgid;
	st->ev.args[1] = child->pid;
	context__namespaces(&st->ev, child);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
