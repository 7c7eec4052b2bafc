/* cg_builtins_kernel: the emit functions of the builtins that need a kernel feature or --unsafe
 * (write_user, override, socket_cookie, skboutput, percpu_kaddr; checked in sema/builtins_kernel.c). */
#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>

#include "program/program.h"
#include "codegen/cg_builtins.h"

/* write_user(dst, src, len): bpf_probe_write_user(dst, src's bytes, len) == 0, len cut to src's size
 * (sema_call.index) so that the verifier sees it bounded */
struct cg_val cg_bi_write_user(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef dst = cg_scalar(L, n->u.call.args.items[0]);
	struct cg_val src = cg_expr(L, n->u.call.args.items[1]);
	LLVMValueRef len = LLVMBuildAnd(B, cg_scalar(L, n->u.call.args.items[2]), cg_i64(cg, UINT32_MAX), "len");
	LLVMValueRef size = cg_i64(cg, (uint64_t)c->index);

	if (!src.mem) { /* sema allows only values in memory; keep going with the scalar's bytes */
		LLVMValueRef p = cg_temp(L, 8, "write_user");

		LLVMBuildStore(B, src.v, p);
		src = cg_val_mem(p);
		size = cg_i64(cg, 8);
	}
	len = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntUGT, len, size, ""), size, len, "len");
	LLVMValueRef a[3] = {LLVMBuildIntToPtr(B, dst, cg->t_ptr, "dst"), src.v, len};
	LLVMValueRef rc = cg_helper(cg, CG_H_probe_write_user, a, 3);
	return cg_val_scalar(LLVMBuildZExt(B, LLVMBuildICmp(B, LLVMIntEQ, rc, cg_i64(cg, 0), ""), cg->t_i64, ""));
}

/* override(rc): bpf_override_return(ctx, rc) */
struct cg_val cg_bi_override(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef a[2] = {cg->fn_ctx, cg_scalar(L, n->u.call.args.items[0])};

	(void)c;
	cg_helper(cg, CG_H_override_return, a, 2);
	return cg_val_scalar(cg_i64(cg, 0));
}

/* socket_cookie(sk): bpf_get_socket_cookie(sk); the kernel wants sk as the typed kernel pointer the
 * context gave (args.sk, or a struct sock pointer member reached through one: see cg_btf_ptr) */
struct cg_val cg_bi_socket_cookie(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_node *sk = n->u.call.args.items[0];
	LLVMValueRef p = cg_btf_ptr(L, sk);

	(void)c;
	if (!p) {
		cg_error(L, sk, "socket_cookie() needs the struct sock pointer as the probe's arguments give it (args.sk, "
			 "or a member reached through them), which the kernel knows the type of");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	LLVMValueRef a[1] = {LLVMBuildIntToPtr(cg->b, p, cg->t_ptr, "sk")};
	return cg_val_scalar(cg_helper(cg, CG_H_get_socket_cookie, a, 1));
}

/* skboutput(path, skb, length, offset): bpf_skb_output(skb, et_skb_output, length << 32 |
 * BPF_F_CURRENT_CPU, &hdr, sizeof(hdr)) with hdr a struct et_skb_hdr: the kernel copies length bytes
 * of the packet (from skb->data, paged parts included) after the header into this CPU's perf buffer,
 * or fails with -EFAULT when the packet is shorter. The result as bpftrace types it, a uint32. */
struct cg_val cg_bi_skboutput(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *skb = n->u.call.args.items[1];
	LLVMValueRef p = cg_btf_ptr(L, skb);

	if (!p || !L->skb_map) {
		cg_error(L, skb, "skboutput() needs the struct sk_buff pointer as the probe's arguments give it "
			 "(args.skb, or a member reached through them), which the kernel knows the type of");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	/* the kernel reads the length from the flags' upper 32 bits: the header says the same length */
	LLVMValueRef len = LLVMBuildAnd(B, cg_scalar(L, n->u.call.args.items[2]), cg_i64(cg, UINT32_MAX), "len");
	LLVMValueRef hdr = cg_temp(L, sizeof(struct et_skb_hdr), "skb_hdr");

	LLVMBuildStore(B, cg_i64(cg, (uint64_t)c->index), cg_gep(cg, hdr, offsetof(struct et_skb_hdr, id)));
	LLVMBuildStore(B, cg_helper(cg, CG_H_ktime_get_boot_ns, NULL, 0),
		       cg_gep(cg, hdr, offsetof(struct et_skb_hdr, boot_ns)));
	LLVMBuildStore(B, len, cg_gep(cg, hdr, offsetof(struct et_skb_hdr, len)));
	LLVMValueRef flags = LLVMBuildOr(B, LLVMBuildShl(B, len, cg_i64(cg, 32), ""), cg_i64(cg, BPF_F_CURRENT_CPU),
					 "flags");
	LLVMValueRef a[5] = {LLVMBuildIntToPtr(B, p, cg->t_ptr, "skb"), L->skb_map, flags, hdr,
			     cg_i64(cg, sizeof(struct et_skb_hdr))};
	LLVMValueRef rc = cg_helper(cg, CG_H_skb_output, a, 5);
	return cg_val_scalar(LLVMBuildAnd(B, rc, cg_i64(cg, UINT32_MAX), "skboutput"));
}

/* percpu_kaddr(name[, cpu]): the kernel's per_cpu_ptr(): the variable's address (the argument's sym)
 * plus __per_cpu_offset[cpu] (its address: sema_call.expr), read from the kernel; 0 for a CPU past the
 * possible ones (etrace_ncpus), as bpf_per_cpu_ptr gives NULL there. */
struct cg_val cg_bi_percpu_kaddr(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct sema_const *k = n->u.call.args.items[0]->sym;
	LLVMValueRef var = cg_i64(cg, k ? (uint64_t)k->value : 0), offsets = cg_scalar(L, c->expr);
	LLVMValueRef cpu, ncpus, slot, off, addr;

	if (n->u.call.args.count > 1) /* bpftrace casts cpu to uint32 */
		cpu = LLVMBuildAnd(B, cg_scalar(L, n->u.call.args.items[1]), cg_i64(cg, UINT32_MAX), "cpu");
	else
		cpu = LLVMBuildAnd(B, cg_smp_processor_id(cg), cg_i64(cg, UINT32_MAX), "cpu");
	ncpus = LLVMBuildLoad2(B, cg->t_i64, cg_rodata_u64(cg, "etrace_ncpus"), "ncpus");
	LLVMSetVolatile(ncpus, 1);
	slot = cg_temp(L, 8, "percpu_off");
	LLVMBasicBlockRef read = cg_block(cg, "percpu.read"), done = cg_block(cg, "percpu.done");
	LLVMBasicBlockRef from = LLVMGetInsertBlock(B);
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, cpu, ncpus, ""), read, done);
	LLVMPositionBuilderAtEnd(B, read);
	cg_probe_read(cg, false, false, slot, 8, LLVMBuildAdd(B, offsets, LLVMBuildShl(B, cpu, cg_i64(cg, 3), ""), ""));
	off = LLVMBuildLoad2(B, cg->t_i64, slot, "off");
	addr = LLVMBuildAdd(B, var, off, "percpu");
	LLVMBasicBlockRef read_end = LLVMGetInsertBlock(B);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	return cg_val_scalar(cg_phi2(cg, cg->t_i64, "percpu_kaddr", cg_i64(cg, 0), from, addr, read_end));
}
