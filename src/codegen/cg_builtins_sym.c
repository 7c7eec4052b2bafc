/* cg_builtins_sym: the builtins printed as code locations or used as addresses: kstack, ustack, func,
 * ksym(), usym(), kaddr(), uaddr(), kptr(), uptr(). See cg_builtins.h. */
#include <stdint.h>

#include "probes/arch/arch.h"
#include "codegen/cg_builtins.h"

/* A user address as the runtime resolves it: (addr, pid) in the 16 bytes at p; the runtime finds the
 * process's mappings in /proc/PID/maps. */
static struct cg_val user_addr(struct cg_lower *L, LLVMValueRef p, LLVMValueRef addr)
{
	struct cg_ctx *cg = L->cg;

	LLVMBuildStore(cg->b, addr, p);
	LLVMBuildStore(cg->b, LLVMBuildLShr(cg->b, cg_get_pid_tgid(cg), cg_i64(cg, 32), ""), cg_gep(cg, p, 8));
	return cg_val_mem(p);
}

/* len(kstack), len(ustack): the frames bpf_get_stack writes (bytes / 8, 0 on failure), at most the
 * stack's depth, with the flags and the context that kstack/ustack's bpf_get_stackid uses, so it
 * counts the frames they print */
LLVMValueRef cg_stack_frames(struct cg_lower *L, const struct et_type *t)
{
	struct cg_ctx *cg = L->cg;
	uint32_t depth = t->count ? t->count : ET_STACK_MAX_DEPTH;
	LLVMValueRef buf = cg_temp(L, depth * 8, "stack");
	LLVMValueRef a[4] = {cg->fn_ctx, buf, cg_i64(cg, depth * 8),
			     cg_i64(cg, t->kind == ET_USTACK ? 1u << 8 /* BPF_F_USER_STACK */ : 0)};
	LLVMValueRef bytes = cg_helper(cg, CG_H_get_stack, a, 4);
	LLVMValueRef neg = LLVMBuildICmp(cg->b, LLVMIntSLT, bytes, cg_i64(cg, 0), "");

	return LLVMBuildSelect(cg->b, neg, cg_i64(cg, 0), LLVMBuildUDiv(cg->b, bytes, cg_i64(cg, 8), ""), "frames");
}

/* bpf_get_stackid into the shared stack map (ET_STACK_MAP_NAME, made at its first use); a negative id
 * prints as no frames. When the program takes len() of stored stacks, a good id carries the frame count
 * of the stack of type t (et_program.stack_frames). */
static LLVMValueRef stack_id(struct cg_lower *L, bool user, const struct et_type *t)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef map = LLVMGetNamedGlobal(cg->mod, ET_STACK_MAP_NAME);

	if (!map) {
		struct et_type u32 = {.kind = ET_INT, .size = 4};
		map = cg_map_define(cg, ET_STACK_MAP_NAME, 7 /* BPF_MAP_TYPE_STACK_TRACE */, cg_di_type(cg, &u32),
				    cg_di_bytes(cg, ET_STACK_MAX_DEPTH * 8), ET_STACK_MAP_ENTRIES);
	}
	LLVMValueRef a[3] = {cg->fn_ctx, map, cg_i64(cg, user ? 1u << 8 /* BPF_F_USER_STACK */ : 0)};
	LLVMValueRef id = cg_helper(cg, CG_H_get_stackid, a, 3);

	if (!L->prog->stack_frames || !t)
		return id;
	LLVMValueRef frames = LLVMBuildShl(cg->b, cg_stack_frames(L, t), cg_i64(cg, ET_STACK_FRAMES_SHIFT), "");
	LLVMValueRef bad = LLVMBuildICmp(cg->b, LLVMIntSLT, id, cg_i64(cg, 0), "");

	return LLVMBuildSelect(cg->b, bad, id, LLVMBuildOr(cg->b, id, frames, ""), "stack.id");
}

struct cg_val cg_bi_kstack(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)c;
	return cg_val_scalar(stack_id(L, false, n->type));
}

/* (stack id, pid), so that the runtime can find the process's mappings */
struct cg_val cg_bi_ustack(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	LLVMValueRef id = stack_id(L, true, n->type);

	(void)c;
	return user_addr(L, cg_temp(L, 16, "ustack"), id);
}

/* the traced function: ET_KSYM (an address) or ET_USYM */
struct cg_val cg_bi_func(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;

	(void)c;
	if (L->pctx == PROVIDER_CTX_RAW_ARGS) { /* fentry/fexit: the traced function's address */
		LLVMValueRef a1[1] = {cg->fn_ctx};
		return cg_val_scalar(cg_helper(cg, CG_H_get_func_ip, a1, 1));
	}
	if (L->pctx != PROVIDER_CTX_PT_REGS) {
		cg_error(L, n, "func is not available in this probe");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	if (n->type && n->type->kind == ET_USYM && L->probe->func && L->probe->target) {
		/* a uprobe's function, known per probe (for uretprobes the ip is the return address):
		 * (probe index, UINT64_MAX), which the runtime prints as that probe's func */
		LLVMValueRef p = cg_temp(L, 16, "usym");
		LLVMBuildStore(cg->b, L->probe_arg ? L->probe_arg : cg_i64(cg, L->probe_index), p);
		LLVMBuildStore(cg->b, cg_i64(cg, UINT64_MAX), cg_gep(cg, p, 8));
		return cg_val_mem(p);
	}
	LLVMValueRef ip = cg_ctx_u64(L, arch_current()->pc_offset);
	if (n->type && n->type->kind == ET_USYM)
		return user_addr(L, cg_temp(L, 16, "usym"), ip);
	return cg_val_scalar(ip);
}

/* ksym(addr): the address, printed as a kernel symbol */
struct cg_val cg_bi_ksym(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)c;
	return cg_val_scalar(cg_scalar(L, n->u.call.args.items[0]));
}

/* usym(addr): (addr, pid) */
struct cg_val cg_bi_usym(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	LLVMValueRef p = cg_temp(L, 16, "usym");

	(void)c;
	return user_addr(L, p, cg_scalar(L, n->u.call.args.items[0]));
}

/* kaddr("sym"), uaddr("sym"): resolved by sema, the address is a constant */
struct cg_val cg_bi_addr(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	const struct sema_const *k = n->u.call.args.items[0]->sym;

	(void)c;
	return cg_val_scalar(cg_i64(L->cg, k ? (uint64_t)k->value : 0));
}

/* kptr(p), uptr(p): only the type changes (its address space) */
struct cg_val cg_bi_ptr(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)c;
	return cg_val_scalar(cg_scalar(L, n->u.call.args.items[0]));
}
