/* builtins_meta: bpftrace's introspection functions (its stdlib meta.bt), answered from the argument's
 * type when the script is compiled: is_str, is_ptr, is_array, is_integer, is_unsigned_integer,
 * is_literal (the argument is analysed, never evaluated: sema_call.expr is the bool literal); and is_err,
 * the kernel's IS_ERR() test, evaluated in the probe; typeinfo, the record bpftrace describes a type with. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* bpftrace's name of a type's kind (its typestr(Type)): typeinfo's base_type; NULL for a kind whose
 * bpftrace name etrace does not know (its `probe` value). */
static const char *base_type_name(const struct et_type *t)
{
	switch (t->kind) {
	case ET_NONE: return "none";
	case ET_VOID: return "void";
	case ET_INT: return "int";
	case ET_BOOL: return "bool";
	case ET_STRING: return "string";
	case ET_BUFFER: return "buffer";
	case ET_TUPLE: return "tuple";
	case ET_RECORD: return "record";
	case ET_POINTER: return "pointer";
	case ET_STRUCT: return "c_type";
	case ET_ARRAY: return "array";
	case ET_KSTACK: return "kstack";
	case ET_USTACK: return "ustack";
	case ET_KSYM: return "ksym_t";
	case ET_USYM: return "usym_t";
	case ET_INET: return "inet";
	case ET_PROBE: return NULL;
	case ET_USERNAME: return "username_t";
	case ET_TIMESTAMP: return "timestamp";
	case ET_CGROUP_PATH: return "cgroup_path_t";
	case ET_AGG_COUNT: return "count_t";
	case ET_AGG_SUM: return "sum_t";
	case ET_AGG_MIN: return "min_t";
	case ET_AGG_MAX: return "max_t";
	case ET_AGG_AVG: return "avg_t";
	case ET_AGG_STATS: return "stats_t";
	case ET_AGG_HIST: return "hist_t";
	case ET_AGG_LHIST: return "lhist_t";
	case ET_AGG_TSERIES: return "tseries_t";
	}
	return NULL;
}

/* a bounded text being built; a name too long for it is cut (typeinfo's names are for reading) */
struct name_buf {
	char text[512];
	size_t len;
};

static void add(struct name_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len >= sizeof(b->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->text + b->len, sizeof(b->text) - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < sizeof(b->text) - b->len ? (size_t)n : sizeof(b->text) - 1 - b->len;
}

/* bpftrace's full name of a type (its typestr(SizedType)), which differs from etrace's messages
 * (type_format): "(int64,string[3])", "record { .a = int64 }", "kstack_bpftrace_127", "ksym_t",
 * "string[16]", an array's counts from the element out ("uint8[4][2]" is two of uint8[4]). */
static void full_type_name(const struct et_type *t, struct name_buf *b)
{
	const char *base = base_type_name(t);

	switch (t->kind) {
	case ET_INT:
		if (t->nfields && t->name) /* an enum: "enum x" */
			add(b, "%s%s", strncmp(t->name, "enum ", 5) == 0 ? "" : "enum ", t->name);
		else
			add(b, "%sint%u", t->is_signed ? "" : "u", t->size * 8);
		return;
	case ET_STRING:
	case ET_BUFFER:
	case ET_INET:
		add(b, "%s[%u]", base, t->size);
		return;
	case ET_POINTER:
		if (t->elem)
			full_type_name(t->elem, b);
		else
			add(b, "void");
		add(b, " *");
		return;
	case ET_ARRAY:
		full_type_name(t->elem, b);
		add(b, "[%u]", t->count);
		return;
	case ET_STRUCT:
		add(b, "%s", t->name ? t->name : "struct");
		return;
	case ET_TUPLE:
	case ET_RECORD:
		add(b, t->kind == ET_TUPLE ? "(" : "record { ");
		for (uint32_t i = 0; i < t->nfields; i++) {
			if (i)
				add(b, t->kind == ET_TUPLE ? "," : ", ");
			if (t->kind == ET_RECORD)
				add(b, ".%s = ", t->fields[i].name);
			full_type_name(t->fields[i].type, b);
		}
		add(b, t->kind == ET_TUPLE ? ")" : " }");
		return;
	case ET_KSTACK:
	case ET_USTACK:
		add(b, "%s_%s_%u", base, t->name ? t->name : "bpftrace", t->count);
		return;
	case ET_AGG_SUM:
	case ET_AGG_MIN:
	case ET_AGG_MAX:
	case ET_AGG_AVG:
	case ET_AGG_STATS:
		add(b, "%s%s", t->is_signed ? "" : "u", base);
		return;
	default:
		add(b, "%s", base);
		return;
	}
}

static void add_field(struct sema *s, struct ast_node *r, const char *name, const char *text)
{
	ast_record_add(s->arena, r, name, ast_new_string(s->arena, r->loc, arena_strdup(s->arena, text),
							 (uint32_t)strlen(text)));
}

/* typeinfo(T), typeinfo(e) (bpftrace's unstable typeinfo): the record (btf_id = 0, base_type, full_type)
 * of the type, as bpftrace's AstTransformer makes it (0 is its placeholder id, it numbers no types). e is
 * analysed, never evaluated. A map of count(), sum() ... is described by its aggregation type, as in
 * bpftrace, not by the integer it reads as. */
struct et_type *check_typeinfo(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0], *e = a->kind == AST_TYPEOF ? a->u.typeq.expr : NULL;
	struct name_buf full = { .len = 0 };
	struct et_type *t;
	const char *base;

	sema_unstable_use(s, SEMA_UNSTABLE_TYPEINFO, n->loc);
	if (s->unstable[SEMA_UNSTABLE_TYPEINFO] == SEMA_UNSTABLE_ERROR)
		return s->t_none;
	if (a->kind != AST_TYPEOF) { /* only a macro's substitution can make one */
		sema_error(s, a->loc, "typeinfo() takes a type or an expression");
		return s->t_none;
	}
	t = sema_typeof_type(s, a);
	if (sema_is_none(t))
		return s->t_none;
	if (e && e->kind == AST_MAP) {
		struct sema_map *m = sema_map_get(s, e->u.map.name, e->loc);

		if (m && m->value && type_is_aggregation(m->value))
			t = m->value;
	}
	base = base_type_name(t);
	if (!base) {
		sema_error(s, a->loc, "typeinfo() cannot describe %s: etrace does not know bpftrace's name for it",
			   sema_tname(s, t));
		sema_hint(s, "print(probe) prints the probe's name");
		return s->t_none;
	}
	full.text[0] = 0;
	full_type_name(t, &full);
	c->expr = ast_new_record(s->arena, n->loc);
	ast_record_add(s->arena, c->expr, "btf_id", ast_new_int(s->arena, n->loc, 0, false));
	add_field(s, c->expr, "base_type", base);
	add_field(s, c->expr, "full_type", full.text);
	return sema_expr(s, c->expr);
}
