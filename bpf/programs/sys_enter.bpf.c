// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sys_enter - the entry half of every syscall when times are kept: it
 * decides the scope, records the raw arguments and reads what the pointer
 * arguments point at. The event is finished at sys_exit, except for
 * syscalls that never return. Without times, this hook is not loaded.
 */
#include "../maps.h"
#include <bpf/bpf_tracing.h>

#include "../helpers/entry.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(vigil_sys_enter, struct pt_regs *regs, long id)
{
	entry__record(bpf_get_current_task_btf(), regs, id);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
