/* cg_agg: aggregations `@m[k] = count() | sum(v) | avg(v) | min(v) | max(v) | stats(v) | hist(v) |
 * lhist(v, min, max, step)` on per-CPU maps, value layouts from types.h. The argument and the key are
 * evaluated first; then one lookup finds the element and the update is done in place through the
 * pointer (no second map operation on the hot path). On a miss the zero value is inserted with
 * BPF_NOEXIST and looked up again (cg_map_slot).
 * Histogram slots are computed without loops and bounded with cg_clamp for the verifier. */
#include "cg_lower.h"

/* floor(log2(v)) for v >= 1, by halving steps */
static LLVMValueRef log2_u64(struct cg_lower *L, LLVMValueRef v)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef n = cg_i64(cg, 0);
	for (unsigned s = 32; s >= 1; s /= 2) {
		LLVMValueRef ge = LLVMBuildICmp(B, LLVMIntUGE, v, cg_i64(cg, (uint64_t)1 << s), "");
		v = LLVMBuildSelect(B, ge, LLVMBuildLShr(B, v, cg_i64(cg, s), ""), v, "");
		n = LLVMBuildSelect(B, ge, LLVMBuildAdd(B, n, cg_i64(cg, s), ""), n, "");
	}
	return n;
}

/* hist(): 0 for negative values, 1 for 0, else 2 + floor(log2(v)) */
static LLVMValueRef hist_slot(struct cg_lower *L, LLVMValueRef v, bool is_signed)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef slot = LLVMBuildAdd(B, log2_u64(L, v), cg_i64(cg, 2), "");
	slot = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntEQ, v, cg_i64(cg, 0), ""), cg_i64(cg, 1), slot, "");
	if (is_signed)
		slot = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, v, cg_i64(cg, 0), ""), cg_i64(cg, 0), slot, "");
	return cg_clamp(L, slot, ET_HIST_SLOTS - 1);
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
	LLVMValueRef key = cg_map_key(L, map);
	cg_loc(L, call);
	LLVMBasicBlockRef done = cg_block(cg, "agg.done");
	LLVMValueRef p = cg_map_slot(L, ref->map, key, done);
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
		LLVMValueRef slot = c->id == BI_HIST ? hist_slot(L, v, is_signed) : lhist_slot(L, v, vt);
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
