/* cg_dropped: nothing lost silently (see cg_lower.h). A map update that fails (the map is full: E2BIG for hash maps,
 * ENOMEM when the kernel cannot allocate the element) increments element `map index` of the .bss u64 array
 * ET_DROPPED_MAP_NAME (for --stats and --metrics) and, unless helper errors are off (--no-warnings), sends
 * an ET_EV_HELPER_ERROR for its call site (one event per site, added to prog->events here) with the
 * code, which the runtime reports at once as bpftrace does (both through cg_fail, cg_event.c); a
 * user-memory read that fails increments ET_READ_FAULTS_MAP_NAME; a ring buffer reserve that fails
 * increments prog->lost_map_name (cg_event.c). The runtime reads them at exit.
 * Also the stop flag ET_STOP_FLAG_NAME, the .bss global every probe but BEGIN/END tests first.
 * The counters are shared by the CPUs and incremented atomically: they sit on failure paths only, where
 * contention does not matter, and an atomic add on a global is 4 instructions where a per-CPU array
 * needs a key on the stack, an (inlined) lookup and a null check. */
#include <string.h>

#include "codegen/cg_lower.h"
#include "support/arena.h"

int cg_dropped_define(struct cg_lower *L)
{
	if (L->prog->nmaps)
		L->dropped = cg_bss_counters(L->cg, ET_DROPPED_MAP_NAME, L->prog->nmaps);
	return 0;
}

/* The event for a failed call of `helper` at loc: one per call site, in prog->events, the runtime's
 * table of locations (a site lowered twice, for a body shared by programs, reuses its event). */
static int helper_event(struct cg_lower *L, const char *helper, struct et_loc loc)
{
	struct et_program *p = L->prog;

	for (uint32_t i = 0; i < p->nevents; i++)
		if (p->events[i].kind == ET_EV_HELPER_ERROR && strcmp(p->events[i].fmt, helper) == 0 &&
		    memcmp(&p->events[i].loc, &loc, sizeof(loc)) == 0)
			return (int)i;
	p->events = arena_grow(p->arena, p->events, p->nevents, p->nevents + 1, sizeof(*p->events));
	p->events[p->nevents] = (struct et_event_desc){
		.kind = ET_EV_HELPER_ERROR, .fmt = helper, .map = -1, .loc = loc,
	};
	return (int)p->nevents++;
}

/* A failed update of prog->maps[map]: its counter, and its event unless helper errors are off */
static LLVMValueRef dropped_counter(struct cg_lower *L, uint32_t map)
{
	return L->dropped ? cg_gep(L->cg, L->dropped, 8 * map) : NULL;
}

static int update_event(struct cg_lower *L)
{
	return L->helper_errors ? helper_event(L, "map_update_elem", L->site) : -1;
}

void cg_count_dropped(struct cg_lower *L, uint32_t map, LLVMValueRef rc, LLVMBasicBlockRef cont)
{
	cg_fail(L, dropped_counter(L, map), update_event(L), rc, cont);
}

void cg_count_failed_update(struct cg_lower *L, uint32_t map, LLVMValueRef rc)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	/* helpers return an int in the i64: its low 32 bits, sign-extended, are the code */
	LLVMValueRef rc32 = LLVMBuildSExt(B, LLVMBuildTrunc(B, rc, cg->t_i32, ""), cg->t_i64, "rc");

	cg_fail_if(L, LLVMBuildICmp(B, LLVMIntSLT, rc32, cg_i64(cg, 0), ""), dropped_counter(L, map), update_event(L),
		   rc32);
}

void cg_count_read_fault(struct cg_lower *L, LLVMValueRef result, const char *helper)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;

	if (!L->read_faults)
		L->read_faults = cg_bss_counters(cg, ET_READ_FAULTS_MAP_NAME, 1);
	/* -k: each one reported at the call, as bpftrace does */
	cg_fail_if(L, LLVMBuildICmp(B, LLVMIntSLT, result, cg_i64(cg, 0), ""), L->read_faults,
		   L->helper_errors >= 2 ? helper_event(L, helper, L->site) : -1,
		   LLVMBuildSExt(B, LLVMBuildTrunc(B, result, cg->t_i32, ""), cg->t_i64, ""));
}

void cg_check_helper(struct cg_lower *L, LLVMValueRef rc, const char *helper)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;

	if (L->helper_errors < 2)
		return;
	LLVMValueRef rc32 = LLVMBuildSExt(B, LLVMBuildTrunc(B, rc, cg->t_i32, ""), cg->t_i64, "");
	cg_fail_if(L, LLVMBuildICmp(B, LLVMIntSLT, rc32, cg_i64(cg, 0), ""), NULL, helper_event(L, helper, L->site), rc32);
}

void cg_check_lookup(struct cg_lower *L, LLVMValueRef p)
{
	if (L->helper_errors >= 2)
		cg_fail_if(L, LLVMBuildIsNull(L->cg->b, p, ""), NULL, helper_event(L, "map_lookup_elem", L->site), NULL);
}

void cg_check_missing(struct cg_lower *L, LLVMValueRef missing, const char *helper)
{
	if (L->helper_errors >= 2)
		cg_fail_if(L, missing, NULL, helper_event(L, helper, L->site), NULL);
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
