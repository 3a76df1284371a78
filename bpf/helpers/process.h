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

/* process__first_item - the event's only item, of arg with len bytes of
 * flags; a failed read (err) leaves it empty and marked. */
static __always_inline void process__first_item(struct vigil_inflight *st, __u8 arg, __u8 flags,
						long err, __u16 len)
{
	struct vigil_item *item = (void *)st->data;

	item->arg = arg;
	item->flags = err ? flags | VIGIL_ITEM_FAULT : flags;
	item->len = err ? 0 : len;
	st->ev.data_len = sizeof(*item) + item->len;
	st->ev.nitems = 1;
}

/* process__kernel_string - a string from kernel memory as item arg. */
static __always_inline void process__kernel_string(struct vigil_inflight *st, __u8 arg,
						   const char *kptr)
{
	long n =
	    bpf_probe_read_kernel_str(&st->data[sizeof(struct vigil_item)], VIGIL_STR_MAX, kptr);

	process__first_item(st, arg, VIGIL_ITEM_STRING, n<0, n> 0 ? n - 1 : 0);
}

/* process__kernel_bytes - len bytes of kernel memory as item arg. */
static __always_inline void process__kernel_bytes(struct vigil_inflight *st, __u8 arg,
						  const void *kptr, __u16 len)
{
	long err = bpf_probe_read_kernel(&st->data[sizeof(struct vigil_item)], len, kptr);

	process__first_item(st, arg, VIGIL_ITEM_BYTES, err, len);
}

#endif
