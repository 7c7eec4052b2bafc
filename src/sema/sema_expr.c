/* sema_expr: type inference and checks for expressions and statements, scratch variables and maps.
 * Rules are summarised in sema.h (ANNOTATION CONTRACT, STORAGE TYPES). An operand whose type is
 * ET_NONE already had its error reported: the enclosing node quietly becomes ET_NONE too. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"
#include "sema/sema_int.h"

/* ---- type helpers ---- */

const char *sema_tname(struct sema *s, const struct et_type *t)
{
	char buf[256];

	type_format(t, buf, sizeof(buf));
	return arena_strdup(s->arena, buf);
}

bool sema_is_none(const struct et_type *t)
{
	return !t || t->kind == ET_NONE;
}

bool sema_is_intlike(const struct et_type *t)
{
	return t && (t->kind == ET_INT || t->kind == ET_BOOL || t->kind == ET_POINTER);
}

/* An integer literal, as bpftrace's Integer and NegativeInteger nodes: its casts and implicit conversions
 * are never warned about. */
static bool int_literal(const struct ast_node *n)
{
	return n && (n->kind == AST_INT ||
		     (n->kind == AST_UNARY && n->u.unary.op == AST_OP_NEG && n->u.unary.operand->kind == AST_INT));
}

/* bpftrace's FitsInto for the integers of a value and its slot: same sign (or a sign-flexible literal
 * type) and no larger; unsigned into signed only when smaller; signed never into unsigned. Tuples and
 * records field by field; other types fit. */
static bool int_fits(const struct et_type *vt, const struct et_type *slot)
{
	if (!vt || !slot || sema_is_none(vt) || sema_is_none(slot))
		return true;
	if ((vt->kind == ET_TUPLE || vt->kind == ET_RECORD) && vt->kind == slot->kind && vt->nfields == slot->nfields) {
		for (uint32_t i = 0; i < vt->nfields; i++)
			if (!int_fits(vt->fields[i].type, slot->fields[i].type))
				return false;
		return true;
	}
	if (vt->kind != ET_INT || slot->kind != ET_INT || vt->nfields || slot->nfields)
		return true;
	if (vt->is_signed == slot->is_signed || vt->sign_flexible)
		return vt->size <= slot->size;
	if (!vt->is_signed)
		return vt->size < slot->size;
	return false;
}

void sema_store_note(struct sema *s, const struct sema_var *var, int map, bool key, const struct ast_node *value,
		     const struct et_type *vt)
{
	struct sema_store *st;

	if (s->quiet || !value || int_literal(value) || sema_is_none(vt) || (!var && map < 0))
		return;
	if (s->nstores == s->capstores) {
		uint32_t cap = s->capstores ? s->capstores * 2 : 16;

		s->stores = arena_grow(s->arena, s->stores, s->capstores, cap, sizeof(*s->stores));
		s->capstores = cap;
	}
	st = &s->stores[s->nstores++];
	st->var = var;
	st->map = map < 0 ? 0 : (uint32_t)map;
	st->key = key;
	st->vt = vt;
	st->loc = value->loc;
}

void sema_store_warnings(struct sema *s)
{
	for (uint32_t i = 0; i < s->nstores; i++) {
		const struct sema_store *st = &s->stores[i];
		const struct et_type *slot = st->var ? st->var->type : st->key ? s->maps[st->map].key
											 : s->maps[st->map].value;

		if (!slot || type_is_aggregation(slot) || int_fits(st->vt, slot))
			continue;
		sema_warning(s, st->loc, "Expression of type: %s being cast to type: %s. This may cause unexpected "
					 "results. Use an explicit cast to suppress this warning.",
			     sema_tname(s, st->vt), sema_tname(s, slot));
	}
}

static bool is_signed_int(const struct et_type *t)
{
	return t->kind == ET_INT && t->is_signed;
}

/* A tuple or record like t (same kind and field names) whose field types are each(field type). */
static struct et_type *map_fields(struct sema *s, const struct et_type *t,
				  struct et_type *(*each)(struct sema *, struct et_type *))
{
	struct et_type **el = arena_alloc(s->arena, (t->nfields + 1) * sizeof(*el));
	struct et_type *r;

	for (uint32_t i = 0; i < t->nfields; i++)
		el[i] = each(s, t->fields[i].type);
	r = type_tuple(s->arena, el, t->nfields);
	r->kind = t->kind;
	for (uint32_t i = 0; i < t->nfields; i++)
		r->fields[i].name = t->fields[i].name;
	return r;
}

struct et_type *sema_storage_type(struct sema *s, struct et_type *t)
{
	if (!t)
		return s->t_none;
	switch (t->kind) {
	case ET_INT:
		if (t->size == 8)
			return t;
		if (t->nfields) { /* an enum: stored as 8 bytes, still printed by name */
			struct et_type *r = type_int(s->arena, 8, t->is_signed);

			r->name = t->name;
			r->fields = t->fields;
			r->nfields = t->nfields;
			return r;
		}
		return t->is_signed ? s->t_i64 : s->t_u64;
	case ET_STRING: /* always a fresh object: slot strings may grow in place (slot_accepts) */
		return type_string(s->arena, t->size > s->max_strlen ? t->size : s->max_strlen);
	case ET_TUPLE:
	case ET_RECORD:
		return map_fields(s, t, sema_storage_type);
	default:
		return t;
	}
}

/* A fresh integer slot of size bytes for an integer value of type t: its sign (and whether the sign may
 * still flex) as t's, and t's name when the size is t's own. Fresh, as a slot's sign and size are
 * unified in place (slot_accepts). */
static struct et_type *fresh_int_slot(struct sema *s, const struct et_type *t, uint32_t size)
{
	struct et_type *r = type_int(s->arena, size, t->is_signed);

	r->sign_flexible = t->sign_flexible;
	r->name = size == t->size ? t->name : NULL;
	return r;
}

/* The slot type of a tuple (or record) value of type t: a fresh copy laid out like t, as bpftrace keeps
 * tuples (integers at their own sizes, strings at theirs), whose integers and strings may grow in place
 * when the slot is unified with a wider value (slot_accepts). */
static struct et_type *tuple_slot_type(struct sema *s, struct et_type *t)
{
	switch (t->kind) {
	case ET_INT:
		if (t->nfields)
			return t; /* an enum keeps its BTF type */
		return fresh_int_slot(s, t, t->size);
	case ET_STRING:
		return type_string(s->arena, t->size);
	case ET_TUPLE:
	case ET_RECORD:
		return map_fields(s, t, tuple_slot_type);
	default:
		return t;
	}
}

/* The slot type of a map key or value for a value of type t: integers as 8 bytes (enums as
 * sema_storage_type), everything else as tuple_slot_type; always fresh objects (a map's slot strings
 * grow in place, see slot_accepts). */
static struct et_type *map_slot_type(struct sema *s, struct et_type *t)
{
	if (!t)
		return s->t_none;
	if (t->kind != ET_INT)
		return tuple_slot_type(s, t);
	if (t->nfields)
		return sema_storage_type(s, t);
	return fresh_int_slot(s, t, 8);
}

/* The slot type of a scratch variable: integers (but enums) and tuples as tuple_slot_type, as bpftrace
 * keeps a variable's integer at its own size and sign (`$u = (uint32)1` is a uint32, sizeof($u) 4),
 * widened in place by later assignments (int_slot_promote); other values as sema_storage_type. */
static struct et_type *var_slot_type(struct sema *s, struct et_type *t)
{
	if (t && ((t->kind == ET_INT && !t->nfields) || t->kind == ET_TUPLE || t->kind == ET_RECORD))
		return tuple_slot_type(s, t);
	return sema_storage_type(s, t);
}

/* bpftrace's type of an integer literal, also of a constant expression (which bpftrace folds into
 * one) and of a numeric positional parameter: the smallest signed type holding it (uint64 above
 * INT64_MAX), sign-flexible when not negative. NULL when n is not such a constant. */
static struct et_type *literal_int_type(struct sema *s, struct ast_node *n, const struct et_type *t)
{
	struct et_type *r;
	int64_t v;
	uint32_t size = 8;

	if (!t || t->kind != ET_INT || t->nfields || n->kind == AST_CAST || !sema_const_int(s, n, &v))
		return NULL;
	if (n->kind == AST_INT && (n->u.integer.is_unsigned || n->u.integer.value > (uint64_t)INT64_MAX))
		return s->t_u64;
	if (v < 0 && !t->is_signed)
		return s->t_u64;
	if (v >= INT8_MIN && v <= INT8_MAX)
		size = 1;
	else if (v >= INT16_MIN && v <= INT16_MAX)
		size = 2;
	else if (v >= INT32_MIN && v <= INT32_MAX)
		size = 4;
	r = type_int(s->arena, size, true);
	r->sign_flexible = v >= 0;
	return r;
}

/* The type of element n (of type t) in a tuple: t itself, or for an integer constant the type bpftrace
 * gives literals (literal_int_type). */
static struct et_type *tuple_elem_type(struct sema *s, struct ast_node *n, struct et_type *t)
{
	struct et_type *lit = literal_int_type(s, n, t);

	return lit ? lit : t;
}

/* The type value node n (of type t) brings to a slot it is stored in (variable, map key or value): an
 * integer constant typed as bpftrace types literals, so that `$a = 1` is an int8 whose sign follows
 * later assignments; t itself otherwise. */
static struct et_type *slot_value_type(struct sema *s, struct ast_node *n, struct et_type *t)
{
	struct et_type *lit = n ? literal_int_type(s, n, t) : NULL;

	return lit ? lit : t;
}

/* Unify the integer slot type `slot` (inside a tuple slot) with a value of type vt in place, as
 * bpftrace promotes integers (get_promoted_int): the larger size; of two signs, a sign-flexible side
 * takes the other's, else the signed side when it is larger, else signed at twice the larger size
 * (int64 at most). */
static void int_slot_promote(struct et_type *slot, const struct et_type *vt)
{
	bool vs = vt->kind == ET_INT && vt->is_signed, vflex = vt->kind == ET_INT && vt->sign_flexible;
	uint32_t vsize = vt->kind == ET_INT ? vt->size : 8, big = slot->size > vsize ? slot->size : vsize;

	if (slot->is_signed == vs) {
		slot->size = big;
		slot->sign_flexible = slot->sign_flexible && vflex;
		return;
	}
	if (slot->sign_flexible || vflex) {
		slot->is_signed = (!slot->sign_flexible && slot->is_signed) || (!vflex && vs);
		slot->size = big;
	} else if (slot->is_signed && slot->size > vsize) {
		/* stays as it is */
	} else if (vs && vsize > slot->size) {
		slot->size = vsize;
		slot->is_signed = true;
	} else {
		slot->size = big * 2 > 8 ? 8 : big * 2;
		slot->is_signed = true;
	}
	slot->sign_flexible = false;
	slot->name = NULL;
}

/* Unify the sign of a sum/min/max slot with another call of the same aggregation (vt), as bpftrace
 * promotes their argument types: one sign stays; of two, a sign-flexible side (a non-negative constant
 * argument) takes the other's, and otherwise the sum is signed. (The values are 64-bit either way.) */
static void agg_sign_promote(struct et_type *slot, const struct et_type *vt)
{
	if (slot->is_signed == vt->is_signed) {
		slot->sign_flexible = slot->sign_flexible && vt->sign_flexible;
		return;
	}
	if (slot->sign_flexible || vt->sign_flexible)
		slot->is_signed = (!slot->sign_flexible && slot->is_signed) || (!vt->sign_flexible && vt->is_signed);
	else
		slot->is_signed = true;
	slot->sign_flexible = false;
}

/* Would vt fit in slot once slot strings grow? (shape check only, changes nothing) */
static bool slot_fits_after_growth(const struct et_type *slot, const struct et_type *vt)
{
	if (sema_is_none(slot) || sema_is_none(vt))
		return true;
	switch (slot->kind) {
	case ET_INT:
		return vt->kind == ET_INT || vt->kind == ET_POINTER;
	case ET_STRING:
		return vt->kind == ET_STRING;
	case ET_TUPLE:
	case ET_RECORD:
		if (vt->kind != slot->kind || vt->nfields != slot->nfields)
			return false;
		for (uint32_t i = 0; i < slot->nfields; i++)
			if (!slot_fits_after_growth(slot->fields[i].type, vt->fields[i].type))
				return false;
		return true;
	default:
		return type_equal(slot, vt);
	}
}

/* A bool where an integer was stored, or the other way round (bpftrace refuses the mix too): say how to
 * keep a number. False when the mismatch is something else. */
static bool bool_int_hint(struct sema *s, const struct et_type *a, const struct et_type *b)
{
	if (!((a->kind == ET_BOOL && b->kind == ET_INT) || (a->kind == ET_INT && b->kind == ET_BOOL)))
		return false;
	sema_hint(s, "comparisons, && || ! and true/false are bools (printed true/false); write (uint64)(a == b) "
		     "to store 0 or 1 as a number");
	return true;
}

/* Can a value of type vt be stored in slot? With `grow`, slot strings (also inside tuples) grow in
 * place to hold a longer string, and tuples are laid out again. */
static bool slot_accepts(struct et_type *slot, struct et_type *vt, bool grow)
{
	if (sema_is_none(slot) || sema_is_none(vt))
		return true;
	switch (slot->kind) {
	case ET_INT:
		if (vt->kind != ET_INT && vt->kind != ET_POINTER)
			return false;
		if (grow && !slot->nfields)
			int_slot_promote(slot, vt); /* a fresh object: var_slot_type, map_slot_type */
		return true;
	case ET_STRING:
		if (vt->kind != ET_STRING)
			return false;
		if (vt->size > slot->size) {
			if (!grow)
				return false;
			slot->size = vt->size;
		}
		return true;
	case ET_TUPLE:
	case ET_RECORD:
		if (!slot_fits_after_growth(slot, vt))
			return false;
		for (uint32_t i = 0; i < slot->nfields; i++) {
			const char *a = slot->fields[i].name, *b = vt->fields[i].name;

			if ((a || b) && (!a || !b || strcmp(a, b) != 0))
				return false;
			/* check everything before growing anything */
			if (!grow && !slot_accepts(slot->fields[i].type, vt->fields[i].type, false))
				return false;
		}
		if (grow) {
			for (uint32_t i = 0; i < slot->nfields; i++) {
				struct et_type *f = slot->fields[i].type;

				if (f->kind == ET_INT && !f->nfields && !sema_is_none(vt->fields[i].type))
					int_slot_promote(f, vt->fields[i].type); /* a fresh object: tuple_slot_type */
				else
					slot_accepts(f, vt->fields[i].type, true);
			}
			type_tuple_layout(slot);
		}
		return true;
	case ET_AGG_SUM:
	case ET_AGG_MIN:
	case ET_AGG_MAX:
		if (vt->kind != slot->kind)
			return false;
		if (grow)
			agg_sign_promote(slot, vt); /* a fresh object: check_signed_agg */
		return true;
	default:
		return type_equal(slot, vt);
	}
}

/* The text of $N: "" when it is not given (bpftrace's get_param). */
static const char *positional_text(const struct sema *s, uint32_t idx)
{
	return idx >= 1 && idx <= s->opts->npositional ? s->opts->positional[idx - 1] : "";
}

bool sema_const_int(struct sema *s, struct ast_node *n, int64_t *out)
{
	int64_t a, b;

	switch (n->kind) {
	case AST_INT:
		*out = (int64_t)n->u.integer.value;
		return true;
	case AST_BOOL:
		*out = n->u.integer.value != 0;
		return true;
	case AST_POSITIONAL: {
		const char *text = positional_text(s, n->u.positional.index);
		char *end;

		if (!*text) { /* 0, as bpftrace (analysing the node warns) */
			*out = 0;
			return true;
		}
		errno = 0;
		*out = strtoll(text, &end, 0);
		return errno == 0 && end != text && *end == 0;
	}
	case AST_POSITIONAL_COUNT:
		*out = s->opts->npositional;
		return true;
	case AST_UNARY:
		if (!sema_const_int(s, n->u.unary.operand, &a))
			return false;
		switch (n->u.unary.op) {
		case AST_OP_NEG: *out = (int64_t)(0 - (uint64_t)a); return true;
		case AST_OP_PLUS: *out = a; return true;
		case AST_OP_BNOT: *out = ~a; return true;
		case AST_OP_NOT: *out = !a; return true;
		default: return false;
		}
	case AST_BINARY:
		if (!sema_const_int(s, n->u.binary.lhs, &a) || !sema_const_int(s, n->u.binary.rhs, &b))
			return false;
		switch (n->u.binary.op) {
		case AST_OP_ADD: *out = (int64_t)((uint64_t)a + (uint64_t)b); return true;
		case AST_OP_SUB: *out = (int64_t)((uint64_t)a - (uint64_t)b); return true;
		case AST_OP_MUL: *out = (int64_t)((uint64_t)a * (uint64_t)b); return true;
		case AST_OP_DIV: if (b == 0 || (a == INT64_MIN && b == -1)) return false; *out = a / b; return true;
		case AST_OP_MOD: if (b == 0 || (a == INT64_MIN && b == -1)) return false; *out = a % b; return true;
		case AST_OP_SHL: if (b < 0 || b > 63) return false; *out = (int64_t)((uint64_t)a << b); return true;
		case AST_OP_SHR: if (b < 0 || b > 63) return false; *out = a >> b; return true;
		case AST_OP_BAND: *out = a & b; return true;
		case AST_OP_BOR: *out = a | b; return true;
		case AST_OP_BXOR: *out = a ^ b; return true;
		default: return false;
		}
	default:
		return false;
	}
}

/* ---- scratch variables ---- */

static struct sema_scope_var *var_lookup(struct sema *s, const char *name)
{
	for (struct sema_scope *sc = s->probe->scope; sc; sc = sc->up)
		for (struct sema_scope_var *v = sc->vars; v; v = v->next)
			if (v->name == name)
				return v;
	return NULL;
}

static struct sema_scope_var *var_declare(struct sema *s, struct sema_scope *sc, const char *name,
					  struct et_type *type, struct et_loc loc)
{
	struct sema_scope_var *v = arena_alloc(s->arena, sizeof(*v));

	v->name = name;
	v->var = arena_alloc(s->arena, sizeof(*v->var));
	v->var->name = name;
	v->var->type = type;
	v->var->id = s->probe->info->nvars++;
	v->var->loc = loc;
	v->next = sc->vars;
	sc->vars = v;
	if (v->var->id >= s->probe->nvars_cap) {
		uint32_t cap = s->probe->nvars_cap ? s->probe->nvars_cap * 2 : 16;

		s->probe->vars = arena_grow(s->arena, s->probe->vars, s->probe->nvars_cap, cap, sizeof(*s->probe->vars));
		s->probe->nvars_cap = cap;
	}
	s->probe->vars[v->var->id] = v->var;
	return v;
}

/* The slot type of variable var at its first assignment, with a value of type vt: var_slot_type(vt),
 * widened to the type the same variable had at the end of the previous pass when it holds a tuple or an
 * integer (so that a read before a later, wider assignment already sees the final type, as bpftrace
 * gives a variable one type). */
static struct et_type *var_first_type(struct sema *s, const struct sema_var *var, struct et_type *vt)
{
	struct et_type *t = var_slot_type(s, vt), *seed;
	const struct sema_var *prev = var->id < s->probe->nprev_vars ? s->probe->prev_vars[var->id] : NULL;

	if (!prev || prev->name != var->name || prev->loc.line != var->loc.line || prev->loc.col != var->loc.col ||
	    !prev->type || prev->type->kind != t->kind ||
	    (t->kind != ET_TUPLE && t->kind != ET_RECORD && (t->kind != ET_INT || t->nfields || prev->type->nfields)))
		return t;
	seed = tuple_slot_type(s, prev->type);
	return slot_accepts(seed, t, true) ? seed : t;
}

static struct et_type *var_read(struct sema *s, struct ast_node *n)
{
	struct sema_scope_var *v = var_lookup(s, n->u.name);

	if (!v || !v->assigned || !v->var->type) {
		sema_error(s, n->loc, "Undefined or undeclared variable: %s", n->u.name);
		struct sema_scope_var *c = s->probe->closed;

		while (!v && c && c->name != n->u.name)
			c = c->next_closed;
		if (!v && c)
			sema_hint(s, "%s lives in the block that first assigns it (line %u); assign or let it before "
				     "that block to use it here", n->u.name, c->var->loc.line);
		else if (!v)
			sema_hint(s, "assign %s before reading it; scratch variables belong to one probe, "
				     "use a map (@%s) to share values between probes", n->u.name, n->u.name + 1);
		else
			sema_hint(s, "assign %s a value before reading it", n->u.name);
		return s->t_none;
	}
	v->used = true;
	n->sym = v->var;
	return v->var->type;
}

/* p op= v for a pointer p: += and -= by an integer move it by whole pointees (codegen scales). */
static bool pointer_moves(enum ast_op op, const struct et_type *vt)
{
	return (op == AST_OP_ADD || op == AST_OP_SUB) && (sema_is_none(vt) || type_is_integer(vt));
}

static bool arith_signed(struct sema *s, enum ast_op op, struct ast_node *l, struct et_type *lt, struct ast_node *r,
			 struct et_type *rt);

/* The integer a compound assignment (`x op= value`, bpftrace's x = x op value) or ++/-- (op ADD or SUB,
 * value NULL: a constant 1) stores into slot type st: int64 or uint64 by the rule of arithmetic;
 * NULL when st or vt is no integer (pointers move, other types were refused). */
static struct et_type *compound_type(struct sema *s, enum ast_op op, struct et_type *st, struct ast_node *value,
				     struct et_type *vt)
{
	if (!st || st->kind != ET_INT || (vt && vt->kind != ET_INT))
		return NULL;
	return arith_signed(s, op, NULL, st, value, vt ? vt : st) ? s->t_i64 : s->t_u64;
}

/* Assign value node `value` (of type vt; NULL for a value without a node) to variable node `target`
 * (plain or compound op). An integer variable widens to hold every value stored in it, as bpftrace
 * promotes (int_slot_promote): `$x = (uint8)255; $x = -1;` makes $x an int16; a typed let never widens. */
static void var_assign(struct sema *s, struct ast_node *target, struct ast_node *value, struct et_type *vt,
		       enum ast_op op, struct et_loc loc)
{
	struct sema_scope_var *v = var_lookup(s, target->u.name);

	if (!v || (op != AST_OP_NONE && !v->assigned)) {
		if (op != AST_OP_NONE) {
			sema_error(s, target->loc, "Undefined or undeclared variable: %s", target->u.name);
			sema_hint(s, "assign %s a value with '=' before updating it", target->u.name);
			target->type = s->t_none;
			return;
		}
		v = var_declare(s, s->probe->scope, target->u.name, NULL, loc);
	}
	if (op != AST_OP_NONE) {
		if (!sema_is_none(vt) && !sema_is_intlike(vt)) {
			sema_error(s, loc, "the %s= operator needs an integer value, not %s", ast_op_text(op),
				   sema_tname(s, vt));
		} else if (v->var->type && !sema_is_none(v->var->type) && v->var->type->kind != ET_INT &&
			   !(v->var->type->kind == ET_POINTER && pointer_moves(op, vt))) {
			sema_error(s, target->loc, "the %s= operator needs an integer variable; %s is %s",
				   ast_op_text(op), target->u.name, sema_tname(s, v->var->type));
			if (v->var->type->kind == ET_POINTER)
				sema_hint(s, "a pointer only moves by an integer, with += and -=");
		} else if (!v->var->fixed && !sema_is_none(vt)) {
			struct et_type *ct = compound_type(s, op, v->var->type, value, vt);

			if (ct)
				slot_accepts(v->var->type, ct, true);
		}
	} else if (!v->var->type) {
		v->var->type = sema_is_none(vt) ? s->t_none : var_first_type(s, v->var, slot_value_type(s, value, vt));
		if (vt->kind == ET_VOID || type_is_aggregation(vt)) {
			if (vt->kind == ET_VOID)
				sema_error(s, loc, "cannot assign a value of type void to %s", target->u.name);
			v->var->type = s->t_none;
		}
	} else if (!slot_accepts(v->var->type, var_slot_type(s, slot_value_type(s, value, vt)),
				 !v->var->fixed || v->var->type->kind != ET_INT)) {
		sema_error(s, loc,
			   "Type mismatch for %s: trying to assign value of type '%s' when variable already "
			   "contains a value of type '%s'",
			   target->u.name, sema_tname(s, vt), sema_tname(s, v->var->type));
		if (!bool_int_hint(s, vt, v->var->type))
			sema_hint(s, "the type of %s was fixed at line %u; use another variable for this value",
				  target->u.name, v->var->loc.line);
	}
	if (op == AST_OP_NONE && value && !sema_is_none(vt))
		sema_store_note(s, v->var, -1, false, value, slot_value_type(s, value, vt));
	v->assigned = true;
	/* a compound update reads the variable; `$ignore = delete(@m, k)` is how bpftrace's own tools keep a
	 * call's result they do not need (bpftrace warns of none of these), so neither is an unused variable */
	if (op != AST_OP_NONE || (value && value->kind == AST_CALL))
		v->used = true;
	target->sym = v->var;
	target->type = v->var->type;
}

void sema_var_store(struct sema *s, struct ast_node *target, struct et_type *vt, struct et_loc loc)
{
	var_assign(s, target, NULL, vt, AST_OP_NONE, loc);
}

/* ---- maps ---- */

struct sema_map *sema_map_get(struct sema *s, const char *name, struct et_loc loc)
{
	struct sema_map *m;

	for (uint32_t i = 0; i < s->nmaps; i++)
		if (s->maps[i].name == name)
			return &s->maps[i];
	if (s->nmaps == s->capmaps) {
		uint32_t cap = s->capmaps ? s->capmaps * 2 : 8;

		s->maps = arena_grow(s->arena, s->maps, s->capmaps, cap, sizeof(*s->maps));
		s->capmaps = cap;
	}
	m = &s->maps[s->nmaps++];
	memset(m, 0, sizeof(*m));
	m->name = name;
	m->first_loc = loc;
	return m;
}

static struct sema_map_ref *map_ref(struct sema *s, struct sema_map *m)
{
	struct sema_map_ref *r = arena_alloc(s->arena, sizeof(*r));

	r->map = (uint32_t)(m - s->maps);
	return r;
}

/* The key type of a list of key expressions (already typed): storage type, tuple for several. */
static struct et_type *keys_type(struct sema *s, struct ast_list *keys)
{
	struct et_type **el = arena_alloc(s->arena, keys->count * sizeof(*el));

	for (uint32_t i = 0; i < keys->count; i++) {
		struct et_type *t = keys->items[i]->type;

		if (sema_is_none(t))
			return s->t_none;
		if (t->kind == ET_VOID || type_is_aggregation(t)) {
			sema_error(s, keys->items[i]->loc, "a map key cannot be of type %s", sema_tname(s, t));
			return s->t_none;
		}
		el[i] = keys->count == 1 ? map_slot_type(s, slot_value_type(s, keys->items[i], t))
					 : tuple_elem_type(s, keys->items[i], t);
	}
	if (keys->count == 1)
		return el[0];
	/* @m[a, b] is @m[(a, b)] */
	return tuple_slot_type(s, type_tuple(s->arena, el, keys->count));
}

/* Check key type kt (at loc) against map m; fixes the key type at first use. */
static void map_key_check(struct sema *s, struct sema_map *m, struct et_type *kt, struct et_loc loc)
{
	if (sema_is_none(kt))
		return;
	if (m->key_state == 0) {
		m->key_state = 2;
		m->key = kt;
		m->key_loc = loc;
	} else if (m->key_state == 1) {
		sema_error(s, loc,
			   "Argument mismatch for %s: trying to access with arguments: '%s' when map expects "
			   "no arguments",
			   m->name, sema_tname(s, kt));
		sema_hint(s, "%s was first used without a key at line %u", m->name, m->key_loc.line);
	} else if (!slot_accepts(m->key, kt, true)) {
		sema_error(s, loc,
			   "Argument mismatch for %s: trying to access with arguments: '%s' when map expects "
			   "arguments: '%s'",
			   m->name, sema_tname(s, kt), sema_tname(s, m->key));
		sema_hint(s, "the key type of %s was fixed at line %u", m->name, m->key_loc.line);
	}
}

/* the key's own type for sema_store_note: the one expression's, a tuple of them for several */
static void note_keys(struct sema *s, struct sema_map *m, struct ast_list *keys)
{
	struct et_type **el;

	if (s->quiet)
		return;
	if (keys->count == 1) {
		sema_store_note(s, NULL, (int)(m - s->maps), true, keys->items[0],
				slot_value_type(s, keys->items[0], keys->items[0]->type));
		return;
	}
	el = arena_alloc(s->arena, keys->count * sizeof(*el));
	for (uint32_t i = 0; i < keys->count; i++) {
		if (sema_is_none(keys->items[i]->type) || int_literal(keys->items[i]))
			return;
		el[i] = keys->items[i]->type;
	}
	sema_store_note(s, NULL, (int)(m - s->maps), true, keys->items[0], type_tuple(s->arena, el, keys->count));
}

void sema_map_keys(struct sema *s, struct ast_node *n, struct sema_map *m)
{
	struct ast_list *keys = n->u.map.keys;

	if (!keys || keys->count == 0) {
		if (m->key_state == 0) {
			m->key_state = 1;
			m->key_loc = n->loc;
		} else if (m->key_state == 2) {
			sema_error(s, n->loc,
				   "Argument mismatch for %s: trying to access with no arguments when map expects "
				   "arguments: '%s'",
				   m->name, sema_tname(s, m->key));
			sema_hint(s, "%s was first used with a key at line %u", m->name, m->key_loc.line);
		}
		return;
	}
	for (uint32_t i = 0; i < keys->count; i++)
		sema_expr(s, keys->items[i]);
	map_key_check(s, m, keys_type(s, keys), n->loc);
	note_keys(s, m, keys);
	if (m->key_state == 2 && !m->key_exprs)
		m->key_exprs = keys;
}

bool sema_map_has_keys(struct sema *s, struct sema_map *m, const char *what, struct et_loc loc, const char *hint)
{
	if (m->key_state != 1)
		return true;
	sema_error(s, loc, "%s expects a map with keys, but %s has none (it was first used without a key at line %u)",
		   what, m->name, m->key_loc.line);
	sema_hint(s, hint, m->name, m->name);
	return false;
}

/* Check an expression used as a whole key of map m (has_key(@m, k), delete(@m, k)). */
void sema_map_key_expr(struct sema *s, struct sema_map *m, struct ast_node *k)
{
	struct et_type *t = sema_expr(s, k);

	if (sema_is_none(t) || m->key_state == 1) /* the caller reported a map without keys */
		return;
	map_key_check(s, m, map_slot_type(s, slot_value_type(s, k, t)), k->loc);
}

void sema_map_unassigned(struct sema *s, struct sema_map *m, struct et_loc loc)
{
	if (m->unassigned_reported || s->quiet)
		return;
	m->unassigned_reported = true;
	sema_error(s, loc, "map %s is used but never assigned", m->name);
	sema_hint(s, "assign it in some probe first, e.g. %s = 0 or %s[key] = count()", m->name, m->name);
}

struct et_type *sema_agg_value_type(struct sema *s, const struct et_type *t)
{
	switch (t ? t->kind : ET_VOID) {
	case ET_AGG_COUNT:
		return s->t_u64;
	case ET_AGG_SUM:
	case ET_AGG_MIN:
	case ET_AGG_MAX:
		return t->is_signed ? s->t_i64 : s->t_u64;
	case ET_AGG_AVG: /* printed as a signed average whatever the argument (runtime/maps.c) */
		return s->t_i64;
	default:
		return NULL;
	}
}

struct et_type *sema_map_read(struct sema *s, struct ast_node *n)
{
	struct sema_map *m = sema_map_get(s, n->u.map.name, n->loc);

	n->sym = map_ref(s, m);
	sema_map_keys(s, n, m);
	m->read = true;
	if (!m->value) {
		if (s->provisional_reads)
			return s->t_i64;
		sema_map_unassigned(s, m, n->loc);
		return s->t_none;
	}
	if (sema_agg_value_type(s, m->value))
		return sema_agg_value_type(s, m->value);
	if (type_is_aggregation(m->value)) {
		sema_error(s, n->loc, "the value of %s is a %s() aggregation and cannot be read in an expression",
			   m->name, sema_tname(s, m->value));
		sema_hint(s, "count(), sum(), min(), max() and avg() can be read as numbers; a %s() is only "
			     "printed: print(%s)", sema_tname(s, m->value), m->name);
		return s->t_none;
	}
	return m->value;
}

int sema_map_whole(struct sema *s, struct ast_node *n, bool need_assigned)
{
	struct sema_map *m;

	if (n->kind != AST_MAP)
		return -1;
	m = sema_map_get(s, n->u.map.name, n->loc);
	n->sym = map_ref(s, m);
	n->type = m->value ? m->value : s->t_none;
	if (n->u.map.keys && n->u.map.keys->count) {
		sema_error(s, n->loc, "expected the whole map %s here, without a key", m->name);
		return -1;
	}
	m->read = true;
	if (need_assigned && !m->value) {
		sema_map_unassigned(s, m, n->loc);
		return -1;
	}
	return (int)(m - s->maps);
}

/* "avg " ... for a tseries() hint, "" for the default (the last value) */
static const char *ts_agg_name(const struct et_type *t)
{
	static const char *const names[] = {"", "avg ", "max ", "min ", "sum "};

	return names[t->ts_agg];
}

/* Store value node `value` (NULL: none) of type vt into map node target (keys already checked). An
 * integer value's sign is unified with the slot's as bpftrace promotes (int_slot_promote): a map given
 * (uint8)200 and -1 holds signed values; integers stay 8 bytes in a map. */
static void map_store(struct sema *s, struct sema_map *m, struct ast_node *target, struct ast_node *value,
		      struct et_type *vt, struct et_loc loc)
{
	struct et_type *st;

	m->assigned = true;
	target->type = m->value ? m->value : s->t_none;
	if (sema_is_none(vt))
		return;
	if (vt->kind == ET_VOID) {
		sema_error(s, loc, "cannot assign a value of type void to %s", m->name);
		return;
	}
	st = type_is_aggregation(vt) ? vt : map_slot_type(s, slot_value_type(s, value, vt));
	if (!type_is_aggregation(vt))
		sema_store_note(s, NULL, (int)(m - s->maps), false, value, slot_value_type(s, value, vt));
	if (!m->value) {
		m->value = st;
		m->value_loc = loc;
	} else if (type_is_aggregation(m->value) != type_is_aggregation(vt) || !slot_accepts(m->value, st, true)) {
		sema_error(s, loc,
			   "Type mismatch for %s: trying to assign value of type '%s' when map already contains "
			   "a value of type '%s' (first assigned at line %u)",
			   m->name, sema_tname(s, vt), sema_tname(s, m->value), m->value_loc.line);
		if (m->value->kind == ET_AGG_LHIST && vt->kind == ET_AGG_LHIST)
			sema_hint(s, "lhist() parameters must be the same everywhere: (min %lld, max %lld, step %lld) "
				     "at line %u, (min %lld, max %lld, step %lld) here",
				  (long long)m->value->lh_min, (long long)m->value->lh_max, (long long)m->value->lh_step,
				  m->value_loc.line, (long long)vt->lh_min, (long long)vt->lh_max,
				  (long long)vt->lh_step);
		else if (m->value->kind == ET_AGG_TSERIES && vt->kind == ET_AGG_TSERIES)
			sema_hint(s, "tseries() parameters must be the same everywhere: (interval %llu ns, num_intervals "
				     "%u, %s%s values) at line %u, (interval %llu ns, num_intervals %u, %s%s values) here",
				  (unsigned long long)m->value->ts_interval, m->value->ts_count, ts_agg_name(m->value),
				  m->value->is_signed ? "signed" : "unsigned", m->value_loc.line,
				  (unsigned long long)vt->ts_interval, vt->ts_count, ts_agg_name(vt),
				  vt->is_signed ? "signed" : "unsigned");
		else if (m->value->kind == ET_AGG_HIST && vt->kind == ET_AGG_HIST)
			sema_hint(s, "hist() must have the same k everywhere: %u at line %u, %u here", m->value->hist_k,
				  m->value_loc.line, vt->hist_k);
		else if (type_is_aggregation(m->value) || type_is_aggregation(vt))
			sema_hint(s, "a map holds either one kind of aggregation or plain values; use "
				     "another map name");
		else
			bool_int_hint(s, vt, m->value);
	}
	target->type = m->value;
}

/* ---- expressions ---- */

/* $N: an integer when its text is one, else a string; an empty or missing $N is 0 with a warning (as
 * bpftrace), except as a string (str($N)), where it is "" without one. */
static struct et_type *positional(struct sema *s, struct ast_node *n, bool as_string)
{
	uint32_t idx = n->u.positional.index;
	struct sema_const *c = arena_alloc(s->arena, sizeof(*c));
	const char *text = positional_text(s, idx);
	char *end;

	n->sym = c;
	if (!as_string) {
		if (!*text) {
			sema_warning(s, n->loc, "positional parameter $%u is empty or not given; using 0", idx);
			return s->t_i64;
		}
		errno = 0;
		c->value = strtoll(text, &end, 0);
		if (errno == 0 && end != text && *end == 0)
			return s->t_i64;
	}
	c->value = 0;
	c->is_string = true;
	c->str = arena_strdup(s->arena, text);
	c->len = (uint32_t)strlen(text);
	return type_string(s->arena, c->len + 1);
}

struct et_type *sema_positional_string(struct sema *s, struct ast_node *n)
{
	struct et_type *t = positional(s, n, true);

	n->type = t;
	return t;
}

/* A string known at compile time: a literal or a string positional parameter (analysed). */
static bool const_string(const struct ast_node *n, const char **str, uint32_t *len)
{
	const struct sema_const *c = n->sym;

	if (n->kind == AST_STRING) {
		*str = n->u.string.bytes;
		*len = n->u.string.len;
		return true;
	}
	if (n->kind == AST_POSITIONAL && c && c->is_string) {
		*str = c->str;
		*len = c->len;
		return true;
	}
	return false;
}

/* A string literal folded from S + K with K past its end: warns once, in a pass that reports. */
static const char folded_empty = 0;

static struct et_type *string_literal(struct sema *s, struct ast_node *n)
{
	if (n->sym == &folded_empty && !s->quiet) {
		sema_warning(s, n->loc, "this string will always be empty: the offset is not below its length");
		n->sym = NULL;
	}
	return type_string(s->arena, n->u.string.len + 1);
}

bool sema_fold_string_offset(struct sema *s, struct ast_node *n)
{
	struct ast_node *l = n->u.binary.lhs, *r = n->u.binary.rhs, *sn = l, *in = r;
	const char *str;
	uint32_t len;
	int64_t off;

	if (n->kind != AST_BINARY || n->u.binary.op != AST_OP_ADD)
		return false;
	if (!const_string(sn, &str, &len)) {
		sn = r;
		in = l;
		if (!const_string(sn, &str, &len))
			return false;
	}
	if (!sema_const_int(s, in, &off) || off < 0)
		return false;
	/* the node becomes the literal it stands for (already in the quiet pass, which reports nothing: the
	 * warning then waits for the next pass, in folded_empty) */
	n->kind = AST_STRING;
	n->sym = NULL;
	if ((uint64_t)off >= len) {
		off = len;
		n->sym = (void *)&folded_empty;
		string_literal(s, n);
	}
	n->u.string.bytes = str + off;
	n->u.string.len = len - (uint32_t)off;
	return true;
}

static const char *op_name(enum ast_op op)
{
	return ast_op_text(op);
}

/* What bpftrace prints each time a division or modulo by 0 runs (the result is then 1). */
/* bpftrace's runtime warning for an array index out of bounds (etrace then gives 0, or reads past the
 * end of an array in kernel or user memory as bpftrace does) */
/* the largest array type a script may write (T[N] in a cast, let or sizeof) */
#define SEMA_MAX_ARRAY_BYTES (1u << 20)
#define SEMA_OOB_MSG "Array access out of bounds. This can lead to unexpected results."
#define SEMA_DIV_ZERO_MSG \
	"Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result."

/* Division or modulo n (a BINARY, or an ASSIGN with /= or %=) of dividend (NULL: a variable or map) by
 * divisor. Unless the divisor is a nonzero constant, n->sym gets the runtime warning's event (struct
 * sema_div): a zero divisor gives 1 and that warning, as in bpftrace. A constant 0 divisor is worth a
 * warning now too, and an error under a constant dividend (bpftrace cannot fold it either). Returns
 * false after that error. */
static bool divisor_check(struct sema *s, struct ast_node *n, struct ast_node *dividend, struct ast_node *divisor,
			  enum ast_op op)
{
	const char *what = op == AST_OP_DIV ? "division" : "modulo";
	struct sema_div *d;
	int64_t c;

	if (sema_const_int(s, divisor, &c)) {
		if (c != 0)
			return true;
		if (dividend && sema_const_int(s, dividend, &c)) {
			sema_error(s, n->loc, "%s by zero of two constants", what);
			sema_hint(s, "bpftrace refuses it too (\"unable to fold literals\"): divide by a nonzero value");
			return false;
		}
		sema_warning(s, divisor->loc, "%s by zero: the result is 1, with a warning each time it runs", what);
		sema_hint(s, "bpftrace gives 1 too; divide by a nonzero value");
	}
	d = arena_alloc(s->arena, sizeof(*d));
	d->event = sema_add_event(s, ET_EV_RUNTIME_WARNING, SEMA_DIV_ZERO_MSG, NULL, -1, n->loc);
	n->sym = d;
	return true;
}

/* a == b, a != b on arrays: element by element (codegen compares the bytes), for arrays of the same
 * integer type and length, as in bpftrace. */
static struct et_type *array_compare(struct sema *s, struct ast_node *n, struct et_type *lt, struct et_type *rt)
{
	enum ast_op op = n->u.binary.op;

	if (op != AST_OP_EQ && op != AST_OP_NE) {
		sema_error(s, n->loc, "the %s operator cannot be used on arrays", op_name(op));
		sema_hint(s, "arrays can only be compared with == and !=");
		return s->t_none;
	}
	if (lt->count != rt->count || !type_is_integer(lt->elem) || !type_equal(lt->elem, rt->elem)) {
		sema_error(s, n->loc, "only arrays of the same size and integer type can be compared, not '%s' and '%s'",
			   sema_tname(s, lt), sema_tname(s, rt));
		sema_hint(s, "cast one side, e.g. (uint8[8])x, so that both have the same element type and count");
		return s->t_none;
	}
	return s->t_bool;
}

/* Do pointers to a and b point to the same type? (a struct by name: one may be a stub of the other) */
static bool same_pointee(const struct et_type *a, const struct et_type *b)
{
	if (a && b && a->kind == ET_STRUCT && b->kind == ET_STRUCT)
		return a->name && b->name && strcmp(a->name, b->name) == 0;
	return type_equal(a, b);
}

/* A binary operator with a pointer operand, as C and bpftrace have it: pointer + integer, integer +
 * pointer and pointer - integer move the pointer by whole pointees (codegen scales); pointers compare
 * with pointers and integers (unsigned) and join && and ||; nothing else, not even pointer - pointer
 * (bpftrace refuses it too). */
static struct et_type *pointer_binary(struct sema *s, struct ast_node *n, struct et_type *lt, struct et_type *rt)
{
	enum ast_op op = n->u.binary.op;
	bool lp = lt->kind == ET_POINTER, rp = rt->kind == ET_POINTER;
	struct et_type *other = lp ? rt : lt;

	if (ast_op_is_comparison(op) && lp && rp && !same_pointee(lt->elem, rt->elem))
		sema_warning(s, n->loc, "comparison of distinct pointer types: '%s' and '%s'", sema_tname(s, lt),
			     sema_tname(s, rt));
	if (ast_op_is_comparison(op) || op == AST_OP_LAND || op == AST_OP_LOR) {
		if ((lp && rp) || type_is_integer(other))
			return s->t_bool;
	} else if (op == AST_OP_ADD || op == AST_OP_SUB) {
		if (lp != rp && type_is_integer(other) && (op == AST_OP_ADD || lp))
			return lp ? lt : rt;
	}
	sema_error(s, n->loc, "the '%s' operator cannot be used on '%s' and '%s'", op_name(op), sema_tname(s, lt),
		   sema_tname(s, rt));
	if (op == AST_OP_SUB && lp && rp)
		sema_hint(s, "a pointer moves by an integer; for the distance in bytes subtract the addresses, "
			     "(uint64)p - (uint64)q");
	else if (op == AST_OP_SUB && rp)
		sema_hint(s, "a pointer is subtracted from, not subtracted: write p - n");
	else if (type_is_integer(other) || (lp && rp))
		sema_hint(s, "pointers only take + and - with an integer and comparisons; cast to uint64 for "
			     "other arithmetic, e.g. (uint64)p %s n", op_name(op));
	return s->t_none;
}

/* Is the result of integer arithmetic l op r (not a comparison) signed? bpftrace's rule: a
 * sign-flexible side (a non-negative constant, or a variable only ever given such) takes the sign of the
 * other side, then the result is int64 when either side is signed, and
 * always for a subtraction ("Subtraction always yields a signed integer type": (uint64)1 - (uint64)2
 * is -1); else uint64. */
static bool arith_signed(struct sema *s, enum ast_op op, struct ast_node *l, struct et_type *lt, struct ast_node *r,
			 struct et_type *rt)
{
	struct et_type *ll = slot_value_type(s, l, lt), *rl = slot_value_type(s, r, rt);
	bool lflex = ll->kind == ET_INT && ll->sign_flexible, rflex = rl->kind == ET_INT && rl->sign_flexible;
	bool ls = is_signed_int(lt), rs = is_signed_int(rt);

	if (op == AST_OP_SUB)
		return true;
	if (lflex && !rflex)
		ls = rs;
	else if (rflex && !lflex)
		rs = ls;
	return ls || rs;
}

/* / and % divide unsigned whatever the signs (codegen, as bpftrace's: BPF had no signed division).
 * bpftrace first promotes both operands to one type that holds them (a sign-flexible side taking the
 * other's sign) and warns only where none does: a signed operand with a 64-bit unsigned one. */
static void signed_division_warning(struct sema *s, struct ast_node *n, struct et_type *lt, struct et_type *rt)
{
	struct et_type *ll = slot_value_type(s, n->u.binary.lhs, lt), *rl = slot_value_type(s, n->u.binary.rhs, rt);
	bool lflex = ll->kind == ET_INT && ll->sign_flexible, rflex = rl->kind == ET_INT && rl->sign_flexible;
	bool ls = is_signed_int(lt), rs = is_signed_int(rt);

	if (lt->kind != ET_INT || rt->kind != ET_INT || lflex || rflex || ls == rs)
		return;
	if ((ls ? rt : lt)->size < 8) /* int64 holds the unsigned side */
		return;
	sema_warning(s, n->loc, "signed operands for '%s' can lead to undefined behavior (cast to unsigned to "
		     "silence warning)", op_name(n->u.binary.op));
}

/* Is the comparison of integers l and r signed? bpftrace compares both in the type they promote to
 * (get_promoted_int, see int_slot_promote): of one sign, that sign; of two, a sign-flexible side takes
 * the other's, and otherwise the result is signed, so (uint64)5 > -1 and (uint32)3 > (int32)-5 hold. */
static bool compare_signed(struct sema *s, struct ast_node *l, struct et_type *lt, struct ast_node *r,
			   struct et_type *rt)
{
	struct et_type *ll = slot_value_type(s, l, lt), *rl = slot_value_type(s, r, rt);
	bool ls = ll->is_signed, rs = rl->is_signed, lflex = ll->sign_flexible, rflex = rl->sign_flexible;

	if (ls == rs)
		return ls;
	if (lflex || rflex)
		return (!lflex && ls) || (!rflex && rs);
	return true;
}

/* A comparison (== != < <= > >=) of non-pointer operands: integers (the signedness of the comparison
 * goes in the node's sym, struct sema_cmp), strings (== and != only) and integer arrays. */
static struct et_type *comparison(struct sema *s, struct ast_node *n, struct et_type *lt, struct et_type *rt)
{
	enum ast_op op = n->u.binary.op;

	if (lt->kind == ET_INT && rt->kind == ET_INT) {
		struct sema_cmp *c = arena_alloc(s->arena, sizeof(*c));

		c->is_signed = compare_signed(s, n->u.binary.lhs, lt, n->u.binary.rhs, rt);
		n->sym = c;
		return s->t_bool;
	}
	if (sema_is_intlike(lt) && sema_is_intlike(rt))
		return s->t_bool;
	if (lt->kind == ET_STRING && rt->kind == ET_STRING) {
		if (op == AST_OP_EQ || op == AST_OP_NE)
			return s->t_bool;
		sema_error(s, n->loc, "strings can only be compared with == and !=, not %s", op_name(op));
		sema_hint(s, "use strncmp(a, b, n) to order strings");
		return s->t_none;
	}
	if (lt->kind == ET_ARRAY && rt->kind == ET_ARRAY) /* bpftrace: integer arrays of one type */
		return array_compare(s, n, lt, rt);
	sema_error(s, n->loc, "Type mismatch for '%s': comparing '%s' with '%s'", op_name(op),
		   sema_tname(s, lt), sema_tname(s, rt));
	if (lt->kind == ET_STRING || rt->kind == ET_STRING)
		sema_hint(s, "compare a string with a string, e.g. comm == \"bash\"");
	return s->t_none;
}

static struct et_type *binary(struct sema *s, struct ast_node *n)
{
	struct et_type *lt = sema_expr(s, n->u.binary.lhs), *rt = sema_expr(s, n->u.binary.rhs);
	enum ast_op op = n->u.binary.op;

	if (sema_is_none(lt) || sema_is_none(rt))
		return s->t_none;
	/* "text" + 2, $1 + 2 (a string $1): the literal from the offset on, as bpftrace folds it */
	if ((lt->kind == ET_STRING || rt->kind == ET_STRING) && sema_fold_string_offset(s, n))
		return type_string(s->arena, n->u.string.len + 1);
	if (lt->kind == ET_POINTER || rt->kind == ET_POINTER)
		return pointer_binary(s, n, lt, rt);
	if (ast_op_is_comparison(op))
		return comparison(s, n, lt, rt);
	switch (op) {
	case AST_OP_LAND:
	case AST_OP_LOR:
		if (sema_is_intlike(lt) && sema_is_intlike(rt))
			return s->t_bool;
		break;
	default:
		if (sema_is_intlike(lt) && sema_is_intlike(rt)) {
			if ((op == AST_OP_DIV || op == AST_OP_MOD) &&
			    !divisor_check(s, n, n->u.binary.lhs, n->u.binary.rhs, op))
				return s->t_none;
			if (op == AST_OP_DIV || op == AST_OP_MOD)
				signed_division_warning(s, n, lt, rt);
			/* bool with bool stays bool (bpftrace: true + true is true, true - true false); with an
			 * integer it is the integer 0 or 1 */
			if (lt->kind == ET_BOOL && rt->kind == ET_BOOL)
				return s->t_bool;
			return arith_signed(s, op, n->u.binary.lhs, lt, n->u.binary.rhs, rt) ? s->t_i64 : s->t_u64;
		}
		break;
	}
	sema_error(s, n->loc, "the '%s' operator cannot be used on '%s' and '%s'", op_name(op), sema_tname(s, lt),
		   sema_tname(s, rt));
	if (op == AST_OP_ADD && (lt->kind == ET_STRING || rt->kind == ET_STRING))
		sema_hint(s, "strings cannot be concatenated; print them side by side with printf(\"%%s%%s\", a, b)");
	return s->t_none;
}

static struct et_type *read_out_of(struct sema *s, struct et_type *t, enum et_addr_space from);

/* *args, **args ...: a dereference of the probe's args, which bpftrace accepts with no effect (args was
 * once a pointer, args->field). */
static bool args_deref(const struct ast_node *n)
{
	if (n->kind != AST_UNARY || n->u.unary.op != AST_OP_DEREF)
		return false;
	n = n->u.unary.operand;
	return (n->kind == AST_IDENT && strcmp(n->u.name, "args") == 0) || args_deref(n);
}

/* n, an args_deref, becomes the `args` it dereferences (after parsing: --dump-ast still shows the *) */
static void args_deref_drop(struct ast_node *n)
{
	struct et_loc loc = n->loc;

	while (n->kind == AST_UNARY)
		*n = *n->u.unary.operand;
	n->loc = loc;
}

/* *p: the pointee, read from where p points (a pointer read out of it points there too, as for a
 * field); *n of an integer n reads a uint64 at address n (bpftrace's rule). */
static struct et_type *deref(struct sema *s, struct ast_node *n)
{
	struct ast_node *o = n->u.unary.operand;
	struct et_type *t, *e;

	if (args_deref(n)) {
		args_deref_drop(n);
		return sema_expr(s, n);
	}
	t = sema_expr(s, o);
	if (sema_is_none(t))
		return s->t_none;
	if (t->kind == ET_INT)
		return s->t_u64; /* read where int_space(o) says; codegen asks cg_addr_space */
	if (t->kind == ET_STRUCT || t->kind == ET_RECORD) {
		sema_error(s, n->loc, "cannot dereference '%s': it is not a pointer", sema_tname(s, t));
		sema_hint(s, "read its fields with '.', e.g. x.field");
		return s->t_none;
	}
	if (t->kind != ET_POINTER) {
		sema_error(s, n->loc, "the unary '*' operator cannot be used on '%s': it is not a pointer",
			   sema_tname(s, t));
		return s->t_none;
	}
	if (!t->elem || t->elem->kind == ET_VOID) {
		sema_error(s, n->loc, "cannot dereference '%s': the pointee has no type", sema_tname(s, t));
		sema_hint(s, "cast it to a pointer to what it points to first, e.g. *(uint64 *)p");
		return s->t_none;
	}
	e = t->elem;
	if (e->kind == ET_STRUCT) {
		e = sema_deref_struct(s, e, n->loc); /* a kernel struct is completed on first use */
		if (!e)
			return s->t_none;
		if (!e->size) {
			sema_error(s, n->loc, "cannot dereference '%s': the struct has no size (only declared)",
				   sema_tname(s, t));
			return s->t_none;
		}
	}
	return read_out_of(s, e, t->space);
}

/* &$x, &@m: where the variable's value lives (a kernel address: the BPF stack or a BPF map value), and
 * for a map the map itself, as bpftrace gives it (the kernel's struct bpf_map, not a value). */
static struct et_type *address_of(struct sema *s, struct ast_node *n)
{
	struct ast_node *o = n->u.unary.operand;
	struct et_type *t, *p;

	if (o->kind == AST_VAR) {
		t = var_read(s, o);
		o->type = t;
	} else if (o->kind == AST_MAP && !o->u.map.keys) {
		struct sema_map *m = sema_map_get(s, o->u.map.name, o->loc);

		o->sym = map_ref(s, m);
		m->read = true;
		t = m->value;
		if (!t) {
			if (!s->provisional_reads)
				sema_map_unassigned(s, m, o->loc);
			return s->t_none;
		}
		o->type = t;
		if (type_is_aggregation(t)) {
			sema_error(s, n->loc, "cannot take the address of %s: it holds a %s() aggregation", m->name,
				   sema_tname(s, t));
			return s->t_none;
		}
	} else {
		sema_expr(s, o);
		sema_error(s, n->loc, "the unary '&' operator takes a variable or a map, e.g. &$x or &@m");
		if (o->kind == AST_MAP)
			sema_hint(s, "take the address of the whole map, &%s, without a key", o->u.map.name);
		return s->t_none;
	}
	if (sema_is_none(t))
		return s->t_none;
	p = sema_pointer_to(s, t, 1);
	p->space = ET_AS_KERNEL;
	p->btf_id = 0; /* not a pointer the verifier knows the type of: read through with probe_read */
	return p;
}

static struct et_type *unary(struct sema *s, struct ast_node *n)
{
	struct et_type *t;
	enum ast_op op = n->u.unary.op;

	if (op == AST_OP_DEREF)
		return deref(s, n);
	if (op == AST_OP_ADDR)
		return address_of(s, n);
	t = sema_expr(s, n->u.unary.operand);
	if (sema_is_none(t))
		return s->t_none;
	/* a pointer takes '!' (true when null), not - ~ + (bpftrace refuses those too) */
	if (!sema_is_intlike(t) || ((t->kind == ET_BOOL || t->kind == ET_POINTER) && op != AST_OP_NOT)) {
		sema_error(s, n->loc, "the unary '%s' operator cannot be used on '%s'", op_name(op), sema_tname(s, t));
		if (t->kind == ET_BOOL)
			sema_hint(s, "a bool only takes '!'; cast it to an integer first, e.g. %s(uint64)x",
				  op_name(op));
		if (t->kind == ET_POINTER)
			sema_hint(s, "cast the pointer to an integer first, e.g. %s(uint64)p", op_name(op));
		return s->t_none;
	}
	switch (op) {
	case AST_OP_NOT: return s->t_bool;
	/* - of an unsigned value is unsigned, as in bpftrace: -(uint64)1 prints 18446744073709551615 */
	default: return is_signed_int(t) ? s->t_i64 : s->t_u64;
	}
}

static struct et_type *incdec(struct sema *s, struct ast_node *n)
{
	struct ast_node *o = n->u.incdec.operand;

	enum ast_op aop = n->u.incdec.op == AST_OP_INC ? AST_OP_ADD : AST_OP_SUB;

	if (o->kind == AST_VAR) {
		struct et_type *t = var_read(s, o), *ct;

		o->type = t;
		if (!sema_is_none(t) && t->kind != ET_INT && t->kind != ET_POINTER) {
			sema_error(s, n->loc, "%s can only be used on integers and pointers; %s is %s",
				   op_name(n->u.incdec.op),
				   o->u.name, sema_tname(s, t));
			return s->t_none;
		}
		/* as $x = $x + 1: the variable widens to 64 bits (a typed let keeps its type) */
		ct = o->sym && !((const struct sema_var *)o->sym)->fixed ? compound_type(s, aop, t, NULL, NULL) : NULL;
		if (ct)
			slot_accepts(t, ct, true);
		return t;
	}
	if (o->kind == AST_MAP) {
		struct sema_map *m = sema_map_get(s, o->u.map.name, o->loc);
		struct et_type *ct;

		o->sym = map_ref(s, m);
		sema_map_keys(s, o, m);
		m->read = true;
		if (m->value && m->value->kind != ET_INT && m->value->kind != ET_POINTER) {
			m->assigned = true;
			o->type = m->value;
			sema_error(s, n->loc, "%s can only be used on integers and pointers; %s holds %s",
				   op_name(n->u.incdec.op),
				   m->name, sema_tname(s, m->value));
			return s->t_none;
		}
		ct = compound_type(s, aop, m->value, NULL, NULL);
		map_store(s, m, o, NULL, ct ? ct : m->value ? m->value : s->t_i64, n->loc);
		return m->value ? m->value : s->t_none;
	}
	sema_expr(s, o);
	sema_error(s, n->loc, "%s can only be applied to a variable or a map", op_name(n->u.incdec.op));
	return s->t_none;
}

static struct et_type *ternary(struct sema *s, struct ast_node *n)
{
	struct et_type *c = sema_expr(s, n->u.ternary.cond);
	struct et_type *a = n->u.ternary.then ? sema_expr(s, n->u.ternary.then) : c;
	struct et_type *b = sema_expr(s, n->u.ternary.els);

	if (!sema_is_none(c) && !sema_is_intlike(c)) {
		sema_error(s, n->u.ternary.cond->loc, "Invalid condition in %s: %s",
			   n->u.ternary.is_if ? "if" : "ternary", sema_tname(s, c));
		return s->t_none;
	}
	if (sema_is_none(a) || sema_is_none(b) || sema_is_none(c))
		return s->t_none;
	if (a->kind == ET_BOOL && b->kind == ET_BOOL)
		return s->t_bool;
	if (a->kind == ET_POINTER && b->kind == ET_POINTER && same_pointee(a->elem, b->elem) && a->space == b->space)
		return a; /* still a pointer: it can be read through */
	if (a->kind == ET_INT && b->kind == ET_INT && !a->nfields && !b->nfields) {
		/* the type both branches promote to, as bpftrace: c ? (uint8)200 : -1 is an int16 */
		struct et_type *r = tuple_slot_type(s, slot_value_type(s, n->u.ternary.then ? n->u.ternary.then
											 : n->u.ternary.cond, a));

		int_slot_promote(r, slot_value_type(s, n->u.ternary.els, b));
		return r;
	}
	if (sema_is_intlike(a) && sema_is_intlike(b))
		return is_signed_int(a) && is_signed_int(b) ? s->t_i64 : s->t_u64;
	if (a->kind == ET_STRING && b->kind == ET_STRING)
		return type_string(s->arena, a->size > b->size ? a->size : b->size);
	if (type_equal(a, b) && a->kind != ET_VOID)
		return a;
	if (n->u.ternary.is_if)
		sema_error(s, n->loc, "the branches of an if expression must have the same type: have '%s' and '%s'",
			   sema_tname(s, a), sema_tname(s, b));
	else
		sema_error(s, n->loc, "Ternary operator must return the same type: have '%s' and '%s'",
			   sema_tname(s, a), sema_tname(s, b));
	return s->t_none;
}

/* The type written in a cast, let or sizeof; NULL (after an error) when unsupported. T[N] is an array
 * of N elements T; T[] (only in a cast, which decides the count) has count 0. */
static struct et_type *typespec_any(struct sema *s, const struct ast_typespec *ts)
{
	static const struct { const char *name; uint8_t size; bool is_signed; } ints[] = {
		{"int8", 1, true},   {"int16", 2, true},   {"int32", 4, true},    {"int64", 8, true},
		{"uint8", 1, false}, {"uint16", 2, false}, {"uint32", 4, false},  {"uint64", 8, false},
		{"char", 1, true},   {"short", 2, true},   {"int", 4, true},      {"long", 8, true},
		{"long long", 8, true}, {"unsigned char", 1, false}, {"unsigned short", 2, false},
		{"unsigned int", 4, false}, {"unsigned", 4, false}, {"unsigned long", 8, false},
		{"unsigned long long", 8, false}, {"signed char", 1, true}, {"u8", 1, false},
		{"u16", 2, false}, {"u32", 4, false}, {"u64", 8, false}, {"s8", 1, true}, {"s16", 2, true},
		{"s32", 4, true}, {"s64", 8, true}, {"__u8", 1, false}, {"__u16", 2, false},
		{"__u32", 4, false}, {"__u64", 8, false}, {"__s8", 1, true}, {"__s16", 2, true},
		{"__s32", 4, true}, {"__s64", 8, true}, {"size_t", 8, false}, {"ssize_t", 8, true},
		{"pid_t", 4, true}, {"uid_t", 4, false}, {"gid_t", 4, false},
	};

	struct et_type *base = NULL;

	if (ts->of) { /* typeof(T) or typeof(expr): that type (the expression is typed, never run) */
		const struct ast_node *q = ts->of;
		struct et_type *t;

		while (!q->u.typeq.ty && q->u.typeq.expr && q->u.typeq.expr->kind == AST_TYPEOF)
			q = q->u.typeq.expr;
		if (q->u.typeq.ty)
			return typespec_any(s, q->u.typeq.ty);
		t = slot_value_type(s, q->u.typeq.expr, sema_expr(s, q->u.typeq.expr));
		if (!t || sema_is_none(t))
			return NULL;
		if (t->kind == ET_VOID || type_is_aggregation(t)) {
			sema_error(s, ts->loc, "typeof() of a %s value is not a type a value can have", sema_tname(s, t));
			return NULL;
		}
		return type_copy(s->arena, t); /* its own: slots unify integer types in place */
	}
	if (ts->is_array) {
		/* T[A][B]: A arrays of B elements T, built from the innermost dimension out */
		struct ast_typespec et = *ts;
		struct et_type *e;

		et.is_array = false;
		et.ndims = 0;
		if (!(e = typespec_any(s, &et)))
			return NULL;
		if (ts->ndims > AST_MAX_DIMS) {
			sema_error(s, ts->loc, "an array type has at most %u dimensions", AST_MAX_DIMS);
			return NULL;
		}
		for (uint32_t d = ts->ndims; d-- > 0;) {
			struct et_type *arr;

			if (!e->size || e->kind == ET_VOID || (uint64_t)e->size * ts->dims[d] > SEMA_MAX_ARRAY_BYTES) {
				sema_error(s, ts->loc, "an array of '%s' cannot be made%s", sema_tname(s, e),
					   e->size ? ": it would be too large" : ": the element has no size");
				if (!e->size && e->kind == ET_ARRAY)
					sema_hint(s, "only the first dimension may be left out ([])");
				return NULL;
			}
			arr = type_new(s->arena, ET_ARRAY, e->size * ts->dims[d]);
			arr->elem = e;
			arr->count = ts->dims[d];
			e = arr;
		}
		return e;
	}
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]) && !base; i++)
		if (strcmp(ts->name, ints[i].name) == 0)
			base = type_int(s->arena, ints[i].size, ints[i].is_signed);
	if (!base && strcmp(ts->name, "bool") == 0)
		base = s->t_bool;
	if (!base && strcmp(ts->name, "string") == 0 && !ts->pointer)
		return type_string(s->arena, s->max_strlen);
	if (!base && strcmp(ts->name, "void") == 0 && ts->pointer)
		base = s->t_void;
	if (!base)
		base = sema_named_type(s, ts->name, ts->loc); /* script C definitions, then kernel BTF */
	if (!base)
		return NULL;
	return ts->pointer ? sema_pointer_to(s, base, ts->pointer) : base;
}

static struct et_type *typespec(struct sema *s, const struct ast_typespec *ts)
{
	struct et_type *t = typespec_any(s, ts);

	if (t && t->kind == ET_ARRAY && !t->count) {
		sema_error(s, ts->loc, "the array type '%s[]' needs its number of elements here", ts->name);
		sema_hint(s, "write it, e.g. %s[4]; only a cast takes its count from the value", ts->name);
		return NULL;
	}
	return t;
}

/* Is n a syscall tracepoint's argument (args.X / args->X in syscalls:*), i.e. a user-space address? */
static bool syscall_user_arg(struct sema *s, const struct ast_node *n)
{
	const struct et_probe_desc *d;

	if (!n || n->kind != AST_FIELD || n->u.field.base->kind != AST_IDENT ||
	    strcmp(n->u.field.base->u.name, "args") != 0 || !s->probe || !s->probe->info->count)
		return false;
	d = &s->prog->probes[s->probe->info->first];
	return d->provider && d->provider->ctx == PROVIDER_CTX_TRACEPOINT && d->syscall && n->type &&
	       n->type->size == 8 &&
	       (type_is_integer(n->type) || n->type->kind == ET_POINTER);
}

/* Pointer type t pointing into `space` (t itself when it already does). A user pointer loses its BTF
 * id: it is never a kernel pointer the verifier lets codegen load through. */
static struct et_type *in_space(struct sema *s, struct et_type *t, enum et_addr_space space)
{
	struct et_type *u;

	if (t->space == space)
		return t;
	u = type_new(s->arena, ET_POINTER, 8);
	*u = *t;
	u->space = space;
	if (space == ET_AS_USER)
		u->btf_id = 0;
	return u;
}

enum et_addr_space sema_addr_space(const struct ast_node *n)
{
	const struct sema_call *c = n->kind == AST_CALL ? n->sym : NULL;

	if (n->type && n->type->kind == ET_POINTER)
		return n->type->space;
	if (c && c->id == BI_KADDR)
		return ET_AS_KERNEL;
	if (c && c->id == BI_UADDR)
		return ET_AS_USER;
	return ET_AS_NONE;
}

/* The address space of integer n used as an address, as bpftrace decides it: its origin's when known;
 * then a system call's argument, or any integer in a probe whose attach points are all uprobes/USDT,
 * is a user address; otherwise nothing says (codegen asks the attach point). */
static enum et_addr_space int_space(struct sema *s, const struct ast_node *n)
{
	enum et_addr_space space = sema_addr_space(n);

	if (space != ET_AS_NONE)
		return space;
	if (syscall_user_arg(s, n) || (s->probe && (s->probe->flags & PROVIDER_HAS_USER)))
		return ET_AS_USER;
	return ET_AS_NONE;
}

/* The address space the value of n (a field or an array element) is read from: that of the pointer
 * its struct or array was reached through; none for a struct held elsewhere (a probe's args). */
static enum et_addr_space read_from(const struct ast_node *n)
{
	while (n->kind == AST_FIELD || n->kind == AST_INDEX) {
		const struct ast_node *base = n->kind == AST_FIELD ? n->u.field.base : n->u.index.base;

		if (base->type && base->type->kind == ET_POINTER)
			return base->type->space;
		n = base;
	}
	return ET_AS_NONE;
}

/* Type t of a value read out of memory in `from` (bpftrace's rule): a pointer read from user memory
 * points into user memory; one read from kernel memory into kernel memory, unless its own type says
 * otherwise (a __user tag). */
static struct et_type *read_out_of(struct sema *s, struct et_type *t, enum et_addr_space from)
{
	if (!t || t->kind != ET_POINTER || from == ET_AS_NONE)
		return t;
	if (from == ET_AS_USER || t->space == ET_AS_NONE)
		return in_space(s, t, from);
	return t;
}

/* Casts to and from arrays, by bpftrace's rules: an integer or a string to an array of integers (or
 * bools) of the same size, or of a larger one up to 8 bytes for an integer; `T[]` takes its count from
 * the operand's size; an array to an integer of its size. The bytes are reinterpreted (little-endian). */
static struct et_type *array_cast(struct sema *s, struct ast_node *n, struct et_type *from, struct et_type *to)
{
	struct ast_node *o = n->u.cast.operand;
	struct et_type *t;
	bool ok;

	if (o->kind == AST_INT || (o->kind == AST_UNARY && o->u.unary.op == AST_OP_NEG &&
				   o->u.unary.operand->kind == AST_INT)) {
		/* a literal has the size of the smallest signed type that holds it in today's bpftrace:
		 * (uint8[4])0x01020304 and (uint8[])1 (one element) are what its users write */
		bool neg = o->kind == AST_UNARY;
		uint64_t v = neg ? o->u.unary.operand->u.integer.value : o->u.integer.value;
		uint32_t size = v <= (neg ? 128u : 127u) ? 1 : v <= (neg ? 32768u : 32767u) ? 2
			      : v <= (neg ? 2147483648u : 2147483647u) ? 4 : 8;

		from = type_int(s->arena, size, neg || v <= (uint64_t)INT64_MAX);
	}

	if (from->kind == ET_ARRAY) {
		if (to->kind == ET_INT && to->size == from->size)
			return to;
		sema_error(s, n->loc, "Cannot cast from '%s' to '%s'", sema_tname(s, from), sema_tname(s, to));
		sema_hint(s, "an array casts only to an integer of its size (%u bytes)", from->size);
		return s->t_none;
	}
	if (!type_is_integer(to->elem) || (!type_is_integer(from) && from->kind != ET_STRING)) {
		sema_error(s, n->loc, "Cannot cast from '%s' to '%s'", sema_tname(s, from), sema_tname(s, to));
		sema_hint(s, "only integers and strings cast to arrays, and only to arrays of integers");
		return s->t_none;
	}
	if (!to->count) {
		if (from->size % to->elem->size) {
			sema_error(s, n->loc, "Cannot determine array size: the element size is incompatible with "
					      "the cast %s size (%u bytes)",
				   from->kind == ET_STRING ? "string" : "integer", from->size);
			return s->t_none;
		}
		t = type_new(s->arena, ET_ARRAY, from->size);
		*t = *to;
		t->size = from->size;
		t->count = from->size / to->elem->size;
		to = t;
	}
	ok = to->size == from->size || (from->kind != ET_STRING && to->size <= 8 && to->size > from->size);
	if (!ok) {
		sema_error(s, n->loc, "Cannot cast from '%s' to '%s'", sema_tname(s, from), sema_tname(s, to));
		sema_hint(s, "the array must have the size of the %s (%u bytes)%s",
			  from->kind == ET_STRING ? "string" : "integer", from->size,
			  from->kind == ET_STRING || from->size >= 8 ? "" : ", or be larger up to 8 bytes");
		return s->t_none;
	}
	return to;
}

static struct et_type *cast_type(struct sema *s, struct ast_node *n)
{
	struct et_type *from = sema_expr(s, n->u.cast.operand);
	struct et_type *to = typespec_any(s, n->u.cast.to);

	if (!to || sema_is_none(from))
		return s->t_none;
	if (to->kind == ET_ARRAY && type_equal(from, to)) /* (uint8[4])pton(...): nothing to convert */
		return from;
	if (to->kind == ET_ARRAY || from->kind == ET_ARRAY)
		return array_cast(s, n, from, to);
	if (to->kind == ET_STRUCT) {
		sema_error(s, n->loc, "Cannot cast from '%s' to '%s': a struct is not a scalar", sema_tname(s, from),
			   sema_tname(s, to));
		sema_hint(s, "cast to a pointer, e.g. (%s *)arg0, and read fields with ->", sema_tname(s, to));
		return s->t_none;
	}
	if (to->kind == ET_STRING || !sema_is_intlike(from)) {
		sema_error(s, n->loc, "Cannot cast from '%s' to '%s'", sema_tname(s, from), sema_tname(s, to));
		return s->t_none;
	}
	if (to->kind == ET_INT && to->nfields && to->name && n->u.cast.operand->kind == AST_INT &&
	    !n->u.cast.operand->sym) {
		/* an enum: a literal must be one of its values (bpftrace checks literals only) */
		uint64_t v = n->u.cast.operand->u.integer.value;
		bool found = false;

		for (uint32_t i = 0; i < to->nfields && !found; i++)
			found = (to->fields[i].offset | (uint64_t)to->fields[i].bit_offset << 32) == v;
		if (!found) {
			sema_error(s, n->loc, "Enum: %s doesn't contain a variant value of %llu",
				   strncmp(to->name, "enum ", 5) ? to->name : to->name + 5, (unsigned long long)v);
			return s->t_none;
		}
	}
	if (to->kind == ET_POINTER) {
		/* the address space stays the operand's: a cast changes what is read, not where */
		enum et_addr_space space = int_space(s, n->u.cast.operand);

		if (space != ET_AS_NONE)
			to = in_space(s, to, space);
	}
	return to;
}

/* (T)e: bpftrace warns when e already has type T. Not for a literal, nor for a map's integer, which
 * etrace keeps at 8 bytes where bpftrace keeps the stored type. */
static struct et_type *cast(struct sema *s, struct ast_node *n)
{
	struct et_type *to = cast_type(s, n), *from = n->u.cast.operand->type;

	if (n->u.cast.written && !sema_is_none(to) && from && !int_literal(n->u.cast.operand) &&
	    !(n->u.cast.operand->kind == AST_MAP && from->kind == ET_INT) && type_equal(from, to) &&
	    (from->kind != ET_INT || from->nfields == to->nfields))
		sema_warning(s, n->loc, "Unnecessary cast: expression is already of type %s", sema_tname(s, from));
	return to;
}

/* A tracepoint record's `__data_loc` / `__rel_loc` field (probes/tracepoint.h): an offset and a length
 * into the record, which `args.F` turns into the data's address, as bpftrace does. */
static bool data_loc(const struct et_type *t)
{
	return t && t->kind == ET_INT && t->name &&
	       (strncmp(t->name, "__data_loc", 10) == 0 || strncmp(t->name, "__rel_loc", 9) == 0);
}

/* A pointer to a struct known only by its name where the pointer was declared (a script struct that
 * points to itself, or to one defined later): the same pointer to a struct of the right size, so that
 * p + 1 moves by it. t itself otherwise. */
static struct et_type *sized_pointee(struct sema *s, struct et_type *t, struct et_loc loc)
{
	struct et_type *c, *p;

	if (!t || t->kind != ET_POINTER || !t->elem || t->elem->kind != ET_STRUCT || t->elem->size ||
	    !t->elem->name || t->elem->btf_id)
		return t;
	c = sema_deref_struct(s, t->elem, loc);
	if (!c || !c->size)
		return t;
	p = sema_pointer_to(s, c, 1);
	p->space = t->space;
	return p;
}

/* The name of an attach point of the probe block as written whose args record has field `name`, when
 * args_split.c gave the current block's attach points a copy of their own (else NULL). */
static const char *args_sibling_with(struct sema *s, const char *name)
{
	const struct sema_args_family *f = s->probe->family;

	for (uint32_t i = 0; f && i < f->count; i++) {
		const struct et_type *t = f->records[i];

		for (uint32_t k = 0; k < t->nfields; k++)
			if (t->fields[k].name && strcmp(t->fields[k].name, name) == 0)
				return s->prog->probes[f->first + i].name;
	}
	return NULL;
}

/* args.common_pid etc.: bpftrace's error (sema_tp_common_field says why they cannot be read). */
static struct et_type *tp_common_error(struct sema *s, struct ast_node *n)
{
	sema_error(s, n->loc, "BPF does not support accessing common tracepoint fields");
	sema_hint(s, "the kernel hides a tracepoint record's first 8 bytes from BPF; use the builtins tid, "
		     "comm, cpu instead");
	return s->t_none;
}

static struct et_type *field(struct sema *s, struct ast_node *n)
{
	struct ast_node *base = n->u.field.base;
	bool on_args;
	struct et_type *t;
	const char *names[256];
	size_t nn = 0;
	const char *best, *have;

	if (args_deref(base))
		args_deref_drop(base); /* (*args).x is args.x */
	on_args = base->kind == AST_IDENT && strcmp(base->u.name, "args") == 0;
	s->probe->args_in_field = on_args;
	t = sema_expr(s, base);
	s->probe->args_in_field = false;

	if (sema_is_none(t))
		return s->t_none;
	/* `.` on a struct pointer reads through it, as `->` does (today's bpftrace: "If the `.` is used on
	 * a pointer, it is automatically dereferenced"; `->` is an alias of `.`) */
	if (t->kind == ET_POINTER && t->elem && t->elem->kind == ET_STRUCT) {
		t = sema_deref_struct(s, t->elem, n->loc); /* kernel structs are completed on first use */
		if (!t)
			return s->t_none;
	}
	if (t->kind != ET_STRUCT && t->kind != ET_RECORD) {
		sema_error(s, n->loc, "cannot access field '%s' on a value of type '%s'", n->u.field.name,
			   sema_tname(s, t));
		return s->t_none;
	}
	for (uint32_t i = 0; i < t->nfields; i++) {
		if (t->fields[i].name && strcmp(t->fields[i].name, n->u.field.name) == 0) {
			struct sema_field *sf = arena_alloc(s->arena, sizeof(*sf));
			bool ok = true;

			sf->field = t->fields[i];
			if (on_args) {
				sf->first = s->probe->info->first;
				sf->count = s->probe->info->count;
				sf->per_probe = sema_args_fields(s, n, n->u.field.name, &ok);
				if (sf->per_probe) {
					struct sema_field_use *u = arena_alloc(s->arena, sizeof(*u));

					u->field = sf;
					u->next = s->probe->field_uses;
					s->probe->field_uses = u;
				}
			}
			n->sym = sf;
			if (!ok)
				return s->t_none;
			if (on_args && sf->field.type && sf->field.type->kind == ET_NONE) {
				/* a uprobe parameter that cannot be read (kernel/dwarf.h): its type names why */
				sema_error(s, n->loc, "args.%s cannot be read in a uprobe: %s", n->u.field.name,
					   sf->field.type->name ? sf->field.type->name : "its type is unknown");
				sema_hint(s, "print(args) shows the parameters that can be read");
				return s->t_none;
			}
			if (sema_tp_common_field(t, &t->fields[i]))
				return tp_common_error(s, n);
			if (on_args && data_loc(sf->field.type))
				return s->t_u64; /* the data's kernel address in the record (codegen) */
			return read_out_of(s, sized_pointee(s, t->fields[i].type, n->loc), read_from(n));
		}
		if (nn < 256)
			names[nn++] = t->fields[i].name;
	}
	if (t->name && strncmp(t->name, "struct tracepoint:", 18) == 0 && strncmp(n->u.field.name, "common_", 7) == 0)
		return tp_common_error(s, n); /* $a = args; $a.common_pid: args whole has none */
	sema_error(s, n->loc, "Struct/union of type '%s' does not contain a field named '%s'", sema_tname(s, t),
		   n->u.field.name);
	best = sema_closest(n->u.field.name, names, nn);
	if (on_args && (have = args_sibling_with(s, n->u.field.name)))
		sema_hint(s, "%s has it: write a separate probe for the attach points that lack it", have);
	else if (best)
		sema_hint(s, "did you mean '%s'?", best);
	return s->t_none;
}

/* Element i of a tuple or record of type t (already analysed), for n: base.N, or base[N] rewritten. */
static struct et_type *tuple_elem(struct sema *s, struct ast_node *n, struct et_type *t, uint32_t i)
{
	if (sema_is_none(t))
		return s->t_none;
	if (t->kind != ET_TUPLE && t->kind != ET_RECORD) {
		sema_error(s, n->loc, "cannot take element %u of a value of type '%s'", i, sema_tname(s, t));
		return s->t_none;
	}
	if (i >= t->nfields) {
		sema_error(s, n->loc, "tuple index %u out of range: the tuple has %u element%s", i, t->nfields,
			   t->nfields == 1 ? "" : "s");
		return s->t_none;
	}
	n->sym = &t->fields[i];
	return t->fields[i].type;
}

static struct et_type *tuple_index(struct sema *s, struct ast_node *n)
{
	return tuple_elem(s, n, sema_expr(s, n->u.tuple_index.base), n->u.tuple_index.index);
}

/* $t[N] on a tuple is $t.N, as in bpftrace, whose N must be an integer known at compile time (a literal
 * or a constant expression such as 1 - 1): n becomes an AST_TUPLE_INDEX. */
static struct et_type *tuple_subscript(struct sema *s, struct ast_node *n, struct et_type *bt)
{
	struct ast_node *base = n->u.index.base;
	int64_t i;

	if (!sema_const_int(s, n->u.index.index, &i) || i < 0 || i > UINT32_MAX) {
		sema_error(s, n->u.index.index->loc, "Array-style access for tuples only valid for integer literals");
		sema_hint(s, "write a constant index, $t[0] or $t.0; a tuple's elements may differ in type, so a "
			     "variable cannot choose one");
		return s->t_none;
	}
	n->kind = AST_TUPLE_INDEX;
	n->u.tuple_index.base = base;
	n->u.tuple_index.index = (uint32_t)i;
	return tuple_elem(s, n, bt, (uint32_t)i);
}

/* base[i]: an element of an array (args.args[0], $s->ints[$i]), a byte of a string (int8), or the i-th
 * object a pointer points to (`$p[3]`, args.argv[1]), as in bpftrace. A constant index (a literal, $1,
 * a constant expression) outside an array or string is an error here; any other index into one is
 * checked when the program runs, with bpftrace's runtime warning when it is out of bounds. */
static struct et_type *index_expr(struct sema *s, struct ast_node *n)
{
	struct et_type *bt = sema_expr(s, n->u.index.base), *it = sema_expr(s, n->u.index.index);
	struct et_type *elem = NULL;
	struct sema_index *x;
	uint32_t count = 0;
	int64_t i;

	if (sema_is_none(bt) || sema_is_none(it))
		return s->t_none;
	if (bt->kind == ET_TUPLE)
		return tuple_subscript(s, n, bt);
	if (bt->kind == ET_ARRAY && bt->elem) {
		elem = bt->elem, count = bt->count;
	} else if (bt->kind == ET_STRING) {
		elem = type_int(s->arena, 1, true), count = bt->size;
	} else if (bt->kind == ET_POINTER) {
		elem = bt->elem ? sema_deref_struct(s, bt->elem, n->loc) : NULL;
		if (!elem || elem->kind == ET_VOID || !elem->size) {
			sema_error(s, n->loc, "the array index operator [] cannot be used on a pointer to an "
					      "unsized type ('%s')", sema_tname(s, bt));
			sema_hint(s, "cast the pointer to a sized type first, e.g. (uint8 *)");
			return s->t_none;
		}
	} else {
		sema_error(s, n->loc, "indexing with [ ] needs an array, a string or a pointer, not '%s'",
			   sema_tname(s, bt));
		if (bt->kind == ET_RECORD)
			sema_hint(s, "take a field of a record by its name: .NAME");
		return s->t_none;
	}
	if (!type_is_integer(it)) {
		sema_error(s, n->u.index.index->loc, "the array index must be an integer, not '%s'", sema_tname(s, it));
		return s->t_none;
	}
	x = arena_alloc(s->arena, sizeof(*x));
	x->event = -1;
	x->count = count;
	if (sema_const_int(s, n->u.index.index, &i)) {
		/* a zero-length array (a flexible array member) has no bounds, as in bpftrace */
		if (bt->kind != ET_POINTER && count && (i < 0 || (uint64_t)i >= count)) {
			sema_error(s, n->u.index.index->loc, "the index %lld is out of bounds for array of size %u",
				   (long long)i, count);
			sema_hint(s, "the elements are numbered 0 .. %u", count ? count - 1 : 0);
			return s->t_none;
		}
		x->is_const = true;
		x->value = i;
	} else if (count) {
		x->event = sema_add_event(s, ET_EV_RUNTIME_WARNING, SEMA_OOB_MSG, NULL, -1, n->loc);
	}
	n->sym = x;
	return read_out_of(s, elem, read_from(n));
}

static struct et_type *tuple(struct sema *s, struct ast_node *n, struct ast_list *l, const char **names)
{
	struct et_type **el = arena_alloc(s->arena, (l->count + 1) * sizeof(*el));
	struct et_type *t;

	for (uint32_t i = 0; i < l->count; i++) {
		struct et_type *e = sema_expr(s, l->items[i]);

		if (sema_is_none(e))
			return s->t_none;
		if (e->kind == ET_VOID || type_is_aggregation(e)) {
			sema_error(s, l->items[i]->loc, "a tuple element cannot be of type %s", sema_tname(s, e));
			return s->t_none;
		}
		el[i] = tuple_elem_type(s, l->items[i], e);
	}
	t = type_tuple(s->arena, el, l->count);
	if (names) {
		t->kind = ET_RECORD;
		for (uint32_t i = 0; i < l->count; i++)
			t->fields[i].name = names[i];
	}
	(void)n;
	return t;
}

/* bpftrace's import statement (an import inside a block, config unstable_import_statement): refused by
 * default with bpftrace's words; etrace imports only at the top level of a script, so when the config
 * allows it, it is still refused, saying where an import goes. */
static void import_stmt(struct sema *s, struct ast_node *n)
{
	if (s->unstable[SEMA_UNSTABLE_IMPORT_STATEMENT] == SEMA_UNSTABLE_ERROR) {
		sema_error(s, n->loc, "Import statements that are not at the top level are primarily for the standard "
				      "library. If this is functionality you need, please file an issue to explain why.");
		sema_hint(s, "move the import to the top level of the script, before its probes");
		return;
	}
	sema_unstable_use(s, SEMA_UNSTABLE_IMPORT_STATEMENT, n->loc);
	sema_error(s, n->loc, "etrace imports files only at the top level of a script, not inside a block");
	sema_hint(s, "move the import to the top level of the script, before its probes");
}

struct et_type *sema_typeof_type(struct sema *s, struct ast_node *q)
{
	struct et_type *t;

	/* sizeof(typeof(x)) is sizeof(x), as in bpftrace */
	while (!q->u.typeq.ty && q->u.typeq.expr && q->u.typeq.expr->kind == AST_TYPEOF)
		q = q->u.typeq.expr;
	if (q->u.typeq.ty)
		t = typespec(s, q->u.typeq.ty);
	else /* an integer constant has its literal type's size, as in bpftrace: sizeof(1) is 1 */
		t = slot_value_type(s, q->u.typeq.expr, sema_expr(s, q->u.typeq.expr));
	return t ? t : s->t_none;
}

static struct et_type *sizeof_expr(struct sema *s, struct ast_node *n)
{
	struct sema_const *c = arena_alloc(s->arena, sizeof(*c));
	struct et_type *t = sema_typeof_type(s, n);

	if (sema_is_none(t))
		return s->t_none;
	c->value = t->size;
	n->sym = c;
	return s->t_u64;
}

/* offsetof(struct x, a.b): the byte offset of a (nested) field, a compile-time uint64. */
static struct et_type *offsetof_expr(struct sema *s, struct ast_node *n)
{
	struct et_type *t = typespec(s, n->u.offsetof.ty);
	struct sema_const *c = arena_alloc(s->arena, sizeof(*c));
	uint64_t off = 0;

	for (uint32_t k = 0; t && k < n->u.offsetof.npath; k++) {
		const char *name = n->u.offsetof.path[k];
		uint32_t i;

		t = sema_deref_struct(s, t, n->loc);
		if (!t)
			return s->t_none;
		if (t->kind != ET_STRUCT && t->kind != ET_RECORD) {
			sema_error(s, n->loc, "offsetof: '%s' is not a struct", sema_tname(s, t));
			return s->t_none;
		}
		for (i = 0; i < t->nfields; i++)
			if (t->fields[i].name && strcmp(t->fields[i].name, name) == 0)
				break;
		if (i == t->nfields) {
			const char **names = arena_alloc(s->arena, (t->nfields + 1) * sizeof(*names));
			const char *best;

			for (uint32_t j = 0; j < t->nfields; j++)
				names[j] = t->fields[j].name;
			sema_error(s, n->loc, "'%s' has no field named '%s'", sema_tname(s, t), name);
			best = sema_closest(name, names, t->nfields);
			if (best)
				sema_hint(s, "did you mean '%s'?", best);
			return s->t_none;
		}
		off += t->fields[i].offset;
		t = t->fields[i].type;
	}
	if (!t)
		return s->t_none;
	c->value = (int64_t)off;
	n->sym = c;
	return s->t_u64;
}

static struct et_type *block_expr(struct sema *s, struct ast_node *n)
{
	struct sema_scope sc = {.up = s->probe->scope};
	struct et_type *t = s->t_void;

	s->probe->scope = &sc;
	for (uint32_t i = 0; i < n->u.block.stmts.count; i++)
		sema_stmt(s, n->u.block.stmts.items[i]);
	if (n->u.block.value)
		t = sema_expr(s, n->u.block.value);
	s->probe->scope = sc.up;
	return t;
}

static struct et_type *expr_inner(struct sema *s, struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT:
		if (n->sym) /* an enumerator (sema_enum_ident) */
			return n->sym;
		return n->u.integer.is_unsigned || n->u.integer.value > (uint64_t)INT64_MAX ? s->t_u64 : s->t_i64;
	case AST_BOOL:
		return s->t_bool;
	case AST_STRING:
		return string_literal(s, n);
	case AST_IDENT:
		return sema_ident(s, n);
	case AST_POSITIONAL:
		return positional(s, n, false);
	case AST_POSITIONAL_COUNT: {
		struct sema_const *c = arena_alloc(s->arena, sizeof(*c));

		c->value = s->opts->npositional;
		n->sym = c;
		return s->t_i64;
	}
	case AST_VAR:
		return var_read(s, n);
	case AST_MAP:
		return sema_map_read(s, n);
	case AST_CALL:
		return sema_call(s, n, false);
	case AST_BINARY:
		return binary(s, n);
	case AST_UNARY:
		return unary(s, n);
	case AST_INCDEC:
		return incdec(s, n);
	case AST_TERNARY:
		return ternary(s, n);
	case AST_CAST:
		return cast(s, n);
	case AST_FIELD:
		return field(s, n);
	case AST_TUPLE_INDEX:
		return tuple_index(s, n);
	case AST_TUPLE:
		return tuple(s, n, &n->u.list, NULL);
	case AST_RECORD:
		return tuple(s, n, &n->u.record.values, n->u.record.names);
	case AST_SIZEOF:
		return sizeof_expr(s, n);
	case AST_BLOCK_EXPR:
		return block_expr(s, n);
	case AST_INDEX:
		return index_expr(s, n);
	case AST_OFFSETOF:
		return offsetof_expr(s, n);
	case AST_TYPEOF:
		if (n->u.typeq.expr)
			sema_expr(s, n->u.typeq.expr);
		sema_error(s, n->loc, "typeof() is a type, not a value");
		sema_hint(s, "use it where a type goes: a cast (typeof($x))v, let $v: typeof($x), sizeof() or a macro's "
			     "type argument");
		return s->t_none;
	default:
		sema_error(s, n->loc, "expected an expression, found %s", ast_kind_name(n->kind));
		return s->t_none;
	}
}

struct et_type *sema_expr(struct sema *s, struct ast_node *n)
{
	struct et_type *t = expr_inner(s, n);

	if (!t)
		t = s->t_none;
	n->type = t;
	return t;
}

const struct et_field *sema_field_of(const struct ast_node *n, uint32_t probe)
{
	const struct sema_field *sf = n->sym;

	if (!sf)
		return NULL;
	if (sf->per_probe && probe >= sf->first && probe - sf->first < sf->count)
		return sf->per_probe[probe - sf->first];
	return &sf->field;
}

/* ---- statements ---- */

static void cond_check(struct sema *s, struct ast_node *c, const char *what)
{
	struct et_type *t = sema_expr(s, c);

	if (!sema_is_none(t) && !sema_is_intlike(t))
		sema_error(s, c->loc, "Invalid condition in %s: %s", what, sema_tname(s, t));
}

/* As in bpftrace, an integer literal given to a typed let must fit the type (`let $a: uint16 = -1;`
 * needs an explicit cast), also when assigned later (`let $a: uint8; $a = -1;`); a variable or an
 * expression of a wider type only converts (truncated to the declared type when stored). */
static void let_literal_range(struct sema *s, const char *var, struct ast_node *init, const struct et_type *t)
{
	int64_t val, lo, hi;
	uint64_t uhi;
	bool neg_ok, fits;

	if (!init || !t || t->kind != ET_INT || t->size == 0 || t->size > 8 || init->kind == AST_CAST ||
	    init->kind == AST_VAR || !sema_const_int(s, init, &val))
		return;
	neg_ok = t->is_signed;
	if (init->kind == AST_INT && (init->u.integer.is_unsigned || init->u.integer.value > (uint64_t)INT64_MAX)) {
		/* a literal above INT64_MAX: only a 64-bit unsigned type holds it */
		fits = !t->is_signed && t->size == 8;
		lo = 0;
	} else if (t->size == 8) {
		fits = neg_ok || val >= 0;
		lo = neg_ok ? INT64_MIN : 0;
	} else {
		unsigned bits = t->size * 8;
		lo = neg_ok ? -((int64_t)1 << (bits - 1)) : 0;
		hi = neg_ok ? ((int64_t)1 << (bits - 1)) - 1 : (int64_t)(((uint64_t)1 << bits) - 1);
		fits = val >= lo && val <= hi;
	}
	if (fits)
		return;
	uhi = t->size == 8 ? (neg_ok ? (uint64_t)INT64_MAX : UINT64_MAX)
			   : (neg_ok ? ((uint64_t)1 << (t->size * 8 - 1)) - 1 : ((uint64_t)1 << (t->size * 8)) - 1);
	sema_error(s, init->loc, "this value does not fit %s's type %s (%lld to %llu)", var,
		   sema_tname(s, t), (long long)lo, (unsigned long long)uhi);
	sema_hint(s, "cast it if the truncation is meant: (%s)", sema_tname(s, t));
}

static void assign(struct sema *s, struct ast_node *n)
{
	struct ast_node *target = n->u.assign.target, *value = n->u.assign.value;
	enum ast_op op = n->u.assign.op;

	if (!target) {
		sema_expr(s, value);
		return;
	}
	if (target->kind == AST_MAP) {
		struct sema_map *m = sema_map_get(s, target->u.map.name, target->loc);
		struct et_type *vt, *ct;

		target->sym = map_ref(s, m);
		sema_map_keys(s, target, m);
		if (op == AST_OP_NONE && sema_is_agg_call(value)) {
			vt = sema_call(s, value, true);
			value->type = vt;
			map_store(s, m, target, NULL, vt, n->loc);
			return;
		}
		vt = sema_expr(s, value);
		if (op != AST_OP_NONE) {
			m->read = true;
			if (!sema_is_none(vt) && !sema_is_intlike(vt)) {
				sema_error(s, n->loc, "the %s= operator needs an integer value, not %s", ast_op_text(op),
					   sema_tname(s, vt));
				return;
			}
			if (m->value && m->value->kind != ET_INT &&
			    !(m->value->kind == ET_POINTER && pointer_moves(op, vt))) {
				sema_error(s, n->loc, "the %s= operator needs an integer map; %s holds %s",
					   ast_op_text(op), m->name, sema_tname(s, m->value));
				if (m->value->kind == ET_POINTER)
					sema_hint(s, "a pointer only moves by an integer, with += and -=");
				return;
			}
			if (op == AST_OP_DIV || op == AST_OP_MOD)
				divisor_check(s, n, NULL, value, op);
			ct = sema_is_none(vt) ? NULL : compound_type(s, op, m->value, value, vt);
			map_store(s, m, target, NULL, ct ? ct : m->value ? m->value : s->t_i64, n->loc);
			return;
		}
		map_store(s, m, target, value, vt, n->loc);
		return;
	}
	if (target->kind == AST_VAR) {
		struct et_type *vt = sema_expr(s, value);

		var_assign(s, target, value, vt, op, n->loc);
		if (op == AST_OP_NONE && target->sym) {
			const struct sema_var *v = target->sym;

			/* a typed let's type never widens: a literal must fit it */
			if (v->fixed && v->type && v->type->kind == ET_INT && !v->type->nfields && v->type->size < 8)
				let_literal_range(s, v->name, value, v->type);
		}
		if ((op == AST_OP_DIV || op == AST_OP_MOD) && !sema_is_none(vt))
			divisor_check(s, n, NULL, value, op);
		return;
	}
	sema_expr(s, value);
	sema_error(s, target->loc, "cannot assign to this expression");
	sema_hint(s, "assign to a variable ($x = ...) or a map (@m[key] = ...)");
}

static void let(struct sema *s, struct ast_node *n)
{
	struct sema_scope_var *old = var_lookup(s, n->u.let.var), *v;
	struct et_type *t = NULL, *vt = NULL;

	if (n->u.let.ty)
		t = typespec(s, n->u.let.ty);
	if (n->u.let.init)
		vt = sema_expr(s, n->u.let.init);
	if (old) {
		sema_error(s, n->loc, "variable %s is already declared (at line %u)", n->u.let.var, old->var->loc.line);
		sema_hint(s, "give the new variable another name");
	}
	let_literal_range(s, n->u.let.var, n->u.let.init, t); /* the type as written */
	if (t && t->kind == ET_INT && !t->nfields && t->size < 8)
		t = type_int(s->arena, t->size, t->is_signed); /* every store converts to it, as in bpftrace */
	else if (t)
		t = sema_storage_type(s, t);
	else if (n->u.let.ty)
		t = s->t_none;
	v = var_declare(s, s->probe->scope, n->u.let.var, t, n->loc);
	v->var->fixed = t != NULL;
	n->sym = v->var;
	n->type = s->t_void;
	if (n->u.let.init) {
		struct ast_node target = {.kind = AST_VAR, .loc = n->loc};

		target.u.name = n->u.let.var;
		var_assign(s, &target, n->u.let.init, vt, AST_OP_NONE, n->loc);
	}
}

static void loop_body(struct sema *s, struct ast_node *body)
{
	s->probe->loop_depth++;
	sema_block(s, body, true);
	s->probe->loop_depth--;
}

static void for_map(struct sema *s, struct ast_node *n)
{
	struct sema_scope sc = {.up = s->probe->scope};
	struct sema_scope_var *v;
	int mi = sema_map_whole(s, n->u.for_map.map, true);
	struct et_type *t = s->t_none;

	if (mi >= 0 && !sema_map_has_keys(s, &s->maps[mi], "a for loop", n->u.for_map.map->loc,
					   "a for loop visits the entries of a map with keys; %s holds a single value: "
					   "read %s itself")) {
		mi = -1;
	}
	if (mi >= 0) {
		struct sema_map *m = &s->maps[mi];

		if (type_is_aggregation(m->value) && !sema_agg_value_type(s, m->value)) {
			sema_error(s, n->u.for_map.map->loc, "a for loop cannot visit %s: its values are %s() "
				   "aggregations, which are only printed", m->name, sema_tname(s, m->value));
			sema_hint(s, "loops visit maps of plain values and of count(), sum(), min(), max() and avg()");
		} else {
			/* an aggregation's value is its number, the CPUs combined (sema_agg_value_type) */
			struct et_type *vt = sema_agg_value_type(s, m->value) ? sema_agg_value_type(s, m->value) : m->value;
			struct et_type *el[2] = {m->key_state == 2 ? m->key : s->t_u64, vt};

			t = type_tuple(s->arena, el, 2);
		}
	}
	s->probe->scope = &sc;
	v = var_declare(s, &sc, n->u.for_map.var, t, n->loc);
	v->assigned = true;
	v->used = true;
	n->sym = v->var;
	loop_body(s, n->u.for_map.body);
	s->probe->scope = sc.up;
}

static void for_range(struct sema *s, struct ast_node *n)
{
	struct sema_scope sc = {.up = s->probe->scope};
	struct sema_scope_var *v;
	struct et_type *lo = sema_expr(s, n->u.for_range.lo), *hi = sema_expr(s, n->u.for_range.hi), *rt;

	if (!sema_is_none(lo) && !sema_is_intlike(lo))
		sema_error(s, n->u.for_range.lo->loc, "range bounds must be integers, not %s", sema_tname(s, lo));
	if (!sema_is_none(hi) && !sema_is_intlike(hi))
		sema_error(s, n->u.for_range.hi->loc, "range bounds must be integers, not %s", sema_tname(s, hi));
	/* the loop variable has the type both bounds promote to, as bpftrace types it (0..5 gives an int8);
	 * bpftrace keeps the start's type when the sizes are equal, which cuts (int8)0..(uint8)200 short:
	 * here the promotion holds both bounds. A fresh object: it may widen. */
	if (lo->kind == ET_INT && hi->kind == ET_INT && !lo->nfields && !hi->nfields) {
		rt = tuple_slot_type(s, slot_value_type(s, n->u.for_range.lo, lo));
		int_slot_promote(rt, slot_value_type(s, n->u.for_range.hi, hi));
	} else {
		rt = type_int(s->arena, 8, true);
	}
	s->probe->scope = &sc;
	v = var_declare(s, &sc, n->u.for_range.var, rt, n->loc);
	v->assigned = true;
	v->used = true;
	n->sym = v->var;
	loop_body(s, n->u.for_range.body);
	s->probe->scope = sc.up;
}

void sema_block(struct sema *s, struct ast_node *block, bool new_scope)
{
	struct sema_scope sc = {.up = s->probe->scope};

	block->type = s->t_void;
	if (block->kind != AST_BLOCK) {
		sema_stmt(s, block);
		return;
	}
	if (new_scope)
		s->probe->scope = &sc;
	for (uint32_t i = 0; i < block->u.block.stmts.count; i++)
		sema_stmt(s, block->u.block.stmts.items[i]);
	if (new_scope) {
		for (struct sema_scope_var *v = sc.vars; v; v = v->next) {
			if (!v->used && v->assigned && !sema_is_none(v->var->type))
				sema_warning(s, v->var->loc, "variable %s is assigned but never used", v->name);
			v->next_closed = s->probe->closed;
			s->probe->closed = v;
		}
		s->probe->scope = sc.up;
	}
}

void sema_stmt(struct sema *s, struct ast_node *n)
{
	int64_t c;

	switch (n->kind) {
	case AST_EXPR_STMT: {
		struct ast_node *e = n->u.expr_stmt.expr;
		struct et_type *t = sema_expr(s, e);
		struct sema_call *call = e->kind == AST_CALL ? e->sym : NULL;

		/* delete() returns whether it deleted, but `delete(@m, k);` is how it is written: no warning
		 * (bpftrace's docs: "delete(@a, 1); // no warning"; today's bpftrace, whose delete calls a C
		 * function, gives no run-time warning either when the key is missing) */
		if (call && call->id == BI_DELETE)
			break;
		/* bpftrace warns about a value computed and thrown away (`_ = expr;` says it is meant); ++/--
		 * are statements, and void calls (printf, exit...) have nothing to discard */
		if (t && !sema_is_none(t) && t->kind != ET_VOID && e->kind != AST_INCDEC)
			sema_warning(s, e->loc, "Return value discarded.");
		break;
	}
	case AST_ASSIGN:
		assign(s, n);
		break;
	case AST_LET:
		let(s, n);
		break;
	case AST_IMPORT:
		import_stmt(s, n);
		break;
	case AST_IF: {
		/* a branch a constant condition never takes is dead: fail()/static_assert() there are quiet */
		bool known = false;

		cond_check(s, n->u.if_.cond, "if()");
		known = sema_comptime_int(s, n->u.if_.cond, &c);
		s->dead += known && !c;
		sema_block(s, n->u.if_.then, true);
		s->dead -= known && !c;
		if (n->u.if_.els) {
			s->dead += known && c;
			sema_block(s, n->u.if_.els, true);
			s->dead -= known && c;
		}
		break;
	}
	case AST_WHILE:
		cond_check(s, n->u.while_.cond, "while()");
		loop_body(s, n->u.while_.body);
		break;
	case AST_FOR_MAP:
		for_map(s, n);
		break;
	case AST_FOR_RANGE:
		for_range(s, n);
		break;
	case AST_UNROLL: {
		uint32_t outer = s->probe->unroll_copies ? s->probe->unroll_copies : 1;

		sema_expr(s, n->u.unroll.count);
		if (!sema_const_int(s, n->u.unroll.count, &c)) {
			sema_error(s, n->u.unroll.count->loc, "unroll() needs a constant integer count");
		} else if (c < 1 || c > 100) {
			sema_error(s, n->u.unroll.count->loc, "unroll() count must be between 1 and 100 (%" PRId64
				   " given)", c);
		} else if ((uint64_t)outer * (uint64_t)c > SEMA_MAX_UNROLL_COPIES) {
			sema_error(s, n->u.unroll.count->loc, "unroll(%" PRId64 ") inside unroll() repeats its body %" PRIu64
				   " times, more than the %u copies etrace compiles", c, (uint64_t)outer * (uint64_t)c,
				   SEMA_MAX_UNROLL_COPIES);
			sema_hint(s, "lower the counts, or use a loop: for ($i : 0..N) { ... }");
		} else {
			struct sema_const *k = arena_alloc(s->arena, sizeof(*k));

			k->value = c;
			n->sym = k;
			s->probe->unroll_copies = (uint32_t)((uint64_t)outer * (uint64_t)c);
		}
		sema_block(s, n->u.unroll.body, true);
		s->probe->unroll_copies = outer == 1 ? 0 : outer;
		break;
	}
	case AST_BREAK:
	case AST_CONTINUE:
		if (s->probe->loop_depth == 0)
			sema_error(s, n->loc, "'%s' can only be used inside a loop",
				   n->kind == AST_BREAK ? "break" : "continue");
		break;
	case AST_RETURN:
		/* bpftrace: a probe may return an integer (the program's return value) */
		if (n->u.ret.value) {
			struct et_type *t = sema_expr(s, n->u.ret.value);

			if (!sema_is_none(t) && !sema_is_intlike(t)) {
				sema_error(s, n->u.ret.value->loc, "a probe can only return an integer, not %s",
					   sema_tname(s, t));
				sema_hint(s, "write 'return;' to end the probe, or exit() to end the program");
			}
		}
		break;
	case AST_BLOCK:
		sema_block(s, n, true);
		break;
	default:
		sema_expr(s, n);
		break;
	}
	if (!n->type)
		n->type = s->t_void;
}
