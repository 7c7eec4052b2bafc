/* hardware: `hardware:EVENT[:COUNT]` (alias h): the processor's counters (PMU) as perf hardware events,
 * sampled every COUNT occurrences (default per event, as bpftrace), one perf event per online CPU,
 * section perf_event; with -p/-c, the events of that process only. Needs a PMU the kernel exposes
 * (FEATURE_PERF_HW: sema refuses the probes where there is none, with what to use instead); -l lists
 * the events bpftrace knows, and their aliases, on any machine, as bpftrace does. The spellings,
 * listing and attach are perf_event.c's; this file holds the event table. See provider.h and
 * perf_event.h. */
#include <stdbool.h>

#include <linux/perf_event.h>

#include "kernel/features.h"
#include "probes/perf_event.h"
#include "probes/providers.h"

/* bpftrace's list (probe_matcher.h HW_PROBE_LIST), with its default counts */
static const struct perf_event_def hw_events[] = {
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

static const struct perf_event_kind hw_kind = {
	.provider = &provider_hardware,
	.type = PERF_TYPE_HARDWARE,
	.events = hw_events,
	.nevents = sizeof(hw_events) / sizeof(hw_events[0]),
	.hint = "write it as hardware:EVENT[:COUNT], e.g. hardware:cache-misses:1e6 "
		"(list the events with etrace -l 'hardware:*')",
};

static int hw_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_PERF_HW, why, instead);
}

static int hw_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return perf_event_expand(&hw_kind, ap, ctx);
}

static int hw_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	return perf_event_attach(&hw_kind, p, prog, ctx);
}

static const char *const hw_aliases[] = {"h", NULL};

/* Counting events sit on a per-CPU list that the kernel walks newest first. */
const struct et_provider provider_hardware = {
	.name = "hardware",
	.aliases = hw_aliases,
	.ctx = PROVIDER_CTX_PERF_EVENT,
	.flags = PROVIDER_LISTABLE,
	.supported = hw_supported,
	.expand = hw_expand,
	.attach = hw_attach,
	.newest_first = provider_always_newest_first,
	.list = perf_event_list,
};
