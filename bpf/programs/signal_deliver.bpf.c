// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * signal_deliver - a signal is taken by a thread: its handler is about to
 * run, or its default action. The event carries the siginfo, as strace's
 * "--- SIGNAL {...} ---" line shows it.
 *
 * Without sys_enter, the call that ends a handler is known only at its
 * exit, where a 32-bit task's sigreturn and rt_sigreturn look the same:
 * the kind of frame the handler got tells them apart, so it is kept here.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/alone.h"
#include "../helpers/emit.h"
#include "../helpers/process.h"

#define SIGNAL_SA_SIGINFO 4
#define SIGNAL_SIGKILL 9

/* signal__frame_kind - remembers for a task in scope whether the handler
 * about to run gets a siginfo frame. */
static __always_inline void signal__frame_kind(struct task_struct *task, unsigned long flags)
{
	struct vigil_inflight *st;

	st = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!st) {
		stats__add(VIGIL_STAT_STORAGE_FAIL, 1);
		return;
	}
	st->rt_frame = !!(flags & SIGNAL_SA_SIGINFO);
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(vigil_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_struct *task = bpf_get_current_task_btf();
	unsigned long handler = (unsigned long)ka->sa.sa_handler;
	unsigned long flags = ka->sa.sa_flags;
	struct vigil_inflight *st;
	bool in_scope;

	/* vigil trace's command before its exec is vigil's own code. */
	in_scope = alone__in_scope(task) && !scope__gated(task, 0);
	/* SIG_DFL and SIG_IGN run no handler. */
	if (!syscall_times && in_scope && handler > 1)
		signal__frame_kind(task, flags);
	/* A SIGKILL, also the one that ends the other threads of an exiting
	 * group, is seen only as the exit it causes. */
	if (sig == SIGNAL_SIGKILL)
		return 0;
	st = process__begin(VIGIL_EV_SIGNAL, task, in_scope);
	if (!st)
		return 0;
	st->ev.args[0] = sig;
	st->ev.args[1] = handler;
	st->ev.args[2] = flags;
	process__kernel_bytes(st, 0, info, VIGIL_SIGINFO_BYTES);
	emit__event(st);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
