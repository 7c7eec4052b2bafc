/* perf_event: spellings, wildcards, listing and attach of table-driven perf event probes (software,
 * hardware). See perf_event.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "support/arena.h"
#include "support/diag.h"
#include "probes/perf_event.h"
#include "probes/providers.h"

const struct perf_event_def *perf_event_find(const struct perf_event_kind *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->nevents; i++)
		if (strcmp(k->events[i].name, name) == 0 ||
		    (k->events[i].alias && strcmp(k->events[i].alias, name) == 0))
			return &k->events[i];
	return NULL;
}

static void add_probe(const struct perf_event_kind *k, struct provider_expand_ctx *ctx, const struct ast_attach *ap,
		      const struct perf_event_def *e, uint64_t count, bool explicit_count)
{
	const char *pname = k->provider->name;
	char name[128];
	struct et_probe_desc *p;

	if (explicit_count)
		snprintf(name, sizeof(name), "%s:%s:%llu", pname, e->name, (unsigned long long)count);
	else
		snprintf(name, sizeof(name), "%s:%s", pname, e->name);
	p = provider_new_probe(ctx, k->provider, ap, name);
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

/* -l PROVIDER:* / PROVIDER:GLOB: every event and every alias matching, as "PROVIDER:NAME:", sorted */
static int list_all(const struct perf_event_kind *k, const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char **names = arena_alloc(ctx->arena, 2 * k->nevents * sizeof(*names));
	size_t i, n = 0;

	for (i = 0; i < k->nevents; i++) {
		names[n++] = k->events[i].name;
		if (k->events[i].alias)
			names[n++] = k->events[i].alias;
	}
	qsort(names, n, sizeof(names[0]), cmp_listed);
	for (i = 0; i < n; i++) {
		const struct perf_event_def *e = perf_event_find(k, names[i]);

		if (ap->nparts == 2 && !provider_glob_match(ap->parts[1], names[i]))
			continue;
		add_probe(k, ctx, ap, e, e->default_count, false);
		ctx->probes[ctx->nprobes - 1].func = names[i];
	}
	return 0;
}

int perf_event_expand(const struct perf_event_kind *k, const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *pname = k->provider->name;
	const struct perf_event_def *e;
	uint64_t count = 0;
	bool explicit_count = ap->nparts == 3;
	size_t i;

	if (ctx->listing && (ap->nparts == 1 || ap->nparts == 2))
		return list_all(k, ap, ctx);
	if (ap->nparts != 2 && ap->nparts != 3)
		return provider_error(ctx, ap, k->hint, "%s probe: expected %s:EVENT[:COUNT]", pname, pname);
	if (explicit_count) {
		/* bpftrace's integer forms: 1000, 1_000, 1e3, 0x3e8 */
		if (!provider_parse_uint(ap->parts[2], &count) || count == 0)
			return provider_error(ctx, ap, k->hint, "%s probe: '%s' is not a positive count", pname,
					      ap->parts[2]);
	}
	if (provider_has_wildcard(ap->parts[1])) {
		/* wildcard: every event name matching; aliases are not listed twice */
		int found = 0;

		for (i = 0; i < k->nevents; i++) {
			if (!provider_glob_match(ap->parts[1], k->events[i].name))
				continue;
			add_probe(k, ctx, ap, &k->events[i], explicit_count ? count : k->events[i].default_count,
				  explicit_count);
			found++;
		}
		if (!found && !ctx->listing)
			return provider_error(ctx, ap, k->hint, "no %s event matches '%s'", pname, ap->parts[1]);
		return 0;
	}
	e = perf_event_find(k, ap->parts[1]);
	if (!e)
		return provider_error(ctx, ap, k->hint, "unknown %s event '%s'", pname, ap->parts[1]);
	add_probe(k, ctx, ap, e, explicit_count ? count : e->default_count, explicit_count);
	ctx->probes[ctx->nprobes - 1].func = arena_strdup(ctx->arena, ap->parts[1]); /* as written, for -l */
	return 0;
}

int perf_event_attach(const struct perf_event_kind *k, const struct et_probe_desc *p, struct bpf_program *prog,
		      const struct provider_attach_ctx *ctx)
{
	const struct perf_event_def *e = perf_event_find(k, p->target);
	struct perf_event_attr attr;

	if (!e)
		return -EINVAL;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = k->type;
	attr.config = e->config;
	attr.sample_period = p->offset;
	return provider_attach_perf_cpus(prog, &attr, ctx);
}

void perf_event_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	(void)verbose;
	(void)a;
	fprintf(out, "%s:%s:\n", p->provider->name, p->func ? p->func : p->target);
}
