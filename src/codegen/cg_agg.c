/* cg_agg: aggregations `@m[k] = count() | sum(v) | avg(v) | min(v) | max(v) | stats(v) | hist(v) |
 * lhist(v, min, max, step)` on per-CPU maps, value layouts from types.h. The argument and the key are
 * evaluated first; then one lookup finds the element and the update is done in place through the
 * pointer (no second map operation on the hot path). On a miss, a scalar aggregation inserts its first
 * value (first_or_slot); hist/lhist insert the zero value with BPF_NOEXIST and look it up again
 * (cg_map_slot).
 * hist() slots come from a small log2 loop (hist_slot); lhist() slots are bounded with cg_clamp.
 * tseries() (types.h) keys the element by (key, bucket) and updates it in place as bpftrace does
 * (tseries_update). */
#include <linux/bpf.h>

#include "codegen/cg_lower.h"

/* hist(): 0 for negative values, 1 for 0, else 2 + floor(log2(v)). A loop halves the shift s = 32, 16,
 * ..., 1: when v >> s is not 0, v becomes v >> s and n grows by s. At the end n = floor(log2(v)) and v
 * is 1, or 0 when v was 0, so the slot is n + v + 1 without a test; v & 1 tells the verifier its
 * bound (it walks the six iterations with s known). The loop is BPF assembly, 9 instructions: from IR
 * the optimiser makes about 21 of it (even with unrolling disabled it rotates the loop and adds moves)
 * and about 55 unrolled (each step becomes selects, lowered to jumps and moves). */
static LLVMValueRef hist_slot(struct cg_lower *L, LLVMValueRef v, bool is_signed)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	static const char log2_loop[] = "$1 = 0\n$2 = 32\n"
					"1:\n$3 = $0\n$3 >>= $2\nif $3 == 0 goto 2f\n$0 = $3\n$1 += $2\n"
					"2:\n$2 >>= 1\nif $2 != 0 goto 1b";
	static const char constraints[] = "=r,=&r,=&r,=&r,0"; /* x (in: v), n, s, t */
	LLVMTypeRef el[4] = {cg->t_i64, cg->t_i64, cg->t_i64, cg->t_i64};
	LLVMTypeRef rty = LLVMStructTypeInContext(cg->ctx, el, 4, 0);
	LLVMTypeRef fty = LLVMFunctionType(rty, &cg->t_i64, 1, 0);
	LLVMValueRef code = LLVMGetInlineAsm(fty, log2_loop, sizeof(log2_loop) - 1, constraints,
					     sizeof(constraints) - 1, 0, 0, LLVMInlineAsmDialectATT, 0);
	LLVMValueRef r = LLVMBuildCall2(B, fty, code, &v, 1, "log2");
	LLVMValueRef top = LLVMBuildAnd(B, LLVMBuildExtractValue(B, r, 0, ""), cg_i64(cg, 1), "");
	LLVMValueRef slot = LLVMBuildAdd(B, LLVMBuildAdd(B, LLVMBuildExtractValue(B, r, 1, ""), top, ""),
					 cg_i64(cg, 1), "");
	if (is_signed)
		slot = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, v, cg_i64(cg, 0), ""), cg_i64(cg, 0), slot, "");
	return slot;
}

/* hist(v, k) with k > 0 (types.h): below 2^k the slot is v + 1; above, l = floor(log2 v) comes from the
 * k = 0 slot (l + 2 for v >= 1), s = l - k, and the slot is ((s + 1) << k) + ((v >> s) & (2^k - 1)) + 1.
 * The shift is masked (s is only used where it is >= 0) and the slot bounded for the verifier. */
static LLVMValueRef hist_slot_k(struct cg_lower *L, LLVMValueRef v, bool is_signed, uint32_t k)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef l = LLVMBuildSub(B, hist_slot(L, v, false), cg_i64(cg, 2), "log2");
	LLVMValueRef s = LLVMBuildAnd(B, LLVMBuildSub(B, l, cg_i64(cg, k), ""), cg_i64(cg, 63), "");
	LLVMValueRef x = LLVMBuildAnd(B, LLVMBuildLShr(B, v, s, ""), cg_i64(cg, (1u << k) - 1), "");
	LLVMValueRef big = LLVMBuildAdd(B, LLVMBuildShl(B, LLVMBuildAdd(B, s, cg_i64(cg, 1), ""), cg_i64(cg, k), ""),
					LLVMBuildAdd(B, x, cg_i64(cg, 1), ""), "");
	LLVMValueRef small = LLVMBuildICmp(B, LLVMIntULT, v, cg_i64(cg, 1u << k), "");
	LLVMValueRef slot = LLVMBuildSelect(B, small, LLVMBuildAdd(B, v, cg_i64(cg, 1), ""), big, "");
	if (is_signed)
		slot = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, v, cg_i64(cg, 0), ""), cg_i64(cg, 0), slot, "");
	return cg_clamp(L, slot, hist_slots(k) - 1);
}

/* lhist(): 0 below min, 1 + (v - min) / step inside, the last slot at or above max */
static LLVMValueRef lhist_slot(struct cg_lower *L, LLVMValueRef v, const struct et_type *t)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	uint32_t nslots = lhist_slots(t->lh_min, t->lh_max, t->lh_step);
	LLVMValueRef min = cg_i64(cg, (uint64_t)t->lh_min);
	LLVMValueRef below = LLVMBuildICmp(B, LLVMIntSLT, v, min, "");
	LLVMValueRef above = LLVMBuildICmp(B, LLVMIntSGE, v, cg_i64(cg, (uint64_t)t->lh_max), "");
	LLVMValueRef off = LLVMBuildSub(B, v, min, "");
	/* v - min >= 0 here, so an unsigned division is exact (BPF v3 has no signed division) */
	LLVMValueRef in = LLVMBuildAdd(B, LLVMBuildUDiv(B, off, cg_i64(cg, (uint64_t)t->lh_step), ""), cg_i64(cg, 1), "");
	LLVMValueRef slot = LLVMBuildSelect(B, above, cg_i64(cg, nslots - 1), in, "");
	slot = LLVMBuildSelect(B, below, cg_i64(cg, 0), slot, "");
	return cg_clamp(L, slot, nslots - 1);
}

static void add_at(struct cg_lower *L, LLVMValueRef p, LLVMValueRef delta)
{
	LLVMBuilderRef B = L->cg->b;
	LLVMValueRef old = LLVMBuildLoad2(B, L->cg->t_i64, p, "");
	LLVMBuildStore(B, LLVMBuildAdd(B, old, delta, ""), p);
}

/* The element of a scalar aggregation (count, sum, avg, stats, min, max) at `key`, for an update in
 * place; on a miss, the element is inserted with its first value instead ({1}, {v}, {1, v}, {v, 1}) and
 * the builder goes on at `done`. BPF_ANY: when another CPU inserted the key in between, the update
 * writes this CPU's slot of that per-CPU element, which was zero, so nothing is lost. A failed insert
 * (map full) is counted. One helper call on a miss, none after the lookup on a hit.
 * A raw comm key (cg_map_key_maybe_raw) is looked up as it is first: only masked keys are ever inserted,
 * so a hit means the raw bytes were already the masked ones (the kernel pads comm with zeros, so that is
 * the usual case); the mask and the ordinary lookup run only on a miss. */
static LLVMValueRef first_or_slot(struct cg_lower *L, uint32_t map, LLVMValueRef key, bool raw,
				  enum builtin_id id, LLVMValueRef v, LLVMBasicBlockRef done)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef m = L->maps[map];
	key = cg_opaque(cg, key);
	LLVMValueRef raw_p = NULL;
	LLVMBasicBlockRef raw_hit = NULL;
	if (raw) {
		raw_p = cg_map_lookup(cg, m, key);
		LLVMBasicBlockRef mask = cg_block(cg, "comm.mask");
		raw_hit = cg_block(cg, "comm.hit");
		LLVMBuildCondBr(B, LLVMBuildIsNull(B, raw_p, ""), mask, raw_hit);
		LLVMPositionBuilderAtEnd(B, mask);
		cg_comm_mask(L, key);
	}
	LLVMValueRef p = cg_map_lookup(cg, m, key);
	LLVMBasicBlockRef miss = cg_block(cg, "agg.first"), hit = cg_block(cg, "agg.hit");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), miss, hit);
	LLVMPositionBuilderAtEnd(B, miss);
	LLVMValueRef first, one = cg_i64(cg, 1);
	if (id == BI_COUNT) {
		first = cg_rodata_const(cg, "etrace_one", 1, 8);
	} else {
		/* sum: {v}; min, max: {v, set = 1}; avg, stats: {count = 1, total = v} */
		LLVMValueRef w0 = v, w1 = one;
		if (id == BI_AVG || id == BI_STATS) {
			w0 = one;
			w1 = v;
		}
		first = cg_buf(L, L->prog->maps[map].value->size, "agg.first");
		LLVMBuildStore(B, w0, first);
		if (id != BI_SUM)
			LLVMBuildStore(B, w1, cg_gep(cg, first, 8));
	}
	cg_count_failed_update(L, map, cg_map_update(cg, m, key, first, BPF_ANY));
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, hit);
	if (!raw)
		return p;
	LLVMBasicBlockRef found = cg_block(cg, "agg.found");
	LLVMBuildBr(B, found);
	LLVMPositionBuilderAtEnd(B, raw_hit);
	LLVMBuildBr(B, found);
	LLVMPositionBuilderAtEnd(B, found);
	LLVMValueRef slot = LLVMBuildPhi(B, LLVMTypeOf(p), "slot");
	LLVMValueRef from[] = {p, raw_p};
	LLVMBasicBlockRef via[] = {hit, raw_hit};
	LLVMAddIncoming(slot, from, via, 2);
	return slot;
}

/* tseries(v, interval, count[, agg]) into map `map` under the script key `key`: the time is bpftrace's
 * sw_tai (the boot clock plus TAI - BOOTTIME measured by the runtime at load, etrace_tai_offset_ns), the
 * element (key, epoch % count) is found or inserted with its first value ({v, now | 1 | 0, epoch}), and
 * an element found is reset when it holds another epoch (with an agg), then updated. */
static void tseries_update(struct cg_lower *L, uint32_t map, LLVMValueRef key, LLVMValueRef v, const struct et_type *vt,
			   LLVMBasicBlockRef done)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct et_map_desc *d = &L->prog->maps[map];
	uint32_t off = tseries_bucket_off(d->key), ksize = d->key ? d->key->size : 8;
	LLVMValueRef delta = LLVMBuildLoad2(B, cg->t_i64, cg_rodata_u64(cg, "etrace_tai_offset_ns"), "tai_offset");
	LLVMSetVolatile(delta, 1);
	LLVMValueRef now = LLVMBuildAdd(B, cg_helper(cg, CG_H_ktime_get_boot_ns, NULL, 0), delta, "now");
	LLVMValueRef epoch = LLVMBuildUDiv(B, now, cg_i64(cg, vt->ts_interval), "epoch");
	LLVMValueRef bucket = LLVMBuildURem(B, epoch, cg_i64(cg, vt->ts_count), "bucket");
	LLVMValueRef k = cg_temp(L, off + 8, "ts.key");
	cg_memcpy(cg, k, key, ksize);
	LLVMBuildStore(B, bucket, cg_gep(cg, k, off));
	k = cg_opaque(cg, k);
	LLVMValueRef p = cg_map_lookup(cg, L->maps[map], k);
	LLVMBasicBlockRef miss = cg_block(cg, "ts.first"), hit = cg_block(cg, "ts.hit");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), miss, hit);

	LLVMPositionBuilderAtEnd(B, miss);
	LLVMValueRef first = cg_buf(L, ET_TSERIES_VALUE_SIZE, "ts.first");
	LLVMValueRef meta = vt->ts_agg == ET_TS_LAST ? now : cg_i64(cg, vt->ts_agg == ET_TS_SUM ? 0 : 1);
	LLVMBuildStore(B, v, first);
	LLVMBuildStore(B, meta, cg_gep(cg, first, 8));
	LLVMBuildStore(B, epoch, cg_gep(cg, first, 16));
	cg_count_failed_update(L, map, cg_map_update(cg, L->maps[map], k, first, BPF_ANY));
	LLVMBuildBr(B, done);

	LLVMPositionBuilderAtEnd(B, hit);
	LLVMValueRef valp = p, metap = cg_gep(cg, p, 8), epochp = cg_gep(cg, p, 16);
	if (vt->ts_agg != ET_TS_LAST) {
		LLVMBasicBlockRef reset = cg_block(cg, "ts.reset"), upd = cg_block(cg, "ts.update");
		LLVMValueRef old = LLVMBuildLoad2(B, cg->t_i64, epochp, "");
		LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, old, epoch, ""), reset, upd);
		LLVMPositionBuilderAtEnd(B, reset);
		LLVMBuildStore(B, cg_i64(cg, 0), valp);
		LLVMBuildStore(B, cg_i64(cg, 0), metap);
		LLVMBuildBr(B, upd);
		LLVMPositionBuilderAtEnd(B, upd);
	}
	switch (vt->ts_agg) {
	case ET_TS_LAST:
		LLVMBuildStore(B, v, valp);
		LLVMBuildStore(B, now, metap);
		break;
	case ET_TS_AVG:
		add_at(L, metap, cg_i64(cg, 1));
		add_at(L, valp, v);
		break;
	case ET_TS_SUM:
		add_at(L, valp, v);
		break;
	case ET_TS_MIN:
	case ET_TS_MAX: {
		/* as bpftrace: an unset bucket takes v; a set one when v is at least as small (large) */
		LLVMValueRef cur = LLVMBuildLoad2(B, cg->t_i64, valp, "");
		LLVMValueRef set = LLVMBuildICmp(B, LLVMIntEQ, LLVMBuildLoad2(B, cg->t_i64, metap, ""), cg_i64(cg, 1), "");
		LLVMIntPredicate pred = vt->ts_agg == ET_TS_MAX ? (vt->is_signed ? LLVMIntSGE : LLVMIntUGE)
								: (vt->is_signed ? LLVMIntSLE : LLVMIntULE);
		LLVMValueRef take = LLVMBuildOr(B, LLVMBuildNot(B, set, ""), LLVMBuildICmp(B, pred, v, cur, ""), "");
		LLVMBasicBlockRef st = cg_block(cg, "ts.set"), after = cg_block(cg, "ts.after");
		LLVMBuildCondBr(B, take, st, after);
		LLVMPositionBuilderAtEnd(B, st);
		LLVMBuildStore(B, v, valp);
		LLVMBuildStore(B, cg_i64(cg, 1), metap);
		LLVMBuildBr(B, after);
		LLVMPositionBuilderAtEnd(B, after);
		break;
	}
	}
	LLVMBuildStore(B, epoch, epochp);
}

void cg_aggregate(struct cg_lower *L, struct ast_node *map, struct ast_node *call)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct sema_map_ref *ref = map->sym;
	const struct sema_call *c = call->sym;
	const struct et_type *vt = L->prog->maps[ref->map].value;
	struct ast_list *args = &call->u.call.args;
	LLVMValueRef v = NULL;
	bool is_signed = false;
	if (args->count > 0) {
		v = cg_scalar(L, args->items[0]);
		is_signed = !args->items[0]->type || args->items[0]->type->kind != ET_INT ||
			    args->items[0]->type->is_signed;
	}
	bool scalar = c->id != BI_TSERIES && c->id != BI_HIST && c->id != BI_LHIST, raw = false;
	LLVMValueRef key = scalar ? cg_map_key_maybe_raw(L, map, &raw) : cg_map_key(L, map);
	cg_loc(L, call);
	LLVMBasicBlockRef done = cg_block(cg, "agg.done");
	if (c->id == BI_TSERIES) {
		tseries_update(L, ref->map, key, v, vt, done);
		LLVMBuildBr(B, done);
		LLVMPositionBuilderAtEnd(B, done);
		return;
	}
	LLVMValueRef p = c->id == BI_HIST || c->id == BI_LHIST ? cg_map_slot(L, ref->map, key, done)
							     : first_or_slot(L, ref->map, key, raw, c->id, v, done);
	switch (c->id) {
	case BI_COUNT:
		add_at(L, p, cg_i64(cg, 1));
		break;
	case BI_SUM:
		add_at(L, p, v);
		break;
	case BI_AVG:
	case BI_STATS:
		add_at(L, p, cg_i64(cg, 1));
		add_at(L, cg_gep(cg, p, 8), v);
		break;
	case BI_MIN:
	case BI_MAX: {
		LLVMValueRef cur = LLVMBuildLoad2(B, cg->t_i64, p, "");
		LLVMValueRef set = LLVMBuildLoad2(B, cg->t_i64, cg_gep(cg, p, 8), "");
		LLVMValueRef better = LLVMBuildICmp(B, c->id == BI_MIN ? LLVMIntSLT : LLVMIntSGT, v, cur, "");
		LLVMValueRef unset = LLVMBuildICmp(B, LLVMIntEQ, set, cg_i64(cg, 0), "");
		LLVMBasicBlockRef upd = cg_block(cg, "minmax.set");
		LLVMBuildCondBr(B, LLVMBuildOr(B, better, unset, ""), upd, done);
		LLVMPositionBuilderAtEnd(B, upd);
		LLVMBuildStore(B, v, p);
		LLVMBuildStore(B, cg_i64(cg, 1), cg_gep(cg, p, 8));
		break;
	}
	case BI_HIST:
	case BI_LHIST: {
		LLVMValueRef slot = c->id == BI_LHIST ? lhist_slot(L, v, vt)
				    : vt->hist_k      ? hist_slot_k(L, v, is_signed, vt->hist_k)
							: hist_slot(L, v, is_signed);
		LLVMValueRef off = LLVMBuildShl(B, slot, cg_i64(cg, 3), "");
		LLVMValueRef sp = LLVMBuildGEP2(B, cg->t_i8, p, &off, 1, "");
		add_at(L, sp, cg_i64(cg, 1));
		break;
	}
	default:
		cg_error(L, call, "aggregation %s is not supported", builtin_name(c->id));
		break;
	}
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}

/* ---- an aggregation read as a value ---- */

/* min/max of one CPU's { value, is_set } into the running (best, any): a CPU that never saw a value
 * does not count, as when printed. */
static void minmax_step(struct cg_lower *L, LLVMValueRef p, const struct et_type *vt, LLVMValueRef best,
			LLVMValueRef any)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef v = LLVMBuildLoad2(B, cg->t_i64, p, "v");
	LLVMValueRef set = LLVMBuildICmp(B, LLVMIntNE, LLVMBuildLoad2(B, cg->t_i64, cg_gep(cg, p, 8), ""),
					 cg_i64(cg, 0), "set");
	LLVMValueRef cur = LLVMBuildLoad2(B, cg->t_i64, best, "");
	LLVMValueRef had = LLVMBuildICmp(B, LLVMIntNE, LLVMBuildLoad2(B, cg->t_i64, any, ""), cg_i64(cg, 0), "");
	/* signed, as the update (cg_aggregate) and the printer compare */
	LLVMIntPredicate pred = vt->kind == ET_AGG_MIN ? LLVMIntSLT : LLVMIntSGT;
	LLVMValueRef better = LLVMBuildOr(B, LLVMBuildNot(B, had, ""), LLVMBuildICmp(B, pred, v, cur, ""), "");
	LLVMValueRef take = LLVMBuildAnd(B, set, better, "take");
	LLVMBuildStore(B, LLVMBuildSelect(B, take, v, cur, ""), best);
	LLVMBuildStore(B, LLVMBuildSelect(B, set, cg_i64(cg, 1), LLVMBuildLoad2(B, cg->t_i64, any, ""), ""), any);
}

/* total / count, signed, 0 without a count: BPF's division is unsigned, so the magnitude is divided
 * and the sign put back (bpftrace does the same) */
static LLVMValueRef avg_of(struct cg_lower *L, LLVMValueRef count, LLVMValueRef total)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef none = LLVMBuildICmp(B, LLVMIntEQ, count, cg_i64(cg, 0), "");
	LLVMValueRef neg = LLVMBuildICmp(B, LLVMIntSLT, total, cg_i64(cg, 0), "");
	LLVMValueRef mag = LLVMBuildSelect(B, neg, LLVMBuildNeg(B, total, ""), total, "");
	LLVMValueRef q = LLVMBuildUDiv(B, mag, LLVMBuildSelect(B, none, cg_i64(cg, 1), count, ""), "");
	q = LLVMBuildSelect(B, neg, LLVMBuildNeg(B, q, ""), q, "");
	return LLVMBuildSelect(B, none, cg_i64(cg, 0), q, "avg");
}

/* A loop over the possible CPUs (etrace_ncpus, a frozen .rodata constant the verifier sees, so the loop
 * is bounded) reading each CPU's value with bpf_map_lookup_percpu_elem (Linux 5.19); it stops at the
 * first CPU without the element: a missing key reads as 0. */
LLVMValueRef cg_agg_value(struct cg_lower *L, uint32_t map, LLVMValueRef key_ptr, const struct et_type *vt,
			  const struct ast_node *at)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef cpu = cg_alloca(cg, cg->t_i64, "cpu");
	LLVMValueRef acc = cg_alloca(cg, cg->t_i64, "acc"), acc2 = cg_alloca(cg, cg->t_i64, "acc2");
	LLVMBasicBlockRef cond = cg_block(cg, "agg.cond"), body = cg_block(cg, "agg.body");
	LLVMBasicBlockRef got = cg_block(cg, "agg.got"), done = cg_block(cg, "agg.done");

	LLVMBuildStore(B, cg_i64(cg, 0), cpu);
	LLVMBuildStore(B, cg_i64(cg, 0), acc);
	LLVMBuildStore(B, cg_i64(cg, 0), acc2);
	LLVMBuildBr(B, cond);
	LLVMPositionBuilderAtEnd(B, cond);
	LLVMValueRef ncpus = LLVMBuildLoad2(B, cg->t_i64, cg_rodata_u64(cg, "etrace_ncpus"), "ncpus");
	LLVMSetVolatile(ncpus, 1);
	LLVMValueRef i = LLVMBuildLoad2(B, cg->t_i64, cpu, "i");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, i, ncpus, ""), body, done);
	LLVMPositionBuilderAtEnd(B, body);
	LLVMValueRef a[3] = {L->maps[map], key_ptr, LLVMBuildTrunc(B, i, cg->t_i32, "")};
	LLVMValueRef p = cg_helper(cg, CG_H_map_lookup_percpu_elem, a, 3);
	if (at && L->helper_errors >= 2) {
		/* -k: no element on CPU 0 is a key that is not there (the last CPU ends the loop too) */
		LLVMBasicBlockRef miss = cg_block(cg, "agg.miss");
		struct et_loc site = L->site;

		LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), miss, got);
		LLVMPositionBuilderAtEnd(B, miss);
		L->site = at->loc;
		cg_check_missing(L, LLVMBuildICmp(B, LLVMIntEQ, i, cg_i64(cg, 0), ""), "map_lookup_percpu_elem");
		L->site = site;
		LLVMBuildBr(B, done);
	} else {
		LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), done, got);
	}
	LLVMPositionBuilderAtEnd(B, got);
	switch (vt->kind) {
	case ET_AGG_MIN:
	case ET_AGG_MAX:
		minmax_step(L, p, vt, acc, acc2);
		break;
	case ET_AGG_AVG: /* { count, total } */
		add_at(L, acc, LLVMBuildLoad2(B, cg->t_i64, p, ""));
		add_at(L, acc2, LLVMBuildLoad2(B, cg->t_i64, cg_gep(cg, p, 8), ""));
		break;
	default: /* count, sum */
		add_at(L, acc, LLVMBuildLoad2(B, cg->t_i64, p, ""));
		break;
	}
	LLVMBuildStore(B, LLVMBuildAdd(B, i, cg_i64(cg, 1), ""), cpu);
	LLVMBuildBr(B, cond);
	LLVMPositionBuilderAtEnd(B, done);
	LLVMValueRef r = LLVMBuildLoad2(B, cg->t_i64, acc, "");
	if (vt->kind == ET_AGG_AVG)
		r = avg_of(L, r, LLVMBuildLoad2(B, cg->t_i64, acc2, ""));
	return r;
}
