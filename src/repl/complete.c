/* complete: Tab completion candidates for the interactive session (see repl.h): dot commands at the start
 * of a line, provider names and aliases, tracepoint categories and events from tracefs, builtin variables
 * and functions from sema's builtins.def, the session's map names, and the fields after curtask-> (and
 * after curtask->a->b->..., through pointers to structs) from the kernel's BTF. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <bpf/btf.h>

#include "probes/provider.h"
#include "kernel/btf.h"
#include "kernel/tracefs.h"
#include "repl/repl.h"

struct cands {
	char **v;
	size_t n, cap;
	bool oom;
};

static void add(struct cands *c, const char *prefix, const char *s, const char *suffix)
{
	size_t lp = strlen(prefix), ls = strlen(s), lx = strlen(suffix);
	char *x;

	if (c->oom)
		return;
	if (c->n + 2 > c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		char **nv = realloc(c->v, ncap * sizeof(*nv));

		if (!nv) {
			c->oom = true;
			return;
		}
		c->v = nv;
		c->cap = ncap;
	}
	x = malloc(lp + ls + lx + 1);
	if (!x) {
		c->oom = true;
		return;
	}
	memcpy(x, prefix, lp);
	memcpy(x + lp, s, ls);
	memcpy(x + lp + ls, suffix, lx + 1);
	c->v[c->n++] = x;
	c->v[c->n] = NULL;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The directory <tracefs>/events[/sub], open; NULL when there is no tracefs or no such directory. */
static DIR *open_events(const char *sub)
{
	const char *root = tracefs_root();
	char path[512];

	if (!root)
		return NULL;
	snprintf(path, sizeof(path), "%s/events%s%s", root, sub ? "/" : "", sub ? sub : "");
	return opendir(path);
}

/* Entries of the directory <tracefs>/events[/sub] starting with `part`, as prefix + name + suffix. */
static void add_dir(struct cands *c, const char *sub, const char *part, const char *prefix, const char *suffix)
{
	DIR *d = open_events(sub);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR || !starts(e->d_name, part))
			continue;
		add(c, prefix, e->d_name, suffix);
	}
	closedir(d);
}

/* Every event of every tracepoint category starting with `part` (raw tracepoints are named like them). */
static void add_all_events(struct cands *c, const char *part, const char *prefix)
{
	DIR *d = open_events(NULL);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && e->d_type == DT_DIR)
			add_dir(c, e->d_name, part, prefix, "");
	closedir(d);
}

/* Kernel functions (text symbols of /proc/kallsyms) starting with `part`, at most `max` of them. */
static void add_kernel_functions(struct cands *c, const char *part, const char *prefix, size_t max)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	size_t n = 0;

	if (!f)
		return;
	while (n < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, name) != 2 || (type != 't' && type != 'T'))
			continue;
		if (strchr(name, '.') || !starts(name, part))
			continue;
		add(c, prefix, name, "");
		n++;
	}
	fclose(f);
}


/* A type id with typedefs and qualifiers skipped. */
static uint32_t skip_mods(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(b, id);

	while (t && (btf_is_typedef(t) || btf_is_mod(t) || btf_kind(t) == BTF_KIND_TYPE_TAG)) {
		id = t->type;
		t = btf__type_by_id(b, id);
	}
	return id;
}

/* The struct/union pointed to by member `name` of struct `id` (anonymous members searched too); 0 when
 * there is no such member or it is not a pointer to one. */
static uint32_t member_target(const struct btf *b, uint32_t id, const char *name)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t))
		return 0;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(b, m->name_off);

		if (!n || !*n) {
			uint32_t in = member_target(b, skip_mods(b, m->type), name);

			if (in)
				return in;
		} else if (strcmp(n, name) == 0) {
			const struct btf_type *pt = btf__type_by_id(b, skip_mods(b, m->type));

			if (!pt || !btf_is_ptr(pt))
				return 0;
			uint32_t target = skip_mods(b, pt->type);
			const struct btf_type *tt = btf__type_by_id(b, target);

			return tt && btf_is_composite(tt) ? target : 0;
		}
	}
	return 0;
}

/* The members of struct `id` starting with `part` (anonymous members' members too). */
static void add_members(struct cands *c, const struct btf *b, uint32_t id, const char *part, int depth)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > 8)
		return;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(b, m->name_off);

		if (!n || !*n)
			add_members(c, b, skip_mods(b, m->type), part, depth + 1);
		else if (starts(n, part))
			add(c, "", n, "");
	}
}

/* `word` follows "curtask->" or "curtask->a->b->" in line[0, start): the fields of that struct. Returns
 * false when the text before `word` is not such a chain. */
static bool add_task_fields(struct cands *c, const char *line, int start, const char *word)
{
	const char *names[16];
	size_t lens[16];
	int n = 0, k = start;

	while (k >= 2 && line[k - 1] == '>' && line[k - 2] == '-' && n < 16) {
		int end = k - 2, beg = end;

		while (beg > 0 && (line[beg - 1] == '_' || (line[beg - 1] >= 'a' && line[beg - 1] <= 'z') ||
				   (line[beg - 1] >= 'A' && line[beg - 1] <= 'Z') || (line[beg - 1] >= '0' && line[beg - 1] <= '9')))
			beg--;
		if (beg == end)
			return false;
		names[n] = line + beg;
		lens[n++] = (size_t)(end - beg);
		k = beg;
	}
	if (n == 0 || lens[n - 1] != 7 || strncmp(names[n - 1], "curtask", 7) != 0)
		return false;

	const struct btf *b = btf_vmlinux();
	int id = b ? btf__find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT) : -1;

	if (id <= 0)
		return true;
	for (int i = n - 2; i >= 0 && id > 0; i--) { /* the chain after curtask, outermost first */
		char name[128];

		if (lens[i] >= sizeof(name))
			return true;
		memcpy(name, names[i], lens[i]);
		name[lens[i]] = 0;
		id = (int)member_target(b, (uint32_t)id, name);
	}
	if (id > 0)
		add_members(c, b, (uint32_t)id, word, 0);
	return true;
}

static const char *const commands[] = {
	".help", ".list", ".probes", ".maps", ".print", ".top", ".clear", ".zero", ".detach", ".stop", ".start",
	".save", ".quit", NULL,
};

#define X(id, name, ...) name,
static const char *const builtin_names[] = {
#include "sema/builtins.def"
	NULL,
};
#undef X

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **repl_candidates(const char *line, int start, const char *word, const char *const *maps, uint32_t nmaps)
{
	struct cands c = {0};
	const char *colon = strchr(word, ':');
	size_t i;

	c.v = calloc(1, sizeof(*c.v));
	if (!c.v)
		return NULL;
	c.cap = 1;

	bool line_start = true;
	for (int k = 0; k < start; k++)
		if (line[k] != ' ' && line[k] != '\t')
			line_start = false;

	if (line_start && word[0] == '.') {
		for (i = 0; commands[i]; i++)
			if (starts(commands[i], word))
				add(&c, "", commands[i], "");
	} else if (add_task_fields(&c, line, start, word)) {
		/* curtask->...: done */
	} else if (word[0] == '@') {
		for (i = 0; i < nmaps; i++)
			if (starts(maps[i], word))
				add(&c, "", maps[i], "");
	} else if (colon) {
		/* provider:...: tracepoint categories and events */
		char prov[64], cat[256];
		size_t lp = (size_t)(colon - word);
		const struct et_provider *p;

		if (lp < sizeof(prov)) {
			memcpy(prov, word, lp);
			prov[lp] = 0;
			p = provider_find(prov);
			if (p && p->complete == PROVIDER_COMPLETE_TRACEFS) {
				const char *rest = colon + 1, *colon2 = strchr(rest, ':');

				if (!colon2) {
					char pre[80];

					snprintf(pre, sizeof(pre), "%s:", prov);
					add_dir(&c, NULL, rest, pre, ":");
				} else if ((size_t)(colon2 - rest) < sizeof(cat)) {
					char pre[400];

					memcpy(cat, rest, (size_t)(colon2 - rest));
					cat[colon2 - rest] = 0;
					snprintf(pre, sizeof(pre), "%s:%s:", prov, cat);
					add_dir(&c, cat, colon2 + 1, pre, "");
				}
			} else if (p && p->complete == PROVIDER_COMPLETE_EVENT) {
				char pre[80];

				snprintf(pre, sizeof(pre), "%s:", prov);
				add_all_events(&c, colon + 1, pre);
			} else if (p && p->complete == PROVIDER_COMPLETE_KERNEL_FUNC) {
				char pre[80];

				snprintf(pre, sizeof(pre), "%s:", prov);
				add_kernel_functions(&c, colon + 1, pre, 5000);
			}
		}
	} else {
		size_t np = 0;
		const struct et_provider *const *all = provider_all(&np);

		for (i = 0; i < np; i++) {
			const char *const *a;

			if (all[i]->flags & PROVIDER_REMOVED)
				continue;
			if (starts(all[i]->name, word))
				add(&c, "", all[i]->name, ":");
			for (a = all[i]->aliases; a && *a; a++)
				if (strlen(*a) > 2 && starts(*a, word)) /* BEGIN, END, kfunc...; not t/k/u */
					add(&c, "", *a, all[i]->flags & (PROVIDER_BEGIN | PROVIDER_END) ? "" : ":");
		}
		for (i = 0; builtin_names[i]; i++)
			if (starts(builtin_names[i], word))
				add(&c, "", builtin_names[i], "");
	}
	if (c.oom) {
		for (i = 0; i < c.n; i++)
			free(c.v[i]);
		free(c.v);
		return NULL;
	}
	qsort(c.v, c.n, sizeof(*c.v), cmp_str);
	/* drop duplicates (a name that is both an alias and a builtin, e.g. "args") */
	size_t w = 0;
	for (i = 0; i < c.n; i++) {
		if (w && strcmp(c.v[w - 1], c.v[i]) == 0) {
			free(c.v[i]);
			continue;
		}
		c.v[w++] = c.v[i];
	}
	c.v[w] = NULL;
	return c.v;
}
