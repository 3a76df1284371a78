/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* process.h - the common start of every scheduler process event. */
#ifndef VIGIL_HELPERS_PROCESS_H
#define VIGIL_HELPERS_PROCESS_H

#include "../maps.h"
#include "context.h"

/* process__begin - a cleared per-CPU event of this kind, or NULL when it
 * is wanted neither to be shown (in_scope) nor for context. The
 * scheduler tracepoints run with preemption off, so the CPU's scratch is
 * not shared while the event is built. */
static __always_inline struct vigil_inflight *
process__begin(enum vigil_event_kind kind, struct task_struct *task, bool in_scope)
{
	__u8 wanted = process_wanted[kind & 15];
	bool shown = in_scope && (wanted & VIGIL_WANT_SHOWN);
	__u32 zero = 0;
	struct vigil_inflight *st;

	if (!shown && !(wanted & VIGIL_WANT_CONTEXT))
		return NULL;
	st = bpf_map_lookup_elem(&process_scratch, &zero);
	if (!st)
		return NULL;
	st->ev.kind = kind;
	st->ev.flags = shown ? 0 : VIGIL_EVF_CONTEXT_ONLY;
	st->ev.nr = 0;
	st->ev.data_len = 0;
	st->ev.nitems = 0;
	st->ev.enter_ns = 0;
	st->ev.ret = 0;
	for (int i = 0; i < 6; i++)
		st->ev.args[i] = 0;
	st->ev.ts_ns = bpf_ktime_get_ns();
	context__fill(&st->ev, task, NULL);
	return st;
}

/* process__kernel_string - a string from kernel memory as item arg. */
static __always_inline void process__kernel_string(struct vigil_inflight *st, __u8 arg,
						   const char *kptr)
{
	struct vigil_item *item = (void *)st->data;
	long n;

	n = bpf_probe_read_kernel_str(&st->data[sizeof(*item)], VIGIL_STR_MAX, kptr);
	item->arg = arg;
	item->flags = VIGIL_ITEM_STRING;
	item->len = 0;
	if (n < 0)
		item->flags |= VIGIL_ITEM_FAULT;
	else if (n > 0)
		item->len = n - 1;
	st->ev.data_len = sizeof(*item) + item->len;
	st->ev.nitems = 1;
}

#endif
