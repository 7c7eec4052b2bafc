/* builtins_args: the checks that the builtins share: an argument as a value, an integer, a constant, of a
 * kind, a map; where a builtin is available; --unsafe. Declared in builtins_int.h. */
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probes/arch/arch.h"
#include "kernel/elf.h"
#include "probes/tracepoint.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* The name of a provider of the current probe that lacks `flag`, for messages. */
const char *bi_lacking_provider(struct sema *s, unsigned flag)
{
	for (uint32_t i = 0; i < s->probe->nproviders; i++)
		if (!(s->probe->providers[i]->flags & flag))
			return s->probe->providers[i]->name;
	return "these";
}

bool bi_need_flag(struct sema *s, struct ast_node *n, unsigned flag, const char *what, const char *where)
{
	if (s->probe->nproviders && (s->probe->flags & flag))
		return true;
	if (!s->probe->nproviders)
		return false; /* attach point errors already reported */
	sema_error(s, n->loc, "%s is not available in %s probes", what, bi_lacking_provider(s, flag));
	sema_hint(s, "%s", where);
	return false;
}

bool bi_is_string_lit(const struct ast_node *n)
{
	return n->kind == AST_STRING;
}

/* Type-check argument i as a value (not void, not an aggregation). */
struct et_type *bi_value_arg(struct sema *s, struct ast_node *call, uint32_t i)
{
	struct ast_node *a = call->u.call.args.items[i];
	struct et_type *t = sema_expr(s, a);

	if (!sema_is_none(t) && t->kind == ET_VOID) {
		sema_error(s, a->loc, "%s(): argument %u has no value (void)", call->u.call.name, i + 1);
		return s->t_none;
	}
	return t;
}

bool bi_int_arg(struct sema *s, struct ast_node *call, uint32_t i, struct et_type **out)
{
	struct et_type *t = bi_value_arg(s, call, i);

	if (out)
		*out = t;
	if (sema_is_none(t))
		return false;
	if (!sema_is_intlike(t)) {
		sema_error(s, call->u.call.args.items[i]->loc, "%s() only supports integer arguments (%s provided)",
			   call->u.call.name, sema_tname(s, t));
		return false;
	}
	return true;
}

/* What a builtin takes as an argument, for kind_arg. */
bool bi_is_address(const struct et_type *t)
{
	return t->kind == ET_INT || t->kind == ET_POINTER;
}

bool bi_is_string(const struct et_type *t)
{
	return t->kind == ET_STRING;
}

bool bi_is_mac_bytes(const struct et_type *t)
{
	return (t->kind == ET_ARRAY || t->kind == ET_STRING || t->kind == ET_STRUCT) && t->size == 6;
}

bool bi_is_inet_bytes(const struct et_type *t)
{
	return type_is_integer(t) ||
	       ((t->kind == ET_ARRAY || t->kind == ET_STRING || t->kind == ET_STRUCT) && (t->size == 4 || t->size == 16));
}

/* The one check of an argument's kind: argument i of call is analysed as a value and must be of a type
 * `accept` takes; else the located error "f() expects WHAT (T provided)". NULL after any error. */
struct et_type *bi_kind_arg(struct sema *s, struct ast_node *call, uint32_t i,
				bool (*accept)(const struct et_type *t), const char *what)
{
	struct et_type *t = bi_value_arg(s, call, i);

	if (sema_is_none(t))
		return NULL;
	if (!accept(t)) {
		sema_error(s, call->u.call.args.items[i]->loc, "%s() expects %s (%s provided)", call->u.call.name, what,
			   sema_tname(s, t));
		return NULL;
	}
	return t;
}

/* The one check that argument i names a map: when it is something else, every argument is analysed (so
 * its own errors come too) and the error shows the call to write, `usage`. */
bool bi_map_arg(struct sema *s, struct ast_node *call, uint32_t i, const char *usage)
{
	struct ast_list *args = &call->u.call.args;

	if (args->items[i]->kind == AST_MAP)
		return true;
	for (uint32_t k = 0; k < args->count; k++)
		if (args->items[k]->kind != AST_MAP)
			sema_expr(s, args->items[k]);
	sema_error(s, args->items[i]->loc, "%s() expects a map, e.g. %s", call->u.call.name, usage);
	return false;
}

bool bi_const_arg(struct sema *s, struct ast_node *call, uint32_t i, int64_t *v, const char *what)
{
	struct ast_node *a = call->u.call.args.items[i];
	struct et_type *t = bi_value_arg(s, call, i);

	if (sema_is_none(t))
		return false;
	if (!sema_is_intlike(t) || !sema_const_int(s, a, v)) {
		sema_error(s, a->loc, "%s(): %s must be a constant integer", call->u.call.name, what);
		return false;
	}
	return true;
}

bool bi_unsafe_check(struct sema *s, struct ast_node *n)
{
	if (s->opts->unsafe)
		return true;
	sema_error(s, n->loc, "%s() is an unsafe function and needs --unsafe", n->u.call.name);
	sema_hint(s, "run with --unsafe");
	return false;
}

/* The type of expression n, analysed quietly (no diagnostics, no events): for a builtin that decides from
 * the type how to build the expression it analyses for real. */
struct et_type *bi_quiet_type(struct sema *s, struct ast_node *n)
{
	bool quiet = s->quiet;
	struct et_type *t;

	s->quiet = true;
	t = sema_expr(s, n);
	s->quiet = quiet;
	return t;
}

bool bi_is_char(const struct et_type *t)
{
	return t && t->kind == ET_INT && t->size == 1;
}
