/* registry: the static table of providers, lookup by exact name or alias (case-insensitive), and the
 * growable arrays providers fill (expanded probes, attach links). See provider.h. */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "support/arena.h"
#include "probes/providers.h"

static const struct et_provider *const registry[] = {
	&provider_begin,      &provider_end,        &provider_tracepoint, &provider_rawtracepoint,
	&provider_kprobe,     &provider_kretprobe,  &provider_uprobe,     &provider_uretprobe,
	&provider_usdt,       &provider_interval,   &provider_profile,    &provider_software,
	&provider_hardware,   &provider_fentry,     &provider_fexit,      &provider_watchpoint,
	&provider_iter,       &provider_uprobe_s,   &provider_uretprobe_s, &provider_self,
	&provider_test,       &provider_bench,      &provider_asyncwatchpoint,
};

const struct et_provider *provider_find(const char *name)
{
	size_t i;
	const char *const *a;

	if (!name)
		return NULL;
	/* as bpftrace: a name or alias written exactly first (`U` is usdt, `u` uprobe), then any case
	 * (`BEGIN`, `Kprobe`, `T`) */
	for (int exact = 1; exact >= 0; exact--) {
		for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++) {
			if ((exact ? strcmp : strcasecmp)(registry[i]->name, name) == 0)
				return registry[i];
			for (a = registry[i]->aliases; a && *a; a++)
				if ((exact ? strcmp : strcasecmp)(*a, name) == 0)
					return registry[i];
		}
	}
	return NULL;
}

const struct et_provider *const *provider_all(size_t *count)
{
	if (count)
		*count = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

struct et_probe_desc *provider_add_probe(struct provider_expand_ctx *ctx)
{
	struct et_probe_desc *p;

	if (ctx->nprobes == ctx->cap) {
		uint32_t cap = ctx->cap ? ctx->cap * 2 : 8;

		ctx->probes = arena_grow(ctx->arena, ctx->probes, ctx->cap, cap, sizeof(*ctx->probes));
		ctx->cap = cap;
	}
	p = &ctx->probes[ctx->nprobes++];
	*p = (struct et_probe_desc){0};
	return p;
}

/* On allocation failure the link is destroyed, so the caller never leaks it. */
int provider_links_add(struct provider_links *l, struct bpf_link *link)
{
	if (l->count == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 8;
		struct bpf_link **n = realloc(l->links, cap * sizeof(*n));

		if (!n) {
			bpf_link__destroy(link);
			return -ENOMEM;
		}
		l->links = n;
		l->cap = cap;
	}
	l->links[l->count++] = link;
	return 0;
}

int provider_links_add_fd(struct provider_links *l, int fd)
{
	if (l->nfds == l->fdcap) {
		uint32_t cap = l->fdcap ? l->fdcap * 2 : 8;
		int *n = realloc(l->fds, cap * sizeof(*n));

		if (!n) {
			close(fd);
			return -ENOMEM;
		}
		l->fds = n;
		l->fdcap = cap;
	}
	l->fds[l->nfds++] = fd;
	return 0;
}
