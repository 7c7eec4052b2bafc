/* builtins_meta: bpftrace's introspection functions (its stdlib meta.bt), answered from the argument's
 * type when the script is compiled: is_str, is_ptr, is_array, is_integer, is_unsigned_integer,
 * is_literal (the argument is analysed, never evaluated: sema_call.expr is the bool literal); and is_err,
 * the kernel's IS_ERR() test, evaluated in the probe. */
#include <stdint.h>

#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* a literal as bpftrace sees one once it has folded constants: 1, -1, true, "s", $1, 2 * 3 */
static bool is_literal_node(struct sema *s, struct ast_node *a)
{
	int64_t v;

	return a->kind == AST_STRING || sema_const_int(s, a, &v);
}

struct et_type *check_type_query(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = bi_value_arg(s, n, 0);
	bool v = false;

	if (sema_is_none(t))
		return s->t_none;
	switch (c->id) {
	case BI_IS_STR: v = t->kind == ET_STRING; break;
	case BI_IS_PTR: v = t->kind == ET_POINTER; break;
	case BI_IS_ARRAY: v = t->kind == ET_ARRAY; break;
	case BI_IS_INTEGER: v = t->kind == ET_INT; break;
	case BI_IS_UNSIGNED_INTEGER: v = t->kind == ET_INT && !t->is_signed; break;
	default: v = is_literal_node(s, a); break;
	}
	c->expr = ast_new_bool(s->arena, n->loc, v);
	c->expr->type = s->t_bool;
	return s->t_bool;
}

/* is_err(p): ((int64)p) < 0 && ((int64)p) >= -4095, as bpftrace's macro writes it (p is read twice) */
struct et_type *check_is_err(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = bi_kind_arg(s, n, 0, bi_is_address, "a pointer or an integer");
	struct ast_node *lo, *hi;

	if (!t)
		return s->t_none;
	lo = ast_new_binary(s->arena, n->loc, AST_OP_LT,
			    ast_new_cast(s->arena, a->loc, ast_new_typespec(s->arena, a->loc, "int64"), a),
			    ast_new_int(s->arena, n->loc, 0, false));
	hi = ast_new_binary(s->arena, n->loc, AST_OP_GE,
			    ast_new_cast(s->arena, a->loc, ast_new_typespec(s->arena, a->loc, "int64"), a),
			    ast_new_unary(s->arena, n->loc, AST_OP_NEG, ast_new_int(s->arena, n->loc, 4095, false)));
	c->expr = ast_new_binary(s->arena, n->loc, AST_OP_LAND, lo, hi);
	return sema_expr(s, c->expr);
}
