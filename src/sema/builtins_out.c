/* builtins_out: the checks of the actions that print or signal (printf, system, print, time, exit, join,
 * signal): the ring-buffer event each registers. */
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

static bool is_comm(const struct ast_node *n)
{
	const struct sema_call *c = n->kind == AST_IDENT || n->kind == AST_CALL ? n->sym : NULL;

	return c && c->id == BI_COMM && (n->kind == AST_IDENT || n->u.call.args.count == 0);
}

/* Event args tuple from the storage types of call args [first, nargs) (comm: its own 16 bytes, where a
 * storage type would be max_strlen: the record is smaller and the helper fills it whole). NULL when
 * some arg is NONE. */
static struct et_type *args_tuple(struct sema *s, struct ast_node *call, uint32_t first)
{
	uint32_t n = call->u.call.args.count - first;
	struct et_type **el = arena_alloc(s->arena, (n + 1) * sizeof(*el));

	for (uint32_t i = 0; i < n; i++) {
		struct et_type *t = call->u.call.args.items[first + i]->type;

		if (sema_is_none(t))
			return NULL;
		el[i] = is_comm(call->u.call.args.items[first + i]) && t->kind == ET_STRING
				? type_string(s->arena, t->size) /* an event's copy of comm never grows: 16 bytes */
				: sema_storage_type(s, t);
	}
	return type_tuple(s->arena, el, n);
}

/* printf, system, cat: a format and its arguments, sent as one event */
/* Is this body an iter probe's with a pin (iter:NAME:PIN; an iter probe is its script's only one)? */
static bool pinned_iter(const struct sema *s)
{
	const struct et_probe_desc *d = s->probe && s->probe->info && s->probe->info->count
						? &s->prog->probes[s->probe->info->first]
						: NULL;

	return d && d->provider && (d->provider->flags & PROVIDER_ITER) && d->target;
}

struct et_type *check_format(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_event_kind kind = c->id == BI_SYSTEM   ? ET_EV_SYSTEM
				  : c->id == BI_CAT    ? ET_EV_CAT
				  : c->id == BI_ERRORF ? ET_EV_ERRORF
				  : c->id == BI_WARNF  ? ET_EV_WARNF
						       : ET_EV_PRINTF;
	struct ast_list *args = &n->u.call.args;
	bool ok = true;

	if (kind == ET_EV_SYSTEM && !bi_unsafe_check(s, n))
		ok = false;
	for (uint32_t i = 1; i < args->count; i++)
		bi_value_arg(s, n, i);
	if (!bi_is_string_lit(args->items[0])) {
		sema_expr(s, args->items[0]);
		sema_error(s, args->items[0]->loc, "%s: the first argument must be a string literal (the format)",
			   n->u.call.name);
		return s->t_void;
	}
	args->items[0]->type = type_string(s->arena, args->items[0]->u.string.len + 1);
	if (!sema_check_format(s, n->u.call.name, n, args->items[0], args->items + 1, args->count - 1) || !ok)
		return s->t_void;
	if (kind == ET_EV_PRINTF && pinned_iter(s) && args->count - 1 > 12) {
		/* the program writes it with the kernel's seq_printf (codegen), which takes 12 at most */
		sema_error(s, n->loc, "printf in a pinned iterator takes at most 12 arguments (the kernel's seq_printf)");
		sema_hint(s, "split it into several printf calls");
		return s->t_void;
	}
	{
		struct et_type *tt = args_tuple(s, n, 1);

		if (tt)
			c->event = sema_add_event(s, kind, args->items[0]->u.string.bytes, tt, -1, n->loc);
	}
	return s->t_void;
}

/* debugf(fmt, ...): the format and up to 3 arguments (bpf_trace_printk's limit) handed to the kernel,
 * which writes the line to its trace buffer (tracefs "trace"/"trace_pipe"), as bpftrace does. The kernel
 * formats it: %d/%u/%x of a value wider than 32 bits print its low 32 bits, unless written %ld/%lld... */
#define DEBUGF_MAX_ARGS 3
struct et_type *check_debugf(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;

	(void)c;
	for (uint32_t i = 1; i < args->count; i++)
		bi_value_arg(s, n, i);
	if (!bi_is_string_lit(args->items[0])) {
		sema_expr(s, args->items[0]);
		sema_error(s, args->items[0]->loc, "debugf: the first argument must be a string literal (the format)");
		return s->t_void;
	}
	args->items[0]->type = type_string(s->arena, args->items[0]->u.string.len + 1);
	if (args->count - 1 > DEBUGF_MAX_ARGS) {
		sema_error(s, args->items[DEBUGF_MAX_ARGS + 1]->loc,
			   "debugf: cannot use more than %d conversion specifiers", DEBUGF_MAX_ARGS);
		sema_hint(s, "bpf_trace_printk takes at most 3 arguments; use printf() for more");
		return s->t_void;
	}
	if (!sema_check_format(s, n->u.call.name, n, args->items[0], args->items + 1, args->count - 1))
		return s->t_void;
	sema_warning(s, n->loc, "The debugf() builtin is not recommended for production use. For more information "
				"see bpf_trace_printk in bpf-helpers(7).");
	return s->t_void;
}

struct et_type *check_print(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a0 = args->items[0];

	if (a0->kind == AST_MAP && (!a0->u.map.keys || a0->u.map.keys->count == 0)) {
		int mi = sema_map_whole(s, a0, true);
		bool ok = mi >= 0;
		struct et_type *el[2] = {s->t_u64, s->t_u64};

		for (uint32_t i = 1; i < args->count; i++)
			ok = bi_int_arg(s, n, i, NULL) && ok;
		c->map = mi;
		if (ok)
			c->event = sema_add_event(s, ET_EV_PRINT_MAP, NULL, type_tuple(s->arena, el, 2), mi, n->loc);
		return s->t_void;
	}
	if (args->count > 1) {
		for (uint32_t i = 0; i < args->count; i++)
			sema_expr(s, args->items[i]);
		sema_error(s, n->loc, "print() takes one argument unless the first is a map");
		sema_hint(s, "print(@m, top, div) prints the top entries of a map, divided by div");
		return s->t_void;
	}
	if (!sema_is_none(bi_value_arg(s, n, 0))) {
		struct et_type *tt = args_tuple(s, n, 0);

		if (tt)
			c->event = sema_add_event(s, ET_EV_PRINT, NULL, tt, -1, n->loc);
	}
	return s->t_void;
}

static const struct { const char *name; int num; } signals[] = {
	{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},   {"TRAP", SIGTRAP},
	{"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},   {"KILL", SIGKILL}, {"USR1", SIGUSR1},
	{"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
	{"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
	{"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
	{"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},   {"SYS", SIGSYS},
};

/* bpftrace's warnf() when the send fails: c->event for a known signal (c->index), else c->event + 1 after
 * the range check's errorf (cg_bi_signal). */
static void signal_failed_event(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *i = type_int(s->arena, 8, true);
	int e = sema_add_event(s, ET_EV_WARNF, "signal call failed with error %d", type_tuple(s->arena, &i, 1), -1,
			       n->loc);

	if (c->index >= 0)
		c->event = e;
}

struct et_type *check_signal(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];

	bi_unsafe_check(s, n);
	c->index = -1;
	if (bi_is_string_lit(a)) {
		const char *name = a->u.string.bytes;

		a->type = type_string(s->arena, a->u.string.len + 1);
		if (strncasecmp(name, "SIG", 3) == 0)
			name += 3;
		for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
			if (strcasecmp(signals[i].name, name) == 0)
				c->index = signals[i].num;
		if (c->index < 0)
			sema_error(s, a->loc, "%s(): unknown signal '%s'", n->u.call.name, a->u.string.bytes);
		else
			signal_failed_event(s, n, c);
		return s->t_void;
	}
	int64_t v;

	if (!bi_int_arg(s, n, 0, NULL))
		return s->t_void;
	if (sema_const_int(s, a, &v)) { /* a constant is checked as bpftrace's stdlib macro checks a literal */
		if (v < 1 || v > 64) {
			sema_error(s, a->loc, "%s() accepts a string literal or an integer between 1 and 64 (inclusive)",
				   n->u.call.name);
			sema_hint(s, "name the signal (\"SIGUSR1\") or give its number, as `kill -l` lists them");
			return s->t_void;
		}
		c->index = (int)v;
	} else { /* bpftrace's macro checks a number computed at run time in the program, with errorf() */
		struct et_type *u = type_int(s->arena, 8, false);
		char fmt[96];

		snprintf(fmt, sizeof(fmt), "%s() expects an integer between 1 and 64 (inclusive). Got %%d", n->u.call.name);
		c->event = sema_add_event(s, ET_EV_ERRORF, fmt, type_tuple(s->arena, &u, 1), -1, n->loc);
	}
	signal_failed_event(s, n, c);
	return s->t_void;
}

struct et_type *check_time(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;

	if (args->count && !bi_is_string_lit(args->items[0])) {
		sema_expr(s, args->items[0]);
		sema_error(s, args->items[0]->loc, "time() expects a string literal format, e.g. time(\"%%H:%%M\\n\")");
		return s->t_void;
	}
	if (args->count)
		args->items[0]->type = type_string(s->arena, args->items[0]->u.string.len + 1);
	c->event = sema_add_event(s, ET_EV_TIME, args->count ? args->items[0]->u.string.bytes : "%H:%M:%S\n", NULL,
				  -1, n->loc);
	return s->t_void;
}

struct et_type *check_exit(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *el[1] = {s->t_i64};

	if (n->u.call.args.count && !bi_int_arg(s, n, 0, NULL))
		return s->t_void;
	c->event = sema_add_event(s, ET_EV_EXIT, NULL, type_tuple(s->arena, el, 1), -1, n->loc);
	return s->t_void;
}

/* unwatch(addr): as bpftrace's (void unwatch(void *addr)), an integer or a pointer; the runtime detaches
 * every watchpoint probe on that address (none: nothing happens, as bpftrace, so a script may unwatch
 * addresses it is not sure it watches) */
struct et_type *check_unwatch(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *el[1] = {s->t_u64};
	struct et_type *t = bi_value_arg(s, n, 0);

	if (sema_is_none(t))
		return s->t_void;
	if (!bi_is_address(t)) {
		sema_error(s, n->u.call.args.items[0]->loc, "unwatch() takes the watched address, an integer or a "
			   "pointer (%s provided)", sema_tname(s, t));
		return s->t_void;
	}
	c->event = sema_add_event(s, ET_EV_UNWATCH, NULL, type_tuple(s->arena, el, 1), -1, n->loc);
	return s->t_void;
}

struct et_type *check_join(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct et_type **el = arena_alloc(s->arena, SEMA_JOIN_MAX_ARGS * sizeof(*el));
	const char *sep = " ";

	if (!bi_int_arg(s, n, 0, NULL))
		return s->t_void;
	if (args->count > 1) {
		if (!bi_is_string_lit(args->items[1])) {
			sema_expr(s, args->items[1]);
			sema_error(s, args->items[1]->loc, "join(): the separator must be a string literal");
			return s->t_void;
		}
		args->items[1]->type = type_string(s->arena, args->items[1]->u.string.len + 1);
		sep = args->items[1]->u.string.bytes;
	}
	for (int i = 0; i < SEMA_JOIN_MAX_ARGS; i++)
		el[i] = type_string(s->arena, s->max_strlen);
	c->event = sema_add_event(s, ET_EV_JOIN, sep, type_tuple(s->arena, el, SEMA_JOIN_MAX_ARGS), -1, n->loc);
	return s->t_void;
}
