/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * capture.h - reads what a syscall's pointer arguments point at, at entry
 * while the pointers are valid, into the data area of the event being
 * built. Every read is bounded; a cut is marked truncated and a failed
 * read is marked as a fault, never left silently empty.
 */
#ifndef VIGIL_HELPERS_CAPTURE_H
#define VIGIL_HELPERS_CAPTURE_H

#include "../maps.h"
#include "stats.h"

#define CAPTURE_ITEM_SIZE sizeof(struct vigil_item)

/*
 * capture__at_most - v, or c if v is larger. Written in assembly because
 * clang folds a plain clamp into an earlier comparison between two
 * variables, which the verifier cannot turn into a bound.
 */
static __always_inline __u64 capture__at_most(__u64 v, const __u64 c)
{
	asm volatile("if %[v] <= %[c] goto +1\n\t%[v] = %[c]" : [v] "+r"(v) : [c] "i"(c));
	return v;
}

/* capture__room - bytes left for an item's payload at pos, clamped to max. */
static __always_inline __u32 capture__room(__u32 pos, __u32 max)
{
	__u32 room = VIGIL_DATA_MAX - pos;

	return capture__at_most(room < max ? room : max, VIGIL_STR_MAX);
}

static __always_inline __u32 capture__string_bound(void)
{
	__u32 max = string_max;

	return max > VIGIL_STR_MAX ? VIGIL_STR_MAX : max;
}

/* capture__close_item - writes the header of the item started at pos. */
static __always_inline void capture__close_item(struct vigil_inflight *st, __u32 pos, __u8 arg,
						__u8 flags, __u32 len)
{
	struct vigil_item *item = (void *)&st->data[pos & (VIGIL_DATA_MAX - 1)];

	item->len = len;
	item->arg = arg;
	item->flags = flags;
	if (flags & VIGIL_ITEM_FAULT)
		stats__add(VIGIL_STAT_READ_FAULT, 1);
	st->ev.data_len = pos + CAPTURE_ITEM_SIZE + len;
	st->ev.nitems++;
}

/* capture__read_args - the six raw arguments, as the calling convention
 * of a 64-bit or a 32-bit syscall puts them in the saved registers. */
static __always_inline void capture__read_args(struct vigil_event *ev, struct pt_regs *regs,
					       bool compat)
{
	/* tp_btf hands a trusted pt_regs: plain loads, no probe-read. */
	if (compat) {
		ev->args[0] = (__u32)regs->bx;
		ev->args[1] = (__u32)regs->cx;
		ev->args[2] = (__u32)regs->dx;
		ev->args[3] = (__u32)regs->si;
		ev->args[4] = (__u32)regs->di;
		ev->args[5] = (__u32)regs->bp;
		return;
	}
	ev->args[0] = regs->di;
	ev->args[1] = regs->si;
	ev->args[2] = regs->dx;
	ev->args[3] = regs->r10;
	ev->args[4] = regs->r8;
	ev->args[5] = regs->r9;
}

/* capture__begin - an empty syscall event of number nr in st, its raw
 * arguments read from regs; the times and the return value are 0. */
static __always_inline void capture__begin(struct vigil_inflight *st, struct pt_regs *regs,
					   __u32 nr, bool compat)
{
	st->ev.kind = VIGIL_EV_SYSCALL;
	st->ev.nr = nr;
	st->ev.flags = compat ? VIGIL_EVF_COMPAT : 0;
	st->ev.data_len = 0;
	st->ev.nitems = 0;
	st->ev.enter_ns = 0;
	st->ev.ts_ns = 0;
	st->ev.ret = 0;
	st->faulted = 0;
	capture__read_args(&st->ev, regs, compat);
}

/* capture__string - one NUL-terminated user string; the NUL is not kept. */
static __noinline void capture__string(struct vigil_inflight *st, __u8 arg, const void *uptr)
{
	__u32 pos = st->ev.data_len;
	__u32 max, payload;
	long n;

	if (pos >= VIGIL_DATA_MAX - CAPTURE_ITEM_SIZE - 1) {
		st->ev.flags |= VIGIL_EVF_DATA_FULL;
		return;
	}
	barrier_var(pos);
	pos &= VIGIL_DATA_MAX - 1;
	payload = pos + CAPTURE_ITEM_SIZE;
	max = capture__room(payload, capture__string_bound());

	/* The count includes the NUL: room for max + 1 characters tells a
	 * string of exactly max characters (n = max + 1) from a longer one
	 * (n = max + 2). */
	n = bpf_probe_read_user_str(&st->data[payload],
				    capture__at_most(max + 2, VIGIL_STR_MAX + 2), uptr);
	if (n < 0) {
		st->faulted |= 1 << (arg & 7);
		capture__close_item(st, pos, arg, VIGIL_ITEM_STRING | VIGIL_ITEM_FAULT, 0);
		return;
	}
	if (n > max + 1)
		capture__close_item(st, pos, arg, VIGIL_ITEM_STRING | VIGIL_ITEM_TRUNCATED, max);
	else
		capture__close_item(st, pos, arg, VIGIL_ITEM_STRING, n > 0 ? n - 1 : 0);
}

static __always_inline long capture__read_pointer(__u64 *out, const void *array, __u32 i,
						  bool compat)
{
	if (compat) {
		__u32 p32 = 0;
		long err = bpf_probe_read_user(&p32, sizeof(p32), array + i * 4);

		*out = p32;
		return err;
	}
	return bpf_probe_read_user(out, sizeof(*out), array + i * 8);
}

/* bpf_loop takes its context on the stack: it carries only the event. The
 * walk's state lives in the event's map value, which the verifier does
 * not follow value by value, so each callback is checked once. */
struct capture_walk_ctx {
	struct vigil_inflight *st;
};

/* capture__walk_begin - the offset of the item a walk over uptr fills,
 * with the walk's state reset; -1 when the data area has no room for
 * need more bytes. */
static __always_inline long capture__walk_begin(struct vigil_inflight *st, const void *uptr,
						bool compat, __u32 need)
{
	__u32 pos = st->ev.data_len;

	if (pos >= VIGIL_DATA_MAX - CAPTURE_ITEM_SIZE - need) {
		st->ev.flags |= VIGIL_EVF_DATA_FULL;
		return -1;
	}
	st->walk_buf = (__u64)uptr;
	st->walk_off = 0;
	st->walk_n = 0;
	st->walk_flags = 0;
	st->walk_compat = compat;
	return pos;
}

/* capture__close_count - ends a counting walk: its u32 count as the item. */
static __always_inline void capture__close_count(struct vigil_inflight *st, __u32 pos, __u8 arg,
						 __u8 flags)
{
	barrier_var(pos);
	pos &= VIGIL_DATA_MAX - 1;
	*(__u32 *)&st->data[pos + CAPTURE_ITEM_SIZE] = st->walk_n;
	capture__close_item(st, pos, arg, flags | VIGIL_ITEM_COUNT | st->walk_flags, sizeof(__u32));
}

static long capture__argv_step(__u32 i, void *ctx)
{
	struct vigil_inflight *st = ((struct capture_walk_ctx *)ctx)->st;
	__u64 uptr = 0;
	__u32 off, max;
	long n;

	if (i >= argv_max) {
		st->walk_flags |= VIGIL_ITEM_TRUNCATED;
		return 1;
	}
	if (capture__read_pointer(&uptr, (const void *)st->walk_buf, i, st->walk_compat)) {
		st->walk_flags |= VIGIL_ITEM_FAULT;
		return 1;
	}
	if (!uptr)
		return 1;
	off = st->walk_off;
	if (off >= VIGIL_DATA_MAX - 1) {
		st->walk_flags |= VIGIL_ITEM_TRUNCATED;
		return 1;
	}
	barrier_var(off);
	off &= VIGIL_DATA_MAX - 1;
	/* One byte of the room is kept for the NUL; one character more than
	 * the bound tells an exact fit from a cut, as in capture__string. */
	max = capture__room(off + 1, capture__string_bound());
	n = bpf_probe_read_user_str(&st->data[off], capture__at_most(max + 2, VIGIL_STR_MAX + 2),
				    (const void *)uptr);
	if (n < 0) {
		st->walk_flags |= VIGIL_ITEM_FAULT;
		return 1;
	}
	if (n > max + 1) {
		/* Keep max characters and end the cut string there; the array
		 * ends with it. */
		st->data[capture__at_most(off + max, VIGIL_DATA_MAX + VIGIL_STR_MAX)] = 0;
		st->walk_off = off + max + 1;
		st->walk_flags |= VIGIL_ITEM_TRUNCATED;
		return 1;
	}
	st->walk_off = off + n;
	return 0;
}

/* capture__argv - a NULL-terminated array of strings, kept NUL-separated. */
static __noinline void capture__argv(struct vigil_inflight *st, __u8 arg, const void *uarray,
				     bool compat)
{
	struct capture_walk_ctx ctx = {st};
	long start = capture__walk_begin(st, uarray, compat, 2);
	__u32 pos;

	if (start < 0)
		return;
	pos = start;
	barrier_var(pos);
	pos &= VIGIL_DATA_MAX - 1;
	st->walk_off = pos + CAPTURE_ITEM_SIZE;
	bpf_loop(VIGIL_ARGV_MAX, capture__argv_step, &ctx, 0);
	capture__close_item(st, pos, arg, VIGIL_ITEM_ARGV | st->walk_flags,
			    (st->walk_off - pos - CAPTURE_ITEM_SIZE) & (VIGIL_DATA_MAX * 2 - 1));
}

/* A short buffer is read as a string first. The kernel checks the
 * destination of a plain copy from user memory (its size, its stack frame
 * or heap object) before copying, which costs more than the copy of a
 * short buffer; its string copy does not. Most short buffers hold no NUL
 * before their end, so one string read takes all of them; the bytes after
 * an early NUL are read plainly. */
#define CAPTURE_SHORT_MAX 64

/* capture__short_read - len (1 to CAPTURE_SHORT_MAX) bytes of user memory
 * to dst; dst has room for len + 1 bytes. */
static __always_inline long capture__short_read(__u8 *dst, __u32 len, const void *uptr)
{
	__u32 n, rest;
	long got;

	len = capture__at_most(len, CAPTURE_SHORT_MAX);
	/* Room for len + 1 counts the NUL: len + 1 back means none of the
	 * len bytes is a NUL. A fault here may be the byte past the buffer
	 * on an unmapped page, so the plain read decides. */
	got = bpf_probe_read_user_str(dst, len + 1, uptr);
	if (got < 0)
		return bpf_probe_read_user(dst, len, uptr);
	n = got;
	if (n > len || n == 0)
		return 0;
	/* dst[0, n) is right, dst[n - 1] the NUL; read the rest. */
	n = capture__at_most(n, CAPTURE_SHORT_MAX);
	if (n >= len)
		return 0;
	rest = len - n;
	return bpf_probe_read_user(dst + n, capture__at_most(rest, CAPTURE_SHORT_MAX), uptr + n);
}

/* capture__bytes - len bytes of user memory, len already bounded. */
static __noinline void capture__bytes(struct vigil_inflight *st, __u8 arg, const void *uptr,
				      __u32 len, __u8 flags)
{
	__u32 pos = st->ev.data_len;
	__u32 payload, max;

	if (pos >= VIGIL_DATA_MAX - CAPTURE_ITEM_SIZE - 1) {
		st->ev.flags |= VIGIL_EVF_DATA_FULL;
		return;
	}
	barrier_var(pos);
	pos &= VIGIL_DATA_MAX - 1;
	payload = pos + CAPTURE_ITEM_SIZE;
	max = capture__room(payload, len);
	if (max < len)
		flags |= VIGIL_ITEM_TRUNCATED;
	if (max == 0) {
		capture__close_item(st, pos, arg, flags, 0);
		return;
	}
	if (max <= CAPTURE_SHORT_MAX) {
		if (capture__short_read(&st->data[payload], max, uptr)) {
			capture__close_item(st, pos, arg, flags | VIGIL_ITEM_FAULT, 0);
			return;
		}
	} else if (bpf_probe_read_user(&st->data[payload], capture__at_most(max, VIGIL_STR_MAX),
				       uptr)) {
		capture__close_item(st, pos, arg, flags | VIGIL_ITEM_FAULT, 0);
		return;
	}
	capture__close_item(st, pos, arg, flags, max);
}

/* capture__length - the byte count a capture asks for, and whether the
 * bound cut it; false when there is nothing to read. */
static __always_inline bool capture__length(struct vigil_inflight *st,
					    const struct vigil_capture *cap, __s64 ret, __u32 *len,
					    __u8 *flags)
{
	__u64 want;
	__u32 bound = cap->size ? cap->size : bytes_max;
	__u8 src = cap->len;

	if (src == VIGIL_LEN_FIXED) {
		*len = cap->size;
		return cap->size > 0;
	}
	if (src == VIGIL_LEN_RET) {
		want = ret;
	} else if (src >= VIGIL_LEN_DEREF_ARG0) {
		__u32 i = src - VIGIL_LEN_DEREF_ARG0;
		const void *p;
		__u32 n = 0;

		if (i >= 6)
			return false;
		p = (const void *)st->ev.args[i];
		if (!p || bpf_probe_read_user(&n, sizeof(n), p))
			return false;
		want = n;
	} else {
		__u32 i = src - VIGIL_LEN_ARG0;

		if (i >= 6)
			return false;
		want = st->ev.args[i];
	}
	if ((__s64)want < 0)
		return false;
	if (want > bound) {
		*flags |= VIGIL_ITEM_TRUNCATED;
		want = bound;
	}
	*len = want;
	return true;
}

static long capture__count_step(__u32 i, void *ctx)
{
	struct vigil_inflight *st = ((struct capture_walk_ctx *)ctx)->st;
	__u64 uptr = 0;

	if (capture__read_pointer(&uptr, (const void *)st->walk_buf, i, st->walk_compat)) {
		st->walk_flags |= VIGIL_ITEM_FAULT;
		return 1;
	}
	if (!uptr)
		return 1;
	st->walk_n++;
	return 0;
}

/* capture__count - how many pointers precede the NULL of a user array. */
static __noinline void capture__count(struct vigil_inflight *st, __u8 arg, const void *uarray,
				      bool compat)
{
	struct capture_walk_ctx ctx = {st};
	long pos = capture__walk_begin(st, uarray, compat, 4);

	if (pos < 0)
		return;
	bpf_loop(VIGIL_COUNT_MAX, capture__count_step, &ctx, 0);
	if (st->walk_n == VIGIL_COUNT_MAX)
		st->walk_flags |= VIGIL_ITEM_TRUNCATED;
	capture__close_count(st, pos, arg, 0);
}

/* capture__entry_arg - one argument's entry capture. A global function:
 * the verifier checks it once, on its own, instead of at every call with
 * the branches of six arguments and each caller's buffer. */
__weak __noinline int capture__entry_arg(struct vigil_inflight *st, const struct vigil_plan *plan,
					 __u32 i, bool compat)
{
	const struct vigil_capture *cap;
	const void *uptr;
	__u8 flags = VIGIL_ITEM_BYTES;
	__u32 len = 0;

	if (!st || !plan || i >= 6)
		return 0;
	cap = &plan->arg[i];
	uptr = (const void *)st->ev.args[i];
	if (!uptr)
		return 0;
	switch (cap->kind) {
	case VIGIL_CAP_STRING:
		capture__string(st, i, uptr);
		break;
	case VIGIL_CAP_ARGV:
		capture__argv(st, i, uptr, compat);
		break;
	case VIGIL_CAP_COUNT:
		capture__count(st, i, uptr, compat);
		break;
	case VIGIL_CAP_BYTES:
		if (capture__length(st, cap, 0, &len, &flags))
			capture__bytes(st, i, uptr, len, flags);
		break;
	default:
		break;
	}
	return 0;
}

/* capture__entry - the captures of the plan that read at entry. */
static __always_inline void capture__entry(struct vigil_inflight *st, const struct vigil_plan *plan,
					   bool compat)
{
	for (__u32 i = 0; i < 6; i++) {
		if (plan->arg[i].kind != VIGIL_CAP_NONE)
			capture__entry_arg(st, plan, i, compat);
	}
}

static long capture__dirent_step(__u32 i, void *ctx)
{
	struct vigil_inflight *st = ((struct capture_walk_ctx *)ctx)->st;
	__u16 reclen = 0;

	if (st->walk_off >= (__u64)st->ev.ret)
		return 1;
	if (bpf_probe_read_user(&reclen, sizeof(reclen),
				(const void *)(st->walk_buf + st->walk_off + 16)) ||
	    !reclen) {
		st->walk_flags |= VIGIL_ITEM_FAULT;
		return 1;
	}
	st->walk_off += reclen;
	st->walk_n++;
	return 0;
}

/* capture__dirents - how many records getdents64 wrote into its buffer:
 * each record's d_reclen, a u16 at offset 16, leads to the next. */
static __noinline void capture__dirents(struct vigil_inflight *st, __u8 arg, const void *ubuf)
{
	struct capture_walk_ctx ctx = {st};
	long pos = capture__walk_begin(st, ubuf, false, 4);

	if (pos < 0)
		return;
	bpf_loop(VIGIL_DIRENTS_MAX, capture__dirent_step, &ctx, 0);
	if (!(st->walk_flags & VIGIL_ITEM_FAULT) && st->walk_off < (__u64)st->ev.ret)
		st->walk_flags |= VIGIL_ITEM_TRUNCATED;
	capture__close_count(st, pos, arg, VIGIL_ITEM_AT_EXIT);
}

/* capture__retry_faulted - entry strings read again after the syscall. */
static __always_inline void capture__retry_faulted(struct vigil_inflight *st)
{
	__u8 faulted = st->faulted;

	st->faulted = 0;
	for (__u32 i = 0; i < 6; i++) {
		if (faulted & (1 << i))
			capture__string(st, i, (const void *)st->ev.args[i]);
	}
	st->faulted = 0;
}

/* capture__exit_arg - one argument's exit capture; global, like
 * capture__entry_arg. */
__weak __noinline int capture__exit_arg(struct vigil_inflight *st, const struct vigil_plan *plan,
					__u32 i, __s64 ret)
{
	const struct vigil_capture *cap;
	const void *uptr;
	__u8 flags = VIGIL_ITEM_BYTES | VIGIL_ITEM_AT_EXIT;
	__u32 len = 0;

	if (!st || !plan || i >= 6)
		return 0;
	cap = &plan->arg[i];
	uptr = (const void *)st->ev.args[i];
	if (!uptr)
		return 0;
	if (cap->kind == VIGIL_CAP_DIRENTS)
		capture__dirents(st, i, uptr);
	else if (cap->kind == VIGIL_CAP_BYTES_EXIT && capture__length(st, cap, ret, &len, &flags))
		capture__bytes(st, i, uptr, len, flags);
	return 0;
}

/* capture__restored_mask - after sigreturn, the signal mask the
 * handler's frame restored, from the task: the item of arg 0, which
 * strace shows as the frame's. */
static __always_inline void capture__restored_mask(struct vigil_inflight *st,
						   struct task_struct *task)
{
	__u32 pos = st->ev.data_len;

	if (pos >= VIGIL_DATA_MAX - CAPTURE_ITEM_SIZE - sizeof(__u64)) {
		st->ev.flags |= VIGIL_EVF_DATA_FULL;
		return;
	}
	barrier_var(pos);
	pos &= VIGIL_DATA_MAX - 1;
	*(__u64 *)&st->data[pos + CAPTURE_ITEM_SIZE] = task->blocked.sig[0];
	capture__close_item(st, pos, 0, VIGIL_ITEM_BYTES | VIGIL_ITEM_AT_EXIT, sizeof(__u64));
}

/* capture__exit - the captures that read what the syscall wrote; only
 * after a success, as a failed call's buffers hold nothing of its own. */
static __always_inline void capture__exit(struct vigil_inflight *st, const struct vigil_plan *plan,
					  __s64 ret)
{
	if (ret < 0)
		return;
	for (__u32 i = 0; i < 6; i++) {
		__u8 kind = plan->arg[i].kind;

		if (kind == VIGIL_CAP_BYTES_EXIT || kind == VIGIL_CAP_DIRENTS)
			capture__exit_arg(st, plan, i, ret);
	}
}

#endif
