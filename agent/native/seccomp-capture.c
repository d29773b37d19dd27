/*
 * seccomp-capture: what the agent cannot get from Node, as plain text lines on stdout.
 *
 *   seccomp-capture procs   pid -> cgroup v2 id from BPF tracepoints (CAP_BPF + CAP_PERFMON):
 *                             fork PID CGID MS | exec PID CGID MS | attach PID CGID MS | exit PID MS
 *                             mkdir CGID PATH | rmdir CGID | lost N | ready
 *                           stdin `sync N` is answered with `sync N` once every event the kernel had
 *                           made by then is written.
 *   seccomp-capture audit   the audit multicast group (CAP_AUDIT_READ, initial network namespace):
 *                             seccomp TEXT (a type=1326 record) | overrun | ready
 *   seccomp-capture audit-relay SOCKET
 *                           the same lines to one client at a time on a Unix socket (owner-only), for
 *                           an agent outside the initial network namespace; a client that connects is
 *                           first told `missed N` when records came while no one was connected.
 *
 * MS is the event's wall-clock time in ms with µs decimals. Errors: one `error WHAT: REASON` line on
 * stderr and exit status 2 (not permitted) or 1 (anything else).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <bpf/libbpf.h>
#include "procs.h"
#include "procs.skel.h"

#define AUDIT_SECCOMP_TYPE 1326

static int fail(const char *what, int err)
{
	fprintf(stderr, "error %s: %s\n", what, strerror(err));
	return err == EPERM || err == EACCES ? 2 : 1;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME, read per batch so a clock step is followed. */
static double wall_offset_ms(void)
{
	struct timespec real, boot;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (real.tv_sec - boot.tv_sec) * 1e3 + (real.tv_nsec - boot.tv_nsec) / 1e6;
}

static double offset_ms;

static int on_event(void *ctx, void *data, size_t size)
{
	const struct proc_event *e = data;
	double ms = e->boot_ns / 1e6 + offset_ms;
	(void)ctx;
	switch (e->kind) {
	case EV_FORK:
		printf("fork %u %llu %.3f\n", e->pid, e->cgroup_id, ms);
		break;
	case EV_EXEC:
		printf("exec %u %llu %.3f\n", e->pid, e->cgroup_id, ms);
		break;
	case EV_ATTACH:
		printf("attach %u %llu %.3f\n", e->pid, e->cgroup_id, ms);
		break;
	case EV_EXIT:
		printf("exit %u %.3f\n", e->pid, ms);
		break;
	case EV_MKDIR:
		if (size >= sizeof(struct cgroup_event)) {
			const struct cgroup_event *c = data;
			char path[CGROUP_PATH_MAX];
			size_t i;
			/* One event per line whatever a cgroup is called. */
			for (i = 0; i + 1 < sizeof(path) && c->path[i]; i++)
				path[i] = c->path[i] == '\n' ? ' ' : c->path[i];
			path[i] = 0;
			printf("mkdir %llu %s\n", e->cgroup_id, path);
		}
		break;
	case EV_RMDIR:
		printf("rmdir %llu\n", e->cgroup_id);
		break;
	}
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* Reads stdin; answers `sync N` after draining the ring. Returns 0 on EOF (the agent is gone). */
static int serve_stdin(struct ring_buffer *rb, char *buf, size_t cap, size_t *len)
{
	ssize_t n = read(0, buf + *len, cap - *len - 1);
	if (n <= 0)
		return 0;
	*len += n;
	buf[*len] = 0;
	char *line = buf, *nl;
	while ((nl = strchr(line, '\n'))) {
		*nl = 0;
		if (strncmp(line, "sync ", 5) == 0) {
			offset_ms = wall_offset_ms();
			ring_buffer__consume(rb);
			printf("sync %s\n", line + 5);
		}
		line = nl + 1;
	}
	*len = strlen(line);
	memmove(buf, line, *len);
	if (*len == cap - 1)
		*len = 0; /* a line that long is no request */
	return 1;
}

static int run_procs(void)
{
	struct procs_bpf *skel;
	struct ring_buffer *rb = NULL;
	int err, ep = -1;
	unsigned long long reported_lost = 0;
	char buf[256];
	size_t len = 0;

	libbpf_set_print(libbpf_quiet);
	skel = procs_bpf__open_and_load();
	if (!skel)
		return fail("loading the BPF programs", errno);
	err = procs_bpf__attach(skel);
	if (err) {
		err = fail("attaching the BPF programs", -err);
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb) {
		err = fail("opening the ring buffer", errno);
		goto out;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event in = { .events = EPOLLIN, .data.u32 = 0 }, ring = { .events = EPOLLIN, .data.u32 = 1 };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in) || epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ring)) {
		err = fail("epoll", errno);
		goto out;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct epoll_event ev[2];
		int n = epoll_wait(ep, ev, 2, 1000);
		if (n < 0 && errno != EINTR) {
			err = fail("epoll_wait", errno);
			goto out;
		}
		offset_ms = wall_offset_ms();
		ring_buffer__consume(rb);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u32 == 0 && !serve_stdin(rb, buf, sizeof(buf), &len)) {
				err = 0;
				goto out;
			}
		}
		if (skel->bss->lost != reported_lost) {
			printf("lost %llu\n", skel->bss->lost - reported_lost);
			reported_lost = skel->bss->lost;
		}
		if (fflush(stdout) == EOF) {
			err = 0;
			goto out;
		}
	}
out:
	if (ep >= 0)
		close(ep);
	ring_buffer__free(rb);
	procs_bpf__destroy(skel);
	return err;
}

static int open_audit_group(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0)
		return -fail("opening an audit netlink socket", errno);
	/* A burst must not overrun the socket; the kernel caps this at net.core.rmem_max. */
	int rcvbuf = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = AUDIT_NLGRP_READLOG };
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = -fail("joining the audit multicast group", errno);
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Reads what is queued on the audit socket and writes each seccomp record as a line to out (or only
 * counts it in *missed when out is NULL). Returns -1 on a fatal socket error.
 */
static int read_audit(int fd, FILE *out, unsigned long long *missed)
{
	/* MAX_AUDIT_MESSAGE_LENGTH (8970) and the header. */
	static char buf[16384];
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		if (errno == ENOBUFS) {
			if (out)
				fputs("overrun\n", out);
			else
				(*missed)++;
			return 0;
		}
		return fail("reading the audit socket", errno), -1;
	}
	/*
	 * Each datagram of the group is one record. Its header's length is not trusted to walk further
	 * (stepping by it past the datagram crashed the helper after a burst): the text ends at the
	 * datagram's end, its header's length, or the first newline or NUL, whichever comes first.
	 */
	size_t len = (size_t)n;
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	if (len < NLMSG_HDRLEN || h->nlmsg_type != AUDIT_SECCOMP_TYPE)
		return 0;
	if (!out) {
		(*missed)++;
		return 0;
	}
	const char *text = (const char *)NLMSG_DATA(h);
	size_t tlen = len - NLMSG_HDRLEN;
	if (h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len - NLMSG_HDRLEN < tlen)
		tlen = h->nlmsg_len - NLMSG_HDRLEN;
	for (size_t i = 0; i < tlen; i++)
		if (text[i] == '\n' || text[i] == 0) {
			tlen = i;
			break;
		}
	fprintf(out, "seccomp %.*s\n", (int)tlen, text);
	return 0;
}

static int run_audit(void)
{
	int fd = open_audit_group();
	if (fd < 0)
		return -fd;
	printf("ready\n");
	fflush(stdout);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	for (;;) {
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return fail("poll", errno);
		if (read_audit(fd, stdout, NULL) < 0)
			return 1;
		if (fflush(stdout) == EOF)
			return 0;
	}
}

static int run_audit_relay(const char *path)
{
	int fd = open_audit_group();
	if (fd < 0)
		return -fd;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path))
		return fail("socket path", ENAMETOOLONG);
	strcpy(addr.sun_path, path);
	int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unlink(path);
	/* Owner only: the records name every process on the node. */
	mode_t old = umask(0177);
	if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 1))
		return fail("listening on the relay socket", errno);
	umask(old);
	printf("ready\n");
	fflush(stdout);
	FILE *client = NULL;
	unsigned long long missed = 0;
	for (;;) {
		struct pollfd p[3] = { { .fd = fd, .events = POLLIN }, { .fd = listener, .events = POLLIN }, { .fd = client ? fileno(client) : -1, .events = POLLIN } };
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			return fail("poll", errno);
		if (client && (p[2].revents & (POLLHUP | POLLERR | POLLIN))) {
			/* The agent sends nothing: readable means it hung up. */
			fclose(client);
			client = NULL;
		}
		if (p[1].revents & POLLIN) {
			int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				if (client)
					fclose(client);
				client = fdopen(c, "w");
				if (client && missed) {
					fprintf(client, "missed %llu\n", missed);
					missed = 0;
				}
			}
		}
		if ((p[0].revents & POLLIN) && read_audit(fd, client, &missed) < 0)
			return 1;
		if (client && fflush(client) == EOF) {
			fclose(client);
			client = NULL;
		}
	}
}

int main(int argc, char **argv)
{
	/* Never outlive the agent that reads us. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && strcmp(argv[1], "procs") == 0)
		return run_procs();
	if (argc == 2 && strcmp(argv[1], "audit") == 0)
		return run_audit();
	if (argc == 3 && strcmp(argv[1], "audit-relay") == 0)
		return run_audit_relay(argv[2]);
	fprintf(stderr, "usage: seccomp-capture procs | audit | audit-relay SOCKET\n");
	return 64;
}
