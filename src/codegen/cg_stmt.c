/* cg_stmt: statements (assignments, control flow, loops) and map element access. */
#include <linux/bpf.h>
#include <stdio.h>

#include "codegen/cg_lower.h"

/* ---- maps ---- */

static bool is_comm(const struct ast_node *n)
{
	const struct sema_call *c = n->kind == AST_IDENT || n->kind == AST_CALL ? n->sym : NULL;

	return c && c->id == BI_COMM && (n->kind == AST_IDENT || n->u.call.args.count == 0);
}

LLVMValueRef cg_map_key(struct cg_lower *L, struct ast_node *map)
{
	return cg_map_key_maybe_raw(L, map, NULL);
}

LLVMValueRef cg_map_key_maybe_raw(struct cg_lower *L, struct ast_node *map, bool *raw)
{
	struct cg_ctx *cg = L->cg;
	const struct sema_map_ref *ref = map->sym;
	if (!ref) {
		cg_error(L, map, "map %s was not analysed", map->u.map.name);
		return cg_temp(L, 8, "key");
	}
	const struct et_map_desc *d = &L->prog->maps[ref->map];
	struct ast_list *keys = map->u.map.keys;
	if (!d->key)
		return cg_temp(L, 8, "key0");
	if (keys && keys->count == 1 && d->key->kind == ET_STRING && d->key->size >= 16 &&
	    is_comm(keys->items[0]) && cg_comm_direct_usable(L)) {
		LLVMValueRef k = cg_buf(L, d->key->size, "key");
		cg_loc(L, keys->items[0]);
		cg_comm_direct_raw(L, k);
		if (raw)
			*raw = true;
		else
			cg_comm_mask(L, k);
		if (d->key->size > 16)
			cg_memzero(cg, cg_gep(cg, k, 16), d->key->size - 16);
		return k;
	}
	if (keys && keys->count == 1 && cg_store_covers(d->key, keys->items[0], false)) {
		LLVMValueRef k = cg_buf(L, d->key->size, "key"); /* every byte is written: no zeroing */
		cg_store_expr(L, k, d->key, keys->items[0]);
		return k;
	}
	LLVMValueRef k = cg_temp(L, d->key->size, "key");
	if (!keys || keys->count == 0) {
		cg_error(L, map, "map %s needs a key", map->u.map.name);
		return k;
	}
	if (keys->count == 1) {
		cg_store_expr(L, k, d->key, keys->items[0]);
		return k;
	}
	if (d->key->nfields != keys->count) {
		cg_error(L, map, "map %s: %u keys given, the map has %u", map->u.map.name, keys->count,
			 d->key->nfields);
		return k;
	}
	for (uint32_t i = 0; i < keys->count; i++)
		cg_store_expr(L, cg_gep(cg, k, d->key->fields[i].offset), d->key->fields[i].type, keys->items[i]);
	return k;
}

struct cg_val cg_map_read(struct cg_lower *L, struct ast_node *map)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct sema_map_ref *ref = map->sym;
	struct cg_val r = {cg_i64(cg, 0), false};
	if (!ref)
		return r;
	const struct et_type *vt = L->prog->maps[ref->map].value;
	LLVMValueRef key = cg_map_key(L, map);
	if (type_is_aggregation(vt)) { /* count/sum/min/max/avg (sema let no other through) */
		r.v = cg_agg_value(L, ref->map, key, vt, map);
		return r;
	}
	cg_loc(L, map);
	LLVMValueRef p = cg_map_lookup(cg, L->maps[ref->map], key);
	cg_check_lookup(L, p);
	LLVMBasicBlockRef hit = cg_block(cg, "map.hit"), done = cg_block(cg, "map.done");
	if (cg_is_scalar_type(vt)) {
		LLVMValueRef res = cg_alloca(cg, cg->t_i64, "mapval");
		LLVMBuildStore(B, cg_i64(cg, 0), res);
		LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), done, hit);
		LLVMPositionBuilderAtEnd(B, hit);
		LLVMBuildStore(B, cg_load(L, p, vt, false).v, res);
		LLVMBuildBr(B, done);
		LLVMPositionBuilderAtEnd(B, done);
		r.v = LLVMBuildLoad2(B, cg->t_i64, res, "");
		return r;
	}
	LLVMValueRef tmp = cg_temp(L, vt->size, "mapval");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), done, hit);
	LLVMPositionBuilderAtEnd(B, hit);
	cg_memcpy(cg, tmp, p, vt->size);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	r.v = tmp;
	r.mem = true;
	return r;
}

LLVMValueRef cg_map_slot(struct cg_lower *L, uint32_t map, LLVMValueRef key, LLVMBasicBlockRef skip)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef m = L->maps[map];
	LLVMValueRef p = cg_map_lookup(cg, m, key);
	LLVMBasicBlockRef from = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef miss = cg_block(cg, "slot.miss"), hit = cg_block(cg, "slot.hit");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), miss, hit);
	LLVMPositionBuilderAtEnd(B, miss);
	/* the zero value comes from .rodata, sized for the largest value of the program: nothing to zero
	 * per event. Another CPU may insert the key between our lookup and update: NOEXIST then fails, and
	 * the second lookup finds that element */
	uint32_t zsize = 8;
	for (uint32_t i = 0; i < L->prog->nmaps; i++)
		if (L->prog->maps[i].value && L->prog->maps[i].value->size > zsize)
			zsize = L->prog->maps[i].value->size;
	LLVMValueRef rc = cg_map_update(cg, m, key, cg_rodata_const(cg, "etrace_zero", 0, zsize), BPF_NOEXIST);
	LLVMValueRef p2 = cg_map_lookup(cg, m, key);
	LLVMBasicBlockRef miss_end = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef full = cg_block(cg, "slot.full");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, p2, ""), full, hit);
	/* neither inserted nor there: the map is full; count the dropped update */
	LLVMPositionBuilderAtEnd(B, full);
	cg_count_dropped(L, map, rc, skip);
	LLVMPositionBuilderAtEnd(B, hit);
	return cg_phi2(cg, cg->t_ptr, "slot", p, from, p2, miss_end);
}

static bool is_agg_call(const struct ast_node *n)
{
	const struct sema_call *c = n && n->kind == AST_CALL ? n->sym : NULL;
	return c && builtin_kind(c->id) == BK_AGG;
}

static bool both_signed(const struct et_type *a, const struct et_type *b)
{
	return a && b && a->kind == ET_INT && a->is_signed && b->kind == ET_INT && b->is_signed;
}

/* cg_arith's is_signed for `x OP= v`: >>=, /= and %= work unsigned, as bpftrace does (see binary() in cg_expr.c) */
static bool arith_signed(const struct ast_node *n, const struct et_type *a, const struct et_type *b)
{
	enum ast_op op = n->u.assign.op;

	return op != AST_OP_SHR && op != AST_OP_DIV && op != AST_OP_MOD && both_signed(a, b);
}

static void assign_map(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *map = n->u.assign.target, *value = n->u.assign.value;
	const struct sema_map_ref *ref = map->sym;
	if (!ref) {
		cg_error(L, map, "map %s was not analysed", map->u.map.name);
		return;
	}
	const struct et_type *vt = L->prog->maps[ref->map].value;
	if (n->u.assign.op == AST_OP_NONE && is_agg_call(value)) {
		cg_aggregate(L, map, value);
		return;
	}
	if (n->u.assign.op == AST_OP_NONE) {
		/* evaluate the value first (it may read the map), then the key */
		LLVMValueRef val = cg_temp(L, vt->size, "val");
		cg_store_expr(L, val, vt, value);
		LLVMValueRef key = cg_map_key(L, map);
		cg_loc(L, n);
		cg_count_failed_update(L, ref->map, cg_map_update(cg, L->maps[ref->map], key, val, BPF_ANY));
		return;
	}
	/* @m[k] op= v: update in place */
	LLVMValueRef rhs = cg_scalar(L, value);
	LLVMValueRef key = cg_map_key(L, map);
	cg_loc(L, n);
	LLVMBasicBlockRef skip = cg_block(cg, "assign.done");
	LLVMValueRef p = cg_map_slot(L, ref->map, key, skip);
	LLVMValueRef old = cg_load(L, p, vt, false).v;
	if (vt->kind == ET_POINTER) /* p += n moves by n pointees */
		rhs = LLVMBuildMul(B, rhs, cg_i64(cg, cg_pointer_step(vt)), "");
	LLVMValueRef nv = cg_arith(L, n->u.assign.op, old, rhs, arith_signed(n, vt, value->type), cg_div_event(n));
	struct cg_val v = {nv, false};
	cg_store(L, p, vt, v, vt);
	LLVMBuildBr(B, skip);
	LLVMPositionBuilderAtEnd(B, skip);
}

static void assign(struct cg_lower *L, struct ast_node *n)
{
	struct ast_node *t = n->u.assign.target;
	if (!t) {
		cg_expr(L, n->u.assign.value);
		return;
	}
	if (t->kind == AST_MAP) {
		assign_map(L, n);
		return;
	}
	const struct sema_var *v = t->kind == AST_VAR ? t->sym : NULL;
	if (!v) {
		cg_error(L, t, "cannot assign to this expression");
		return;
	}
	LLVMValueRef slot = cg_var_slot(L, v);
	if (n->u.assign.op == AST_OP_NONE) {
		struct cg_val val = cg_expr(L, n->u.assign.value);
		cg_loc(L, n);
		cg_store(L, slot, v->type, val, n->u.assign.value->type);
		return;
	}
	LLVMValueRef rhs = cg_scalar(L, n->u.assign.value);
	LLVMValueRef old = cg_load(L, slot, v->type, false).v;
	if (v->type->kind == ET_POINTER) /* p += n moves by n pointees */
		rhs = LLVMBuildMul(L->cg->b, rhs, cg_i64(L->cg, cg_pointer_step(v->type)), "");
	struct cg_val nv = {cg_arith(L, n->u.assign.op, old, rhs, arith_signed(n, v->type, n->u.assign.value->type),
				     cg_div_event(n)),
			    false};
	cg_store(L, slot, v->type, nv, v->type);
}

/* ---- control flow ---- */

static void branch_to(struct cg_lower *L, LLVMBasicBlockRef bb)
{
	if (!cg_block_closed(L->cg))
		LLVMBuildBr(L->cg->b, bb);
}

/* After a jump (break, continue, return): code that follows is unreachable; give it a block. */
static void dead_block(struct cg_lower *L)
{
	LLVMPositionBuilderAtEnd(L->cg->b, cg_block(L->cg, "dead"));
}

static void if_stmt(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef c = cg_cond(L, n->u.if_.cond);
	LLVMBasicBlockRef th = cg_block(cg, "if.then"), done = cg_block(cg, "if.end");
	LLVMBasicBlockRef el = n->u.if_.els ? cg_block(cg, "if.else") : done;
	LLVMBuildCondBr(cg->b, c, th, el);
	LLVMPositionBuilderAtEnd(cg->b, th);
	cg_stmt(L, n->u.if_.then);
	branch_to(L, done);
	if (n->u.if_.els) {
		LLVMPositionBuilderAtEnd(cg->b, el);
		cg_stmt(L, n->u.if_.els);
		branch_to(L, done);
	}
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static bool push_loop(struct cg_lower *L, struct ast_node *n, LLVMBasicBlockRef brk, LLVMBasicBlockRef cont)
{
	if (L->nloops >= CG_MAX_LOOPS) {
		cg_error(L, n, "loops nested too deeply");
		return false;
	}
	L->loops[L->nloops].brk = brk;
	L->loops[L->nloops].cont = cont;
	L->nloops++;
	return true;
}

static void while_stmt(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBasicBlockRef head = cg_block(cg, "while.cond"), body = cg_block(cg, "while.body"),
			  done = cg_block(cg, "while.end");
	LLVMBuildBr(cg->b, head);
	LLVMPositionBuilderAtEnd(cg->b, head);
	LLVMBuildCondBr(cg->b, cg_cond(L, n->u.while_.cond), body, done);
	LLVMPositionBuilderAtEnd(cg->b, body);
	if (push_loop(L, n, done, head)) {
		cg_stmt(L, n->u.while_.body);
		L->nloops--;
	}
	branch_to(L, head);
	LLVMPositionBuilderAtEnd(cg->b, done);
}

static void unroll(struct cg_lower *L, struct ast_node *n)
{
	struct ast_node *c = n->u.unroll.count;
	int64_t count;
	if (c->kind == AST_INT) {
		count = (int64_t)c->u.integer.value;
	} else if ((c->kind == AST_POSITIONAL || c->kind == AST_POSITIONAL_COUNT) && c->sym &&
		   !((const struct sema_const *)c->sym)->is_string) {
		count = ((const struct sema_const *)c->sym)->value;
	} else {
		cg_error(L, c, "unroll() needs a constant count");
		return;
	}
	if (count < 0 || count > 100) {
		cg_error(L, c, "unroll() count must be between 0 and 100");
		return;
	}
	for (int64_t i = 0; i < count; i++)
		cg_stmt(L, n->u.unroll.body);
}

/* for loops, as bpftrace makes them: the body becomes a static callback, of bpf_for_each_map_elem for
 * `for ($kv : @m)` and of bpf_loop for `for ($i : lo..hi)` (a loop whose bound the verifier does not
 * know, a map value, still loads, and a long one does not make it walk every iteration). The probe's
 * variables live in the scratch region (cg_var_slot), which the callback looks up too; the callback
 * context is four stack slots: the program's ctx pointer, the returned flag (CG_CALLBACK_RETURNED),
 * the range's start and, in a body that serves several probes, which probe fired (L->probe_arg, a
 * value of the calling function that the callback cannot name). break returns 1 (stop), continue returns 0; return and exit() set the flag
 * and stop (cg_return), and the function that called the helper returns when it is set, as bpftrace's
 * return leaves the probe. */
#define LOOP_START 16
#define LOOP_PROBE 24

/* The callback of loop n over `body` (of map `map` unless range): its context slot in *ctxslot (filled in here but for the start). */
static LLVMValueRef loop_callback(struct cg_lower *L, struct ast_node *n, struct ast_node *body, bool range,
				  uint32_t map, const struct et_type *kt, const struct et_type *vt, LLVMValueRef *ctxslot)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct sema_var *v = n->sym;

	/* the variable's slot exists before the callback runs */
	cg_var_slot(L, v);
	*ctxslot = cg_alloca(cg, LLVMArrayType2(cg->t_i64, 4), "ctx.slot");
	LLVMBuildStore(B, cg->fn_ctx, *ctxslot);
	LLVMBuildStore(B, cg_i64(cg, 0), cg_gep(cg, *ctxslot, CG_CALLBACK_RETURNED));
	LLVMValueRef outer_probe = L->probe_arg;
	if (outer_probe)
		LLVMBuildStore(B, outer_probe, cg_gep(cg, *ctxslot, LOOP_PROBE));

	char name[160];
	snprintf(name, sizeof(name), "%s_for%u", L->probe->prog_name, L->ncallbacks++);
	struct cg_frame saved;
	cg_frame_save(L, &saved);
	struct cg_frame *outer_main = L->main;
	if (!L->main)
		L->main = &saved;
	uint32_t outer_nloops = L->nloops;

	LLVMValueRef fn = cg_callback_begin(cg, name, n->loc.line, range);
	LLVMValueRef cbctx = LLVMGetParam(fn, range ? 1 : 3);
	L->scratch_base = NULL;
	L->init_bb = cg_block(cg, "init");
	LLVMBasicBlockRef entry_body = cg_block(cg, "body");
	LLVMPositionBuilderAtEnd(B, entry_body);
	cg_loc(L, n);
	cg->fn_ctx = LLVMBuildLoad2(B, cg->t_ptr, cbctx, "ctx");
	if (outer_probe)
		L->probe_arg = LLVMBuildLoad2(B, cg->t_i64, cg_gep(cg, cbctx, LOOP_PROBE), "probe");
	LLVMValueRef slot = cg_var_slot(L, v);
	if (range) { /* $i = start + index */
		LLVMValueRef start = LLVMBuildLoad2(B, cg->t_i64, cg_gep(cg, cbctx, LOOP_START), "start");
		struct cg_val iv = {LLVMBuildAdd(B, start, LLVMGetParam(fn, 0), "i"), false};
		cg_store(L, slot, v->type, iv, v->type);
	} else if (v->type->nfields >= 2) { /* $kv = (key, value) */
		const struct et_field *fk = &v->type->fields[0], *fv = &v->type->fields[1];
		cg_store(L, cg_gep(cg, slot, fk->offset), fk->type, cg_load(L, LLVMGetParam(fn, 1), kt, false), kt);
		if (type_is_aggregation(vt)) /* its number, the CPUs combined: a lookup per CPU by the key */
			cg_store(L, cg_gep(cg, slot, fv->offset), fv->type,
				 cg_val_scalar(cg_agg_value(L, map, LLVMGetParam(fn, 1), vt, NULL)), fv->type);
		else
			cg_store(L, cg_gep(cg, slot, fv->offset), fv->type, cg_load(L, LLVMGetParam(fn, 2), vt, false),
				 vt);
	}
	L->loops[L->nloops].brk = NULL;
	L->loops[L->nloops].cont = NULL;
	L->nloops++;
	cg_stmt(L, body);
	L->nloops = outer_nloops;
	if (!cg_block_closed(cg))
		LLVMBuildRet(B, cg_i64(cg, 0));
	LLVMPositionBuilderAtEnd(B, cg->fn_entry);
	if (L->scratch_base) {
		LLVMBasicBlockRef none = cg_block(cg, "no.scratch");
		LLVMBuildCondBr(B, LLVMBuildIsNull(B, L->scratch_base, ""), none, L->init_bb);
		LLVMPositionBuilderAtEnd(B, none);
		LLVMBuildRet(B, cg_i64(cg, 1));
	} else {
		LLVMBuildBr(B, L->init_bb);
	}
	LLVMPositionBuilderAtEnd(B, L->init_bb);
	LLVMBuildBr(B, entry_body);

	/* back in the function that loops; it may have been updated while the callback was built */
	if (L->main == &saved)
		L->main = NULL;
	else
		L->main = outer_main;
	cg_frame_restore(L, &saved);
	L->probe_arg = outer_probe;
	cg_loc(L, n);
	return fn;
}

/* After the helper: when the body returned, so does this function. */
static void return_if_flagged(struct cg_lower *L, LLVMValueRef ctxslot)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef returned = LLVMBuildLoad2(B, cg->t_i64, cg_gep(cg, ctxslot, CG_CALLBACK_RETURNED), "returned");
	LLVMBasicBlockRef ret = cg_block(cg, "for.return"), next = cg_block(cg, "for.next");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, returned, cg_i64(cg, 0), ""), ret, next);
	LLVMPositionBuilderAtEnd(B, ret);
	cg_return(L, NULL);
	LLVMBuildBr(B, next); /* from the unreachable block cg_return leaves */
	LLVMPositionBuilderAtEnd(B, next);
}

static bool loop_ready(struct cg_lower *L, struct ast_node *n)
{
	const struct sema_var *v = n->sym;
	if (!v || !v->type) {
		cg_error(L, n, "for loop was not analysed");
		return false;
	}
	if (!L->vars_in_scratch || !L->scratch || L->nloops >= CG_MAX_LOOPS) {
		cg_error(L, n, "for loop: internal error (no scratch region)");
		return false;
	}
	return true;
}

static void for_map(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	struct ast_node *mn = n->u.for_map.map;
	const struct sema_map_ref *ref = mn ? mn->sym : NULL;
	if (!ref) {
		cg_error(L, n, "for loop was not analysed");
		return;
	}
	if (!loop_ready(L, n))
		return;
	const struct et_map_desc *d = &L->prog->maps[ref->map];
	struct et_type u64 = {.kind = ET_INT, .size = 8};
	LLVMValueRef ctxslot;
	LLVMValueRef fn = loop_callback(L, n, n->u.for_map.body, false, ref->map, d->key ? d->key : &u64, d->value, &ctxslot);
	LLVMValueRef a[4] = {L->maps[ref->map], fn, ctxslot, cg_i64(cg, 0)};
	cg_helper(cg, CG_H_for_each_map_elem, a, 4);
	return_if_flagged(L, ctxslot);
}

/* for ($i : lo..hi): both bounds evaluated once; hi - lo iterations when that is positive as a 32-bit
 * number (bpf_loop's count; bpftrace cuts it the same way) */
static void for_range(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	if (!loop_ready(L, n))
		return;
	LLVMValueRef lo = cg_scalar(L, n->u.for_range.lo);
	LLVMValueRef hi = cg_scalar(L, n->u.for_range.hi);
	LLVMValueRef iters = LLVMBuildTrunc(B, LLVMBuildSub(B, hi, lo, ""), cg->t_i32, "iters");
	LLVMValueRef ctxslot;
	LLVMValueRef fn = loop_callback(L, n, n->u.for_range.body, true, 0, NULL, NULL, &ctxslot);
	LLVMBuildStore(B, lo, cg_gep(cg, ctxslot, LOOP_START));
	LLVMBasicBlockRef run = cg_block(cg, "for.run"), done = cg_block(cg, "for.end");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSGT, iters, LLVMConstInt(cg->t_i32, 0, 0), ""), run, done);
	LLVMPositionBuilderAtEnd(B, run);
	LLVMValueRef a[4] = {LLVMBuildZExt(B, iters, cg->t_i64, ""), fn, ctxslot, cg_i64(cg, 0)};
	cg_helper(cg, CG_H_loop, a, 4);
	return_if_flagged(L, ctxslot);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}

void cg_block_stmts(struct cg_lower *L, struct ast_node *block)
{
	if (!block)
		return;
	if (block->kind != AST_BLOCK && block->kind != AST_BLOCK_EXPR) {
		cg_stmt(L, block);
		return;
	}
	for (uint32_t i = 0; i < block->u.block.stmts.count; i++)
		cg_stmt(L, block->u.block.stmts.items[i]);
	if (block->u.block.value)
		cg_expr(L, block->u.block.value);
}

void cg_stmt(struct cg_lower *L, struct ast_node *n)
{
	if (!n)
		return;
	cg_loc(L, n);
	switch (n->kind) {
	case AST_EXPR_STMT:
		cg_expr(L, n->u.expr_stmt.expr);
		break;
	case AST_ASSIGN:
		assign(L, n);
		break;
	case AST_LET: {
		const struct sema_var *v = n->sym;
		if (v) {
			LLVMValueRef slot = cg_var_slot(L, v);
			if (n->u.let.init)
				cg_store_expr(L, slot, v->type, n->u.let.init);
		}
		break;
	}
	case AST_IF:
		if_stmt(L, n);
		break;
	case AST_WHILE:
		while_stmt(L, n);
		break;
	case AST_FOR_RANGE:
		for_range(L, n);
		break;
	case AST_UNROLL:
		unroll(L, n);
		break;
	case AST_BREAK:
	case AST_CONTINUE:
		if (!L->nloops) {
			cg_error(L, n, "%s outside a loop", n->kind == AST_BREAK ? "break" : "continue");
			break;
		}
		if (!L->loops[L->nloops - 1].brk) /* the body of a for-map callback */
			LLVMBuildRet(L->cg->b, cg_i64(L->cg, n->kind == AST_BREAK ? 1 : 0));
		else
			LLVMBuildBr(L->cg->b,
				    n->kind == AST_BREAK ? L->loops[L->nloops - 1].brk : L->loops[L->nloops - 1].cont);
		dead_block(L);
		break;
	case AST_RETURN: /* return N: the program's return value (bpftrace), which these probe types ignore */
		cg_return(L, n->u.ret.value ? cg_scalar(L, n->u.ret.value) : NULL);
		break;
	case AST_BLOCK:
		cg_block_stmts(L, n);
		break;
	case AST_FOR_MAP:
		for_map(L, n);
		break;
	default:
		/* an expression used as a statement */
		cg_expr(L, n);
		break;
	}
}
