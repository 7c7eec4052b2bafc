/* testbench: bpftrace's test:NAME and bench:NAME probes, which run only in their mode (--test, --bench;
 * the runtime leaves them out otherwise, and leaves every other probe but begin/end out in those modes).
 * Each is an XDP program attached to nothing, as in bpftrace: the runtime runs it with BPF_PROG_TEST_RUN,
 * a test once (it passes when it returns 0, calls no exit(N != 0) and reports no error), a benchmark
 * repeatedly (the kernel's BPF_PROG_TEST_RUN `repeat`, which XDP has and raw_tp has not) to time it.
 * A name is given once per kind; the name is the probe's path in the reports. See provider.h. */
#include <errno.h>
#include <string.h>

#include "probes/providers.h"

static int testbench_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

static int testbench_expand(const struct et_provider *pv, const char *kind, const struct ast_attach *ap,
			    struct provider_expand_ctx *ctx)
{
	char name[256];

	if (ap->nparts < 2 || !ap->parts[1][0])
		return provider_error(ctx, ap, NULL, "%s probes must have a name: %s:NAME", pv->name, pv->name);
	if (ap->nparts > 2)
		return provider_error(ctx, ap, NULL, "%s probe: expected %s:NAME, a name without ':'", pv->name,
				      pv->name);
	for (uint32_t i = 0; i < ctx->nprobes; i++)
		if (ctx->probes[i].provider == pv && strcmp(ctx->probes[i].func, ap->parts[1]) == 0)
			return provider_error(ctx, ap, "give each one a name of its own",
					      "\"%s\" was used as the name for more than one %s probe (the other is "
					      "at line %u)", ap->parts[1], kind, ctx->probes[i].loc.line);
	snprintf(name, sizeof(name), "%s:%s", pv->name, ap->parts[1]);
	struct et_probe_desc *p = provider_new_probe(ctx, pv, ap, name);
	p->section = "xdp";
	p->func = p->name + strlen(pv->name) + 1;
	return 0;
}

static int test_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return testbench_expand(&provider_test, "TEST", ap, ctx);
}

static int bench_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return testbench_expand(&provider_bench, "BENCH", ap, ctx);
}

static int testbench_attach(const struct et_probe_desc *p, struct bpf_program *prog,
			    const struct provider_attach_ctx *ctx)
{
	(void)p;
	(void)prog;
	(void)ctx;
	return 0; /* run by the runtime with BPF_PROG_TEST_RUN (--test, --bench) */
}

const struct et_provider provider_test = {
	.name = "test",
	.ctx = PROVIDER_CTX_NONE,
	.flags = PROVIDER_TEST,
	.supported = testbench_supported,
	.expand = test_expand,
	.attach = testbench_attach,
};

const struct et_provider provider_bench = {
	.name = "bench",
	.ctx = PROVIDER_CTX_NONE,
	.flags = PROVIDER_BENCH,
	.supported = testbench_supported,
	.expand = bench_expand,
	.attach = testbench_attach,
};
