/* session: the live session's runtime (see rt.h, "The live session").
 *
 * Design. Each block is a unit: an rt_run of its own (object, programs, links, ring buffer), so loading,
 * attaching, begin/end runs, event decoding and the stop flag are the one-shot run's code. What the units
 * share is the session's map table: a map is created by the first unit whose object defines it and kept
 * (a dup of its fd) until the session ends; every later object that defines a map of that name gets the
 * kernel map through bpf_map__reuse_fd before it loads, so old and new blocks count into one map.
 *
 * How the types of one map agree across compiles: the caller compiles a new block together with every
 * block still attached (each its own source file), so sema unifies the map's key and value types over all
 * of them exactly as in one script, and a clash is an ordinary located error at the typed line. Only the
 * new block's programs are loaded (the others are set not to autoload). The BPF definition (type, key and
 * value sizes, entries, flags) and the etrace types are compared before reuse: a map that no attached
 * block uses any more (its blocks were detached) and whose type changed is replaced by the new one (its
 * old contents go, as a new program's map starts empty); one still in use that does not match is an
 * error. Map indexes and event ids are per compile: each unit decodes its records with its own program,
 * and its map fds are the shared ones, so print(@m), clear(@m) in a probe act on the session's map.
 * Every program stays alive until the session is freed: the map table's descriptions point into them.
 * The stack map (kstack/ustack ids stored in maps) is shared the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes/provider.h"
#include "program/program.h"
#include "program/types.h"
#include "support/diag.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"
#include "runtime/symbols.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

struct sess_map {
	const char *name;                /* "@m", or ET_STACK_MAP_NAME (desc NULL) */
	const struct et_map_desc *desc;  /* in prog, which the session keeps */
	const struct et_program *prog;
	int fd;                          /* the session's own reference */
	uint32_t type, key_size, value_size, max_entries, flags;
};

struct unit {
	unsigned number;
	struct rt_run r;
	struct provider_links links;
	struct diag_sink *diag;
};

struct rt_session {
	struct rt_options ro;            /* what the units' rt_run read */
	FILE *out;
	int ep, proc_fd, go_fd, child_pid;
	struct unit **units;
	uint32_t nunits, cap_units;
	struct sess_map *maps;
	uint32_t nmaps, cap_maps;
	struct et_program **progs;       /* every program added, kept until the end */
	uint32_t nprogs, cap_progs;
	int stack_fd;
	bool paused;
	/* rt_session_add's work for the unit being loaded (the prepare callback's context) */
	int *replace;                    /* per prog->maps[i]: index into maps to replace, or -1 */
};

static void *grow(void *p, uint32_t *cap, uint32_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 8;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

struct rt_session *rt_session_new(const struct rt_session_options *o, struct diag_sink *diag)
{
	struct rt_session *s = rt_xcalloc(1, sizeof(*s));

	s->out = o->out ? o->out : stdout;
	s->ro = (struct rt_options){
		.out = s->out, .format = o->format, .quiet = o->quiet, .verbose = o->verbose, .unsafe = o->unsafe,
		.pid = o->pid, .err = o->err,
	};
	s->proc_fd = s->go_fd = s->stack_fd = -1;
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->ep < 0) {
		diag_error(diag, (struct et_loc){0}, "cannot set up the session's event loop: %s", strerror(errno));
		goto fail;
	}
	if (o->cmd) {
		int pid = rt_spawn_child(o->cmd, &s->go_fd, diag);

		if (pid < 0)
			goto fail;
		s->child_pid = pid;
	}
	if (s->child_pid > 0 || o->pid > 0) {
		int pid = s->child_pid > 0 ? s->child_pid : o->pid;
		struct epoll_event e = {.events = EPOLLIN, .data.u32 = 1};

		s->proc_fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (s->proc_fd < 0 || epoll_ctl(s->ep, EPOLL_CTL_ADD, s->proc_fd, &e)) {
			diag_error(diag, (struct et_loc){0}, "cannot watch process %d: %s", pid, strerror(errno));
			goto fail;
		}
	}
	return s;
fail:
	rt_session_free(s);
	return NULL;
}

int rt_session_fd(const struct rt_session *s)
{
	return s->ep;
}

static struct sess_map *find_map(struct rt_session *s, const char *name)
{
	for (uint32_t i = 0; i < s->nmaps; i++)
		if (strcmp(s->maps[i].name, name) == 0)
			return &s->maps[i];
	return NULL;
}

/* Is map `name` used by an attached unit? */
static bool map_in_use(const struct rt_session *s, const char *name)
{
	for (uint32_t u = 0; u < s->nunits; u++)
		for (uint32_t i = 0; i < s->units[u]->r.prog->nmaps; i++)
			if (strcmp(s->units[u]->r.prog->maps[i].name, name) == 0)
				return true;
	return false;
}

static bool same_def(const struct sess_map *m, const struct bpf_map *b)
{
	return m->type == (uint32_t)bpf_map__type(b) && m->key_size == bpf_map__key_size(b) &&
	       m->value_size == bpf_map__value_size(b) && m->max_entries == bpf_map__max_entries(b) &&
	       m->flags == bpf_map__map_flags(b);
}

static bool same_type(const struct et_type *a, const struct et_type *b)
{
	return (!a || !b) ? a == b : type_equal(a, b);
}

/* rt_load's prepare callback: only the new block's programs load, the session's maps are reused. */
static int prepare(struct rt_run *r, void *ctx)
{
	struct rt_session *s = ctx;
	struct bpf_program *p;
	uint32_t i;

	bpf_object__for_each_program(p, r->obj) {
		bool ours = false;

		for (i = 0; i < r->prog->nprobes; i++)
			if (r->progs[i] == p)
				ours = true;
		bpf_program__set_autoload(p, ours);
	}
	for (i = 0; i < r->prog->nmaps; i++) {
		const struct et_map_desc *d = &r->prog->maps[i];
		struct bpf_map *b = bpf_object__find_map_by_name(r->obj, d->elf_name);
		struct sess_map *m = find_map(s, d->name);

		s->replace[i] = -1;
		if (!b || !m)
			continue;
		if (same_def(m, b) && m->desc && same_type(m->desc->key, d->key) && same_type(m->desc->value, d->value)) {
			int err = bpf_map__reuse_fd(b, m->fd);

			if (err) {
				diag_error(r->diag, d->loc, "cannot share the session's map %s: %s", d->name, strerror(-err));
				return err;
			}
		} else if (map_in_use(s, d->name)) {
			diag_error(r->diag, d->loc, "%s is the session's map of another type, used by an attached block",
				   d->name);
			diag_hint(r->diag, "use another map name, or .detach the blocks that use %s", d->name);
			return -EINVAL;
		} else {
			s->replace[i] = (int)(m - s->maps); /* its blocks are gone: the new type wins */
		}
	}
	{
		struct bpf_map *b = bpf_object__find_map_by_name(r->obj, ET_STACK_MAP_NAME);
		struct sess_map *m = find_map(s, ET_STACK_MAP_NAME);

		if (b && m && same_def(m, b)) {
			int err = bpf_map__reuse_fd(b, m->fd);

			if (err)
				return err;
		}
	}
	return 0;
}

static void set_map(struct sess_map *m, const char *name, const struct et_map_desc *desc,
		    const struct et_program *prog, int fd, const struct bpf_map *b)
{
	*m = (struct sess_map){
		.name = name, .desc = desc, .prog = prog, .fd = fd, .type = (uint32_t)bpf_map__type(b),
		.key_size = bpf_map__key_size(b), .value_size = bpf_map__value_size(b),
		.max_entries = bpf_map__max_entries(b), .flags = bpf_map__map_flags(b),
	};
}

/* After the load: the maps this object created join the session's table. */
static void adopt_maps(struct rt_session *s, struct unit *u)
{
	const struct et_program *prog = u->r.prog;
	struct bpf_map *b;

	for (uint32_t i = 0; i < prog->nmaps; i++) {
		const struct et_map_desc *d = &prog->maps[i];
		struct sess_map *m = find_map(s, d->name);
		int fd;

		b = bpf_object__find_map_by_name(u->r.obj, d->elf_name);
		if (!b || u->r.map_fds[i] < 0 || (m && s->replace[i] < 0))
			continue;
		fd = fcntl(u->r.map_fds[i], F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (m) {
			close(m->fd);
		} else {
			s->maps = grow(s->maps, &s->cap_maps, s->nmaps, sizeof(*s->maps));
			m = &s->maps[s->nmaps++];
		}
		set_map(m, d->name, d, prog, fd, b);
	}
	b = bpf_object__find_map_by_name(u->r.obj, ET_STACK_MAP_NAME);
	if (b && !find_map(s, ET_STACK_MAP_NAME)) {
		int fd = fcntl(bpf_map__fd(b), F_DUPFD_CLOEXEC, 0);

		if (fd >= 0) {
			s->maps = grow(s->maps, &s->cap_maps, s->nmaps, sizeof(*s->maps));
			set_map(&s->maps[s->nmaps++], ET_STACK_MAP_NAME, NULL, prog, fd, b);
			s->stack_fd = fd;
		}
	}
	sym_set_stack_map(s->stack_fd); /* rt_load set this unit's, or -1 when it has none */
}

static void unit_drain(struct unit *u)
{
	if (!u->r.rb)
		return;
	u->r.batch = 0;
	ring_buffer__consume(u->r.rb);
	rt_flush_output(&u->r);
}

/* Stop, detach, run end, drain, unload; the unit's program stays with the session. */
static void unit_close(struct unit *u, bool run_end)
{
	if (u->r.obj)
		rt_stop_probes(&u->r);
	rt_detach(&u->r);
	rt_detach_finish(&u->r);
	if (u->r.obj && run_end) {
		unit_drain(u);
		u->r.discard = false;
		u->r.batch_limit = 0;
		rt_run_special(&u->r, true);
		unit_drain(u);
	}
	rt_stats_end(&u->r);
	ring_buffer__free(u->r.rb);
	u->r.rb = NULL;
	rt_unload(&u->r);
	rt_str_free(&u->r.buf);
	free(u);
}

static bool only_begin_end(const struct et_program *prog)
{
	for (uint32_t i = 0; i < prog->nprobes; i++)
		if (!(prog->probes[i].provider->flags & (PROVIDER_BEGIN | PROVIDER_END)))
			return false;
	return true;
}

int rt_session_add(struct rt_session *s, struct et_program *prog, uint32_t file, unsigned number,
		   struct diag_sink *diag)
{
	struct unit *u = rt_xcalloc(1, sizeof(*u));
	uint32_t i, n = 0;
	int err;

	s->progs = grow(s->progs, &s->cap_progs, s->nprogs, sizeof(*s->progs));
	s->progs[s->nprogs++] = prog;
	/* the earlier blocks' probes are in the program (for their types), not to be loaded again */
	for (i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].loc.file == file)
			prog->probes[n++] = prog->probes[i];
	prog->nprobes = n;
	u->number = number;
	u->diag = diag;
	u->r.prog = prog;
	u->r.opts = &s->ro;
	u->r.diag = diag;
	u->r.out = s->out;
	u->r.links = &u->links;
	u->r.lost_fd = -1;
	u->r.stats_fd = -1;
	u->r.child_pid = s->child_pid;
	u->r.prepare = prepare;
	u->r.prepare_ctx = s;
	s->replace = rt_xcalloc(prog->nmaps ? prog->nmaps : 1, sizeof(*s->replace));
	for (i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].provider->flags & PROVIDER_ITER) {
			/* the command line reads the iterator and ends the run; a session has no such end */
			diag_error(diag, prog->probes[i].loc, "iter probes run from the command line only (etrace -e "
							      "'iter:...'), not in the interactive session");
			err = -EINVAL;
			goto fail;
		}
	if (prog->nskb_outputs) {
		/* its perf buffer and pcap files belong to a run that ends: the command line's */
		diag_error(diag, prog->skb_outputs[0].loc, "skboutput() runs from the command line only (etrace -e "
							   "'fentry:...'), not in the interactive session");
		err = -EINVAL;
		goto fail;
	}
	err = rt_load(&u->r);
	if (err)
		goto fail;
	if (prog->ringbuf_name) {
		struct bpf_map *m = bpf_object__find_map_by_name(u->r.obj, prog->ringbuf_name);
		struct epoll_event e = {.events = EPOLLIN, .data.u32 = 0};

		u->r.rb = m ? ring_buffer__new(bpf_map__fd(m), rt_handle_event, &u->r, NULL) : NULL;
		if (!u->r.rb || epoll_ctl(s->ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(u->r.rb), &e)) {
			err = -errno;
			diag_error(diag, (struct et_loc){0}, "cannot open the ring buffer %s: %s", prog->ringbuf_name,
				   strerror(errno));
			goto fail;
		}
	}
	err = rt_run_special(&u->r, false);
	if (err)
		goto fail;
	if (only_begin_end(prog)) {
		adopt_maps(s, u); /* what begin wrote in a new map stays readable */
		unit_close(u, true); /* begin ran; end runs now: nothing else of it stays */
		free(s->replace);
		s->replace = NULL;
		return 0;
	}
	err = rt_attach(&u->r);
	if (err)
		goto fail;
	/* the maps it created join the session only now: a block that fails leaves no map behind */
	adopt_maps(s, u);
	if (s->paused)
		rt_set_stop_flag(&u->r, true);
	u->r.batch_limit = 65536; /* a probe on etrace's own writes must not feed one drain for ever */
	n = prog->nprobes - u->r.skipped;
	if (!s->ro.quiet && s->ro.format == RT_FORMAT_JSON)
		fprintf(s->out, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %u}}\n", n);
	else if (!s->ro.quiet)
		fprintf(stderr, "Attached %u probe%s\n", n, n == 1 ? "" : "s");
	fflush(stderr);
	unit_drain(u); /* begin's output */
	s->units = grow(s->units, &s->cap_units, s->nunits, sizeof(*s->units));
	s->units[s->nunits++] = u;
	if (s->go_fd >= 0) { /* the -c command starts once the first block is attached */
		char c = 1;

		if (write(s->go_fd, &c, 1) != 1)
			fprintf(stderr, "cannot start the command: %s\n", strerror(errno));
		close(s->go_fd);
		s->go_fd = -1;
	}
	free(s->replace);
	s->replace = NULL;
	return (int)(n ? n : 1);
fail:
	u->diag = NULL;
	unit_close(u, false);
	sym_set_stack_map(s->stack_fd); /* rt_load set the failed object's */
	free(s->replace);
	s->replace = NULL;
	return err < 0 ? err : -EINVAL;
}

static void remove_unit(struct rt_session *s, uint32_t k, bool run_end)
{
	struct unit *u = s->units[k];

	memmove(&s->units[k], &s->units[k + 1], (s->nunits - k - 1) * sizeof(*s->units));
	s->nunits--;
	unit_close(u, run_end);
}

bool rt_session_poll(struct rt_session *s)
{
	struct epoll_event evs[8];
	bool ended = false;
	int n = epoll_wait(s->ep, evs, 8, 0);

	for (int i = 0; i < n; i++)
		if (evs[i].data.u32 == 1)
			ended = true;
	for (uint32_t k = 0; k < s->nunits;) {
		struct unit *u = s->units[k];

		unit_drain(u);
		if (u->r.stop) { /* exit() in one of its probes: that block ends (rt_session_has_block says) */
			remove_unit(s, k, true);
			continue;
		}
		k++;
	}
	fflush(stderr);
	return ended;
}

bool rt_session_has_block(const struct rt_session *s, unsigned number)
{
	for (uint32_t k = 0; k < s->nunits; k++)
		if (s->units[k]->number == number)
			return true;
	return false;
}

int rt_session_detach(struct rt_session *s, unsigned number)
{
	for (uint32_t k = 0; k < s->nunits; k++)
		if (s->units[k]->number == number) {
			unit_drain(s->units[k]);
			remove_unit(s, k, true);
			return 0;
		}
	return -ENOENT;
}

unsigned rt_session_pause(struct rt_session *s, bool paused)
{
	unsigned n = 0;

	s->paused = paused;
	for (uint32_t k = 0; k < s->nunits; k++)
		if (rt_set_stop_flag(&s->units[k]->r, paused))
			n++;
	return n;
}

static int cmp_maps(const void *a, const void *b)
{
	return strcmp(((const struct sess_map *)a)->name, ((const struct sess_map *)b)->name);
}

static size_t print_one(struct rt_session *s, const struct sess_map *m, uint64_t top, FILE *out)
{
	struct rt_map_snapshot snap;
	struct rt_str o = {0};
	size_t n;
	int err = rt_map_snapshot_read(m->fd, m->desc, &snap);

	if (err) {
		fprintf(stderr, "cannot read %s: %s\n", m->name, strerror(-err));
		return 0;
	}
	if (s->ro.format == RT_FORMAT_JSON)
		n = rt_map_format_json(&o, m->prog, &snap, top, 0, false);
	else
		n = rt_map_format(&o, m->prog, &snap, top, 0, false);
	rt_map_snapshot_free(&snap);
	rt_str_write(&o, out);
	rt_str_free(&o);
	return n;
}

long rt_session_print(struct rt_session *s, const char *name, uint64_t top, FILE *out)
{
	long n = 0;

	if (name) {
		struct sess_map *m = find_map(s, name);

		if (!m || !m->desc)
			return -ENOENT;
		n = (long)print_one(s, m, top, out);
	} else {
		qsort(s->maps, s->nmaps, sizeof(*s->maps), cmp_maps);
		for (uint32_t i = 0; i < s->nmaps; i++)
			if (s->maps[i].desc)
				n += (long)print_one(s, &s->maps[i], top, out);
	}
	fflush(out);
	return n;
}

int rt_session_reset(struct rt_session *s, const char *name, bool zero_only)
{
	struct sess_map *m = find_map(s, name);

	if (!m || !m->desc)
		return -ENOENT;
	rt_map_reset(m->fd, zero_only);
	return 0;
}

const char *rt_session_map_name(const struct rt_session *s, uint32_t i)
{
	for (uint32_t k = 0; k < s->nmaps; k++)
		if (s->maps[k].desc && i-- == 0)
			return s->maps[k].name;
	return NULL;
}

void rt_session_end(struct rt_session *s)
{
	uint64_t lost = 0;
	uint32_t k;

	/* every probe stops first (the maps are final), then every block's end probes run, in order */
	for (k = 0; k < s->nunits; k++)
		rt_stop_probes(&s->units[k]->r);
	for (k = 0; k < s->nunits; k++)
		rt_detach_one_perf(&s->units[k]->r);
	for (k = 0; k < s->nunits; k++) {
		struct unit *u = s->units[k];

		unit_drain(u);
		u->r.discard = false;
		u->r.batch_limit = 0;
		rt_run_special(&u->r, true);
		unit_drain(u);
	}
	if (s->ro.format != RT_FORMAT_JSON) /* as a one-shot run: no empty lines in JSON */
		fputs("\n\n", s->out);
	rt_session_print(s, NULL, 0, s->out);
	for (k = 0; k < s->nunits; k++) {
		lost += rt_lost_events(&s->units[k]->r);
		rt_report_read_faults(&s->units[k]->r);
	}
	rt_report_lost(s->out, s->ro.format == RT_FORMAT_JSON, lost);
	fflush(s->out);
	fflush(stderr);
	for (k = 0; k < s->nunits; k++)
		rt_detach_early(&s->units[k]->r);
	while (s->nunits)
		remove_unit(s, s->nunits - 1, false);
}

void rt_session_free(struct rt_session *s)
{
	if (!s)
		return;
	while (s->nunits)
		remove_unit(s, s->nunits - 1, false);
	free(s->units);
	for (uint32_t i = 0; i < s->nmaps; i++)
		close(s->maps[i].fd);
	free(s->maps);
	sym_set_stack_map(-1);
	for (uint32_t i = 0; i < s->nprogs; i++)
		et_program_free(s->progs[i]);
	free(s->progs);
	if (s->go_fd >= 0)
		close(s->go_fd); /* the held command reads EOF and exits without running */
	if (s->child_pid > 0) {
		int st;

		if (waitpid(s->child_pid, &st, WNOHANG) == 0) {
			kill(s->child_pid, s->go_fd >= 0 ? SIGKILL : SIGTERM);
			waitpid(s->child_pid, &st, 0);
		}
	}
	if (s->proc_fd >= 0)
		close(s->proc_fd);
	if (s->ep >= 0)
		close(s->ep);
	free(s);
}
