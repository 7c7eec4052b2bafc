/* usdt: statically defined user probes (<sys/sdt.h>, .note.stapsdt).
 *   usdt:/path:provider:name   a probe of one provider
 *   usdt:/path:name            a probe of any provider
 *   usdt:libname:provider:name the file found like uprobe's (library names, PATH)
 * Wildcards work in provider and name. A probe that the compiler placed at several sites (inlining,
 * several call sites) gives one concrete probe per site, each with its own argument specs
 * (probe->usdt_args, read by codegen for argN) and semaphore (probe->ref_ctr_offset: the kernel
 * counts it up while the uprobe is attached, so `if (PROBE_ENABLED())` code in the target runs).
 * Attached as a plain uprobe at the site's file offset. See provider.h. */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "support/arena.h"
#include "kernel/elf.h"
#include "probes/providers.h"
#include "probes/uprobe.h"

static int usdt_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_UPROBES, why, instead);
}

static int usdt_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const struct et_provider *pv = &provider_usdt;
	const char *why = NULL, *instead = NULL, *want_prov, *want_name, *target;
	struct uprobe_bins b;
	size_t found = 0;
	int err;

	if (pv->supported(&why, &instead) && why)
		return provider_error(ctx, ap, instead, "usdt: %s", why);
	/* with -p, usdt:NAME (no binary) searches every object the process has mapped, as bpftrace */
	if (ap->nparts == 2 && ctx->target_pid > 0) {
		target = "";
		want_prov = "*";
	} else if (ap->nparts == 3 || ap->nparts == 4) {
		target = ap->parts[1];
		want_prov = ap->nparts == 4 ? ap->parts[2] : "*";
	} else {
		return provider_error(ctx, ap, "write it as usdt:/path/to/binary:provider:name",
				      "usdt probe: expected usdt:BINARY:PROVIDER:NAME or usdt:BINARY:NAME");
	}
	want_name = ap->parts[ap->nparts - 1];
	if (!*target && ctx->target_pid <= 0)
		return provider_error(ctx, ap, "write it as usdt:/path/to/binary:provider:name",
				      "usdt probe: expected usdt:BINARY:PROVIDER:NAME or usdt:BINARY:NAME");
	err = uprobe_targets(ctx, ap, "usdt", target, &b);
	if (err)
		return err;
	for (size_t bi = 0; bi < b.n; bi++) {
		const char *path = b.path[bi];
		struct elf_notes notes;

		err = elf_read_notes(path, &notes);
		if (err) {
			if (b.n > 1) /* a library of the process without notes */
				continue;
			return provider_error(ctx, ap, NULL, "usdt probe: cannot read the USDT notes of %s: %s", path,
					      strerror(-err));
		}
		for (size_t i = 0; i < notes.count; i++) {
			const struct elf_note *n = &notes.notes[i];
			struct et_probe_desc *p;

			if (!provider_glob_match(want_prov, n->provider) || !provider_glob_match(want_name, n->name))
				continue;
			if (ctx->listing) { /* one line per probe, not per site */
				bool seen = false;

				for (size_t j = 0; j < i && !seen; j++)
					seen = strcmp(notes.notes[j].provider, n->provider) == 0 &&
					       strcmp(notes.notes[j].name, n->name) == 0;
				if (seen)
					continue;
			}
			p = provider_new_probe(ctx, pv, ap,
					       arena_printf(ctx->arena, "usdt:%s:%s:%s", b.shown[bi], n->provider, n->name));
			p->section = "uprobe";
			p->target = arena_strdup(ctx->arena, path);
			p->func = arena_strdup(ctx->arena, n->name);
			p->offset = n->pc_offset;
			p->usdt_args = arena_strdup(ctx->arena, n->args);
			p->ref_ctr_offset = n->sem_offset;
			found++;
		}
		elf_notes_free(&notes);
	}
	if (!found && !ctx->listing)
		return provider_missing(ctx, ap, "list the probes with: etrace -l 'usdt:BINARY:*'",
				      "usdt probe: no USDT probe %s%s%s in %s", ap->nparts == 4 ? want_prov : "",
				      ap->nparts == 4 ? ":" : "", want_name, b.n == 1 ? b.path[0] : *target ? target :
				      "the process's objects");
	return 0;
}

static int usdt_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts);
	struct bpf_link *link;
	int pid = ctx->target_pid;

	opts.ref_ctr_offset = (size_t)p->ref_ctr_offset;
	link = bpf_program__attach_uprobe_opts(prog, pid ? pid : -1, p->target, (size_t)p->offset, &opts);
	if (!link)
		return -errno;
	return provider_links_add(ctx->links, link);
}

static const char *const usdt_aliases[] = {"U", NULL};
const struct et_provider provider_usdt = {
    .name = "usdt",
    .aliases = usdt_aliases,
    .ctx = PROVIDER_CTX_PT_REGS,
    .flags = PROVIDER_HAS_ARGN | PROVIDER_HAS_USER,
    .supported = usdt_supported,
    .expand = usdt_expand,
    .attach = usdt_attach,
    .newest_first = provider_always_newest_first, /* a uprobe underneath */
};
