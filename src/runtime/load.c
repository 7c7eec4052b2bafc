/* load: bpf_object__open_mem → .rodata initial values → per-program log buffers → bpf_object__load.
 * A verifier rejection is reported at the script line the verifier was checking when it gave up: the
 * log annotates instructions with codegen's line info ("; text @ file:LINE"), and the last annotation
 * before the reason names the line (the probe's own location when the log has none). The message says
 * in plain words what went wrong, then the verifier's own reason (the last line of the log that states
 * one, not an instruction dump or statistics); the raw log goes to stderr under -v. See rt_int.h. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "probes/provider.h"
#include "program/program.h"
#include "support/diag.h"
#include "support/source.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"
#include "runtime/symbols.h"

#define RT_LOG_SIZE (256 * 1024)
/* The kernel's BPF_LOG_STATS: the verifier's reason and statistics, no instruction dump. */
#define BPF_LOG_STATS_LEVEL 4u
/* The most instructions the kernel loads in one program for a CAP_BPF caller (BPF_COMPLEXITY_LIMIT_INSNS;
 * etrace always runs with CAP_BPF, so the unprivileged limit of 4096 does not apply). */
#define RT_MAX_INSNS 1000000u

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CLOCK_TAI - CLOCK_BOOTTIME in ns, for nsecs(sw_tai). As bpftrace does ("triple vdso sandwich"): read
 * BOOTTIME between two TAI readings, take the tries whose two TAI readings are closest (the best bound on
 * when BOOTTIME was read) and use their midpoint. */
static uint64_t tai_offset_ns(void)
{
	uint64_t best = 0, best_gap = UINT64_MAX;

	for (int i = 0; i < 5; i++) {
		uint64_t before = clock_ns(CLOCK_TAI), boot = clock_ns(CLOCK_BOOTTIME), after = clock_ns(CLOCK_TAI);

		if (after < before) /* TAI stepped back: try again */
			continue;
		if (after - before < best_gap) {
			best_gap = after - before;
			best = before + (after - before) / 2 - boot;
		}
	}
	return best;
}

/* The value of a .rodata global the runtime knows; false for others (left at codegen's value). */
static bool rodata_value(const struct rt_run *r, const char *name, uint64_t *v)
{
	if (strcmp(name, "etrace_start_ns") == 0) {
		*v = clock_ns(CLOCK_MONOTONIC); /* bpf_ktime_get_ns() */
		return true;
	}
	if (strcmp(name, "etrace_start_boot_ns") == 0) {
		*v = clock_ns(CLOCK_BOOTTIME); /* bpf_ktime_get_boot_ns() */
		return true;
	}
	if (strcmp(name, "etrace_tai_offset_ns") == 0) { /* nsecs(sw_tai) = bpf_ktime_get_boot_ns() + it */
		*v = tai_offset_ns();
		return true;
	}
	if (strcmp(name, "etrace_cpid") == 0) {
		*v = (uint64_t)r->child_pid;
		return true;
	}
	if (strcmp(name, "etrace_ncpus") == 0) { /* ncpus: bpftrace counts the possible CPUs */
		int n = libbpf_num_possible_cpus();

		*v = n > 0 ? (uint64_t)n : 0;
		return true;
	}
	if (strcmp(name, "etrace_pid") == 0) {
		*v = (uint64_t)(r->opts->pid > 0 ? r->opts->pid : 0);
		return true;
	}
	return false;
}

/* Fill the .rodata globals from their BTF description (DATASEC ".rodata", one VAR per global). */
static int set_rodata(struct rt_run *r)
{
	struct btf *btf = bpf_object__btf(r->obj);
	struct bpf_map *map = NULL, *m;
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;
	const void *init;
	uint8_t *data;
	size_t size;
	int id, i, err;
	bool changed = false;

	bpf_object__for_each_map(m, r->obj) {
		const char *n = bpf_map__name(m);
		size_t l = strlen(n);

		if (l >= 7 && strcmp(n + l - 7, ".rodata") == 0)
			map = m;
	}
	if (!map || !btf)
		return 0;
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return 0;
	sec = btf__type_by_id(btf, (__u32)id);
	init = bpf_map__initial_value(map, &size);
	if (!init || !size)
		return 0;
	data = rt_xcalloc(1, size);
	memcpy(data, init, size);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		const char *name = var ? btf__name_by_offset(btf, var->name_off) : NULL;
		uint64_t v;

		if (!name || !rodata_value(r, name, &v) || vs->size != 8 || vs->offset + 8 > size)
			continue;
		memcpy(data + vs->offset, &v, 8);
		changed = true;
	}
	err = changed ? bpf_map__set_initial_value(map, data, size) : 0;
	free(data);
	return err;
}

/* Preallocation. A hash map the kernel preallocates has every element (and, per-CPU, every CPU's value)
 * allocated when it is created; one created with BPF_F_NO_PREALLOC allocates an element at the first
 * insert of its key (bpf_mem_alloc: per-CPU free lists refilled outside the program) and frees it at
 * delete. Measured on 2 CPUs, kernel 6.18 (creation, minimum of 5 runs):
 *     entries            4096    8192   16384   32768   65536  200000
 *     per-CPU prealloc    1.9     3.1     6.3      54      77     312 ms   (no prealloc: 0.1-2 ms)
 *     hash prealloc       0.13    0.22    0.38    0.76    1.4      12 ms
 * Lookups and updates of existing keys cost the same in both (what the mission's per-event path does);
 * the first insert of a key costs ~0.3 us more in a plain hash, but ~12 us instead of under 1 us in a
 * per-CPU one (the kernel's per-CPU allocator, for its value; ~1-1.5 us per entry at creation). So maps stay preallocated up to where
 * creating them would cost a few ms (per-CPU: up to 16384 entries, below the per-CPU allocator's cliff
 * at 32768; plain: up to 65536): every default-sized map (max_map_keys 4096) is created exactly as
 * before. Larger ones (a big max_map_keys or `hash(N)`) start at once, need memory only for the keys
 * they get, and pay at each new key instead: ~12 us x keys inserted against ~1-1.5 us x max_entries at
 * creation, cheaper in total while fewer than ~1 in 10 of the entries get used. LRU maps are always
 * preallocated (the kernel has no other kind), and so is everything on kernels before 6.1, whose tracing
 * programs could not allocate safely. A full map fails the insert with E2BIG in both kinds ("Map full"). */
#define RT_PREALLOC_MAX_PERCPU 16384u
#define RT_PREALLOC_MAX_HASH 65536u

static void choose_prealloc(struct rt_run *r)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, r->obj) {
		enum bpf_map_type t = bpf_map__type(m);
		uint32_t limit = t == BPF_MAP_TYPE_PERCPU_HASH ? RT_PREALLOC_MAX_PERCPU
				 : t == BPF_MAP_TYPE_HASH	   ? RT_PREALLOC_MAX_HASH
								   : UINT32_MAX;

		if (bpf_map__max_entries(m) <= limit || (bpf_map__map_flags(m) & BPF_F_NO_PREALLOC))
			continue;
		if (feature_check(FEATURE_MAP_NO_PREALLOC, NULL, NULL) != 0)
			return;
		bpf_map__set_map_flags(m, bpf_map__map_flags(m) | BPF_F_NO_PREALLOC);
	}
}

/* The line of a verifier log that says why: the last line that is not an instruction, a source
 * annotation or a statistic. Returns where it starts in log (the end of log when there is none). */
static const char *verifier_reason(const char *log, char *out, size_t len)
{
	const char *p = log, *best = NULL, *best_end = NULL;

	snprintf(out, len, "(the verifier gave no reason)");
	while (p && *p) {
		const char *e = strchr(p, '\n'), *q = p;

		if (!e)
			e = p + strlen(p);
		while (q < e && (*q >= '0' && *q <= '9'))
			q++;
		if (e > p && !(q > p && *q == ':') && *p != ';' && strncmp(p, "processed ", 10) != 0 &&
		    strncmp(p, "verification time", 17) != 0 && strncmp(p, "stack depth", 11) != 0 &&
		    strncmp(p, "func#", 5) != 0 && strncmp(p, "from ", 5) != 0 && strncmp(p, "Live regs", 9) != 0 &&
		    strncmp(p, "mark_precise", 12) != 0 && strncmp(p, "last_idx", 8) != 0 && strncmp(p, "regs=", 5) != 0 &&
		    strncmp(p, "cur state:", 10) != 0 && strncmp(p, "old state:", 10) != 0 &&
		    strncmp(p, "reg type unsupported for arg#", 29) != 0 && /* a BTF note of kernels < 6.3 */
		    !(p[0] == 'R' && p[1] >= '0' && p[1] <= '9' && strstr(p, "=") && !strstr(p, "invalid"))) {
			best = p;
			best_end = e;
		}
		p = *e ? e + 1 : e;
	}
	if (best) {
		size_t n = (size_t)(best_end - best);

		if (n >= len)
			n = len - 1;
		memcpy(out, best, n);
		out[n] = 0;
	}
	return best ? best : log + strlen(log);
}

/* Known verifier complaints: what they mean in plain words, and what the user can do about them. */
static const struct verifier_complaint {
	const char *pattern, *meaning, *hint;
} complaints[] = {
	{"program is too large", "the probe has too many paths or loop iterations for the verifier to check",
	 "bound the loop by a smaller number, split the probe, or lower unroll() counts"},
	{"jumps is too complex", "the probe has too many paths or loop iterations for the verifier to check",
	 "bound the loop by a smaller number, split the probe, or lower unroll() counts"},
	{"too many states", "the probe has too many paths or loop iterations for the verifier to check",
	 "bound the loop by a smaller number, split the probe, or lower unroll() counts"},
	{"stack", "the probe uses more than the 512 bytes of BPF stack",
	 "use fewer or shorter strings and tuples, or split the probe"},
	{"back-edge", "a loop whose end the verifier cannot see", "bound the loop: use unroll(N) or for ($i : 0..N)"},
	{"infinite loop", "a loop that never ends", "make the loop condition change in the loop body"},
	{"unknown func", "a kernel helper this probe type may not call on this kernel",
	 "use this function in another probe type"},
	{"not allowed", "a kernel helper this probe type may not call on this kernel",
	 "use this function in another probe type"},
	{"or_null", "a map value read without checking it exists",
	 "etrace generated an unchecked map access: please report this script as a bug"},
	{"invalid mem access", "a memory read the verifier cannot prove safe",
	 "read kernel or user memory through str(), buf() or a BTF-typed pointer"},
};

static const struct verifier_complaint *verifier_complaint(const char *reason)
{
	for (size_t i = 0; i < sizeof(complaints) / sizeof(complaints[0]); i++)
		if (strstr(reason, complaints[i].pattern))
			return &complaints[i];
	return NULL;
}

/* The script line an annotation's text names: "TEXT @ FILE:LINE" (Linux 6.2 and later) gives LINE; a bare
 * "TEXT" (older kernels) is looked up among the probe's file lines from the probe on (the first line
 * whose text, without indentation, is TEXT). 0 when neither finds it. */
static uint32_t annotation_line(const struct rt_run *r, struct et_loc probe, const char *text, size_t len)
{
	const char *at;
	unsigned n;

	/* the file name may hold " @ " and ':'; the line number follows the last ':' */
	for (at = text + len; at > text && at[-1] != ':'; at--)
		;
	if (at > text && sscanf(at, "%u", &n) == 1 && n > 0 && memchr(text, '@', len))
		return n;
	while (len && (*text == ' ' || *text == '\t')) {
		text++;
		len--;
	}
	for (uint32_t line = probe.line ? probe.line : 1;; line++) {
		size_t l;
		const char *s = source_line(diag_sources(r->diag), probe.file, line, &l);

		if (!s)
			return 0;
		while (l && (*s == ' ' || *s == '\t')) {
			s++;
			l--;
		}
		while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r'))
			l--;
		if (len && l == len && memcmp(s, text, len) == 0)
			return line;
	}
}

/* The script line of the last line-info annotation ("; text @ file:LINE", or "; text") in log[0, end):
 * 0 when none. */
static uint32_t verifier_line(const struct rt_run *r, struct et_loc probe, const char *log, const char *end)
{
	const char *last = NULL, *last_end = NULL;

	for (const char *p = log; p && p < end && *p;) {
		const char *e = strchr(p, '\n');

		if (!e)
			e = p + strlen(p);
		if (p[0] == ';' && p[1] == ' ') {
			last = p + 2;
			last_end = e;
		}
		p = *e ? e + 1 : e;
	}
	return last ? annotation_line(r, probe, last, (size_t)(last_end - last)) : 0;
}

/* The span of line `line` of the probe's file without its indentation and trailing blanks; the
 * probe's own location when that line does not exist. */
static struct et_loc line_span(const struct rt_run *r, struct et_loc probe, uint32_t line)
{
	size_t len, first = 0;
	const char *text = line ? source_line(diag_sources(r->diag), probe.file, line, &len) : NULL;

	if (!text)
		return probe;
	while (first < len && (text[first] == ' ' || text[first] == '\t'))
		first++;
	while (len > first && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
		len--;
	if (first == len)
		return probe;
	return (struct et_loc){probe.file, line, (uint32_t)first + 1, line, (uint32_t)len};
}

/* A program over RT_MAX_INSNS, which the kernel refuses with E2BIG before verifying it (no log): said at
 * the probe, with its size. Returns true when one was reported. */
static bool report_too_large(struct rt_run *r)
{
	for (uint32_t i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		size_t n = r->progs[i] ? bpf_program__insn_cnt(r->progs[i]) : 0;

		if (n <= RT_MAX_INSNS || bpf_program__fd(r->progs[i]) >= 0)
			continue;
		diag_error(r->diag, p->loc, "the program of %s has %zu BPF instructions, more than the %u the kernel loads",
			   p->name, n, RT_MAX_INSNS);
		diag_hint(r->diag, "split the probe into several probes, or lower unroll() counts");
		return true;
	}
	return false;
}

/* The program whose load failed: libbpf loads in order and stops at the first failure, and only a failed
 * load (or a log_level asked for) fills a log, so it is the last program with a log. -1 when none has. */
static int failed_program(const struct rt_run *r)
{
	for (uint32_t i = r->prog->nprobes; i-- > 0;)
		if (r->progs[i] && r->logs[i] && r->logs[i][0])
			return (int)i;
	return -1;
}

/* Whether the failed program's log says why (a log cut at its start by a kernel before 6.4 does not). */
static bool log_has_reason(const struct rt_run *r)
{
	int failed = failed_program(r);
	char reason[8];

	return failed >= 0 && *verifier_reason(r->logs[failed], reason, sizeof(reason));
}

static void report_load_failure(struct rt_run *r, int err)
{

	if (err == -E2BIG && report_too_large(r))
		return;

	int failed = failed_program(r);

	if (failed >= 0) {
		const struct et_probe_desc *p = &r->prog->probes[failed];
		const char *log = r->logs[failed];
		char reason[512];

		const char *at = verifier_reason(log, reason, sizeof(reason)), *insn = strstr(reason, "insn ");
		unsigned n;
		char mark[24];

		/* "infinite loop detected at insn 7", "back-edge from insn 6 to 7": the line of that instruction,
		 * where the log first shows it (a log without instructions leaves the error at the probe) */
		uint32_t line = 0;
		if (insn && sscanf(insn + 5, "%u", &n) == 1) {
			snprintf(mark, sizeof(mark), "\n%u: ", n);
			const char *first = strstr(log, mark), *text = first ? first + strlen(mark) : NULL;
			if (strncmp(log, mark + 1, strlen(mark + 1)) == 0) /* the log's first line */
				text = log + strlen(mark + 1);
			if (text && *text != '(') /* "6: @x = count();": the kernel's check of the jumps quotes the line */
				line = annotation_line(r, p->loc, text, strcspn(text, "\n"));
			snprintf(mark, sizeof(mark), "\n%u: (", n);
			first = strstr(log, mark);
			if (first && first < at)
				at = first + 1;
		}
		const struct verifier_complaint *c = verifier_complaint(reason);
		struct et_loc loc = line_span(r, p->loc, line ? line : verifier_line(r, p->loc, log, at));

		if (c)
			diag_error(r->diag, loc, "the kernel's verifier rejected the program of %s here: %s (%s)", p->name,
				   c->meaning, reason);
		else
			diag_error(r->diag, loc, "the kernel's verifier rejected the program of %s here: %s", p->name, reason);
		if (c)
			diag_hint(r->diag, "%s%s", c->hint, r->opts->verbose ? "" : " (-v shows the verifier's log)");
		else if (!r->opts->verbose)
			diag_hint(r->diag, "run with -v to see the verifier's log");
		if (r->opts->verbose)
			fprintf(stderr, "--- verifier log of %s (%s) ---\n%s--- end of log ---\n", p->name, p->prog_name,
				log);
		return;
	}
	diag_error(r->diag, r->prog->nprobes ? r->prog->probes[0].loc : (struct et_loc){0},
		   "cannot load the BPF programs: %s", strerror(-err));
	if (err == -EPERM)
		diag_hint(r->diag, "run etrace as root (it needs CAP_BPF and CAP_PERFMON)");
}

/* --probe-filter REGEX: mark the probes whose name the regex does not find (begin and end stay); an
 * invalid regex, or one that leaves no other probe, is an error. */
static int apply_probe_filter(struct rt_run *r)
{
	const char *re_text = r->opts->probe_filter;
	struct et_program *prog = r->prog;
	uint32_t i, kept = 0, others = 0;
	regex_t re;
	int rc = regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char msg[256];

		regerror(rc, &re, msg, sizeof(msg));
		diag_error(r->diag, (struct et_loc){0}, "invalid --probe-filter regex '%s': %s", re_text, msg);
		return -EINVAL;
	}
	r->filtered = rt_xcalloc(prog->nprobes ? prog->nprobes : 1, sizeof(*r->filtered));
	for (i = 0; i < prog->nprobes; i++) {
		if (prog->probes[i].provider->flags & (PROVIDER_BEGIN | PROVIDER_END))
			continue;
		others++;
		if (regexec(&re, prog->probes[i].name, 0, NULL, 0) == 0) {
			kept++;
		} else {
			r->filtered[i] = true;
			r->nfiltered++;
		}
	}
	regfree(&re);
	if (others && !kept) {
		diag_error(r->diag, (struct et_loc){0}, "no probe matches --probe-filter '%s'", re_text);
		diag_hint(r->diag, "the filter is a regular expression searched in each probe's full name, as "
				   "etrace -l FILE lists them");
		return -ENOENT;
	}
	return 0;
}

/* Open the object from the ELF bytes, give every program a log buffer (log_level 0: libbpf asks the
 * kernel for a log only when a load fails, unless log_level says otherwise) and set .rodata. */
static int open_object(struct rt_run *r, unsigned log_level)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "etrace");
	struct et_program *prog = r->prog;
	uint32_t i;
	int err;

	r->obj = bpf_object__open_mem(prog->elf, prog->elf_size, &oo);
	if (!r->obj) {
		err = -errno;
		diag_error(r->diag, (struct et_loc){0}, "cannot open the generated BPF object: %s", strerror(-err));
		return err;
	}
	for (i = 0; i < prog->nprobes; i++) {
		const struct et_probe_desc *p = &prog->probes[i];

		r->progs[i] = bpf_object__find_program_by_name(r->obj, p->prog_name);
		if (!r->progs[i]) {
			diag_error(r->diag, p->loc, "internal error: no BPF program %s for %s", p->prog_name, p->name);
			return -ENOENT;
		}
		if (!r->logs[i])
			r->logs[i] = malloc(RT_LOG_SIZE); /* untouched pages cost nothing until a load fails */
		if (!r->logs[i])
			return -ENOMEM;
		r->logs[i][0] = 0;
		bpf_program__set_log_buf(r->progs[i], r->logs[i], RT_LOG_SIZE);
		if (r->filtered && r->filtered[i])
			bpf_program__set_autoload(r->progs[i], false); /* --probe-filter left it out */
		else if (p->provider->before_load)
			p->provider->before_load(p, r->progs[i]);
		if (log_level)
			bpf_program__set_log_level(r->progs[i], log_level);
	}
	/* a program that several probes share (by_cookie) loads when any of them is kept */
	for (i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].by_cookie && !(r->filtered && r->filtered[i]))
			bpf_program__set_autoload(r->progs[i], true);
	/* the programs' own code is known now (the shared bodies they call are added at load, see
	 * report_load_failure): one over the kernel's limit is said here, before anything is loaded */
	for (i = 0; i < prog->nprobes; i++)
		if (!(r->filtered && r->filtered[i]) && bpf_program__insn_cnt(r->progs[i]) > RT_MAX_INSNS) {
			report_too_large(r);
			return -E2BIG;
		}
	choose_prealloc(r);
	err = set_rodata(r);
	if (err)
		diag_error(r->diag, (struct et_loc){0}, "cannot set the program's constants: %s", strerror(-err));
	return err;
}

int rt_load(struct rt_run *r)
{
	struct et_program *prog = r->prog;
	uint32_t i;
	int err;

	r->progs = rt_xcalloc(prog->nprobes, sizeof(*r->progs));
	r->logs = rt_xcalloc(prog->nprobes, sizeof(*r->logs));
	r->map_fds = rt_xcalloc(prog->nmaps ? prog->nmaps : 1, sizeof(*r->map_fds));
	r->lost_fd = -1;
	if (r->opts->probe_filter && (err = apply_probe_filter(r)) != 0)
		return err;
	if ((err = rt_mode_filter(r)) != 0) /* test: and bench: probes only in their mode */
		return err;
	err = open_object(r, r->opts->debug_verifier ? 1 : 0);
	if (!err && r->prepare)
		err = r->prepare(r, r->prepare_ctx);
	if (err)
		return err;
	err = bpf_object__load(r->obj);
	if (err == -ENOSPC && !log_has_reason(r)) {
		/* Before Linux 6.4 the verifier's log is not rotating: a rejected program whose log does not
		 * fit fails with ENOSPC and the log keeps its start, not the reason at its end (6.4 and later
		 * keep the end). Load once more
		 * asking only for the reason and the statistics (BPF_LOG_STATS), which always fit; the line
		 * the verifier was checking is lost then, so the error points at the probe. */
		bpf_object__close(r->obj);
		r->obj = NULL;
		err = open_object(r, BPF_LOG_STATS_LEVEL);
		if (!err && r->prepare)
			err = r->prepare(r, r->prepare_ctx);
		if (err)
			return err;
		err = bpf_object__load(r->obj);
		if (err && r->opts->verbose)
			fprintf(stderr, "etrace: the verifier's log of every instruction did not fit in %u KiB, and this "
					"kernel keeps a log's start, not its end (Linux 6.4 keeps the end): loaded again for "
					"the reason and statistics alone\n", RT_LOG_SIZE / 1024);
	}
	if (err) {
		report_load_failure(r, err);
		return err;
	}
	if (r->opts->debug_verifier) /* -d verifier: bpftrace's stage output, every program's log */
		for (i = 0; i < prog->nprobes; i++)
			if (!(r->filtered && r->filtered[i]))
				fprintf(stderr, "--- verifier log of %s (%s) ---\n%s--- end of log ---\n", prog->probes[i].name,
					prog->probes[i].prog_name, r->logs[i]);
	for (i = 0; i < prog->nmaps; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(r->obj, prog->maps[i].elf_name);

		r->map_fds[i] = m ? bpf_map__fd(m) : -1;
	}
	{
		struct bpf_map *m = bpf_object__find_map_by_name(r->obj, ET_STACK_MAP_NAME);

		sym_set_stack_map(m ? bpf_map__fd(m) : -1); /* kstack/ustack printing */
	}
	if (prog->lost_map_name) {
		struct bpf_map *m = bpf_object__find_map_by_name(r->obj, prog->lost_map_name);

		r->lost_fd = m ? bpf_map__fd(m) : -1;
	}
	return 0;
}

void rt_unload(struct rt_run *r)
{
	uint32_t i;

	bpf_object__close(r->obj);
	r->obj = NULL;
	if (r->logs)
		for (i = 0; i < r->prog->nprobes; i++)
			free(r->logs[i]);
	free(r->logs);
	free(r->progs);
	free(r->filtered);
	r->filtered = NULL;
	free(r->map_fds);
	r->logs = NULL;
	r->progs = NULL;
	r->map_fds = NULL;
}
