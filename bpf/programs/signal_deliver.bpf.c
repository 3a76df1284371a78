// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * signal_deliver - a signal is about to run its handler. Without sys_enter
 * the call that ends a handler is known only at its exit, where a 32-bit
 * task's sigreturn and rt_sigreturn look the same: the kind of frame the
 * handler got tells them apart, so it is kept for tasks in scope.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/alone.h"

#define SIGNAL_SA_SIGINFO 4

SEC("tp_btf/signal_deliver")
int BPF_PROG(vigil_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_struct *task = bpf_get_current_task_btf();
	unsigned long handler = (unsigned long)ka->sa.sa_handler;
	struct vigil_inflight *st;

	/* SIG_DFL and SIG_IGN run no handler. */
	if (handler <= 1 || !alone__in_scope(task))
		return 0;
	st = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st) {
		stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
		return 0;
	}
	st->rt_frame = !!(ka->sa.sa_flags & SIGNAL_SA_SIGINFO);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
