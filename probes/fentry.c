/* fentry / fexit: `fentry:FUNC`, `fexit:FUNC` (aliases f/kfunc, fr/kretfunc), `fentry:MODULE:FUNC` (the
 * functions of the modules MODULE matches, from their BTF; vmlinux is the kernel), BPF_PROG_TYPE_TRACING
 * programs in sections fentry/FUNC and fexit/FUNC that libbpf resolves to the function's BTF id at load
 * (vmlinux first, then each module). The context is the u64 argument array:
 * `args.NAME` is typed from the function's BTF prototype (src/kernel/btf.h), fexit's `retval` follows
 * the arguments. A wildcard in FUNC expands over the BTF functions of vmlinux (also for -l), or of the
 * modules named; fentry:FUNC of a module's function (not in vmlinux) finds its module, as bpftrace.
 * fentry:bpf[:ID]:FUNC: the functions of running BPF programs (bpf_expand; target "bpf", offset the id,
 * args from the program's BTF), the target set before load (before_load).
 * Kernels that refuse tracing programs (EPERM here) are detected by features.h; sema then reports the
 * probe with a tracepoint suggestion (kprobe's per-function suggestions: syscall and named
 * tracepoints). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "kernel/btf.h"
#include "support/arena.h"
#include "support/diag.h"
#include "probes/providers.h"

static int fentry_supported(const char **why, const char **instead)
{
	int err = feature_check(FEATURE_FENTRY, why, instead);

	if (err)
		return err;
	if (feature_check(FEATURE_BTF, why, instead))
		return -ENOENT;
	return 0;
}

static void add_fn(struct provider_expand_ctx *ctx, const struct et_provider *pv, const struct ast_attach *ap,
		   const char *mod, const char *fn)
{
	char name[512];
	struct et_probe_desc *p;

	/* -l names the object too, as bpftrace lists them: fentry:vmlinux:vfs_read */
	if (mod || ctx->listing)
		snprintf(name, sizeof(name), "%s:%s:%s", pv->name, mod ? mod : "vmlinux", fn);
	else
		snprintf(name, sizeof(name), "%s:%s", pv->name, fn);
	p = provider_new_probe(ctx, pv, ap, name);
	p->section = arena_printf(ctx->arena, "%s/%s", pv->name, fn);
	p->btf_ctx = true;
	p->target = mod ? arena_strdup(ctx->arena, mod) : NULL;
	p->func = arena_strdup(ctx->arena, fn);
}

/* The FUNCs of one BTF object (its own types: a module's BTF is split from vmlinux's) matching fn; each
 * added with module `mod` (NULL: vmlinux). How many. */
static uint32_t add_matches(struct provider_expand_ctx *ctx, const struct et_provider *pv, const struct ast_attach *ap,
			    const struct btf *b, const char *mod, const char *fn)
{
	const struct btf *base = btf__base_btf(b);
	uint32_t id = base ? btf__type_cnt(base) : 1, n = btf__type_cnt(b), found = 0;

	for (; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *name;

		if (!btf_is_func(t))
			continue;
		name = btf__name_by_offset(b, t->name_off);
		if (name && provider_glob_match(fn, name)) {
			add_fn(ctx, pv, ap, mod, name);
			found++;
		}
	}
	return found;
}

/* fentry:bpf[:ID]:FUNC (bpftrace's form): the functions of running BPF programs (their main function and
 * subprograms, by BTF name; ID a program id or '*', left out: any), each a probe "fentry:bpf:ID:FUNC" with
 * target "bpf", offset the program id; before_load points the program at it. */
static int bpf_expand(const struct et_provider *pv, const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write fentry:bpf:FUNCTION or fentry:bpf:PROGRAM_ID:FUNCTION; etrace -l 'fentry:bpf:*' "
			   "lists the running programs' functions";
	const char *idpart = ap->nparts == 4 ? ap->parts[2] : "*", *fn = ap->parts[ap->nparts - 1], *names[64];
	unsigned long long want = 0;
	uint32_t id = 0, found = 0;
	char *end;

	if (ap->nparts < 3 && !ctx->listing)
		return provider_error(ctx, ap, hint, "%s probe: the 'bpf' form needs a function name", pv->name);
	if (ap->nparts < 3)
		fn = "*";
	if (strcmp(idpart, "*") != 0) {
		errno = 0;
		want = strtoull(idpart, &end, 10);
		if (errno || *end || !want)
			return provider_error(ctx, ap, hint, "%s probe: bpf program id must be a number or '*'", pv->name);
	}
	while (bpf_prog_get_next_id(id, &id) == 0) {
		if (want && id != want)
			continue;
		uint32_t n = btf_bpf_prog_funcs(id, names, 64);

		for (uint32_t i = 0; i < n; i++) {
			if (!provider_glob_match(fn, names[i]))
				continue;
			struct et_probe_desc *p = provider_new_probe(
				ctx, pv, ap, arena_printf(ctx->arena, "%s:bpf:%u:%s", pv->name, id, names[i]));
			p->section = arena_printf(ctx->arena, "%s/%s", pv->name, names[i]);
			p->btf_ctx = true;
			p->target = "bpf";
			p->func = arena_strdup(ctx->arena, names[i]);
			p->offset = id;
			found++;
		}
	}
	if (!found && !ctx->listing)
		return provider_missing(ctx, ap, "etrace -l 'fentry:bpf:*' lists the running programs' functions",
					"%s probe: no running BPF program%s%s has a function matching '%s'", pv->name,
					want ? " " : "", want ? idpart : "", fn);
	return 0;
}

/* The program for fentry:bpf:ID:FUNC attaches to that program's function: the kernel needs the target at
 * load (its fd stays open for the process: the load may happen later than expand). */
static void fn_before_load(const struct et_probe_desc *p, struct bpf_program *prog)
{
	int fd;

	if (!p->target || strcmp(p->target, "bpf") != 0)
		return;
	fd = bpf_prog_get_fd_by_id((uint32_t)p->offset);
	if (fd >= 0)
		bpf_program__set_attach_target(prog, fd, p->func);
}

static int fn_expand(const struct et_provider *pv, const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write it as fentry:FUNCTION or fentry:MODULE:FUNCTION (a kernel function with BTF)";
	const char *mod = NULL, *fn, *name;
	const struct btf *b;
	uint32_t found = 0;

	if (ap->nparts == 2) {
		fn = ap->parts[1];
	} else if (ap->nparts == 3) {
		mod = ap->parts[1];
		fn = ap->parts[2];
	} else if (ctx->listing && ap->nparts == 1) {
		fn = "*";
	} else if (ap->nparts == 4 && strcmp(ap->parts[1], "bpf") == 0) {
		return bpf_expand(pv, ap, ctx);
	} else {
		return provider_error(ctx, ap, hint, "%s probe: expected %s:FUNCTION", pv->name, pv->name);
	}
	if (!*fn)
		return provider_error(ctx, ap, hint, "%s probe: empty function name", pv->name);
	if (ap->nparts >= 2 && strcmp(ap->parts[1], "bpf") == 0 && (ap->nparts >= 3 || !ctx->listing))
		return bpf_expand(pv, ap, ctx);
	if (provider_check_module(ctx, pv, ap, mod))
		return -EINVAL;
	b = btf_vmlinux();
	if (!b)
		return provider_error(ctx, ap, "fentry needs the kernel's BTF (CONFIG_DEBUG_INFO_BTF)",
				      "%s probe: cannot read the kernel's BTF: %s", pv->name, strerror(errno));
	/* vmlinux, unless a module part names others; libbpf finds a module's function in that module's BTF
	 * (SEC("fentry/FUNC") searches vmlinux, then each module) */
	if (!mod || provider_glob_match(mod, "vmlinux"))
		found += add_matches(ctx, pv, ap, b, NULL, fn);
	for (uint32_t i = 1; mod && btf_object(i, &b, &name) > i; i++)
		if (provider_glob_match(mod, name))
			found += add_matches(ctx, pv, ap, b, name, fn);
	/* fentry:FUNC of a module's function (no module written), as bpftrace finds its module */
	for (uint32_t i = 1; !mod && !found && !provider_has_wildcard(fn) && btf_object(i, &b, &name) > i; i++)
		found += add_matches(ctx, pv, ap, b, name, fn);
	if (!found && !ctx->listing)
		return provider_missing(ctx, ap, "list them with: etrace -l 'fentry:*'",
				      provider_has_wildcard(fn) ? "%s probe: no kernel function matches '%s'"
								: "%s probe: no kernel function '%s' in BTF",
				      pv->name, fn);
	return 0;
}

static int fentry_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return fn_expand(&provider_fentry, ap, ctx);
}

static int fexit_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	return fn_expand(&provider_fexit, ap, ctx);
}

static int fn_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	struct bpf_link *link = bpf_program__attach_trace(prog);

	(void)p;
	if (!link)
		return errno ? -errno : -EINVAL;
	return provider_links_add(ctx->links, link);
}

/* The tracepoint to use instead for this function, as kprobes suggest it. */
static const char *fentry_suggest(const struct ast_attach *ap, struct arena *a)
{
	return provider_kprobe.suggest ? provider_kprobe.suggest(ap, a) : NULL;
}

static const char *fexit_suggest(const struct ast_attach *ap, struct arena *a)
{
	return provider_kretprobe.suggest ? provider_kretprobe.suggest(ap, a) : NULL;
}

static const char *const fentry_aliases[] = {"f", "kfunc", NULL};
static const char *const fexit_aliases[] = {"fr", "kretfunc", NULL};

const struct et_provider provider_fentry = {
	.name = "fentry",
	.aliases = fentry_aliases,
	.ctx = PROVIDER_CTX_RAW_ARGS,
	.flags = PROVIDER_HAS_ARGS | PROVIDER_HAS_FUNC | PROVIDER_LISTABLE,
	.args = PROVIDER_ARGS_BTF_FUNC,
	.complete = PROVIDER_COMPLETE_KERNEL_FUNC,
	.supported = fentry_supported,
	.expand = fentry_expand,
	.before_load = fn_before_load,
	.attach = fn_attach,
	.suggest = fentry_suggest,
	.newest_first = provider_always_newest_first, /* a trampoline runs its newest program first */
	.list = provider_list_btf_args,
};

const struct et_provider provider_fexit = {
	.name = "fexit",
	.aliases = fexit_aliases,
	.ctx = PROVIDER_CTX_RAW_ARGS,
	/* not listed unasked: bpftrace's -l lists entry probe types only */
	.flags = PROVIDER_HAS_ARGS | PROVIDER_HAS_RETVAL | PROVIDER_HAS_FUNC | PROVIDER_RETURN,
	.args = PROVIDER_ARGS_BTF_FUNC,
	.complete = PROVIDER_COMPLETE_KERNEL_FUNC,
	.supported = fentry_supported,
	.expand = fexit_expand,
	.before_load = fn_before_load,
	.attach = fn_attach,
	.suggest = fexit_suggest,
	.newest_first = provider_always_newest_first,
	.list = provider_list_btf_args,
};
