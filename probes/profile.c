/* profile: `profile:UNIT:N` / `profile:Nunit` (alias p): fires on every online CPU every period.
 * One software CPU_CLOCK perf event per online CPU, section perf_event; with -p/-c, of that process
 * only (its time on each CPU), as bpftrace. See provider.h. */
#include <linux/perf_event.h>

#include "probes/providers.h"

static int profile_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return timer_expand(&provider_profile, ap, ctx);
}

static int profile_attach(const struct et_probe_desc *p, struct bpf_program *prog,
			  const struct provider_attach_ctx *ctx)
{
	struct perf_event_attr attr;

	interval_perf_attr(p, &attr);
	return provider_attach_perf_cpus(prog, &attr, ctx);
}

static const char *const profile_aliases[] = {"p", NULL};

const struct et_provider provider_profile = {
	.name = "profile",
	.aliases = profile_aliases,
	.ctx = PROVIDER_CTX_PERF_EVENT,
	.supported = timer_supported,
	.expand = profile_expand,
	.attach = profile_attach,
	.list = timer_list,
};
