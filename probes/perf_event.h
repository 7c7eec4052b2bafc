/* perf_event: the core shared by the providers whose probes are named perf events sampled every COUNT
 * occurrences, `PROVIDER:EVENT[:COUNT]` (software, hardware). Each provider keeps its own table of
 * events (name, alias, perf config, bpftrace's default count) in a struct perf_event_kind and calls
 * these from its vtable; the spellings, wildcards, listing and attach are the same for all of them.
 * A probe made here has section perf_event, target = the canonical event name, func = the event as
 * written (for -l: an alias stays one), offset = the count.
 * Memory: strings in ctx->arena. Failure: as in provider.h (located errors from expand). */
#ifndef ET_PERF_EVENT_H
#define ET_PERF_EVENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "probes/provider.h"

struct perf_event_def {
	const char *name, *alias; /* alias NULL when none */
	uint64_t config;          /* perf_event_attr.config: PERF_COUNT_SW_..., PERF_COUNT_HW_... */
	uint64_t default_count;   /* sample period when the attach point gives none (bpftrace's) */
};

struct perf_event_kind {
	const struct et_provider *provider; /* whose probes these are; its name prefixes probe names */
	uint32_t type;                      /* perf_event_attr.type: PERF_TYPE_SOFTWARE, PERF_TYPE_HARDWARE */
	const struct perf_event_def *events;
	size_t nevents;
	const char *hint; /* what to write, for errors: "write it as software:EVENT[:COUNT], e.g. ..." */
};

/* The event named name or whose alias is name; NULL when none. */
const struct perf_event_def *perf_event_find(const struct perf_event_kind *k, const char *name);

/* expand(): EVENT[:COUNT] with a glob EVENT (every event name matching, aliases not twice); listing
 * `PROVIDER:*` / `PROVIDER:GLOB` gives every event and alias matching, sorted as bpftrace prints them. */
int perf_event_expand(const struct perf_event_kind *k, const struct ast_attach *ap, struct provider_expand_ctx *ctx);

/* attach(): one sampling perf event of k->type per online CPU (for the -p/-c process when there is one). */
int perf_event_attach(const struct perf_event_kind *k, const struct et_probe_desc *p, struct bpf_program *prog,
		      const struct provider_attach_ctx *ctx);

/* list(): bpftrace's form, "PROVIDER:EVENT:" with the event as written. */
void perf_event_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out);

#endif
