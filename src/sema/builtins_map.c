/* builtins_map: the checks of the aggregations (count ... lhist) and of the functions over a map (delete,
 * clear, zero, len, has_key). */
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

struct et_type *check_count(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_new(s->arena, ET_AGG_COUNT, 8);
}

/* sum, min, max: signed when the argument is a signed integer; sign-flexible (its sign follows the
 * other calls on the same map, see slot_accepts) when it is a non-negative constant, as bpftrace types
 * literals */
struct et_type *check_signed_agg(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_type_kind kind = c->id == BI_SUM ? ET_AGG_SUM : c->id == BI_MIN ? ET_AGG_MIN : ET_AGG_MAX;
	uint32_t size = c->id == BI_SUM ? 8 : 16;
	struct et_type *a = NULL, *t;
	struct ast_node *arg;
	int64_t v;

	if (!bi_int_arg(s, n, 0, &a))
		return s->t_none;
	t = type_new(s->arena, kind, size);
	t->is_signed = a->kind == ET_INT && a->is_signed;
	arg = n->u.call.args.items[0];
	t->sign_flexible = t->is_signed && arg->kind != AST_CAST && sema_const_int(s, arg, &v) && v >= 0;
	return t;
}

/* avg, stats, hist: an integer argument */
struct et_type *check_int_agg(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!bi_int_arg(s, n, 0, NULL))
		return s->t_none;
	if (c->id == BI_HIST) {
		int64_t k = 0;
		struct et_type *t;

		if (n->u.call.args.count > 1 && !bi_const_arg(s, n, 1, &k, "k (argument 2)"))
			return s->t_none;
		if (k < 0 || k > ET_HIST_MAX_K) {
			sema_error(s, n->u.call.args.items[1]->loc,
				   "hist(): k must be 0 to %d (%" PRId64 " provided)", ET_HIST_MAX_K, k);
			sema_hint(s, "k splits each power of two into 2^k buckets; hist(n) is hist(n, 0)");
			return s->t_none;
		}
		t = type_new(s->arena, ET_AGG_HIST, hist_slots((uint32_t)k) * 8);
		t->hist_k = (uint32_t)k;
		return t;
	}
	return type_new(s->arena, c->id == BI_AVG ? ET_AGG_AVG : ET_AGG_STATS, 16);
}

struct et_type *check_lhist(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *t;
	int64_t min, max, step;
	bool ok;

	(void)c;
	if (!bi_int_arg(s, n, 0, NULL))
		return s->t_none;
	ok = bi_const_arg(s, n, 1, &min, "min (argument 2)");
	ok = bi_const_arg(s, n, 2, &max, "max (argument 3)") && ok;
	ok = bi_const_arg(s, n, 3, &step, "step (argument 4)") && ok;
	if (!ok)
		return s->t_none;
	if (step <= 0) {
		sema_error(s, n->u.call.args.items[3]->loc, "lhist() step must be >= 1 (%" PRId64 " provided)", step);
		return s->t_none;
	}
	if (min < 0) {
		sema_error(s, n->u.call.args.items[1]->loc, "lhist() min must be non-negative (%" PRId64 " provided)",
			   min);
		return s->t_none;
	}
	if (max <= min) {
		sema_error(s, n->u.call.args.items[2]->loc,
			   "lhist() max must be greater than min (min %" PRId64 ", max %" PRId64 ")", min, max);
		return s->t_none;
	}
	if ((max - min) / step > 1000) {
		sema_error(s, n->loc, "lhist() too many buckets, must be <= 1000 (would need %" PRId64 ")",
			   (max - min) / step);
		sema_hint(s, "use a larger step");
		return s->t_none;
	}
	t = type_new(s->arena, ET_AGG_LHIST, lhist_slots(min, max, step) * 8);
	t->lh_min = min;
	t->lh_max = max;
	t->lh_step = step;
	return t;
}

/* tseries(n, interval_ns, num_intervals[, "avg" | "max" | "min" | "sum"]): bpftrace's limits and messages */
struct et_type *check_tseries(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	static const char *const aggs[] = {"avg", "max", "min", "sum"}; /* bpftrace lists them sorted */
	static const enum et_tseries_agg agg_ids[] = {ET_TS_AVG, ET_TS_MAX, ET_TS_MIN, ET_TS_SUM};
	struct ast_list *args = &n->u.call.args;
	enum et_tseries_agg agg = ET_TS_LAST;
	struct et_type *a = NULL, *t;
	int64_t interval, count;
	bool ok;

	(void)c;
	sema_unstable_use(s, SEMA_UNSTABLE_TSERIES, n->loc);
	ok = bi_int_arg(s, n, 0, &a);
	ok = bi_const_arg(s, n, 1, &interval, "interval (argument 2)") && ok;
	ok = bi_const_arg(s, n, 2, &count, "num_intervals (argument 3)") && ok;
	if (args->count > 3) {
		struct ast_node *g = args->items[3];
		size_t i;

		if (!bi_is_string_lit(g)) {
			sema_expr(s, g);
			sema_error(s, g->loc, "tseries(): the aggregation (argument 4) must be a string literal");
			sema_hint(s, "one of \"avg\", \"max\", \"min\", \"sum\"; without it each interval keeps its last value");
			return s->t_none;
		}
		for (i = 0; i < sizeof(aggs) / sizeof(aggs[0]); i++)
			if (strcmp(g->u.string.bytes, aggs[i]) == 0)
				break;
		if (i == sizeof(aggs) / sizeof(aggs[0])) {
			sema_error(s, g->loc, "tseries() expects one of the following aggregation functions: avg, max, "
				   "min, sum (\"%s\" provided)", g->u.string.bytes);
			return s->t_none;
		}
		agg = agg_ids[i];
	}
	if (!ok)
		return s->t_none;
	if (interval <= 0) {
		sema_error(s, args->items[1]->loc, "tseries() interval_ns must be >= 1 (%" PRId64 " provided)", interval);
		sema_hint(s, "the interval is in nanoseconds; a unit may follow the number: 100ms, 1s");
		return s->t_none;
	}
	if (count <= 0) {
		sema_error(s, args->items[2]->loc, "tseries() num_intervals must be >= 1 (%" PRId64 " provided)", count);
		return s->t_none;
	}
	if (count > ET_TSERIES_MAX_INTERVALS) {
		sema_error(s, args->items[2]->loc, "tseries() num_intervals must be < %d (%" PRId64 " provided)",
			   ET_TSERIES_MAX_INTERVALS, count);
		return s->t_none;
	}
	t = type_new(s->arena, ET_AGG_TSERIES, ET_TSERIES_VALUE_SIZE);
	t->is_signed = a->kind == ET_INT && a->is_signed;
	t->ts_interval = (uint64_t)interval;
	t->ts_count = (uint32_t)count;
	t->ts_agg = agg;
	return t;
}

/* delete, has_key and len work key by key, and a tseries() map holds one BPF element per (key, bucket) */
static bool refuse_tseries(struct sema *s, int map, const char *what, struct et_loc loc)
{
	const struct sema_map *m = map >= 0 ? &s->maps[map] : NULL;

	if (!m || !m->value || m->value->kind != ET_AGG_TSERIES)
		return false;
	sema_error(s, loc, "%s is not supported on %s, a tseries() map", what, m->name);
	sema_hint(s, "clear(%s) removes every key, zero(%s) empties every interval", m->name, m->name);
	return true;
}

struct et_type *check_delete(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a0 = args->items[0];
	struct sema_map *m;

	if (!bi_map_arg(s, n, 0, "delete(@m[key]) or delete(@m, key)"))
		return s->t_none;
	if (args->count == 1) {
		struct sema_map_ref *r = arena_alloc(s->arena, sizeof(*r));

		m = sema_map_get(s, a0->u.map.name, a0->loc);
		r->map = (uint32_t)(m - s->maps);
		a0->sym = r;
		c->map = (int)r->map;
		if (refuse_tseries(s, c->map, "delete()", n->loc))
			return s->t_none;
		if ((!a0->u.map.keys || a0->u.map.keys->count == 0) && m->key_state == 2) {
			/* bpftrace: "call to delete() with a single argument expects a map without explicit keys" */
			sema_error(s, a0->loc, "delete(%s) with one argument deletes the value of a map without keys, "
				   "but %s has keys", m->name, m->name);
			sema_hint(s, "delete one entry with delete(%s, key), or every entry with clear(%s)", m->name,
				  m->name);
			return s->t_none;
		}
		sema_map_keys(s, a0, m);
		a0->type = m->value ? m->value : s->t_none;
		if (!m->value)
			sema_map_unassigned(s, m, a0->loc);
		return s->t_bool;
	}
	c->map = sema_map_whole(s, a0, true);
	if (refuse_tseries(s, c->map, "delete()", n->loc))
		return s->t_none;
	if (c->map >= 0)
		sema_map_has_keys(s, &s->maps[c->map], "delete() with two arguments", a0->loc,
				  "delete(%s) with one argument deletes the value of %s, a map without keys");
	if (c->map >= 0)
		sema_map_key_expr(s, &s->maps[c->map], args->items[1]);
	else
		sema_expr(s, args->items[1]);
	return c->map >= 0 ? s->t_bool : s->t_none;
}

/* clear(@m), zero(@m): an event naming the whole map */
struct et_type *check_map_event(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_event_kind kind = c->id == BI_CLEAR ? ET_EV_CLEAR : ET_EV_ZERO;
	struct ast_node *a = n->u.call.args.items[0];

	if (!bi_map_arg(s, n, 0, kind == ET_EV_CLEAR ? "clear(@m)" : "zero(@m)"))
		return s->t_void;
	c->map = sema_map_whole(s, a, true);
	if (c->map >= 0)
		c->event = sema_add_event(s, kind, NULL, NULL, c->map, n->loc);
	return s->t_void;
}

/* len(kstack), len(ustack): the depth of the stack the probe sees now (bpf_get_stack, sema_call.index 1).
 * len($s) of a stack kept in a variable or a map (index 2): its frames, which a probe cannot read from
 * the stack map (the kernel lets BPF only add to it), so every stack the program captures keeps its
 * frame count in its id (et_program.stack_frames). */
static struct et_type *stack_len(struct sema *s, struct ast_node *a, struct sema_call *c)
{
	const struct sema_call *ac = (a->kind == AST_IDENT || a->kind == AST_CALL) ? a->sym : NULL;

	if (!ac || (ac->id != BI_KSTACK && ac->id != BI_USTACK)) {
		c->index = 2;
		s->prog->stack_frames = true;
		return s->t_i64;
	}
	c->index = 1;
	return s->t_i64;
}

struct et_type *check_len(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];

	/* @m[k] is a value (a stack kept in a map); @m the map */
	if (a->kind != AST_MAP || (a->u.map.keys && a->u.map.keys->count)) {
		struct et_type *t = sema_expr(s, a);

		if (sema_is_none(t))
			return s->t_none;
		if (t->kind == ET_KSTACK || t->kind == ET_USTACK)
			return stack_len(s, a, c);
		sema_error(s, a->loc, "len() expects a map, ustack, or kstack, not %s", sema_tname(s, t));
		sema_hint(s, "len(@m) counts a map's entries, len(kstack) and len(ustack) a stack's frames");
		return s->t_none;
	}
	c->map = sema_map_whole(s, a, true);
	if (refuse_tseries(s, c->map, "len()", n->loc))
		return s->t_none;
	if (c->map >= 0)
		sema_map_has_keys(s, &s->maps[c->map], "len()", a->loc,
				  "len() counts the entries of a map with keys (%s[key] = ...); %s holds a single value");
	return s->t_i64;
}

struct et_type *check_has_key(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;

	if (!bi_map_arg(s, n, 0, "has_key(@m, key)"))
		return s->t_none;
	c->map = sema_map_whole(s, args->items[0], true);
	if (refuse_tseries(s, c->map, "has_key()", n->loc))
		return s->t_none;
	if (c->map >= 0)
		sema_map_has_keys(s, &s->maps[c->map], "has_key()", args->items[0]->loc,
				  "%s holds a single value: read it directly, or give %s keys where it is assigned");
	if (c->map >= 0)
		sema_map_key_expr(s, &s->maps[c->map], args->items[1]);
	else
		sema_expr(s, args->items[1]);
	return s->t_bool;
}

/* find(@m, key, $v): bpftrace's stdlib macro: one lookup; when the key is there its value goes into $v
 * (typed as by `$v = @m[key]`) and the result is true, else $v keeps its value and the result is false.
 * A map of count(), sum(), min(), max() or avg() gives its value as @m[key] reads it (the CPUs
 * combined, cg_agg_value), not one CPU's slot. */
struct et_type *check_find(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *var = args->items[2];
	struct et_type *vt = NULL;
	struct sema_map *m;

	if (args->items[0]->kind != AST_MAP) { /* bi_map_arg, but $v is not read */
		sema_expr(s, args->items[0]);
		sema_expr(s, args->items[1]);
		sema_error(s, args->items[0]->loc, "find() expects a map, e.g. find(@m, key, $var)");
	} else {
		c->map = sema_map_whole(s, args->items[0], true);
		if (c->map >= 0 &&
		    !sema_map_has_keys(s, &s->maps[c->map], "find()", args->items[0]->loc,
				       "%s holds a single value: read it directly, or give %s keys where it is assigned"))
			c->map = -1;
		if (c->map >= 0)
			sema_map_key_expr(s, &s->maps[c->map], args->items[1]);
		else
			sema_expr(s, args->items[1]);
	}
	if (c->map >= 0) {
		m = &s->maps[c->map];
		vt = sema_agg_value_type(s, m->value) ? sema_agg_value_type(s, m->value) : m->value;
		if (type_is_aggregation(vt)) {
			sema_error(s, args->items[0]->loc, "find() cannot read %s: its values are %s() aggregations, "
				   "which are only printed", m->name, sema_tname(s, vt));
			sema_hint(s, "find() reads maps of plain values and of count(), sum(), min(), max() and avg()");
			vt = NULL;
		}
	}
	if (var->kind != AST_VAR) {
		if (var->kind != AST_MAP)
			sema_expr(s, var);
		sema_error(s, var->loc, "find() stores the value it finds in a variable, not in %s",
			   var->kind == AST_MAP ? "a map" : "an expression");
		sema_hint(s, "write find(@m, key, $v) and read $v when it returns true");
		return s->t_none;
	}
	/* after an error $v is still declared (typed none), so that its uses report nothing more */
	sema_var_store(s, var, vt ? vt : s->t_none, var->loc);
	return vt ? s->t_bool : s->t_none;
}
