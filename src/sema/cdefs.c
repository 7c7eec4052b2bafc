/* cdefs: the C type definitions written in a script (AST_C_DEF), for the simple cases users write:
 *   struct NAME { MEMBER; ... };            typedef struct [NAME] { MEMBER; ... } ALIAS;
 * where each MEMBER is `TYPE [*...] NAME [ [N] ]` and TYPE an integer type (char, short, int, long,
 * unsigned..., u8..u64, __u32..., size_t...), `struct X` (defined earlier in the script or in the
 * kernel's BTF) or any pointer. Fields are laid out with C's natural alignment. No clang: anything
 * beyond this (unions, enums, bitfields, nested definitions, function pointers, macros) is reported
 * with a hint that kernel types come from BTF. Internal to src/sema (sema_int.h); types in s->arena. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"
#include "sema/sema_int.h"

struct cdef {
	const char *name; /* "struct sock_info" or a typedef name */
	struct et_type *type;
	struct cdef *next;
};

struct et_type *sema_cdef_find(struct sema *s, const char *name)
{
	for (struct cdef *d = s->cdefs; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d->type;
	return NULL;
}

/* ---- tokens: identifiers, numbers, punctuation; comments skipped ---- */

#define CDEF_MAX_TOKS 1024

struct ctoks {
	char t[CDEF_MAX_TOKS][64];
	uint32_t n, i;
};

static bool tokenize(const char *p, struct ctoks *c)
{
	c->n = c->i = 0;
	for (;;) {
		size_t n = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		if (!*p)
			return true;
		if (c->n == CDEF_MAX_TOKS)
			return false;
		if (isalnum((unsigned char)*p) || *p == '_') {
			while ((isalnum((unsigned char)*p) || *p == '_') && n < 63)
				c->t[c->n][n++] = *p++;
		} else {
			c->t[c->n][n++] = *p++;
		}
		c->t[c->n++][n] = 0;
	}
}

static const char *peek(const struct ctoks *c, uint32_t k)
{
	return c->i + k < c->n ? c->t[c->i + k] : "";
}

static bool at(const struct ctoks *c, const char *t)
{
	return strcmp(peek(c, 0), t) == 0;
}

static bool is_ident(const char *t)
{
	return isalpha((unsigned char)t[0]) || t[0] == '_';
}

static struct et_type *c_int(struct sema *s, const char *words)
{
	static const struct { const char *name; uint8_t size; bool is_signed; } ints[] = {
		{"char", 1, true}, {"signed char", 1, true}, {"unsigned char", 1, false}, {"short", 2, true},
		{"short int", 2, true}, {"unsigned short", 2, false}, {"unsigned short int", 2, false},
		{"int", 4, true}, {"signed", 4, true}, {"signed int", 4, true}, {"unsigned", 4, false},
		{"unsigned int", 4, false}, {"long", 8, true}, {"long int", 8, true}, {"unsigned long", 8, false},
		{"unsigned long int", 8, false}, {"long long", 8, true}, {"unsigned long long", 8, false},
		{"bool", 1, false}, {"_Bool", 1, false},
		{"u8", 1, false}, {"u16", 2, false}, {"u32", 4, false}, {"u64", 8, false},
		{"s8", 1, true}, {"s16", 2, true}, {"s32", 4, true}, {"s64", 8, true},
		{"__u8", 1, false}, {"__u16", 2, false}, {"__u32", 4, false}, {"__u64", 8, false},
		{"__s8", 1, true}, {"__s16", 2, true}, {"__s32", 4, true}, {"__s64", 8, true},
		{"uint8_t", 1, false}, {"uint16_t", 2, false}, {"uint32_t", 4, false}, {"uint64_t", 8, false},
		{"int8_t", 1, true}, {"int16_t", 2, true}, {"int32_t", 4, true}, {"int64_t", 8, true},
		{"size_t", 8, false}, {"ssize_t", 8, true}, {"pid_t", 4, true}, {"uid_t", 4, false},
		{"gid_t", 4, false},
	};

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcmp(words, ints[i].name) == 0) {
			struct et_type *t = type_int(s->arena, ints[i].size, ints[i].is_signed);

			t->name = arena_strdup(s->arena, words);
			return t;
		}
	return NULL;
}

static bool fail(struct sema *s, struct et_loc loc, const char *what, const char *tok)
{
	sema_error(s, loc, "etrace cannot use this C definition: %s%s%s%s", what, tok ? " ('" : "",
		   tok ? tok : "", tok ? "')" : "");
	sema_hint(s, "without clang, etrace reads only simple structs of integer, pointer and array fields; "
		     "kernel types need no definition because they come from the kernel's BTF");
	return false;
}

static uint32_t align_of(const struct et_type *t)
{
	if (t->kind == ET_ARRAY && t->elem)
		return align_of(t->elem);
	if (t->kind == ET_STRING)
		return 1;
	if (t->kind == ET_STRUCT) {
		uint32_t a = 1;

		for (uint32_t i = 0; i < t->nfields; i++) {
			uint32_t fa = align_of(t->fields[i].type);
			a = fa > a ? fa : a;
		}
		return a;
	}
	return t->size >= 8 ? 8 : t->size ? t->size : 1;
}

/* TYPE [*...] NAME [ [N] ] ;  appended to st's fields at its aligned offset. */
static bool member(struct sema *s, struct ctoks *c, struct et_loc loc, struct et_type *st, uint32_t *cap)
{
	char words[160] = "";
	struct et_type *base = NULL, *t;
	uint32_t ptrs = 0, a;
	const char *name;
	struct et_field *f;

	while (at(c, "const") || at(c, "volatile"))
		c->i++;
	if (at(c, "union") || at(c, "enum"))
		return fail(s, loc, "unions and enums in script definitions are not supported", peek(c, 0));
	if (at(c, "struct")) {
		c->i++;
		if (!is_ident(peek(c, 0)) || strcmp(peek(c, 1), "{") == 0)
			return fail(s, loc, "nested struct definitions are not supported", NULL);
		snprintf(words, sizeof(words), "struct %s", peek(c, 0));
		c->i++;
	} else {
		/* identifiers up to the member name: the last identifier before * [ ; is the name */
		while (is_ident(peek(c, 0)) && is_ident(peek(c, 1))) {
			if (strcmp(peek(c, 0), "const") && strcmp(peek(c, 0), "volatile")) {
				if (*words)
					strncat(words, " ", sizeof(words) - strlen(words) - 1);
				strncat(words, peek(c, 0), sizeof(words) - strlen(words) - 1);
			}
			c->i++;
		}
		if (is_ident(peek(c, 0)) && strcmp(peek(c, 1), "*") == 0) {
			if (*words)
				strncat(words, " ", sizeof(words) - strlen(words) - 1);
			strncat(words, peek(c, 0), sizeof(words) - strlen(words) - 1);
			c->i++;
		}
	}
	while (at(c, "*") || at(c, "const") || at(c, "volatile"))
		ptrs += at(c, "*") ? 1 : 0, c->i++;
	if (at(c, "("))
		return fail(s, loc, "function pointers are not supported", NULL);
	if (at(c, ":"))
		return fail(s, loc, "bitfields are not supported", NULL);
	if (!*words || !is_ident(peek(c, 0)))
		return fail(s, loc, "expected a member: TYPE NAME;", peek(c, 0));
	name = arena_strdup(s->arena, peek(c, 0));
	c->i++;
	if (ptrs) {
		base = c_int(s, words);
		if (!base)
			base = sema_cdef_find(s, words);
		if (!base && strncmp(words, "struct ", 7) == 0) {
			base = type_new(s->arena, ET_STRUCT, 0); /* pointed to only: its fields are not needed */
			base->name = arena_strdup(s->arena, words);
		}
		if (!base && strcmp(words, "void") == 0)
			base = type_new(s->arena, ET_VOID, 0);
		if (!base)
			base = sema_named_type(s, words, loc);
		if (!base)
			return false;
		t = sema_pointer_to(s, base, ptrs);
	} else {
		t = c_int(s, words);
		if (!t)
			t = sema_cdef_find(s, words);
		if (!t && strncmp(words, "struct ", 7) == 0)
			t = sema_named_type(s, words, loc);
		if (!t)
			return fail(s, loc, "unknown member type", words);
	}
	if (at(c, "[")) {
		/* T name[A][B]...: an array of A arrays of B ... T (the last dimension is the innermost); a
		 * char array is a string */
		unsigned long dims[8];
		uint32_t ndims = 0;
		uint64_t total = t->size;

		while (at(c, "[")) {
			char *end;
			unsigned long n = strtoul(peek(c, 1), &end, 0);

			if (*end || !n || n > 65536 || strcmp(peek(c, 2), "]") != 0)
				return fail(s, loc, "an array member needs a constant size", peek(c, 1));
			if (ndims == sizeof(dims) / sizeof(dims[0]))
				return fail(s, loc, "an array member has too many dimensions", NULL);
			total *= n;
			if (total > (1u << 24))
				return fail(s, loc, "an array member is too large", NULL);
			dims[ndims++] = n;
			c->i += 3;
		}
		for (uint32_t d = ndims; d-- > 0;) {
			/* 1-byte integers: a string, as bpftrace's clang-made BTF gives (see btf.c) */
			if (d == ndims - 1 && t->kind == ET_INT && t->size == 1 && !t->nfields) {
				t = type_string(s->arena, (uint32_t)dims[d]);
			} else {
				struct et_type *arr = type_new(s->arena, ET_ARRAY, t->size * (uint32_t)dims[d]);

				arr->elem = t;
				arr->count = (uint32_t)dims[d];
				t = arr;
			}
		}
	}
	if (at(c, ":"))
		return fail(s, loc, "bitfields are not supported", NULL);
	if (!at(c, ";"))
		return fail(s, loc, "expected ';' after a member", peek(c, 0));
	c->i++;
	if (st->nfields == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 8;

		st->fields = arena_grow(s->arena, st->fields, *cap, ncap, sizeof(*st->fields));
		*cap = ncap;
	}
	a = align_of(t);
	f = &st->fields[st->nfields++];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->type = t;
	f->offset = (st->size + a - 1) / a * a;
	st->size = f->offset + t->size;
	return true;
}

/* struct NAME { MEMBERS } */
static struct et_type *body(struct sema *s, struct ctoks *c, struct et_loc loc, const char *name)
{
	struct et_type *st = type_new(s->arena, ET_STRUCT, 0);
	uint32_t cap = 0, a;

	st->name = name;
	if (!at(c, "{")) {
		fail(s, loc, "expected '{'", peek(c, 0));
		return NULL;
	}
	c->i++;
	while (!at(c, "}")) {
		if (c->i >= c->n) {
			fail(s, loc, "missing '}'", NULL);
			return NULL;
		}
		if (!member(s, c, loc, st, &cap))
			return NULL;
	}
	c->i++;
	a = align_of(st);
	st->size = (st->size + a - 1) / a * a;
	return st;
}

static void define(struct sema *s, const char *name, struct et_type *t)
{
	struct cdef *d = arena_alloc(s->arena, sizeof(*d));

	d->name = arena_strdup(s->arena, name);
	d->type = t;
	d->next = s->cdefs;
	s->cdefs = d;
}

void sema_cdef_item(struct sema *s, struct ast_node *n)
{
	struct ctoks *c = arena_alloc(s->arena, sizeof(*c));
	char sname[160];
	struct et_type *t;
	bool is_typedef = false;

	if (!tokenize(n->u.raw.text, c)) {
		fail(s, n->loc, "the definition is too long", NULL);
		return;
	}
	if (at(c, "typedef")) {
		is_typedef = true;
		c->i++;
	}
	if (!at(c, "struct")) {
		fail(s, n->loc, is_typedef ? "only `typedef struct ... NAME;` is supported"
					   : "only struct definitions are supported", peek(c, 0));
		return;
	}
	c->i++;
	*sname = 0;
	if (is_ident(peek(c, 0))) {
		snprintf(sname, sizeof(sname), "struct %s", peek(c, 0));
		c->i++;
	}
	if (is_typedef && *sname && is_ident(peek(c, 0)) && strcmp(peek(c, 1), ";") == 0) {
		/* typedef struct s alias; */
		t = sema_cdef_find(s, sname);
		if (!t)
			t = sema_named_type(s, sname, n->loc);
		if (t)
			define(s, peek(c, 0), t);
		return;
	}
	t = body(s, c, n->loc, *sname ? arena_strdup(s->arena, sname) : "struct");
	if (!t)
		return;
	if (*sname)
		define(s, sname, t);
	if (is_typedef) {
		if (!is_ident(peek(c, 0))) {
			fail(s, n->loc, "expected the typedef's name", peek(c, 0));
			return;
		}
		if (!*sname)
			t->name = arena_strdup(s->arena, peek(c, 0));
		define(s, peek(c, 0), t);
		c->i++;
	} else if (!*sname) {
		fail(s, n->loc, "an anonymous struct needs a typedef name", NULL);
		return;
	}
	if (c->i < c->n && !at(c, ";"))
		fail(s, n->loc, "unexpected text after the definition", peek(c, 0));
}
