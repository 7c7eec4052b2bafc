/* self: bpftrace's events of the tracer itself. The one there is, self:signal:SIGUSR1, fires each time
 * etrace gets SIGUSR1 (`kill -USR1 <etrace pid>`): a raw_tp program attached to nothing, which the
 * runtime runs with BPF_PROG_TEST_RUN when its signalfd reads the signal (as begin is run), in etrace's
 * own context. -l 'self:*' lists it. See provider.h. */
#include <errno.h>
#include <string.h>

#include "probes/providers.h"

/* bpftrace's list (probe_matcher.h SIGNALS): SIGUSR1 only */
static const char *const self_signals[] = {"SIGUSR1"};

static int self_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

static int self_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "the one self probe is self:signal:SIGUSR1 (kill -USR1 etrace's pid fires it)";
	const char *kind = ap->nparts > 1 ? ap->parts[1] : "*", *sig = ap->nparts > 2 ? ap->parts[2] : "*";
	int found = 0;

	if (ap->nparts > 3 || (!ctx->listing && ap->nparts != 3))
		return provider_error(ctx, ap, hint, "self probe: expected self:signal:SIGNAL");
	if (!provider_glob_match(kind, "signal")) {
		if (ctx->listing)
			return 0;
		return provider_error(ctx, ap, hint, "self probe: unknown event '%s'", kind);
	}
	for (size_t i = 0; i < sizeof(self_signals) / sizeof(self_signals[0]); i++) {
		char name[64];

		if (!provider_glob_match(sig, self_signals[i]))
			continue;
		snprintf(name, sizeof(name), "self:signal:%s", self_signals[i]);
		struct et_probe_desc *p = provider_new_probe(ctx, &provider_self, ap, name);
		p->section = "raw_tp";
		p->func = self_signals[i];
		found++;
	}
	if (!found && !ctx->listing)
		return provider_error(ctx, ap, hint, "self probe: signal '%s' is not supported (bpftrace has SIGUSR1)",
				      sig);
	return 0;
}

static int self_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	(void)p;
	(void)prog;
	(void)ctx;
	return 0; /* run by the runtime with BPF_PROG_TEST_RUN on SIGUSR1 */
}

const struct et_provider provider_self = {
	.name = "self",
	.ctx = PROVIDER_CTX_NONE,
	.flags = PROVIDER_SELF_SIGNAL,
	.supported = self_supported,
	.expand = self_expand,
	.attach = self_attach,
};
