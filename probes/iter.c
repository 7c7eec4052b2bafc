/* iter: bpftrace's iterator probes, iter:NAME[:PIN] (short name `it`). NAME is a BPF iterator the kernel
 * offers: one with a `struct bpf_iter__NAME` in its BTF (task, task_file, task_vma, ...), the type of the
 * probe's `ctx`. The program is a tracing program in SEC("iter/NAME"); attach() makes its iterator link
 * (for -p PID: the iterator walks that process only, as bpftrace passes the pid), and the runtime then
 * reads an iterator made from the link to its end, which runs the program once per object, and exits
 * (PROVIDER_ITER). With a PIN (bpftrace's iter:NAME:PIN; target = the path, under /sys/fs/bpf unless
 * absolute) the runtime pins the link there instead and exits; the program's printf then writes to the
 * iterator's seq_file (bpf_seq_printf), so each read of the pinned file runs it and shows its text. As in
 * bpftrace, an iter probe is the only probe of its script (sema checks) and
 * takes neither wildcards nor a second attach point. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "kernel/btf.h"
#include "support/arena.h"
#include "probes/providers.h"

#define ITER_PREFIX "bpf_iter__"
/* the kernel's variants of an iterator's context that only the verifier uses (bpf_iter__task__safe_trusted) */
#define ITER_SAFE_SUFFIX "__safe_trusted"

static int iter_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

static bool is_iter_struct(const char *name)
{
	size_t n = strlen(name), s = strlen(ITER_SAFE_SUFFIX);

	return n > strlen(ITER_PREFIX) && !(n > s && strcmp(name + n - s, ITER_SAFE_SUFFIX) == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* -l 'iter:*': every iterator of the kernel's BTF the pattern matches, sorted. */
static int iter_list(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *pat = ap->nparts > 1 ? ap->parts[1] : "*", **names = NULL;
	uint32_t n = btf_struct_names(ITER_PREFIX, &names);
	char buf[256];

	qsort(names, n, sizeof(*names), cmp_str);
	for (uint32_t i = 0; i < n; i++) {
		const char *it = names[i] + strlen(ITER_PREFIX);

		if (!is_iter_struct(names[i]) || !provider_glob_match(pat, it))
			continue;
		snprintf(buf, sizeof(buf), "iter:%s", it);
		struct et_probe_desc *p = provider_new_probe(ctx, &provider_iter, ap, buf);
		p->func = p->name + strlen("iter:");
	}
	free(names);
	return 0;
}

static int iter_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write iter:NAME or iter:NAME:PIN; etrace -l 'iter:*' lists the iterators";
	char sname[256], name[300];

	if (ctx->listing && ap->nparts <= 2)
		return iter_list(ap, ctx);
	if (ap->nparts != 2 && ap->nparts != 3)
		return provider_error(ctx, ap, hint, "iter probe type takes 2 arguments (1 optional)");
	if (!ap->parts[1][0])
		return provider_error(ctx, ap, hint, "iter should specify an iterator's name");
	if (provider_has_wildcard(ap->parts[1]) || (ap->nparts == 3 && provider_has_wildcard(ap->parts[2])))
		return provider_error(ctx, ap, "name one iterator; etrace -l 'iter:*' lists them",
				      "iter probe type does not support wildcards");
	if (ap->nparts == 3 && !ap->parts[2][0])
		return provider_error(ctx, ap, hint, "iter probe: empty pin path");
	snprintf(sname, sizeof(sname), ITER_PREFIX "%s", ap->parts[1]);
	if (!is_iter_struct(sname) || !btf_has_struct(sname))
		return provider_missing(ctx, ap, "etrace -l 'iter:*' lists the iterators this kernel has",
					"iter %s not available for your kernel version", ap->parts[1]);
	snprintf(name, sizeof(name), "iter:%s", ap->parts[1]);
	struct et_probe_desc *p = provider_new_probe(ctx, &provider_iter, ap, name);
	snprintf(sname, sizeof(sname), "iter/%s", ap->parts[1]);
	p->section = arena_strdup(ctx->arena, sname);
	p->func = arena_strdup(ctx->arena, ap->parts[1]);
	p->btf_ctx = true;
	/* the pin: a path in bpffs, relative to /sys/fs/bpf unless absolute (as bpftrace) */
	if (ap->nparts == 3)
		p->target = ap->parts[2][0] == '/' ? arena_strdup(ctx->arena, ap->parts[2])
						   : arena_printf(ctx->arena, "/sys/fs/bpf/%s", ap->parts[2]);
	return 0;
}

static int iter_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	union bpf_iter_link_info info;
	LIBBPF_OPTS(bpf_iter_attach_opts, opts);
	struct bpf_link *link;

	(void)p;
	if (ctx->target_pid > 0) { /* -p: only that process's tasks, files or mappings */
		memset(&info, 0, sizeof(info));
		info.task.pid = (uint32_t)ctx->target_pid;
		opts.link_info = &info;
		opts.link_info_len = sizeof(info);
	}
	link = bpf_program__attach_iter(prog, ctx->target_pid > 0 ? &opts : NULL);
	if (!link)
		return -errno;
	return provider_links_add(ctx->links, link);
}

static const char *const iter_aliases[] = {"it", NULL};

const struct et_provider provider_iter = {
	.name = "iter",
	.aliases = iter_aliases,
	.ctx = PROVIDER_CTX_ITER,
	.flags = PROVIDER_LISTABLE | PROVIDER_ITER,
	.supported = iter_supported,
	.expand = iter_expand,
	.attach = iter_attach,
	.list = provider_list_btf_args,
};
