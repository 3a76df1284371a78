/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * exe_path.h - the path of an executable as the kernel sees it, built
 * from its dentry up through the mounts like /proc/PID/exe, so that a
 * process which exits at once, a deleted binary and a memfd all have one.
 */
#ifndef VIGIL_HELPERS_EXE_PATH_H
#define VIGIL_HELPERS_EXE_PATH_H

#include "../maps.h"
#include <bpf/bpf_core_read.h>

#include "capture.h"

#define EXE_NAME_MAX 255
#define EXE_DEPTH_MAX 128
/* The kernel marks mounts of no namespace (memfd's, pipes') so. */
#define EXE_MNT_NS_INTERNAL ((void *)-22)

/* exe_walk - the walk's state, per CPU; the path grows from the end of
 * buf towards its start. */
struct exe_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	__u32 pos;
	__u32 flags; /* vigil_exe_flag bits */
	char buf[VIGIL_STR_MAX + EXE_NAME_MAX + 1];
	char key[VIGIL_EXE_KEY_LEN] __attribute__((aligned(8))); /* for exe_filter */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exe_walk);
} exe_scratch SEC(".maps") __weak;

struct exe_walk_ctx {
	struct exe_walk *w;
};

static __always_inline struct mount *exe__real_mount(struct vfsmount *vfsmnt)
{
	return (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
}

/* exe__step - one path component, or one step up to the parent mount. */
static long exe__step(__u64 i, void *data)
{
	struct exe_walk *w = ((struct exe_walk_ctx *)data)->w;
	/* Copied out of the walk's own struct: CO-RE relocates kernel
	 * types only. */
	struct dentry *d = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	const unsigned char *name;
	__u32 len, pos;

	if (d == mnt_root) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		/* The root of everything, or of a mount that hangs nowhere. */
		if (up == mnt)
			return 1;
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vfsmnt = (void *)up + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	len = BPF_CORE_READ(d, d_name.len);
	name = BPF_CORE_READ(d, d_name.name);
	len = capture__at_most(len, EXE_NAME_MAX);
	pos = w->pos;
	if (pos < len + 1) {
		w->flags |= VIGIL_EXE_TRUNCATED;
		return 1;
	}
	pos -= len;
	bpf_probe_read_kernel(&w->buf[pos & (VIGIL_STR_MAX - 1)], len, name);
	pos -= 1;
	w->buf[pos & (VIGIL_STR_MAX - 1)] = '/';
	w->pos = pos;
	w->dentry = parent;
	/* A dentry that is its own parent but not a mount's root belongs to
	 * no tree: a memfd's "memfd:NAME". Its name is the whole path. */
	return d == parent;
}

/* exe__walk - builds the path of file in this CPU's exe_walk, or NULL. */
static __noinline struct exe_walk *exe__walk(struct file *file)
{
	struct vfsmount *vfsmnt;
	struct exe_walk_ctx ctx;
	struct exe_walk *w;
	struct mount *mnt;
	__u32 zero = 0;
	void *mnt_ns;

	w = bpf_map_lookup_elem(&exe_scratch, &zero);
	if (!w || !file)
		return NULL;
	ctx.w = w;
	vfsmnt = BPF_CORE_READ(file, f_path.mnt);
	mnt = exe__real_mount(vfsmnt);
	w->dentry = BPF_CORE_READ(file, f_path.dentry);
	w->vfsmnt = vfsmnt;
	w->mnt = mnt;
	w->pos = VIGIL_STR_MAX;
	w->flags = 0;
	mnt_ns = BPF_CORE_READ(mnt, mnt_ns);
	if (!mnt_ns || mnt_ns == EXE_MNT_NS_INTERNAL)
		w->flags |= VIGIL_EXE_MEMFD;
	else if (BPF_CORE_READ(file, f_inode, __i_nlink) == 0)
		w->flags |= VIGIL_EXE_DELETED;
	if (bpf_loop(EXE_DEPTH_MAX, exe__step, &ctx, 0) == EXE_DEPTH_MAX)
		w->flags |= VIGIL_EXE_TRUNCATED;
	if (w->pos == VIGIL_STR_MAX) {
		/* Nothing above the root: the file is the root itself. */
		w->pos = VIGIL_STR_MAX - 1;
		w->buf[VIGIL_STR_MAX - 1] = '/';
	}
	return w;
}

/* exe__append - the walked path as item arg of st. */
static __noinline void exe__append(struct vigil_inflight *st, __u8 arg, struct exe_walk *w)
{
	__u32 pos, len, want, payload;

	if (!st || !w)
		return;
	pos = st->ev.data_len;
	if (pos >= VIGIL_DATA_MAX - CAPTURE_ITEM_SIZE - 1) {
		st->ev.flags |= VIGIL_EVF_DATA_FULL;
		return;
	}
	barrier_var(pos);
	pos &= VIGIL_DATA_MAX - 1;
	payload = pos + CAPTURE_ITEM_SIZE;
	want = VIGIL_STR_MAX - capture__at_most(w->pos, VIGIL_STR_MAX);
	len = capture__room(payload, want);
	if (len < want)
		w->flags |= VIGIL_EXE_TRUNCATED;
	if (len)
		bpf_probe_read_kernel(&st->data[payload], capture__at_most(len, VIGIL_STR_MAX),
				      &w->buf[w->pos & (VIGIL_STR_MAX - 1)]);
	capture__close_item(
	    st, pos, arg,
	    VIGIL_ITEM_STRING | (w->flags & VIGIL_EXE_TRUNCATED ? VIGIL_ITEM_TRUNCATED : 0), len);
}

/* exe__match - records whether thread group tgid now runs one of the
 * --exe paths. */
static __noinline void exe__match(struct exe_walk *w, __u32 tgid)
{
	__u32 len;
	__u8 one = 1;

	if (!w)
		return;
	len = VIGIL_STR_MAX - capture__at_most(w->pos, VIGIL_STR_MAX);
	for (int i = 0; i < VIGIL_EXE_KEY_LEN / 8; i++)
		((__u64 *)w->key)[i] = 0;
	if (len < VIGIL_EXE_KEY_LEN && !(w->flags & VIGIL_EXE_TRUNCATED)) {
		bpf_probe_read_kernel(w->key, capture__at_most(len, VIGIL_EXE_KEY_LEN - 1),
				      &w->buf[w->pos & (VIGIL_STR_MAX - 1)]);
		if (bpf_map_lookup_elem(&exe_filter, w->key)) {
			bpf_map_update_elem(&exe_match, &tgid, &one, BPF_ANY);
			return;
		}
	}
	bpf_map_delete_elem(&exe_match, &tgid);
}

#endif
