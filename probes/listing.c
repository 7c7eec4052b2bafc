/* listing: probe listing for -l / -lv. See listing.h. */
#include "probes/listing.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"
#include "support/diag.h"
#include "kernel/btf.h"
#include "program/types.h"
#include "probes/providers.h"

/* The C spelling of an argument's type for -lv: the BTF name where there is one. */
static void c_type(const struct et_type *t, char *buf, size_t len)
{
	if (t && t->kind == ET_INT && t->name) {
		snprintf(buf, len, "%s", t->name);
	} else if (t && t->kind == ET_POINTER && t->elem && (t->elem->kind == ET_INT || t->elem->kind == ET_BOOL) &&
		   t->elem->name) {
		snprintf(buf, len, "%s *", t->elem->name);
	} else if (t && t->kind == ET_POINTER && !t->elem) {
		snprintf(buf, len, "void *");
	} else {
		type_format(t, buf, len);
	}
}

void provider_list_btf_args(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	const struct et_provider *pv = p->provider;
	struct btf_types *bt;
	struct et_type *args = NULL, *ret = NULL;
	bool iter = (pv->flags & PROVIDER_ITER) != 0, is_fn = iter || pv->args == PROVIDER_ARGS_BTF_FUNC;
	uint32_t n = 0;
	char buf[160];
	const char *func = p->func;
	int err;

	fprintf(out, "%s\n", p->name);
	if (!verbose)
		return;
	bt = btf_types_new(a);
	if (iter) { /* the kernel's bpf_iter_NAME(meta, task, ...): ctx's members, less meta (as bpftrace) */
		snprintf(buf, sizeof(buf), "bpf_iter_%s", p->func);
		func = buf;
	}
	err = is_fn ? btf_func_proto(bt, func, &args, &ret, &n) : btf_tracepoint_proto(bt, func, &args, &n);
	if (err)
		return;
	for (uint32_t i = iter ? 1 : 0; i < args->nfields; i++) {
		c_type(args->fields[i].type, buf, sizeof(buf));
		fprintf(out, "    %s%s%s\n", buf, buf[strlen(buf) - 1] == '*' ? "" : " ", args->fields[i].name);
	}
	if (is_fn && (pv->flags & PROVIDER_RETURN)) {
		if (ret)
			c_type(ret, buf, sizeof(buf));
		fprintf(out, "    %s%sretval\n", ret ? buf : "void", ret && buf[strlen(buf) - 1] == '*' ? "" : " ");
	}
}

static int cmp_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void list_one(const struct et_provider *pv, const char *const *pattern, uint32_t nparts, bool verbose, int pid,
		     bool named, struct arena *a, struct diag_sink *diag, struct et_loc loc, FILE *out)
{
	const char *parts[8];
	/* a provider reached through a wildcard lists what it can, silently: bpftrace lists every kernel
	 * probe type whether or not this kernel runs it (hardware:*, kprobe:* on a kernel without kprobes),
	 * and one that cannot find its probes here (no BTF, no tracefs) lists nothing */
	struct diag_sink *quiet = named ? NULL : diag_new(NULL);
	struct provider_expand_ctx ctx = {.arena = a, .diag = quiet ? quiet : diag, .listing = true, .target_pid = pid};
	struct ast_attach ap = {.loc = loc, .text = pv->name, .nparts = nparts, .parts = parts};
	uint32_t i;

	memcpy(parts, pattern, nparts * sizeof(*parts));
	parts[0] = pv->name;
	/* "tracepoint:PATTERN" lists the events PATTERN matches in every category, as bpftrace
	 * ("tracepoint:*:PATTERN") */
	if (pv == &provider_tracepoint && nparts == 2) {
		parts[2] = parts[1];
		parts[1] = "*";
		ap.nparts = 3;
	}
	if (pv->expand(&ap, &ctx) != 0) {
		diag_free(quiet);
		return;
	}
	diag_free(quiet);
	/* as bpftrace: each probe type's entries sorted as printed (a probe's -lv lines follow its name,
	 * and '\n' sorts before any character of a name), each once (a kernel function that several
	 * objects define) */
	char **text = arena_alloc(a, (ctx.nprobes ? ctx.nprobes : 1) * sizeof(*text));
	for (i = 0; i < ctx.nprobes; i++) {
		size_t size = 0;
		FILE *mem = open_memstream(&text[i], &size);

		if (!mem)
			break;
		if (pv->list)
			pv->list(&ctx.probes[i], verbose, a, mem);
		else
			fprintf(mem, "%s\n", ctx.probes[i].name);
		fclose(mem);
	}
	qsort(text, i, sizeof(*text), cmp_text);
	for (uint32_t k = 0; k < i; k++) {
		if (!k || strcmp(text[k], text[k - 1]) != 0)
			fputs(text[k], out);
	}
	for (uint32_t k = 0; k < i; k++)
		free(text[k]);
}

static int cmp_provider_name(const void *x, const void *y)
{
	return strcmp((*(const struct et_provider *const *)x)->name, (*(const struct et_provider *const *)y)->name);
}

static int list_pattern(const char *pattern, bool verbose, int pid, struct arena *a, struct diag_sink *diag,
			struct et_loc loc, FILE *out)
{
	const struct et_provider *const *all;
	const char *parts[8];
	char *copy, *s, *colon;
	uint32_t nparts = 0;
	size_t n, i;
	bool any = false, named;

	copy = arena_strdup(a, pattern);
	for (s = copy; nparts < 8; s = colon + 1) {
		parts[nparts++] = s;
		colon = strchr(s, ':');
		if (!colon)
			break;
		*colon = 0;
	}
	all = provider_all(&n);
	/* bpftrace lists the probe types a wildcard matches in the order of their names */
	const struct et_provider **sorted = arena_alloc(a, n * sizeof(*sorted));
	memcpy(sorted, all, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_provider_name);
	for (i = 0; i < n; i++) {
		const struct et_provider *pv = sorted[i];
		const char *const *al;
		bool match = fnmatch(parts[0], pv->name, 0) == 0;

		for (al = pv->aliases; !match && al && *al; al++)
			match = strcmp(*al, parts[0]) == 0; /* aliases only when written exactly: t:..., s:... */
		if (!match)
			continue;
		any = true;
		named = strcmp(parts[0], pv->name) == 0;
		for (al = pv->aliases; !named && al && *al; al++)
			named = strcmp(*al, parts[0]) == 0;
		if ((pv->flags & PROVIDER_LISTABLE) || named)
			list_one(pv, parts, nparts, verbose, pid, named, a, diag, loc, out);
	}
	if (!any) {
		diag_error(diag, loc, "no probe type matches '%s'", parts[0]);
		diag_hint(diag, "probe types are tracepoint, rawtracepoint, software, interval, profile, ...");
		return -EINVAL;
	}
	return 0;
}

/* ---- -l 'struct X' / 'union X' / 'enum X': the kernel's types from BTF, as bpftrace lists them ---- */

struct type_entry {
	char *text;  /* "struct x", or with -v its definition as btf_dump writes it ("struct x {\n\t...\n};\n") */
	char mods[256]; /* the BTF objects defining it, blank separated; "vmlinux" first when it is one */
	bool in_vmlinux;
};

struct type_list {
	struct type_entry *v;
	size_t n, cap;
};

static void type_add(struct type_list *l, char *text, const char *mod)
{
	for (size_t i = 0; i < l->n; i++) /* the same type in several BTFs: one entry, every BTF noted */
		if (strcmp(l->v[i].text, text) == 0) {
			size_t len = strlen(l->v[i].mods);
			if (strcmp(mod, "vmlinux") == 0)
				l->v[i].in_vmlinux = true;
			else if (len + strlen(mod) + 2 < sizeof(l->v[i].mods))
				snprintf(l->v[i].mods + len, sizeof(l->v[i].mods) - len, "%s%s", len ? " " : "", mod);
			free(text);
			return;
		}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		struct type_entry *v = realloc(l->v, l->cap * sizeof(*v));
		if (!v) {
			free(text);
			return;
		}
		l->v = v;
	}
	struct type_entry *e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->text = text;
	e->in_vmlinux = strcmp(mod, "vmlinux") == 0;
	if (!e->in_vmlinux)
		snprintf(e->mods, sizeof(e->mods), "%s", mod);
}

static void dump_to_file(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* Every named struct, union and enum of one BTF object: their names, or (verbose) their definitions cut
 * out of btf_dump's output (which also writes the types they use, once each). */
static void collect_types(const struct btf *b, const char *mod, bool verbose, struct type_list *l)
{
	uint32_t first = b == btf__base_btf(b) || !btf__base_btf(b) ? 1 : btf__type_cnt(btf__base_btf(b));
	uint32_t n = btf__type_cnt(b);
	char *buf = NULL;
	size_t size = 0;
	FILE *mem = verbose ? open_memstream(&buf, &size) : NULL;
	struct btf_dump *d = mem ? btf_dump__new(b, dump_to_file, mem, NULL) : NULL;

	for (uint32_t id = first; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *name;

		if (!t || !(btf_is_struct(t) || btf_is_union(t) || btf_kind(t) == BTF_KIND_ENUM))
			continue;
		name = btf__name_by_offset(b, t->name_off);
		if (!name || !*name)
			continue; /* anonymous */
		if (d) {
			btf_dump__dump_type(d, id);
			continue;
		}
		size_t len = strlen(name) + 8;
		char *text = malloc(len);
		if (!text)
			return;
		snprintf(text, len, "%s %s", btf_is_struct(t) ? "struct" : btf_is_union(t) ? "union" : "enum", name);
		type_add(l, text, mod);
	}
	if (!mem)
		return;
	btf_dump__free(d);
	fclose(mem);
	/* a definition: from a line "struct|union|enum NAME {" to the line "};" */
	char *def = NULL, *save = NULL;
	size_t deflen = 0;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);
		if (!def) {
			if ((strncmp(line, "struct ", 7) == 0 || strncmp(line, "union ", 6) == 0 ||
			     strncmp(line, "enum ", 5) == 0) && len && line[len - 1] == '{') {
				def = malloc(len + 2);
				if (!def)
					break;
				memcpy(def, line, len);
				def[len] = '\n';
				def[deflen = len + 1] = 0;
			}
			continue;
		}
		char *grown = realloc(def, deflen + len + 2);
		if (!grown)
			break;
		def = grown;
		memcpy(def + deflen, line, len);
		def[deflen += len] = '\n';
		def[++deflen] = 0;
		if (strcmp(line, "};") == 0) {
			type_add(l, def, mod);
			def = NULL;
		}
	}
	free(def);
	free(buf);
}

static int cmp_type_entry(const void *a, const void *b)
{
	return strcmp(((const struct type_entry *)a)->text, ((const struct type_entry *)b)->text);
}

/* bpftrace: the names matching the glob, sorted; with -v each matching definition ("PATTERN *{*}*"),
 * prefixed with the BTF object defining it ("vmlinux: ", else one line per module) and a blank line. */
static int list_types(const char *pattern, bool verbose, struct diag_sink *diag, struct et_loc loc, FILE *out)
{
	struct type_list l = {0};
	const struct btf *b;
	const char *mod;
	char glob[512];

	for (uint32_t i = 0; btf_object(i, &b, &mod) > i; i++)
		collect_types(b, mod, verbose, &l);
	if (!l.n) {
		diag_error(diag, loc, "cannot list kernel types: the kernel has no BTF");
		return -ENOENT;
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_type_entry);
	snprintf(glob, sizeof(glob), "%s%s", pattern, verbose ? " *{*}*" : "");
	for (size_t i = 0; i < l.n; i++) {
		struct type_entry *e = &l.v[i];

		if (fnmatch(glob, e->text, 0) == 0) {
			if (!verbose) {
				fprintf(out, "%s\n", e->text);
			} else if (e->in_vmlinux) {
				fprintf(out, "vmlinux: %s\n", e->text);
			} else {
				char mods[256], *save = NULL;
				snprintf(mods, sizeof(mods), "%s", e->mods);
				for (char *m = strtok_r(mods, " ", &save); m; m = strtok_r(NULL, " ", &save))
					fprintf(out, "%s: %s\n", m, e->text);
			}
		}
		free(e->text);
	}
	free(l.v);
	return 0;
}

int provider_list(const char *pattern, bool verbose, int pid, struct arena *a, struct diag_sink *diag,
		  struct et_loc loc, FILE *out)
{
	char *copy = arena_strdup(a, pattern && *pattern ? pattern : "*:*");
	int rc = 0;

	/* "A,B": each pattern in turn, as bpftrace; surrounding blanks are not part of a pattern */
	for (char *save = NULL, *one = strtok_r(copy, ",", &save); one; one = strtok_r(NULL, ",", &save)) {
		while (*one == ' ' || *one == '\t')
			one++;
		size_t n = strlen(one);
		while (n && (one[n - 1] == ' ' || one[n - 1] == '\t'))
			one[--n] = 0;
		if (!*one)
			continue;
		if (strncmp(one, "struct ", 7) == 0 || strncmp(one, "union ", 6) == 0 || strncmp(one, "enum ", 5) == 0) {
			if (list_types(one, verbose, diag, loc, out) != 0)
				rc = -EINVAL;
			continue;
		}
		/* a bare pattern ("*sleep*") is the function/event part of every kernel probe type: "*:PATTERN" */
		char *full = one;
		if (!strchr(one, ':')) {
			full = arena_alloc(a, n + 3);
			snprintf(full, n + 3, "*:%s", one);
		}
		if (list_pattern(full, verbose, pid, a, diag, loc, out) != 0)
			rc = -EINVAL;
	}
	return rc;
}
