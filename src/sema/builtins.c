/* builtins: builtin variables, functions and aggregations: the table and the lookup. One table made from builtins.def gives each
 * builtin's name, kind, arity and check function; sema_ident and sema_call look the name up, check the
 * argument count and the kind's context (an aggregation only as a map's value) in one place, then call
 * the row's check, which checks the arguments, returns the result type and registers the ring-buffer
 * event of an action. See sema.h for what a check leaves on the node (struct sema_call); the checks
 * live in builtins_THEME.c by theme (builtins_int.h). */
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

struct builtin_info {
	const char *name;
	enum builtin_kind kind;
	uint8_t min, max;
	builtin_check *check;
};

static const struct builtin_info builtins[BI_COUNT_] = {
#define X(id, name, kind, min, max, check, emit) [BI_##id] = {name, kind, min, max, check},
#include "sema/builtins.def"
#undef X
};

/* bpftrace builtins etrace does not implement yet: named in messages instead of "unknown". */
static const char *const later_functions[] = {
	"cat", "signal_thread", "errorf", "warnf", "fail",
	"assert", "static_assert", "tseries", NULL,
};

/* bpftrace builtins that need what etrace does not have: the error says what, the hint what to use. */
static const struct {
	const char *name, *error, *hint;
} unavailable[] = {
	{"dw_ustack", "dw_ustack is not available in etrace: it unwinds user stacks with the DWARF call frame "
		      "information (.eh_frame) of the traced process inside the BPF program, which etrace does not do",
	 "use ustack (frame pointers): build the traced program with -fno-omit-frame-pointer for complete stacks"},
};

/* A located error for a bpftrace builtin in `unavailable`; false for other names. */
static bool unavailable_builtin(struct sema *s, struct ast_node *n, const char *name)
{
	for (size_t i = 0; i < sizeof(unavailable) / sizeof(unavailable[0]); i++) {
		if (strcmp(unavailable[i].name, name) == 0) {
			sema_error(s, n->loc, "%s", unavailable[i].error);
			sema_hint(s, "%s", unavailable[i].hint);
			return true;
		}
	}
	return false;
}

static const char *const later_variables[] = {
	"sarg0", "sarg1", "sarg2", NULL,
};

const char *builtin_name(enum builtin_id id)
{
	return id < BI_COUNT_ ? builtins[id].name : "?";
}

enum builtin_kind builtin_kind(enum builtin_id id)
{
	return id < BI_COUNT_ ? builtins[id].kind : BK_FN;
}

static int builtin_lookup(const char *name)
{
	for (int i = 0; i < BI_COUNT_; i++)
		if (strcmp(builtins[i].name, name) == 0 && i != BI_ARGN)
			return i;
	return -1;
}

static bool in_list(const char *const *l, const char *name)
{
	for (; *l; l++)
		if (strcmp(*l, name) == 0)
			return true;
	return false;
}

/* arg0..arg99 → N, else -1 */
static int argn_index(const char *name)
{
	char *end;
	long v;

	if (strncmp(name, "arg", 3) != 0 || name[3] < '0' || name[3] > '9')
		return -1;
	v = strtol(name + 3, &end, 10);
	return *end || v > 99 ? -1 : (int)v;
}

bool builtin_known(const char *name)
{
	return builtin_lookup(name) >= 0 || argn_index(name) >= 0;
}

static struct sema_call *new_call(struct sema *s, struct ast_node *n, enum builtin_id id)
{
	struct sema_call *c = arena_alloc(s->arena, sizeof(*c));

	c->id = id;
	c->event = -1;
	c->map = -1;
	n->sym = c;
	return c;
}

bool sema_is_agg_call(const struct ast_node *n)
{
	int id;

	if (n->kind != AST_CALL)
		return false;
	id = builtin_lookup(n->u.call.name);
	return id >= 0 && builtins[id].kind == BK_AGG;
}

int sema_add_event(struct sema *s, enum et_event_kind kind, const char *fmt, struct et_type *args, int map,
		   struct et_loc loc)
{
	struct et_program *p = s->prog;
	struct et_event_desc *e;

	if (s->quiet)
		return -1;
	if (p->nevents == s->capevents) {
		uint32_t cap = s->capevents ? s->capevents * 2 : 8;

		p->events = arena_grow(p->arena, p->events, s->capevents, cap, sizeof(*p->events));
		s->capevents = cap;
	}
	e = &p->events[p->nevents];
	e->kind = kind;
	e->fmt = fmt ? arena_strdup(p->arena, fmt) : NULL;
	e->args = args ? type_copy(p->arena, args) : NULL;
	e->map = map;
	e->loc = loc;
	return (int)p->nevents++;
}

static void unknown_ident(struct sema *s, struct ast_node *n)
{
	const char *name = n->u.name;
	const char *cands[BI_COUNT_ + 2];
	size_t nc = 0;
	const char *best;

	if (unavailable_builtin(s, n, name))
		return;
	sema_error(s, n->loc, "Unknown identifier: '%s'", name);
	if (in_list(later_variables, name)) {
		sema_hint(s, "%s is a bpftrace builtin that etrace does not support yet", name);
		return;
	}
	for (int i = 0; i < BI_COUNT_; i++)
		if (builtins[i].kind == BK_VAR && i != BI_ARGN)
			cands[nc++] = builtins[i].name;
	cands[nc++] = "arg0";
	best = sema_closest(name, cands, nc);
	if (best)
		sema_hint(s, "did you mean '%s'?", best);
}

/* argN, written arg3 or arg3(): the builtin variable ARGN with index N. */
static struct et_type *argn_var(struct sema *s, struct ast_node *n, int index)
{
	struct sema_call *c = new_call(s, n, BI_ARGN);

	c->index = index;
	return check_argn(s, n, c);
}

struct et_type *sema_ident(struct sema *s, struct ast_node *n)
{
	int argn = argn_index(n->u.name);
	int id;

	if (argn >= 0)
		return argn_var(s, n, argn);
	if (strcmp(n->u.name, "config") == 0) {
		*n = *sema_config_record(s, n->loc); /* the node becomes the record, for every later pass */
		return sema_expr(s, n);
	}
	id = builtin_lookup(n->u.name);
	if (id < 0) {
		struct et_type *e = sema_enum_ident(s, n);

		if (e)
			return e;
		unknown_ident(s, n);
		return s->t_none;
	}
	if (builtins[id].kind != BK_VAR) {
		sema_error(s, n->loc, "Unknown identifier: '%s'", n->u.name);
		sema_hint(s, "%s is a function: call it as %s(%s)", n->u.name, n->u.name,
			  builtins[id].min ? "..." : "");
		return s->t_none;
	}
	return builtins[id].check(s, n, new_call(s, n, (enum builtin_id)id));
}

static const char *count_phrase(struct sema *s, unsigned min, unsigned max)
{
	if (min == max)
		return min == 0 ? "no arguments" : min == 1 ? "one argument"
							  : arena_printf(s->arena, "%u arguments", min);
	if (max >= 64)
		return arena_printf(s->arena, "at least %u argument%s", min, min == 1 ? "" : "s");
	return arena_printf(s->arena, "%u to %u arguments", min, max);
}

static void unknown_function(struct sema *s, struct ast_node *n)
{
	const char *name = n->u.call.name;
	const char *cands[BI_COUNT_];
	size_t nc = 0;
	const char *best;

	if (unavailable_builtin(s, n, name)) /* its arguments (dw_ustack's mode) mean nothing here */
		return;
	for (uint32_t i = 0; i < n->u.call.args.count; i++)
		sema_expr(s, n->u.call.args.items[i]);
	sema_error(s, n->loc, "unknown function '%s'", name);
	if (in_list(later_functions, name) || in_list(later_variables, name)) {
		sema_hint(s, "%s() is a bpftrace function that etrace does not support yet", name);
		return;
	}
	for (int i = 0; i < BI_COUNT_; i++)
		if (builtins[i].kind != BK_VAR)
			cands[nc++] = builtins[i].name;
	best = sema_closest(name, cands, nc);
	if (best)
		sema_hint(s, "did you mean '%s'?", best);
}

struct et_type *sema_call(struct sema *s, struct ast_node *n, bool agg_allowed)
{
	const char *name = n->u.call.name;
	struct ast_list *args = &n->u.call.args;
	uint32_t nargs = args->count;
	int id = builtin_lookup(name);
	const struct builtin_info *b;
	struct sema_call *c;

	if (id < 0 && argn_index(name) >= 0 && nargs == 0)
		return argn_var(s, n, argn_index(name));
	if (id < 0 && strcmp(name, "config") == 0 && nargs == 0) {
		*n = *sema_config_record(s, n->loc);
		return sema_expr(s, n);
	}
	if (id < 0) {
		for (uint32_t i = 0; i < s->nmacros; i++)
			if (s->macros[i] == name)
				return s->t_none; /* the macro definition was reported */
		unknown_function(s, n);
		return s->t_none;
	}
	b = &builtins[id];
	if (b->kind == BK_VAR && b->max == 0 && nargs) {
		for (uint32_t i = 0; i < nargs; i++)
			sema_expr(s, args->items[i]);
		sema_error(s, n->loc, "%s() requires no arguments (%u provided)", name, nargs);
		return s->t_none;
	}
	c = new_call(s, n, (enum builtin_id)id);
	if (nargs < b->min || nargs > b->max) {
		/* a map is an argument only for what it names; kstack's arguments are modes, not values */
		for (uint32_t i = 0; i < nargs && b->kind != BK_VAR; i++)
			if (args->items[i]->kind != AST_MAP)
				sema_expr(s, args->items[i]);
		if (nargs > b->max && b->max >= 64)
			sema_error(s, n->loc, "%s() takes at most %u arguments (%u provided)", name, b->max, nargs);
		else
			sema_error(s, n->loc, "%s() requires %s (%u provided)", name, count_phrase(s, b->min, b->max),
				   nargs);
		return s->t_none;
	}
	if (b->kind == BK_AGG && !agg_allowed) {
		for (uint32_t i = 0; i < nargs; i++)
			sema_expr(s, args->items[i]);
		sema_error(s, n->loc, "%s() can only be assigned to a map, e.g. @x = %s(%s)", name, name,
			   nargs ? "..." : "");
		return s->t_none;
	}
	return b->check(s, n, c);
}
