/* cg_builtins_ctx: the builtins read from the probe's context: argN (pt_regs, raw argument slots, usdt
 * operands), args (the tracepoint's record, fentry's arguments), retval and reg(). See cg_builtins.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probes/arch/arch.h"
#include "codegen/cg_builtins.h"

/* argN of a usdt site: the N-th spec of its note (probes of one group share their specs). */
static struct cg_val usdt_arg(struct cg_lower *L, struct ast_node *n, uint32_t idx)
{
	const char *a = L->probe->usdt_args;
	struct arch_usdt_arg u;
	char spec[128];
	uint32_t i = 0;
	int err;

	for (;;) {
		size_t len;

		a += strspn(a, " ");
		if (!*a)
			break;
		len = strcspn(a, " ");
		if (i++ == idx) {
			snprintf(spec, sizeof(spec), "%.*s", (int)len, a);
			err = arch_usdt_arg_parse(spec, &u);
			if (err) {
				cg_error(L, n, "arg%u of %s: cannot read the argument '%s'%s", idx, L->probe->name, spec,
					 err == -ENOTSUP ? " (a symbol-relative operand)" : "");
				return cg_val_scalar(cg_i64(L->cg, 0));
			}
			LLVMValueRef rc = NULL, v = cg_usdt_arg(L->cg, L->cg->fn_ctx, &u, &rc);
			if (rc)
				cg_check_helper(L, rc, "probe_read_user");
			return cg_val_scalar(v);
		}
		a += len;
	}
	cg_error(L, n, "arg%u is beyond the arguments of %s", idx, L->probe->name);
	return cg_val_scalar(cg_i64(L->cg, 0));
}

/* argN: sema_call.index = N */
struct cg_val cg_bi_argn(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	uint32_t idx = (uint32_t)c->index;

	if (L->probe->usdt_args)
		return usdt_arg(L, n, idx);
	switch (L->pctx) {
	case PROVIDER_CTX_PT_REGS: {
		int off = arch_arg_offset(idx);
		if (off < 0)
			break;
		return cg_val_scalar(cg_ctx_u64(L, (uint32_t)off));
	}
	case PROVIDER_CTX_RAW_ARGS:
		return cg_val_scalar(cg_ctx_arg(L, idx * 8, NULL));
	default:
		break;
	}
	cg_error(L, n, "arg%u is not available in this probe", idx);
	return cg_val_scalar(cg_i64(L->cg, 0));
}

LLVMValueRef cg_uprobe_arg(struct cg_lower *L, uint32_t idx)
{
	struct cg_ctx *cg = L->cg;
	const struct arch_info *ai = arch_current();
	int off = arch_arg_offset(idx);

	if (off >= 0)
		return cg_ctx_u64(L, (uint32_t)off);
	/* on the stack at function entry: the return address at sp, then arguments nargs, nargs + 1, ... */
	LLVMValueRef addr = LLVMBuildAdd(cg->b, cg_ctx_u64(L, ai->sp_offset),
					 cg_i64(cg, 8 * (uint64_t)(idx - ai->nargs + 1)), "");
	return LLVMBuildLoad2(cg->b, cg->t_i64, cg_read_mem(L, addr, 8, true, NULL), "stack.arg");
}

bool cg_is_uprobe_args(const struct cg_lower *L, const struct ast_node *n)
{
	const struct sema_call *c = n && (n->kind == AST_IDENT || n->kind == AST_CALL) ? n->sym : NULL;

	return c && c->id == BI_ARGS && L->pctx == PROVIDER_CTX_PT_REGS;
}

/* Parameter f of a uprobe's args copied to dst (kernel/dwarf.h: it starts in slot f->offset / 8): the
 * eightbytes of its registers, or its bytes in the argument area on the stack. */
static void uprobe_param_into(struct cg_lower *L, LLVMValueRef dst, const struct et_field *f)
{
	struct cg_ctx *cg = L->cg;
	const struct arch_info *ai = arch_current();
	uint32_t slot = f->offset / 8, n = (f->type->size + 7) / 8;

	if (slot >= ai->nargs && n > 1) { /* a struct in memory: above the return address at sp */
		LLVMValueRef addr = LLVMBuildAdd(cg->b, cg_ctx_u64(L, ai->sp_offset),
						 cg_i64(cg, 8 * (uint64_t)(slot - ai->nargs + 1)), "");
		cg_probe_read(cg, true, false, dst, 8 * n, addr);
		return;
	}
	for (uint32_t k = 0; k < n; k++)
		LLVMBuildStore(cg->b, cg_uprobe_arg(L, slot + k), cg_gep(cg, dst, 8 * k));
}

struct cg_val cg_uprobe_param(struct cg_lower *L, const struct et_field *f)
{
	LLVMValueRef buf = cg_buf(L, (f->type->size + 7) / 8 * 8, "uparam");

	uprobe_param_into(L, buf, f);
	return cg_val_mem(buf);
}

/* uprobe: the record of the arguments, built on the stack, each parameter at its slot's offset (as
 * sema lays it out); zeroed first when slots between parameters are unused, so that no stray bytes
 * reach a map key or value */
static struct cg_val uprobe_args(struct cg_lower *L, const struct et_type *t)
{
	struct cg_ctx *cg = L->cg;
	bool gaps = false;
	LLVMValueRef buf;

	for (uint32_t k = 0; k < t->size && !gaps; k += 8) {
		gaps = true;
		for (uint32_t i = 0; i < t->nfields && gaps; i++)
			gaps = k < t->fields[i].offset || k >= t->fields[i].offset + t->fields[i].type->size;
	}
	buf = gaps ? cg_temp(L, t->size, "uargs") : cg_buf(L, t->size, "uargs");
	for (uint32_t i = 0; i < t->nfields; i++)
		uprobe_param_into(L, cg_gep(cg, buf, t->fields[i].offset), &t->fields[i]);
	return cg_val_mem(buf);
}

/* the whole record, copied out: see cg_ctx_btf_typed; a tracepoint's first 8 bytes may not be loaded
 * directly, and no pointer into the context is handed on (cg_ctx_load) */
struct cg_val cg_bi_args(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;

	(void)c;
	if (cg_is_uprobe_args(L, n) && n->type && n->type->kind == ET_STRUCT)
		return uprobe_args(L, n->type);
	if ((cg_ctx_btf_typed(L) || cg_is_ctx_record(L, n)) && n->type && n->type->size)
		return cg_val_mem(cg_read_mem(L, cg_opaque(cg, LLVMBuildPtrToInt(cg->b, cg->fn_ctx, cg->t_i64, "")),
					      n->type->size, false, NULL));
	cg_error(L, n, "args is not available in this probe");
	return cg_val_scalar(cg_i64(cg, 0));
}

struct cg_val cg_bi_retval(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	if (L->pctx == PROVIDER_CTX_PT_REGS) { /* typed from DWARF in uretprobes (sema) */
		LLVMValueRef v = cg_ctx_u64(L, arch_current()->ret_offset);
		if (n->type && n->type->kind == ET_INT)
			v = cg_narrow(L, v, n->type->size, n->type->is_signed);
		return cg_val_scalar(v);
	}
	if (L->pctx == PROVIDER_CTX_RAW_ARGS) { /* fexit: after the arguments (sema: index) */
		LLVMValueRef v = cg_ctx_arg(L, (uint32_t)c->index * 8, n->type);
		if (n->type && n->type->kind == ET_INT)
			v = cg_narrow(L, v, n->type->size, n->type->is_signed);
		return cg_val_scalar(v);
	}
	cg_error(L, n, "retval is not available in this probe");
	return cg_val_scalar(cg_i64(L->cg, 0));
}

/* usermode: 1 when the interrupted code ran in ring 3 (cs & 3 == 3; sema_call.index = cs' offset). A
 * perf event's context starts with the pt_regs too. */
struct cg_val cg_bi_usermode(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;

	if (L->pctx != PROVIDER_CTX_PT_REGS && L->pctx != PROVIDER_CTX_PERF_EVENT) {
		cg_error(L, n, "usermode is not available in this probe: it reads the registers of kprobe, uprobe, "
			       "usdt and profile probes");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	LLVMValueRef cs = cg_ctx_u64(L, (uint32_t)c->index);
	LLVMValueRef ring3 = LLVMBuildICmp(cg->b, LLVMIntEQ, LLVMBuildAnd(cg->b, cs, cg_i64(cg, 3), ""),
					   cg_i64(cg, 3), "usermode");
	return cg_val_scalar(LLVMBuildZExt(cg->b, ring3, cg->t_i64, ""));
}

/* reg("name"): sema_call.index = the register's offset in pt_regs */
struct cg_val cg_bi_reg(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	(void)n;
	return cg_val_scalar(cg_ctx_u64(L, (uint32_t)c->index));
}
