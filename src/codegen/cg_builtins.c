/* cg_builtins: the table of emit functions made from sema/builtins.def, the one dispatch from a builtin
 * node to its row (cg_builtin), and the builtins of the process, of time, of maps and the actions sent to
 * user space. See cg_builtins.h for what an emit function does. */
#include "codegen/cg_builtins.h"
#include "kernel/features.h"

static cg_builtin_emit *const emitters[BI_COUNT_] = {
#define X(id, name, kind, min, max, check, emit) [BI_##id] = emit,
#include "sema/builtins.def"
#undef X
};

struct cg_val cg_builtin(struct cg_lower *L, struct ast_node *n)
{
	const struct sema_call *c = n->sym;

	if (!c || c->id >= BI_COUNT_) {
		if (n->kind == AST_IDENT)
			cg_error(L, n, "unknown identifier %s", n->u.name);
		else
			cg_error(L, n, "call to %s was not analysed", n->u.call.name);
		return cg_val_scalar(cg_i64(L->cg, 0));
	}
	return emitters[c->id](L, n, c);
}

/* The row of a builtin with no call to emit (an aggregation: cg_agg.c, from the map assignment). */
struct cg_val cg_bi_none(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	cg_error(L, n, "%s() is not supported by etrace's code generator yet", builtin_name(c->id));
	return cg_val_scalar(cg_i64(L->cg, 0));
}

/* printf in a pinned iterator (iter:NAME:PIN, probe->target the pin): bpf_seq_printf(ctx->meta->seq, fmt,
 * sizeof fmt, data, 8 * nargs), as bpftrace writes every iter printf, so that whoever reads the pinned
 * file gets the text after etrace has gone (a ring buffer would have no reader). The kernel formats it:
 * each argument a u64 slot, an integer as its value, a string (any value in memory) as its address,
 * which the kernel reads for %s; at most 12 arguments (MAX_BPRINTF_VARARGS). */
static struct cg_val seq_printf(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	struct ast_list *a = &n->u.call.args;
	uint32_t nargs = a->count - 1;
	LLVMValueRef hargs[5], data = NULL, meta, seq;

	if (nargs > 12) {
		cg_error(L, n, "printf in a pinned iterator takes at most 12 arguments (sema checks)");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	if (nargs)
		data = cg_temp(L, 8 * nargs, "seq.data");
	for (uint32_t i = 0; i < nargs; i++) {
		struct cg_val v = cg_expr(L, a->items[i + 1]);
		LLVMValueRef x = v.v;

		if (v.mem) {
			x = LLVMBuildPtrToInt(cg->b, x, cg->t_i64, "");
		} else if (LLVMGetTypeKind(LLVMTypeOf(x)) != LLVMIntegerTypeKind) {
			cg_error(L, a->items[i + 1], "printf in a pinned iterator prints integers and strings only");
			return cg_val_scalar(cg_i64(cg, 0));
		} else if (LLVMGetIntTypeWidth(LLVMTypeOf(x)) < 64) {
			x = LLVMBuildSExt(cg->b, x, cg->t_i64, "");
		}
		LLVMBuildStore(cg->b, x, cg_gep(cg, data, 8 * i));
	}
	/* ctx->meta->seq: loads the verifier types from BTF (bpf_iter_meta, then seq_file) */
	meta = LLVMBuildLoad2(cg->b, cg->t_ptr, cg->fn_ctx, "meta");
	LLVMSetVolatile(meta, 1);
	seq = LLVMBuildLoad2(cg->b, cg->t_ptr, meta, "seq");
	LLVMSetVolatile(seq, 1);
	hargs[0] = seq;
	hargs[1] = cg_expr(L, a->items[0]).v;
	hargs[2] = LLVMConstInt(cg->t_i32, a->items[0]->u.string.len + 1, false);
	hargs[3] = data ? data : LLVMConstNull(cg->t_ptr);
	hargs[4] = LLVMConstInt(cg->t_i32, 8 * nargs, false);
	cg_loc(L, n);
	cg_helper(cg, CG_H_seq_printf, hargs, 5);
	return cg_val_scalar(cg_i64(cg, 0));
}

/* An action (BK_ASYNC): the ring-buffer record of its event (cg_event.c). */
struct cg_val cg_bi_event(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	if (c->id == BI_PRINTF && L->probe && (L->probe->provider->flags & PROVIDER_ITER) && L->probe->target)
		return seq_printf(L, n);
	if (!cg_event_call(L, n))
		return cg_bi_none(L, n, c);
	return cg_val_scalar(cg_i64(L->cg, 0));
}

/* debugf(fmt, ...): bpf_trace_printk(fmt, sizeof fmt, a1, a2, a3), the format a NUL-terminated copy on
 * the stack; an integer goes as its value, a string (or any value in memory) as its address, which the
 * kernel reads for %s. */
struct cg_val cg_bi_debugf(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_list *a = &n->u.call.args;
	LLVMValueRef hargs[5];
	unsigned k = 0;

	(void)c;
	hargs[k++] = cg_expr(L, a->items[0]).v;
	hargs[k++] = cg_i64(cg, a->items[0]->u.string.len + 1);
	for (uint32_t i = 1; i < a->count && k < 5; i++) {
		struct cg_val v = cg_expr(L, a->items[i]);

		hargs[k++] = v.mem ? LLVMBuildPtrToInt(cg->b, v.v, cg->t_i64, "") : v.v;
	}
	cg_loc(L, n);
	cg_helper(cg, CG_H_trace_printk, hargs, k);
	return cg_val_scalar(cg_i64(cg, 0));
}

/* A builtin sema defined as an expression over others (sema_call.expr: ppid ...): that expression. */
struct cg_val cg_bi_expr(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	if (!c->expr) {
		cg_error(L, n, "%s was not analysed", builtin_name(c->id));
		return cg_val_scalar(cg_i64(L->cg, 0));
	}
	return cg_expr(L, c->expr);
}

/* A builtin sema wrote as a statement over others (sema_call.expr: assert): that statement; no value. */
struct cg_val cg_bi_stmt(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	if (!c->expr)
		cg_error(L, n, "%s was not analysed", builtin_name(c->id));
	else
		cg_stmt(L, c->expr);
	return cg_val_scalar(cg_i64(L->cg, 0));
}

/* A constant sema worked out (sema_call.index: default_str_length). */
struct cg_val cg_bi_const(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	return cg_val_scalar(cg_i64(L->cg, (uint64_t)(int64_t)c->index));
}

/* ---- the process ---- */

/* pid or tid in etrace's PID namespace when it is not the initial one (sema_call.index 0, as bpftrace):
 * bpf_get_ns_current_pid_tgid fills struct bpf_pidns_info { u32 pid (the thread); u32 tgid }; else (or
 * for pid(init)) from bpf_get_current_pid_tgid. */
static LLVMValueRef ns_id(struct cg_lower *L, const struct sema_call *c, bool tgid)
{
	struct cg_ctx *cg = L->cg;
	uint64_t dev, ino;
	LLVMValueRef info, args[4];

	if (c->index == 1 || !kernel_pid_ns(&dev, &ino)) {
		LLVMValueRef v = cg_get_pid_tgid(cg);

		return tgid ? LLVMBuildLShr(cg->b, v, cg_i64(cg, 32), "pid")
			    : LLVMBuildAnd(cg->b, v, cg_i64(cg, 0xffffffffu), "tid");
	}
	info = cg_temp(L, 8, "pidns_info");
	args[0] = cg_i64(cg, dev);
	args[1] = cg_i64(cg, ino);
	args[2] = info;
	args[3] = LLVMConstInt(cg->t_i32, 8, false);
	cg_helper(cg, CG_H_get_ns_current_pid_tgid, args, 4);
	return LLVMBuildZExt(cg->b, LLVMBuildLoad2(cg->b, cg->t_i32, cg_gep(cg, info, tgid ? 4 : 0), ""),
			     cg->t_i64, tgid ? "pid" : "tid");
}

struct cg_val cg_bi_pid(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	return cg_val_scalar(ns_id(L, c, true));
}

struct cg_val cg_bi_tid(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	return cg_val_scalar(ns_id(L, c, false));
}

struct cg_val cg_bi_uid(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;

	(void)n;
	(void)c;
	return cg_val_scalar(LLVMBuildAnd(cg->b, cg_get_uid_gid(cg), cg_i64(cg, 0xffffffffu), "uid"));
}

struct cg_val cg_bi_gid(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;

	(void)n;
	(void)c;
	return cg_val_scalar(LLVMBuildLShr(cg->b, cg_get_uid_gid(cg), cg_i64(cg, 32), "gid"));
}

struct cg_val cg_bi_comm(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	LLVMValueRef p = cg_temp(L, 16, "comm");

	(void)n;
	(void)c;
	cg_get_comm(L->cg, p, 16);
	return cg_val_mem(p);
}

struct cg_val cg_bi_cgroup(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(cg_cgroup_id(L->cg));
}

/* A value user space finishes when it prints it: { u64 index into one of the program's tables; u64 v } */
static struct cg_val indexed_value(struct cg_lower *L, uint32_t index, LLVMValueRef v, const char *name)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef p = cg_temp(L, 16, name);

	LLVMBuildStore(cg->b, cg_i64(cg, (uint64_t)index), p);
	LLVMBuildStore(cg->b, v, cg_gep(cg, p, 8));
	return cg_val_mem(p);
}

/* cgroup_path(id[, filter]): (filter index, id); the runtime finds the path when it prints the value */
struct cg_val cg_bi_cgroup_path(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	return indexed_value(L, c->index, cg_scalar(L, n->u.call.args.items[0]), "cgroup_path");
}

struct cg_val cg_bi_curtask(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(cg_current_task(L->cg));
}

/* ctx (iter probes): the program's context pointer, `struct bpf_iter__NAME *`; its members are read
 * directly (cg_btf_ptr), as the verifier requires of a context. */
struct cg_val cg_bi_ctx(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(LLVMBuildPtrToInt(L->cg->b, L->cg->fn_ctx, L->cg->t_i64, "ctx"));
}

/* A u64 of .rodata that user space sets before loading (volatile: not folded to its initial 0). */
static LLVMValueRef rodata(struct cg_lower *L, const char *name)
{
	LLVMValueRef g = cg_rodata_u64(L->cg, name);
	LLVMValueRef v = LLVMBuildLoad2(L->cg->b, L->cg->t_i64, g, name);

	LLVMSetVolatile(v, 1);
	return v;
}

struct cg_val cg_bi_cpid(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	if (c->expr) /* no -c: the warning and 0 */
		return cg_bi_expr(L, n, c);
	return cg_val_scalar(rodata(L, "etrace_cpid"));
}

/* ---- time, the CPU, the probe ---- */

struct cg_val cg_bi_nsecs(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	if (c->index == SEMA_CLOCK_BOOT)
		return cg_val_scalar(cg_helper(L->cg, CG_H_ktime_get_boot_ns, NULL, 0));
	if (c->index == SEMA_CLOCK_TAI)
		return cg_val_scalar(cg_helper(L->cg, CG_H_ktime_get_tai_ns, NULL, 0));
	if (c->index == SEMA_CLOCK_SW_TAI) /* bpftrace's sw_tai: boot time plus TAI's offset, read at load */
		return cg_val_scalar(LLVMBuildAdd(L->cg->b, cg_helper(L->cg, CG_H_ktime_get_boot_ns, NULL, 0),
						  rodata(L, "etrace_tai_offset_ns"), "sw_tai"));
	return cg_val_scalar(cg_ktime_ns(L->cg));
}

struct cg_val cg_bi_elapsed(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(LLVMBuildSub(L->cg->b, cg_ktime_ns(L->cg), rodata(L, "etrace_start_ns"), "elapsed"));
}

/* strftime("fmt", nsecs): (format index, nsecs); user space formats the value when it prints it */
struct cg_val cg_bi_strftime(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	return indexed_value(L, c->index, cg_scalar(L, n->u.call.args.items[1]), "strftime");
}

/* the number of possible CPUs (bpftrace's ncpus), which user space knows */
struct cg_val cg_bi_ncpus(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(rodata(L, "etrace_ncpus"));
}

struct cg_val cg_bi_jiffies(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(cg_helper(L->cg, CG_H_jiffies64, NULL, 0));
}

struct cg_val cg_bi_numaid(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;

	(void)n;
	(void)c;
	return cg_val_scalar(LLVMBuildAnd(cg->b, cg_helper(cg, CG_H_get_numa_node_id, NULL, 0),
					  cg_i64(cg, 0xffffffffu), "numaid"));
}

struct cg_val cg_bi_cpu(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(cg_smp_processor_id(L->cg));
}

struct cg_val cg_bi_rand(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(cg_prandom_u32(L->cg));
}

struct cg_val cg_bi_probe(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	(void)c;
	return cg_val_scalar(L->probe_arg ? L->probe_arg : cg_i64(L->cg, L->probe_index));
}

/* ---- maps ---- */

/* The key expression k stored as map d's key type, on the stack. */
static LLVMValueRef key_of(struct cg_lower *L, const struct et_map_desc *d, struct ast_node *k)
{
	LLVMValueRef key = cg_temp(L, d->key ? d->key->size : 8, "key");

	if (d->key)
		cg_store_expr(L, key, d->key, k);
	return key;
}

struct cg_val cg_bi_has_key(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_list *args = &n->u.call.args;
	const struct sema_map_ref *m = args->items[0]->sym;

	(void)c;
	if (!m)
		return cg_val_scalar(cg_i64(cg, 0));
	LLVMValueRef key = key_of(L, &L->prog->maps[m->map], args->items[1]);
	LLVMValueRef p = cg_map_lookup(cg, L->maps[m->map], key);
	return cg_val_scalar(LLVMBuildZExt(cg->b, LLVMBuildIsNotNull(cg->b, p, ""), cg->t_i64, ""));
}

/* find(@m, k, $v): one lookup; on a hit the value is copied into $v (an aggregation's value: its CPUs
 * combined, as @m[k] reads it) */
struct cg_val cg_bi_find(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_list *args = &n->u.call.args;
	const struct sema_map_ref *m = args->items[0]->sym;
	const struct sema_var *v = args->items[2]->sym;

	(void)c;
	if (!m || !v)
		return cg_val_scalar(cg_i64(cg, 0));
	const struct et_type *vt = L->prog->maps[m->map].value;
	LLVMValueRef key = key_of(L, &L->prog->maps[m->map], args->items[1]);
	LLVMValueRef p = cg_map_lookup(cg, L->maps[m->map], key);
	LLVMValueRef found = LLVMBuildIsNotNull(cg->b, p, "found");
	LLVMBasicBlockRef hit = cg_block(cg, "find.hit"), done = cg_block(cg, "find.done");

	LLVMBuildCondBr(cg->b, found, hit, done);
	LLVMPositionBuilderAtEnd(cg->b, hit);
	if (type_is_aggregation(vt))
		cg_store(L, cg_var_slot(L, v), v->type, cg_val_scalar(cg_agg_value(L, m->map, key, vt, NULL)), v->type);
	else
		cg_store(L, cg_var_slot(L, v), v->type, cg_load(L, p, vt, false), vt);
	LLVMBuildBr(cg->b, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
	return cg_val_scalar(LLVMBuildZExt(cg->b, found, cg->t_i64, ""));
}

/* delete(@m[k]) or delete(@m, k): true when the element was there */
struct cg_val cg_bi_delete(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *m = args->items[0];
	const struct sema_map_ref *ref = m->sym;

	(void)c;
	if (!ref)
		return cg_val_scalar(cg_i64(L->cg, 0));
	LLVMValueRef key = args->count > 1 ? key_of(L, &L->prog->maps[ref->map], args->items[1]) : cg_map_key(L, m);
	LLVMValueRef rc = cg_map_delete(L->cg, L->maps[ref->map], key);
	/* bool: whether there was an element to delete (the helper returns 0, else -ENOENT) */
	return cg_val_scalar(LLVMBuildZExt(L->cg->b, LLVMBuildICmp(L->cg->b, LLVMIntEQ, rc, cg_i64(L->cg, 0), ""),
					   L->cg->t_i64, "deleted"));
}

/* len($s) of a stored stack: the frame count its id carries (et_program.stack_frames); 0 for a failed
 * capture (a negative id) */
static struct cg_val stored_stack_len(struct cg_lower *L, struct ast_node *a)
{
	struct cg_ctx *cg = L->cg;
	struct cg_val v = cg_expr(L, a);
	LLVMValueRef id = v.mem ? LLVMBuildLoad2(cg->b, cg->t_i64, v.v, "stack.id") : v.v;
	LLVMValueRef neg = LLVMBuildICmp(cg->b, LLVMIntSLT, id, cg_i64(cg, 0), "");
	LLVMValueRef n = LLVMBuildAnd(cg->b, LLVMBuildLShr(cg->b, id, cg_i64(cg, ET_STACK_FRAMES_SHIFT), ""),
				      cg_i64(cg, 0xff), "");

	return cg_val_scalar(LLVMBuildSelect(cg->b, neg, cg_i64(cg, 0), n, "frames"));
}

/* the number of elements: bpf_for_each_map_elem with a callback that never stops; of a stack, its
 * frames (sema_call.index 1: the probe's own, 2: a stored one) */
struct cg_val cg_bi_len(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	const struct sema_map_ref *m = n->u.call.args.items[0]->sym;

	if (c->index == 1)
		return cg_val_scalar(cg_stack_frames(L, n->u.call.args.items[0]->type));
	if (c->index == 2)
		return stored_stack_len(L, n->u.call.args.items[0]);
	if (!m)
		return cg_val_scalar(cg_i64(cg, 0));
	LLVMValueRef cb = cg_callback(cg, "et_count_cb", NULL);
	LLVMValueRef a[4] = {L->maps[m->map], cb, LLVMConstNull(cg->t_ptr), cg_i64(cg, 0)};
	LLVMValueRef count = cg_helper(cg, CG_H_for_each_map_elem, a, 4);
	LLVMValueRef neg = LLVMBuildICmp(cg->b, LLVMIntSLT, count, cg_i64(cg, 0), "");
	return cg_val_scalar(LLVMBuildSelect(cg->b, neg, cg_i64(cg, 0), count, "len"));
}

/* ---- actions done in the probe ---- */

/* signal("KILL"): sema resolved the name to its number (index); else an integer argument.
 * signal_thread() sends to the current thread (bpf_send_signal_thread), signal() to its process. */
struct cg_val cg_bi_signal(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMBasicBlockRef done = NULL;
	int failed = c->event; /* sema: the warnf for a failed send; after the range check's errorf when computed */

	if (c->index >= 0) {
		cg_loc(L, n);
		LLVMValueRef s = cg_i64(cg, (uint64_t)c->index);
		LLVMValueRef rc = cg_send_signal(cg, LLVMBuildTrunc(B, s, cg->t_i32, ""), c->id == BI_SIGNAL_THREAD);
		cg_fail_if(L, LLVMBuildICmp(B, LLVMIntNE, rc, cg_i64(cg, 0), ""), NULL, failed, rc);
		return cg_val_scalar(cg_i64(cg, 0));
	}
	/* a number computed at run time: as a u32 (bpftrace's $sig), 1..64 sent, anything else an errorf */
	LLVMValueRef s32 = LLVMBuildTrunc(B, cg_scalar(L, n->u.call.args.items[0]), cg->t_i32, "sig");
	cg_loc(L, n);
	LLVMValueRef bad = LLVMBuildICmp(B, LLVMIntUGT, LLVMBuildSub(B, s32, LLVMConstInt(cg->t_i32, 1, 0), ""),
					 LLVMConstInt(cg->t_i32, 63, 0), "");
	LLVMBasicBlockRef out = cg_block(cg, "signal.bad"), send = cg_block(cg, "signal.send");
	done = cg_block(cg, "signal.done");
	LLVMBuildCondBr(B, bad, out, send);
	LLVMPositionBuilderAtEnd(B, out);
	cg_fail(L, NULL, c->event, LLVMBuildZExt(B, s32, cg->t_i64, ""), done);
	LLVMPositionBuilderAtEnd(B, send);
	LLVMValueRef rc = cg_send_signal(cg, s32, c->id == BI_SIGNAL_THREAD);
	cg_fail_if(L, LLVMBuildICmp(B, LLVMIntNE, rc, cg_i64(cg, 0), ""), NULL, c->event < 0 ? -1 : c->event + 1, rc);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	return cg_val_scalar(cg_i64(cg, 0));
}
