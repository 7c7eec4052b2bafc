/* ast: node constructors, kind and operator names, the child enumerator and the walker (see ast.h). */
#include "parser/ast.h"

#include <string.h>

#include "support/arena.h"

static const char *const kind_names[] = {
#define X(k, name) name,
#include "parser/ast_kinds.def"
#undef X
};

const char *ast_kind_name(enum ast_kind k)
{
	if ((unsigned)k >= AST_KIND_COUNT)
		return "?";
	return kind_names[k];
}

const char *ast_op_text(enum ast_op op)
{
	switch (op) {
	case AST_OP_NONE: return "";
	case AST_OP_ADD: return "+";
	case AST_OP_SUB: return "-";
	case AST_OP_MUL: return "*";
	case AST_OP_DIV: return "/";
	case AST_OP_MOD: return "%";
	case AST_OP_BAND: return "&";
	case AST_OP_BOR: return "|";
	case AST_OP_BXOR: return "^";
	case AST_OP_SHL: return "<<";
	case AST_OP_SHR: return ">>";
	case AST_OP_LAND: return "&&";
	case AST_OP_LOR: return "||";
	case AST_OP_EQ: return "==";
	case AST_OP_NE: return "!=";
	case AST_OP_LT: return "<";
	case AST_OP_LE: return "<=";
	case AST_OP_GT: return ">";
	case AST_OP_GE: return ">=";
	case AST_OP_NEG: return "-";
	case AST_OP_PLUS: return "+";
	case AST_OP_NOT: return "!";
	case AST_OP_BNOT: return "~";
	case AST_OP_DEREF: return "*";
	case AST_OP_ADDR: return "&";
	case AST_OP_INC: return "++";
	case AST_OP_DEC: return "--";
	}
	return "?";
}

bool ast_op_is_comparison(enum ast_op op)
{
	switch (op) {
	case AST_OP_EQ:
	case AST_OP_NE:
	case AST_OP_LT:
	case AST_OP_LE:
	case AST_OP_GT:
	case AST_OP_GE:
		return true;
	default:
		return false;
	}
}

void ast_list_push(struct arena *a, struct ast_list *l, struct ast_node *n)
{
	if (l->count == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 4;
		l->items = arena_grow(a, l->items, l->cap, cap, sizeof(*l->items));
		l->cap = cap;
	}
	l->items[l->count++] = n;
}

struct ast_list *ast_list_new(struct arena *a)
{
	return arena_alloc(a, sizeof(struct ast_list));
}

static struct ast_list copy_list(const struct ast_list *l)
{
	struct ast_list empty = { 0 };
	return l ? *l : empty;
}

struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct et_loc loc)
{
	struct ast_node *n = arena_alloc(a, sizeof(*n));
	n->kind = kind;
	n->loc = loc;
	return n;
}

struct ast_node *ast_new_int(struct arena *a, struct et_loc loc, uint64_t v, bool is_unsigned)
{
	struct ast_node *n = ast_new(a, AST_INT, loc);
	n->u.integer.value = v;
	n->u.integer.is_unsigned = is_unsigned;
	return n;
}

struct ast_node *ast_new_bool(struct arena *a, struct et_loc loc, bool v)
{
	struct ast_node *n = ast_new(a, AST_BOOL, loc);
	n->u.integer.value = v;
	return n;
}

struct ast_node *ast_new_string(struct arena *a, struct et_loc loc, const char *bytes, uint32_t len)
{
	struct ast_node *n = ast_new(a, AST_STRING, loc);
	n->u.string.bytes = bytes;
	n->u.string.len = len;
	return n;
}

struct ast_node *ast_new_name(struct arena *a, enum ast_kind kind, struct et_loc loc, const char *name)
{
	struct ast_node *n = ast_new(a, kind, loc);
	n->u.name = name;
	return n;
}

struct ast_node *ast_new_positional(struct arena *a, struct et_loc loc, uint32_t index)
{
	struct ast_node *n = ast_new(a, AST_POSITIONAL, loc);
	n->u.positional.index = index;
	return n;
}

struct ast_node *ast_new_map(struct arena *a, struct et_loc loc, const char *name, struct ast_list *keys)
{
	struct ast_node *n = ast_new(a, AST_MAP, loc);
	n->u.map.name = name;
	n->u.map.keys = keys;
	return n;
}

struct ast_node *ast_new_call(struct arena *a, struct et_loc loc, const char *name, struct ast_list *args)
{
	struct ast_node *n = ast_new(a, AST_CALL, loc);
	n->u.call.name = name;
	n->u.call.args = copy_list(args);
	n->u.call.parens = true;
	return n;
}

struct ast_node *ast_new_binary(struct arena *a, struct et_loc loc, enum ast_op op, struct ast_node *l,
				struct ast_node *r)
{
	struct ast_node *n = ast_new(a, AST_BINARY, loc);
	n->u.binary.op = op;
	n->u.binary.lhs = l;
	n->u.binary.rhs = r;
	return n;
}

struct ast_node *ast_new_unary(struct arena *a, struct et_loc loc, enum ast_op op, struct ast_node *e)
{
	struct ast_node *n = ast_new(a, AST_UNARY, loc);
	n->u.unary.op = op;
	n->u.unary.operand = e;
	return n;
}

struct ast_node *ast_new_incdec(struct arena *a, struct et_loc loc, enum ast_op op, bool prefix,
				struct ast_node *e)
{
	struct ast_node *n = ast_new(a, AST_INCDEC, loc);
	n->u.incdec.op = op;
	n->u.incdec.prefix = prefix;
	n->u.incdec.operand = e;
	return n;
}

struct ast_node *ast_new_ternary(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *t,
				 struct ast_node *e)
{
	struct ast_node *n = ast_new(a, AST_TERNARY, loc);
	n->u.ternary.cond = c;
	n->u.ternary.then = t;
	n->u.ternary.els = e;
	return n;
}

struct ast_node *ast_new_if_expr(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *t,
				 struct ast_node *e)
{
	struct ast_node *n = ast_new_ternary(a, loc, c, t, e);
	n->u.ternary.is_if = true;
	return n;
}

struct ast_typespec *ast_new_typespec(struct arena *a, struct et_loc loc, const char *name)
{
	struct ast_typespec *t = arena_alloc(a, sizeof(*t));
	t->loc = loc;
	t->name = name;
	return t;
}

struct ast_node *ast_new_cast(struct arena *a, struct et_loc loc, struct ast_typespec *to, struct ast_node *e)
{
	struct ast_node *n = ast_new(a, AST_CAST, loc);
	n->u.cast.to = to;
	n->u.cast.operand = e;
	return n;
}

struct ast_node *ast_new_field(struct arena *a, struct et_loc loc, struct ast_node *base, const char *name,
			       bool arrow)
{
	struct ast_node *n = ast_new(a, AST_FIELD, loc);
	n->u.field.base = base;
	n->u.field.name = name;
	n->u.field.arrow = arrow;
	return n;
}

struct ast_node *ast_new_index(struct arena *a, struct et_loc loc, struct ast_node *base, struct ast_node *idx)
{
	struct ast_node *n = ast_new(a, AST_INDEX, loc);
	n->u.index.base = base;
	n->u.index.index = idx;
	return n;
}

struct ast_node *ast_new_tuple_index(struct arena *a, struct et_loc loc, struct ast_node *base, uint32_t idx)
{
	struct ast_node *n = ast_new(a, AST_TUPLE_INDEX, loc);
	n->u.tuple_index.base = base;
	n->u.tuple_index.index = idx;
	return n;
}

struct ast_node *ast_new_tuple(struct arena *a, struct et_loc loc, struct ast_list *items)
{
	struct ast_node *n = ast_new(a, AST_TUPLE, loc);
	n->u.list = copy_list(items);
	return n;
}

struct ast_node *ast_new_record(struct arena *a, struct et_loc loc)
{
	return ast_new(a, AST_RECORD, loc);
}

void ast_record_add(struct arena *a, struct ast_node *record, const char *name, struct ast_node *value)
{
	uint32_t cap = record->u.record.values.cap;
	ast_list_push(a, &record->u.record.values, value);
	if (record->u.record.values.cap != cap)
		record->u.record.names = arena_grow(a, record->u.record.names, cap, record->u.record.values.cap,
						    sizeof(*record->u.record.names));
	record->u.record.names[record->u.record.values.count - 1] = name;
}

struct ast_node *ast_new_typeq(struct arena *a, enum ast_kind kind, struct et_loc loc, struct ast_typespec *ty,
			       struct ast_node *e)
{
	struct ast_node *n = ast_new(a, kind, loc);
	n->u.typeq.ty = ty;
	n->u.typeq.expr = e;
	return n;
}

struct ast_node *ast_new_offsetof(struct arena *a, struct et_loc loc, struct ast_typespec *ty)
{
	struct ast_node *n = ast_new(a, AST_OFFSETOF, loc);
	n->u.offsetof.ty = ty;
	return n;
}

/* Arrays stored without a capacity field grow to powers of two: reallocate when count is 0 or 2^k. */
static bool full(uint32_t count)
{
	return (count & (count - 1)) == 0;
}

void ast_offsetof_add(struct arena *a, struct ast_node *n, const char *name)
{
	uint32_t k = n->u.offsetof.npath;
	if (full(k))
		n->u.offsetof.path = arena_grow(a, n->u.offsetof.path, k, k ? 2 * k : 1, sizeof(*n->u.offsetof.path));
	n->u.offsetof.path[k] = name;
	n->u.offsetof.npath = k + 1;
}

struct ast_node *ast_new_block(struct arena *a, struct et_loc loc, struct ast_list *stmts)
{
	struct ast_node *n = ast_new(a, AST_BLOCK, loc);
	n->u.block.stmts = copy_list(stmts);
	return n;
}

struct ast_node *ast_new_block_expr(struct arena *a, struct et_loc loc, struct ast_list *stmts,
				    struct ast_node *last)
{
	struct ast_node *n = ast_new(a, AST_BLOCK_EXPR, loc);
	n->u.block.stmts = copy_list(stmts);
	if (last && last->kind == AST_EXPR_STMT)
		n->u.block.value = last->u.expr_stmt.expr;
	else if (last)
		ast_list_push(a, &n->u.block.stmts, last);
	return n;
}

struct ast_node *ast_new_expr_stmt(struct arena *a, struct et_loc loc, struct ast_node *e)
{
	struct ast_node *n = ast_new(a, AST_EXPR_STMT, loc);
	n->u.expr_stmt.expr = e;
	return n;
}

struct ast_node *ast_new_assign(struct arena *a, struct et_loc loc, struct ast_node *target, enum ast_op op,
				struct ast_node *value)
{
	struct ast_node *n = ast_new(a, AST_ASSIGN, loc);
	n->u.assign.target = target;
	n->u.assign.op = op;
	n->u.assign.value = value;
	return n;
}

struct ast_node *ast_new_let(struct arena *a, struct et_loc loc, const char *var, struct ast_typespec *ty,
			     struct ast_node *init)
{
	struct ast_node *n = ast_new(a, AST_LET, loc);
	n->u.let.var = var;
	n->u.let.ty = ty;
	n->u.let.init = init;
	return n;
}

struct ast_node *ast_new_if(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *then,
			    struct ast_node *els)
{
	struct ast_node *n = ast_new(a, AST_IF, loc);
	n->u.if_.cond = c;
	n->u.if_.then = then;
	n->u.if_.els = els;
	return n;
}

struct ast_node *ast_new_while(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *body)
{
	struct ast_node *n = ast_new(a, AST_WHILE, loc);
	n->u.while_.cond = c;
	n->u.while_.body = body;
	return n;
}

struct ast_node *ast_new_for_map(struct arena *a, struct et_loc loc, const char *var, struct ast_node *map,
				 struct ast_node *body)
{
	struct ast_node *n = ast_new(a, AST_FOR_MAP, loc);
	n->u.for_map.var = var;
	n->u.for_map.map = map;
	n->u.for_map.body = body;
	return n;
}

struct ast_node *ast_new_for_range(struct arena *a, struct et_loc loc, const char *var, struct ast_node *lo,
				   struct ast_node *hi, struct ast_node *body)
{
	struct ast_node *n = ast_new(a, AST_FOR_RANGE, loc);
	n->u.for_range.var = var;
	n->u.for_range.lo = lo;
	n->u.for_range.hi = hi;
	n->u.for_range.body = body;
	return n;
}

struct ast_node *ast_new_unroll(struct arena *a, struct et_loc loc, struct ast_node *count, struct ast_node *body)
{
	struct ast_node *n = ast_new(a, AST_UNROLL, loc);
	n->u.unroll.count = count;
	n->u.unroll.body = body;
	return n;
}

struct ast_node *ast_new_return(struct arena *a, struct et_loc loc, struct ast_node *value)
{
	struct ast_node *n = ast_new(a, AST_RETURN, loc);
	n->u.ret.value = value;
	return n;
}

struct ast_node *ast_new_probe(struct arena *a, struct et_loc loc)
{
	return ast_new(a, AST_PROBE, loc);
}

void ast_probe_add_attach(struct arena *a, struct ast_node *probe, const struct ast_attach *at)
{
	uint32_t k = probe->u.probe.nattach;
	if (full(k))
		probe->u.probe.attach = arena_grow(a, probe->u.probe.attach, k, k ? 2 * k : 1,
						   sizeof(*probe->u.probe.attach));
	probe->u.probe.attach[k] = *at;
	probe->u.probe.nattach = k + 1;
}

struct ast_node *ast_probe_finish(struct ast_node *probe, struct et_loc loc, struct ast_node *pred,
				  struct ast_node *body, bool angle)
{
	probe->loc = loc;
	probe->u.probe.predicate = pred;
	probe->u.probe.body = body;
	probe->u.probe.angle = angle;
	return probe;
}

struct ast_node *ast_new_map_decl(struct arena *a, struct et_loc loc, const char *name, const char *kind,
				  uint64_t size)
{
	struct ast_node *n = ast_new(a, AST_MAP_DECL, loc);
	n->u.map_decl.name = name;
	n->u.map_decl.map_kind = kind;
	n->u.map_decl.size = size;
	return n;
}

struct ast_node *ast_new_macro(struct arena *a, struct et_loc loc, const char *name, struct ast_list *params,
			       struct ast_node *body)
{
	struct ast_node *n = ast_new(a, AST_MACRO, loc);
	n->u.macro.name = name;
	n->u.macro.params = copy_list(params);
	n->u.macro.body = body;
	return n;
}

struct ast_node *ast_new_config(struct arena *a, struct et_loc loc)
{
	return ast_new(a, AST_CONFIG, loc);
}

void ast_config_add(struct arena *a, struct ast_node *config, const char *key, struct ast_node *value)
{
	uint32_t cap = config->u.config.values.cap;
	ast_list_push(a, &config->u.config.values, value);
	if (config->u.config.values.cap != cap)
		config->u.config.keys = arena_grow(a, config->u.config.keys, cap, config->u.config.values.cap,
						   sizeof(*config->u.config.keys));
	config->u.config.keys[config->u.config.values.count - 1] = key;
}

struct ast_node *ast_new_import(struct arena *a, struct et_loc loc, const char *path)
{
	struct ast_node *n = ast_new(a, AST_IMPORT, loc);
	n->u.import.path = path;
	return n;
}

struct ast_node *ast_new_raw(struct arena *a, enum ast_kind kind, struct et_loc loc, const char *text)
{
	struct ast_node *n = ast_new(a, kind, loc);
	n->u.raw.text = text;
	return n;
}

struct ast_node *ast_new_program(struct arena *a, struct et_loc loc)
{
	return ast_new(a, AST_PROGRAM, loc);
}

/*
 * One table of where each kind keeps its children: child_slots() hands out the address of every child
 * pointer, in source order, so that visiting (ast_children) and copying (clone) cannot disagree about
 * which fields are children. `list` is called on each list before its items, for callers that must own
 * a fresh items array first.
 */
struct slot_ops {
	void (*node)(struct ast_node **slot, void *ctx);
	void (*list)(struct ast_list *l, void *ctx);
};

static void list_slots(struct ast_list *l, const struct slot_ops *ops, void *ctx)
{
	if (ops->list)
		ops->list(l, ctx);
	for (uint32_t i = 0; i < l->count; i++)
		ops->node(&l->items[i], ctx);
}

static void child_slots(struct ast_node *n, const struct slot_ops *ops, void *ctx)
{
#define NODE(field) ops->node(&n->u.field, ctx)
#define LIST(field) list_slots(&n->u.field, ops, ctx)
	switch (n->kind) {
	case AST_MAP:
		if (n->u.map.keys)
			list_slots(n->u.map.keys, ops, ctx);
		break;
	case AST_CALL: LIST(call.args); break;
	case AST_BINARY: NODE(binary.lhs); NODE(binary.rhs); break;
	case AST_UNARY: NODE(unary.operand); break;
	case AST_INCDEC: NODE(incdec.operand); break;
	case AST_TERNARY: NODE(ternary.cond); NODE(ternary.then); NODE(ternary.els); break;
	case AST_CAST:
		if (n->u.cast.to && n->u.cast.to->of)
			NODE(cast.to->of);
		NODE(cast.operand);
		break;
	case AST_FIELD: NODE(field.base); break;
	case AST_INDEX: NODE(index.base); NODE(index.index); break;
	case AST_TUPLE_INDEX: NODE(tuple_index.base); break;
	case AST_TUPLE: LIST(list); break;
	case AST_RECORD: LIST(record.values); break;
	case AST_SIZEOF:
	case AST_TYPEOF: NODE(typeq.expr); break;
	case AST_BLOCK:
	case AST_BLOCK_EXPR: LIST(block.stmts); NODE(block.value); break;
	case AST_EXPR_STMT: NODE(expr_stmt.expr); break;
	case AST_ASSIGN: NODE(assign.target); NODE(assign.value); break;
	case AST_LET:
		if (n->u.let.ty && n->u.let.ty->of)
			NODE(let.ty->of);
		NODE(let.init);
		break;
	case AST_IF: NODE(if_.cond); NODE(if_.then); NODE(if_.els); break;
	case AST_WHILE: NODE(while_.cond); NODE(while_.body); break;
	case AST_FOR_MAP: NODE(for_map.map); NODE(for_map.body); break;
	case AST_FOR_RANGE: NODE(for_range.lo); NODE(for_range.hi); NODE(for_range.body); break;
	case AST_UNROLL: NODE(unroll.count); NODE(unroll.body); break;
	case AST_RETURN: NODE(ret.value); break;
	case AST_PROBE: NODE(probe.predicate); NODE(probe.body); break;
	case AST_MACRO: LIST(macro.params); NODE(macro.body); break;
	case AST_CONFIG: LIST(config.values); break;
	case AST_PROGRAM: LIST(program.items); break;
	default: break;
	}
#undef NODE
#undef LIST
}

struct visit {
	void (*fn)(struct ast_node *child, void *ctx);
	void *ctx;
};

static void visit_slot(struct ast_node **slot, void *ctx)
{
	struct visit *v = ctx;
	if (*slot)
		v->fn(*slot, v->ctx);
}

void ast_children(struct ast_node *n, void (*fn)(struct ast_node *child, void *ctx), void *ctx)
{
	if (!n)
		return;
	static const struct slot_ops visit_ops = { visit_slot, NULL };
	struct visit v = { fn, ctx };
	child_slots(n, &visit_ops, &v);
}

struct walk {
	ast_pre_fn pre;
	ast_post_fn post;
	void *ctx;
};

static void walk_child(struct ast_node *n, void *ctx)
{
	struct walk *w = ctx;
	ast_walk(n, w->pre, w->post, w->ctx);
}

void ast_walk(struct ast_node *n, ast_pre_fn pre, ast_post_fn post, void *ctx)
{
	if (!n)
		return;
	bool descend = pre ? pre(n, ctx) : true;
	if (descend) {
		struct walk w = { pre, post, ctx };
		ast_children(n, walk_child, &w);
	}
	if (post)
		post(n, ctx);
}

/* ---- deep copy (bpftrace macro expansion copies a macro's body for each call) ---- */

struct cloning {
	struct arena *arena;
	uint32_t file;
};

static struct ast_node *clone(struct arena *a, const struct ast_node *n, uint32_t file);

static void clone_slot(struct ast_node **slot, void *ctx)
{
	struct cloning *cl = ctx;
	*slot = clone(cl->arena, *slot, cl->file);
}

/* The shallow copy still shares the original's items array: give the copy its own before its slots
 * are overwritten. */
static void own_items(struct ast_list *l, void *ctx)
{
	struct cloning *cl = ctx;
	struct ast_node **items = arena_alloc(cl->arena, (l->count ? l->count : 1) * sizeof(*items));
	if (l->count)
		memcpy(items, l->items, l->count * sizeof(*items));
	l->items = items;
	l->cap = l->count ? l->count : 1;
}

static struct ast_typespec *clone_ty(struct arena *a, const struct ast_typespec *t, uint32_t file)
{
	if (!t)
		return NULL;
	struct ast_typespec *c = arena_alloc(a, sizeof(*c));
	*c = *t;
	if (file)
		c->loc.file = file;
	return c;
}

static const char **clone_names(struct arena *a, const char **names, uint32_t count)
{
	if (!names)
		return NULL;
	const char **c = arena_alloc(a, (count ? count : 1) * sizeof(*c));
	memcpy(c, names, count * sizeof(*c));
	return c;
}

static struct ast_node *clone(struct arena *a, const struct ast_node *n, uint32_t file)
{
	if (!n)
		return NULL;
	struct ast_node *c = arena_alloc(a, sizeof(*c));
	*c = *n;
	c->type = NULL;
	c->sym = NULL;
	if (file)
		c->loc.file = file;
	/* what is not a child node but still owned by the node */
	switch (n->kind) {
	case AST_MAP:
		if (n->u.map.keys) {
			c->u.map.keys = ast_list_new(a);
			*c->u.map.keys = *n->u.map.keys;
		}
		break;
	case AST_CAST: c->u.cast.to = clone_ty(a, n->u.cast.to, file); break;
	case AST_RECORD:
		c->u.record.names = clone_names(a, n->u.record.names, n->u.record.values.count);
		break;
	case AST_SIZEOF:
	case AST_TYPEOF: c->u.typeq.ty = clone_ty(a, n->u.typeq.ty, file); break;
	case AST_OFFSETOF:
		c->u.offsetof.ty = clone_ty(a, n->u.offsetof.ty, file);
		c->u.offsetof.path = clone_names(a, n->u.offsetof.path, n->u.offsetof.npath);
		break;
	case AST_LET: c->u.let.ty = clone_ty(a, n->u.let.ty, file); break;
	default: break;
	}
	static const struct slot_ops clone_ops = { clone_slot, own_items };
	struct cloning cl = { a, file };
	child_slots(c, &clone_ops, &cl);
	return c;
}

struct ast_node *ast_clone(struct arena *a, const struct ast_node *n, uint32_t file)
{
	return clone(a, n, file);
}
