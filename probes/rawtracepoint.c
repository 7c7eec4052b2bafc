/* rawtracepoint: `rawtracepoint:EVENT` and `rawtracepoint:MODULE:EVENT` (alias rt); the program sees the
 * tracepoint's TP_PROTO arguments as u64 arg0..argN and, typed from BTF, as args.NAME.
 * Attachment, as today's bpftrace does it: a BTF-typed raw tracepoint (section tp_btf/EVENT,
 * BPF_PROG_TYPE_TRACING attached through the kernel's btf_trace_EVENT type) when the kernel has that
 * type and loads tp_btf programs (features.h); otherwise a plain raw tracepoint (section raw_tp/EVENT,
 * BPF_RAW_TRACEPOINT_OPEN). Both run at the same place for the same events with the same argument
 * values; tp_btf lets the verifier know the arguments' types. The probe's btf_ctx says which was
 * chosen, and -v reports it.
 * A wildcard in EVENT expands over the tracefs events that are real tracepoints.
 * The module part is kept in the probe name; the kernel finds module tracepoints by name. It must name
 * vmlinux or a loaded module (provider_check_module), as bpftrace requires. -l names every event as
 * bpftrace does, rawtracepoint:MODULE:EVENT, with the module whose BTF has its btf_trace_ type (vmlinux
 * for the kernel's own), when the kernel has BTF. */
#define _DEFAULT_SOURCE /* scandir */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "kernel/btf.h"
#include "support/arena.h"
#include "support/diag.h"
#include "probes/providers.h"
#include "kernel/tracefs.h"
#include "probes/tracepoint.h"

static int rt_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_RAW_TP, why, instead);
}

static bool use_tp_btf(const char *ev)
{
	return feature_check(FEATURE_TP_BTF, NULL, NULL) == 0 && btf_has_tracepoint_type(ev);
}

static void add_rt(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *mod,
		   const char *ev)
{
	char name[512];
	struct et_probe_desc *p;
	/* -l: bpftrace's form, rawtracepoint:MODULE:EVENT, the module that has its btf_trace_ type */
	const char *listed_mod = ctx->listing ? btf_tracepoint_module(ev) : NULL;

	if (listed_mod && mod && !provider_glob_match(mod, listed_mod))
		return; /* listing MODULE:PATTERN: another module's event */
	if (listed_mod)
		snprintf(name, sizeof(name), "rawtracepoint:%s:%s", listed_mod, ev);
	else if (mod)
		snprintf(name, sizeof(name), "rawtracepoint:%s:%s", mod, ev);
	else
		snprintf(name, sizeof(name), "rawtracepoint:%s", ev);
	p = provider_new_probe(ctx, &provider_rawtracepoint, ap, name);
	/* listing never loads anything: no feature probe for it */
	p->btf_ctx = !ctx->listing && use_tp_btf(ev);
	p->section = arena_printf(ctx->arena, "%s/%s", p->btf_ctx ? "tp_btf" : "raw_tp", ev);
	p->target = mod ? arena_strdup(ctx->arena, mod) : NULL;
	p->func = arena_strdup(ctx->arena, ev);
}

static int skip_dots(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Add every raw-attachable tracefs event matching ev (once per name, in category order). */
static int expand_wild(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *mod,
		       const char *ev)
{
	const char *root = tracefs_root();
	struct dirent **cats, **evs;
	char path[1024];
	int nc, ne, i, j, found = 0;

	if (!root)
		return provider_error(ctx, ap, "run etrace as root so that it can mount tracefs",
				      "rawtracepoint probe: cannot expand '%s': tracefs is not available", ev);
	snprintf(path, sizeof(path), "%s/events", root);
	nc = scandir(path, &cats, skip_dots, alphasort);
	for (i = 0; i < nc; i++) {
		snprintf(path, sizeof(path), "%s/events/%s", root, cats[i]->d_name);
		ne = tracepoint_can_attach_raw(cats[i]->d_name, "") ? scandir(path, &evs, skip_dots, alphasort) : -1;
		for (j = 0; j < ne; j++) {
			if (fnmatch(ev, evs[j]->d_name, 0) == 0 && strcmp(evs[j]->d_name, "enable") != 0 &&
			    strcmp(evs[j]->d_name, "filter") != 0) {
				add_rt(ctx, ap, mod, evs[j]->d_name);
				found++;
			}
			free(evs[j]);
		}
		if (ne >= 0)
			free(evs);
		free(cats[i]);
	}
	if (nc >= 0)
		free(cats);
	if (!found && !ctx->listing) {
		provider_error(ctx, ap, NULL, "no raw tracepoint matches %s", ev);
		diag_hint(ctx->diag, "list them with: etrace -l 'tracepoint:*'");
		return -ENOENT;
	}
	return 0;
}

static int rt_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write it as rawtracepoint:EVENT or rawtracepoint:MODULE:EVENT";
	const char *mod = NULL, *ev;

	if (ap->nparts == 2) {
		ev = ap->parts[1];
	} else if (ap->nparts == 3) {
		mod = ap->parts[1];
		ev = ap->parts[2];
	} else if (ctx->listing && ap->nparts == 1) {
		ev = "*";
	} else {
		return provider_error(ctx, ap, hint, "rawtracepoint probe: expected rawtracepoint:EVENT");
	}
	if (!*ev)
		return provider_error(ctx, ap, hint, "rawtracepoint probe: empty event name");
	if (provider_check_module(ctx, &provider_rawtracepoint, ap, mod))
		return -EINVAL;
	/* listing: only events that exist (a bare pattern "*:NAME" reaches every provider) */
	if (provider_has_wildcard(ev) || ctx->listing)
		return expand_wild(ctx, ap, mod, ev);
	add_rt(ctx, ap, mod, ev);
	return 0;
}

static int rt_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	struct bpf_link *link = p->btf_ctx ? bpf_program__attach_trace(prog)
					   : bpf_program__attach_raw_tracepoint(prog, p->func);

	if (!link)
		return errno ? -errno : -EINVAL;
	return provider_links_add(ctx->links, link);
}

static const char *rt_how_attached(const struct et_probe_desc *p)
{
	return p->btf_ctx ? "BTF-typed raw tracepoint (tp_btf, btf_trace_ type found)"
			  : "raw tracepoint (no tp_btf: no btf_trace_ type, or the kernel refuses it)";
}

static const char *const rt_aliases[] = {"rt", NULL};

const struct et_provider provider_rawtracepoint = {
	.name = "rawtracepoint",
	.aliases = rt_aliases,
	.ctx = PROVIDER_CTX_RAW_ARGS,
	.flags = PROVIDER_HAS_ARGN | PROVIDER_HAS_ARGS | PROVIDER_LISTABLE,
	.args = PROVIDER_ARGS_BTF_EVENT, /* args.NAME typed from BTF (__bpf_trace_EVENT) */
	.complete = PROVIDER_COMPLETE_EVENT,
	.supported = rt_supported,
	.expand = rt_expand,
	.attach = rt_attach,
	.how_attached = rt_how_attached,
	.list = provider_list_btf_args,
};
