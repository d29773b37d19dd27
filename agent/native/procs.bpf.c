// SPDX-License-Identifier: GPL-2.0
/*
 * pid -> cgroup v2 id at fork, exec and cgroup migration, exits, and unified-hierarchy cgroup
 * mkdir/rmdir, through one ring buffer. Raw tracepoints: they attach by name (no tracefs mount, which
 * pods lack) where kprobes and fentry are not available. Struct layouts come from the running
 * kernel's BTF (CO-RE), so no vmlinux.h is kept.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "procs.h"

#define CLONE_THREAD 0x00010000ULL
/* hierarchy_id of cgroup v2 (cgrp_dfl_root), "0::" in /proc/PID/cgroup. */
#define DFL_HIERARCHY 0

/* Only the fields read here; their offsets come from the running kernel's BTF. */
struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct kernfs_node {
	__u64 id;
} __attribute__((preserve_access_index));

struct cgroup_root {
	int hierarchy_id;
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
	struct cgroup_root *root;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* Events the ring buffer had no room for; the helper reports its increase. */
__u64 lost = 0;

static __always_inline void emit(unsigned int kind, unsigned int pid, __u64 cgroup_id)
{
	struct proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return;
	}
	e->kind = kind;
	e->pid = pid;
	e->cgroup_id = cgroup_id;
	e->boot_ns = bpf_ktime_get_boot_ns();
	bpf_ringbuf_submit(e, 0);
}

/* current is the parent: a new process starts in its cgroup (clone3's CLONE_INTO_CGROUP shows as an attach). */
SEC("raw_tp/task_newtask")
int BPF_PROG(on_newtask, struct task_struct *task, __u64 clone_flags)
{
	if (!(clone_flags & CLONE_THREAD))
		emit(EV_FORK, BPF_CORE_READ(task, tgid), bpf_get_current_cgroup_id());
	return 0;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(on_exec)
{
	emit(EV_EXEC, bpf_get_current_pid_tgid() >> 32, bpf_get_current_cgroup_id());
	return 0;
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(on_exit)
{
	__u64 id = bpf_get_current_pid_tgid();
	/* Once per process, not per thread. */
	if ((__u32)id == id >> 32)
		emit(EV_EXIT, id >> 32, 0);
	return 0;
}

static __always_inline int on_default_hierarchy(struct cgroup *cgrp)
{
	return BPF_CORE_READ(cgrp, root, hierarchy_id) == DFL_HIERARCHY;
}

SEC("raw_tp/cgroup_attach_task")
int BPF_PROG(on_attach, struct cgroup *dst, const char *path, struct task_struct *task)
{
	if (on_default_hierarchy(dst))
		emit(EV_ATTACH, BPF_CORE_READ(task, tgid), BPF_CORE_READ(dst, kn, id));
	return 0;
}

static __always_inline void emit_cgroup(struct cgroup *cgrp, const char *path, unsigned int kind)
{
	if (!on_default_hierarchy(cgrp))
		return;
	struct cgroup_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return;
	}
	e->head.kind = kind;
	e->head.pid = 0;
	e->head.cgroup_id = BPF_CORE_READ(cgrp, kn, id);
	e->head.boot_ns = bpf_ktime_get_boot_ns();
	e->path[0] = 0;
	if (kind == EV_MKDIR)
		bpf_probe_read_kernel_str(e->path, sizeof(e->path), path);
	bpf_ringbuf_submit(e, 0);
}

SEC("raw_tp/cgroup_mkdir")
int BPF_PROG(on_mkdir, struct cgroup *cgrp, const char *path)
{
	emit_cgroup(cgrp, path, EV_MKDIR);
	return 0;
}

SEC("raw_tp/cgroup_rmdir")
int BPF_PROG(on_rmdir, struct cgroup *cgrp, const char *path)
{
	emit_cgroup(cgrp, path, EV_RMDIR);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
