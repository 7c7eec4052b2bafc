/* cg_ctx: the low-level layer of codegen, shared by the cg_*.c files and the codegen unit tests.
 * One struct cg_ctx owns every piece of LLVM state of one compilation: the LLVM context, the module
 * (target bpfel, CPU v3), the IR builder, the DIBuilder with its compile unit (full DWARF, so that the
 * BPF backend emits BTF), and the target machine. On top of it:
 *   - maps:     BTF-defined maps in ".maps" (cg_maps.c), u64 globals in ".rodata" (cg_rodata_u64);
 *   - programs: one function `i32 name(ptr ctx)` per BPF program with a subprogram and a named
 *               parameter variable (cg_func_begin/cg_func_end), static subprograms (cg_subprog_begin)
 *               and for_each_map_elem callbacks (cg_callback_begin), debug locations (cg_set_loc);
 *   - helpers:  one small wrapper per BPF helper, all built on cg_helper() (cg_helpers.c,
 *               bpf_helpers.def);
 *   - emit:     finalize debug info, verify, run default<O2>, emit an ELF object to memory (cg_emit.c).
 * Memory: cg_ctx_free() releases everything (NULL-safe); cg_emit() hands back a malloc'ed buffer that
 * the caller frees. LLVM messages are disposed as soon as they are copied.
 * Failure: int functions return 0 or a negative errno, pointer functions NULL + errno; the reason for
 * an LLVM failure (verifier or emit message) is kept in cg->error (malloc'ed, freed by cg_ctx_free). */
#ifndef ET_CG_CTX_H
#define ET_CG_CTX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/TargetMachine.h>

struct et_type;
struct arch_usdt_arg;

struct cg_ctx {
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMDIBuilderRef dib;
	LLVMTargetMachineRef tm;
	LLVMMetadataRef di_file, di_cu;
	LLVMMetadataRef di_int, di_u64, di_char; /* common debug types */
	LLVMTypeRef t_void, t_i1, t_i8, t_i16, t_i32, t_i64, t_ptr;
	/* the function being generated (between cg_func_begin and cg_func_end) */
	LLVMValueRef fn;
	LLVMValueRef fn_ctx;          /* its context argument */
	LLVMBasicBlockRef fn_entry;   /* allocas go at its start */
	LLVMMetadataRef fn_sp;        /* its DISubprogram */
	char *error;                  /* first LLVM failure message, malloc'ed, or NULL */
	unsigned llvm_errors;         /* errors LLVM reported through the diagnostic handler */
};

/* Context: module named `name`, target bpfel/v3. NULL + errno (ENOENT: no BPF target in this LLVM). */
struct cg_ctx *cg_ctx_new(const char *name);
void cg_ctx_free(struct cg_ctx *cg);

/* ---- debug types and locations ---- */
/* The debug (→ BTF) type describing `t`'s bytes: integers as base types, strings as char arrays,
 * tuples/records/structs as structs of their fields, aggregations as their u64 layouts. */
LLVMMetadataRef cg_di_type(struct cg_ctx *cg, const struct et_type *t);
/* Debug type of a byte blob of `size` bytes (u8 array). */
LLVMMetadataRef cg_di_bytes(struct cg_ctx *cg, uint32_t size);
/* Set the location of the instructions built next (inside the current function). line 0 = none. */
void cg_set_loc(struct cg_ctx *cg, uint32_t line, uint32_t col);

/* ---- maps and globals (cg_maps.c) ---- */
/* Define a BTF map `name` of BPF map type `map_type` (BPF_MAP_TYPE_*). key/value: debug types from
 * cg_di_type/cg_di_bytes; NULL for ring buffers (only type and max_entries are encoded). Returns the
 * map's global (pass it as the map argument of helpers), NULL + errno. */
LLVMValueRef cg_map_define(struct cg_ctx *cg, const char *name, unsigned map_type, LLVMMetadataRef key,
			   LLVMMetadataRef value, uint32_t max_entries);
/* The same in two steps, for a map whose sizes are known only after the code using it is built:
 * the global (key and value both present or both absent), then its BTF description. */
LLVMValueRef cg_map_global(struct cg_ctx *cg, const char *name, bool has_key_value);
void cg_map_btf(struct cg_ctx *cg, LLVMValueRef g, unsigned map_type, LLVMMetadataRef key, LLVMMetadataRef value,
		uint32_t max_entries);
/* A u64 global named `name` in ".rodata" (const volatile, initial value 0: user space sets it with
 * bpf_map__set_initial_value on the ".rodata" map before load). Returns the global. */
LLVMValueRef cg_rodata_u64(struct cg_ctx *cg, const char *name);
/* v behind an empty asm (libbpf's barrier_var): the optimiser cannot recompute it, so a stack
 * address used on both sides of helper calls stays in one callee-saved register (1 instruction per
 * use) instead of being rebuilt from r10 (2 instructions). */
LLVMValueRef cg_opaque(struct cg_ctx *cg, LLVMValueRef v);
/* A constant of `size` bytes (at least 8) named `name` in ".rodata" (made once): the u64 `first`, then
 * zeros. A read-only source for helpers that copy a value in (the value a map update inserts), so
 * that no temporary is built per event. */
LLVMValueRef cg_rodata_const(struct cg_ctx *cg, const char *name, uint64_t first, uint32_t size);
/* `size` bytes of `data` as a constant named `name` in ".rodata" (made once; later calls return it): a
 * table the program indexes. */
LLVMValueRef cg_rodata_bytes(struct cg_ctx *cg, const char *name, const void *data, uint32_t size);
/* An array of n u64 counters named `name` in ".bss" (made once, zero at load; the runtime reads it by
 * name through the BTF DATASEC ".bss"), and one atomic add of delta (an i64; NULL = 1) to element
 * `index`. A failure path (map full, ring buffer full, read fault) costs 3-4 instructions this way:
 * no key, no map lookup. */
LLVMValueRef cg_bss_counters(struct cg_ctx *cg, const char *name, uint32_t n);
void cg_counter_add(struct cg_ctx *cg, LLVMValueRef counters, uint32_t index, LLVMValueRef delta);
/* The license section ("license" = "GPL"). */
void cg_license(struct cg_ctx *cg, const char *license);

/* ---- program functions (cg_context.c) ---- */
/* Start `i32 name(ptr ctx)` in `section`, positioned in its entry block. line: where it is written. */
int cg_func_begin(struct cg_ctx *cg, const char *name, const char *section, uint32_t line);
/* A parameter (or the result) of a static function: its type, its debug type (for BTF), its name. */
struct cg_param {
	LLVMTypeRef ty;
	LLVMMetadataRef di;
	const char *name;
};
#define CG_MAX_PARAMS 5 /* BPF passes five arguments in registers */
/* Start a static function `ret name(params[0..n))` (never inlined when noinline), with the subprogram
 * the kernel's BTF wants, and make it the current function (fn_ctx NULL), positioned in its entry
 * block; the caller saves and restores the state of the function it was building. */
LLVMValueRef cg_static_begin(struct cg_ctx *cg, const char *name, uint32_t line, const struct cg_param *ret,
			     const struct cg_param *params, unsigned n, bool noinline);
/* Start a static, never inlined subprogram `i32 name(ptr ctx, i64 probe)` and make it the current
 * function: the body shared by several programs (each calls it with its probe index). */
LLVMValueRef cg_subprog_begin(struct cg_ctx *cg, const char *name, uint32_t line);
/* Start a static callback `long name(void *map, void *key, void *value, void *ctx)`
 * (bpf_for_each_map_elem), or with loop `long name(u64 index, void *ctx)` (bpf_loop), and make it the
 * current function (fn_ctx NULL); the caller saves and restores the state of the function it was
 * building. Its last parameter is the callback context. */
LLVMValueRef cg_callback_begin(struct cg_ctx *cg, const char *name, uint32_t line, bool loop);
/* A callback whose body only returns the constant `ret` (NULL: 0), built aside without disturbing the
 * current function; made once per module, later calls return it. */
LLVMValueRef cg_callback(struct cg_ctx *cg, const char *name, LLVMValueRef ret);
/* Add `ret i32 0` if the current block is open; forget the function. */
void cg_func_end(struct cg_ctx *cg);
/* An alloca of `ty` (align 8) at the start of the current function's entry block. */
LLVMValueRef cg_alloca(struct cg_ctx *cg, LLVMTypeRef ty, const char *name);
/* A byte array type of n bytes. */
LLVMTypeRef cg_bytes_type(struct cg_ctx *cg, uint32_t n);
/* memset(p, 0, n) / memcpy(dst, src, n) at the builder position (alignment 1). */
void cg_memzero(struct cg_ctx *cg, LLVMValueRef p, uint32_t n);
void cg_memzero8(struct cg_ctx *cg, LLVMValueRef p, uint32_t n); /* p is 8-byte aligned */
/* The same as volatile stores, which the optimiser never joins with its neighbours: many zeroed slots
 * side by side in one region would otherwise become one memset too large for the BPF backend. */
void cg_memzero8_apart(struct cg_ctx *cg, LLVMValueRef p, uint32_t n);
void cg_memcpy(struct cg_ctx *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t n);
/* Reads of the program's context (ctx: the function's context pointer). The verifier accepts a
 * context load only as one instruction `*(size *)(ctx + constant)` on the unmodified pointer, but the
 * optimiser shares an address computed once (ctx + 8 kept in a register for two reads of the same
 * field: "dereference of modified ctx ptr"). cg_ctx_load reads `size` bytes (1, 2, 4, 8; zero-extended
 * to i64) at ctx + off through llvm.preserve.static.offset, which the BPF backend folds into exactly
 * that instruction at every use; cg_ctx_copy copies n bytes from ctx + off to dst (8-byte aligned) with
 * such loads, each naturally aligned (the tracepoint context refuses misaligned reads). */
LLVMValueRef cg_ctx_load(struct cg_ctx *cg, LLVMValueRef ctx, uint64_t off, uint32_t size);
void cg_ctx_copy(struct cg_ctx *cg, LLVMValueRef dst, LLVMValueRef ctx, uint64_t off, uint32_t n);
/* i64 constant. */
LLVMValueRef cg_i64(struct cg_ctx *cg, uint64_t v);
/* p + off bytes */
LLVMValueRef cg_gep(struct cg_ctx *cg, LLVMValueRef p, uint64_t off);
/* A new basic block in the current function. */
LLVMBasicBlockRef cg_block(struct cg_ctx *cg, const char *name);
/* True when the builder's current block already ends with a terminator. */
bool cg_block_closed(struct cg_ctx *cg);
/* At the start of the current block, where two paths join: a phi of type ty that is a when control came
 * from block from_a and b when it came from from_b. */
LLVMValueRef cg_phi2(struct cg_ctx *cg, LLVMTypeRef ty, const char *name, LLVMValueRef a,
		     LLVMBasicBlockRef from_a, LLVMValueRef b, LLVMBasicBlockRef from_b);

/* ---- helpers (cg_helpers.c) ---- */
enum cg_helper {
#define X(name, ret_ptr) CG_H_##name,
#include "codegen/bpf_helpers.def"
#undef X
	CG_H_COUNT
};
/* Call helper h with n args (already i64 or ptr); returns i64 or ptr as the table says. */
LLVMValueRef cg_helper(struct cg_ctx *cg, enum cg_helper h, LLVMValueRef *args, unsigned n);

LLVMValueRef cg_map_lookup(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef key_ptr);
LLVMValueRef cg_map_update(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef key_ptr, LLVMValueRef val_ptr,
			   uint64_t flags);
LLVMValueRef cg_map_delete(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef key_ptr);
LLVMValueRef cg_ringbuf_reserve(struct cg_ctx *cg, LLVMValueRef map, uint64_t size);
void cg_ringbuf_submit(struct cg_ctx *cg, LLVMValueRef rec, uint64_t flags);
/* Submit `rec` (rec_bytes in the ring, 8-byte header included) without waking the reader, except when
 * the unread data of `map` (bpf_ringbuf_query BPF_RB_AVAIL_DATA) crosses a multiple of wake_bytes (a
 * power of two): wake-ups batched by size, the reader's tick covers the rest. */
void cg_ringbuf_submit_batched(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef rec, uint64_t rec_bytes,
			       uint64_t wake_bytes);
LLVMValueRef cg_ringbuf_output(struct cg_ctx *cg, LLVMValueRef map, LLVMValueRef data, uint64_t size,
			       uint64_t flags);
LLVMValueRef cg_get_pid_tgid(struct cg_ctx *cg);
LLVMValueRef cg_get_uid_gid(struct cg_ctx *cg);
LLVMValueRef cg_get_comm(struct cg_ctx *cg, LLVMValueRef buf, uint32_t size);
LLVMValueRef cg_ktime_ns(struct cg_ctx *cg);
LLVMValueRef cg_smp_processor_id(struct cg_ctx *cg);
LLVMValueRef cg_prandom_u32(struct cg_ctx *cg);
LLVMValueRef cg_cgroup_id(struct cg_ctx *cg);
LLVMValueRef cg_current_task(struct cg_ctx *cg);
/* The same task as a pointer the verifier knows as `struct task_struct *` (Linux 5.11) */
LLVMValueRef cg_current_task_btf(struct cg_ctx *cg);
LLVMValueRef cg_send_signal(struct cg_ctx *cg, LLVMValueRef sig, bool thread);
/* d_path(path, buf, size): path is an i64 the verifier must know as a kernel `struct path` pointer */
LLVMValueRef cg_d_path(struct cg_ctx *cg, LLVMValueRef path, LLVMValueRef buf, uint32_t size);
/* probe_read_{kernel,user}[_str](dst, size, src) */
LLVMValueRef cg_probe_read(struct cg_ctx *cg, bool user, bool str, LLVMValueRef dst, uint32_t size,
			   LLVMValueRef src);

/* ---- USDT (cg_usdt.c) ---- */
/* The value of a USDT argument (probes/arch/arch.h) as an i64, from the pt_regs context `ctx`; for an
 * argument in memory, *rc (when rc is not NULL) is the read's return code, else it is left as it is. */
LLVMValueRef cg_usdt_arg(struct cg_ctx *cg, LLVMValueRef ctx, const struct arch_usdt_arg *a, LLVMValueRef *rc);

/* ---- emit (cg_emit.c) ---- */
/* Finalize debug info, verify the module, optimise (default<O2>), emit an ELF object.
 * dump: when non-NULL, the optimised IR is printed there. *out is malloc'ed. */
int cg_emit(struct cg_ctx *cg, void **out, size_t *size, void *dump /* FILE * */);
/* Print the module as it is now (before cg_emit optimises it: -d codegen) to out, a FILE *. */
void cg_print_ir(struct cg_ctx *cg, void *out);

#endif
