// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * empty_probe - the floor for any tracer on these hooks: two programs on
 * the same tp_btf tracepoints vigil uses, doing nothing. What they cost is
 * the price of having a BPF program attached at all, which vigil's own
 * out-of-scope path is measured against.
 */
#include "vmlinux/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sys_enter")
int BPF_PROG(empty_sys_enter, struct pt_regs *regs, long id) { return 0; }

SEC("tp_btf/sys_exit")
int BPF_PROG(empty_sys_exit, struct pt_regs *regs, long ret) { return 0; }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
