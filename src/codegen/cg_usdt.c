/* cg_usdt: a USDT argument (probes/arch/arch.h, parsed from .note.stapsdt) as an i64, read from the
 * pt_regs context of a uprobe: constants as they are, registers from their pt_regs slot, memory
 * operands with a user-memory read of base + displacement (+ index * scale). The value is cut to the
 * argument's size and extended by its signedness, as bpftrace does. A failed read gives 0. */
#include "probes/arch/arch.h"
#include "codegen/cg_ctx.h"

static LLVMValueRef size_ext(struct cg_ctx *cg, LLVMValueRef v, uint32_t size, bool is_signed)
{
	if (size >= 8)
		return v;
	LLVMTypeRef t = size == 1 ? cg->t_i8 : size == 2 ? cg->t_i16 : cg->t_i32;
	LLVMValueRef x = LLVMBuildTrunc(cg->b, v, t, "");
	return is_signed ? LLVMBuildSExt(cg->b, x, cg->t_i64, "") : LLVMBuildZExt(cg->b, x, cg->t_i64, "");
}

static LLVMValueRef reg(struct cg_ctx *cg, LLVMValueRef ctx, int off)
{
	return cg_ctx_load(cg, ctx, (uint64_t)off, 8);
}

LLVMValueRef cg_usdt_arg(struct cg_ctx *cg, LLVMValueRef ctx, const struct arch_usdt_arg *a, LLVMValueRef *rc)
{
	switch (a->kind) {
	case ARCH_USDT_CONST:
		return size_ext(cg, cg_i64(cg, (uint64_t)a->value), a->size, a->is_signed);
	case ARCH_USDT_REG:
		return size_ext(cg, reg(cg, ctx, a->reg_off), a->size, a->is_signed);
	case ARCH_USDT_MEM: {
		LLVMValueRef addr = cg_i64(cg, (uint64_t)a->value);
		if (a->reg_off >= 0)
			addr = LLVMBuildAdd(cg->b, addr, reg(cg, ctx, a->reg_off), "");
		if (a->index_off >= 0)
			addr = LLVMBuildAdd(cg->b, addr,
					    LLVMBuildMul(cg->b, reg(cg, ctx, a->index_off), cg_i64(cg, a->scale), ""), "");
		LLVMValueRef tmp = cg_alloca(cg, cg->t_i64, "usdt.arg");
		LLVMBuildStore(cg->b, cg_i64(cg, 0), tmp);
		LLVMValueRef r = cg_probe_read(cg, true, false, tmp, a->size, addr);
		if (rc)
			*rc = r;
		return size_ext(cg, LLVMBuildLoad2(cg->b, cg->t_i64, tmp, ""), a->size, a->is_signed);
	}
	}
	return cg_i64(cg, 0);
}
