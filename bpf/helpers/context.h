/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* context.h - fills the identity part of an event header from a task. */
#ifndef VIGIL_HELPERS_CONTEXT_H
#define VIGIL_HELPERS_CONTEXT_H

#include "../maps.h"
#include <bpf/bpf_core_read.h>

static __always_inline __u32 context__pidns(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);

	return BPF_CORE_READ(pid, numbers[level].ns, ns.inum);
}

/* context__fill - the task's identity as of now. The exiting task of
 * sched_process_exit may have dropped its nsproxy: mntns is 0 then. */
static __always_inline void context__fill(struct vigil_event *ev, struct task_struct *task)
{
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct nsproxy *nsproxy;

	/* task is a trusted BTF pointer: direct loads are cheaper than
	 * probe-reads and fault safely on a NULL along the way. */
	ev->pid = task->tgid;
	ev->tid = task->pid;
	ev->ppid = task->real_parent->tgid;
	ev->uid = (__u32)uid_gid;
	ev->gid = uid_gid >> 32;
	ev->cgroup_id = bpf_get_current_cgroup_id();
	ev->cpu = bpf_get_smp_processor_id();
	ev->pidns = context__pidns(task);
	nsproxy = task->nsproxy;
	ev->mntns = nsproxy ? nsproxy->mnt_ns->ns.inum : 0;
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

#endif
