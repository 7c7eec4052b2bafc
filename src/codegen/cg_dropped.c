/* cg_dropped: nothing lost silently (see cg_lower.h). A map update that fails (the map is full: E2BIG for hash maps,
 * ENOMEM when the kernel cannot allocate the element) increments element `map index` of the per-CPU
 * array ET_DROPPED_MAP_NAME; the runtime sums it over CPUs and reports it at exit with the map's size.
 * Per-CPU, so the counter itself never loses an increment. */
#include <errno.h>

#include <linux/bpf.h>

#include "cg_lower.h"

int cg_dropped_define(struct cg_lower *L)
{
	struct et_type u32 = {.kind = ET_INT, .size = 4}, u64 = {.kind = ET_INT, .size = 8};

	if (!L->prog->nmaps)
		return 0;
	L->dropped = cg_map_define(L->cg, ET_DROPPED_MAP_NAME, BPF_MAP_TYPE_PERCPU_ARRAY, cg_di_type(L->cg, &u32),
				   cg_di_type(L->cg, &u64), L->prog->nmaps);
	return L->dropped ? 0 : -EINVAL;
}

/* Add one to element `index` of the per-CPU u64 array `map` (no atomics needed: each CPU has its own). */
static void bump(struct cg_lower *L, LLVMValueRef map, uint32_t index)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;

	/* 40 maps would give 40 keys: take them from the probe's stack budget, then the scratch map */
	LLVMValueRef k = cg_temp(L, 4, "counter.key");
	LLVMBuildStore(B, LLVMConstInt(cg->t_i32, index, 0), k);
	LLVMValueRef p = cg_map_lookup(cg, map, k);
	LLVMBasicBlockRef inc = cg_block(cg, "counter.inc"), done = cg_block(cg, "counter.done");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, p, ""), done, inc);
	LLVMPositionBuilderAtEnd(B, inc);
	LLVMBuildStore(B, LLVMBuildAdd(B, LLVMBuildLoad2(B, cg->t_i64, p, ""), cg_i64(cg, 1), ""), p);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}

void cg_count_dropped(struct cg_lower *L, uint32_t map)
{
	if (L->dropped)
		bump(L, L->dropped, map);
}

void cg_count_read_fault(struct cg_lower *L, LLVMValueRef result)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct et_type u32 = {.kind = ET_INT, .size = 4}, u64 = {.kind = ET_INT, .size = 8};

	if (!L->read_faults)
		L->read_faults = cg_map_define(cg, ET_READ_FAULTS_MAP_NAME, BPF_MAP_TYPE_PERCPU_ARRAY,
					       cg_di_type(cg, &u32), cg_di_type(cg, &u64), 1);
	if (!L->read_faults)
		return;
	LLVMBasicBlockRef failed = cg_block(cg, "read.failed"), done = cg_block(cg, "read.ok");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, result, cg_i64(cg, 0), ""), failed, done);
	LLVMPositionBuilderAtEnd(B, failed);
	bump(L, L->read_faults, 0);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}
