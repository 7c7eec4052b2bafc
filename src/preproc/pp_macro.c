/* pp_macro: the macro table and macro expansion (contract in pp_int.h).
 *
 * The table maps a name to its newest definition; older ones (before an #undef or a redefinition) hang
 * off it, each with the positions [from, to) it applies to, so that the scanner, which reads a script
 * after its directives ran, looks an identifier up as of where it stands.
 *
 * Expansion follows Prosser's algorithm as C17 6.10.3 describes it (the one chibicc implements): every
 * token carries a hide set, the names it came through; a name in its own token's hide set does not
 * expand. Arguments are expanded fully before substitution, except next to '#' and '##'. Tokens are
 * read from a stream: a list (a macro's expansion pushed in front) and, when that is exhausted, an
 * optional pp_lexer on the script (a function-like macro's arguments). */
#include <stdio.h>
#include <string.h>

#include "preproc/pp_int.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/strtab.h"

const char *pp_intern(struct pp_state *st, const char *s, size_t n)
{
	return strtab_intern(st->strtab, s, n);
}

struct pp_tok *pp_tok_copy(struct pp_state *st, const struct pp_tok *t)
{
	struct pp_tok *c = arena_alloc(st->arena, sizeof(*c));
	*c = *t;
	c->next = NULL;
	return c;
}

/* ---- the table ---- */

static uint32_t slot_of(const struct pp_table *t, const char *name)
{
	uintptr_t h = (uintptr_t)name;
	h ^= h >> 17;
	h *= 0x9e3779b1u;
	uint32_t i = (uint32_t)(h ^ (h >> 15)) & (t->cap - 1);
	while (t->slots[i] && t->slots[i]->name != name)
		i = (i + 1) & (t->cap - 1);
	return i;
}

struct pp_macro *pp_table_find(const struct pp_table *t, const char *name, uint64_t pos)
{
	if (!t->cap)
		return NULL;
	for (struct pp_macro *m = t->slots[slot_of(t, name)]; m; m = m->older)
		if (m->from <= pos && pos < m->to)
			return m;
	return NULL;
}

void pp_table_define(struct pp_state *st, struct pp_table *t, struct pp_macro *m, bool user)
{
	if (t->count * 2 >= t->cap) {
		struct pp_macro **old = t->slots;
		uint32_t oldcap = t->cap;
		t->cap = oldcap ? oldcap * 2 : 256;
		t->slots = arena_alloc(st->arena, t->cap * sizeof(*t->slots));
		for (uint32_t i = 0; i < oldcap; i++)
			if (old[i])
				t->slots[slot_of(t, old[i]->name)] = old[i];
	}
	uint32_t i = slot_of(t, m->name);
	struct pp_macro *prev = t->slots[i];
	if (prev && prev->to == PP_POS_END)
		prev->to = st->pos;
	if (!prev)
		t->count++;
	m->older = prev;
	m->from = st->pos;
	m->to = PP_POS_END;
	t->slots[i] = m;
	if (user)
		st->user_count++;
}

void pp_table_undef(struct pp_state *st, struct pp_table *t, const char *name)
{
	if (!t->cap)
		return;
	struct pp_macro *m = t->slots[slot_of(t, name)];
	if (m && m->to == PP_POS_END)
		m->to = st->pos;
}

struct pp_tok *pp_enum_value(struct pp_state *st, const char *name, uint64_t pos, struct et_loc loc)
{
	struct pp_macro *m = pp_table_find(&st->enums, name, pos);
	if (!m)
		return NULL;
	struct pp_tok *t = pp_tok_copy(st, m->body);
	t->loc = loc;
	return t;
}

/* ---- hide sets ---- */

static bool hs_has(const struct pp_hideset *hs, const char *name)
{
	for (; hs; hs = hs->next)
		if (hs->name == name)
			return true;
	return false;
}

static struct pp_hideset *hs_add(struct pp_state *st, struct pp_hideset *hs, const char *name)
{
	if (hs_has(hs, name))
		return hs;
	struct pp_hideset *n = arena_alloc(st->arena, sizeof(*n));
	n->name = name;
	n->next = hs;
	return n;
}

static struct pp_hideset *hs_union(struct pp_state *st, struct pp_hideset *a, const struct pp_hideset *b)
{
	for (; b; b = b->next)
		a = hs_add(st, a, b->name);
	return a;
}

static struct pp_hideset *hs_intersect(struct pp_state *st, const struct pp_hideset *a, const struct pp_hideset *b)
{
	struct pp_hideset *r = NULL;
	for (; a; a = a->next)
		if (hs_has(b, a->name))
			r = hs_add(st, r, a->name);
	return r;
}

#define PP_MAX_EXPANSION 200000u

/* ---- token streams ---- */

struct stream {
	struct pp_tok *head;
	struct pp_lexer *lx; /* more tokens once head is exhausted; NULL: none */
	struct pp_tok *peeked; /* read from lx, not yet taken */
	size_t peek_off;       /* lx's offset before peeked */
};

static struct pp_tok *peek(struct pp_state *st, struct stream *s)
{
	if (s->head)
		return s->head;
	if (!s->lx)
		return NULL;
	if (!s->peeked) {
		struct pp_tok t;
		size_t off = s->lx->off;
		s->peek_off = off;
		pp_lex_next(s->lx, &t);
		if (t.kind == PP_EOL) {
			s->lx->off = off;
			return NULL;
		}
		s->peeked = pp_tok_copy(st, &t);
	}
	return s->peeked;
}

static struct pp_tok *take(struct pp_state *st, struct stream *s)
{
	struct pp_tok *t = peek(st, s);
	if (!t)
		return NULL;
	if (t == s->head)
		s->head = t->next;
	else
		s->peeked = NULL;
	t->next = NULL;
	return t;
}

struct list {
	struct pp_tok *first, *last;
};

static void append(struct list *l, struct pp_tok *t)
{
	t->next = NULL;
	if (l->last)
		l->last->next = t;
	else
		l->first = t;
	l->last = t;
}

/* Append t and the tokens linked after it. */
static void append_all(struct list *l, struct pp_tok *t)
{
	while (t) {
		struct pp_tok *n = t->next;

		append(l, t);
		t = n;
	}
}

/* Unlink the last token of l (not empty). */
static void drop_last(struct list *l)
{
	struct pp_tok *p = l->first;

	if (p == l->last) {
		l->first = l->last = NULL;
		return;
	}
	while (p->next != l->last)
		p = p->next;
	p->next = NULL;
	l->last = p;
}

static bool is_punct(const struct pp_tok *t, const char *p)
{
	return t && t->kind == PP_PUNCT && t->len == strlen(p) && memcmp(t->s, p, t->len) == 0;
}

/* ---- expansion ---- */

struct args {
	struct pp_tok **raw; /* each argument's tokens as written */
	uint32_t n;
};

static int param_index(const struct pp_macro *m, const struct pp_tok *t, const char *name)
{
	if (t->kind != PP_IDENT || !m->fn)
		return -1;
	for (uint32_t i = 0; i < m->nparams; i++)
		if (m->params[i] == name)
			return (int)i;
	return -1;
}

/* The arguments of m after its '(' (taken already). The closing ')' is stored in *rparen. */
static bool read_args(struct pp_state *st, struct stream *s, const struct pp_macro *m, struct et_loc at,
		      struct args *a, struct pp_tok **rparen)
{
	uint32_t cap = m->nparams > 0 ? m->nparams : 1;
	struct list cur = { 0 };
	int depth = 0;

	a->raw = arena_alloc(st->arena, (cap + 1) * sizeof(*a->raw));
	a->n = 0;
	for (;;) {
		struct pp_tok *t = take(st, s);
		if (!t) {
			diag_error(st->diag, at, "unterminated argument list invoking macro '%s'", m->name);
			diag_hint(st->diag, "close the macro's arguments with ')'");
			return false;
		}
		if (depth == 0 && is_punct(t, ")")) {
			*rparen = t;
			break;
		}
		bool last_variadic = m->variadic && a->n + 1 >= m->nparams;
		if (depth == 0 && is_punct(t, ",") && !last_variadic) {
			if (a->n + 1 >= cap) {
				a->raw = arena_grow(st->arena, a->raw, cap + 1, cap * 2 + 1, sizeof(*a->raw));
				cap *= 2;
			}
			a->raw[a->n++] = cur.first;
			cur.first = cur.last = NULL;
			continue;
		}
		if (is_punct(t, "("))
			depth++;
		else if (is_punct(t, ")"))
			depth--;
		append(&cur, t);
	}
	a->raw[a->n++] = cur.first;
	/* F() for a macro of no parameters has no argument, not one empty one */
	if (m->nparams == 0 && a->n == 1 && !a->raw[0])
		a->n = 0;
	/* a variadic macro may be given no variadic argument */
	if (m->variadic && a->n + 1 == m->nparams)
		a->raw[a->n++] = NULL;
	if (a->n != m->nparams) {
		diag_error(st->diag, at, "macro '%s' takes %u argument%s, %u given", m->name, m->nparams,
			   m->nparams == 1 ? "" : "s", a->n);
		diag_hint(st->diag, "pass one argument per parameter of the #define");
		return false;
	}
	return true;
}

static struct pp_tok *copy_list(struct pp_state *st, const struct pp_tok *l)
{
	struct list out = { 0 };
	for (; l; l = l->next)
		append(&out, pp_tok_copy(st, l));
	return out.first;
}

static struct pp_tok *expand_stream(struct pp_state *st, struct stream *s, uint64_t pos, bool until_empty);

static struct pp_tok *expand_arg(struct pp_state *st, const struct pp_tok *raw, uint64_t pos)
{
	struct stream s = { .head = copy_list(st, raw) };
	if (st->arg_depth >= 200) {
		if (st->budget >= 0 && raw) {
			diag_error(st->diag, raw->loc, "macro calls are nested too deeply in arguments (more than 200)");
			diag_hint(st->diag, "split the expression into smaller ones");
		}
		st->budget = -(int64_t)PP_MAX_EXPANSION - 1; /* stop expanding; reported once */
		return s.head;
	}
	st->arg_depth++;
	struct pp_tok *r = expand_stream(st, &s, pos, false);
	st->arg_depth--;
	return r;
}

/* '#' param: a string literal of the argument's spelling (C17 6.10.3.2). */
static struct pp_tok *stringize(struct pp_state *st, const struct pp_tok *arg, const struct pp_tok *like)
{
	size_t n = 3;
	for (const struct pp_tok *t = arg; t; t = t->next)
		n += 2 * t->len + 1;
	char *buf = arena_alloc(st->arena, n);
	size_t o = 0;
	buf[o++] = '"';
	for (const struct pp_tok *t = arg; t; t = t->next) {
		if (t != arg && t->space)
			buf[o++] = ' ';
		for (uint32_t i = 0; i < t->len; i++) {
			char c = t->s[i];
			if ((t->kind == PP_STRING || t->kind == PP_CHAR) && (c == '"' || c == '\\'))
				buf[o++] = '\\';
			buf[o++] = c;
		}
	}
	buf[o++] = '"';
	struct pp_tok *r = pp_tok_copy(st, like);
	r->kind = PP_STRING;
	r->s = buf;
	r->len = (uint32_t)o;
	return r;
}

/* a ## b: the token spelled by both; more than one token is an error, reported at `at` */
static struct pp_tok *paste(struct pp_state *st, const struct pp_tok *a, const struct pp_tok *b)
{
	char *buf = arena_alloc(st->arena, a->len + b->len + 1);
	memcpy(buf, a->s, a->len);
	memcpy(buf + a->len, b->s, b->len);
	struct pp_lexer lx = { .text = buf, .len = a->len + b->len, .file = a->loc.file, .line = a->loc.line };
	struct pp_tok t, rest;
	pp_lex_next(&lx, &t);
	pp_lex_next(&lx, &rest);
	if (rest.kind != PP_EOL || t.len != a->len + b->len) {
		diag_error(st->diag, a->loc, "pasting '%.*s' and '%.*s' does not give a valid token", (int)a->len, a->s,
			   (int)b->len, b->s);
		diag_hint(st->diag, "'##' must join two pieces into one name, number or operator");
	}
	struct pp_tok *r = pp_tok_copy(st, a);
	r->kind = t.kind == PP_EOL ? PP_OTHER : t.kind;
	r->s = buf;
	r->len = a->len + b->len;
	return r;
}

/* The body of m with its parameters replaced (C17 6.10.3.1-3). */
static struct pp_tok *substitute(struct pp_state *st, const struct pp_macro *m, const struct args *a, uint64_t pos)
{
	struct list out = { 0 };
	for (const struct pp_tok *t = m->body; t; t = t->next) {
		/* # param */
		if (is_punct(t, "#") && t->next) {
			int k = param_index(m, t->next, t->next->s ? pp_intern(st, t->next->s, t->next->len) : NULL);
			if (k >= 0) {
				struct pp_tok *str = stringize(st, a->raw[k], t);
				append(&out, str);
				t = t->next;
				continue;
			}
		}
		/* x ## y: the left side is out.last */
		if (is_punct(t, "##") && t->next) {
			const struct pp_tok *rhs = t->next;
			int k = param_index(m, rhs, pp_intern(st, rhs->s, rhs->len));
			struct pp_tok *right = k >= 0 ? copy_list(st, a->raw[k]) : pp_tok_copy(st, rhs);
			t = rhs;
			/* GNU: , ## __VA_ARGS__ drops the comma when there are no variadic arguments */
			if (k >= 0 && m->variadic && (uint32_t)k == m->nparams - 1 && !right && out.last &&
			    is_punct(out.last, ",")) {
				drop_last(&out);
				continue;
			}
			if (!right)
				continue;
			if (!out.last) {
				append_all(&out, right);
				continue;
			}
			struct pp_tok *joined = paste(st, out.last, right);
			/* replace out.last by joined */
			drop_last(&out);
			append(&out, joined);
			append_all(&out, right->next);
			continue;
		}
		int k = param_index(m, t, pp_intern(st, t->s, t->len));
		if (k >= 0) {
			/* param ## y: the raw argument */
			struct pp_tok *arg = is_punct(t->next, "##") ? copy_list(st, a->raw[k]) : expand_arg(st, a->raw[k], pos);
			if (arg)
				arg->space = t->space;
			append_all(&out, arg);
			continue;
		}
		append(&out, pp_tok_copy(st, t));
	}
	return out.first;
}

/* Expand the macro named by t (taken from s), pushing its expansion in front of s. False when t does
 * not expand here. */
static bool expand_one(struct pp_state *st, struct stream *s, struct pp_tok *t, uint64_t pos)
{
	if (t->kind != PP_IDENT || t->noexpand)
		return false;
	const char *name = pp_intern(st, t->s, t->len);
	struct pp_macro *m = pp_macro_find(st, name, pos);
	if (!m)
		return false;
	if (hs_has(t->hs, name)) {
		t->noexpand = true;
		return false;
	}
	struct pp_tok *body;
	struct pp_hideset *hs;
	if (!m->fn) {
		body = copy_list(st, m->body);
		hs = hs_add(st, t->hs, name);
	} else {
		struct pp_tok *lp = peek(st, s);
		if (!is_punct(lp, "("))
			return false;
		take(st, s);
		struct args a;
		struct pp_tok *rparen = NULL;
		if (!read_args(st, s, m, t->loc, &a, &rparen)) {
			return true; /* expands to nothing; the error is reported */
		}
		body = substitute(st, m, &a, pos);
		hs = hs_add(st, hs_intersect(st, t->hs, rparen->hs), name);
	}
	struct pp_tok *last = NULL;
	for (struct pp_tok *b = body; b; b = b->next) {
		b->hs = b->hs ? hs_union(st, b->hs, hs) : hs;
		b->loc = t->loc;
		last = b;
		st->budget--;
	}
	if (st->budget < 0) {
		if (st->budget > -(int64_t)PP_MAX_EXPANSION) { /* once */
			diag_error(st->diag, t->loc, "this macro's expansion is too large (over %u tokens)", PP_MAX_EXPANSION);
			diag_hint(st->diag, "a macro that uses another twice at each level doubles: simplify the macros");
		}
		st->budget = -(int64_t)PP_MAX_EXPANSION - 1;
		return true; /* expands to nothing */
	}
	if (body)
		body->space = t->space;
	if (last) {
		last->next = s->head;
		s->head = body;
	}
	return true;
}

/* Expand the tokens of s: all of them, or (until_empty) until the list part is exhausted, reading from
 * the lexer only for a function-like macro's arguments. */
static struct pp_tok *expand_stream(struct pp_state *st, struct stream *s, uint64_t pos, bool until_empty)
{
	struct list out = { 0 };
	for (;;) {
		if (until_empty && !s->head)
			break;
		struct pp_tok *t = take(st, s);
		if (!t)
			break;
		if (expand_one(st, s, t, pos))
			continue;
		append(&out, t);
	}
	return out.first;
}

struct pp_tok *pp_expand_list(struct pp_state *st, struct pp_tok *list)
{
	st->budget = PP_MAX_EXPANSION;
	struct stream s = { .head = list };
	return expand_stream(st, &s, PP_POS_END - 1, false);
}

struct pp_tok *pp_expand_from(struct pp_state *st, struct pp_tok *first, struct pp_lexer *lx, uint64_t pos,
			      bool *none)
{
	struct stream s = { .head = NULL, .lx = lx };
	*none = false;
	st->budget = PP_MAX_EXPANSION;
	first->next = NULL;
	if (!expand_one(st, &s, first, pos)) {
		*none = true;
		return NULL;
	}
	struct pp_tok *r = expand_stream(st, &s, pos, true);
	if (s.peeked)
		lx->off = s.peek_off; /* looked at, not used: the scanner reads it */
	return r;
}
