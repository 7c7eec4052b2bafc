/* cg_helpers: BPF helper calls. A helper is called through `inttoptr (i64 id) to ptr` with the
 * helper's id from <linux/bpf.h>; bpf_helpers.def lists the helpers and whether they return a
 * pointer. Map arguments are the map globals themselves. One small wrapper per helper. */
#include <linux/bpf.h>

#include "codegen/cg_ctx.h"

static const struct {
	unsigned id;
	bool ret_ptr;
	const char *name;
} helpers[CG_H_COUNT] = {
#define X(name, ret_ptr) {BPF_FUNC_##name, ret_ptr, #name},
#include "codegen/bpf_helpers.def"
#undef X
};

LLVMValueRef cg_helper(struct cg_ctx *cg, enum cg_helper h, LLVMValueRef *args, unsigned n)
{
	LLVMTypeRef ptys[5];
	for (unsigned i = 0; i < n && i < 5; i++)
		ptys[i] = LLVMTypeOf(args[i]);
	LLVMTypeRef ret = helpers[h].ret_ptr ? cg->t_ptr : cg->t_i64;
	LLVMTypeRef fty = LLVMFunctionType(ret, ptys, n, 0);
	LLVMValueRef callee = LLVMBuildIntToPtr(cg->b, cg_i64(cg, helpers[h].id), cg->t_ptr, "");
	return LLVMBuildCall2(cg->b, fty, callee, args, n, helpers[h].name);
}

LLVMValueRef cg_map_lookup(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef key_ptr)
{
	LLVMValueRef a[2] = {map, key_ptr};
	return cg_helper(cg, CG_H_map_lookup_elem, a, 2);
}

/* The result of a map operation as a signed 64-bit errno. Before Linux 6.4 ("bpf: return long from
 * bpf_map_ops funcs") the verifier replaces these helper calls with direct calls of the map's own
 * update/delete op, which returned int: r0's upper half is then zero, and -E2BIG from a full map reads
 * as 4294967289, a success to `rc < 0`. Only the low 32 bits are meaningful (0 or -errno) on every
 * kernel, so sign-extend them. */
static LLVMValueRef map_op_result(struct cg_ctx *cg, LLVMValueRef rc)
{
	LLVMTypeRef i32 = LLVMInt32TypeInContext(cg->ctx);
	return LLVMBuildSExt(cg->b, LLVMBuildTrunc(cg->b, rc, i32, ""), cg->t_i64, "map.rc");
}

LLVMValueRef cg_map_update(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef key_ptr, LLVMValueRef val_ptr,
			   uint64_t flags)
{
	LLVMValueRef a[4] = {map, key_ptr, val_ptr, cg_i64(cg, flags)};
	return map_op_result(cg, cg_helper(cg, CG_H_map_update_elem, a, 4));
}

LLVMValueRef cg_map_delete(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef key_ptr)
{
	LLVMValueRef a[2] = {map, key_ptr};
	return map_op_result(cg, cg_helper(cg, CG_H_map_delete_elem, a, 2));
}

LLVMValueRef cg_ringbuf_reserve(struct cg_ctx *cg, LLVMValueRef map, uint64_t size)
{
	LLVMValueRef a[3] = {map, cg_i64(cg, size), cg_i64(cg, 0)};
	return cg_helper(cg, CG_H_ringbuf_reserve, a, 3);
}

void cg_ringbuf_submit(struct cg_ctx *cg, LLVMValueRef rec, uint64_t flags)
{
	LLVMValueRef a[2] = {rec, cg_i64(cg, flags)};
	cg_helper(cg, CG_H_ringbuf_submit, a, 2);
}

void cg_ringbuf_submit_batched(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef rec, uint64_t rec_bytes,
			       uint64_t wake_bytes)
{
	/* the reserved record is already counted in AVAIL_DATA: wake once each time the unread data
	 * crosses a multiple of wake_bytes, i.e. (avail - rec) / wake != avail / wake (wake a power of 2) */
	LLVMValueRef q[2] = {map, cg_i64(cg, BPF_RB_AVAIL_DATA)};
	LLVMValueRef avail = cg_helper(cg, CG_H_ringbuf_query, q, 2);
	LLVMValueRef before = LLVMBuildSub(cg->b, avail, cg_i64(cg, rec_bytes), "");
	LLVMValueRef mask = cg_i64(cg, ~(wake_bytes - 1));
	LLVMValueRef full = LLVMBuildICmp(cg->b, LLVMIntNE, LLVMBuildAnd(cg->b, avail, mask, ""),
					  LLVMBuildAnd(cg->b, before, mask, ""), "");
	LLVMValueRef a[2] = {rec, LLVMBuildSelect(cg->b, full, cg_i64(cg, BPF_RB_FORCE_WAKEUP),
						  cg_i64(cg, BPF_RB_NO_WAKEUP), "")};
	cg_helper(cg, CG_H_ringbuf_submit, a, 2);
}

LLVMValueRef cg_ringbuf_output(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef data, uint64_t size,
			       uint64_t flags)
{
	LLVMValueRef a[4] = {map, data, cg_i64(cg, size), cg_i64(cg, flags)};
	return cg_helper(cg, CG_H_ringbuf_output, a, 4);
}

LLVMValueRef cg_get_pid_tgid(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_current_pid_tgid, NULL, 0);
}

LLVMValueRef cg_get_uid_gid(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_current_uid_gid, NULL, 0);
}

LLVMValueRef cg_get_comm(struct cg_ctx *cg, LLVMValueRef buf, uint32_t size)
{
	LLVMValueRef a[2] = {buf, cg_i64(cg, size)};
	return cg_helper(cg, CG_H_get_current_comm, a, 2);
}

LLVMValueRef cg_ktime_ns(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_ktime_get_ns, NULL, 0);
}

LLVMValueRef cg_smp_processor_id(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_smp_processor_id, NULL, 0);
}

LLVMValueRef cg_prandom_u32(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_prandom_u32, NULL, 0);
}

LLVMValueRef cg_cgroup_id(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_current_cgroup_id, NULL, 0);
}

LLVMValueRef cg_current_task(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_current_task, NULL, 0);
}

LLVMValueRef cg_current_task_btf(struct cg_ctx *cg)
{
	return cg_helper(cg, CG_H_get_current_task_btf, NULL, 0);
}

LLVMValueRef cg_d_path(struct cg_ctx *cg, LLVMValueRef path, LLVMValueRef buf, uint32_t size)
{
	LLVMValueRef a[3] = {LLVMBuildIntToPtr(cg->b, path, cg->t_ptr, ""), buf, LLVMConstInt(cg->t_i32, size, 0)};
	return cg_helper(cg, CG_H_d_path, a, 3);
}

LLVMValueRef cg_send_signal(struct cg_ctx *cg, LLVMValueRef sig, bool thread)
{
	LLVMValueRef a[1] = {sig};
	return cg_helper(cg, thread ? CG_H_send_signal_thread : CG_H_send_signal, a, 1);
}

LLVMValueRef cg_probe_read(struct cg_ctx *cg, bool user, bool str, LLVMValueRef dst, uint32_t size,
			   LLVMValueRef src)
{
	static const enum cg_helper h[2][2] = {
	    {CG_H_probe_read_kernel, CG_H_probe_read_kernel_str},
	    {CG_H_probe_read_user, CG_H_probe_read_user_str},
	};
	if (LLVMGetTypeKind(LLVMTypeOf(src)) != LLVMPointerTypeKind)
		src = LLVMBuildIntToPtr(cg->b, src, cg->t_ptr, "");
	LLVMValueRef a[3] = {dst, LLVMConstInt(cg->t_i32, size, 0), src};
	return cg_helper(cg, h[user][str], a, 3);
}

LLVMValueRef cg_opaque(struct cg_ctx *cg, LLVMValueRef v)
{
	/* libbpf's barrier_var(): an empty asm that "changes" v in place */
	LLVMTypeRef ty = LLVMTypeOf(v);
	LLVMTypeRef fty = LLVMFunctionType(ty, &ty, 1, 0);
	LLVMValueRef asm_ = LLVMGetInlineAsm(fty, "", 0, "=r,0", 4, 0, 0, LLVMInlineAsmDialectATT, 0);
	return LLVMBuildCall2(cg->b, fty, asm_, &v, 1, "");
}
