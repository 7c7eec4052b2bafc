/* software: `software:EVENT[:COUNT]` (alias s): kernel software perf events, sampled every COUNT
 * occurrences (default per event, as bpftrace), one perf event per online CPU, section perf_event;
 * with -p/-c, the events of that process only, as bpftrace. The spellings, listing and attach are
 * perf_event.c's; this file holds the event table. See provider.h and perf_event.h. */
#include <stdbool.h>

#include <linux/perf_event.h>

#include "probes/perf_event.h"
#include "probes/providers.h"

static const struct perf_event_def sw_events[] = {
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

static const struct perf_event_kind sw_kind = {
	.provider = &provider_software,
	.type = PERF_TYPE_SOFTWARE,
	.events = sw_events,
	.nevents = sizeof(sw_events) / sizeof(sw_events[0]),
	.hint = "write it as software:EVENT[:COUNT], e.g. software:page-faults:100 "
		"(list the events with etrace -l 'software:*')",
};

static int sw_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

static int sw_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return perf_event_expand(&sw_kind, ap, ctx);
}

static int sw_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	return perf_event_attach(&sw_kind, p, prog, ctx);
}

/* Counting events (faults, context switches...) sit on a per-CPU list that the kernel walks newest
 * first; cpu-clock and task-clock are timers of their own, started in attach order. */
static bool sw_newest_first(const struct et_probe_desc *p)
{
	const struct perf_event_def *e = perf_event_find(&sw_kind, p->target);

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
	.list = perf_event_list,
};
