/* pp_expr: the integer expression of #if and #elif (C17 6.10.1), over tokens already macro-expanded
 * and with `defined` already replaced. Values are intmax_t or uintmax_t (64 bits) with C's usual
 * conversions; an identifier left over is 0. Recursive descent, one function per precedence level.
 * Contract in pp_int.h. */
#include <stdlib.h>
#include <string.h>

#include "preproc/pp_int.h"
#include "support/diag.h"

struct val {
	uint64_t v;
	bool u; /* unsigned */
};

struct ev {
	struct pp_state *st;
	struct pp_tok *t;
	struct et_loc at; /* the end of the line, for "expected ..." there */
	bool ok;
	int skip; /* > 0: in the branch && || ?: do not evaluate (no division-by-zero error) */
	int depth; /* nested parentheses, unary operators and ?: (bounded: the evaluator recurses) */
};

#define PP_EXPR_MAX_DEPTH 256

static bool is(const struct ev *e, const char *p)
{
	return e->t && e->t->kind == PP_PUNCT && e->t->len == strlen(p) && memcmp(e->t->s, p, e->t->len) == 0;
}

static struct et_loc here(const struct ev *e)
{
	return e->t ? e->t->loc : e->at;
}

static void fail(struct ev *e, struct et_loc loc, const char *msg, const char *hint)
{
	if (!e->ok)
		return;
	e->ok = false;
	if (e->st->quiet)
		return;
	diag_error(e->st->diag, loc, "%s", msg);
	diag_hint(e->st->diag, "%s", hint);
}

static const char hint_expr[] = "#if takes an integer expression of numbers, macros, defined(NAME) and C's operators";

static struct val cond(struct ev *e);

static uint64_t char_value(struct ev *e, const struct pp_tok *t)
{
	const char *s = (const char *)memchr(t->s, '\'', t->len) + 1; /* after a prefix: L'x' */
	const char *end = t->s + t->len - 1;
	if (s < end && *s != '\\')
		return (unsigned char)*s;
	if (s + 1 >= end)
		return 0;
	s++;
	switch (*s) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		return strtoul(s, NULL, 8);
	case 'x': return strtoul(s + 1, NULL, 16);
	case 'a': return '\a';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'v': return '\v';
	default: (void)e; return (unsigned char)*s;
	}
}

static struct val number(struct ev *e, const struct pp_tok *t)
{
	char buf[80];
	struct val r = { 0, false };
	if (t->len >= sizeof(buf)) {
		fail(e, t->loc, "integer in #if is too long", hint_expr);
		return r;
	}
	memcpy(buf, t->s, t->len);
	buf[t->len] = 0;
	char *end;
	int base = 10;
	const char *p = buf;
	if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B')) {
		base = 2;
		p += 2;
	}
	r.v = strtoull(p, &end, base == 2 ? 2 : 0);
	for (; *end; end++) {
		if (*end == 'u' || *end == 'U')
			r.u = true;
		else if (*end != 'l' && *end != 'L') {
			fail(e, t->loc, "invalid integer in #if expression", hint_expr);
			return r;
		}
	}
	if (!r.u && r.v > INT64_MAX)
		r.u = true;
	return r;
}

static struct val primary(struct ev *e)
{
	struct val r = { 0, false };
	struct pp_tok *t = e->t;
	if (!t) {
		fail(e, e->at, "#if expression ends too early", hint_expr);
		return r;
	}
	if (is(e, "(")) {
		struct pp_tok *open = t;
		e->t = t->next;
		e->depth++;
		r = cond(e);
		e->depth--;
		if (!is(e, ")")) {
			fail(e, e->t ? e->t->loc : open->loc, "expected ')' in #if expression", "close the '(' with ')'");
			return r;
		}
		e->t = e->t->next;
		return r;
	}
	e->t = t->next;
	if (t->kind == PP_NUMBER)
		return number(e, t);
	if (t->kind == PP_CHAR) {
		r.v = char_value(e, t);
		return r;
	}
	if (t->kind == PP_IDENT) {
		if (is(e, "(")) {
			fail(e, t->loc, "function-like macro used in #if is not defined", "#define it, or test it with defined(NAME)");
			return r;
		}
		return r; /* an undefined name is 0 */
	}
	fail(e, t->loc, "invalid token in #if expression", hint_expr);
	return r;
}

static struct val unary(struct ev *e)
{
	if (e->depth > PP_EXPR_MAX_DEPTH) {
		fail(e, here(e), "#if expression is nested too deeply", "split it with intermediate #define lines");
		e->t = NULL;
		return (struct val){ 0, false };
	}
	if (is(e, "+") || is(e, "-") || is(e, "~") || is(e, "!")) {
		char op = e->t->s[0];
		e->t = e->t->next;
		e->depth++;
		struct val v = unary(e);
		e->depth--;
		switch (op) {
		case '-': v.v = (uint64_t)0 - v.v; break;
		case '~': v.v = ~v.v; break;
		case '!': v.v = v.v == 0; v.u = false; break;
		default: break;
		}
		return v;
	}
	return primary(e);
}

static bool less(struct val a, struct val b, bool u)
{
	return u ? a.v < b.v : (int64_t)a.v < (int64_t)b.v;
}

/* binary operators by level, lowest first; "" ends a level */
static const char *const levels[][5] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" }, { "<=", ">=", "<", ">" },
	{ "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static const char *match_op(struct ev *e, size_t level)
{
	for (size_t i = 0; i < 5 && levels[level][i]; i++)
		if (is(e, levels[level][i]))
			return levels[level][i];
	return NULL;
}

static struct val binary(struct ev *e, size_t level)
{
	if (level == NLEVELS)
		return unary(e);
	struct val a = binary(e, level + 1);
	const char *op;
	while ((op = match_op(e, level))) {
		struct pp_tok *opt = e->t;
		e->t = e->t->next;
		bool shortc = (strcmp(op, "&&") == 0 && a.v == 0) || (strcmp(op, "||") == 0 && a.v != 0);
		if (shortc)
			e->skip++;
		struct val b = binary(e, level + 1);
		if (shortc)
			e->skip--;
		bool u = a.u || b.u;
		struct val r = { 0, u };
		if (!strcmp(op, "||")) r = (struct val){ a.v || b.v, false };
		else if (!strcmp(op, "&&")) r = (struct val){ a.v && b.v, false };
		else if (!strcmp(op, "|")) r.v = a.v | b.v;
		else if (!strcmp(op, "^")) r.v = a.v ^ b.v;
		else if (!strcmp(op, "&")) r.v = a.v & b.v;
		else if (!strcmp(op, "==")) r = (struct val){ a.v == b.v, false };
		else if (!strcmp(op, "!=")) r = (struct val){ a.v != b.v, false };
		else if (!strcmp(op, "<")) r = (struct val){ less(a, b, u), false };
		else if (!strcmp(op, ">")) r = (struct val){ less(b, a, u), false };
		else if (!strcmp(op, "<=")) r = (struct val){ !less(b, a, u), false };
		else if (!strcmp(op, ">=")) r = (struct val){ !less(a, b, u), false };
		else if (!strcmp(op, "<<")) r = (struct val){ b.v >= 64 ? 0 : a.v << b.v, a.u };
		else if (!strcmp(op, ">>"))
			r = (struct val){ b.v >= 64 ? 0 : a.u ? a.v >> b.v : (uint64_t)((int64_t)a.v >> b.v), a.u };
		else if (!strcmp(op, "+")) r.v = a.v + b.v;
		else if (!strcmp(op, "-")) r.v = a.v - b.v;
		else if (!strcmp(op, "*")) r.v = a.v * b.v;
		else if (b.v == 0) {
			if (!e->skip)
				fail(e, opt->loc, "division by zero in #if expression", "check the macros the expression uses");
			r.v = 0;
		} else if (!strcmp(op, "/"))
			r.v = u ? a.v / b.v : (int64_t)b.v == -1 ? (uint64_t)0 - a.v : (uint64_t)((int64_t)a.v / (int64_t)b.v);
		else
			r.v = u ? a.v % b.v : (int64_t)b.v == -1 ? 0 : (uint64_t)((int64_t)a.v % (int64_t)b.v);
		a = r;
	}
	return a;
}

static struct val cond(struct ev *e)
{
	struct val c = binary(e, 0);
	if (!is(e, "?"))
		return c;
	e->t = e->t->next;
	if (!c.v)
		e->skip++;
	e->depth++;
	struct val a = cond(e);
	e->depth--;
	if (!c.v)
		e->skip--;
	if (!is(e, ":")) {
		fail(e, here(e), "expected ':' in #if expression", "write the conditional as A ? B : C");
		return a;
	}
	e->t = e->t->next;
	if (c.v)
		e->skip++;
	e->depth++;
	struct val b = cond(e);
	e->depth--;
	if (c.v)
		e->skip--;
	struct val r = c.v ? a : b;
	r.u = a.u || b.u;
	return r;
}

int64_t pp_eval(struct pp_state *st, struct pp_tok *list, struct et_loc at, bool *ok)
{
	struct ev e = { .st = st, .t = list, .at = at, .ok = true };
	if (!list) {
		fail(&e, at, "#if with no expression", hint_expr);
		*ok = false;
		return 0;
	}
	struct val v = cond(&e);
	if (e.ok && e.t)
		fail(&e, e.t->loc, "unexpected token in #if expression: missing an operator?", hint_expr);
	*ok = e.ok;
	return e.ok ? (int64_t)v.v : 0;
}
