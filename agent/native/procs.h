/* What the BPF side hands the helper through its ring buffer. */
#ifndef SECCOMP_CAPTURE_PROCS_H
#define SECCOMP_CAPTURE_PROCS_H

#define CGROUP_PATH_MAX 512

enum proc_event_kind {
	EV_FORK = 1,
	EV_EXEC = 2,
	EV_EXIT = 3,
	EV_ATTACH = 4,
	EV_MKDIR = 5,
	EV_RMDIR = 6,
};

struct proc_event {
	unsigned int kind;
	/* Thread group id: what a seccomp record's pid= names. */
	unsigned int pid;
	/* cgroup v2 id (its directory's inode number) the process runs in, or the cgroup made/removed. */
	unsigned long long cgroup_id;
	/* CLOCK_BOOTTIME, ns. */
	unsigned long long boot_ns;
};

struct cgroup_event {
	struct proc_event head;
	char path[CGROUP_PATH_MAX];
};

#endif
