/* builtins: builtin variables, functions and aggregations. One table made from builtins.def gives each
 * builtin's name, kind, arity and check function; sema_ident and sema_call look the name up, check the
 * argument count and the kind's context (an aggregation only as a map's value) in one place, then call
 * the row's check, which checks the arguments, returns the result type and registers the ring-buffer
 * event of an action. See sema.h for what a check leaves on the node (struct sema_call). */
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

/* A builtin's check: given the node (AST_IDENT, or AST_CALL whose argument count is in range) and its
 * sema_call (id set; index = N for argN), check the arguments and return the result type (s->t_none after
 * an error). */
typedef struct et_type *builtin_check(struct sema *s, struct ast_node *n, struct sema_call *c);

#define X(id, name, kind, min, max, check, emit) static builtin_check check;
#include "sema/builtins.def"
#undef X

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
	"pton", "cat", "cgroupid", "cgroup_path", "override", "strcontains", "strerror", "skboutput",
	"unwatch", "signal_thread", "percpu_kaddr", "syscall_name", "strstr", "errorf", "warnf", "fail",
	"assert", "static_assert", "tseries", "find", "socket_cookie", "getopt", "memcmp", "str_concat",
	"signal_name", NULL,
};
static const char *const later_variables[] = {
	"username", "ctx", "probetype", "has_cpid", "sarg0", "sarg1", "sarg2", NULL,
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

/* ---- builtin variables ---- */

/* Is every concrete probe of the current probe a usdt probe (argN from the notes' specs)? */
static bool sema_usdt_probe(struct sema *s)
{
	const struct et_probe_desc *probes = s->prog->probes;
	uint32_t i;

	if (!s->probe || !s->probe->info->count)
		return false;
	for (i = 0; i < s->probe->info->count; i++)
		if (!probes[s->probe->info->first + i].usdt_args)
			return false;
	return true;
}

/* The fewest arguments among the current probe's usdt sites. */
static int sema_usdt_nargs(struct sema *s)
{
	const struct et_probe_desc *probes = s->prog->probes;
	int least = INT_MAX;
	uint32_t i;

	for (i = 0; i < s->probe->info->count; i++) {
		const char *a = probes[s->probe->info->first + i].usdt_args;
		int n = 0;

		while (*a) {
			a += strspn(a, " ");
			if (!*a)
				break;
			n++;
			a += strcspn(a, " ");
		}
		if (n < least)
			least = n;
	}
	return least == INT_MAX ? 0 : least;
}

/* A kernel symbol's address from /proc/kallsyms (0 / -ENOENT; addresses need root to be shown). */
static int sema_kallsyms_addr(const char *name, uint64_t *addr)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char sym[256];

		if (sscanf(line, "%llx %*c %255s", &a, sym) == 2 && a && strcmp(sym, name) == 0) {
			*addr = a;
			err = 0;
		}
	}
	fclose(f);
	return err;
}

/* str(p, n) with a constant n: a negative length is an error; one over max_strlen is cut at max_strlen,
 * which the script may not expect (bpftrace cuts it too), so it is worth a warning. */
static bool str_length_ok(struct sema *s, struct ast_node *len)
{
	int64_t v;

	if (!sema_const_int(s, len, &v))
		return true;
	if (v < 0) {
		sema_error(s, len->loc, "str(): the length must not be negative");
		return false;
	}
	if ((uint64_t)v > s->max_strlen) {
		sema_warning(s, len->loc, "str(): length %lld is more than max_strlen: the string is cut at %u bytes",
			     (long long)v, s->max_strlen);
		sema_hint(s, "raise the limit with config = { max_strlen = N } (at most %u)", SEMA_MAX_STRLEN);
	}
	return true;
}

/* kstack / ustack with optional (mode, depth) arguments, in either order as bpftrace allows:
 * mode is the identifier perf or bpftrace, depth an integer literal 1..127. */
static struct et_type *check_stack(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum builtin_id id = c->id;
	const struct ast_list *args = n->kind == AST_CALL ? &n->u.call.args : NULL;
	struct et_type *t = type_new(s->arena, id == BI_KSTACK ? ET_KSTACK : ET_USTACK, id == BI_KSTACK ? 8 : 16);
	uint32_t i;

	t->count = 127;
	t->name = s->stack_mode; /* config stack_mode, unless the call names a mode */
	for (i = 0; id == BI_KSTACK && s->probe && i < s->probe->info->count; i++)
		if (!s->prog->probes[s->probe->info->first + i].kstack_loc.line)
			s->prog->probes[s->probe->info->first + i].kstack_loc = n->loc;
	for (i = 0; args && i < args->count; i++) {
		struct ast_node *a = args->items[i];

		if (a->kind == AST_IDENT && (strcmp(a->u.name, "perf") == 0 || strcmp(a->u.name, "bpftrace") == 0 ||
					     strcmp(a->u.name, "raw") == 0)) {
			t->name = strcmp(a->u.name, "bpftrace") == 0 ? NULL : arena_strdup(s->arena, a->u.name);
			a->type = s->t_u64;
		} else if (a->kind == AST_INT && a->u.integer.value >= 1 && a->u.integer.value <= 127) {
			t->count = (uint32_t)a->u.integer.value;
			a->type = s->t_u64;
		} else {
			sema_error(s, a->loc, "%s(): expected a mode (perf, bpftrace, raw) or a depth 1..127",
				   builtin_name(id));
			return s->t_none;
		}
	}
	if (!s->probe) {
		sema_error(s, n->loc, "%s is only available in probes", builtin_name(id));
		return s->t_none;
	}
	return t;
}

/* The name of a provider of the current probe that lacks `flag`, for messages. */
static const char *lacking_provider(struct sema *s, unsigned flag)
{
	for (uint32_t i = 0; i < s->probe->nproviders; i++)
		if (!(s->probe->providers[i]->flags & flag))
			return s->probe->providers[i]->name;
	return "these";
}

static bool fields_equal(const struct et_type *a, const struct et_type *b)
{
	if (a->nfields != b->nfields || a->size != b->size)
		return false;
	for (uint32_t i = 0; i < a->nfields; i++)
		if (a->fields[i].offset != b->fields[i].offset || strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
		    !type_equal(a->fields[i].type, b->fields[i].type))
			return false;
	return true;
}

/* The tracepoint records of the probe's concrete probes; when they differ, args_mixed is set and only
 * fields that are the same in all may be used (sema_args_field_check). */
static struct et_type *args_type(struct sema *s, struct ast_node *n)
{
	struct sema_probe_ctx *pc = s->probe;
	const struct et_probe_desc *probes = s->prog->probes;
	uint32_t first = pc->info->first, count = pc->info->count;

	if (pc->args_failed)
		return s->t_none;
	if (!pc->args_type) {
		pc->args_types = arena_alloc(s->arena, (count + 1) * sizeof(*pc->args_types));
		for (uint32_t i = 0; i < count; i++) {
			const struct et_probe_desc *d = &probes[first + i];
			struct et_type *t;

			if (d->provider->args == PROVIDER_ARGS_BTF_FUNC || d->provider->args == PROVIDER_ARGS_BTF_EVENT) {
				t = sema_btf_args(s, d, n->loc, NULL, NULL);
				if (!t) {
					pc->args_failed = true;
					return s->t_none;
				}
				pc->args_types[i] = t;
				if (i && !fields_equal(pc->args_types[0], t))
					pc->args_mixed = true;
				continue;
			}
			if (d->provider->args == PROVIDER_ARGS_DWARF) { /* uprobe: the binary's DWARF */
				t = sema_dwarf_args(s, d, n->loc, true, NULL, NULL);
				if (!t) {
					pc->args_failed = true;
					return s->t_none;
				}
				pc->args_types[i] = t;
				if (i && !fields_equal(pc->args_types[0], t))
					pc->args_mixed = true;
				continue;
			}
			if (d->provider->args != PROVIDER_ARGS_TRACEFS) {
				sema_error(s, n->loc, "args of %s probes are not supported by etrace yet",
					   d->provider->name);
				pc->args_failed = true;
				return s->t_none;
			}
			t = tracepoint_args_type(s->arena, d->target, d->func);
			if (!t) {
				sema_error(s, n->loc, "cannot read the arguments of %s: %s", d->name, strerror(errno));
				sema_hint(s, "the format file is events/%s/%s/format under tracefs", d->target, d->func);
				pc->args_failed = true;
				return s->t_none;
			}
			pc->args_types[i] = t;
			if (i && !fields_equal(pc->args_types[0], t))
				pc->args_mixed = true;
		}
		if (count == 0) {
			pc->args_failed = true;
			return s->t_none;
		}
		pc->args_type = pc->args_types[0];
	}
	if (pc->args_mixed && !pc->args_in_field) {
		uint32_t i = 1;

		while (i < count && fields_equal(pc->args_types[0], pc->args_types[i]))
			i++;
		sema_error(s, n->loc, "args differ between %s and %s, which share this probe body",
			   probes[first].name, probes[first + i].name);
		sema_hint(s, "use only fields that all these tracepoints have alike, or write a separate probe "
			     "for each");
		return s->t_none;
	}
	return pc->args_type;
}

const struct et_field **sema_args_fields(struct sema *s, struct ast_node *n, const char *name, bool *ok)
{
	struct sema_probe_ctx *pc = s->probe;
	const struct et_probe_desc *probes = s->prog->probes;
	const struct et_field **out;

	*ok = true;
	if (!pc || !pc->args_mixed || !pc->args_types)
		return NULL;
	out = arena_alloc(s->arena, (pc->info->count + 1) * sizeof(*out));
	for (uint32_t i = 0; i < pc->info->count; i++) {
		const struct et_type *t = pc->args_types[i];

		for (uint32_t k = 0; k < t->nfields && !out[i]; k++)
			if (strcmp(t->fields[k].name, name) == 0)
				out[i] = &t->fields[k];
		if (!out[i]) {
			sema_error(s, n->loc, "args.%s exists in %s but not in %s, which share this probe body", name,
				   probes[pc->info->first].name, probes[pc->info->first + i].name);
			sema_hint(s, "write a separate probe for the tracepoints that lack it");
			*ok = false;
			return NULL;
		}
		if (!type_equal(out[i]->type, out[0]->type)) {
			char a[64], b[64];

			type_format(out[0]->type, a, sizeof(a));
			type_format(out[i]->type, b, sizeof(b));
			sema_error(s, n->loc, "args.%s is %s in %s but %s in %s, which share this probe body", name, a,
				   probes[pc->info->first].name, b, probes[pc->info->first + i].name);
			sema_hint(s, "write a separate probe for each of them");
			*ok = false;
			return NULL;
		}
	}
	return out;
}

static bool need_flag(struct sema *s, struct ast_node *n, unsigned flag, const char *what, const char *where)
{
	if (s->probe->nproviders && (s->probe->flags & flag))
		return true;
	if (!s->probe->nproviders)
		return false; /* attach point errors already reported */
	sema_error(s, n->loc, "%s is not available in %s probes", what, lacking_provider(s, flag));
	sema_hint(s, "%s", where);
	return false;
}

static struct et_type *check_u64(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return s->t_u64;
}

/* nsecs or nsecs(monotonic | boot | tai): bpf_ktime_get_ns, _boot_ns, _tai_ns. bpftrace's sw_tai
 * (TAI estimated in user space for kernels without the tai helper) is not implemented. */
static struct et_type *check_nsecs(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	static const char *const clocks[] = {"monotonic", "boot", "tai"};
	struct ast_node *a;

	if (n->kind != AST_CALL || !n->u.call.args.count)
		return s->t_u64;
	a = n->u.call.args.items[0];
	for (int i = 0; a->kind == AST_IDENT && i < 3; i++) {
		if (strcmp(a->u.name, clocks[i]) == 0) {
			c->index = i;
			return s->t_u64;
		}
	}
	sema_error(s, a->loc, "nsecs() takes a clock: monotonic, boot or tai%s",
		   a->kind == AST_IDENT && strcmp(a->u.name, "sw_tai") == 0 ? " (etrace has no sw_tai)" : "");
	sema_hint(s, "e.g. nsecs(boot) for the time since boot including suspend");
	return s->t_none;
}

static struct et_type *check_comm(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_string(s->arena, 16);
}

static struct et_type *check_probe(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_new(s->arena, ET_PROBE, 8);
}

static struct et_type *check_curtask(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return sema_curtask_type(s);
}

static struct et_type *check_cpid(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	if (!s->opts->has_cpid) {
		sema_error(s, n->loc, "cpid cannot be used without a child command");
		sema_hint(s, "run a command with -c, e.g. etrace -c 'sleep 1' -e '...'");
		return s->t_none;
	}
	return s->t_u64;
}

/* usermode: the privilege level in the code segment register of the probe's pt_regs, as bpftrace
 * reads it; only x86_64 has one (bpftrace: "currently only available on x86_64"). */
static struct et_type *check_usermode(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	int off = arch_current()->mode_offset;

	if (off < 0) {
		sema_error(s, n->loc, "usermode is not supported on %s", arch_current()->name);
		sema_hint(s, "bpftrace reads it from the code segment register, which only x86_64 has");
		return s->t_none;
	}
	for (uint32_t i = 0; i < s->probe->nproviders; i++) {
		const struct et_provider *p = s->probe->providers[i];

		if (p->ctx != PROVIDER_CTX_PT_REGS && p->ctx != PROVIDER_CTX_PERF_EVENT) {
			sema_error(s, n->loc, "usermode is not available in %s probes", p->name);
			sema_hint(s, "it reads the interrupted code's registers, which kprobe, uprobe, usdt, profile "
				     "and software probes have");
			return s->t_none;
		}
	}
	c->index = off;
	return type_int(s->arena, 1, false);
}

/* ppid, pcomm, leader_tid, leader_comm, optionally of a given task: bpftrace's stdlib defines them as
 * macros (`task.real_parent.pid` ...); here the same expression is built and analysed, so its type, its
 * reads and its errors are those of writing it out. */
static struct et_type *check_task_field(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	bool parent = c->id == BI_PPID || c->id == BI_PCOMM;
	bool is_comm = c->id == BI_PCOMM || c->id == BI_LEADER_COMM;
	struct ast_node *task;
	struct et_type *t;

	if (n->kind == AST_CALL && n->u.call.args.count) {
		bool quiet = s->quiet;

		/* a quiet look at the argument's type: the expression built below analyses it for real, so
		 * its diagnostics and events come once */
		task = n->u.call.args.items[0];
		s->quiet = true;
		t = sema_expr(s, task);
		s->quiet = quiet;
		if (!sema_is_none(t) &&
		    (t->kind != ET_POINTER || !t->elem || t->elem->kind != ET_STRUCT || !t->elem->name ||
		     strcmp(t->elem->name, "struct task_struct") != 0)) {
			sema_error(s, task->loc, "%s() expects a 'struct task_struct *' argument (%s provided)",
				   builtin_name(c->id), sema_tname(s, t));
			sema_hint(s, "write %s(curtask), or %s alone for the current task", builtin_name(c->id),
				  builtin_name(c->id));
			return s->t_none;
		}
	} else {
		task = ast_new_name(s->arena, AST_IDENT, n->loc, "curtask");
	}
	c->expr = ast_new_field(s->arena, n->loc,
				ast_new_field(s->arena, n->loc, task, parent ? "real_parent" : "group_leader", true),
				is_comm ? "comm" : "pid", true);
	return sema_expr(s, c->expr);
}

static struct et_type *check_argn(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	int index = c->index;
	char what[16];

	snprintf(what, sizeof(what), "arg%d", index);
	if (!need_flag(s, n, PROVIDER_HAS_ARGN, what,
		       "argN exists in kprobe, uprobe, usdt and rawtracepoint probes; tracepoints have args.FIELD"))
		return s->t_none;
	if (sema_usdt_probe(s)) {
		/* usdt: as many arguments as every site's note describes */
		int nargs = sema_usdt_nargs(s);

		if (index >= nargs) {
			sema_error(s, n->loc, "arg%d is out of range: this usdt probe has %d argument%s", index, nargs,
				   nargs == 1 ? "" : "s");
			return s->t_none;
		}
		return s->t_u64;
	}
	if (index > 5) {
		sema_error(s, n->loc, "arg%d is out of range: x86-64 passes arguments in 6 registers, arg0 .. arg5",
			   index);
		return s->t_none;
	}
	return s->t_u64;
}

static struct et_type *check_args(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	s->probe->info->uses_args = true;
	if (!need_flag(s, n, PROVIDER_HAS_ARGS, "args",
		       "args exists in tracepoint probes; kprobes and uprobes have arg0 .. arg5"))
		return s->t_none;
	return args_type(s, n);
}

static struct et_type *check_retval(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!need_flag(s, n, PROVIDER_HAS_RETVAL, "retval",
		       (s->probe->flags & PROVIDER_HAS_ARGS)
			       ? "retval exists in kretprobe, uretprobe and fexit probes; a sys_exit_* tracepoint has "
				 "the return value in args.ret"
			       : "retval exists in kretprobe, uretprobe and fexit probes"))
		return s->t_none;
	if (s->probe->info->count && s->prog->probes[s->probe->info->first].provider->ctx == PROVIDER_CTX_RAW_ARGS) {
		/* fexit: the return value follows the arguments in the u64 array (index = its slot) */
		struct et_type *ret = NULL;
		uint32_t np = 0;

		if (!sema_btf_args(s, &s->prog->probes[s->probe->info->first], n->loc, &ret, &np))
			return s->t_none;
		c->index = (int)np;
		return ret && ret->kind != ET_VOID ? ret : s->t_u64;
	}
	if (s->probe->info->count) {
		/* uretprobe: typed from the binary's DWARF when it has it (every probe of the body alike) */
		struct et_type *ret = NULL, *first = NULL;

		for (uint32_t i = 0; i < s->probe->info->count; i++) {
			const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first + i];

			ret = NULL;
			if (d->provider->ctx != PROVIDER_CTX_PT_REGS || !(d->provider->flags & PROVIDER_HAS_USER) ||
			    !sema_dwarf_args(s, d, n->loc, false, &ret, NULL) || !ret)
				return s->t_u64;
			if (i && !type_equal(first, ret))
				return s->t_u64;
			first = ret;
		}
		return first;
	}
	return s->t_u64;
}

static struct et_type *check_func(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	if (!need_flag(s, n, PROVIDER_HAS_FUNC, "func", "func exists in kprobe, uprobe and fentry probes"))
		return s->t_none;
	return s->probe->any_user ? type_new(s->arena, ET_USYM, 16) : type_new(s->arena, ET_KSYM, 8);
}

static void unknown_ident(struct sema *s, struct ast_node *n)
{
	const char *name = n->u.name;
	const char *cands[BI_COUNT_ + 2];
	size_t nc = 0;
	const char *best;

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

/* ---- functions ---- */

static const char *count_phrase(struct sema *s, unsigned min, unsigned max)
{
	if (min == max)
		return min == 0 ? "no arguments" : min == 1 ? "one argument"
							  : arena_printf(s->arena, "%u arguments", min);
	if (max >= 64)
		return arena_printf(s->arena, "at least %u argument%s", min, min == 1 ? "" : "s");
	return arena_printf(s->arena, "%u to %u arguments", min, max);
}

static bool is_string_lit(const struct ast_node *n)
{
	return n->kind == AST_STRING;
}

/* Type-check argument i as a value (not void, not an aggregation). */
static struct et_type *value_arg(struct sema *s, struct ast_node *call, uint32_t i)
{
	struct ast_node *a = call->u.call.args.items[i];
	struct et_type *t = sema_expr(s, a);

	if (!sema_is_none(t) && t->kind == ET_VOID) {
		sema_error(s, a->loc, "%s(): argument %u has no value (void)", call->u.call.name, i + 1);
		return s->t_none;
	}
	return t;
}

static bool int_arg(struct sema *s, struct ast_node *call, uint32_t i, struct et_type **out)
{
	struct et_type *t = value_arg(s, call, i);

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
static bool is_address(const struct et_type *t)
{
	return t->kind == ET_INT || t->kind == ET_POINTER;
}

static bool is_string(const struct et_type *t)
{
	return t->kind == ET_STRING;
}

static bool is_mac_bytes(const struct et_type *t)
{
	return (t->kind == ET_ARRAY || t->kind == ET_STRING || t->kind == ET_STRUCT) && t->size == 6;
}

static bool is_inet_bytes(const struct et_type *t)
{
	return type_is_integer(t) ||
	       ((t->kind == ET_ARRAY || t->kind == ET_STRING || t->kind == ET_STRUCT) && (t->size == 4 || t->size == 16));
}

/* The one check of an argument's kind: argument i of call is analysed as a value and must be of a type
 * `accept` takes; else the located error "f() expects WHAT (T provided)". NULL after any error. */
static struct et_type *kind_arg(struct sema *s, struct ast_node *call, uint32_t i,
				bool (*accept)(const struct et_type *t), const char *what)
{
	struct et_type *t = value_arg(s, call, i);

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
static bool map_arg(struct sema *s, struct ast_node *call, uint32_t i, const char *usage)
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

static bool const_arg(struct sema *s, struct ast_node *call, uint32_t i, int64_t *v, const char *what)
{
	struct ast_node *a = call->u.call.args.items[i];
	struct et_type *t = value_arg(s, call, i);

	if (sema_is_none(t))
		return false;
	if (!sema_is_intlike(t) || !sema_const_int(s, a, v)) {
		sema_error(s, a->loc, "%s(): %s must be a constant integer", call->u.call.name, what);
		return false;
	}
	return true;
}

/* Does every probe of this body run where the kernel lets a program call bpf_d_path: fentry/fexit of
 * the functions of the kernel's btf_allowlist_d_path? */
static bool d_path_allowed(struct sema *s)
{
	static const char *const funcs[] = {
		"security_file_permission", "security_inode_getattr", "security_file_open", "security_path_truncate",
		"vfs_truncate", "vfs_fallocate", "dentry_open", "vfs_getattr", "filp_close",
	};

	if (!s->probe || !s->probe->info->count)
		return false;
	for (uint32_t i = 0; i < s->probe->info->count; i++) {
		const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first + i];
		bool found = false;

		if (!d->provider || !d->func || d->provider->args != PROVIDER_ARGS_BTF_FUNC)
			return false;
		for (size_t k = 0; k < sizeof(funcs) / sizeof(funcs[0]) && !found; k++)
			found = strcmp(d->func, funcs[k]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* path(P [, SIZE]): the path of a `struct path` of the kernel (a member reached through a pointer,
 * args.file->f_path, or a `struct path *`) as a string, by bpf_d_path; see d_path_allowed. */
static struct et_type *check_path(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = value_arg(s, n, 0);
	const struct et_type *st = t && t->kind == ET_POINTER ? t->elem : t;
	int64_t size = s->max_strlen;

	(void)c;
	if (n->u.call.args.count > 1 && !const_arg(s, n, 1, &size, "the size"))
		return s->t_none;
	if (sema_is_none(t))
		return s->t_none;
	if (!d_path_allowed(s)) {
		sema_error(s, n->loc, "path() needs the bpf_d_path helper, which the kernel allows only in fentry/fexit "
			   "probes of a few functions (filp_close, vfs_getattr, dentry_open, vfs_truncate, ...)");
		sema_hint(s, "print the file name with str(p->dentry->d_name.name) instead");
		return s->t_none;
	}
	if (!st || st->kind != ET_STRUCT || !st->name || strcmp(st->name, "struct path") != 0 ||
	    (t->kind == ET_STRUCT && (a->kind != AST_FIELD || !a->u.field.base->type ||
				      a->u.field.base->type->kind != ET_POINTER))) {
		sema_error(s, a->loc, "path() expects a struct path of the kernel, such as args.file->f_path (%s provided)",
			   sema_tname(s, t));
		return s->t_none;
	}
	if (size < 1 || size > SEMA_MAX_STRLEN) {
		sema_error(s, n->u.call.args.items[1]->loc, "path(): the size must be 1 to %u", SEMA_MAX_STRLEN);
		return s->t_none;
	}
	return type_string(s->arena, (uint32_t)size);
}

/* ---- aggregations ---- */

static struct et_type *check_count(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_new(s->arena, ET_AGG_COUNT, 8);
}

/* sum, min, max: signed when the argument is a signed integer */
static struct et_type *check_signed_agg(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_type_kind kind = c->id == BI_SUM ? ET_AGG_SUM : c->id == BI_MIN ? ET_AGG_MIN : ET_AGG_MAX;
	uint32_t size = c->id == BI_SUM ? 8 : 16;
	struct et_type *a = NULL, *t;

	if (!int_arg(s, n, 0, &a))
		return s->t_none;
	t = type_new(s->arena, kind, size);
	t->is_signed = a->kind == ET_INT && a->is_signed;
	return t;
}

/* avg, stats, hist: an integer argument */
static struct et_type *check_int_agg(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!int_arg(s, n, 0, NULL))
		return s->t_none;
	if (c->id == BI_HIST)
		return type_new(s->arena, ET_AGG_HIST, ET_HIST_SLOTS * 8);
	return type_new(s->arena, c->id == BI_AVG ? ET_AGG_AVG : ET_AGG_STATS, 16);
}

static struct et_type *check_lhist(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *t;
	int64_t min, max, step;
	bool ok;

	(void)c;
	if (!int_arg(s, n, 0, NULL))
		return s->t_none;
	ok = const_arg(s, n, 1, &min, "min (argument 2)");
	ok = const_arg(s, n, 2, &max, "max (argument 3)") && ok;
	ok = const_arg(s, n, 3, &step, "step (argument 4)") && ok;
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

/* ---- printing and other actions ---- */

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

static bool unsafe_check(struct sema *s, struct ast_node *n)
{
	if (s->opts->unsafe)
		return true;
	sema_error(s, n->loc, "%s() is an unsafe function and needs --unsafe", n->u.call.name);
	sema_hint(s, "run with --unsafe");
	return false;
}

/* printf, system: a format and its arguments, sent as one event */
static struct et_type *check_format(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_event_kind kind = c->id == BI_SYSTEM ? ET_EV_SYSTEM : ET_EV_PRINTF;
	struct ast_list *args = &n->u.call.args;
	bool ok = true;

	if (kind == ET_EV_SYSTEM && !unsafe_check(s, n))
		ok = false;
	for (uint32_t i = 1; i < args->count; i++)
		value_arg(s, n, i);
	if (!is_string_lit(args->items[0])) {
		sema_expr(s, args->items[0]);
		sema_error(s, args->items[0]->loc, "%s: the first argument must be a string literal (the format)",
			   n->u.call.name);
		return s->t_void;
	}
	args->items[0]->type = type_string(s->arena, args->items[0]->u.string.len + 1);
	if (!sema_check_format(s, n->u.call.name, n, args->items[0], args->items + 1, args->count - 1) || !ok)
		return s->t_void;
	{
		struct et_type *tt = args_tuple(s, n, 1);

		if (tt)
			c->event = sema_add_event(s, kind, args->items[0]->u.string.bytes, tt, -1, n->loc);
	}
	return s->t_void;
}

static struct et_type *check_print(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a0 = args->items[0];

	if (a0->kind == AST_MAP && (!a0->u.map.keys || a0->u.map.keys->count == 0)) {
		int mi = sema_map_whole(s, a0, true);
		bool ok = mi >= 0;
		struct et_type *el[2] = {s->t_u64, s->t_u64};

		for (uint32_t i = 1; i < args->count; i++)
			ok = int_arg(s, n, i, NULL) && ok;
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
	if (!sema_is_none(value_arg(s, n, 0))) {
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

static struct et_type *check_signal(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];

	unsafe_check(s, n);
	c->index = -1;
	if (is_string_lit(a)) {
		const char *name = a->u.string.bytes;

		a->type = type_string(s->arena, a->u.string.len + 1);
		if (strncasecmp(name, "SIG", 3) == 0)
			name += 3;
		for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
			if (strcasecmp(signals[i].name, name) == 0)
				c->index = signals[i].num;
		if (c->index < 0)
			sema_error(s, a->loc, "signal(): unknown signal '%s'", a->u.string.bytes);
		return s->t_void;
	}
	int_arg(s, n, 0, NULL);
	return s->t_void;
}

static struct et_type *check_delete(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a0 = args->items[0];
	struct sema_map *m;

	if (!map_arg(s, n, 0, "delete(@m[key]) or delete(@m, key)"))
		return s->t_void;
	if (args->count == 1) {
		struct sema_map_ref *r = arena_alloc(s->arena, sizeof(*r));

		m = sema_map_get(s, a0->u.map.name, a0->loc);
		r->map = (uint32_t)(m - s->maps);
		a0->sym = r;
		c->map = (int)r->map;
		if ((!a0->u.map.keys || a0->u.map.keys->count == 0) && m->key_state == 2) {
			/* bpftrace: "call to delete() with a single argument expects a map without explicit keys" */
			sema_error(s, a0->loc, "delete(%s) with one argument deletes the value of a map without keys, "
				   "but %s has keys", m->name, m->name);
			sema_hint(s, "delete one entry with delete(%s, key), or every entry with clear(%s)", m->name,
				  m->name);
			return s->t_void;
		}
		sema_map_keys(s, a0, m);
		a0->type = m->value ? m->value : s->t_none;
		if (!m->value)
			sema_map_unassigned(s, m, a0->loc);
		return s->t_void;
	}
	c->map = sema_map_whole(s, a0, true);
	if (c->map >= 0)
		sema_map_has_keys(s, &s->maps[c->map], "delete() with two arguments", a0->loc,
				  "delete(%s) with one argument deletes the value of %s, a map without keys");
	if (c->map >= 0)
		sema_map_key_expr(s, &s->maps[c->map], args->items[1]);
	else
		sema_expr(s, args->items[1]);
	return s->t_void;
}

static struct et_type *check_time(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;

	if (args->count && !is_string_lit(args->items[0])) {
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

static struct et_type *check_exit(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *el[1] = {s->t_i64};

	if (n->u.call.args.count && !int_arg(s, n, 0, NULL))
		return s->t_void;
	c->event = sema_add_event(s, ET_EV_EXIT, NULL, type_tuple(s->arena, el, 1), -1, n->loc);
	return s->t_void;
}

static struct et_type *check_join(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct et_type **el = arena_alloc(s->arena, SEMA_JOIN_MAX_ARGS * sizeof(*el));
	const char *sep = " ";

	if (!int_arg(s, n, 0, NULL))
		return s->t_void;
	if (args->count > 1) {
		if (!is_string_lit(args->items[1])) {
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

/* clear(@m), zero(@m): an event naming the whole map */
static struct et_type *check_map_event(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_event_kind kind = c->id == BI_CLEAR ? ET_EV_CLEAR : ET_EV_ZERO;
	struct ast_node *a = n->u.call.args.items[0];

	if (!map_arg(s, n, 0, kind == ET_EV_CLEAR ? "clear(@m)" : "zero(@m)"))
		return s->t_void;
	c->map = sema_map_whole(s, a, true);
	if (c->map >= 0)
		c->event = sema_add_event(s, kind, NULL, NULL, c->map, n->loc);
	return s->t_void;
}

/* ---- strings and buffers ---- */

static struct et_type *check_str(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a = args->items[0];
	struct et_type *t;

	(void)c;
	if (a->kind == AST_POSITIONAL) {
		if (args->count > 1)
			int_arg(s, n, 1, NULL);
		return sema_positional_string(s, a);
	}
	t = value_arg(s, n, 0);
	if (args->count > 1 && int_arg(s, n, 1, NULL) && !str_length_ok(s, args->items[1]))
		return s->t_none;
	if (sema_is_none(t))
		return s->t_none;
	if (!sema_is_intlike(t) && t->kind != ET_STRING) {
		sema_error(s, a->loc, "str() expects a pointer or an integer address (%s provided)", sema_tname(s, t));
		return s->t_none;
	}
	if (t->kind == ET_STRING && args->count == 1) /* str("text"): the text itself, never cut (bpftrace) */
		return type_string(s->arena, t->size);
	return type_string(s->arena, s->max_strlen);
}

static struct et_type *check_buf(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a = args->items[0];
	struct et_type *t = value_arg(s, n, 0);
	uint32_t cap = s->max_strlen;
	int64_t len;

	(void)c;
	if (sema_is_none(t))
		return s->t_none;
	if (t->kind == ET_ARRAY && args->count == 1) {
		cap = t->size;
	} else if (!sema_is_intlike(t)) {
		sema_error(s, a->loc, "buf() expects a pointer, an integer address or an array (%s provided)",
			   sema_tname(s, t));
		return s->t_none;
	} else if (args->count == 1) {
		sema_error(s, a->loc, "buf() of a pointer needs a length: buf(ptr, nbytes)");
		return s->t_none;
	} else if (!int_arg(s, n, 1, NULL)) {
		return s->t_none;
	} else if (sema_const_int(s, args->items[1], &len)) {
		if (len < 0) {
			sema_error(s, args->items[1]->loc, "buf(): the length must not be negative");
			return s->t_none;
		}
		if ((uint64_t)len < cap)
			cap = (uint32_t)len;
	}
	return type_new(s->arena, ET_BUFFER, 4 + cap);
}

static struct et_type *check_strncmp(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	int64_t len;
	bool ok = true;

	for (uint32_t i = 0; i < 2; i++)
		ok = kind_arg(s, n, i, is_string, "string arguments") && ok;
	if (!const_arg(s, n, 2, &len, "the length (argument 3)") || !ok)
		return s->t_none;
	if (len < 0 || len > 0x7fffffff) {
		sema_error(s, args->items[2]->loc, "strncmp(): the length must be between 0 and %d", 0x7fffffff);
		return s->t_none;
	}
	c->index = (int)len;
	return s->t_u64;
}

/* The type of expression n, analysed quietly (no diagnostics, no events): for a builtin that decides from
 * the type how to build the expression it analyses for real. */
static struct et_type *quiet_type(struct sema *s, struct ast_node *n)
{
	bool quiet = s->quiet;
	struct et_type *t;

	s->quiet = true;
	t = sema_expr(s, n);
	s->quiet = quiet;
	return t;
}

static bool is_char(const struct et_type *t)
{
	return t && t->kind == ET_INT && t->size == 1;
}

/* strlen(s): a string or int8 array is counted where it is; an int8 pointer is read as str(p) would
 * read it (bpftrace's stdlib bounds it by the default string length too) and then counted. */
static struct et_type *check_strlen(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = quiet_type(s, a);

	if (!sema_is_none(t) && t->kind == ET_POINTER && is_char(t->elem)) {
		struct ast_list *args = ast_list_new(s->arena);

		ast_list_push(s->arena, args, a);
		c->expr = ast_new_call(s->arena, a->loc, "str", args);
		t = sema_expr(s, c->expr);
		return sema_is_none(t) ? t : s->t_u64;
	}
	t = value_arg(s, n, 0);
	if (sema_is_none(t))
		return t;
	if (t->kind != ET_STRING && !(t->kind == ET_ARRAY && is_char(t->elem))) {
		sema_error(s, a->loc, "strlen() expects a string, an int8 array or an int8 pointer (%s provided)",
			   sema_tname(s, t));
		if (t->kind == ET_INT)
			sema_hint(s, "an address is read as a string through a char pointer: strlen((int8 *)arg0)");
		return s->t_none;
	}
	return s->t_u64;
}

/* default_str_length(): the size of str(p) (bpftrace's stdlib: sizeof(str((int8*)0))), i.e. max_strlen as
 * configured */
static struct et_type *check_default_str_length(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	c->index = (int)s->max_strlen;
	return s->t_u64;
}

/* bswap(n): unsigned, of n's width (bpftrace); a 1-byte integer is returned as it is. */
static struct et_type *check_bswap(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *t;

	(void)c;
	if (!int_arg(s, n, 0, &t))
		return s->t_none;
	return type_int(s->arena, t->kind == ET_INT && t->size ? t->size : 8, false);
}

/* ntop([af,] addr): addr an integer (IPv4, network order) or a 4/16-byte array (u8[4], u8[16],
 * in6_addr.in6_u...); without af, the size decides (16 bytes: AF_INET6) */
static struct et_type *check_ntop(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	bool ok = args->count < 2 || kind_arg(s, n, 0, type_is_integer, "an integer address family");

	(void)c;
	ok = kind_arg(s, n, args->count - 1, is_inet_bytes, "an IPv4 address (integer) or a 4 or 16 byte array") && ok;
	return ok ? type_new(s->arena, ET_INET, 24) : s->t_none;
}

/* a 6-byte array (or string/struct of that size) */
static struct et_type *check_macaddr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	return kind_arg(s, n, 0, is_mac_bytes, "a 6 byte array") ? type_new(s->arena, ET_INET, 24) : s->t_none;
}

/* the format rides in the type's name; the value is the boot-clock nsecs */
static struct et_type *check_strftime(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t;

	(void)c;
	sema_expr(s, a);
	if (!is_string_lit(a)) {
		sema_error(s, a->loc, "strftime() expects its format as a string literal");
		return s->t_none;
	}
	if (!int_arg(s, n, 1, NULL))
		return s->t_none;
	t = type_new(s->arena, ET_TIMESTAMP, 8);
	t->name = arena_strdup(s->arena, a->u.string.bytes);
	return t;
}

/* ---- symbols, registers, pointers ---- */

/* ksym(addr), usym(addr): the address, printed as a symbol (type: ET_KSYM / ET_USYM) */
static struct et_type *check_sym(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!kind_arg(s, n, 0, is_address, "an address"))
		return s->t_none;
	return c->id == BI_KSYM ? type_new(s->arena, ET_KSYM, 8) : type_new(s->arena, ET_USYM, 16);
}

static bool kernel_symbol(struct sema *s, struct ast_node *n, struct ast_node *a, uint64_t *addr)
{
	(void)n;
	if (sema_kallsyms_addr(a->u.string.bytes, addr)) {
		sema_error(s, a->loc, "no kernel symbol '%s' in /proc/kallsyms", a->u.string.bytes);
		return false;
	}
	return true;
}

static bool user_symbol(struct sema *s, struct ast_node *n, struct ast_node *a, uint64_t *addr)
{
	const struct et_probe_desc *d = s->probe && s->probe->info->count ? &s->prog->probes[s->probe->info->first]
									  : NULL;
	bool is_dyn = false;

	if (!d || !d->target || !(d->provider->flags & PROVIDER_HAS_USER)) {
		sema_error(s, n->loc, "uaddr() needs a uprobe or usdt probe (its binary has the symbol)");
		return false;
	}
	if (elf_symbol_addr(d->target, a->u.string.bytes, addr, &is_dyn)) {
		sema_error(s, a->loc, "no symbol '%s' in %s", a->u.string.bytes, d->target);
		return false;
	}
	if (is_dyn) {
		sema_error(s, a->loc, "uaddr(): %s is position independent (PIE or a shared object): its symbols move "
			   "when it is loaded", d->target);
		sema_hint(s, "build the program with -no-pie to use uaddr()");
		return false;
	}
	return true;
}

/* kaddr("sym") / uaddr("sym"): the symbol's address (looked up by `find`), a constant in the argument's
 * sym (struct sema_const) */
static struct et_type *check_addr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	bool (*find)(struct sema *s, struct ast_node *n, struct ast_node *a, uint64_t *addr) =
		c->id == BI_KADDR ? kernel_symbol : user_symbol;
	struct ast_node *a = n->u.call.args.items[0];
	struct sema_const *k;
	uint64_t addr = 0;

	if (!is_string_lit(a)) {
		sema_error(s, a->loc, "%s() expects a symbol name as a string literal", builtin_name(c->id));
		return s->t_none;
	}
	if (!find(s, n, a, &addr))
		return s->t_none;
	k = arena_alloc(s->arena, sizeof(*k));
	k->value = (int64_t)addr;
	a->sym = k;
	a->type = s->t_u64;
	return s->t_u64;
}

static struct et_type *check_reg(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	uint32_t size;
	int off;

	if (!is_string_lit(a)) {
		sema_error(s, a->loc, "reg() expects a register name as a string literal, e.g. reg(\"ip\")");
		return s->t_none;
	}
	if (!need_flag(s, n, PROVIDER_HAS_FUNC, "reg()", "registers exist in kprobe, uprobe and usdt probes"))
		return s->t_none;
	off = arch_reg_offset(a->u.string.bytes, &size);
	if (off < 0 && strcmp(a->u.string.bytes, "ip") == 0)
		off = (int)arch_current()->pc_offset;
	else if (off < 0 && strcmp(a->u.string.bytes, "sp") == 0)
		off = (int)arch_current()->sp_offset;
	if (off < 0) {
		sema_error(s, a->loc, "unknown register '%s' for %s", a->u.string.bytes, arch_current()->name);
		return s->t_none;
	}
	c->index = off;
	return s->t_u64;
}

/* kptr(p) / uptr(p): p unchanged, its address space fixed (reads through it: kernel / user) */
static struct et_type *check_ptr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_addr_space space = c->id == BI_KPTR ? ET_AS_KERNEL : ET_AS_USER;
	struct et_type *t = kind_arg(s, n, 0, is_address, "a pointer or an integer address"), *r;

	if (!t)
		return s->t_none;
	r = type_new(s->arena, ET_POINTER, 8);
	if (t->kind == ET_POINTER)
		*r = *t;
	r->space = space;
	if (space == ET_AS_USER)
		r->btf_id = 0; /* never a typed kernel pointer the verifier lets us load through */
	return r;
}

/* ---- maps ---- */

static struct et_type *check_len(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];

	if (!map_arg(s, n, 0, "len(@m)"))
		return s->t_none;
	c->map = sema_map_whole(s, a, true);
	if (c->map >= 0)
		sema_map_has_keys(s, &s->maps[c->map], "len()", a->loc,
				  "len() counts the entries of a map with keys (%s[key] = ...); %s holds a single value");
	return s->t_i64;
}

static struct et_type *check_has_key(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;

	if (!map_arg(s, n, 0, "has_key(@m, key)"))
		return s->t_none;
	c->map = sema_map_whole(s, args->items[0], true);
	if (c->map >= 0)
		sema_map_has_keys(s, &s->maps[c->map], "has_key()", args->items[0]->loc,
				  "%s holds a single value: read it directly, or give %s keys where it is assigned");
	if (c->map >= 0)
		sema_map_key_expr(s, &s->maps[c->map], args->items[1]);
	else
		sema_expr(s, args->items[1]);
	return s->t_bool;
}

/* ---- the call ---- */

static void unknown_function(struct sema *s, struct ast_node *n)
{
	const char *name = n->u.call.name;
	const char *cands[BI_COUNT_];
	size_t nc = 0;
	const char *best;

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
