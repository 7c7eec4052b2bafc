/* testbench: bpftrace's --test and --bench modes (rt_options.mode).
 *
 * A test:NAME or bench:NAME probe is an XDP program attached to nothing. --test runs begin, then each
 * test once with BPF_PROG_TEST_RUN, in script order: what it prints (printf, errorf, runtime errors) is
 * captured as text, and it passes when it returns 0, calls no exit(N != 0) and reports no error; a
 * failed test shows its output. The report is bpftrace's (a gtest-like text, or one "test_result"
 * JSON line per test). --bench runs each benchmark with a growing `repeat` until the kernel has timed
 * at least 1 ms of runs, its output discarded, and prints the average time of one run (the kernel's
 * duration) and the repeat count: a table, or one "benchmark_result" JSON line each. A benchmark that
 * returns non-zero is skipped; one that calls exit(N != 0) or reports an error fails the run.
 * Then end runs; nothing else is attached and no map is printed. See rt_int.h. */
#define _GNU_SOURCE /* open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes/provider.h"
#include "program/program.h"
#include "support/diag.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"

/* XDP's BPF_PROG_TEST_RUN wants a packet of at least an Ethernet header */
#define RT_ETH_HLEN 14

static unsigned mode_flag(enum rt_mode m)
{
	return m == RT_MODE_TEST ? PROVIDER_TEST : m == RT_MODE_BENCH ? PROVIDER_BENCH : 0;
}

int rt_mode_filter(struct rt_run *r)
{
	const struct et_program *prog = r->prog;
	unsigned want = mode_flag(r->opts->mode), kinds = 0;
	uint32_t i, kept = 0;

	for (i = 0; i < prog->nprobes; i++) {
		unsigned f = prog->probes[i].provider->flags;

		kinds |= f & (PROVIDER_TEST | PROVIDER_BENCH);
		if (f & (PROVIDER_BEGIN | PROVIDER_END)) {
			kept++;
			continue;
		}
		if (want ? (f & want) != 0 : !(f & (PROVIDER_TEST | PROVIDER_BENCH))) {
			if (!(r->filtered && r->filtered[i]))
				kept++;
			continue;
		}
		if (!r->filtered)
			r->filtered = rt_xcalloc(prog->nprobes ? prog->nprobes : 1, sizeof(*r->filtered));
		if (!r->filtered[i]) {
			r->filtered[i] = true;
			r->nfiltered++;
		}
	}
	if (kept)
		return 0;
	if (!want && (kinds & PROVIDER_TEST))
		diag_error(r->diag, (struct et_loc){0}, "No probes attached; use --test to run test probes.");
	else if (!want && (kinds & PROVIDER_BENCH))
		diag_error(r->diag, (struct et_loc){0}, "No probes attached; use --bench to run benchmark probes.");
	else
		diag_error(r->diag, (struct et_loc){0}, "No probes attached: the program has no %s probes",
			   want == PROVIDER_TEST ? "test:" : "bench:");
	return -ENOENT;
}

/* The probes of the mode, in script order. */
static uint32_t mode_probes(const struct rt_run *r, uint32_t *idx)
{
	unsigned want = mode_flag(r->opts->mode);
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->prog->nprobes; i++)
		if ((r->prog->probes[i].provider->flags & want) && !(r->filtered && r->filtered[i]) && r->progs[i])
			idx[n++] = i;
	return n;
}

/* What one probe's runs print goes to a memory stream, as text (bpftrace captures it in a text output
 * whatever -f says). */
struct capture {
	FILE *f, *saved_out;
	char *text;
	size_t len;
};

static void capture_begin(struct rt_run *r, struct capture *c)
{
	rt_flush_output(r); /* begin's output, or the report so far, stays where it was going */
	c->text = NULL;
	c->len = 0;
	c->f = open_memstream(&c->text, &c->len);
	if (!c->f)
		abort(); /* as rt_xcalloc: the runtime cannot report without memory */
	c->saved_out = r->out;
	r->out = c->f;
	r->capture = c->f;
	r->error_count = 0;
	r->exit_code = 0;
	r->stop = false;
	r->discard = false;
}

/* Read what the runs printed; the text stays in c->text (free it). */
static void capture_end(struct rt_run *r, struct capture *c)
{
	if (r->rb)
		ring_buffer__consume(r->rb);
	rt_flush_output(r);
	fclose(c->f);
	r->out = c->saved_out;
	r->capture = NULL;
	r->stop = false;
	r->discard = false;
}

static int test_run(struct rt_run *r, uint32_t i, uint32_t repeat, struct bpf_test_run_opts *o)
{
	static char data[RT_ETH_HLEN];

	o->data_in = data;
	o->data_size_in = sizeof(data);
	o->repeat = repeat;
	if (bpf_prog_test_run_opts(bpf_program__fd(r->progs[i]), o) == 0)
		return 0;
	diag_error(r->diag, r->prog->probes[i].loc, "cannot run %s: %s", r->prog->probes[i].name, strerror(errno));
	return -1;
}

static bool json(const struct rt_run *r)
{
	return r->opts->format == RT_FORMAT_JSON;
}

/* bpftrace's duration form: the largest of s, ms, us that is at most d, else ns (whole units) */
static void put_duration(struct rt_str *o, uint64_t ns)
{
	if (ns >= 1000000000ull)
		rt_str_printf(o, "%llu s", (unsigned long long)(ns / 1000000000ull));
	else if (ns >= 1000000ull)
		rt_str_printf(o, "%llu ms", (unsigned long long)(ns / 1000000ull));
	else if (ns >= 1000ull)
		rt_str_printf(o, "%llu us", (unsigned long long)(ns / 1000ull));
	else
		rt_str_printf(o, "%llu ns", (unsigned long long)ns);
}

#define GREEN(s) "\033[32m" s "\033[0m "
#define RED(s) "\033[31m" s "\033[0m "

static const char *tests_word(size_t n)
{
	return n == 1 ? "test" : "tests";
}

static void test_report(struct rt_run *r, const uint32_t *idx, uint32_t n, uint32_t k, uint64_t ns,
			const bool *passed, const struct capture *c)
{
	const char *name = r->prog->probes[idx[k]].func;
	struct rt_str *o = &r->buf;

	if (json(r)) {
		rt_str_puts(o, "{\"type\": \"test_result\", \"data\": {");
		rt_json_string(o, name, strlen(name));
		rt_str_printf(o, ": {\"duration\": %llu, \"passed\": %s, \"output\": ", (unsigned long long)ns,
			      passed[k] ? "true" : "false");
		rt_json_string(o, c->text ? c->text : "", c->len);
		rt_str_puts(o, "}}}\n");
		rt_flush_output(r);
		return;
	}
	if (k == 0)
		rt_str_printf(o, GREEN("[==========]") "Running %u tests.\n", n);
	rt_str_printf(o, GREEN("[ RUN      ]") "%s\n", name);
	if (passed[k]) {
		rt_str_printf(o, GREEN("[       OK ]") "%s", name);
	} else {
		/* the failed test's output, its empty lines left out */
		for (size_t at = 0; at < c->len;) {
			const char *nl = memchr(c->text + at, '\n', c->len - at);
			size_t end = nl ? (size_t)(nl - c->text) : c->len;

			if (end > at) {
				rt_str_putn(o, c->text + at, end - at);
				rt_str_putc(o, '\n');
			}
			at = end + 1;
		}
		rt_str_printf(o, RED("[  FAILED  ]") "%s", name);
	}
	rt_str_puts(o, " (");
	put_duration(o, ns);
	rt_str_puts(o, ")\n");
	if (k + 1 == n) {
		uint32_t npassed = 0;

		for (uint32_t j = 0; j < n; j++)
			npassed += passed[j];
		rt_str_printf(o, GREEN("[==========]") "%u %s ran.\n", n, tests_word(n));
		rt_str_printf(o, GREEN("[  PASSED  ]") "%u %s.\n", npassed, tests_word(npassed));
		if (npassed < n) {
			rt_str_printf(o, RED("[  FAILED  ]") "%u %s, listed below:\n", n - npassed, tests_word(n - npassed));
			for (uint32_t j = 0; j < n; j++)
				if (!passed[j])
					rt_str_printf(o, RED("[  FAILED  ]") "%s\n", r->prog->probes[idx[j]].func);
		}
	}
	rt_flush_output(r);
}

int rt_run_tests(struct rt_run *r)
{
	uint32_t *idx = rt_xcalloc(r->prog->nprobes ? r->prog->nprobes : 1, sizeof(*idx));
	uint32_t n = mode_probes(r, idx);
	bool *passed = rt_xcalloc(n ? n : 1, sizeof(*passed));
	int status = 0;

	for (uint32_t k = 0; k < n; k++) {
		LIBBPF_OPTS(bpf_test_run_opts, o);
		struct capture c;
		int err;

		capture_begin(r, &c);
		err = test_run(r, idx[k], 1, &o);
		capture_end(r, &c);
		if (err) {
			free(c.text);
			status = -1;
			break;
		}
		passed[k] = o.retval == 0 && r->exit_code == 0 && r->error_count == 0;
		test_report(r, idx, n, k, o.duration, passed, &c);
		free(c.text);
		if (!passed[k])
			status = 1;
	}
	r->exit_code = 0;
	free(passed);
	free(idx);
	return status;
}

/* bpftrace's table: the name column as wide as the longest name (at least 40) plus one, then the
 * average time of one run in ns (15 wide) and the number of runs timed. */
static void bench_report(struct rt_run *r, const uint32_t *idx, uint32_t n, uint32_t k, uint64_t ns,
			 uint64_t iters, bool header)
{
	const char *name = r->prog->probes[idx[k]].func;
	struct rt_str *o = &r->buf;
	size_t width = 40;

	if (json(r)) {
		rt_str_puts(o, "{\"type\": \"benchmark_result\", \"data\": {");
		rt_json_string(o, name, strlen(name));
		rt_str_printf(o, ": {\"average\": %llu, \"iters\": %llu}}}\n", (unsigned long long)ns,
			      (unsigned long long)iters);
		rt_flush_output(r);
		return;
	}
	for (uint32_t j = 0; j < n; j++)
		if (strlen(r->prog->probes[idx[j]].func) > width)
			width = strlen(r->prog->probes[idx[j]].func);
	if (header) {
		rt_str_printf(o, "%-*s%-15s%s\n", (int)width + 1, "Benchmark", "Time(ns)", "Iterations");
		for (size_t j = 0; j < width + 1 + 15 + strlen("Iterations"); j++)
			rt_str_putc(o, '-');
		rt_str_putc(o, '\n');
	}
	rt_str_printf(o, "%-*s%-15llu%llu\n", (int)width + 1, name, (unsigned long long)ns, (unsigned long long)iters);
	rt_flush_output(r);
}

int rt_run_benches(struct rt_run *r)
{
	uint32_t *idx = rt_xcalloc(r->prog->nprobes ? r->prog->nprobes : 1, sizeof(*idx));
	uint32_t n = mode_probes(r, idx);
	bool header = true;
	int status = 0;

	for (uint32_t k = 0; k < n && status >= 0; k++) {
		uint64_t iters = 1;

		for (;;) {
			LIBBPF_OPTS(bpf_test_run_opts, o);
			struct capture c;
			uint64_t total;
			int err;

			capture_begin(r, &c);
			err = test_run(r, idx[k], (uint32_t)iters, &o);
			capture_end(r, &c);
			free(c.text); /* a benchmark's output is not shown */
			if (err) {
				status = -1;
				break;
			}
			if (r->exit_code == 0 && o.retval != 0)
				break; /* returning non-zero skips the benchmark */
			/* repeat until the runs took at least 1 ms in all */
			total = (uint64_t)o.duration * iters;
			if (total < 1000000 && iters < UINT32_MAX) {
				uint64_t f = total < 1000 ? 1000 : total < 10000 ? 100 : total < 100000 ? 10 : 2;

				/* the kernel's repeat is 32 bits: at most that many */
				iters = iters * f > UINT32_MAX ? UINT32_MAX : iters * f;
				continue;
			}
			if (r->exit_code != 0 || r->error_count != 0) {
				diag_error(r->diag, r->prog->probes[idx[k]].loc, "Benchmark '%s' failed.",
					   r->prog->probes[idx[k]].func);
				status = 1;
				break;
			}
			bench_report(r, idx, n, k, o.duration, iters, header);
			header = false;
			break;
		}
	}
	r->exit_code = 0;
	free(idx);
	return status;
}
