/* special: the begin and end probes (BEGIN/END, any case). Each is a raw_tp program with no attach
 * name: the runtime runs it once with BPF_PROG_TEST_RUN (begin before the event loop, end after the
 * other probes are detached), so attach() creates nothing. See provider.h. */
#include <errno.h>

#include "support/arena.h"
#include "probes/providers.h"

static int special_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

static int special_expand_one(const struct et_provider *pv, const struct ast_attach *ap,
			      struct provider_expand_ctx *ctx)
{
	struct et_probe_desc *p;

	if (ap->nparts != 1)
		return provider_error(ctx, ap, "write it alone, without ':'", "%s probe takes no arguments",
				      pv->name);
	p = provider_new_probe(ctx, pv, ap, pv->name);
	p->section = "raw_tp";
	return 0;
}

static int begin_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return special_expand_one(&provider_begin, ap, ctx);
}

static int end_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return special_expand_one(&provider_end, ap, ctx);
}

static int special_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	(void)p;
	(void)prog;
	(void)ctx;
	return 0; /* run by the runtime with BPF_PROG_TEST_RUN */
}

/* -l FILE leaves begin and end out, as bpftrace */
static void special_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	(void)p;
	(void)verbose;
	(void)a;
	(void)out;
}

static const char *const begin_aliases[] = {"BEGIN", NULL};
static const char *const end_aliases[] = {"END", NULL};

const struct et_provider provider_begin = {
	.name = "begin",
	.aliases = begin_aliases,
	.ctx = PROVIDER_CTX_NONE,
	.flags = PROVIDER_BEGIN,
	.supported = special_supported,
	.expand = begin_expand,
	.attach = special_attach,
	.list = special_list,
};

const struct et_provider provider_end = {
	.name = "end",
	.aliases = end_aliases,
	.ctx = PROVIDER_CTX_NONE,
	.flags = PROVIDER_END,
	.supported = special_supported,
	.expand = end_expand,
	.attach = special_attach,
	.list = special_list,
};
