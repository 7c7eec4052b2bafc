/* builtins_assert: the checks done at compile time: fail(fmt, literals...) and static_assert(cond, msg),
 * as bpftrace's: an error at the call, with the message, unless the call lies in a branch that a
 * condition known at compile time never takes (sema.dead, set by `if`). Neither emits code. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* sema_const_int, and also comparisons, && || ! and sizeof/offsetof (bpftrace folds these before it
 * looks at static_assert and at an `if` around fail()). */
bool sema_comptime_int(struct sema *s, struct ast_node *n, int64_t *out)
{
	int64_t a, b;

	if ((n->kind == AST_SIZEOF || n->kind == AST_OFFSETOF) && n->sym) {
		const struct sema_const *k = n->sym;

		if (k->is_string)
			return false;
		*out = k->value;
		return true;
	}
	if (n->kind == AST_CALL && n->sym) { /* is_str(x) ...: the bool sema found */
		const struct sema_call *c = n->sym;

		if (!c->expr || c->expr->kind != AST_BOOL)
			return false;
		*out = c->expr->u.integer.value != 0;
		return true;
	}
	if (n->kind == AST_UNARY && n->u.unary.op == AST_OP_NOT) {
		if (!sema_comptime_int(s, n->u.unary.operand, &a))
			return false;
		*out = !a;
		return true;
	}
	if (n->kind != AST_BINARY || (!ast_op_is_comparison(n->u.binary.op) && n->u.binary.op != AST_OP_LAND &&
				      n->u.binary.op != AST_OP_LOR))
		return sema_const_int(s, n, out);
	if (!sema_comptime_int(s, n->u.binary.lhs, &a) || !sema_comptime_int(s, n->u.binary.rhs, &b))
		return false;
	switch (n->u.binary.op) {
	case AST_OP_LAND: *out = a && b; break;
	case AST_OP_LOR: *out = a || b; break;
	case AST_OP_EQ: *out = a == b; break;
	case AST_OP_NE: *out = a != b; break;
	case AST_OP_LT: *out = a < b; break;
	case AST_OP_LE: *out = a <= b; break;
	case AST_OP_GT: *out = a > b; break;
	default: *out = a >= b; break;
	}
	return true;
}

/* fail()'s message: fmt with each conversion filled from a literal argument (C's printf does each one:
 * flags and width kept, any length modifier replaced by ll for integers). */
static const char *format_literals(struct sema *s, const char *fmt, struct ast_node **args, uint32_t nargs)
{
	char out[1024], spec[32];
	size_t o = 0;
	uint32_t ai = 0;

	for (const char *p = fmt; *p && o < sizeof(out) - 1; p++) {
		if (*p != '%') {
			out[o++] = *p;
			continue;
		}
		if (p[1] == '%') {
			out[o++] = '%';
			p++;
			continue;
		}
		size_t k = 0;
		spec[k++] = '%';
		p++;
		while (*p && strchr("-+ #0123456789.", *p) && k < sizeof(spec) - 4)
			spec[k++] = *p++;
		while (*p && strchr("hljztL", *p))
			p++;
		if (!*p)
			break;
		struct ast_node *a = ai < nargs ? args[ai++] : NULL;
		int64_t v = 0;
		int w;

		if (*p == 's') {
			spec[k++] = 's';
			spec[k] = 0;
			w = snprintf(out + o, sizeof(out) - o, spec,
				     a && a->kind == AST_STRING ? a->u.string.bytes : "");
		} else {
			if (a)
				sema_comptime_int(s, a, &v);
			if (*p == 'c') {
				spec[k++] = 'c';
				spec[k] = 0;
				w = snprintf(out + o, sizeof(out) - o, spec, (int)v);
			} else {
				spec[k++] = 'l';
				spec[k++] = 'l';
				spec[k++] = *p == 'i' ? 'd' : *p;
				spec[k] = 0;
				w = snprintf(out + o, sizeof(out) - o, spec, (long long)v);
			}
		}
		if (w > 0)
			o += (size_t)w < sizeof(out) - o ? (size_t)w : sizeof(out) - o - 1;
	}
	out[o] = 0;
	return arena_strdup(s->arena, out);
}

/* an argument fail() can format: a literal (string, integer, bool) or what folds to one ($1, -1, 2 * 3) */
static bool is_literal_arg(struct sema *s, struct ast_node *a)
{
	int64_t v;

	return a->kind == AST_STRING || sema_comptime_int(s, a, &v);
}

struct et_type *check_fail(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	bool ok = true;

	c->index = 0;
	for (uint32_t i = 0; i < args->count; i++)
		sema_expr(s, args->items[i]);
	if (!bi_is_string_lit(args->items[0])) {
		sema_error(s, args->items[0]->loc, "fail: the first argument must be a string literal (the message)");
		return s->t_void;
	}
	args->items[0]->type = type_string(s->arena, args->items[0]->u.string.len + 1);
	for (uint32_t i = 1; i < args->count; i++)
		if (!is_literal_arg(s, args->items[i])) {
			sema_error(s, args->items[i]->loc, "fail() arguments need to be literals");
			sema_hint(s, "fail() reports its message when the script is compiled, before any value exists");
			ok = false;
		}
	if (!ok || !sema_check_format(s, "fail", n, args->items[0], args->items + 1, args->count - 1))
		return s->t_void;
	if (!s->dead)
		sema_error(s, n->loc, "%s",
			   format_literals(s, args->items[0]->u.string.bytes, args->items + 1, args->count - 1));
	return s->t_void;
}

struct et_type *check_static_assert(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	int64_t v;

	c->index = 0;
	sema_expr(s, args->items[0]);
	sema_expr(s, args->items[1]);
	if (!bi_is_string_lit(args->items[1])) {
		sema_error(s, args->items[1]->loc, "static_assert: the message must be a string literal");
		return s->t_void;
	}
	if (!sema_comptime_int(s, args->items[0], &v)) {
		sema_error(s, args->items[0]->loc, "static_assert: the condition must be known at compile time");
		sema_hint(s, "use literals, positional parameters, sizeof() and comparisons of them");
		return s->t_void;
	}
	if (!v && !s->dead)
		sema_error(s, n->loc, "%s", args->items[1]->u.string.bytes);
	return s->t_void;
}

/* assert(cond, msg): bpftrace's stdlib macro, written here as the statement it expands to,
 *     if (!cond) { errorf("assert failed: %s", msg); exit(1); }
 * located at the call (sema_call.expr; codegen lowers it as a statement): the error names the assert. */
struct et_type *check_assert(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	static const char fmt[] = "assert failed: %s";
	struct ast_list *args = &n->u.call.args;
	struct ast_list eargs = {0}, xargs = {0}, body = {0};
	struct ast_node *node;

	/* the message checked here, so that a wrong one is an error about assert(), not the errorf() inside */
	if (!bi_kind_arg(s, n, 1, bi_is_string, "a string as its message")) {
		sema_expr(s, args->items[0]);
		return s->t_void;
	}
	ast_list_push(s->arena, &eargs, ast_new_string(s->arena, n->loc, fmt, sizeof(fmt) - 1));
	ast_list_push(s->arena, &eargs, args->items[1]);
	ast_list_push(s->arena, &xargs, ast_new_int(s->arena, n->loc, 1, false));
	ast_list_push(s->arena, &body, ast_new_call(s->arena, n->loc, "errorf", &eargs));
	ast_list_push(s->arena, &body, ast_new_call(s->arena, n->loc, "exit", &xargs));
	node = ast_new(s->arena, AST_IF, n->loc);
	node->u.if_.cond = ast_new_unary(s->arena, args->items[0]->loc, AST_OP_NOT, args->items[0]);
	node->u.if_.then = ast_new_block(s->arena, n->loc, &body);
	sema_stmt(s, node);
	c->expr = node;
	return s->t_void;
}

/* assert_str(v): bpftrace's stdlib check (strings.bt) that v is string-like, at compile time: a
 * string, an array of int8 or a pointer to int8; anything else is an error there (not in a dead
 * branch). v is not evaluated. */
static bool is_int8(const struct et_type *t)
{
	return t && t->kind == ET_INT && t->size == 1 && t->is_signed;
}

struct et_type *check_assert_str(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = bi_value_arg(s, n, 0);
	const char *msg = NULL;

	c->index = 0;
	if (sema_is_none(t) || t->kind == ET_STRING)
		return s->t_void;
	if (t->kind == ET_ARRAY)
		msg = is_int8(t->elem) ? NULL : "string-like arrays must contain a char-like type";
	else if (t->kind == ET_POINTER)
		msg = is_int8(t->elem) ? NULL : "string-like pointers must point to a char-like type";
	else
		msg = "string-like values must be either strings, arrays or pointers";
	if (msg && !s->dead) {
		sema_error(s, a->loc, "%s (%s given)", msg, sema_tname(s, t));
		sema_hint(s, "int8 (char) arrays and pointers hold strings; str() reads one from an address");
	}
	return s->t_void;
}
