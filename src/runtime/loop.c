/* loop: rt_run(), the whole life of a loaded program.
 *
 *   fork the -c command (held on a pipe until the probes are attached, so `cpid` is known at load)
 *   block SIGINT/SIGTERM/SIGHUP/SIGPIPE, read them from a signalfd (SIGPIPE: the output pipe closed)
 *   open a pidfd for the -c command or the -p process (before the attach: it may end right after it)
 *   load → run begin → attach the other probes → "Attached N probes" → release the -c command
 *   epoll over: the signalfd, the ring buffer's epoll fd, skboutput()'s perf buffer (pcap.c), a pidfd
 *   for the -c command or -p process,
 *   with a 100 ms tick that drains records submitted without a wakeup
 *   stop (signal, exit(), the watched process ended) → detach → run end → drain the ring buffer →
 *   print the maps → report lost events → close everything, restore the signal mask
 *
 * Every exit path goes through the same cleanup, so nothing (program, link, map, child) outlives
 * rt_run(). See rt.h. */
#define _DEFAULT_SOURCE /* syscall */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes/provider.h"
#include "program/program.h"
#include "support/diag.h"
#include "runtime/rt.h"
#include "runtime/metrics.h"
#include "runtime/rt_int.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static int rt_verbose;
static bool rt_debug_libbpf; /* -d libbpf */

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if ((level == LIBBPF_WARN && rt_verbose >= 1) || rt_verbose >= 2 || rt_debug_libbpf)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

int rt_spawn_child(const char *cmd, int *go_fd, struct diag_sink *diag)
{
	wordexp_t we;
	int pfd[2];
	pid_t pid;

	if (wordexp(cmd, &we, WRDE_NOCMD) != 0 || we.we_wordc == 0) {
		diag_error(diag, (struct et_loc){0}, "cannot parse the command '%s'", cmd);
		return -EINVAL;
	}
	if (pipe(pfd)) {
		wordfree(&we);
		return -errno;
	}
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(pfd[0]);
		close(pfd[1]);
		wordfree(&we);
		return err;
	}
	if (pid == 0) {
		char c;

		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			_exit(127); /* etrace gave up before attaching */
		execvp(we.we_wordv[0], we.we_wordv);
		fprintf(stderr, "etrace: cannot run %s: %s\n", we.we_wordv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	wordfree(&we);
	*go_fd = pfd[1];
	return pid;
}

static int add_fd(int ep, int fd, uint32_t tag)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = tag};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) ? -errno : 0;
}

/* Whether nothing but begin/end is attached (probes the run left out, test: and bench: ones, do not
 * count). */
static bool only_begin_end(const struct rt_run *r)
{
	const struct et_program *prog = r->prog;
	uint32_t i;

	for (i = 0; i < prog->nprobes; i++)
		if (!(prog->probes[i].provider->flags & (PROVIDER_BEGIN | PROVIDER_END)) &&
		    !(r->filtered && r->filtered[i]))
			return false;
	return true;
}

/* The iter probe of the script, when it has one (then it is the only probe: sema checks). */
static const struct et_probe_desc *iter_probe(const struct et_program *prog)
{
	for (uint32_t i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].provider->flags & PROVIDER_ITER)
			return &prog->probes[i];
	return NULL;
}

/* Run the iter probe: read an iterator made from its link to the end, which runs the program once per
 * kernel object in this read(); what it printed reaches the ring buffer and is shown after each read (a
 * seq_file output, which etrace's programs do not write, would be copied out as read). Then the run
 * ends. With a pin (p->target) the link is pinned there instead, for later reads. 0 or -1 (reported). */
static int run_iter(struct rt_run *r, const struct et_probe_desc *p)
{
	struct bpf_link *link = r->links->count ? r->links->links[0] : NULL;
	char buf[4096];
	ssize_t n;
	int fd;

	if (!link) {
		diag_error(r->diag, p->loc, "%s: the iterator's link was not made", p->name);
		return -1;
	}
	if (p->target) {
		/* iter:NAME:PIN: the link pinned for later reads (each read runs the program, which writes to
		 * the reader's seq_file); etrace is done, as bpftrace */
		if (bpf_link__pin(link, p->target)) {
			diag_error(r->diag, p->loc, "%s: cannot pin the iterator at %s: %s", p->name, p->target,
				   strerror(errno));
			if (errno == EINVAL)
				diag_hint(r->diag, "a pin is a new file in a BPF filesystem (mount -t bpf bpf /sys/fs/bpf)");
			return -1;
		}
		fprintf(r->out, "Program pinned to %s\n", p->target);
		fflush(r->out);
		return 0;
	}
	r->in_iter = true;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		diag_error(r->diag, p->loc, "%s: cannot open the iterator: %s", p->name, strerror(errno));
		r->in_iter = false;
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0)
			fwrite(buf, 1, (size_t)n, r->out);
		if (r->rb)
			ring_buffer__consume(r->rb);
	}
	if (n < 0)
		diag_error(r->diag, p->loc, "%s: reading the iterator failed: %s", p->name, strerror(errno));
	close(fd);
	if (r->rb)
		ring_buffer__consume(r->rb);
	rt_flush_output(r);
	r->in_iter = false;
	return n < 0 ? -1 : 0;
}

/* How often the ring buffer is drained: codegen submits most records with BPF_RB_NO_WAKEUP (cheap in
 * the probe), so only exit/clear/zero/print(@m) wake the loop up; the rest is read on this tick. */
#define RT_POLL_MS 100

/* records one drain of the event loop handles before looking at signals again */
#define RT_BATCH_MAX 65536

enum { TAG_SIGNAL, TAG_RINGBUF, TAG_PROC, TAG_PERFBUF };

static void event_loop(struct rt_run *r, int ep, int sfd, int proc_fd)
{
	struct epoll_event evs[4];
	int n, i;

	while (!r->stop) {
		n = epoll_wait(ep, evs, 4, RT_POLL_MS);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* records submitted without a wakeup (printf and most events) are picked up here, at most
		 * batch_limit per round so that signals are seen under any load */
		r->batch = 0;
		if (r->rb)
			ring_buffer__consume(r->rb);
		rt_pcap_consume(r); /* skboutput(): each packet wakes the loop */
		for (i = 0; i < n; i++) {
			if (evs[i].data.u32 == TAG_SIGNAL) {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
					continue;
				if (si.ssi_signo == SIGUSR1) /* only in the mask for self:signal:SIGUSR1 */
					rt_run_self_signal(r);
				else
					r->stop = true;
			} else if (evs[i].data.u32 == TAG_RINGBUF || evs[i].data.u32 == TAG_PERFBUF) {
				/* consumed above */
			} else if (evs[i].data.u32 == TAG_PROC) {
				(void)proc_fd;
				r->stop = true;
			}
		}
		rt_flush_output(r);
		if (ferror(r->out))
			r->stop = true; /* the output is gone (EPIPE: a closed pipe): nothing more can be shown */
	}
	r->batch_limit = 0; /* the final drain, after detach, reads everything */
}

int rt_run(struct et_program *prog, const struct rt_options *opts, struct diag_sink *diag)
{
	struct provider_links links = {0};
	struct rt_run r = {0};
	sigset_t mask, old_mask;
	libbpf_print_fn_t old_print;
	int sfd = -1, ep = -1, proc_fd = -1, go_fd = -1, status = 1, err;
	bool mask_set = false, stopped = false;
	uint64_t lost, dropped, t0;
	struct rt_metrics *metrics = NULL;

	r.prog = prog;
	r.opts = opts;
	r.diag = diag;
	r.out = opts->out ? opts->out : stdout;
	r.links = &links;
	r.lost_fd = -1;
	r.stats_fd = -1;
	rt_verbose = opts->verbose;
	rt_debug_libbpf = opts->debug_libbpf;
	old_print = libbpf_set_print(libbpf_log);

	/* bpftrace's prerun: nothing left to attach (missing_probes dropped every probe) is a failure */
	if (prog->nprobes == 0) {
		if (!opts->quiet) {
			fputs("No probes to attach\n", r.out);
			fflush(r.out);
		}
		goto out;
	}
	if (opts->cmd) {
		err = rt_spawn_child(opts->cmd, &go_fd, diag);
		if (err < 0)
			goto out;
		r.child_pid = err;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	/* a closed output pipe (etrace ... | head -1): the write fails with EPIPE and SIGPIPE, read from the
	 * signalfd like Ctrl-C, stops the trace cleanly instead of killing the process */
	sigaddset(&mask, SIGPIPE);
	/* self:signal:SIGUSR1: the signal runs those probes instead of killing etrace */
	for (uint32_t i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].provider->flags & PROVIDER_SELF_SIGNAL)
			sigaddset(&mask, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &mask, &old_mask) == 0)
		mask_set = true;
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0 || add_fd(ep, sfd, TAG_SIGNAL)) {
		diag_error(diag, (struct et_loc){0}, "cannot set up the event loop: %s", strerror(errno));
		goto out;
	}
	/* the -c command (held on its pipe) or the -p process is watched from before the load, so that one
	 * which ends right after the attach (its work done as soon as the probes are there) ends the run with
	 * its counts; a pidfd opened after the attach found it gone ("No such process") and failed the run */
	if (r.child_pid > 0 || opts->pid > 0) {
		int pid = r.child_pid > 0 ? r.child_pid : opts->pid;

		proc_fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (proc_fd < 0 || add_fd(ep, proc_fd, TAG_PROC)) {
			diag_error(diag, (struct et_loc){0}, "cannot watch process %d: %s", pid, strerror(errno));
			goto out;
		}
	}

	t0 = rt_now_ns();
	if (rt_load(&r))
		goto out;
	r.load_ns = rt_now_ns() - t0;
	rt_stats_begin(&r);
	if (prog->ringbuf_name) {
		struct bpf_map *m = bpf_object__find_map_by_name(r.obj, prog->ringbuf_name);

		r.rb = m ? ring_buffer__new(bpf_map__fd(m), rt_handle_event, &r, NULL) : NULL;
		if (!r.rb || add_fd(ep, ring_buffer__epoll_fd(r.rb), TAG_RINGBUF)) {
			diag_error(diag, (struct et_loc){0}, "cannot open the ring buffer %s: %s", prog->ringbuf_name,
				   strerror(errno));
			goto out;
		}
	}
	if (opts->dry_run) {
		/* --dry-run: what bpftrace does, attach everything and stop before begin runs */
		if (rt_attach(&r) == 0)
			status = 0;
		rt_detach(&r);
		goto out;
	}
	/* skboutput(): the pcap files exist (with their headers) before anything can fire */
	if (rt_pcap_open(&r))
		goto out;
	if (r.pcap && add_fd(ep, rt_pcap_epoll_fd(&r), TAG_PERFBUF)) {
		diag_error(diag, (struct et_loc){0}, "cannot poll the perf buffer %s: %s", ET_SKB_MAP_NAME, strerror(errno));
		goto out;
	}
	if (rt_run_special(&r, false))
		goto out;
	if (opts->mode != RT_MODE_RUN) {
		/* --test / --bench: begin, the tests or benchmarks, end; nothing attached, no maps */
		if (r.rb)
			ring_buffer__consume(r.rb); /* begin's output first */
		int rc = opts->mode == RT_MODE_TEST ? rt_run_tests(&r) : rt_run_benches(&r);

		rt_run_special(&r, true);
		if (r.rb)
			ring_buffer__consume(r.rb);
		rt_flush_output(&r);
		if (opts->format != RT_FORMAT_JSON)
			fputs("\n\n", r.out); /* bpftrace ends its text output so */
		fflush(r.out);
		status = rc < 0 ? 1 : rc != 0 ? rc : r.exit_code;
		goto out;
	}
	/* the server starts before the attach, so an address it cannot bind fails the run with nothing
	 * attached; it is stopped before anything is detached or printed */
	if (opts->metrics && !(metrics = rt_metrics_start(&r, opts->metrics)))
		goto out;
	t0 = rt_now_ns();
	if (rt_attach(&r))
		goto out;
	r.attach_ns = rt_now_ns() - t0;
	if (opts->verbose)
		rt_report_verbose(&r);
	uint32_t nattached = prog->nprobes - r.skipped - r.nfiltered;
	if (!opts->quiet && opts->format == RT_FORMAT_JSON) {
		fprintf(r.out, "{\"type\": \"attached_probes\", \"count\": %u, \"data\": {\"probes\": %u}}\n", nattached,
			nattached);
		fflush(r.out);
	} else if (!opts->quiet) {
		fprintf(stderr, "Attached %u probe%s\n", nattached, nattached == 1 ? "" : "s");
		fflush(stderr);
	}
	/* every drain while probes are attached is bounded: a probe on the system calls etrace makes while
	 * printing would otherwise feed the drain for ever */
	r.batch_limit = RT_BATCH_MAX;
	if (r.rb) {
		ring_buffer__consume(r.rb); /* begin's output (and maybe its exit()) before the command runs */
		rt_flush_output(&r);
	}
	if (go_fd >= 0) {
		char c = 1;

		if (write(go_fd, &c, 1) != 1) {
			diag_error(diag, (struct et_loc){0}, "cannot start the command: %s", strerror(errno));
			rt_detach(&r);
			goto out;
		}
		close(go_fd);
		go_fd = -1;
	}

	if (only_begin_end(&r) && !opts->cmd && opts->pid <= 0)
		r.stop = true; /* nothing can fire any more (bpftrace exits too since 0.24) */
	if (iter_probe(prog)) {
		if (run_iter(&r, iter_probe(prog)))
			r.exit_code = 1;
		r.stop = true; /* the iterator has run over every object: the run is over, as in bpftrace */
	}
	event_loop(&r, ep, sfd, proc_fd);
	rt_metrics_stop(metrics);
	metrics = NULL;

	/* the stop flag makes every probe return at once; once the runs already past it have ended (one
	 * detach waits for the grace periods that end them), the maps are final and print now, and the
	 * other probes are detached after (~100 ms each). Without the flag the probes are detached first. */
	stopped = rt_stop_probes(&r);
	if (stopped)
		rt_detach_one_perf(&r);
	else
		rt_detach_early(&r);
	if (r.rb && r.discard)
		ring_buffer__consume(r.rb); /* what fired after exit(): consumed, not shown */
	r.discard = ferror(r.out); /* END's output is shown, if it can be */
	rt_run_special(&r, true);
	if (r.rb)
		ring_buffer__consume(r.rb);
	rt_pcap_consume(&r);
	rt_flush_output(&r);
	/* bpftrace's text output ends the trace so, maps printed or not; its JSON output (one object a line)
	 * has no empty lines */
	if (opts->format != RT_FORMAT_JSON)
		fputs("\n\n", r.out);
	if (!prog->no_exit_print) /* config print_maps_on_exit = false: no maps after the trace */
		rt_print_all_maps(&r);
	fflush(r.out);
	lost = rt_lost_events(&r) + rt_pcap_lost(&r);
	rt_report_lost(r.out, opts->format == RT_FORMAT_JSON, lost);
	dropped = rt_dropped_total(&r);
	rt_report_read_faults(&r);
	if (opts->stats)
		rt_report_stats(&r, lost, dropped);
	fflush(r.out);
	fflush(stderr);
	status = r.exit_code;

out:
	rt_metrics_stop(metrics);
	/* before the detach: the release process it forks (attach.c) would inherit the ring's mapping and keep
	 * the ring buffer map alive until it ends; every record that can still be shown is consumed by now */
	ring_buffer__free(r.rb);
	r.rb = NULL;
	rt_pcap_close(&r);
	rt_detach(&r);
	rt_detach_finish(&r);
	rt_stats_end(&r);
	rt_unload(&r);
	if (go_fd >= 0)
		close(go_fd); /* the child reads EOF and exits 127 without running the command */
	if (r.child_pid > 0) {
		int st;

		/* still running (Ctrl-C, exit()): the command does not outlive the trace */
		if (waitpid(r.child_pid, &st, WNOHANG) == 0) {
			kill(r.child_pid, go_fd >= 0 ? SIGKILL : SIGTERM);
			waitpid(r.child_pid, &st, 0);
		}
	}
	if (proc_fd >= 0)
		close(proc_fd);
	if (ep >= 0)
		close(ep);
	if (sfd >= 0)
		close(sfd);
	if (mask_set) {
		/* drop signals that arrived while blocked, so they do not kill us after unblocking */
		struct timespec zero = {0, 0};

		while (sigtimedwait(&mask, NULL, &zero) > 0)
			;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
	}
	rt_str_free(&r.buf);
	libbpf_set_print(old_print);
	fflush(r.out);
	return status;
}
