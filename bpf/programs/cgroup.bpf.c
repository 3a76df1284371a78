// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * cgroup - cgroup v2 directories created and removed: where containers
 * appear and go. The task that made the directory (a runtime) does not
 * decide the scope: every change on the v2 hierarchy is reported.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/emit.h"
#include "../helpers/process.h"

/* The v2 hierarchy is the first one the kernel registers: id 0. */
#define CGROUP_DFL_HIERARCHY 0

static __always_inline void cgroup__event(enum vigil_event_kind kind, struct cgroup *cgrp,
					  const char *path)
{
	struct vigil_inflight *st;

	__u64 id = BPF_CORE_READ(cgrp, kn, id);
	__u8 fresh = VIGIL_CGROUP_NEW | VIGIL_CGROUP_PENDING;

	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != CGROUP_DFL_HIERARCHY)
		return;
	/* --container: a new cgroup is taken for a container's until
	 * userspace has read its path; it drops what is not one. */
	if (filter_mask & VIGIL_FILTER_CONTAINER) {
		if (kind == VIGIL_EV_CGROUP_MKDIR)
			bpf_map_update_elem(&container_cgroups, &id, &fresh, BPF_ANY);
		else
			bpf_map_delete_elem(&container_cgroups, &id);
	}
	/* A container event belongs to no process of the scope: it is
	 * shown under no filter or container filters alone, and is context
	 * once a process filter (--comm, --pid, --uid, ...) is given. */
	st = process__begin(kind, bpf_get_current_task_btf(),
			    !(filter_mask & ~VIGIL_FILTER_CONTAINER));
	if (!st)
		return;
	st->ev.args[0] = id;
	process__kernel_string(st, 0, path);
	emit__event(st);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(vigil_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	cgroup__event(VIGIL_EV_CGROUP_MKDIR, cgrp, path);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(vigil_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	cgroup__event(VIGIL_EV_CGROUP_RMDIR, cgrp, path);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
