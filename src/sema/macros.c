/* macros: bpftrace macro expansion (see macros.h).
 *
 * One recursive walk over each probe. A call's arguments are expanded first, in the caller's context;
 * then, if a macro matches, its body is copied (into a fresh expansion file id) and walked with a
 * `struct binding` naming the macro, its parameters and the call's arguments: variables are renamed or
 * bound, maps bound or refused, expression parameters replaced by copies of the (already expanded)
 * arguments, which are not walked again, so the caller's variables inside them keep their names. Calls
 * inside the body are expanded by the same walk, one level deeper; a macro already on the stack of
 * expansions is a recursive call and refused. A node is replaced by overwriting it (nodes are all the
 * same size, and in a copy or a probe body each node has one parent). */
#include "sema/macros.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "sema/sema.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

/* Deeper than this the expansion stops (recursion is refused first unless macros are that many). */
#define MX_MAX_DEPTH 64
/* Copies of macro bodies in one program; more means a runaway expansion (each level doubling it). */
#define MX_MAX_EXPANSIONS 100000

struct mx {
	struct arena *arena;
	struct strtab *strtab;
	struct source_set *sources;
	struct diag_sink *diag;
	struct ast_node **macros; /* the valid definitions, in source order */
	uint32_t nmacros;
	const struct ast_node *stack[MX_MAX_DEPTH]; /* the expansions under way, outermost first */
	uint32_t depth;
	uint32_t expansions;
	bool runaway; /* the expansion limit was reported */
};

/* One expansion: the body being walked belongs to `macro`, called with `args`. */
struct binding {
	const struct ast_node *macro;
	struct ast_node **args;
	uint32_t depth; /* 1 for a call in a probe */
};

static void expand(struct mx *m, struct ast_node *n, const struct binding *b);

/* ---- parameters and arguments ---- */

enum kind { K_EXPR, K_VAR, K_MAP };

static enum kind arg_kind(const struct ast_node *a)
{
	if (a->kind == AST_VAR)
		return K_VAR;
	if (a->kind == AST_MAP && !a->u.map.keys)
		return K_MAP;
	return K_EXPR;
}

static enum kind param_kind(const struct ast_node *p)
{
	return p->kind == AST_VAR ? K_VAR : p->kind == AST_MAP ? K_MAP : K_EXPR;
}

static const char *param_name(const struct ast_node *p)
{
	return p->kind == AST_MAP ? p->u.map.name : p->u.name;
}

static const char *kind_text(enum kind k)
{
	return k == K_VAR ? "a variable" : k == K_MAP ? "a map" : "an expression";
}

/* bpftrace's measure: each missing or extra argument 1024, each argument of the wrong kind 1. */
static uint32_t distance(const struct ast_node *macro, const enum kind *kinds, uint32_t nargs)
{
	const struct ast_list *p = &macro->u.macro.params;
	uint32_t d = 1024 * (p->count > nargs ? p->count - nargs : nargs - p->count);

	for (uint32_t i = 0; i < p->count && i < nargs; i++) {
		enum kind want = param_kind(p->items[i]);
		if (want != K_EXPR && want != kinds[i])
			d++;
	}
	return d;
}

/* The first definition of `name` that takes exactly these kinds, or NULL; *closest: the nearest one
 * (NULL when no macro has that name). Only definitions before `upto` count (registration). */
static struct ast_node *lookup(struct mx *m, const char *name, const enum kind *kinds, uint32_t nargs,
			       uint32_t upto, struct ast_node **closest)
{
	uint32_t best = UINT32_MAX;

	*closest = NULL;
	for (uint32_t i = 0; i < upto; i++) {
		struct ast_node *mac = m->macros[i];
		if (mac->u.macro.name != name)
			continue;
		uint32_t d = distance(mac, kinds, nargs);
		if (d == 0)
			return mac;
		if (d < best) {
			best = d;
			*closest = mac;
		}
	}
	return NULL;
}

/* A short signature for messages: add($x, y, @m). */
static const char *signature(struct mx *m, const struct ast_node *mac)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%s(", mac->u.macro.name);

	for (uint32_t i = 0; i < mac->u.macro.params.count && n < (int)sizeof(buf) - 64; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s", i ? ", " : "",
			      param_name(mac->u.macro.params.items[i]));
	snprintf(buf + n, sizeof(buf) - (size_t)n, ")");
	return arena_strdup(m->arena, buf);
}

/* ---- definitions ---- */

static bool valid_params(struct mx *m, struct ast_node *mac)
{
	const struct ast_list *p = &mac->u.macro.params;

	for (uint32_t i = 0; i < p->count; i++) {
		const struct ast_node *a = p->items[i];
		if (a->kind == AST_MAP && strcmp(a->u.map.name, "@") == 0) {
			diag_error(m->diag, a->loc, "a macro parameter needs a map name");
			diag_hint(m->diag, "write @name");
			return false;
		}
		if (a->kind == AST_IDENT && builtin_known(a->u.name)) {
			diag_error(m->diag, a->loc, "the builtin '%s' cannot be a macro parameter", a->u.name);
			diag_hint(m->diag, "choose another name for the parameter");
			return false;
		}
		for (uint32_t j = 0; j < i; j++)
			if (a->kind == p->items[j]->kind && param_name(a) == param_name(p->items[j])) {
				diag_error(m->diag, a->loc, "macro %s has two parameters named %s", mac->u.macro.name,
					   param_name(a));
				diag_hint(m->diag, "give each parameter its own name");
				return false;
			}
	}
	return true;
}

static void define(struct mx *m, struct ast_node *mac)
{
	const struct ast_list *p = &mac->u.macro.params;
	enum kind kinds[p->count ? p->count : 1];
	struct ast_node *closest;

	if (!valid_params(m, mac))
		return;
	for (uint32_t i = 0; i < p->count; i++)
		kinds[i] = param_kind(p->items[i]);
	struct ast_node *old = lookup(m, mac->u.macro.name, kinds, p->count, m->nmacros, &closest);
	if (old) {
		diag_error(m->diag, mac->loc, "macro %s is already defined for these arguments", signature(m, mac));
		bool wider = false; /* old takes any expression where mac wants a variable or a map */
		for (uint32_t i = 0; i < p->count; i++)
			wider |= kinds[i] != K_EXPR && param_kind(old->u.macro.params.items[i]) == K_EXPR;
		if (wider)
			diag_hint(m->diag, "%s at line %u takes these arguments too, and a call uses the first "
					   "definition that fits: define %s before it", signature(m, old),
				  old->loc.line, signature(m, mac));
		else
			diag_hint(m->diag, "the first definition, %s, is at line %u: rename one of them",
				  signature(m, old), old->loc.line);
		return;
	}
	m->macros = arena_grow(m->arena, m->macros, m->nmacros, m->nmacros + 1, sizeof(*m->macros));
	m->macros[m->nmacros++] = mac;
}

/* ---- names inside a body ---- */

static int param_index(const struct binding *b, enum ast_kind kind, const char *name)
{
	const struct ast_list *p = &b->macro->u.macro.params;

	for (uint32_t i = 0; i < p->count; i++)
		if (p->items[i]->kind == kind && param_name(p->items[i]) == name)
			return (int)i;
	return -1;
}

/* $x in the body: the caller's variable for a $x parameter, else the expansion's own $$macro_x. */
static const char *var_name(struct mx *m, const struct binding *b, const char *name)
{
	int i = param_index(b, AST_VAR, name);
	char buf[512];

	if (i >= 0)
		return b->args[i]->u.name;
	if (b->depth == 1)
		snprintf(buf, sizeof(buf), "$$%s_%s", b->macro->u.macro.name, name + 1);
	else
		snprintf(buf, sizeof(buf), "$$%s_%u_%s", b->macro->u.macro.name, b->depth, name + 1);
	return strtab_cstr(m->strtab, buf);
}

/* Does the macro's own body set `name` (assign, let, for)? A variable it only reads would be the
 * caller's, which hygiene forbids. */
struct sets {
	const char *name;
	bool found;
};

static bool sets_pre(struct ast_node *n, void *ctx)
{
	struct sets *st = ctx;

	if ((n->kind == AST_ASSIGN && n->u.assign.target && n->u.assign.target->kind == AST_VAR &&
	     n->u.assign.target->u.name == st->name) ||
	    (n->kind == AST_LET && n->u.let.var == st->name) ||
	    (n->kind == AST_FOR_MAP && n->u.for_map.var == st->name) ||
	    (n->kind == AST_FOR_RANGE && n->u.for_range.var == st->name))
		st->found = true;
	return !st->found;
}

static bool body_sets(const struct binding *b, const char *name)
{
	struct sets st = { name, false };

	ast_walk(b->macro->u.macro.body, sets_pre, NULL, &st);
	return st.found;
}

/* A declared variable (let, for): shadowing a $x parameter is refused, as bpftrace does. */
static const char *decl_name(struct mx *m, const struct binding *b, const char *name, struct et_loc loc)
{
	if (param_index(b, AST_VAR, name) >= 0) {
		diag_error(m->diag, loc, "this declares %s, which hides the parameter %s of macro %s", name, name,
			   b->macro->u.macro.name);
		diag_hint(m->diag, "give the macro's own variable another name");
	}
	return var_name(m, b, name);
}

/* The argument an expression parameter `name` stands for, or NULL. */
static struct ast_node *expr_arg(const struct binding *b, const char *name)
{
	int i = b ? param_index(b, AST_IDENT, name) : -1;
	return i >= 0 ? b->args[i] : NULL;
}

/* A copy of an argument for an expression parameter; a variable or map alone is wrapped in a block so
 * the body cannot assign it ({ $x } like bpftrace). */
static struct ast_node *arg_copy(struct mx *m, const struct ast_node *arg)
{
	struct ast_node *c = ast_clone(m->arena, arg, 0);

	if (c->kind == AST_VAR || c->kind == AST_MAP) {
		struct ast_node *blk = ast_new_block_expr(m->arena, c->loc, NULL, NULL);
		blk->u.block.value = c;
		return blk;
	}
	return c;
}

/* ---- type parameters: typeof(T) arguments ---- */

/* `struct t` (union, enum) in the body with t bound to an identifier or typeof(ident): the tag
 * substituted. Other type names cannot be parameters (they would lex as identifiers). */
static void subst_type(struct mx *m, const struct binding *b, struct ast_typespec *ty)
{
	static const char *const tags[] = { "struct ", "union ", "enum " };

	if (!b || !ty)
		return;
	/* `(t*)x`, a cast to a name etrace does not know as a type (the lexer's cast rule): t's type, with
	 * the stars and dimensions written here added */
	struct ast_node *whole = expr_arg(b, ty->name);
	if (whole && whole->kind == AST_TYPEOF && whole->u.typeq.ty) {
		const struct ast_typespec *a = whole->u.typeq.ty;
		if (a->is_array && (ty->is_array || ty->pointer)) {
			diag_error(m->diag, ty->loc, "macro %s's type parameter %s is an array type here, which "
				   "etrace cannot make a pointer or an array of", b->macro->u.macro.name, ty->name);
			diag_hint(m->diag, "pass the element type instead");
			return;
		}
		ty->name = a->name;
		ty->pointer += a->pointer;
		if (a->is_array) {
			ty->is_array = true;
			ty->array_len = a->array_len;
			ty->ndims = a->ndims;
			memcpy(ty->dims, a->dims, sizeof(ty->dims));
		}
		return;
	}
	if (whole && whole->kind == AST_TYPEOF && whole->u.typeq.expr && whole->u.typeq.expr->kind != AST_IDENT) {
		/* typeof(expression): the type sema gives it, there (a typespec standing for the typeof) */
		if (ty->pointer || ty->is_array) {
			diag_error(m->diag, ty->loc, "macro %s's type parameter %s is the type of an expression here, which "
				   "etrace cannot make a pointer or an array of", b->macro->u.macro.name, ty->name);
			diag_hint(m->diag, "pass a type written out, e.g. typeof(uint64)");
			return;
		}
		ty->of = ast_clone(m->arena, whole, 0);
		return;
	}
	if (whole && (whole->kind == AST_IDENT || (whole->kind == AST_TYPEOF && whole->u.typeq.expr &&
						     whole->u.typeq.expr->kind == AST_IDENT))) {
		ty->name = whole->kind == AST_IDENT ? whole->u.name : whole->u.typeq.expr->u.name;
		return;
	}
	for (size_t k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
		size_t tl = strlen(tags[k]);
		if (strncmp(ty->name, tags[k], tl) != 0)
			continue;
		const char *p = strtab_cstr(m->strtab, ty->name + tl);
		struct ast_node *arg = expr_arg(b, p);
		if (!arg)
			return;
		const char *tag = NULL;
		if (arg->kind == AST_IDENT)
			tag = arg->u.name;
		else if (arg->kind == AST_TYPEOF && arg->u.typeq.expr && arg->u.typeq.expr->kind == AST_IDENT)
			tag = arg->u.typeq.expr->u.name;
		if (!tag) {
			diag_error(m->diag, arg->loc, "macro %s's parameter %s stands for a tag in '%s', not for this",
				   b->macro->u.macro.name, p, ty->name);
			diag_hint(m->diag, "pass the bare tag name, e.g. typeof(task_struct)");
			return;
		}
		char buf[512];
		snprintf(buf, sizeof(buf), "%s%s", tags[k], tag);
		ty->name = strtab_cstr(m->strtab, buf);
		return;
	}
}

/* sizeof(t) / typeof(t) with t bound to typeof(T): the node takes T (a type or an expression). */
static bool subst_typeq(struct mx *m, const struct binding *b, struct ast_node *n)
{
	struct ast_node *e = n->u.typeq.expr;
	struct ast_node *arg = e && e->kind == AST_IDENT ? expr_arg(b, e->u.name) : NULL;

	/* sizeof(t[N]): an array of t (the parser read an index expression) */
	if (e && e->kind == AST_INDEX && e->u.index.base->kind == AST_IDENT && e->u.index.index->kind == AST_INT &&
	    (arg = expr_arg(b, e->u.index.base->u.name)) && arg->kind == AST_TYPEOF && arg->u.typeq.ty &&
	    !arg->u.typeq.ty->is_array && e->u.index.index->u.integer.value <= 0x7fffffff) {
		struct ast_typespec *ty = ast_new_typespec(m->arena, e->loc, arg->u.typeq.ty->name);
		*ty = *arg->u.typeq.ty;
		ty->is_array = true;
		ty->ndims = 1;
		ty->array_len = ty->dims[0] = (uint32_t)e->u.index.index->u.integer.value;
		n->u.typeq.ty = ty;
		n->u.typeq.expr = NULL;
		return true;
	}
	if (!arg || arg->kind != AST_TYPEOF)
		return false;
	n->u.typeq.ty = NULL;
	n->u.typeq.expr = NULL;
	if (arg->u.typeq.ty) {
		n->u.typeq.ty = ast_new_typespec(m->arena, arg->u.typeq.ty->loc, arg->u.typeq.ty->name);
		*n->u.typeq.ty = *arg->u.typeq.ty;
	} else {
		n->u.typeq.expr = ast_clone(m->arena, arg->u.typeq.expr, 0);
	}
	return true;
}

/* ---- calls ---- */

static void mismatch(struct mx *m, struct ast_node *call, const char *name, struct ast_node **args, uint32_t nargs,
		     const enum kind *kinds, const struct ast_node *mac)
{
	const struct ast_list *p = &mac->u.macro.params;

	diag_error(m->diag, call->loc, "no definition of macro %s takes these arguments", name);
	if (p->count != nargs) {
		diag_hint(m->diag, "the closest, %s at line %u, takes %u argument%s, not %u", signature(m, mac),
			  mac->loc.line, p->count, p->count == 1 ? "" : "s", nargs);
		return;
	}
	for (uint32_t i = 0; i < nargs; i++) {
		enum kind want = param_kind(p->items[i]);
		if (want == K_EXPR || want == kinds[i])
			continue;
		diag_hint(m->diag, "the closest, %s at line %u, expects %s for %s, not %s", signature(m, mac),
			  mac->loc.line, kind_text(want), param_name(p->items[i]), kind_text(kinds[i]));
		(void)args;
		return;
	}
}

/* n (a CALL or a bare IDENT) names a macro: replace it by the expansion. */
static void call(struct mx *m, struct ast_node *n, const struct binding *b)
{
	const char *name = n->kind == AST_CALL ? n->u.call.name : n->u.name;
	uint32_t nargs = n->kind == AST_CALL ? n->u.call.args.count : 0;
	struct ast_node **args = n->kind == AST_CALL ? n->u.call.args.items : NULL;
	enum kind kinds[nargs ? nargs : 1];
	struct ast_node *closest;

	for (uint32_t i = 0; i < nargs; i++)
		kinds[i] = arg_kind(args[i]);
	struct ast_node *mac = lookup(m, name, kinds, nargs, m->nmacros, &closest);
	if (!mac) {
		/* not a macro, or a builtin of that name (bpftrace's own definitions of it would match) */
		if (closest && !builtin_known(name))
			mismatch(m, n, name, args, nargs, kinds, closest);
		return;
	}
	for (uint32_t i = 0; i < m->depth; i++) {
		if (m->stack[i] != mac)
			continue;
		char chain[512];
		int len = 0;
		for (uint32_t j = i; j < m->depth && len < (int)sizeof(chain) - 128; j++)
			len += snprintf(chain + len, sizeof(chain) - (size_t)len, "%s > ", m->stack[j]->u.macro.name);
		snprintf(chain + len, sizeof(chain) - (size_t)len, "%s", name);
		diag_error(m->diag, n->loc, "macro %s calls itself (%s)", name, chain);
		diag_hint(m->diag, "macros are expanded in place and cannot recurse: use a loop instead");
		return;
	}
	if (m->depth == MX_MAX_DEPTH || m->expansions >= MX_MAX_EXPANSIONS) {
		if (!m->runaway)
			diag_error(m->diag, n->loc, "macro %s expands to too much code (%s)", name,
				   m->depth == MX_MAX_DEPTH ? "more than 64 nested calls"
							   : "more than 100000 expansions");
		m->runaway = true;
		return;
	}
	m->expansions++;

	uint32_t file = source_add_expansion(m->sources, mac->loc.file, n->loc, name);
	struct ast_node *body = ast_clone(m->arena, mac->u.macro.body, file);
	struct binding nb = { .macro = mac, .args = args, .depth = m->depth + 1 };

	m->stack[m->depth++] = mac;
	expand(m, body, &nb);
	m->depth--;
	(void)b;
	body->loc = n->loc; /* the value as a whole is the call */
	*n = *body;
}

/* A typeof(...) argument of a call that is no macro call (or of a parameter not used as a type). */
static void typeof_args(struct mx *m, struct ast_node *n)
{
	if (n->kind != AST_CALL)
		return;
	for (uint32_t i = 0; i < n->u.call.args.count; i++)
		if (n->u.call.args.items[i]->kind == AST_TYPEOF) {
			diag_error(m->diag, n->u.call.args.items[i]->loc,
				   "typeof(...) as an argument is only valid for a macro parameter used as a type");
			diag_hint(m->diag, "a macro uses a type parameter t as sizeof(t), typeof(t) or struct t");
		}
}

/* ---- the walk ---- */

struct walk_ctx {
	struct mx *m;
	const struct binding *b;
};

static void walk_child(struct ast_node *child, void *ctx)
{
	struct walk_ctx *w = ctx;
	expand(w->m, child, w->b);
}

static void children(struct mx *m, struct ast_node *n, const struct binding *b)
{
	struct walk_ctx w = { m, b };
	ast_children(n, walk_child, &w);
}

static void expand(struct mx *m, struct ast_node *n, const struct binding *b)
{
	struct ast_node *arg;

	if (!n)
		return;
	switch (n->kind) {
	case AST_VAR:
		if (b && param_index(b, AST_VAR, n->u.name) < 0 && !body_sets(b, n->u.name)) {
			diag_error(m->diag, n->loc, "macro %s reads %s, which is neither its parameter nor set in it",
				   b->macro->u.macro.name, n->u.name);
			diag_hint(m->diag, "pass the variable in: add a parameter %s and give the variable in the call",
				  n->u.name);
			return;
		}
		if (b)
			n->u.name = var_name(m, b, n->u.name);
		return;
	case AST_MAP:
		if (b) {
			int i = param_index(b, AST_MAP, n->u.map.name);
			if (i >= 0) {
				n->u.map.name = b->args[i]->u.map.name;
			} else {
				diag_error(m->diag, n->loc, "macro %s uses the map %s, which is not one of its parameters",
					   b->macro->u.macro.name, n->u.map.name);
				diag_hint(m->diag, "pass the map in: add a parameter %s and give the map in the call",
					  n->u.map.name);
			}
		}
		children(m, n, b);
		return;
	case AST_IDENT:
		if ((arg = expr_arg(b, n->u.name))) {
			if (arg->kind == AST_TYPEOF) {
				diag_error(m->diag, n->loc, "macro %s uses its type parameter %s as a value",
					   b->macro->u.macro.name, n->u.name);
				diag_hint(m->diag, "a type parameter t goes in sizeof(t), typeof(t) or struct t; "
						   "pass a value without typeof(...)");
				return;
			}
			*n = *arg_copy(m, arg);
			return;
		}
		call(m, n, b);
		return;
	case AST_CALL:
		for (uint32_t i = 0; i < n->u.call.args.count; i++) {
			struct ast_node *a = n->u.call.args.items[i];
			/* a type parameter handed on to another macro: typeof(T) itself */
			if (a->kind == AST_IDENT && (arg = expr_arg(b, a->u.name)) && arg->kind == AST_TYPEOF)
				n->u.call.args.items[i] = ast_clone(m->arena, arg, 0);
			else
				expand(m, a, b);
		}
		call(m, n, b);
		typeof_args(m, n);
		return;
	case AST_SIZEOF:
	case AST_TYPEOF:
		if (subst_typeq(m, b, n))
			return;
		subst_type(m, b, n->u.typeq.ty);
		children(m, n, b);
		return;
	case AST_CAST: {
		const struct ast_node *of = n->u.cast.to->of;

		subst_type(m, b, n->u.cast.to);
		if (n->u.cast.to->of != of) { /* typeof(expression) from the call: the caller's, expanded there */
			expand(m, n->u.cast.operand, b);
			return;
		}
		children(m, n, b);
		return;
	}
	case AST_OFFSETOF:
		subst_type(m, b, n->u.offsetof.ty);
		if (b && n->u.offsetof.npath == 1 && (arg = expr_arg(b, n->u.offsetof.path[0])) &&
		    arg->kind == AST_IDENT) {
			const char **path = arena_alloc(m->arena, sizeof(*path));
			path[0] = arg->u.name;
			n->u.offsetof.path = path;
		}
		return;
	case AST_LET:
		if (b)
			n->u.let.var = decl_name(m, b, n->u.let.var, n->loc);
	{
		const struct ast_node *of = n->u.let.ty ? n->u.let.ty->of : NULL;

		subst_type(m, b, n->u.let.ty);
		if (n->u.let.ty && n->u.let.ty->of != of) { /* as in a cast */
			expand(m, n->u.let.init, b);
			return;
		}
		children(m, n, b);
		return;
	}
	case AST_FOR_MAP:
		if (b)
			n->u.for_map.var = decl_name(m, b, n->u.for_map.var, n->loc);
		children(m, n, b);
		return;
	case AST_FOR_RANGE:
		if (b)
			n->u.for_range.var = decl_name(m, b, n->u.for_range.var, n->loc);
		children(m, n, b);
		return;
	default:
		children(m, n, b);
		return;
	}
}

int macros_expand(struct ast_node *program, struct arena *arena, struct strtab *strtab,
		  struct source_set *sources, struct diag_sink *diag)
{
	struct mx m = { .arena = arena, .strtab = strtab, .sources = sources, .diag = diag };
	struct ast_list *items = &program->u.program.items;
	unsigned errors = diag_error_count(diag);
	uint32_t kept = 0;
	bool any = false;

	for (uint32_t i = 0; i < items->count; i++)
		if (items->items[i]->kind == AST_MACRO) {
			define(&m, items->items[i]);
			any = true;
		}
	/* a script without macros is walked only for typeof(...) arguments, which need one */
	for (uint32_t i = 0; i < items->count; i++) {
		struct ast_node *n = items->items[i];
		if (n->kind == AST_MACRO)
			continue;
		items->items[kept++] = n;
		if (n->kind == AST_PROBE && any) {
			expand(&m, n->u.probe.predicate, NULL);
			expand(&m, n->u.probe.body, NULL);
		}
	}
	items->count = kept;
	return diag_error_count(diag) > errors ? -EINVAL : 0;
}
