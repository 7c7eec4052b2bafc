/* cg_dropped: nothing lost silently (see cg_lower.h). A map update that fails (the map is full: E2BIG for hash maps,
 * ENOMEM when the kernel cannot allocate the element) increments element `map index` of the .bss u64 array
 * ET_DROPPED_MAP_NAME; a user-memory read that fails increments ET_READ_FAULTS_MAP_NAME; a ring buffer
 * reserve that fails increments prog->lost_map_name (cg_event.c). The runtime reads them at exit.
 * Also the stop flag ET_STOP_FLAG_NAME, the .bss global every probe but BEGIN/END tests first.
 * The counters are shared by the CPUs and incremented atomically: they sit on failure paths only, where
 * contention does not matter, and an atomic add on a global is 4 instructions where a per-CPU array
 * needs a key on the stack, an (inlined) lookup and a null check. */
#include "codegen/cg_lower.h"

int cg_dropped_define(struct cg_lower *L)
{
	if (L->prog->nmaps)
		L->dropped = cg_bss_counters(L->cg, ET_DROPPED_MAP_NAME, L->prog->nmaps);
	return 0;
}

void cg_count_dropped(struct cg_lower *L, uint32_t map)
{
	if (L->dropped)
		cg_counter_add(L->cg, L->dropped, map, NULL);
}

void cg_count_failed_update(struct cg_lower *L, uint32_t map, LLVMValueRef rc)
{
	/* (u64)rc >> 63 is 1 for a negative errno, 0 for success: no branch */
	if (L->dropped)
		cg_counter_add(L->cg, L->dropped, map, LLVMBuildLShr(L->cg->b, rc, cg_i64(L->cg, 63), ""));
}

void cg_count_read_fault(struct cg_lower *L, LLVMValueRef result)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;

	if (!L->read_faults)
		L->read_faults = cg_bss_counters(cg, ET_READ_FAULTS_MAP_NAME, 1);
	LLVMBasicBlockRef failed = cg_block(cg, "read.failed"), done = cg_block(cg, "read.ok");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, result, cg_i64(cg, 0), ""), failed, done);
	LLVMPositionBuilderAtEnd(B, failed);
	cg_counter_add(cg, L->read_faults, 0, NULL);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}

void cg_stop_check(struct cg_lower *L)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	/* volatile: the runtime writes it from outside through the mmap'ed .bss */
	LLVMValueRef flag = LLVMBuildLoad2(B, cg->t_i64, cg_bss_counters(cg, ET_STOP_FLAG_NAME, 1), "et_stop");
	LLVMSetVolatile(flag, 1);
	LLVMBasicBlockRef stop = cg_block(cg, "stopped"), go = cg_block(cg, "running");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, flag, cg_i64(cg, 0), ""), stop, go);
	LLVMPositionBuilderAtEnd(B, stop);
	LLVMBuildRet(B, LLVMConstInt(cg->t_i32, 0, 0));
	LLVMPositionBuilderAtEnd(B, go);
}
