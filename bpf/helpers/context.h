/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* context.h - fills the identity part of an event header from a task. */
#ifndef VIGIL_HELPERS_CONTEXT_H
#define VIGIL_HELPERS_CONTEXT_H

#include "../maps.h"
#include <bpf/bpf_core_read.h>

/* context__pidns - the inode of the task's own pid namespace: the one
 * at its pid's deepest level, which below the initial namespace is
 * indexed by a variable and so read with probe-reads. */
static __always_inline __u32 context__pidns(struct task_struct *task)
{
	struct pid *pid = task->thread_pid;
	unsigned int level = pid->level;

	/* The initial namespace's level is a constant offset: loads. */
	if (level == 0)
		return pid->numbers[0].ns->ns.inum;
	return BPF_CORE_READ(pid, numbers[level].ns, ns.inum);
}

/* context__cgroup_id - the id of task's cgroup v2, as
 * bpf_get_current_cgroup_id gives it for current, in four loads instead
 * of a helper call. */
static __always_inline __u64 context__cgroup_id(struct task_struct *task)
{
	return task->cgroups->dfl_cgrp->kn->id;
}

/* context__ns_pair - two namespace inode numbers in one argument. */
static __always_inline __u64 context__ns_pair(__u32 lo, __u32 hi)
{
	return lo | (__u64)hi << 32;
}

/* context__namespaces - task's pid and tid inside its pid namespace and
 * its namespaces, in args[2] to args[5] as fork and exec events carry
 * them (see vigil_event.h). */
static __always_inline void context__namespaces(struct vigil_event *ev, struct task_struct *task)
{
	struct pid *tpid = BPF_CORE_READ(task, thread_pid);
	struct pid *gpid = BPF_CORE_READ(task, group_leader, thread_pid);
	unsigned int level = BPF_CORE_READ(tpid, level);
	struct nsproxy *ns = BPF_CORE_READ(task, nsproxy);
	__u32 ns_tid = BPF_CORE_READ(tpid, numbers[level].nr);
	__u32 ns_pid = BPF_CORE_READ(gpid, numbers[level].nr);

	ev->args[2] = context__ns_pair(ns_pid, ns_tid);
	ev->args[3] = context__ns_pair(BPF_CORE_READ(tpid, numbers[level].ns, ns.inum),
				       BPF_CORE_READ(ns, mnt_ns, ns.inum));
	ev->args[4] = context__ns_pair(BPF_CORE_READ(ns, net_ns, ns.inum),
				       BPF_CORE_READ(ns, uts_ns, ns.inum));
	ev->args[5] = context__ns_pair(BPF_CORE_READ(task, real_cred, user_ns, ns.inum),
				       BPF_CORE_READ(ns, cgroup_ns, ns.inum));
}

/* context__fill - the task's identity as of now: its pid, tid and name,
 * and the rest when identity_wanted. The exiting task of
 * sched_process_exit may have dropped its nsproxy: mntns is 0 then.
 * pidns_cache, when given, holds the pid namespace once it is known: a
 * task never changes its own. */
static __always_inline void context__fill(struct vigil_event *ev, struct task_struct *task,
					  __u32 *pidns_cache)
{
	const struct cred *cred;
	struct nsproxy *nsproxy;

	/* task is a trusted BTF pointer: direct loads are cheaper than
	 * probe-reads and helper calls, and fault safely on a NULL along
	 * the way. The ids are the initial namespace's, as the kernel keeps
	 * them. */
	ev->pid = task->tgid;
	ev->tid = task->pid;
	/* Two loads instead of a helper call; the kernel keeps comm padded
	 * with NULs. */
	*(__u64 *)&ev->comm[0] = *(__u64 *)&task->comm[0];
	*(__u64 *)&ev->comm[8] = *(__u64 *)&task->comm[8];
	ev->cpu = bpf_get_smp_processor_id();
	if (!identity_wanted) {
		ev->ppid = ev->uid = ev->gid = ev->pidns = ev->mntns = 0;
		ev->cgroup_id = 0;
		return;
	}
	ev->ppid = task->real_parent->tgid;
	cred = task->cred;
	ev->uid = cred->uid.val;
	ev->gid = cred->gid.val;
	ev->cgroup_id = context__cgroup_id(task);
	if (!pidns_cache) {
		ev->pidns = context__pidns(task);
	} else {
		if (!*pidns_cache)
			*pidns_cache = context__pidns(task);
		ev->pidns = *pidns_cache;
	}
	nsproxy = task->nsproxy;
	ev->mntns = nsproxy ? nsproxy->mnt_ns->ns.inum : 0;
}

/* context__fill_current - context__fill for current, as a global
 * function: the verifier checks its pointer walks once, not on every path
 * of a syscall hook that reaches it. pidns_cache as for context__fill. */
__weak __noinline int context__fill_current(struct vigil_event *ev, __u32 *pidns_cache)
{
	if (!ev)
		return 0;
	context__fill(ev, bpf_get_current_task_btf(), pidns_cache);
	return 0;
}

#endif
