/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * summary.h - per-syscall call counts, errors and time, kept in the
 * kernel so that a summary costs one map update per syscall and loses
 * nothing to a full ring.
 */
#ifndef VIGIL_HELPERS_SUMMARY_H
#define VIGIL_HELPERS_SUMMARY_H

#include "../maps.h"

#define SUMMARY_MAX_ERRNO 4095

static __always_inline void summary__add(__u32 slot, __s64 ret, __u64 ns)
{
	struct vigil_summary *row;

	slot &= VIGIL_NR_SLOTS - 1;
	row = bpf_map_lookup_elem(&summary, &slot);
	if (!row)
		return;
	/* Atomic although per CPU: a preempted syscall hook on this CPU can
	 * interleave with another task's. */
	__sync_fetch_and_add(&row->calls, 1);
	__sync_fetch_and_add(&row->ns, ns);
	if (ret < 0 && ret >= -SUMMARY_MAX_ERRNO)
		__sync_fetch_and_add(&row->errors, 1);
}

#endif
