/* pp: directives, conditionals and #include (contract in preproc.h).
 *
 * Why a preprocessor of our own rather than Debian's libmcpp: the scanner must expand macros only where
 * bpftrace does (identifiers in expressions, never attach points or member names), every token must keep
 * the script's file:line:col for our diagnostics, bpftrace's lexical forms ($1, $#, @map, 0..N) must pass
 * through untouched, and a script without directives must cost nothing. mcpp works text to text with
 * #line markers (no columns), reports through its own printer, keeps global state (one run at a time)
 * and was last released in 2008.
 *
 * A script runs line by line. A line whose first non-blank character is '#' (outside a comment; '#!'
 * excepted, the scanner's business) is a directive: its pp-tokens up to the end of the line (backslash
 * continuations and comments included) are read and acted on. Other lines are only scanned for comments
 * and string literals (so a '#' inside a comment is not a directive) and, in a group a conditional left
 * out, blanked in the script's copy. Directives are blanked too: the scanner never sees them.
 *
 * #include reads the header and runs its directives the same way (its other lines are C declarations,
 * not read). The search: "file" in the including file's directory (the script's, or the working
 * directory for -e and stdin), then the working directory (where bpftrace's clang looks), then as
 * <file>; <file> in the -I directories, the kernel's headers when installed (as bpftrace: source and
 * build trees), /usr/local/include, etrace's own compiler headers (limits.h, stddef.h... as clang brings
 * its own), /usr/include/MACHINE-linux-gnu and /usr/include. #include_next goes on after the directory
 * the current header came from. */
#define _GNU_SOURCE /* strndup for dirname */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "preproc/pp_int.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"

#define PP_MAX_INCLUDE_DEPTH 200
#define PP_MAX_HEADER_SIZE (64LL << 20)

struct search_dir {
	const char *path; /* NULL: etrace's compiler headers */
};

struct header {
	const char *path;
	uint32_t file;
	bool once;
	struct header *next;
};

struct preproc {
	struct pp_state st;
	const struct pp_options *opts;
	struct search_dir *dirs;
	uint32_t ndirs;
	bool dirs_ready, predefined, includes_done;
	uint32_t seq;
	int depth;
	struct header *headers;
};

struct cond {
	bool parent_active, taken, active, seen_else;
	struct et_loc loc;
};

/* The enums of a header, read for their enumerators: `enum [TAG] { NAME [= VALUE], ... }`. */
struct enum_scan {
	int state; /* 0 outside, 1 after enum, 2 after its tag, 3 expecting a name, 4 after a name, 5 in a value */
	bool known; /* next is known (an earlier value evaluated) */
	int64_t next;
	const char *name;
	struct pp_tok *val, *val_last;
	int depth;
};

struct ppfile {
	uint32_t file;
	const char *text;
	size_t len;
	char *copy;      /* the script: the text the scanner reads; NULL for a header */
	uint32_t seq;    /* the script's number */
	const char *dir; /* its directory, for "file" */
	int dir_index;   /* the search directory it came from; -1 if none */
	struct cond *conds;
	uint32_t nconds, cap;
	bool once; /* #pragma once */
	struct enum_scan en;
};

/* ---- etrace's compiler headers (clang ships its own; bpftrace embeds them) ---- */

static const struct {
	const char *name, *text;
} builtin_headers[] = {
	{ "stdbool.h", "#define __bool_true_false_are_defined 1\n#define true 1\n#define false 0\n" },
	{ "stddef.h", "#define NULL ((void *)0)\n" },
	{ "stdarg.h", "" },
	{ "float.h", "" },
	{ "__stddef_max_align_t.h", "" },
	{ "stdint.h", "#if __has_include_next(<stdint.h>)\n#include_next <stdint.h>\n#endif\n" },
	{ "limits.h",
	  "#ifndef __ETRACE_LIMITS_H\n#define __ETRACE_LIMITS_H\n#define _GCC_LIMITS_H_\n"
	  "#if __has_include_next(<limits.h>)\n#include_next <limits.h>\n#endif\n"
	  "#undef CHAR_BIT\n#define CHAR_BIT 8\n#undef SCHAR_MIN\n#define SCHAR_MIN (-128)\n"
	  "#undef SCHAR_MAX\n#define SCHAR_MAX 127\n#undef UCHAR_MAX\n#define UCHAR_MAX 255\n"
	  "#undef CHAR_MIN\n#define CHAR_MIN SCHAR_MIN\n#undef CHAR_MAX\n#define CHAR_MAX SCHAR_MAX\n"
	  "#undef SHRT_MIN\n#define SHRT_MIN (-32768)\n#undef SHRT_MAX\n#define SHRT_MAX 32767\n"
	  "#undef USHRT_MAX\n#define USHRT_MAX 65535\n#undef INT_MAX\n#define INT_MAX 2147483647\n"
	  "#undef INT_MIN\n#define INT_MIN (-INT_MAX - 1)\n#undef UINT_MAX\n#define UINT_MAX 4294967295U\n"
	  "#undef LONG_MAX\n#define LONG_MAX 9223372036854775807L\n#undef LONG_MIN\n#define LONG_MIN (-LONG_MAX - 1L)\n"
	  "#undef ULONG_MAX\n#define ULONG_MAX 18446744073709551615UL\n"
	  "#undef LLONG_MAX\n#define LLONG_MAX 9223372036854775807LL\n#undef LLONG_MIN\n#define LLONG_MIN (-LLONG_MAX - 1LL)\n"
	  "#undef ULLONG_MAX\n#define ULLONG_MAX 18446744073709551615ULL\n#endif\n" },
};

/* What clang predefines that headers and scripts test (a 64-bit Linux target), and bpftrace's own. */
static const char predefined_text[] =
	"#define BPFTRACE_HAVE_BTF 1\n"
	"#define _LINUX_TYPES_H 1\n"
	"#define __STDC__ 1\n#define __STDC_VERSION__ 201710L\n#define __STDC_HOSTED__ 1\n"
	"#define __GNUC__ 4\n#define __GNUC_MINOR__ 2\n#define __GNUC_PATCHLEVEL__ 1\n#define __clang__ 1\n"
	"#define __linux__ 1\n#define __linux 1\n#define __gnu_linux__ 1\n#define __unix__ 1\n#define __unix 1\n"
	"#define __ELF__ 1\n#define __CHAR_BIT__ 8\n"
	"#define __SIZEOF_SHORT__ 2\n#define __SIZEOF_INT__ 4\n#define __SIZEOF_LONG_LONG__ 8\n"
	"#define __SCHAR_MAX__ 127\n#define __SHRT_MAX__ 32767\n#define __INT_MAX__ 2147483647\n"
	"#define __LONG_LONG_MAX__ 9223372036854775807LL\n"
	"#define __ORDER_LITTLE_ENDIAN__ 1234\n#define __ORDER_BIG_ENDIAN__ 4321\n#define __ORDER_PDP_ENDIAN__ 3412\n"
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	"#define __BYTE_ORDER__ __ORDER_BIG_ENDIAN__\n"
#else
	"#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__\n"
#endif
#if defined(__LP64__)
	"#define __LP64__ 1\n#define _LP64 1\n#define __SIZEOF_LONG__ 8\n#define __SIZEOF_POINTER__ 8\n"
	"#define __LONG_MAX__ 9223372036854775807L\n"
#else
	"#define __SIZEOF_LONG__ 4\n#define __SIZEOF_POINTER__ 4\n#define __LONG_MAX__ 2147483647L\n"
#endif
#if defined(__x86_64__)
	"#define __x86_64__ 1\n#define __x86_64 1\n#define __amd64__ 1\n#define __amd64 1\n"
#elif defined(__aarch64__)
	"#define __aarch64__ 1\n"
#elif defined(__i386__)
	"#define __i386__ 1\n#define __i386 1\n"
#elif defined(__s390x__)
	"#define __s390x__ 1\n#define __s390__ 1\n"
#elif defined(__powerpc64__)
	"#define __powerpc64__ 1\n#define __powerpc__ 1\n"
#elif defined(__riscv)
	"#define __riscv 1\n#define __riscv_xlen 64\n"
#endif
	;

/* ---- the search path ---- */

/* Only a regular file is a header: reading /dev/zero or a FIFO named by an #include would never end. */
static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_dir(struct preproc *pp, const char *path)
{
	pp->dirs = arena_grow(pp->st.arena, pp->dirs, pp->ndirs, pp->ndirs + 1, sizeof(*pp->dirs));
	pp->dirs[pp->ndirs++].path = path ? arena_strdup(pp->st.arena, path) : NULL;
}

/* The kernel's architecture directory name for uname's machine, as the kernel's Makefile spells it. */
static const char *kernel_arch(const char *machine)
{
	const char *env = getenv("ARCH");

	if (env && *env)
		return env;
	if (strcmp(machine, "x86_64") == 0 || (machine[0] == 'i' && strncmp(machine + 2, "86", 2) == 0))
		return "x86";
	if (strcmp(machine, "aarch64") == 0)
		return "arm64";
	if (strncmp(machine, "arm", 3) == 0)
		return "arm";
	if (strncmp(machine, "s390", 4) == 0)
		return "s390";
	if (strncmp(machine, "ppc", 3) == 0)
		return "powerpc";
	if (strncmp(machine, "riscv", 5) == 0)
		return "riscv";
	if (strncmp(machine, "loongarch", 9) == 0)
		return "loongarch";
	return machine;
}

/* The kernel's header directories when its source or build tree is installed (bpftrace's -I list). */
static void add_kernel_dirs(struct preproc *pp, const struct utsname *u)
{
	char src[PATH_MAX / 2], obj[PATH_MAX / 2], dir[PATH_MAX];
	const char *env_src = getenv("BPFTRACE_KERNEL_SOURCE"), *env_obj = getenv("BPFTRACE_KERNEL_BUILD");
	const char *arch = kernel_arch(u->machine);

	if (env_src && *env_src) {
		snprintf(src, sizeof(src), "%s", env_src);
		snprintf(obj, sizeof(obj), "%s", env_obj && *env_obj ? env_obj : env_src);
	} else {
		snprintf(src, sizeof(src), "/lib/modules/%s/source", u->release);
		snprintf(obj, sizeof(obj), "/lib/modules/%s/build", u->release);
		if (!is_dir(src) && !is_dir(obj))
			return;
		if (!is_dir(src))
			memcpy(src, obj, sizeof(src));
		else if (!is_dir(obj))
			memcpy(obj, src, sizeof(obj));
	}
	const struct {
		const char *base;
		bool arch;
		const char *rest;
	} dirs[] = {
	    {src, true, "/include"},       {obj, true, "/include/generated"},
	    {src, false, "/include"},      {obj, false, "/include"},
	    {src, true, "/include/uapi"},  {obj, true, "/include/generated/uapi"},
	    {src, false, "/include/uapi"}, {obj, false, "/include/generated/uapi"},
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s%s%s%s", dirs[i].base, dirs[i].arch ? "/arch/" : "", dirs[i].arch ? arch : "",
			 dirs[i].rest);
		if (is_dir(dir))
			add_dir(pp, dir);
	}
}

static void init_dirs(struct preproc *pp)
{
	struct utsname u;
	char dir[PATH_MAX];

	if (pp->dirs_ready)
		return;
	pp->dirs_ready = true;
	for (uint32_t i = 0; pp->opts && i < pp->opts->ninclude_dirs; i++)
		add_dir(pp, pp->opts->include_dirs[i]);
	bool have_uname = uname(&u) == 0;
	if (have_uname)
		add_kernel_dirs(pp, &u);
	add_dir(pp, "/usr/local/include");
	add_dir(pp, NULL);
	if (have_uname) {
		snprintf(dir, sizeof(dir), "/usr/include/%s-linux-gnu", u.machine);
		add_dir(pp, dir);
	}
	add_dir(pp, "/usr/include");
}

static const char *builtin_header(const char *name)
{
	for (size_t i = 0; i < sizeof(builtin_headers) / sizeof(builtin_headers[0]); i++)
		if (strcmp(name, builtin_headers[i].name) == 0)
			return builtin_headers[i].text;
	return NULL;
}

/* Find `name`: its path (arena; "<built-in>/NAME" for etrace's own) and the index of its directory in
 * *index (-1 when found outside the search path), or NULL. */
static const char *find_header(struct preproc *pp, const char *name, bool quoted, const struct ppfile *from,
			       bool next, int *index)
{
	char path[PATH_MAX];

	init_dirs(pp);
	*index = -1;
	if (name[0] == '/')
		return is_file(name) ? arena_strdup(pp->st.arena, name) : NULL;
	if (quoted && !next) {
		if (from && from->dir && strcmp(from->dir, ".") != 0 &&
		    snprintf(path, sizeof(path), "%s/%s", from->dir, name) < (int)sizeof(path) && is_file(path))
			return arena_strdup(pp->st.arena, path);
		if (is_file(name))
			return arena_strdup(pp->st.arena, name);
	}
	uint32_t start = next && from && from->dir_index >= 0 ? (uint32_t)from->dir_index + 1 : 0;
	for (uint32_t i = start; i < pp->ndirs; i++) {
		if (!pp->dirs[i].path) {
			if (builtin_header(name)) {
				*index = (int)i;
				return arena_printf(pp->st.arena, "<built-in>/%s", name);
			}
			continue;
		}
		if (snprintf(path, sizeof(path), "%s/%s", pp->dirs[i].path, name) >= (int)sizeof(path))
			continue;
		if (is_file(path)) {
			*index = (int)i;
			return arena_strdup(pp->st.arena, path);
		}
	}
	return NULL;
}

/* ---- directives ---- */

static void run_text(struct preproc *pp, struct ppfile *f);

static bool tok_is(const struct pp_tok *t, const char *s)
{
	return t && t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

static bool active(const struct ppfile *f)
{
	return f->nconds == 0 || f->conds[f->nconds - 1].active;
}

static struct et_loc span(const struct pp_tok *a, const struct pp_tok *b)
{
	return loc_join(a->loc, b->loc);
}

static struct pp_tok *last_of(struct pp_tok *l)
{
	while (l && l->next)
		l = l->next;
	return l;
}

/* "file" or <file> from the tokens after #include; false after reporting what is wrong */
static bool header_name(struct preproc *pp, struct pp_tok *dir, struct pp_tok *list, char *name, size_t size,
			bool *quoted, struct et_loc *loc)
{
	struct pp_tok *t = list;
	if (t && t->kind != PP_STRING && !tok_is(t, "<"))
		t = pp_expand_list(&pp->st, list); /* #include MACRO */
	if (t && t->kind == PP_STRING && t->len >= 2 && t->s[t->len - 1] == '"' && t->len - 2 < size) {
		memcpy(name, t->s + 1, t->len - 2);
		name[t->len - 2] = 0;
		*quoted = true;
		*loc = t->loc;
	} else if (tok_is(t, "<")) {
		size_t n = 0;
		const char *gt = t == list ? memchr(t->s, '>', (size_t)(last_of(t)->s + last_of(t)->len - t->s)) : NULL;
		*loc = t->loc;
		if (gt) {
			/* as written on the directive's line */
			n = (size_t)(gt - t->s - 1);
			if (n >= size)
				n = size - 1;
			memcpy(name, t->s + 1, n);
			loc->end_col = loc->col + (uint32_t)n + 1;
		} else {
			/* built by a macro: the spellings of the tokens up to '>' */
			for (struct pp_tok *e = t->next; e && !tok_is(e, ">"); e = e->next)
				if (n + e->len < size) {
					memcpy(name + n, e->s, e->len);
					n += e->len;
				}
		}
		name[n] = 0;
		*quoted = false;
	} else {
		diag_error(pp->st.diag, t ? t->loc : dir->loc, "#include expects \"FILE\" or <FILE>");
		diag_hint(pp->st.diag, "write the header's name in angle brackets or quotes, e.g. #include <linux/sched.h>");
		return false;
	}
	if (!name[0]) {
		diag_error(pp->st.diag, *loc, "#include names no header");
		diag_hint(pp->st.diag, "write the header's name in angle brackets or quotes, e.g. #include <linux/sched.h>");
		return false;
	}
	return true;
}

static struct header *header_of(struct preproc *pp, const char *path)
{
	for (struct header *h = pp->headers; h; h = h->next)
		if (strcmp(h->path, path) == 0)
			return h;
	return NULL;
}

static void include_file(struct preproc *pp, const char *path, int index, struct et_loc at)
{
	struct header *h = header_of(pp, path);
	if (h && h->once)
		return;
	if (pp->depth >= PP_MAX_INCLUDE_DEPTH) {
		diag_error(pp->st.diag, at, "#include nested too deeply (more than %d levels)", PP_MAX_INCLUDE_DEPTH);
		diag_hint(pp->st.diag, "a header includes itself: guard it with #ifndef NAME / #define NAME / #endif");
		return;
	}
	if (!h) {
		uint32_t id;
		if (strncmp(path, "<built-in>/", 11) == 0) {
			const char *text = builtin_header(path + 11);
			id = source_add(pp->st.sources, path, text, strlen(text));
		} else {
			/* a header is text: /proc/kcore is a "regular file" of 128 TiB */
			struct stat st;
			if (stat(path, &st) == 0 && st.st_size > PP_MAX_HEADER_SIZE) {
				diag_error(pp->st.diag, at, "header '%s' is too large (%lld bytes)", path, (long long)st.st_size);
				diag_hint(pp->st.diag, "#include reads C headers; headers are smaller than 64 MiB");
				return;
			}
			id = source_load_file(pp->st.sources, path);
		}
		if (!id) {
			diag_error(pp->st.diag, at, "cannot read header '%s': %s", path, strerror(errno));
			diag_hint(pp->st.diag, "check the file's permissions");
			return;
		}
		h = arena_alloc(pp->st.arena, sizeof(*h));
		h->path = path;
		h->file = id;
		h->next = pp->headers;
		pp->headers = h;
	}
	struct ppfile f = { .file = h->file, .dir_index = index };
	f.text = source_text(pp->st.sources, h->file, &f.len);
	if (path[0] != '<') {
		char *d = arena_strdup(pp->st.arena, path);
		f.dir = dirname(d);
	}
	pp->depth++;
	run_text(pp, &f);
	pp->depth--;
	if (f.once)
		h->once = true;
}

static void do_include(struct preproc *pp, struct ppfile *f, struct pp_tok *dir, struct pp_tok *args, bool next)
{
	/* in the arena, not on the stack: this frame stays live while the header runs, 200 levels deep */
	char *name = arena_alloc(pp->st.arena, PATH_MAX);
	bool quoted;
	struct et_loc loc;
	int index;

	if (!header_name(pp, dir, args, name, PATH_MAX, &quoted, &loc))
		return;
	const char *path = find_header(pp, name, quoted, f, next, &index);
	struct stat st;
	if (!path && name[0] == '/' && stat(name, &st) == 0) {
		diag_error(pp->st.diag, loc, "'%s' is not a regular file", name);
		diag_hint(pp->st.diag, "#include reads a header file, not a directory or a device");
		return;
	}
	if (!path) {
		diag_error(pp->st.diag, loc, "header '%s' not found", name);
		diag_hint(pp->st.diag,
			  "etrace takes kernel types from BTF, so the #include can usually go; else install the header "
			  "(looked up%s in -I directories, the kernel's headers, /usr/local/include and /usr/include) "
			  "or name its directory with -I DIR",
			  quoted ? " beside the script, in the working directory, then" : "");
		return;
	}
	include_file(pp, path, index, loc);
}

static void do_define(struct preproc *pp, struct pp_tok *dir, struct pp_tok *t)
{
	struct pp_state *st = &pp->st;
	if (!t || t->kind != PP_IDENT) {
		diag_error(st->diag, t ? t->loc : dir->loc, "#define needs a macro name");
		diag_hint(st->diag, "write #define NAME VALUE (or NAME(PARAMS) VALUE)");
		return;
	}
	struct pp_macro *m = arena_alloc(st->arena, sizeof(*m));
	m->name = pp_intern(st, t->s, t->len);
	m->loc = t->loc;
	struct pp_tok *b = t->next;
	if (m->name == st->s_defined) {
		diag_error(st->diag, t->loc, "'defined' cannot be a macro name");
		diag_hint(st->diag, "pick another name");
		return;
	}
	/* '(' right after the name (no space): a function-like macro */
	if (b && tok_is(b, "(") && !b->space) {
		m->fn = true;
		b = b->next;
		uint32_t cap = 0;
		while (b && !tok_is(b, ")")) {
			const char *pname;
			if (tok_is(b, "...")) {
				m->variadic = true;
				pname = st->s_va_args;
			} else if (b->kind == PP_IDENT) {
				pname = pp_intern(st, b->s, b->len);
				if (b->next && tok_is(b->next, "...")) {
					m->variadic = true;
					b = b->next;
				}
			} else {
				break;
			}
			if (m->nparams == cap) {
				m->params = arena_grow(st->arena, m->params, cap, cap ? cap * 2 : 4, sizeof(*m->params));
				cap = cap ? cap * 2 : 4;
			}
			m->params[m->nparams++] = pname;
			b = b->next;
			if (m->variadic || !tok_is(b, ","))
				break;
			b = b->next;
		}
		if (!tok_is(b, ")")) {
			diag_error(st->diag, b ? b->loc : t->loc, "bad parameter list in #define of '%s'", m->name);
			diag_hint(st->diag, "parameters are names separated by ',', the last may be '...': #define F(a, b) ((a) + (b))");
			return;
		}
		b = b->next;
	}
	m->body = b;
	if (b)
		b->space = false;
	for (struct pp_tok *x = b; x; x = x->next) {
		if (tok_is(x, "##") && x->kind == PP_PUNCT && (x == b || !x->next)) {
			diag_error(st->diag, x->loc, "'##' cannot be at either end of a macro's body");
			diag_hint(st->diag, "'##' joins the tokens on its two sides");
			return;
		}
		if (m->fn && tok_is(x, "#") && x->kind == PP_PUNCT) {
			bool param = false;
			for (uint32_t i = 0; x->next && x->next->kind == PP_IDENT && i < m->nparams; i++)
				param |= m->params[i] == pp_intern(st, x->next->s, x->next->len);
			if (!param) {
				diag_error(st->diag, x->loc, "'#' is not followed by a macro parameter");
				diag_hint(st->diag, "'#' turns a parameter into a string: #define S(x) #x");
				return;
			}
		}
	}
	pp_table_define(st, &st->macros, m, pp->predefined);
}

/* defined NAME, defined(NAME), __has_include(...), __has_include_next(...) → 1 or 0 (before expansion) */
static struct pp_tok *replace_defined(struct preproc *pp, struct ppfile *f, struct pp_tok *list, bool *ok)
{
	struct pp_state *st = &pp->st;
	struct pp_tok head = { 0 }, *out = &head;
	for (struct pp_tok *t = list; t; t = t->next) {
		const char *name = t->kind == PP_IDENT ? pp_intern(st, t->s, t->len) : NULL;
		bool hi = tok_is(t, "__has_include"), hin = tok_is(t, "__has_include_next");
		if (name != st->s_defined && !hi && !hin) {
			out->next = pp_tok_copy(st, t);
			out = out->next;
			continue;
		}
		struct pp_tok *n = t->next, *start = t;
		bool paren = tok_is(n, "(");
		if (paren)
			n = n->next;
		uint64_t v = 0;
		if (name == st->s_defined) {
			if (!n || n->kind != PP_IDENT || (paren && !tok_is(n->next, ")"))) {
				diag_error(st->diag, n ? n->loc : t->loc, "'defined' needs a macro name");
				diag_hint(st->diag, "write defined(NAME) or defined NAME");
				*ok = false;
				return NULL;
			}
			v = pp_macro_find(st, pp_intern(st, n->s, n->len), PP_POS_END - 1) != NULL;
			t = paren ? n->next : n;
		} else {
			/* __has_include("x" or <x>) */
			struct pp_tok *close = n;
			while (close && !tok_is(close, ")"))
				close = close->next;
			if (!paren || !close) {
				diag_error(st->diag, t->loc, "%.*s needs a header name in parentheses", (int)t->len, t->s);
				diag_hint(st->diag, "write __has_include(<linux/sched.h>)");
				*ok = false;
				return NULL;
			}
			char name_buf[PATH_MAX];
			bool quoted;
			struct et_loc loc;
			struct pp_tok *saved = close->next;
			close->next = NULL;
			/* the tokens between the parentheses, without the ')' */
			struct pp_tok *args = n == close ? NULL : n, *p = n;
			while (p && p->next != close)
				p = p->next;
			if (p)
				p->next = NULL;
			int index;
			if (header_name(pp, start, args, name_buf, sizeof(name_buf), &quoted, &loc))
				v = find_header(pp, name_buf, quoted, f, hin, &index) != NULL;
			else
				*ok = false;
			if (p)
				p->next = close;
			close->next = saved;
			t = close;
		}
		struct pp_tok *num = pp_tok_copy(st, start);
		num->kind = PP_NUMBER;
		num->s = v ? "1" : "0";
		num->len = 1;
		out->next = num;
		out = num;
	}
	return head.next;
}

static bool eval_if(struct preproc *pp, struct ppfile *f, struct pp_tok *dir, struct pp_tok *args)
{
	bool ok = true;
	struct pp_tok *l = replace_defined(pp, f, args, &ok);
	if (!ok)
		return false;
	l = pp_expand_list(&pp->st, l);
	struct et_loc at = dir->loc;
	struct pp_tok *last = last_of(args);
	if (last)
		at = last->loc;
	at.col = at.end_col + 1;
	at.end_col = at.col;
	return pp_eval(&pp->st, l, at, &ok) != 0 && ok;
}

static void push_cond(struct preproc *pp, struct ppfile *f, struct et_loc loc, bool value)
{
	if (f->nconds == f->cap) {
		f->conds = arena_grow(pp->st.arena, f->conds, f->cap, f->cap ? f->cap * 2 : 8, sizeof(*f->conds));
		f->cap = f->cap ? f->cap * 2 : 8;
	}
	bool parent = active(f);
	f->conds[f->nconds++] = (struct cond){ .parent_active = parent, .taken = parent && value,
					       .active = parent && value, .loc = loc };
}

static void directive(struct preproc *pp, struct ppfile *f, struct pp_tok *hash, struct pp_tok *list)
{
	struct pp_state *st = &pp->st;
	struct pp_tok *d = list;
	if (!d)
		return; /* the null directive */
	struct pp_tok *args = d->next;
	struct cond *c = f->nconds ? &f->conds[f->nconds - 1] : NULL;
	struct et_loc dloc = span(hash, d);

	if (tok_is(d, "ifdef") || tok_is(d, "ifndef")) {
		bool v = false;
		if (active(f)) {
			if (!args || args->kind != PP_IDENT) {
				diag_error(st->diag, args ? args->loc : dloc, "#%.*s needs a macro name", (int)d->len, d->s);
				diag_hint(st->diag, "write #ifdef NAME");
			} else {
				v = pp_macro_find(st, pp_intern(st, args->s, args->len), PP_POS_END - 1) != NULL;
			}
		}
		push_cond(pp, f, dloc, d->len == 5 ? v : !v);
		return;
	}
	if (tok_is(d, "if")) {
		push_cond(pp, f, dloc, active(f) && eval_if(pp, f, d, args));
		return;
	}
	if (tok_is(d, "elif") || tok_is(d, "else") || tok_is(d, "endif")) {
		if (!c) {
			diag_error(st->diag, dloc, "#%.*s without #if", (int)d->len, d->s);
			diag_hint(st->diag, "remove it, or open the conditional with #if, #ifdef or #ifndef");
			return;
		}
		if (d->len == 5 && d->s[1] == 'n') { /* endif */
			f->nconds--;
			return;
		}
		if (c->seen_else) {
			diag_error(st->diag, dloc, "#%.*s after #else", (int)d->len, d->s);
			diag_hint(st->diag, "#else is the last branch of a conditional; close it with #endif first");
			return;
		}
		if (d->len == 4 && d->s[1] == 'l' && d->s[2] == 's') { /* else */
			c->seen_else = true;
			c->active = c->parent_active && !c->taken;
			c->taken = true;
			return;
		}
		bool v = c->parent_active && !c->taken && eval_if(pp, f, d, args);
		c->active = v;
		c->taken |= v;
		return;
	}
	if (!active(f))
		return;
	if (d->kind == PP_NUMBER || tok_is(d, "line") || tok_is(d, "ident") || tok_is(d, "sccs"))
		return; /* line markers and ids: nothing to do */
	if (tok_is(d, "define")) {
		do_define(pp, d, args);
	} else if (tok_is(d, "undef")) {
		if (!args || args->kind != PP_IDENT) {
			diag_error(st->diag, args ? args->loc : dloc, "#undef needs a macro name");
			diag_hint(st->diag, "write #undef NAME");
			return;
		}
		pp_table_undef(st, &st->macros, pp_intern(st, args->s, args->len));
	} else if (tok_is(d, "include") || tok_is(d, "include_next") || tok_is(d, "import")) {
		do_include(pp, f, d, args, d->len == 12);
	} else if (tok_is(d, "error") || tok_is(d, "warning")) {
		const char *s = args ? args->s : "";
		struct pp_tok *last = last_of(args);
		int n = last ? (int)(last->s + last->len - s) : 0;
		if (last && last->loc.line != args->loc.line)
			n = (int)args->len;
		if (d->s[0] == 'e')
			diag_error(st->diag, dloc, "#error %.*s", n, s);
		else
			diag_warning(st->diag, dloc, "#warning %.*s", n, s);
	} else if (tok_is(d, "pragma")) {
		/* #pragma once: run_text() marks the header; other pragmas mean nothing here */
	} else {
		diag_error(st->diag, dloc, "unknown preprocessor directive '#%.*s'", (int)d->len, d->s);
		diag_hint(st->diag, "directives are #define, #undef, #include, #if, #ifdef, #ifndef, #elif, #else, #endif, "
				    "#error, #warning and #pragma");
	}
}

static void enum_record(struct preproc *pp, struct enum_scan *en)
{
	struct pp_state *st = &pp->st;
	if (en->val) {
		/* macros expanded, earlier enumerators replaced by their values, then evaluated quietly */
		struct pp_tok head = { 0 }, *tail = &head;
		for (struct pp_tok *t = pp_expand_list(st, en->val); t; t = t->next) {
			struct pp_tok *v = t->kind == PP_IDENT ? pp_enum_value(st, pp_intern(st, t->s, t->len), PP_POS_END - 1, t->loc) : NULL;
			tail->next = v ? v : pp_tok_copy(st, t);
			tail = tail->next;
		}
		bool ok;
		st->quiet = true;
		int64_t v = pp_eval(st, head.next, en->val->loc, &ok);
		st->quiet = false;
		en->known = ok;
		en->next = v;
	}
	en->val = en->val_last = NULL;
	if (en->known) {
		struct pp_macro *m = arena_alloc(st->arena, sizeof(*m));
		struct pp_tok *num = arena_alloc(st->arena, sizeof(*num));
		num->kind = PP_NUMBER;
		num->s = en->next < 0 ? arena_printf(st->arena, "(%lld)", (long long)en->next)
				      : arena_printf(st->arena, "%lld", (long long)en->next);
		num->len = (uint32_t)strlen(num->s);
		m->name = en->name;
		m->body = num;
		pp_table_define(st, &st->enums, m, true);
		en->next++;
	}
}

static void enum_feed(struct preproc *pp, struct enum_scan *en, const struct pp_tok *t)
{
	bool open = tok_is(t, "{"), close = tok_is(t, "}"), comma = tok_is(t, ",");
	switch (en->state) {
	case 0:
		if (t->kind == PP_IDENT && tok_is(t, "enum"))
			en->state = 1;
		break;
	case 1:
	case 2:
		if (open) {
			en->state = 3;
			en->known = true;
			en->next = 0;
		} else {
			en->state = en->state == 1 && t->kind == PP_IDENT ? 2 : 0;
		}
		break;
	case 3:
		if (t->kind == PP_IDENT) {
			en->name = pp_intern(&pp->st, t->s, t->len);
			en->state = 4;
		} else if (close) {
			en->state = 0;
		}
		break;
	case 4:
		if (tok_is(t, "=")) {
			en->state = 5;
			en->depth = 0;
			en->val = en->val_last = NULL;
		} else if (comma || close) {
			enum_record(pp, en);
			en->state = close ? 0 : 3;
		}
		break;
	case 5:
		if (en->depth == 0 && (comma || close)) {
			enum_record(pp, en);
			en->state = close ? 0 : 3;
			break;
		}
		en->depth += tok_is(t, "(") ? 1 : tok_is(t, ")") ? -1 : 0;
		struct pp_tok *c = pp_tok_copy(&pp->st, t);
		if (en->val_last)
			en->val_last->next = c;
		else
			en->val = c;
		en->val_last = c;
		break;
	}
}

static void blank(struct ppfile *f, size_t from, size_t to)
{
	if (!f->copy)
		return;
	for (size_t i = from; i < to && i < f->len; i++)
		if (f->copy[i] != '\n')
			f->copy[i] = ' ';
}

/* Run the directives of f, blanking in f->copy what the scanner must not read. */
static void run_text(struct preproc *pp, struct ppfile *f)
{
	const char *s = f->text;
	size_t len = f->len, off = 0;
	uint32_t line = 1;
	bool in_comment = false, once = false;

	while (off < len) {
		size_t start = off;
		if (!in_comment) {
			size_t p = off;
			while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\f' || s[p] == '\v' || s[p] == '\r'))
				p++;
			if (p < len && s[p] == '#' && !(p + 1 < len && s[p + 1] == '!')) {
				struct pp_lexer lx = { .text = s, .len = len, .off = p + 1, .file = f->file, .line = line,
						       .line_off = start, .stop_at_newline = true };
				struct pp_tok hash = { .kind = PP_PUNCT, .s = s + p, .len = 1 };
				hash.loc = (struct et_loc){ f->file, line, (uint32_t)(p - start + 1), line, (uint32_t)(p - start + 1) };
				struct pp_tok head = { 0 }, *tail = &head, t;
				for (;;) {
					pp_lex_next(&lx, &t);
					if (t.kind == PP_EOL)
						break;
					tail->next = pp_tok_copy(&pp->st, &t);
					tail = tail->next;
				}
				size_t end = lx.off;
				if (f->copy)
					pp->st.pos = pp_pos(f->seq, end);
				if (tok_is(head.next, "pragma") && tok_is(head.next->next, "once") && active(f))
					once = true;
				directive(pp, f, &hash, head.next);
				blank(f, start, end);
				off = end < len ? end + 1 : len;
				line = lx.line + 1;
				continue;
			}
		}
		if (!f->copy) {
			/* a header's C: its tokens, for the enumerators of its enums */
			struct pp_lexer lx = { .text = s, .len = len, .off = off, .file = f->file, .line = line,
					       .line_off = start, .stop_at_newline = true };
			struct pp_tok t;
			bool on = active(f);
			for (;;) {
				pp_lex_next(&lx, &t);
				if (t.kind == PP_EOL)
					break;
				if (on)
					enum_feed(pp, &f->en, &t);
			}
			off = lx.off < len ? lx.off + 1 : len;
			line = lx.line + 1;
			continue;
		}
		/* an ordinary line: find its end, and whether a comment stays open after it */
		size_t p = off;
		while (p < len && s[p] != '\n') {
			if (in_comment) {
				if (s[p] == '*' && p + 1 < len && s[p + 1] == '/') {
					in_comment = false;
					p += 2;
					continue;
				}
				p++;
				continue;
			}
			if (s[p] == '/' && p + 1 < len && s[p + 1] == '*') {
				in_comment = true;
				p += 2;
				continue;
			}
			if (s[p] == '/' && p + 1 < len && s[p + 1] == '/') {
				while (p < len && s[p] != '\n')
					p++;
				break;
			}
			if (s[p] == '"' || s[p] == '\'') {
				size_t q = p + 1;
				while (q < len && s[q] != s[p] && s[q] != '\n')
					q += s[q] == '\\' && q + 1 < len && s[q + 1] != '\n' ? 2 : 1;
				if (q < len && s[q] == s[p]) {
					p = q + 1;
					continue;
				}
			}
			p++;
		}
		if (!active(f))
			blank(f, start, p);
		off = p < len ? p + 1 : len;
		line++;
	}
	for (uint32_t i = f->nconds; i > 0; i--) {
		diag_error(pp->st.diag, f->conds[i - 1].loc, "this conditional is never closed");
		diag_hint(pp->st.diag, "close it with #endif");
	}
	f->nconds = 0;
	f->once = once;
}

/* ---- the interface ---- */

struct preproc *pp_new(struct arena *a, struct strtab *strtab, struct source_set *sources, struct diag_sink *diag,
		       const struct pp_options *opts)
{
	struct preproc *pp = arena_alloc(a, sizeof(*pp));
	pp->st.arena = a;
	pp->st.strtab = strtab;
	pp->st.sources = sources;
	pp->st.diag = diag;
	pp->st.s_defined = pp_intern(&pp->st, "defined", 7);
	pp->st.s_va_args = pp_intern(&pp->st, "__VA_ARGS__", 11);
	pp->opts = opts;
	return pp;
}

bool pp_has_macros(const struct preproc *pp)
{
	return pp && pp->st.user_count > 0;
}

static void predefine(struct preproc *pp)
{
	if (pp->predefined)
		return;
	uint32_t id = source_add(pp->st.sources, "<built-in>", predefined_text, sizeof(predefined_text) - 1);
	struct ppfile f = { .file = id, .dir_index = -1 };
	f.text = source_text(pp->st.sources, id, &f.len);
	pp->st.pos = 0;
	run_text(pp, &f);
	pp->predefined = true; /* what follows is the user's */
}

const char *pp_file(struct preproc *pp, uint32_t file, const char *text, size_t len, uint32_t *seq)
{
	*seq = ++pp->seq;
	bool includes = !pp->includes_done && pp->opts && pp->opts->ninclude_files > 0;
	if (!includes && !memchr(text, '#', len))
		return text;
	predefine(pp);
	struct ppfile f = { .file = file, .text = text, .len = len, .seq = *seq, .dir_index = -1 };
	if (includes) {
		pp->includes_done = true;
		pp->st.pos = pp_pos(*seq, 0);
		for (uint32_t i = 0; i < pp->opts->ninclude_files; i++) {
			const char *name = pp->opts->include_files[i];
			int index;
			const char *path = find_header(pp, name, true, NULL, false, &index);
			if (!path) {
				diag_error(pp->st.diag, (struct et_loc){ 0 }, "--include: header '%s' not found", name);
				diag_hint(pp->st.diag, "give the header's path, or name its directory with -I DIR");
				continue;
			}
			include_file(pp, path, index, (struct et_loc){ 0 });
		}
	}
	f.copy = arena_strndup(pp->st.arena, text, len);
	const char *name = source_name(pp->st.sources, file);
	if (name && name[0] != '<' && strchr(name, '/') && strcmp(name, "stdin") != 0)
		f.dir = dirname(arena_strdup(pp->st.arena, name));
	run_text(pp, &f);
	return f.copy;
}

bool pp_expand(struct preproc *pp, uint32_t seq, const char *text, size_t len, size_t off, size_t n,
	       struct et_loc loc, const char **out, size_t *end)
{
	struct pp_state *st = &pp->st;
	uint64_t pos = pp_pos(seq, off);
	const char *name = pp_intern(st, text + off, n);
	if (!pp_macro_find(st, name, pos)) {
		struct pp_tok *v = pp_enum_value(st, name, pos, loc);
		if (!v)
			return false;
		*out = arena_strndup(st->arena, v->s, v->len);
		*end = off + n;
		return true;
	}
	struct pp_lexer lx = { .text = text, .len = len, .off = off + n, .file = loc.file, .line = loc.line,
			       .line_off = off - (loc.col - 1), .stop_at_directive = true };
	struct pp_tok first = { .kind = PP_IDENT, .s = text + off, .len = (uint32_t)n, .loc = loc };
	bool none;
	struct pp_tok *l = pp_expand_from(st, pp_tok_copy(st, &first), &lx, pos, &none);
	if (none)
		return false;
	/* a name left over may be a header's enumerator (glibc: #define SOCK_STREAM SOCK_STREAM) */
	for (struct pp_tok *t = l; t; t = t->next) {
		struct pp_tok *v = t->kind == PP_IDENT ? pp_enum_value(st, pp_intern(st, t->s, t->len), pos, t->loc) : NULL;
		if (v) {
			t->s = v->s;
			t->len = v->len;
			t->kind = PP_NUMBER;
			t->space = true;
		}
	}
	size_t size = 1;
	for (struct pp_tok *t = l; t; t = t->next)
		size += t->len + 1;
	char *buf = arena_alloc(st->arena, size);
	size_t o = 0;
	for (struct pp_tok *t = l, *prev = NULL; t; prev = t, t = t->next) {
		if (prev && (t->space || prev->s + prev->len != t->s))
			buf[o++] = ' ';
		memcpy(buf + o, t->s, t->len);
		o += t->len;
	}
	buf[o] = 0;
	*out = buf;
	*end = lx.off;
	return true;
}
