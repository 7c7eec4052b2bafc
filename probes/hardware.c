/* hardware: `hardware:EVENT[:COUNT]` (alias h): the processor's counters (PMU) as perf hardware events,
 * sampled every COUNT occurrences (default per event, as bpftrace), one perf event per online CPU,
 * section perf_event; with -p/-c, the events of that process only. Needs a PMU the kernel exposes
 * (FEATURE_PERF_HW: sema refuses the probes where there is none, with what to use instead); -l lists
 * the events bpftrace knows, and their aliases, on any machine, as bpftrace does.
 * The probe's target is the canonical event name, offset the count. See provider.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "kernel/features.h"
#include "support/arena.h"
#include "support/diag.h"
#include "probes/providers.h"

struct hw_event {
	const char *name, *alias; /* alias NULL when none */
	unsigned config;
	uint64_t default_count;
};

/* bpftrace's list (probe_matcher.h HW_PROBE_LIST), with its default counts */
static const struct hw_event hw_events[] = {
	{"backend-stalls", NULL, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 1000000},
	{"branch-instructions", "branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 100000},
	{"branch-misses", NULL, PERF_COUNT_HW_BRANCH_MISSES, 100000},
	{"bus-cycles", NULL, PERF_COUNT_HW_BUS_CYCLES, 100000},
	{"cache-misses", NULL, PERF_COUNT_HW_CACHE_MISSES, 1000000},
	{"cache-references", NULL, PERF_COUNT_HW_CACHE_REFERENCES, 1000000},
	{"cpu-cycles", "cycles", PERF_COUNT_HW_CPU_CYCLES, 1000000},
	{"frontend-stalls", NULL, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 1000000},
	{"instructions", NULL, PERF_COUNT_HW_INSTRUCTIONS, 1000000},
	{"ref-cycles", NULL, PERF_COUNT_HW_REF_CPU_CYCLES, 1000000},
};
#define NHW (sizeof(hw_events) / sizeof(hw_events[0]))

static const struct hw_event *hw_find(const char *name)
{
	size_t i;

	for (i = 0; i < NHW; i++)
		if (strcmp(hw_events[i].name, name) == 0 ||
		    (hw_events[i].alias && strcmp(hw_events[i].alias, name) == 0))
			return &hw_events[i];
	return NULL;
}

static int hw_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_PERF_HW, why, instead);
}

static void add_hw(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const struct hw_event *e,
		   uint64_t count, bool explicit_count)
{
	char name[128];
	struct et_probe_desc *p;

	if (explicit_count)
		snprintf(name, sizeof(name), "hardware:%s:%llu", e->name, (unsigned long long)count);
	else
		snprintf(name, sizeof(name), "hardware:%s", e->name);
	p = provider_new_probe(ctx, &provider_hardware, ap, name);
	p->section = "perf_event";
	p->target = e->name;
	p->offset = count;
}

/* As bpftrace's listing sorts them: "cpu-cycles:" before "cycles:" */
static int cmp_listed(const void *a, const void *b)
{
	char x[64], y[64];

	snprintf(x, sizeof(x), "%s:", *(const char *const *)a);
	snprintf(y, sizeof(y), "%s:", *(const char *const *)b);
	return strcmp(x, y);
}

/* -l: bpftrace's form, "hardware:EVENT:" with the event as written (an alias stays one) */
static void hw_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	(void)verbose;
	(void)a;
	fprintf(out, "hardware:%s:\n", p->func ? p->func : p->target);
}

static int hw_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write it as hardware:EVENT[:COUNT], e.g. hardware:cache-misses:1e6 "
			   "(list the events with etrace -l 'hardware:*')";
	const struct hw_event *e;
	uint64_t count = 0;
	bool explicit_count = ap->nparts == 3;
	size_t i;

	if (ctx->listing && (ap->nparts == 1 || ap->nparts == 2)) {
		/* bpftrace lists every event and every alias matching, as "hardware:NAME:", sorted */
		const char *names[2 * NHW];
		size_t n = 0;

		for (i = 0; i < NHW; i++) {
			names[n++] = hw_events[i].name;
			if (hw_events[i].alias)
				names[n++] = hw_events[i].alias;
		}
		qsort(names, n, sizeof(names[0]), cmp_listed);
		for (i = 0; i < n; i++) {
			if (ap->nparts == 2 && !provider_glob_match(ap->parts[1], names[i]))
				continue;
			add_hw(ctx, ap, hw_find(names[i]), hw_find(names[i])->default_count, false);
			ctx->probes[ctx->nprobes - 1].func = names[i];
		}
		return 0;
	}
	if (ap->nparts != 2 && ap->nparts != 3)
		return provider_error(ctx, ap, hint, "hardware probe: expected hardware:EVENT[:COUNT]");
	if (explicit_count) {
		/* bpftrace's integer forms: 1000, 1_000, 1e3, 0x3e8 */
		if (!provider_parse_uint(ap->parts[2], &count) || count == 0)
			return provider_error(ctx, ap, hint, "hardware probe: '%s' is not a positive count",
					      ap->parts[2]);
	}
	if (provider_has_wildcard(ap->parts[1])) {
		/* wildcard: every event name matching; aliases are not listed twice */
		int found = 0;

		for (i = 0; i < NHW; i++) {
			if (!provider_glob_match(ap->parts[1], hw_events[i].name))
				continue;
			add_hw(ctx, ap, &hw_events[i], explicit_count ? count : hw_events[i].default_count,
			       explicit_count);
			found++;
		}
		if (!found && !ctx->listing)
			return provider_error(ctx, ap, hint, "no hardware event matches '%s'", ap->parts[1]);
		return 0;
	}
	e = hw_find(ap->parts[1]);
	if (!e)
		return provider_error(ctx, ap, hint, "unknown hardware event '%s'", ap->parts[1]);
	add_hw(ctx, ap, e, explicit_count ? count : e->default_count, explicit_count);
	ctx->probes[ctx->nprobes - 1].func = arena_strdup(ctx->arena, ap->parts[1]); /* as written, for -l */
	return 0;
}

static int hw_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	const struct hw_event *e = hw_find(p->target);
	struct perf_event_attr attr;

	if (!e)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = e->config;
	attr.sample_period = p->offset;
	return provider_attach_perf_cpus(prog, &attr, ctx);
}

/* Counting events sit on a per-CPU list that the kernel walks newest first. */
static bool hw_newest_first(const struct et_probe_desc *p)
{
	(void)p;
	return true;
}

static const char *const hw_aliases[] = {"h", NULL};

const struct et_provider provider_hardware = {
	.name = "hardware",
	.aliases = hw_aliases,
	.ctx = PROVIDER_CTX_PERF_EVENT,
	.flags = PROVIDER_LISTABLE,
	.supported = hw_supported,
	.expand = hw_expand,
	.attach = hw_attach,
	.newest_first = hw_newest_first,
	.list = hw_list,
};
