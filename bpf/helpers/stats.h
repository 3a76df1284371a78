/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* stats.h - per-CPU counters that userspace reads through the .bss map. */
#ifndef VIGIL_HELPERS_STATS_H
#define VIGIL_HELPERS_STATS_H

#include "../maps.h"

static __always_inline void stats__add(enum vigil_stat stat, __u64 n)
{
	__u32 cpu = bpf_get_smp_processor_id() & (VIGIL_MAX_CPUS - 1);

	/* Atomic although the row is per CPU: a preempted program on the same
	 * CPU can interleave with another one. */
	__sync_fetch_and_add(&stats[cpu * VIGIL_STAT_STRIDE + stat], n);
}

/* stats__get - this CPU's count, as last written. */
static __always_inline __u64 stats__get(enum vigil_stat stat)
{
	__u32 cpu = bpf_get_smp_processor_id() & (VIGIL_MAX_CPUS - 1);

	return stats[cpu * VIGIL_STAT_STRIDE + stat];
}

#endif
