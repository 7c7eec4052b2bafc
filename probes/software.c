/* software: `software:EVENT[:COUNT]` (alias s): kernel software perf events, sampled every COUNT
 * occurrences (default per event, as bpftrace), one perf event per online CPU, section perf_event;
 * with -p/-c, the events of that process only, as bpftrace.
 * The probe's target is the canonical event name, offset the count. See provider.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "support/arena.h"
#include "support/diag.h"
#include "probes/providers.h"

struct sw_event {
	const char *name, *alias; /* alias NULL when none */
	unsigned config;
	uint64_t default_count;
};

static const struct sw_event sw_events[] = {
	{"alignment-faults", NULL, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1},
	{"bpf-output", NULL, PERF_COUNT_SW_BPF_OUTPUT, 1},
	{"context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000},
	{"cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000},
	{"cpu-migrations", NULL, PERF_COUNT_SW_CPU_MIGRATIONS, 1},
	{"dummy", NULL, PERF_COUNT_SW_DUMMY, 1},
	{"emulation-faults", NULL, PERF_COUNT_SW_EMULATION_FAULTS, 1},
	{"major-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1},
	{"minor-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MIN, 100},
	{"page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100},
	{"task-clock", NULL, PERF_COUNT_SW_TASK_CLOCK, 1000000},
};
#define NSW (sizeof(sw_events) / sizeof(sw_events[0]))

static const struct sw_event *sw_find(const char *name)
{
	size_t i;

	for (i = 0; i < NSW; i++)
		if (strcmp(sw_events[i].name, name) == 0 ||
		    (sw_events[i].alias && strcmp(sw_events[i].alias, name) == 0))
			return &sw_events[i];
	return NULL;
}

static int sw_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

static void add_sw(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const struct sw_event *e,
		   uint64_t count, bool explicit_count)
{
	char name[128];
	struct et_probe_desc *p;

	if (explicit_count)
		snprintf(name, sizeof(name), "software:%s:%llu", e->name, (unsigned long long)count);
	else
		snprintf(name, sizeof(name), "software:%s", e->name);
	p = provider_new_probe(ctx, &provider_software, ap, name);
	p->section = "perf_event";
	p->target = e->name;
	p->offset = count;
}

/* As bpftrace's listing sorts them: "cpu-clock:" before "cpu:" */
static int cmp_listed(const void *a, const void *b)
{
	char x[64], y[64];

	snprintf(x, sizeof(x), "%s:", *(const char *const *)a);
	snprintf(y, sizeof(y), "%s:", *(const char *const *)b);
	return strcmp(x, y);
}

/* -l: bpftrace's form, "software:EVENT:" with the event as written (an alias stays one) */
static void sw_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	(void)verbose;
	(void)a;
	fprintf(out, "software:%s:\n", p->func ? p->func : p->target);
}

static int sw_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write it as software:EVENT[:COUNT], e.g. software:page-faults:100 "
			   "(list the events with etrace -l 'software:*')";
	const struct sw_event *e;
	uint64_t count = 0;
	bool explicit_count = ap->nparts == 3;
	size_t i;

	if (ctx->listing && (ap->nparts == 1 || ap->nparts == 2)) {
		/* bpftrace lists every event and every alias matching, as "software:NAME:", sorted */
		const char *names[2 * NSW];
		size_t n = 0;

		for (i = 0; i < NSW; i++) {
			names[n++] = sw_events[i].name;
			if (sw_events[i].alias)
				names[n++] = sw_events[i].alias;
		}
		qsort(names, n, sizeof(names[0]), cmp_listed);
		for (i = 0; i < n; i++) {
			if (ap->nparts == 2 && !provider_glob_match(ap->parts[1], names[i]))
				continue;
			add_sw(ctx, ap, sw_find(names[i]), sw_find(names[i])->default_count, false);
			ctx->probes[ctx->nprobes - 1].func = names[i];
		}
		return 0;
	}
	if (ap->nparts != 2 && ap->nparts != 3)
		return provider_error(ctx, ap, hint, "software probe: expected software:EVENT[:COUNT]");
	if (explicit_count) {
		/* bpftrace's integer forms: 1000, 1_000, 1e3, 0x3e8 */
		if (!provider_parse_uint(ap->parts[2], &count) || count == 0)
			return provider_error(ctx, ap, hint, "software probe: '%s' is not a positive count",
					      ap->parts[2]);
	}
	if (provider_has_wildcard(ap->parts[1])) {
		/* wildcard: every event name matching; aliases are not listed twice */
		int found = 0;

		for (i = 0; i < NSW; i++) {
			if (!provider_glob_match(ap->parts[1], sw_events[i].name))
				continue;
			add_sw(ctx, ap, &sw_events[i], explicit_count ? count : sw_events[i].default_count,
			       explicit_count);
			found++;
		}
		if (!found && !ctx->listing)
			return provider_error(ctx, ap, hint, "no software event matches '%s'", ap->parts[1]);
		return 0;
	}
	e = sw_find(ap->parts[1]);
	if (!e)
		return provider_error(ctx, ap, hint, "unknown software event '%s'", ap->parts[1]);
	add_sw(ctx, ap, e, explicit_count ? count : e->default_count, explicit_count);
	ctx->probes[ctx->nprobes - 1].func = arena_strdup(ctx->arena, ap->parts[1]); /* as written, for -l */
	return 0;
}

static int sw_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	const struct sw_event *e = sw_find(p->target);
	struct perf_event_attr attr;

	if (!e)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = e->config;
	attr.sample_period = p->offset;
	return provider_attach_perf_cpus(prog, &attr, ctx);
}

/* Counting events (faults, context switches...) sit on a per-CPU list that the kernel walks newest
 * first; cpu-clock and task-clock are timers of their own, started in attach order. */
static bool sw_newest_first(const struct et_probe_desc *p)
{
	const struct sw_event *e = sw_find(p->target);

	return e && e->config != PERF_COUNT_SW_CPU_CLOCK && e->config != PERF_COUNT_SW_TASK_CLOCK;
}

static const char *const sw_aliases[] = {"s", NULL};

const struct et_provider provider_software = {
	.name = "software",
	.aliases = sw_aliases,
	.ctx = PROVIDER_CTX_PERF_EVENT,
	.flags = PROVIDER_LISTABLE,
	.supported = sw_supported,
	.expand = sw_expand,
	.attach = sw_attach,
	.newest_first = sw_newest_first,
	.list = sw_list,
};
