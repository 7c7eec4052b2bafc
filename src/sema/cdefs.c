/* cdefs: the C type definitions written in a script (AST_C_DEF), read without clang by a small
 * recursive-descent parser of C declarations:
 *   struct/union TAG { MEMBERS } [attributes];     struct TAG;  (a forward declaration)
 *   enum TAG { A, B = 4, C = B << 1 };              typedef DECL-SPECIFIERS DECLARATOR, ...;
 * Members are `DECL-SPECIFIERS DECLARATOR [: WIDTH], ...;` with nested and anonymous structs, unions
 * and enums, pointers, function pointers (`int (*cb)(int)`: a pointer), arrays of any dimension
 * including [0] and [], bitfields, and `__attribute__((packed))` / `aligned(N)` (other attributes
 * are read and ignored). The last member's ';' may be missing before '}', as clang accepts.
 *
 * Layout follows the System V ABI that clang and GCC use on x86-64 and arm64: a member at the next
 * multiple of its alignment (1 when packed), a bitfield in the storage unit of its declared type unless
 * it would cross that unit's boundary (packed: never moved), the size rounded up to the largest
 * alignment. Anonymous struct/union members are flattened into the parent, as btf.c does for kernel
 * types, so that `s.x` finds their fields. Bitfields set et_field.bit_offset/bit_size the way btf.h
 * describes (offset = the first byte of the storage unit). Enums are ET_INT (types.h) of 4 bytes
 * (8 when a value needs them) listing their enumerators; the enumerators are also constants for
 * sema_cdef_const. A script definition shadows a kernel type of the same name, as in bpftrace.
 *
 * Named types that are not defined in the script come from the kernel's BTF (typedefs such as
 * `pid_t`, `struct sk_buff` embedded by value); a name found nowhere is a located error naming it. A
 * struct only pointed to needs no definition (`struct node *next`): it is resolved when a field is
 * read through the pointer (sema_deref_struct).
 * Internal to src/sema (sema_int.h); types live in s->arena. Errors are reported at the definition. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/btf.h"
#include "support/diag.h"
#include "support/arena.h"
#include "sema/sema_int.h"

struct cdef {
	const char *name;    /* "struct sock_info", "enum e", a typedef name, an enumerator; NULL: anonymous */
	struct et_type *type;
	uint32_t align;      /* STRUCT: its alignment (packed structs have 1) */
	bool is_const;       /* an enumerator: value of enum `type` */
	bool failed;         /* a definition with an error (reported): type NULL, later uses say nothing */
	int64_t value;
	struct cdef *next;
};

static struct cdef *cdef_lookup(struct sema *s, const char *name, bool is_const)
{
	for (struct cdef *d = s->cdefs; d; d = d->next)
		if (d->name && d->is_const == is_const && strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

bool sema_cdef_failed(struct sema *s, const char *name)
{
	struct cdef *d = cdef_lookup(s, name, false);

	return d && d->failed;
}

struct et_type *sema_cdef_find(struct sema *s, const char *name)
{
	struct cdef *d = cdef_lookup(s, name, false);

	return d ? d->type : NULL;
}

struct et_type *sema_cdef_const(struct sema *s, const char *name, int64_t *value)
{
	struct cdef *d = cdef_lookup(s, name, true);

	if (!d)
		return NULL;
	*value = d->value;
	return d->type;
}

static struct cdef *define(struct sema *s, const char *name, struct et_type *t)
{
	struct cdef *d = arena_alloc(s->arena, sizeof(*d));

	memset(d, 0, sizeof(*d));
	d->name = name ? arena_strdup(s->arena, name) : NULL;
	d->type = t;
	d->next = s->cdefs;
	s->cdefs = d;
	return d;
}

/* ---- tokens: identifiers and numbers, punctuation (<< and >> as one token); comments skipped ---- */

struct cparse {
	struct sema *s;
	struct et_loc loc;
	char **t;
	struct et_loc *tl; /* each token's place in the script */
	struct et_loc type_loc; /* the type of the member being read (`struct x`, `my_t`) */
	uint32_t n, i, cap;
	bool failed;
};

/* Move p to q, counting lines and columns in *l. */
static const char *advance(const char *p, const char *q, struct et_loc *l)
{
	for (; p < q; p++) {
		if (*p == '\n')
			l->line++, l->col = 1;
		else
			l->col++;
	}
	return p;
}

static void tokenize(struct cparse *c, const char *p)
{
	struct et_loc l = c->loc;

	for (;;) {
		const char *b;

		while (isspace((unsigned char)*p))
			p = advance(p, p + 1, &l);
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p = advance(p, p + 1, &l);
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = advance(p, e ? e + 2 : p + strlen(p), &l);
			continue;
		}
		if (!*p)
			return;
		b = p;
		if (isalnum((unsigned char)*p) || *p == '_')
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
		else if ((p[0] == '<' || p[0] == '>') && p[1] == p[0])
			p += 2;
		else
			p++;
		if (c->n == c->cap) {
			uint32_t cap = c->cap ? c->cap * 2 : 64;

			c->t = arena_grow(c->s->arena, c->t, c->cap, cap, sizeof(*c->t));
			c->tl = arena_grow(c->s->arena, c->tl, c->cap, cap, sizeof(*c->tl));
			c->cap = cap;
		}
		c->tl[c->n] = l;
		c->tl[c->n].end_line = l.line;
		c->tl[c->n].end_col = l.col + (uint32_t)(p - b) - 1;
		c->t[c->n++] = arena_strndup(c->s->arena, b, (size_t)(p - b));
		advance(b, p, &l);
	}
}

static const char *peek(const struct cparse *c, uint32_t k)
{
	return c->i + k < c->n ? c->t[c->i + k] : "";
}

static bool at(const struct cparse *c, const char *t)
{
	return strcmp(peek(c, 0), t) == 0;
}

static bool accept(struct cparse *c, const char *t)
{
	if (!at(c, t))
		return false;
	c->i++;
	return true;
}

/* Where the current token is (the last one at the end), for errors. */
static struct et_loc here(const struct cparse *c)
{
	if (c->i < c->n)
		return c->tl[c->i];
	return c->n ? c->tl[c->n - 1] : c->loc;
}

static bool is_ident(const char *t)
{
	return isalpha((unsigned char)t[0]) || t[0] == '_';
}

static bool fail(struct cparse *c, const char *what, const char *tok)
{
	if (c->failed)
		return false;
	c->failed = true;
	if (tok && *tok)
		sema_error(c->s, here(c), "cannot read this C definition: %s (at '%s')", what, tok);
	else
		sema_error(c->s, here(c), "cannot read this C definition: %s", what);
	sema_hint(c->s, "write the definition as C declares it; kernel types need no definition: they come "
			"from the kernel's BTF");
	return false;
}

static bool expect(struct cparse *c, const char *t)
{
	char what[32];

	if (accept(c, t))
		return true;
	snprintf(what, sizeof(what), "expected '%s'", t);
	return fail(c, what, *peek(c, 0) ? peek(c, 0) : "the end");
}

/* ---- constant expressions: enum values, array sizes, bitfield widths, aligned(N) ---- */

static bool cexpr(struct cparse *c, int prec, int64_t *out);

static bool cprimary(struct cparse *c, int64_t *out)
{
	const char *t = peek(c, 0);

	if (accept(c, "(")) {
		if (!cexpr(c, 0, out))
			return false;
		return expect(c, ")");
	}
	if (accept(c, "-")) {
		if (!cprimary(c, out))
			return false;
		*out = (int64_t)(0 - (uint64_t)*out);
		return true;
	}
	if (accept(c, "+"))
		return cprimary(c, out);
	if (accept(c, "~")) {
		if (!cprimary(c, out))
			return false;
		*out = ~*out;
		return true;
	}
	if (accept(c, "!")) {
		if (!cprimary(c, out))
			return false;
		*out = !*out;
		return true;
	}
	if (isdigit((unsigned char)t[0])) {
		char *end;

		*out = (int64_t)strtoull(t, &end, 0);
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
			end++;
		if (*end)
			return fail(c, "not a number", t);
		c->i++;
		return true;
	}
	if (is_ident(t)) {
		if (sema_cdef_const(c->s, t, out)) {
			c->i++;
			return true;
		}
		return fail(c, "unknown constant in an expression", t);
	}
	return fail(c, "expected a constant", *t ? t : "the end");
}

static int binprec(const char *t)
{
	static const struct { const char *op; int prec; } ops[] = {
		{"|", 1}, {"^", 2}, {"&", 3}, {"<<", 4}, {">>", 4}, {"+", 5}, {"-", 5}, {"*", 6}, {"/", 6}, {"%", 6},
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(t, ops[i].op) == 0)
			return ops[i].prec;
	return 0;
}

/* Precedence climbing over C's integer operators (64-bit, wrapping as unsigned). */
static bool cexpr(struct cparse *c, int prec, int64_t *out)
{
	if (!cprimary(c, out))
		return false;
	for (;;) {
		const char *op = peek(c, 0);
		int p = binprec(op);
		uint64_t a, b;
		int64_t r;

		if (!p || p <= prec)
			return true;
		c->i++;
		if (!cexpr(c, p, &r))
			return false;
		a = (uint64_t)*out, b = (uint64_t)r;
		switch (op[0]) {
		case '|': a |= b; break;
		case '^': a ^= b; break;
		case '&': a &= b; break;
		case '<': a = b < 64 ? a << b : 0; break;
		case '>': a = b < 64 ? (uint64_t)(*out >> b) : 0; break;
		case '+': a += b; break;
		case '-': a -= b; break;
		case '*': a *= b; break;
		case '/':
		case '%':
			if (!r)
				return fail(c, "division by zero in a constant", NULL);
			a = op[0] == '/' ? (uint64_t)(*out / r) : (uint64_t)(*out % r);
			break;
		}
		*out = (int64_t)a;
	}
}

/* ---- attributes: __attribute__((packed)), aligned(N); the rest is skipped ---- */

struct attrs {
	bool packed;
	uint32_t aligned; /* 0: none */
	enum et_addr_space space; /* __user / btf_type_tag("user"), __kernel / __rcu: where a pointer points */
};

/* An address-space annotation the kernel's headers use (types.h: et_addr_space), else ET_AS_NONE. */
static enum et_addr_space space_word(const char *t)
{
	if (!strcmp(t, "__user"))
		return ET_AS_USER;
	if (!strcmp(t, "__kernel") || !strcmp(t, "__rcu"))
		return ET_AS_KERNEL;
	return ET_AS_NONE;
}

static bool skip_balanced(struct cparse *c)
{
	int depth = 0;

	do {
		if (c->i >= c->n)
			return fail(c, "missing ')'", NULL);
		if (at(c, "("))
			depth++;
		else if (at(c, ")"))
			depth--;
		c->i++;
	} while (depth > 0);
	return true;
}

static bool attributes(struct cparse *c, struct attrs *a)
{
	while (at(c, "__attribute__") || at(c, "__attribute") || at(c, "__aligned") || at(c, "__packed")) {
		if (accept(c, "__packed")) {
			a->packed = true;
			continue;
		}
		if (accept(c, "__aligned")) {
			int64_t v;

			if (!expect(c, "(") || !cexpr(c, 0, &v) || !expect(c, ")"))
				return false;
			a->aligned = (uint32_t)v;
			continue;
		}
		c->i++;
		if (!expect(c, "(") || !expect(c, "("))
			return false;
		while (!at(c, ")")) {
			const char *name = peek(c, 0);

			if (!is_ident(name))
				return fail(c, "expected an attribute", name);
			c->i++;
			if (!strcmp(name, "packed") || !strcmp(name, "__packed__")) {
				a->packed = true;
			} else if ((!strcmp(name, "aligned") || !strcmp(name, "__aligned__")) && at(c, "(")) {
				int64_t v;

				c->i++;
				if (!cexpr(c, 0, &v) || !expect(c, ")"))
					return false;
				if (v <= 0 || (v & (v - 1)) || v > 4096)
					return fail(c, "aligned() needs a power of two", NULL);
				a->aligned = (uint32_t)v;
			} else if (!strcmp(name, "aligned") || !strcmp(name, "__aligned__")) {
				a->aligned = 16; /* the target's largest alignment, as GCC and clang on x86-64 */
			} else if (!strcmp(name, "btf_type_tag") && at(c, "(") && !strcmp(peek(c, 1), "\"") &&
				   !strcmp(peek(c, 3), "\"") && !strcmp(peek(c, 4), ")")) {
				/* btf_type_tag("user"): what the kernel's __user becomes for BTF */
				if (!strcmp(peek(c, 2), "user"))
					a->space = ET_AS_USER;
				else if (!strcmp(peek(c, 2), "rcu"))
					a->space = ET_AS_KERNEL;
				c->i += 5;
			} else if (at(c, "(") && !skip_balanced(c)) {
				return false;
			}
			if (!accept(c, ","))
				break;
		}
		if (!expect(c, ")") || !expect(c, ")"))
			return false;
	}
	return true;
}

/* ---- types ---- */

static uint32_t align_of(struct sema *s, const struct et_type *t)
{
	if (!t)
		return 1;
	if (t->kind == ET_ARRAY && t->elem)
		return align_of(s, t->elem);
	if (t->kind == ET_STRING)
		return 1;
	if (t->kind == ET_STRUCT) {
		uint32_t a = 1;

		for (struct cdef *d = s->cdefs; d; d = d->next)
			if (d->type == t && d->align)
				return d->align;
		for (uint32_t i = 0; i < t->nfields; i++) {
			uint32_t fa = align_of(s, t->fields[i].type);
			a = fa > a ? fa : a;
		}
		return a;
	}
	return t->size >= 8 ? 8 : t->size ? t->size : 1;
}

/* The C integer type a list of basic type words names (any order: `long unsigned int`). */
static struct et_type *basic_int(struct sema *s, const char *const *w, uint32_t n)
{
	uint32_t nlong = 0, nshort = 0, nchar = 0, nint = 0, size;
	bool is_unsigned = false, is_signed = false, is_bool = false, is_float = false, is_double = false;
	char name[64];
	struct et_type *t;

	for (uint32_t i = 0; i < n; i++) {
		if (!strcmp(w[i], "long"))
			nlong++;
		else if (!strcmp(w[i], "short"))
			nshort++;
		else if (!strcmp(w[i], "char"))
			nchar++;
		else if (!strcmp(w[i], "int"))
			nint++;
		else if (!strcmp(w[i], "unsigned"))
			is_unsigned = true;
		else if (!strcmp(w[i], "signed"))
			is_signed = true;
		else if (!strcmp(w[i], "_Bool") || !strcmp(w[i], "bool"))
			is_bool = true;
		else if (!strcmp(w[i], "float"))
			is_float = true;
		else if (!strcmp(w[i], "double"))
			is_double = true;
	}
	if (is_bool)
		return type_new(s->arena, ET_BOOL, 1);
	size = nchar ? 1 : nshort ? 2 : nlong ? 8 : is_double ? 8 : 4;
	(void)is_float;
	(void)nint;
	t = type_int(s->arena, size, !is_unsigned);
	snprintf(name, sizeof(name), "%s%s", is_unsigned ? "unsigned " : is_signed && nchar ? "signed " : "",
		 nchar ? "char" : nshort ? "short" : nlong > 1 ? "long long" : nlong ? "long" : is_double ? "double"
		 : is_float ? "float" : "int");
	t->name = arena_strdup(s->arena, name);
	return t;
}

static bool is_basic_word(const char *t)
{
	static const char *const words[] = {"void", "char", "short", "int", "long", "signed", "unsigned",
					    "_Bool", "bool", "float", "double"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(t, words[i]))
			return true;
	return false;
}

static bool is_qualifier(const char *t)
{
	static const char *const quals[] = {"const", "volatile", "restrict", "__restrict", "__restrict__",
					    "static", "extern", "register", "inline", "__inline", "__extension__",
					    "__const", "__volatile__", "__user", "__kernel", "__rcu", "__iomem",
					    "__percpu", "__force"};

	for (size_t i = 0; i < sizeof(quals) / sizeof(quals[0]); i++)
		if (!strcmp(t, quals[i]))
			return true;
	return false;
}

/* Fixed-width names users write without a typedef in scope (bpftrace's clang has them from its
 * headers); other names are the script's typedefs or the kernel's. */
static struct et_type *fixed_int(struct sema *s, const char *name)
{
	static const struct { const char *name; uint8_t size; bool is_signed; } ints[] = {
		{"u8", 1, false}, {"u16", 2, false}, {"u32", 4, false}, {"u64", 8, false},
		{"s8", 1, true}, {"s16", 2, true}, {"s32", 4, true}, {"s64", 8, true},
		{"__u8", 1, false}, {"__u16", 2, false}, {"__u32", 4, false}, {"__u64", 8, false},
		{"__s8", 1, true}, {"__s16", 2, true}, {"__s32", 4, true}, {"__s64", 8, true},
		{"uint8_t", 1, false}, {"uint16_t", 2, false}, {"uint32_t", 4, false}, {"uint64_t", 8, false},
		{"int8_t", 1, true}, {"int16_t", 2, true}, {"int32_t", 4, true}, {"int64_t", 8, true},
		{"size_t", 8, false}, {"ssize_t", 8, true}, {"pid_t", 4, true}, {"uid_t", 4, false},
		{"gid_t", 4, false}, {"uintptr_t", 8, false}, {"intptr_t", 8, true},
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(name, ints[i].name) == 0) {
			struct et_type *t = type_int(s->arena, ints[i].size, ints[i].is_signed);

			t->name = arena_strdup(s->arena, name);
			return t;
		}
	return NULL;
}

static struct et_type *record(struct cparse *c, bool is_union, struct attrs *outer);
static struct et_type *enumeration(struct cparse *c);

/* DECL-SPECIFIERS: qualifiers, attributes, and one type: basic words, struct/union/enum (with or
 * without a body) or a typedef name. */
static struct et_type *specifiers(struct cparse *c, struct attrs *a)
{
	const char *words[8];
	uint32_t nw = 0;
	struct et_type *t = NULL;

	for (;;) {
		const char *tok = peek(c, 0);

		if (is_qualifier(tok)) {
			if (space_word(tok))
				a->space = space_word(tok);
			c->i++;
		} else if (!strncmp(tok, "__attribute", 11) || !strcmp(tok, "__packed") || !strcmp(tok, "__aligned")) {
			if (!attributes(c, a))
				return NULL;
		} else if (!t && (!strcmp(tok, "struct") || !strcmp(tok, "union"))) {
			c->type_loc = c->i + 1 < c->n ? loc_join(here(c), c->tl[c->i + 1]) : here(c);
			c->i++;
			t = record(c, tok[0] == 'u', a);
			if (!t)
				return NULL;
		} else if (!t && !strcmp(tok, "enum")) {
			c->i++;
			t = enumeration(c);
			if (!t)
				return NULL;
		} else if (!t && is_basic_word(tok)) {
			if (nw == sizeof(words) / sizeof(words[0]))
				return fail(c, "too many type words", tok), NULL;
			words[nw++] = tok;
			c->i++;
		} else if (!t && !nw && is_ident(tok)) {
			t = fixed_int(c->s, tok);
			if (!t)
				t = sema_cdef_find(c->s, tok);
			if (!t)
				t = sema_named_type(c->s, tok, here(c)); /* a kernel typedef, or an error naming it */
			if (!t)
				return c->failed = true, NULL;
			c->i++;
		} else {
			break;
		}
	}
	if (nw == 1 && !strcmp(words[0], "void"))
		return type_new(c->s->arena, ET_VOID, 0);
	if (nw)
		return basic_int(c->s, words, nw);
	if (!t)
		fail(c, "expected a type", peek(c, 0));
	return t;
}

/* A struct named only (`struct node`), not defined here: the script's definition, else a stub that a
 * pointer may point to; by value it must come from BTF (resolved by complete()). */
static struct et_type *named_record(struct cparse *c, const char *kw, const char *tag)
{
	char name[160];
	struct et_type *t;

	snprintf(name, sizeof(name), "%s %s", kw, tag);
	t = sema_cdef_find(c->s, name);
	if (t)
		return t;
	t = type_new(c->s->arena, ET_STRUCT, 0);
	t->name = arena_strdup(c->s->arena, name);
	return t;
}

/* A type used by value must be complete: a stub struct comes from the kernel's BTF, or is an error
 * naming it. */
static struct et_type *complete(struct cparse *c, struct et_type *t)
{
	if (t->kind == ET_STRUCT && !t->nfields && !t->size && !t->btf_id && t->name) {
		struct et_type *d = sema_cdef_find(c->s, t->name);

		if (!d || !d->nfields) {
			if (!strncmp(t->name, "enum ", 5))
				return t;
			d = sema_named_type(c->s, t->name, c->type_loc);
		}
		if (!d)
			c->failed = true;
		return d;
	}
	if (t->kind == ET_VOID)
		return fail(c, "a member cannot have type void", NULL), NULL;
	return t;
}

struct decl {
	const char *name; /* NULL: abstract or unnamed bitfield */
	struct et_type *type;
	int64_t width;    /* bitfield width, -1: not a bitfield */
	struct attrs a;
};

/* DECLARATOR: `* ... NAME [N]...`, `(* NAME)(PARAMS)` (a function pointer), `(* NAME)[N]`, then an
 * optional `: WIDTH` and attributes. */
static bool declarator(struct cparse *c, struct et_type *base, struct decl *d)
{
	uint32_t ptrs = 0;
	uint64_t dims[8];
	uint32_t ndims = 0;
	bool fnptr = false;

	d->name = NULL;
	d->width = -1;
	for (;;) {
		if (accept(c, "*"))
			ptrs++;
		else if (is_qualifier(peek(c, 0))) {
			if (space_word(peek(c, 0)))
				d->a.space = space_word(peek(c, 0));
			c->i++;
		}
		else if (!strncmp(peek(c, 0), "__attribute", 11)) {
			if (!attributes(c, &d->a))
				return false;
		} else
			break;
	}
	if (at(c, "(") && (!strcmp(peek(c, 1), "*") || !strcmp(peek(c, 1), "^"))) {
		/* (*name)(...) or (*name)[N]: a pointer; what it points to matters only for arrays */
		c->i += 2;
		while (accept(c, "*") || (is_qualifier(peek(c, 0)) && accept(c, peek(c, 0))))
			;
		if (is_ident(peek(c, 0)))
			d->name = arena_strdup(c->s->arena, peek(c, 0)), c->i++;
		if (at(c, "[")) {
			while (accept(c, "[")) { /* (*name[N])(...): an array of function pointers */
				int64_t n;

				if (!cexpr(c, 0, &n) || !expect(c, "]"))
					return false;
				if (ndims < 8)
					dims[ndims++] = (uint64_t)n;
			}
		}
		if (!expect(c, ")"))
			return false;
		if (at(c, "(")) {
			if (!skip_balanced(c))
				return false;
			fnptr = true;
		} else {
			return fail(c, "only function pointers may be parenthesised", peek(c, 0));
		}
	} else if (is_ident(peek(c, 0)) && !is_qualifier(peek(c, 0))) {
		d->name = arena_strdup(c->s->arena, peek(c, 0));
		c->i++;
	}
	if (at(c, "("))
		return fail(c, "a function is not a member; write a function pointer: TYPE (*NAME)(...)", d->name);
	if (!fnptr) {
		while (accept(c, "[")) {
			int64_t n = 0;

			if (!at(c, "]") && !cexpr(c, 0, &n))
				return false;
			if (!expect(c, "]"))
				return false;
			if (n < 0 || n > 65536)
				return fail(c, "an array size must be between 0 and 65536", NULL);
			if (ndims == sizeof(dims) / sizeof(dims[0]))
				return fail(c, "an array has too many dimensions", NULL);
			dims[ndims++] = (uint64_t)n;
		}
	}
	if (fnptr) {
		d->type = sema_pointer_to(c->s, type_new(c->s->arena, ET_VOID, 0), 1);
	} else if (ptrs) {
		d->type = sema_pointer_to(c->s, base, ptrs);
		d->type->space = d->a.space; /* `char __user *p`: p points into user memory */
	} else {
		d->type = base;
	}
	/* T name[A][B]: an array of A arrays of B T (the last dimension innermost); an array of 1-byte
	 * integers is a string, as bpftrace's clang-made BTF gives (see btf.c) */
	for (uint32_t k = ndims; k-- > 0;) {
		struct et_type *t = d->type, *arr;

		if (!fnptr && !ptrs && k == ndims - 1) {
			t = complete(c, t);
			if (!t)
				return false;
		}
		if ((uint64_t)t->size * dims[k] > (1u << 24))
			return fail(c, "an array member is too large", d->name);
		if (k == ndims - 1 && t->kind == ET_INT && t->size == 1 && !t->nfields && dims[k]) {
			d->type = type_string(c->s->arena, (uint32_t)dims[k]);
			continue;
		}
		arr = type_new(c->s->arena, ET_ARRAY, t->size * (uint32_t)dims[k]);
		arr->elem = t;
		arr->count = (uint32_t)dims[k];
		d->type = arr;
	}
	if (accept(c, ":")) {
		if (!cexpr(c, 0, &d->width))
			return false;
		if (d->type->kind != ET_INT && d->type->kind != ET_BOOL)
			return fail(c, "a bitfield must have an integer type", d->name);
		if (d->width < 0 || d->width > (int64_t)d->type->size * 8)
			return fail(c, "a bitfield's width exceeds its type", NULL);
		if (d->width == 0 && d->name)
			return fail(c, "a named bitfield cannot have width 0", d->name);
	}
	return attributes(c, &d->a);
}

struct rmember {
	struct decl d;
	bool anon;        /* an unnamed struct/union whose fields belong to the parent */
};

static void push_field(struct sema *s, struct et_type *st, uint32_t *cap, struct et_field f)
{
	if (st->nfields == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 8;

		st->fields = arena_grow(s->arena, st->fields, *cap, ncap, sizeof(*st->fields));
		*cap = ncap;
	}
	st->fields[st->nfields++] = f;
}

/* Lay out the members of st (System V rules, see the header). */
static void layout(struct cparse *c, struct et_type *st, bool is_union, struct rmember *m, uint32_t nm,
		   const struct attrs *sa)
{
	uint64_t pos = 0, end = 0; /* bits */
	uint32_t maxa = 1, cap = 0;

	for (uint32_t i = 0; i < nm; i++) {
		struct et_type *t = m[i].d.type;
		uint32_t natural = align_of(c->s, t);
		uint32_t a = sa->packed || m[i].d.a.packed ? 1 : natural;
		struct et_field f = {0};

		if (m[i].d.a.aligned > a)
			a = m[i].d.a.aligned;
		if (is_union)
			pos = 0;
		if (m[i].d.width >= 0) {
			uint64_t unit = (uint64_t)t->size * 8, w = (uint64_t)m[i].d.width;

			if (w == 0) { /* `int : 0`: the next bitfield starts a new unit */
				pos = (pos + unit - 1) / unit * unit;
				continue;
			}
			if (!sa->packed && !m[i].d.a.packed && pos / unit != (pos + w - 1) / unit)
				pos = (pos + unit - 1) / unit * unit;
			if (m[i].d.name) {
				f.name = m[i].d.name;
				f.type = t;
				f.offset = (uint32_t)(pos / 8 / t->size * t->size);
				f.bit_offset = (uint32_t)(pos - (uint64_t)f.offset * 8);
				if (f.bit_offset + w > unit) { /* straddles its unit (packed): from its first byte */
					f.offset = (uint32_t)(pos / 8);
					f.bit_offset = (uint32_t)(pos % 8);
				}
				f.bit_size = (uint32_t)w;
				push_field(c->s, st, &cap, f);
				if (a > maxa)
					maxa = a;
			}
			pos += w;
		} else {
			pos = (pos + (uint64_t)a * 8 - 1) / ((uint64_t)a * 8) * ((uint64_t)a * 8);
			if (m[i].anon) {
				for (uint32_t k = 0; k < t->nfields; k++) {
					f = t->fields[k];
					f.offset += (uint32_t)(pos / 8);
					push_field(c->s, st, &cap, f);
				}
			} else {
				f.name = m[i].d.name;
				f.type = t;
				f.offset = (uint32_t)(pos / 8);
				push_field(c->s, st, &cap, f);
			}
			pos += (uint64_t)t->size * 8;
			if (a > maxa)
				maxa = a;
		}
		if (pos > end)
			end = pos;
	}
	if (sa->aligned > maxa)
		maxa = sa->aligned;
	if (sa->packed && !sa->aligned)
		maxa = 1;
	st->size = (uint32_t)(((end + 7) / 8 + maxa - 1) / maxa * maxa);
	define(c->s, NULL, st)->align = maxa;
}

/* struct/union [attrs] [TAG] [{ MEMBERS }] [attrs] (after the keyword) */
static struct et_type *record(struct cparse *c, bool is_union, struct attrs *outer)
{
	const char *kw = is_union ? "union" : "struct";
	struct attrs sa = {0};
	struct rmember *m = NULL;
	uint32_t nm = 0, cap = 0;
	const char *tag = NULL;
	struct et_type *st;
	char name[160];

	if (!attributes(c, &sa))
		return NULL;
	if (is_ident(peek(c, 0)))
		tag = peek(c, 0), c->i++;
	if (!attributes(c, &sa))
		return NULL;
	if (!at(c, "{")) {
		if (!tag)
			return fail(c, "expected a name or '{' after struct", peek(c, 0)), NULL;
		return named_record(c, kw, tag);
	}
	c->i++;
	while (!accept(c, "}")) {
		struct et_type *base;
		struct attrs ma = {0};

		if (c->i >= c->n)
			return fail(c, "missing '}'", NULL), NULL;
		if (accept(c, ";"))
			continue;
		base = specifiers(c, &ma);
		if (!base)
			return NULL;
		if (at(c, ";") || at(c, "}")) {
			/* no declarator: an anonymous struct/union is flattened; a tagged definition only
			 * declares its tag (as in C) */
			if (base->kind == ET_STRUCT && base->name && (!strcmp(base->name, "struct") ||
								   !strcmp(base->name, "union"))) {
				if (nm == cap) {
					uint32_t ncap = cap ? cap * 2 : 8;

					m = arena_grow(c->s->arena, m, cap, ncap, sizeof(*m));
					cap = ncap;
				}
				memset(&m[nm], 0, sizeof(m[nm]));
				m[nm].d.type = base;
				m[nm].d.width = -1;
				m[nm].d.a = ma;
				m[nm++].anon = true;
			}
			accept(c, ";");
			continue;
		}
		for (;;) {
			struct decl d = {0};

			d.a = ma;
			if (!declarator(c, base, &d))
				return NULL;
			if (!d.name && d.width < 0)
				return fail(c, "expected a member name", peek(c, 0)), NULL;
			if (d.width < 0 && !(d.type = complete(c, d.type)))
				return NULL;
			if (nm == cap) {
				uint32_t ncap = cap ? cap * 2 : 8;

				m = arena_grow(c->s->arena, m, cap, ncap, sizeof(*m));
				cap = ncap;
			}
			memset(&m[nm], 0, sizeof(m[nm]));
			m[nm++].d = d;
			if (!accept(c, ","))
				break;
		}
		if (!at(c, "}") && !expect(c, ";")) /* clang accepts a missing ';' before '}' */
			return NULL;
	}
	if (!attributes(c, &sa))
		return NULL;
	if (outer)
		sa.packed |= outer->packed;
	st = type_new(c->s->arena, ET_STRUCT, 0);
	if (tag) {
		snprintf(name, sizeof(name), "%s %s", kw, tag);
		st->name = arena_strdup(c->s->arena, name);
	} else {
		st->name = kw;
	}
	layout(c, st, is_union, m, nm, &sa);
	if (tag)
		define(c->s, st->name, st)->align = align_of(c->s, st);
	return st;
}

/* enum [TAG] [{ A [= EXPR], ... }] (after the keyword) */
static struct et_type *enumeration(struct cparse *c)
{
	struct attrs a = {0};
	const char *tag = NULL;
	struct et_type *t;
	char name[160];
	uint32_t n = 0, cap = 0;
	int64_t next = 0, lo = 0, hi = 0;

	if (!attributes(c, &a))
		return NULL;
	if (is_ident(peek(c, 0)))
		tag = peek(c, 0), c->i++;
	snprintf(name, sizeof(name), "enum %s", tag ? tag : "");
	if (!at(c, "{")) {
		if (!tag)
			return fail(c, "expected a name or '{' after enum", peek(c, 0)), NULL;
		t = sema_cdef_find(c->s, name);
		if (!t)
			t = sema_named_type(c->s, name, loc_join(c->tl[c->i - 2], c->tl[c->i - 1]));
		if (!t)
			c->failed = true;
		return t;
	}
	c->i++;
	t = type_int(c->s->arena, 4, false);
	t->name = arena_strdup(c->s->arena, tag ? name : "enum");
	while (!accept(c, "}")) {
		const char *en = peek(c, 0);
		struct et_field *f;
		struct cdef *d;

		if (!is_ident(en))
			return fail(c, "expected an enumerator", *en ? en : "the end"), NULL;
		c->i++;
		if (!attributes(c, &a))
			return NULL;
		if (accept(c, "=") && !cexpr(c, 0, &next))
			return NULL;
		if (n == cap) {
			uint32_t ncap = cap ? cap * 2 : 8;

			t->fields = arena_grow(c->s->arena, t->fields, cap, ncap, sizeof(*t->fields));
			cap = ncap;
		}
		f = &t->fields[n++];
		memset(f, 0, sizeof(*f));
		f->name = arena_strdup(c->s->arena, en);
		f->offset = (uint32_t)(uint64_t)next;
		f->bit_offset = (uint32_t)((uint64_t)next >> 32);
		t->nfields = n;
		d = define(c->s, en, t);
		d->is_const = true;
		d->value = next;
		lo = next < lo ? next : lo;
		hi = next > hi ? next : hi;
		next++;
		if (!at(c, "}") && !expect(c, ","))
			return NULL;
	}
	/* GCC and clang: unsigned int unless a value is negative; 8 bytes when int cannot hold them all */
	t->is_signed = lo < 0;
	if ((lo < 0 && (lo < INT32_MIN || hi > INT32_MAX)) || (lo >= 0 && (uint64_t)hi > UINT32_MAX))
		t->size = 8;
	if (!attributes(c, &a))
		return NULL;
	if (tag)
		define(c->s, t->name, t);
	return t;
}

static void cdef_item(struct cparse *c)
{
	struct attrs a = {0};
	struct et_type *base;
	bool is_typedef;

	is_typedef = accept(c, "typedef");
	base = specifiers(c, &a);
	if (!base)
		return;
	if (!is_typedef) {
		/* struct X {...}; / struct X; / enum E {...}; (a variable is not a type definition) */
		if (c->i < c->n && !at(c, ";"))
			fail(c, "a definition names no variables: write `struct NAME { ... };`", peek(c, 0));
		if (base->kind == ET_STRUCT && base->name && !strchr(base->name, ' ') && !c->failed)
			fail(c, "an anonymous struct or union needs a typedef name", NULL);
		return;
	}
	for (;;) {
		struct decl d = {.a = a};

		if (!declarator(c, base, &d))
			return;
		if (!d.name) {
			fail(c, "expected the typedef's name", peek(c, 0));
			return;
		}
		if (d.type->kind == ET_STRUCT && d.type->name &&
		    (!strcmp(d.type->name, "struct") || !strcmp(d.type->name, "union")))
			d.type->name = d.name; /* typedef struct { ... } name: bpftrace names it `name` */
		define(c->s, d.name, d.type);
		if (!accept(c, ","))
			break;
	}
	if (c->i < c->n && !at(c, ";"))
		fail(c, "unexpected text after the definition", peek(c, 0));
}

/* After an error in a definition, the names it meant to define (`struct TAG`, `enum TAG`, a typedef's
 * last name) are marked failed: their uses report nothing more (sema_named_type), where the kernel's
 * BTF lookup would say "unknown type" of a type the script does define. */
static void mark_failed(struct cparse *c)
{
	uint32_t i = c->n && !strcmp(c->t[0], "typedef") ? 1 : 0;
	char name[160];
	int depth = 0;
	const char *last = NULL;

	if (i + 1 < c->n && (!strcmp(c->t[i], "struct") || !strcmp(c->t[i], "union") || !strcmp(c->t[i], "enum")) &&
	    is_ident(c->t[i + 1])) {
		snprintf(name, sizeof(name), "%s %s", c->t[i], c->t[i + 1]);
		if (!sema_cdef_find(c->s, name))
			define(c->s, name, NULL)->failed = true;
	}
	if (i == 0)
		return;
	for (uint32_t k = 1; k < c->n; k++) {
		depth += !strcmp(c->t[k], "{") || !strcmp(c->t[k], "(") || !strcmp(c->t[k], "[");
		depth -= !strcmp(c->t[k], "}") || !strcmp(c->t[k], ")") || !strcmp(c->t[k], "]");
		if (depth == 0 && is_ident(c->t[k]) && strcmp(c->t[k], "__attribute__"))
			last = c->t[k];
	}
	if (last && !sema_cdef_find(c->s, last))
		define(c->s, last, NULL)->failed = true;
}

void sema_cdef_item(struct sema *s, struct ast_node *n)
{
	struct cparse c = {.s = s, .loc = n->loc};
	unsigned errors = diag_error_count(s->diag);

	tokenize(&c, n->u.raw.text);
	cdef_item(&c);
	if (c.failed || diag_error_count(s->diag) != errors)
		mark_failed(&c);
}
