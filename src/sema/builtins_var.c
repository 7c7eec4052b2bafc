/* builtins_var: the checks of the builtin variables (pid, comm, nsecs(clock), kstack, args, retval, argN,
 * ppid and the other task fields ...): their types, and where each is available. */
#include <errno.h>
#include <linux/bpf.h>
#include <limits.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probes/arch/arch.h"
#include "kernel/btf.h"
#include "kernel/features.h"
#include "kernel/elf.h"
#include "probes/tracepoint.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

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

/* kstack / ustack with optional (mode, depth) arguments, in either order as bpftrace allows:
 * mode is the identifier perf or bpftrace, depth an integer literal 1..127. */
struct et_type *check_stack(struct sema *s, struct ast_node *n, struct sema_call *c)
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

struct et_type *sema_args_record(struct sema *s, const struct et_probe_desc *d, struct et_loc loc)
{
	struct et_type *t;

	if (d->provider->args == PROVIDER_ARGS_BTF_FUNC || d->provider->args == PROVIDER_ARGS_BTF_EVENT)
		return sema_btf_args(s, d, loc, NULL, NULL);
	if (d->provider->args == PROVIDER_ARGS_DWARF) /* uprobe: the binary's DWARF */
		return sema_dwarf_args(s, d, loc, true, NULL, NULL);
	if (d->provider->args != PROVIDER_ARGS_TRACEFS) {
		sema_error(s, loc, "args of %s probes are not supported by etrace yet", d->provider->name);
		return NULL;
	}
	t = tracepoint_args_type(s->arena, d->target, d->func);
	if (!t) {
		sema_error(s, loc, "cannot read the arguments of %s: %s", d->name, strerror(errno));
		sema_hint(s, "the format file is events/%s/%s/format under tracefs", d->target, d->func);
	}
	return t;
}

bool sema_tp_common_field(const struct et_type *t, const struct et_field *f)
{
	return t->name && strncmp(t->name, "struct tracepoint:", 18) == 0 && f->offset < 8;
}

bool sema_args_records_equal(const struct et_type *a, const struct et_type *b)
{
	if (a->nfields != b->nfields || a->size != b->size)
		return false;
	for (uint32_t i = 0; i < a->nfields; i++)
		if (a->fields[i].offset != b->fields[i].offset || strcmp(a->fields[i].name, b->fields[i].name) != 0 ||
		    !type_equal(a->fields[i].type, b->fields[i].type))
			return false;
	return true;
}

/* A field of record t that args used whole leaves out. */
static bool skipped_whole(const struct et_type *t, const struct et_field *f)
{
	return (f->type && f->type->kind == ET_NONE) || sema_tp_common_field(t, f);
}

/* The records of the probe's concrete probes (args_split.c may have loaded them already); when they
 * differ, args_mixed is set and only fields read at different places may be used (sema_args_fields):
 * args_split.c gave the probes whose records differ in what the body reads a body of their own. */
static struct et_type *args_type(struct sema *s, struct ast_node *n)
{
	struct sema_probe_ctx *pc = s->probe;
	const struct et_probe_desc *probes = s->prog->probes;
	uint32_t first = pc->info->first, count = pc->info->count;

	if (pc->args_failed)
		return s->t_none;
	if (!pc->args_type) {
		if (count == 0) {
			pc->args_failed = true;
			return s->t_none;
		}
		pc->args_types = arena_alloc(s->arena, (count + 1) * sizeof(*pc->args_types));
		for (uint32_t i = 0; i < count; i++) {
			struct et_type *t = sema_args_record(s, &probes[first + i], n->loc);

			if (!t) {
				pc->args_failed = true;
				return s->t_none;
			}
			pc->args_types[i] = t;
			if (i && !sema_args_records_equal(pc->args_types[0], t))
				pc->args_mixed = true;
		}
		pc->args_type = pc->args_types[0];
	}
	if (pc->args_mixed && !pc->args_in_field) {
		uint32_t i = 1;

		while (i < count && sema_args_records_equal(pc->args_types[0], pc->args_types[i]))
			i++;
		sema_error(s, n->loc, "args differ between %s and %s, which share this probe body",
			   probes[first].name, probes[first + i].name);
		sema_hint(s, "use only fields that all these tracepoints have alike, or write a separate probe "
			     "for each");
		return s->t_none;
	}
	if (!pc->args_in_field) {
		/* args whole: without the uprobe parameters that cannot be read (ET_NONE fields, see
		 * kernel/dwarf.h) and without a tracepoint's common_* fields, whose bytes hold a kernel
		 * pointer when the program runs (printing them would print garbage and leak the address);
		 * args.NAME reports both by name */
		struct et_type *t = pc->args_type, *r;
		uint32_t k = 0;

		for (uint32_t i = 0; i < t->nfields; i++)
			k += skipped_whole(t, &t->fields[i]);
		if (!k)
			return t;
		r = type_new(s->arena, t->kind, t->size);
		*r = *t;
		r->fields = arena_alloc(s->arena, (t->nfields - k + 1) * sizeof(*r->fields));
		r->nfields = 0;
		for (uint32_t i = 0; i < t->nfields; i++)
			if (!skipped_whole(t, &t->fields[i]))
				r->fields[r->nfields++] = t->fields[i];
		return r;
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
			/* today's bpftrace analyses each attach point on its own: its message for the one that
			 * lacks the field */
			sema_error(s, n->loc, "Struct/union of type '%s' does not contain a field named '%s'",
				   sema_tname(s, t), name);
			sema_hint(s, "%s has it: write a separate probe for the attach points that lack it",
				  probes[pc->info->first].name);
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

struct et_type *check_u64(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return s->t_u64;
}

/* Does the kernel give every program of this body bpf_ktime_get_tai_ns? */
static bool tai_helper(struct sema *s)
{
	for (uint32_t i = 0; s->probe && i < s->probe->info->count; i++) {
		const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first + i];

		if (d->section && !kernel_helper_allowed(d->section, BPF_FUNC_ktime_get_tai_ns))
			return false;
	}
	return true;
}

/* nsecs or nsecs(monotonic | boot | tai | sw_tai): bpf_ktime_get_ns, _boot_ns, _tai_ns; sw_tai is
 * bpftrace's TAI for kernels without the tai helper: the boot clock plus TAI - BOOTTIME, measured by
 * user space just before loading (codegen and runtime/load.c, etrace_tai_offset_ns). */
struct et_type *check_nsecs(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	static const char *const clocks[] = {"monotonic", "boot", "tai", "sw_tai"}; /* enum sema_clock */
	struct ast_node *a;

	if (n->kind != AST_CALL || !n->u.call.args.count)
		return s->t_u64;
	a = n->u.call.args.items[0];
	for (int i = 0; a->kind == AST_IDENT && i < 4; i++) {
		if (strcmp(a->u.name, clocks[i]) != 0)
			continue;
		c->index = i;
		if (i == SEMA_CLOCK_TAI && !tai_helper(s)) { /* bpf_ktime_get_tai_ns: Linux 6.1 */
			sema_error(s, a->loc, "Kernel does not support tai timestamp, please try sw_tai");
			sema_hint(s, "nsecs(sw_tai) adds TAI's offset, measured when etrace starts, to the boot clock");
			return s->t_none;
		}
		return s->t_u64;
	}
	sema_error(s, a->loc, "nsecs() takes a clock: monotonic, boot, tai or sw_tai");
	sema_hint(s, "e.g. nsecs(boot) for the time since boot including suspend");
	return s->t_none;
}

struct et_type *check_comm(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_string(s->arena, 16);
}

struct et_type *check_probe(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_new(s->arena, ET_PROBE, 8);
}

struct et_type *check_curtask(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return sema_curtask_type(s);
}

/* ctx: in an iter probe, the iterator's context `struct bpf_iter__NAME *` from BTF (ctx->task, ctx->file,
 * ctx->vma...). bpftrace also gives ctx in other probe types; etrace only here so far. */
struct et_type *check_ctx(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	const struct et_probe_desc *d = s->probe && s->probe->info && s->probe->info->count
						? &s->prog->probes[s->probe->info->first]
						: NULL;
	char name[256];
	struct et_type *t;

	(void)c;
	if (!d) /* its attach points did not expand: that error is reported */
		return s->t_none;
	if (!(d->provider->flags & PROVIDER_ITER) || !d->func) {
		sema_error(s, n->loc, "ctx is only available in iter probes in etrace");
		sema_hint(s, "bpftrace also offers ctx in other probe types; etrace does not support that yet");
		return s->t_none;
	}
	snprintf(name, sizeof(name), "bpf_iter__%s", d->func);
	t = btf_struct_ptr(sema_btf(s), name);
	if (!t) {
		sema_error(s, n->loc, "ctx: the kernel's BTF has no struct %s", name);
		return s->t_none;
	}
	return t;
}

/* cpid: the -c child's pid. Without -c it is 0 and each use warns at run time, as bpftrace's stdlib
 * macro (warnf "No child command (`-c`); cpid is zero"): sema_call.expr = { warnf(...); (uint64)0 }. */
struct et_type *check_cpid(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	static const char msg[] = "No child command (`-c`); cpid is zero";
	struct ast_list *args, *stmts;

	if (s->opts->has_cpid)
		return s->t_u64;
	args = ast_list_new(s->arena);
	ast_list_push(s->arena, args, ast_new_string(s->arena, n->loc, msg, sizeof(msg) - 1));
	stmts = ast_list_new(s->arena);
	ast_list_push(s->arena, stmts, ast_new_expr_stmt(s->arena, n->loc, ast_new_call(s->arena, n->loc, "warnf", args)));
	c->expr = ast_new_block_expr(s->arena, n->loc, stmts,
				     ast_new_expr_stmt(s->arena, n->loc,
						       ast_new_cast(s->arena, n->loc, ast_new_typespec(s->arena, n->loc, "uint64"),
								    ast_new_int(s->arena, n->loc, 0, true))));
	return sema_expr(s, c->expr);
}

/* has_cpid: whether cpid has a value (a -c child), known at compile time (bpftrace's docs: "true iff
 * cpid is available") */
struct et_type *check_has_cpid(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	c->expr = ast_new_bool(s->arena, n->loc, s->opts->has_cpid);
	return sema_expr(s, c->expr);
}

/* usermode: the privilege level in the code segment register of the probe's pt_regs, as bpftrace
 * reads it; only x86_64 has one (bpftrace: "currently only available on x86_64"). */
struct et_type *check_usermode(struct sema *s, struct ast_node *n, struct sema_call *c)
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
struct et_type *check_task_field(struct sema *s, struct ast_node *n, struct sema_call *c)
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

struct et_type *check_argn(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	int index = c->index;
	char what[16];

	snprintf(what, sizeof(what), "arg%d", index);
	if (!bi_need_flag(s, n, PROVIDER_HAS_ARGN, what,
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
		/* int64, as bpftrace reads a usdt argument (a C `long` from bpf_usdt_arg): the value is cut
		 * to the note's size and extended by its sign (cg_usdt.c), so a "-4@" argument of -7 is -7 */
		return s->t_i64;
	}
	if (index > 5) {
		sema_error(s, n->loc, "arg%d is out of range: x86-64 passes arguments in 6 registers, arg0 .. arg5",
			   index);
		return s->t_none;
	}
	return s->t_u64;
}

struct et_type *check_args(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	s->probe->info->uses_args = true;
	if (!bi_need_flag(s, n, PROVIDER_HAS_ARGS, "args",
		       "args exists in tracepoint probes; kprobes and uprobes have arg0 .. arg5"))
		return s->t_none;
	return args_type(s, n);
}

struct et_type *check_retval(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!bi_need_flag(s, n, PROVIDER_HAS_RETVAL, "retval",
		       (s->probe->flags & PROVIDER_HAS_ARGS)
			       ? "retval exists in kretprobe, uretprobe and fexit probes; a sys_exit_* tracepoint has "
				 "the return value in args.ret"
			       : "retval exists in kretprobe, uretprobe and fexit probes"))
		return s->t_none;
	if (s->probe->info->count && s->prog->probes[s->probe->info->first].provider->ctx == PROVIDER_CTX_RAW_ARGS) {
		/* fexit: the return value follows the arguments in the u64 array (index = its slot) */
		struct et_type *ret = NULL;
		uint32_t np = 0;
		const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first];

		if (d->target && strcmp(d->target, "bpf") == 0) {
			/* on Linux 6.1 the slot after a BPF program's arguments did not hold the value its
			 * program returned (seen on the VM lane): refused rather than a wrong value */
			sema_error(s, n->loc, "retval of a BPF program's function (fexit:bpf:...) is not available in "
					      "etrace yet");
			sema_hint(s, "count the returns without retval, or trace what the program does instead");
			return s->t_none;
		}
		if (!sema_btf_args(s, d, n->loc, &ret, &np))
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

struct et_type *check_func(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	if (!bi_need_flag(s, n, PROVIDER_HAS_FUNC, "func", "func exists in kprobe, uprobe and fentry probes"))
		return s->t_none;
	return s->probe->any_user ? type_new(s->arena, ET_USYM, 16) : type_new(s->arena, ET_KSYM, 8);
}
