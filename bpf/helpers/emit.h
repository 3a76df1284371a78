/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* emit.h - hands a finished event to the ring buffer. */
#ifndef VIGIL_HELPERS_EMIT_H
#define VIGIL_HELPERS_EMIT_H

#include "../maps.h"
#include "stats.h"

/*
 * emit__event - copies the event and its data into the ring. A wake-up
 * per record costs microseconds, so records are written without one and
 * the reader polls on a short timer; only a ring filling past
 * wakeup_bytes wakes it early.
 */
static __always_inline void emit__event(struct vigil_inflight *st)
{
	__u32 len = st->ev.data_len;
	__u32 size;
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (len > VIGIL_DATA_MAX)
		len = VIGIL_DATA_MAX;
	size = sizeof(st->ev) + len;
	/* The fill level sits on the consumer's cache line: look at it once
	 * every 64 records of this CPU, which is far below wakeup_bytes. */
	if ((stats__get(VIGIL_STAT_SUBMITTED) & 63) == 0 &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	if (bpf_ringbuf_output(&events, &st->ev, size, flags)) {
		stats__add(VIGIL_STAT_RINGBUF_FULL, 1);
		return;
	}
	stats__add(VIGIL_STAT_SUBMITTED, 1);
}

#endif
