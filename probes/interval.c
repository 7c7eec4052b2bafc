/* interval: `interval:UNIT:N` / `interval:Nunit` (alias i): fires on one CPU every period.
 * One software CPU_CLOCK perf event on the first online CPU, section perf_event. See provider.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/perf_event.h>

#include "support/arena.h"
#include "probes/providers.h"

int timer_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0; /* software perf events are always built in with CONFIG_PERF_EVENTS (BPF needs it) */
}

int timer_expand(const struct et_provider *pv, const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	struct et_probe_desc *p;
	const char *unit;
	uint64_t value;
	char name[128];
	int err;

	/* -l 'interval:*': the forms, "interval:UNIT:" for each unit the glob matches, as bpftrace lists them
	 * (in name order) */
	if (ctx->listing && ap->nparts <= 3 && (ap->nparts < 2 || provider_has_wildcard(ap->parts[1]) ||
						(ap->nparts == 3 && provider_has_wildcard(ap->parts[2])))) {
		static const char *const units[] = {"hz", "ms", "s", "us"};
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			snprintf(name, sizeof(name), "%s:", units[i]);
			if (ap->nparts >= 2 && !provider_glob_match(ap->parts[1], name) &&
			    !provider_glob_match(ap->parts[1], units[i]))
				continue;
			snprintf(name, sizeof(name), "%s:%s:", pv->name, units[i]);
			provider_new_probe(ctx, pv, ap, name);
		}
		return 0;
	}
	err = provider_parse_period(ctx, ap, &value, &unit);
	if (err)
		return err;
	snprintf(name, sizeof(name), "%s:%s:%llu", pv->name, unit, (unsigned long long)value);
	p = provider_new_probe(ctx, pv, ap, name);
	p->section = "perf_event";
	p->offset = value;
	p->unit = unit;
	return 0;
}

/* -l: bpftrace's form, "interval:UNIT:" (the listing forms carry it in their name already) */
void timer_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	(void)verbose;
	(void)a;
	if (p->unit)
		fprintf(out, "%s:%s:\n", p->provider->name, p->unit);
	else
		fprintf(out, "%s\n", p->name);
}

static int interval_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return timer_expand(&provider_interval, ap, ctx);
}

/* Fill attr for a CPU_CLOCK timer with the probe's period (shared with profile.c). */
void interval_perf_attr(const struct et_probe_desc *p, struct perf_event_attr *attr)
{
	uint64_t mult = 1;

	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->type = PERF_TYPE_SOFTWARE;
	attr->config = PERF_COUNT_SW_CPU_CLOCK;
	if (strcmp(p->unit, "hz") == 0) {
		attr->freq = 1;
		attr->sample_freq = p->offset;
		return;
	}
	if (strcmp(p->unit, "s") == 0)
		mult = 1000000000ull;
	else if (strcmp(p->unit, "ms") == 0)
		mult = 1000000ull;
	else if (strcmp(p->unit, "us") == 0)
		mult = 1000ull;
	attr->sample_period = p->offset * mult;
}

static int interval_attach(const struct et_probe_desc *p, struct bpf_program *prog,
			   const struct provider_attach_ctx *ctx)
{
	struct perf_event_attr attr;
	int cpu, n;

	n = provider_online_cpus(&cpu, 1);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENODEV;
	interval_perf_attr(p, &attr);
	/* every process even with -p/-c: a timer, not the process's time (bpftrace opens it with pid -1) */
	return provider_attach_perf(prog, &attr, -1, cpu, ctx->links);
}

static const char *const interval_aliases[] = {"i", NULL};

const struct et_provider provider_interval = {
	.name = "interval",
	.aliases = interval_aliases,
	.ctx = PROVIDER_CTX_NONE,
	.supported = timer_supported,
	.expand = interval_expand,
	.attach = interval_attach,
	.list = timer_list,
};
