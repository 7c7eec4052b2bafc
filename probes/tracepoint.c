/* tracepoint: the `tracepoint:CAT:EVENT` provider (alias `t`), tracefs format parsing, raw attach check.
 * Wildcards in either part expand by listing tracefs events/ (sorted, so the expansion is stable).
 * A probe is attached through perf (section tracepoint/CAT/EVENT), or as a raw tracepoint when sema
 * set probe->raw (section raw_tp/EVENT from raw_section(); only for events tracepoint_can_attach_raw()
 * accepts).
 * See tracepoint.h and provider.h. */
#define _DEFAULT_SOURCE /* scandir, alphasort, d_type */
#include "probes/tracepoint.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <bpf/libbpf.h>

#include "program/types.h"
#include "kernel/btf.h"
#include "kernel/features.h"
#include "support/arena.h"
#include "support/diag.h"
#include "probes/providers.h"
#include "kernel/tracefs.h"

/* ---- format file parsing ---- */

struct tp_field_text {
	char decl[256]; /* "unsigned long args[6]" */
	unsigned offset, size;
	bool is_signed;
};

/* Parse one "\tfield:DECL;\toffset:N;\tsize:N;\tsigned:N;" line. */
static bool parse_field_line(const char *line, struct tp_field_text *f)
{
	const char *p = strstr(line, "field:"), *semi;
	size_t n;

	if (!p)
		return false;
	p += strlen("field:");
	semi = strchr(p, ';');
	if (!semi)
		return false;
	n = (size_t)(semi - p);
	if (n >= sizeof(f->decl))
		n = sizeof(f->decl) - 1;
	memcpy(f->decl, p, n);
	f->decl[n] = 0;
	p = strstr(semi, "offset:");
	if (!p || sscanf(p, "offset:%u;", &f->offset) != 1)
		return false;
	p = strstr(p, "size:");
	if (!p || sscanf(p, "size:%u;", &f->size) != 1)
		return false;
	p = strstr(p, "signed:");
	f->is_signed = p && p[strlen("signed:")] == '1';
	return true;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* Split a declaration "unsigned long args[6]" into the C type text ("unsigned long"), the field
 * name ("args") and the array length text ("6"); *is_array tells whether there was a [N]. */
struct tp_decl {
	char ctype[256], name[128], arr[64];
	bool is_array;
};

static void split_decl(const char *text, struct tp_decl *d)
{
	char buf[256], *end, *br, *name;

	snprintf(buf, sizeof(buf), "%s", text);
	trim(buf);
	d->is_array = false;
	d->arr[0] = 0;
	end = buf + strlen(buf);
	if (end > buf && end[-1] == ']' && (br = strrchr(buf, '['))) {
		d->is_array = true;
		end[-1] = 0;
		snprintf(d->arr, sizeof(d->arr), "%s", br + 1);
		*br = 0;
		end = br;
	}
	while (end > buf && isspace((unsigned char)end[-1]))
		*--end = 0;
	name = end;
	while (name > buf && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
		name--;
	snprintf(d->name, sizeof(d->name), "%s", name);
	*name = 0;
	snprintf(d->ctype, sizeof(d->ctype), "%s", buf);
	trim(d->ctype);
}

static bool is_char_type(const char *t)
{
	return strcmp(t, "char") == 0 || strcmp(t, "const char") == 0 || strcmp(t, "signed char") == 0;
}

static bool is_int_size(unsigned s)
{
	return s == 1 || s == 2 || s == 4 || s == 8;
}

/* Integer signedness of a pointer's target or an array's element: the C type decides when it is a plain
 * C or kernel integer name, otherwise the format file's signed flag. */
static bool int_signed(const char *ctype, bool flag)
{
	static const char *const sgn[] = {"int", "long", "short", "long long", "long int", "signed char",
					  "s8", "s16", "s32", "s64", "__s8", "__s16", "__s32", "__s64",
					  "pid_t", "ssize_t", "loff_t", "off_t"};
	size_t i;

	if (strncmp(ctype, "unsigned", 8) == 0 || ctype[0] == 'u' || strncmp(ctype, "__u", 3) == 0 ||
	    strcmp(ctype, "size_t") == 0 || strcmp(ctype, "bool") == 0)
		return false;
	for (i = 0; i < sizeof(sgn) / sizeof(sgn[0]); i++)
		if (strcmp(ctype, sgn[i]) == 0)
			return true;
	return flag;
}

static struct et_type *byte_array(struct arena *a, unsigned size)
{
	struct et_type *t = type_new(a, ET_ARRAY, size);

	t->elem = type_int(a, 1, false);
	t->count = size;
	return t;
}

/* The size of a C integer type named in a format ("unsigned long", "u32", "char"), 0 for other names. */
static unsigned c_int_size(const char *t)
{
	static const struct { const char *name; unsigned size; } ints[] = {
		{"char", 1}, {"signed char", 1}, {"unsigned char", 1}, {"short", 2}, {"unsigned short", 2},
		{"int", 4}, {"unsigned int", 4}, {"unsigned", 4}, {"long", 8}, {"unsigned long", 8},
		{"long long", 8}, {"unsigned long long", 8}, {"u8", 1}, {"u16", 2}, {"u32", 4}, {"u64", 8},
		{"s8", 1}, {"s16", 2}, {"s32", 4}, {"s64", 8}, {"__u8", 1}, {"__u16", 2}, {"__u32", 4},
		{"__u64", 8}, {"__s8", 1}, {"__s16", 2}, {"__s32", 4}, {"__s64", 8}, {"size_t", 8},
		{"ssize_t", 8}, {"pid_t", 4}, {"uid_t", 4}, {"gid_t", 4}, {"umode_t", 2}, {"loff_t", 8},
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(t, ints[i].name) == 0)
			return ints[i].size;
	return 0;
}

/* A pointer field ("const char *const * argv", "int * upeer_addrlen", "struct sk_buff * skbaddr"): a
 * pointer to the C integer type it names, through every level of '*' (so that args.argv[1] is a
 * char * read from the array argv points to); a named struct or union ("struct cred") the kernel's BTF
 * type (a stub completed when a member is read), as bpftrace types it; `void *` for any other pointee
 * and without BTF. Syscall arguments point
 * into the calling process, other records hold kernel pointers; a pointer read through a pointer
 * points into the same memory. */
static struct et_type *pointer_type(struct arena *a, const char *ctype, bool user_ptrs)
{
	char base[256] = "", word[256];
	const char *p = ctype;
	unsigned stars = 0, size;
	struct et_type *t = NULL;
	int len;

	while (*p) {
		if (*p == '*') {
			stars++, p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (sscanf(p, "%255[A-Za-z0-9_]%n", word, &len) != 1)
			break;
		p += len;
		if (strcmp(word, "const") == 0 || strcmp(word, "volatile") == 0 || stars)
			continue;
		if (*base)
			strncat(base, " ", sizeof(base) - strlen(base) - 1);
		strncat(base, word, sizeof(base) - strlen(base) - 1);
	}
	size = c_int_size(base);
	if (size) {
		t = type_int(a, size, strcmp(base, "char") == 0 || int_signed(base, false));
		t->name = arena_strdup(a, base);
	} else if (!strncmp(base, "struct ", 7) || !strncmp(base, "union ", 6)) {
		t = btf_struct_stub(a, base); /* the kernel's type, as bpftrace types it; void without BTF */
	}
	for (unsigned i = 0; i < (stars ? stars : 1); i++) {
		struct et_type *ptr = type_new(a, ET_POINTER, 8);

		ptr->elem = t;
		ptr->btf_id = t && t->kind == ET_STRUCT ? t->btf_id : 0;
		ptr->space = user_ptrs ? ET_AS_USER : ET_AS_KERNEL;
		t = ptr;
	}
	return t;
}

static struct et_type *field_type(struct arena *a, const struct tp_field_text *f, const char **fname,
				  bool user_ptrs)
{
	struct tp_decl d;
	struct et_type *t;

	split_decl(f->decl, &d);
	*fname = arena_strdup(a, d.name);
	if (strncmp(d.ctype, "__data_loc", 10) == 0 || strncmp(d.ctype, "__rel_loc", 9) == 0) {
		t = type_int(a, 4, false);
		t->name = arena_strdup(a, d.ctype); /* how codegen and sema recognise the field */
		return t;
	}
	if (strchr(d.ctype, '*'))
		return pointer_type(a, d.ctype, user_ptrs);
	if (d.is_array) {
		char *end;
		unsigned long count = strtoul(d.arr, &end, 0);

		if (is_char_type(d.ctype))
			return type_string(a, f->size);
		if (end == d.arr || *end || count == 0 || f->size % count || !is_int_size(f->size / (unsigned)count))
			return byte_array(a, f->size);
		t = type_new(a, ET_ARRAY, f->size);
		t->elem = type_int(a, f->size / (unsigned)count, int_signed(d.ctype, f->is_signed));
		t->elem->name = arena_strdup(a, d.ctype);
		t->count = (uint32_t)count;
		return t;
	}
	if (!is_int_size(f->size))
		return byte_array(a, f->size);
	/* A scalar takes the format's signed flag, as today's bpftrace types it (since it reads formats
	 * through BTF): a syscall's `int dfd; size:8; signed:0` is a uint64. */
	t = type_int(a, f->size, f->is_signed);
	t->name = arena_strdup(a, d.ctype);
	return t;
}

struct et_type *tracepoint_args_type(struct arena *a, const char *category, const char *event)
{
	char rel[512], path[640], line[1024];
	struct et_field *fields = NULL;
	uint32_t n = 0, cap = 0, size = 0;
	struct et_type *t;
	FILE *f;

	if (!category || !event || strchr(category, '/') || strchr(event, '/')) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(rel, sizeof(rel), "events/%s/%s/format", category, event);
	if (!tracefs_path(path, sizeof(path), rel))
		return NULL;
	f = fopen(path, "re");
	if (!f)
		return NULL; /* errno: ENOENT when the tracepoint does not exist */
	while (fgets(line, sizeof(line), f)) {
		struct tp_field_text ft;

		if (!parse_field_line(line, &ft))
			continue;
		if (n == cap) {
			uint32_t ncap = cap ? cap * 2 : 16;

			fields = arena_grow(a, fields, cap, ncap, sizeof(*fields));
			cap = ncap;
		}
		fields[n].type = field_type(a, &ft, &fields[n].name, strcmp(category, "syscalls") == 0);
		fields[n].offset = ft.offset;
		if (ft.offset + ft.size > size)
			size = ft.offset + ft.size;
		n++;
	}
	fclose(f);
	if (n == 0) {
		errno = EINVAL;
		return NULL;
	}
	t = type_new(a, ET_STRUCT, size);
	t->name = arena_printf(a, "struct tracepoint:%s:%s", category, event);
	t->fields = fields;
	t->nfields = n;
	return t;
}

bool tracepoint_can_attach_raw(const char *category, const char *event)
{
	/* Categories whose events are not kernel tracepoints: per-syscall events hang off the
	 * raw_syscalls tracepoints, the others are dynamic or ftrace-internal events. */
	static const char *const not_tracepoints[] = {
		"syscalls", "kprobes", "uprobes", "ftrace", "synthetic", "eprobes", "fprobes", "tracepoints",
	};
	size_t i;

	if (!category || !event)
		return false;
	for (i = 0; i < sizeof(not_tracepoints) / sizeof(not_tracepoints[0]); i++)
		if (strcmp(category, not_tracepoints[i]) == 0)
			return false;
	return true;
}

/* ---- the provider ---- */

static int is_dir_entry(const struct dirent *e)
{
	return e->d_name[0] != '.' && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int tp_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_TRACEFS, why, instead);
}

static void add_tp(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *cat,
		   const char *ev)
{
	char name[512];
	struct et_probe_desc *p;

	snprintf(name, sizeof(name), "tracepoint:%s:%s", cat, ev);
	p = provider_new_probe(ctx, &provider_tracepoint, ap, name);
	p->section = arena_printf(ctx->arena, "tracepoint/%s/%s", cat, ev);
	p->target = arena_strdup(ctx->arena, cat);
	p->func = arena_strdup(ctx->arena, ev);
	p->syscall = strcmp(cat, "syscalls") == 0;
}

/* Every event of one category matching pattern ev, in name order; returns how many. */
static int expand_events(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *root,
			 const char *cat, const char *ev)
{
	char path[1024];
	struct dirent **list;
	int n, i, found = 0;

	snprintf(path, sizeof(path), "%s/events/%s", root, cat);
	n = scandir(path, &list, is_dir_entry, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s", root, cat, list[i]->d_name);
		if (fnmatch(ev, list[i]->d_name, 0) == 0 && is_dir(path)) {
			add_tp(ctx, ap, cat, list[i]->d_name);
			found++;
		}
		free(list[i]);
	}
	free(list);
	return found;
}

static int tp_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *hint = "write it as tracepoint:CATEGORY:EVENT, e.g. tracepoint:sched:sched_switch";
	const char *cat, *ev, *root;
	char path[1024];
	int found = 0;

	if (ap->nparts == 3) {
		cat = ap->parts[1];
		ev = ap->parts[2];
	} else if (ctx->listing && ap->nparts <= 2) {
		cat = ap->nparts == 2 ? ap->parts[1] : "*";
		ev = "*";
	} else {
		return provider_error(ctx, ap, hint, "tracepoint probe: expected tracepoint:CATEGORY:EVENT");
	}
	if (!*cat || !*ev)
		return provider_error(ctx, ap, hint, "tracepoint probe: empty category or event name");
	/* the names become tracefs paths: no '/' or dot directories that would lead out of events/ */
	if (strchr(cat, '/') || strchr(ev, '/') || strcmp(cat, ".") == 0 || strcmp(cat, "..") == 0 ||
	    strcmp(ev, ".") == 0 || strcmp(ev, "..") == 0)
		return provider_error(ctx, ap, hint, "tracepoint probe: '%s:%s' is not a tracepoint name", cat, ev);
	root = tracefs_root();
	if (!provider_has_wildcard(cat) && !provider_has_wildcard(ev)) {
		snprintf(path, sizeof(path), "%s/events/%s/%s", root ? root : "", cat, ev);
		if (root && !is_dir(path)) {
			if (ctx->listing)
				return 0;
			provider_error(ctx, ap, NULL, "tracepoint not found: %s:%s", cat, ev);
			snprintf(path, sizeof(path), "%s/events/%s", root, cat);
			if (is_dir(path))
				diag_hint(ctx->diag, "list the tracepoints with: etrace -l 'tracepoint:%s:*'", cat);
			else
				diag_hint(ctx->diag, "there is no category '%s'; list every tracepoint with: "
					  "etrace -l 'tracepoint:*'", cat);
			return -ENOENT;
		}
		/* without tracefs (not root) the name cannot be checked here; attach will tell */
		add_tp(ctx, ap, cat, ev);
		return 0;
	}
	if (!root)
		return provider_error(ctx, ap, "run etrace as root so that it can mount tracefs",
				      "tracepoint probe: cannot expand '%s:%s': tracefs is not available", cat, ev);
	if (!provider_has_wildcard(cat)) {
		found = expand_events(ctx, ap, root, cat, ev);
	} else {
		struct dirent **list;
		int n, i;

		snprintf(path, sizeof(path), "%s/events", root);
		n = scandir(path, &list, is_dir_entry, alphasort);
		for (i = 0; i < n; i++) {
			if (fnmatch(cat, list[i]->d_name, 0) == 0)
				found += expand_events(ctx, ap, root, list[i]->d_name, ev);
			free(list[i]);
		}
		if (n >= 0)
			free(list);
	}
	if (!found && !ctx->listing) {
		provider_error(ctx, ap, NULL, "no tracepoint matches %s:%s", cat, ev);
		diag_hint(ctx->diag, "list the tracepoints with: etrace -l 'tracepoint:*'");
		return -ENOENT;
	}
	return 0;
}

static int tp_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	LIBBPF_OPTS(bpf_tracepoint_opts, opts, .bpf_cookie = ctx->cookie);
	struct bpf_link *link;

	if (p->raw)
		link = bpf_program__attach_raw_tracepoint(prog, p->func);
	else
		link = bpf_program__attach_tracepoint_opts(prog, p->target, p->func, &opts);
	if (!link)
		return errno ? -errno : -EINVAL;
	return provider_links_add(ctx->links, link);
}

/* A perf tracepoint's link carries a cookie; a raw tracepoint's does not before Linux 6.10 (and libbpf
 * 1.1 has no way to give it one). */
static bool tp_cookie(const struct et_probe_desc *p)
{
	return !p->raw;
}

/* When no block on the tracepoint reads args, a real kernel tracepoint attaches raw (cheaper). */
static const char *tp_raw_section(const struct et_probe_desc *p, struct arena *a)
{
	return tracepoint_can_attach_raw(p->target, p->func) ? arena_printf(a, "raw_tp/%s", p->func) : NULL;
}

static const char *tp_how_attached(const struct et_probe_desc *p)
{
	if (p->raw)
		return "raw tracepoint (body reads no args)";
	return tracepoint_can_attach_raw(p->target, p->func)
		       ? "perf tracepoint (body reads args, or another block on it does)"
		       : "perf tracepoint (not a kernel tracepoint: no raw form)";
}

/* -lv: the fields of the tracepoint as its format file declares them, common_* left out, as
 * "    DECL" lines (as bpftrace -lv prints them). */
static void print_fields(const char *category, const char *event, FILE *out)
{
	char rel[512], path[640], line[1024];
	FILE *f;

	snprintf(rel, sizeof(rel), "events/%s/%s/format", category, event);
	if (!tracefs_path(path, sizeof(path), rel))
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "field:"), *semi;

		if (!p || !(semi = strchr(p, ';')))
			continue;
		p += strlen("field:");
		*semi = 0;
		if (strstr(p, " common_") || strncmp(p, "common_", 7) == 0)
			continue;
		fprintf(out, "    %s\n", p);
	}
	fclose(f);
}

static void tp_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	(void)a;
	/* ftrace's own events (tracepoint:ftrace:function...) have no enable file: they cannot be
	 * attached, and bpftrace (reading available_events) does not list them either */
	if (p->target && strcmp(p->target, "ftrace") == 0)
		return;
	fprintf(out, "%s\n", p->name);
	if (verbose)
		print_fields(p->target, p->func, out);
}

static const char *const tp_aliases[] = {"t", NULL};

const struct et_provider provider_tracepoint = {
	.name = "tracepoint",
	.aliases = tp_aliases,
	.ctx = PROVIDER_CTX_TRACEPOINT,
	.flags = PROVIDER_HAS_ARGS | PROVIDER_LISTABLE,
	.args = PROVIDER_ARGS_TRACEFS,
	.complete = PROVIDER_COMPLETE_TRACEFS,
	.supported = tp_supported,
	.expand = tp_expand,
	.attach = tp_attach,
	.cookie = tp_cookie,
	.raw_section = tp_raw_section,
	.how_attached = tp_how_attached,
	.list = tp_list,
};
