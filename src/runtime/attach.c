/* attach: attach every probe through its provider, detach them all, and run the begin/end programs
 * once each with BPF_PROG_TEST_RUN (they are raw_tp programs attached to nothing).
 * Attach is all or nothing: when a probe fails, the links made so far are destroyed before returning,
 * so nothing stays in the kernel. Probes go in the order that makes several blocks on one attach point
 * run in script order (attach_order).
 * Detaching (rt_detach): the links are destroyed on many threads at once, so that their grace periods
 * overlap, and many perf events are released by another process (close_all says why).
 * Detaching at exit without the stop flag (rt_detach_early): destroying a perf event link (tracepoints)
 * takes the program off the tracepoint at once, then waits for RCU grace periods (30 ms to several
 * 100 ms on a loaded machine). Those links are destroyed on a thread; the caller goes on as soon as
 * the tracepoints no longer list its programs (PERF_EVENT_IOC_QUERY_BPF on duplicates of the perf
 * event fds, which the thread closes last), so the maps are read after the programs stopped, and
 * printed while the kernel finishes; rt_detach_finish joins the thread. See rt_int.h. */
#define _GNU_SOURCE /* DT_LNK, pipe2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes/provider.h"
#include "program/program.h"
#include "support/diag.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"

static bool is_special(const struct et_probe_desc *p, bool *is_end)
{
	*is_end = (p->provider->flags & PROVIDER_END) != 0;
	return (p->provider->flags & (PROVIDER_BEGIN | PROVIDER_END)) != 0;
}

static void attach_hint(struct rt_run *r, const struct et_probe_desc *p, int err)
{
	const char *why = NULL, *instead = NULL;

	if (p->provider->supported && p->provider->supported(&why, &instead) && why) {
		diag_hint(r->diag, "%s%s%s", why, instead ? "; " : "", instead ? instead : "");
		return;
	}
	if (err == -EPERM || err == -EACCES)
		diag_hint(r->diag, "run etrace as root (it needs CAP_BPF and CAP_PERFMON)");
	else if (err == -ENOENT && p->raw)
		diag_hint(r->diag, "this event is not a raw tracepoint; read args in the probe to attach it as a "
				   "tracepoint");
	else if (err == -ENOENT)
		diag_hint(r->diag, "list what exists with: etrace -l '%s:*'", p->provider->name);
	else if (err == -ENOSPC && p->bp_len)
		diag_hint(r->diag, "every hardware breakpoint register is taken (a CPU has few, 4 on x86_64, and "
				   "debuggers share them): watch fewer addresses at once");
}

/* Fault injection for the tests of "nothing left behind": ETRACE_TEST_FAIL_ATTACH=N makes the Nth probe
 * to attach (1-based, begin/end not counted) fail with EIO after the ones before it are attached. */
static uint32_t injected_failure(void)
{
	const char *v = getenv("ETRACE_TEST_FAIL_ATTACH");

	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

static bool newest_first(const struct et_probe_desc *p)
{
	return p->provider->newest_first && p->provider->newest_first(p);
}

/* The order to attach in: the probes the kernel runs in attach order in script order, then the others
 * (newest first) in reverse script order. Several blocks on one attach point then run in script order
 * on every event, as bpftrace attaches them (an exit() in the second block comes after the first
 * block's printf). Returns an array of nprobes indexes (free it). */
static uint32_t *attach_order(const struct et_program *prog)
{
	uint32_t *order = rt_xcalloc(prog->nprobes + 1, sizeof(*order)), n = 0, i;

	for (i = 0; i < prog->nprobes; i++)
		if (!newest_first(&prog->probes[i]))
			order[n++] = i;
	for (i = prog->nprobes; i-- > 0;)
		if (newest_first(&prog->probes[i]))
			order[n++] = i;
	return order;
}

/* Every probe holds file descriptors (a perf event or link, and the duplicates the detach keeps), so a
 * script on all syscall tracepoints needs about a thousand: more than the soft limit of 1024 that most
 * sessions start with (the 6.1 guest's does). The hard limit is what the administrator allows; raising
 * the soft limit up to it is what a process that needs many descriptors is expected to do. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The probes order[k..] that attach at once through their provider's attach_group (the run of them that
 * share one program, in attach order): how many went (0: none, attach them one at a time), and the
 * error in *err. Not when a failure is injected: those tests count probes one by one. */
static uint32_t attach_group(struct rt_run *r, const uint32_t *order, uint32_t k, bool inject,
			     const struct provider_attach_ctx *ctx, int *err)
{
	const struct et_probe_desc *first = &r->prog->probes[order[k]];
	const struct et_probe_desc **ps;
	uint64_t *cookies;
	uint32_t n = 0;

	*err = 0;
	if (inject || !first->by_cookie || !first->provider->attach_group)
		return 0;
	ps = rt_xcalloc(r->prog->nprobes - k, sizeof(*ps));
	cookies = rt_xcalloc(r->prog->nprobes - k, sizeof(*cookies));
	for (uint32_t j = k; j < r->prog->nprobes; j++) {
		uint32_t i = order[j];

		if (!r->prog->probes[i].by_cookie || r->progs[i] != r->progs[order[k]] ||
		    r->prog->probes[i].provider != first->provider || (r->filtered && r->filtered[i]))
			break;
		ps[n] = &r->prog->probes[i];
		cookies[n++] = i;
	}
	if (n > 1) {
		errno = 0;
		*err = first->provider->attach_group(ps, cookies, n, r->progs[order[k]], ctx);
		if (*err == -EOPNOTSUPP) {
			*err = 0;
			n = 0;
		}
	} else {
		n = 0;
	}
	free(ps);
	free(cookies);
	return n;
}

/* The links probe p's attach() added from links[before] on, for unwatch(). */
static void remember_watches(struct rt_run *r, const struct et_probe_desc *p, uint32_t before)
{
	uint32_t n = r->links->count - before;
	struct rt_watch *w;

	if (!n)
		return;
	w = realloc(r->watches, (r->nwatches + n) * sizeof(*w));
	if (!w)
		return; /* unwatch() will not find them: they stay until the run ends */
	r->watches = w;
	for (uint32_t k = 0; k < n; k++)
		r->watches[r->nwatches++] = (struct rt_watch){p->offset, r->links->links[before + k]};
}

void rt_unwatch(struct rt_run *r, uint64_t addr)
{
	for (uint32_t k = 0; k < r->nwatches; k++) {
		struct rt_watch *w = &r->watches[k];

		if (w->addr != addr || !w->link)
			continue;
		/* still ours? (rt_detach_one_perf may have destroyed it at exit) */
		for (uint32_t i = 0; r->links && i < r->links->count; i++) {
			if (r->links->links[i] != w->link)
				continue;
			bpf_link__destroy(w->link); /* closes the breakpoint event: its debug register is free again */
			r->links->links[i] = r->links->links[--r->links->count];
			break;
		}
		w->link = NULL;
	}
}

int rt_attach(struct rt_run *r)
{
	uint32_t k, nth = 0, fail_at = injected_failure(), *order = attach_order(r->prog);
	/* uprobe, usdt, profile and software probes fire for the -c command or the -p process only */
	struct provider_attach_ctx ctx = {
		.links = r->links,
		.target_pid = r->child_pid > 0 ? r->child_pid : r->opts->pid > 0 ? r->opts->pid : 0,
	};
	int err = 0;

	raise_fd_limit();
	for (k = 0; k < r->prog->nprobes && !err; k++) {
		uint32_t i = order[k];
		const struct et_probe_desc *p = &r->prog->probes[i];
		bool is_end;

		uint32_t group;

		if (is_special(p, &is_end) || (r->filtered && r->filtered[i]))
			continue;
		if ((group = attach_group(r, order, k, fail_at != 0, &ctx, &err)) > 0) {
			nth += group;
			k += group - 1; /* the loop's k++ moves past the group */
		} else if (++nth == fail_at) {
			err = -EIO;
		} else if (!p->provider->attach) {
			err = -EOPNOTSUPP;
		} else {
			uint32_t before = r->links->count;

			errno = 0;
			ctx.cookie = p->by_cookie ? i : 0; /* the probe index its shared program reads */
			err = p->provider->attach(p, r->progs[i], &ctx);
			if (p->provider->flags & PROVIDER_UNWATCH)
				remember_watches(r, p, before);
		}
		if (err && r->prog->missing_probes != ET_MISSING_ERROR) {
			/* config missing_probes = warn / ignore: the probe is skipped, the rest attach */
			if (r->prog->missing_probes == ET_MISSING_WARN) {
				char msg[512];

				if (group)
					snprintf(msg, sizeof(msg), "cannot attach %s and the %u probes attached with it: %s; "
						 "skipping them (missing_probes = warn)", p->name, group - 1, strerror(-err));
				else
					snprintf(msg, sizeof(msg), "cannot attach %s: %s; skipping it (missing_probes = warn)",
						 p->name, strerror(-err));
				diag_print(r->diag, DIAG_WARNING, p->loc, msg, stderr);
			}
			r->skipped += group ? group : 1;
			err = 0;
		} else if (err && group) {
			diag_error(r->diag, p->loc, "cannot attach %s and the %u probes attached with it: %s", p->name,
				   group - 1, strerror(-err));
			attach_hint(r, p, err);
			rt_detach(r);
		} else if (err) {
			diag_error(r->diag, p->loc, "cannot attach %s: %s", p->name, strerror(-err));
			attach_hint(r, p, err);
			rt_detach(r);
		}
	}
	free(order);
	return err;
}

/* At most this many threads release links at once, besides the caller (see close_all). */
#define RT_CLOSE_THREADS 256
/* More perf events than this are released by another process (close_all). */
#define RT_RELEASE_CHILD_MIN 8

/* What close_all owns: the links to destroy (libbpf's, and fds of links made with bpf()), then the
 * duplicated perf event fds to close. */
struct closer {
	struct bpf_link **links;
	size_t nlinks;
	int *link_fds;
	size_t nlink_fds;
	int *fds;
	size_t nfds;
	size_t next; /* the next link a worker takes, atomically */
};

/* A worker: destroys links one at a time until none is left. */
static void *close_some(void *arg)
{
	struct closer *c = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED)) < c->nlinks + c->nlink_fds) {
		if (i < c->nlinks)
			bpf_link__destroy(c->links[i]);
		else
			close(c->link_fds[i - c->nlinks]);
	}
	return NULL;
}

/* Runs close_some on up to RT_CLOSE_THREADS threads and on the caller, and waits for them. */
static void close_parallel(struct closer *c)
{
	pthread_t th[RT_CLOSE_THREADS];
	pthread_attr_t attr;
	size_t n = c->nlinks + c->nlink_fds, nth = 0, want = n > 1 ? (n - 1 < RT_CLOSE_THREADS ? n - 1 : RT_CLOSE_THREADS) : 0;
	bool attr_ok = want && pthread_attr_init(&attr) == 0;

	c->next = 0;
	/* the workers only sit in close(): a small stack is plenty */
	if (attr_ok)
		(void)pthread_attr_setstacksize(&attr, 64 * 1024);
	while (nth < want && pthread_create(&th[nth], attr_ok ? &attr : NULL, close_some, c) == 0)
		nth++;
	if (attr_ok)
		pthread_attr_destroy(&attr);
	close_some(c); /* also when no thread could start */
	while (nth)
		pthread_join(th[--nth], NULL);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Releases the perf events c->fds in a process of its own, which ends when the kernel is done, and
 * closes ours. The perf events no longer run a program (their links are gone) and are disabled
 * (libbpf's link destroy does PERF_EVENT_IOC_DISABLE): what stays in the kernel until then is no BPF
 * object, only events that no longer fire. Double fork: the releasing process is no child of ours and
 * nobody waits for it. It keeps only the perf events (not the output that a reader waits to see
 * closed) and calls only system calls (the caller may have threads). Two pipes order the closes: we
 * return once it holds nothing else of ours (no program or map stays open after the caller's
 * unload), and it closes its perf events only after we closed ours, so that its closes are the last
 * ones, the slow ones. False when no process could start (then nothing is closed). */
static bool release_in_child(struct closer *c)
{
	int done[2], held[2], st, *keep;
	size_t n = c->nfds + 1;
	pid_t pid;
	char byte;

	if (pipe2(done, O_CLOEXEC) != 0)
		return false;
	if (pipe2(held, O_CLOEXEC) != 0) {
		close(done[0]);
		close(done[1]);
		return false;
	}
	keep = rt_xcalloc(n, sizeof(*keep));
	memcpy(keep, c->fds, c->nfds * sizeof(*keep));
	keep[c->nfds] = held[0];
	qsort(keep, n, sizeof(*keep), cmp_int);
	pid = fork();
	if (pid == 0) {
		if (fork() != 0)
			_exit(0);
		(void)setsid();
		(void)prctl(PR_SET_NAME, "etrace-release", 0, 0, 0);
		unsigned first = 0;
		for (size_t i = 0; i < n; i++) {
			if ((unsigned)keep[i] > first)
				(void)syscall(SYS_close_range, first, (unsigned)keep[i] - 1, 0);
			first = (unsigned)keep[i] + 1;
		}
		(void)syscall(SYS_close_range, first, ~0U, 0); /* done[1] and held[1] among them */
		while (read(held[0], &byte, 1) < 0 && errno == EINTR)
			;
		for (size_t i = 0; i < c->nfds; i++)
			close(c->fds[i]);
		_exit(0);
	}
	free(keep);
	close(done[1]);
	close(held[0]);
	while (pid > 0 && read(done[0], &byte, 1) < 0 && errno == EINTR)
		;
	close(done[0]);
	if (pid > 0) {
		(void)waitpid(pid, &st, 0);
		for (size_t i = 0; i < c->nfds; i++)
			close(c->fds[i]);
	}
	close(held[1]);
	return pid > 0;
}

/* Destroys c's links, then closes its fds, and frees c. Destroying a perf event link (tracepoint,
 * kprobe, uprobe) detaches the program, which waits for grace periods (RCU tasks-trace, RCU: 20-70 ms
 * each here); threads that do it at the same time wait for the same grace periods, so the links are
 * destroyed on many threads at once (359 syscall tracepoints: 26 s one after another, 0.08 s on
 * threads). Releasing the perf event itself waits for them again, and that the kernel does one event
 * at a time (perf_trace_destroy holds event_mutex across tracepoint_synchronize_unregister: 36 ms
 * each here, 13 s for 359 on any number of threads). c->fds are duplicates of the perf events
 * (dup_perf_events), so the links' destroy leaves that part to them: with more than
 * RT_RELEASE_CHILD_MIN of them another process releases them (release_in_child) and this one goes on. */
static void *close_all(void *arg)
{
	struct closer *c = arg;

	close_parallel(c);
	if (c->nfds <= RT_RELEASE_CHILD_MIN || !release_in_child(c))
		for (size_t i = 0; i < c->nfds; i++)
			close(c->fds[i]);
	free(c->links);
	free(c->link_fds);
	free(c->fds);
	free(c);
	return NULL;
}

/* Duplicates (close-on-exec) of this process's perf event fds, appended to c->fds. */
static void dup_perf_events(struct closer *c)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t cap = 0;

	while (d && (e = readdir(d))) {
		char path[64], target[32];
		ssize_t len;
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		if (len <= 0)
			continue;
		target[len] = 0;
		if (strcmp(target, "anon_inode:[perf_event]") != 0)
			continue;
		if (c->nfds == cap) {
			cap = cap ? cap * 2 : 16;
			int *fds = realloc(c->fds, cap * sizeof(*fds));
			if (!fds)
				break;
			c->fds = fds;
		}
		if ((c->fds[c->nfds] = fcntl(fd, F_DUPFD_CLOEXEC, 0)) >= 0)
			c->nfds++;
	}
	if (d)
		closedir(d);
}

void rt_detach(struct rt_run *r)
{
	free(r->watches);
	r->watches = NULL;
	r->nwatches = 0;
	if (!r->links)
		return;
	if (r->links->count || r->links->nfds) {
		struct closer *c = rt_xcalloc(1, sizeof(*c));

		c->links = r->links->links;
		c->nlinks = r->links->count;
		c->link_fds = r->links->fds;
		c->nlink_fds = r->links->nfds;
		r->links->links = NULL;
		r->links->fds = NULL;
		dup_perf_events(c);
		close_all(c);
	}
	free(r->links->links);
	free(r->links->fds);
	r->links->links = NULL;
	r->links->fds = NULL;
	r->links->count = r->links->cap = 0;
	r->links->nfds = r->links->fdcap = 0;
}

int rt_run_special(struct rt_run *r, bool end)
{
	uint32_t i;
	int first_err = 0;

	for (i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		LIBBPF_OPTS(bpf_test_run_opts, topts);
		bool is_end;
		int err;

		if (!is_special(p, &is_end) || is_end != end)
			continue;
		err = bpf_prog_test_run_opts(bpf_program__fd(r->progs[i]), &topts);
		if (err) {
			err = -errno;
			diag_error(r->diag, p->loc, "cannot run %s: %s", p->name, strerror(-err));
			if (!first_err)
				first_err = err;
		}
	}
	return first_err;
}

bool rt_run_self_signal(struct rt_run *r)
{
	bool any = false;

	for (uint32_t i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		LIBBPF_OPTS(bpf_test_run_opts, topts);

		if (!(p->provider->flags & PROVIDER_SELF_SIGNAL) || (r->filtered && r->filtered[i]))
			continue;
		any = true;
		if (r->progs && r->progs[i] && bpf_prog_test_run_opts(bpf_program__fd(r->progs[i]), &topts) != 0)
			diag_print(r->diag, DIAG_WARNING, p->loc, "cannot run self:signal:SIGUSR1", stderr);
	}
	return any;
}

static bool is_perf_link(struct bpf_link *l)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(bpf_link__fd(l), &info, &len) == 0 && info.type == BPF_LINK_TYPE_PERF_EVENT;
}

/* Whether the tracepoint of perf event fd still runs one of the programs ids[0..n) (false when the
 * kernel cannot tell: not a tracepoint, kprobe or uprobe event). */
static bool still_attached(int fd, const uint32_t *ids, size_t n, bool *unknown)
{
	/* struct perf_event_query_bpf { u32 ids_len, prog_cnt; u32 ids[]; } with room for 64 ids */
	uint32_t q[2 + 64] = {64};

	if (ioctl(fd, PERF_EVENT_IOC_QUERY_BPF, q) != 0) {
		if (errno != ENOSPC) {
			*unknown = true;
			return false;
		}
		return true; /* more than 64 programs on it: assume ours is among them */
	}
	for (uint32_t i = 0; i < q[1] && i < 64; i++)
		for (size_t k = 0; k < n; k++)
			if (q[2 + i] == ids[k])
				return true;
	return false;
}

bool rt_detach_one_perf(struct rt_run *r)
{
	if (!r->links || r->closer_running)
		return false;
	for (uint32_t i = 0; i < r->links->count; i++) {
		if (!is_perf_link(r->links->links[i]))
			continue;
		bpf_link__destroy(r->links->links[i]);
		r->links->links[i] = r->links->links[--r->links->count];
		return true;
	}
	/* a uprobe_multi link's release waits for an RCU tasks-trace grace period too */
	if (r->links->nfds) {
		close(r->links->fds[--r->links->nfds]);
		return true;
	}
	return false;
}

void rt_detach_early(struct rt_run *r)
{
	struct closer *c;
	uint32_t *ids;
	size_t nids = 0, keep = 0;

	if (!r->links || !(r->links->count + r->links->nfds) || r->closer_running)
		return;
	/* links other than perf event links (raw tracepoints...) detach at once: destroy them here */
	c = rt_xcalloc(1, sizeof(*c));
	c->links = rt_xcalloc(r->links->count, sizeof(*c->links));
	for (uint32_t i = 0; i < r->links->count; i++) {
		if (is_perf_link(r->links->links[i]))
			c->links[c->nlinks++] = r->links->links[i];
		else
			r->links->links[keep++] = r->links->links[i];
	}
	r->links->count = (uint32_t)keep;
	rt_detach(r);
	if (!c->nlinks) {
		close_all(c);
		return;
	}
	/* a perf event link detaches its program from the tracepoint first, then waits for an RCU
	 * tasks-trace grace period (perf_event_detach_bpf_prog), and the perf event's release waits again
	 * (tracepoint_synchronize_unregister): 30 ms to several 100 ms. Destroy them on a thread and go on
	 * as soon as the tracepoints no longer list our programs. */
	dup_perf_events(c);
	ids = rt_xcalloc(r->prog->nprobes + 1, sizeof(*ids));
	for (uint32_t i = 0; i < r->prog->nprobes; i++) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (r->progs && r->progs[i] && bpf_obj_get_info_by_fd(bpf_program__fd(r->progs[i]), &info, &len) == 0)
			ids[nids++] = info.id;
	}
	int *fds = rt_xcalloc(c->nfds + 1, sizeof(*fds));
	size_t nfds = c->nfds;
	bool unknown = false;
	memcpy(fds, c->fds, nfds * sizeof(*fds));
	for (size_t i = 0; i < nfds && !unknown; i++)
		still_attached(fds[i], ids, nids, &unknown);
	if (unknown || pthread_create(&r->closer, NULL, close_all, c) != 0) {
		/* events the kernel cannot list programs for (software events: profile, interval), or no
		 * thread: destroy here, as rt_detach does */
		close_all(c);
	} else {
		bool attached = true;

		r->closer_running = true;
		/* the thread owns c and closes the duplicates only after the links, so fds stay valid
		 * here while it is destroying links; bounded: after 2 s, wait for the thread */
		for (int spin = 0; attached && !unknown && spin < 20000; spin++) {
			attached = false;
			for (size_t i = 0; i < nfds && !attached && !unknown; i++)
				attached = still_attached(fds[i], ids, nids, &unknown);
			if (attached)
				usleep(100);
		}
		if (attached || unknown)
			rt_detach_finish(r);
	}
	free(fds);
	free(ids);
}

void rt_detach_finish(struct rt_run *r)
{
	if (r->closer_running)
		pthread_join(r->closer, NULL);
	r->closer_running = false;
}
