/* pending: providers etrace knows by name but cannot run here, either because this kernel lacks the
 * mechanism (no breakpoint registers) or because etrace
 * does not handle them yet (watchpoint). supported() detects the kernel
 * side through src/kernel/features.h (cached there); expand() always reports one clear error at the attach point.
 * When a provider gets implemented, move it to its own file and drop it from here. */
#include <errno.h>

#include "kernel/features.h"
#include "support/diag.h"
#include "probes/providers.h"

/* The kernel side is detected by src/kernel/features.c, which --info reports from too. */
static int breakpoint_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_BREAKPOINT, why, instead);
}

/* ---- expand: one error, honest about who lacks what ---- */

static int pending_expand(const struct et_provider *pv, const struct ast_attach *ap,
			  struct provider_expand_ctx *ctx)
{
	const char *why = NULL, *instead = NULL;

	if (pv->supported(&why, &instead) && why)
		return provider_error(ctx, ap, instead, "%s: %s", pv->name, why);
	if (ctx->listing)
		return 0;
	return provider_error(ctx, ap, NULL, "etrace does not handle %s probes yet", pv->name);
}

static int pending_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	(void)p;
	(void)prog;
	(void)ctx;
	return -EOPNOTSUPP;
}

#define PENDING(ident, pname, sup, ctxk, flg, ...)                                                      \
	PROVIDER_ALIASES_EXPAND(ident, pending_expand, __VA_ARGS__)                                       \
	const struct et_provider provider_##ident = {                                                     \
	    .name = pname, .aliases = ident##_aliases, .ctx = ctxk, .flags = flg, .supported = sup,      \
	    .expand = ident##_expand, .attach = pending_attach,                                                     \
	};

PENDING(watchpoint, "watchpoint", breakpoint_supported, PROVIDER_CTX_PERF_EVENT, 0, "w")
