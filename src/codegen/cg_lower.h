/* cg_lower: the state shared by the AST lowering files (cg_probe.c, cg_stmt.c, cg_expr.c, cg_agg.c,
 * cg_event.c, cg_builtins*.c). Internal to codegen.
 *
 * Values. An expression lowers to a struct cg_val:
 *   - a scalar (mem == false): an i64 holding the value extended to 64 bits by its own type's signedness
 *     (integers of every size, bools as 0/1, pointers, ksym, probe index, kstack...);
 *   - memory (mem == true): a pointer to the value's bytes laid out as its et_type says (strings,
 *     tuples, records, structs, arrays, usym, inet...). The bytes live in a temporary (cg_buf: the BPF
 *     stack up to CG_STACK_MAX bytes, else the probe's region of the per-CPU scratch map), in a
 *     variable's slot, or in the tracepoint context (args).
 * Functions. A probe's program (or the body several programs share, cg_probe.c) and each for-map
 * callback (cg_stmt.c) are built with the same entry → init → body layout; struct cg_frame saves and
 * restores the function being built when a callback is made in the middle of it.
 * Storing a value into a slot (map key/value, variable, tuple field, event argument) converts it to the
 * slot's type (cg_store): integers are truncated to the slot size, strings copied up to the smaller
 * capacity with the rest zeroed, tuples field by field.
 * Failure: a construct that cannot be lowered is reported to diag at its location and lowers to a
 * scalar 0 so that lowering goes on and reports further problems. */
#ifndef ET_CG_LOWER_H
#define ET_CG_LOWER_H
#include <stdbool.h>
#include <stdint.h>

#include "probes/provider.h"
#include "parser/ast.h"
#include "program/program.h"
#include "sema/sema.h"
#include "program/types.h"
#include "codegen/cg_ctx.h"

struct diag_sink;

struct cg_val {
	LLVMValueRef v;
	bool mem;
};

static inline struct cg_val cg_val_scalar(LLVMValueRef v)
{
	struct cg_val r = {v, false};
	return r;
}

static inline struct cg_val cg_val_mem(LLVMValueRef p)
{
	struct cg_val r = {p, true};
	return r;
}

#define CG_MAX_LOOPS 64

/* The state of one LLVM function being built: a probe's program, or a for-map callback. */
struct cg_frame {
	LLVMValueRef fn, fn_ctx;
	LLVMBasicBlockRef fn_entry, block;
	LLVMMetadataRef fn_sp, loc;
	LLVMValueRef scratch_base;
	LLVMBasicBlockRef init_bb;
};

/* A variable's slot: on the stack of the probe's function (ptr), or at an offset of the scratch
 * region (every variable of a probe with a for-map loop, so that its callbacks reach them too). */
struct cg_var {
	LLVMValueRef ptr;
	uint32_t off;
	uint8_t where; /* 0 not made yet, 1 stack, 2 scratch */
};
#define CG_STACK_MAX 16           /* larger temporaries live in the scratch map */
#define CG_STACK_BUDGET 256       /* stack bytes per probe for small temporaries; then the scratch map */
#define CG_SCRATCH_MAX (32u << 10) /* per-CPU value size limit of the kernel's allocator */

/* iter probes: the pointer members of ctx the body reads, at most this many 8-byte slots */
#define CG_ITER_PTRS 8

struct cg_lower {
	struct cg_ctx *cg;
	/* iter probes: ctx's pointer members (ctx->task...) loaded and checked for NULL at the program's
	 * start, by slot (offset / 8); NULL where the body reads none. Checked before any ring-buffer
	 * record is reserved, so that the early return on NULL leaks none (the verifier's rule). */
	LLVMValueRef iter_ptrs[CG_ITER_PTRS];
	struct et_program *prog;
	struct diag_sink *diag;
	LLVMValueRef *maps;        /* prog->maps[i] → map global */
	LLVMValueRef ringbuf;
	LLVMValueRef skb_map;      /* ET_SKB_MAP_NAME, the perf event array of skboutput(); or NULL */
	LLVMValueRef dropped;      /* ET_DROPPED_MAP_NAME: failed updates per map, .bss (cg_dropped.c) */
	LLVMValueRef read_faults;  /* ET_READ_FAULTS_MAP_NAME, .bss, made at its first use (cg_dropped.c) */
	/* scratch: per-CPU array, one value per AST probe (key = region), holding the temporaries and
	 * variables larger than CG_STACK_MAX bytes, which would not fit the 512-byte BPF stack */
	LLVMValueRef scratch;
	uint32_t scratch_size;     /* largest region used so far */
	uint32_t nregions;
	int errors;
	bool pid_filter;           /* cg_options.pid_filter */
	bool attach_cookies;       /* cg_options.attach_cookies */
	int helper_errors;         /* cg_options.helper_errors */
	struct et_loc site;        /* the node of the last cg_loc: where a failed helper call is reported */
	LLVMValueRef fail_fn;      /* the static function failures call (cg_fail), made at its first use */
	bool fail_fn_called;       /* ... and never inlined: some function calls it twice */
	bool quiet;                /* lowering a repeated copy of a probe body: no diagnostics */
	/* the probe being emitted */
	uint32_t probe_index;
	LLVMValueRef probe_arg;    /* in a body shared by several programs: the probe index parameter */
	const struct et_probe_desc *probe;
	enum provider_ctx pctx;
	uint32_t region;           /* scratch region (AST probe ordinal) */
	LLVMValueRef scratch_base; /* this function's scratch region (looked up in the entry block), or NULL */
	uint32_t scratch_off;      /* bytes of the region handed out in this function */
	uint32_t stack_used;       /* stack bytes handed out by cg_buf for this probe body (and callbacks) */
	LLVMBasicBlockRef init_bb; /* after the scratch lookup: variables are zeroed here */
	struct cg_var *vars;       /* sema_var id → slot */
	uint32_t nvars;
	bool vars_in_scratch;      /* the probe has a for-map loop */
	struct cg_frame *main;     /* inside a for-map callback: the probe function's saved frame */
	unsigned ncallbacks;       /* callbacks made for this probe (their names) */
	struct { LLVMBasicBlockRef brk, cont; } loops[CG_MAX_LOOPS]; /* brk NULL: a for-map callback */
	uint32_t nloops;
};

/* cg_probe.c */
void cg_error(struct cg_lower *L, const struct ast_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cg_loc(struct cg_lower *L, const struct ast_node *n);
/* The byte offset, in a for-map callback's context (a ctx pointer, then this i64), of the flag its
 * body sets when it returns from the probe. */
#define CG_CALLBACK_RETURNED 8
/* Return from the program (ret value, an i64 cut to 32 bits, or 0 when NULL; in a for-map callback: set
 * its returned flag and stop the iteration, the probe then returns 0) and continue in a fresh,
 * unreachable block. */
void cg_return(struct cg_lower *L, LLVMValueRef value);

/* cg_dropped.c: define the dropped-updates counters (when the program has maps). In a block reached only
 * when the update of prog->maps[map] failed with rc (i64, negative): count it (element `map`) and, unless
 * helper errors are off, send an ET_EV_HELPER_ERROR for map_update_elem at L->site with rc (cg_fail);
 * then go on at cont. */
int cg_dropped_define(struct cg_lower *L);
void cg_count_dropped(struct cg_lower *L, uint32_t map, LLVMValueRef rc, LLVMBasicBlockRef cont);
/* The same after a map update that returned rc (i64): a branch on rc < 0 (as a 32-bit int, as bpftrace
 * tests it) to the counting and the report; nothing more on success. */
void cg_count_failed_update(struct cg_lower *L, uint32_t map, LLVMValueRef rc);
/* Count a user-memory read whose helper `result` (i64) is negative in ET_READ_FAULTS_MAP_NAME (defined
 * by the first call), so the runtime reports reads that came out empty; under -k also send an
 * ET_EV_HELPER_ERROR for `helper` ("probe_read_user_str") at L->site with the code. */
void cg_count_read_fault(struct cg_lower *L, LLVMValueRef result, const char *helper);
/* -k only (bpftrace checks these helpers at warning level 2 only): when the helper `helper` returned a
 * negative rc (i64, as a 32-bit int), send an ET_EV_HELPER_ERROR for it at L->site with the code. */
void cg_check_helper(struct cg_lower *L, LLVMValueRef rc, const char *helper);
/* -k only: when a map lookup found nothing (p NULL), send bpftrace's map_lookup_elem helper error (code
 * 0) at L->site. */
void cg_check_lookup(struct cg_lower *L, LLVMValueRef p);
/* -k only: when missing (i1) holds, send `helper`'s error with code 0 at L->site (a key that is not
 * there; bpftrace's map_lookup_percpu_elem report, "Success" as strerror(0) words it). */
void cg_check_missing(struct cg_lower *L, LLVMValueRef missing, const char *helper);
/* At the current position: return 0 from the probe when ET_STOP_FLAG_NAME (defined by the first call) is
 * set; one load and a branch on the way on. */
void cg_stop_check(struct cg_lower *L);

/* cg_expr.c */
struct cg_val cg_expr(struct cg_lower *L, struct ast_node *n);
/* Scalar i64 of an expression (0 with a diagnostic when the value is not scalar). */
LLVMValueRef cg_scalar(struct cg_lower *L, struct ast_node *n);
/* The i1 truth of an expression (scalar != 0). */
LLVMValueRef cg_cond(struct cg_lower *L, struct ast_node *n);
bool cg_is_scalar_type(const struct et_type *t);
/* Load a value of type t from p (scalar: load and extend; else: p itself, or a copy when copy). */
struct cg_val cg_load(struct cg_lower *L, LLVMValueRef p, const struct et_type *t, bool copy);
/* Store v (of type vt) into the slot p of type st. */
void cg_store(struct cg_lower *L, LLVMValueRef p, const struct et_type *st, struct cg_val v,
	      const struct et_type *vt);
/* Evaluate n and store it into slot p of type st. */
void cg_store_expr(struct cg_lower *L, LLVMValueRef p, const struct et_type *st, struct ast_node *n);
/* Whether cg_store_expr(p, st, n) writes every byte of the slot that matters (so the slot need not be
 * zeroed first): integers; and, in a ring-buffer record, comm into a 16-byte string. */
bool cg_store_covers(const struct et_type *st, const struct ast_node *n, bool in_record);
/* comm as a map key without bpf_get_current_comm (see cg_expr.c): usable in this probe? Then
 * cg_comm_direct_raw writes current->comm's 16 bytes at p (8-byte aligned) as they are, and
 * cg_comm_mask turns them in place into exactly what the helper gives (zeros after the first NUL). */
bool cg_comm_direct_usable(const struct cg_lower *L);
void cg_comm_direct_raw(struct cg_lower *L, LLVMValueRef p);
void cg_comm_mask(struct cg_lower *L, LLVMValueRef p);
/* Save / switch to the state of a function being built (for-map callbacks). */
void cg_frame_save(struct cg_lower *L, struct cg_frame *f);
void cg_frame_restore(struct cg_lower *L, const struct cg_frame *f);
/* Slot of a variable (created zeroed on first use). */
LLVMValueRef cg_var_slot(struct cg_lower *L, const struct sema_var *v);
/* Uninitialised memory for a temporary of `size` bytes (8-aligned): the stack for small ones, the
 * scratch region for larger ones. cg_temp zeroes it at the builder's position. */
LLVMValueRef cg_buf(struct cg_lower *L, uint32_t size, const char *name);
LLVMValueRef cg_temp(struct cg_lower *L, uint32_t size, const char *name);
/* min(v, max) in a form the verifier can see: v goes through a volatile stack slot first, so the
 * optimiser cannot drop a bound it proved redundant (the verifier may not prove it). */
LLVMValueRef cg_clamp(struct cg_lower *L, LLVMValueRef v, uint64_t max);
/* a (op) b on 64-bit scalars with bpftrace semantics; is_signed: both operands signed. A division or
 * modulo by 0 gives 1 (bpftrace's result) and sends the runtime warning `zero_event` (-1: none; see
 * struct sema_div); cg_div_event(n) gives it for an AST_BINARY or AST_ASSIGN. */
LLVMValueRef cg_arith(struct cg_lower *L, enum ast_op op, LLVMValueRef a, LLVMValueRef b, bool is_signed,
		      int zero_event);
int cg_div_event(const struct ast_node *n);
/* How far p + 1 moves a pointer of type t, in bytes: the size of its pointee (1 for void *, as GNU C
 * and bpftrace have it); 1 when t is not a pointer (integer arithmetic). */
uint64_t cg_pointer_step(const struct et_type *t);

/* A tracepoint field `args.f` declared __data_loc (1) or __rel_loc (2) in the format file (the probes
 * module names such ET_INT fields' type "__data_loc ..."), else 0. Its value is the kernel address of
 * the data, so str(args.f) reads the string from the record. */
/* The field an AST_FIELD node reads in the probe being emitted (args.f lies at its own place in each
 * tracepoint's record or function's arguments: sema_field_of); NULL when n is no analysed field. */
const struct et_field *cg_field_of(const struct cg_lower *L, const struct ast_node *n);
int cg_data_loc_kind(const struct cg_lower *L, const struct ast_node *n);
/* Address space of expression n used as an address: 1 user, 0 kernel, -1 unknown (read kernel, then
 * user). Its origin decides (sema_addr_space; a __data_loc field is kernel); for a value without one
 * (an integer, a pointer cast from one) the attach point: user in uprobes/USDT and syscalls:*
 * tracepoints, else unknown. */
int cg_addr_space(struct cg_lower *L, const struct ast_node *n);
/* Read a NUL-terminated string (size: run-time i64 <= cap, or NULL for cap) at addr into dst; returns the
 * helper's result (bytes copied with the NUL, or a negative errno). */
LLVMValueRef cg_read_str(struct cg_lower *L, LLVMValueRef dst, uint32_t cap, LLVMValueRef size, LLVMValueRef addr,
			 int space);
/* Read `size` bytes at `addr` (kernel or user memory) into a stack temporary; under -k a read that
 * faults is reported at `at` (the field, index or dereference; NULL: L->site) by cg_check_helper. */
LLVMValueRef cg_read_mem(struct cg_lower *L, LLVMValueRef addr, uint32_t size, bool user, const struct ast_node *at);
/* v (an i64 holding `size` bytes) extended again from that size, by sign when is_signed. */
LLVMValueRef cg_narrow(struct cg_lower *L, LLVMValueRef v, uint32_t size, bool is_signed);
/* Equal strings up to n bytes (an i1); a string type's capacity (0 for other types). */
LLVMValueRef cg_str_equal(struct cg_lower *L, LLVMValueRef a, LLVMValueRef b, uint32_t n);
uint32_t cg_str_cap(const struct et_type *t);
/* The u64 at byte `off` of the probe's context. */
LLVMValueRef cg_ctx_u64(struct cg_lower *L, uint32_t off);
/* Argument idx (0-based) of a function at a uprobe (pt_regs context), as an i64: its register, or
 * beyond the register arguments its stack slot (x86-64 SysV: above the return address at sp). */
LLVMValueRef cg_uprobe_arg(struct cg_lower *L, uint32_t idx);
/* Parameter f of a uprobe's args (a struct by value: in one or two registers or on the stack, see
 * kernel/dwarf.h) copied to a stack temporary. */
struct cg_val cg_uprobe_param(struct cg_lower *L, const struct et_field *f);
/* Is n `args` of a uprobe, whose fields are the function's arguments (cg_uprobe_arg)? */
bool cg_is_uprobe_args(const struct cg_lower *L, const struct ast_node *n);
/* Is the probe's context typed by the verifier from BTF (fentry/fexit, tp_btf)? See cg_expr.c. */
bool cg_ctx_btf_typed(const struct cg_lower *L);
/* The u64 argument slot at byte `off` of a raw-argument context holding a value of type t (NULL:
 * unknown, as for argN), read as the verifier allows (cg_ctx_btf_typed). */
LLVMValueRef cg_ctx_arg(struct cg_lower *L, uint32_t off, const struct et_type *t);
/* Is n `args` read from the context record itself (a tracepoint's record, raw tracepoint slots)? */
bool cg_is_ctx_record(const struct cg_lower *L, const struct ast_node *n);
/* n as the typed kernel pointer the verifier knows it to be (a BTF struct pointer argument or member,
 * curtask), or NULL when it is not one. */
LLVMValueRef cg_btf_ptr(struct cg_lower *L, struct ast_node *n);

/* cg_builtins.c: a builtin variable or call (AST_IDENT, AST_CALL), lowered by the emit function its
 * row of sema/builtins.def names (cg_builtins.h). */
struct cg_val cg_builtin(struct cg_lower *L, struct ast_node *n);
/* cg_builtins_str.c: str()'s read: cg_read_str, then as bpftrace a string that fills dst keeps cap
 * characters and no NUL when cap is under CG_STR_PAD_LIMIT and `more` (an i1, NULL: true) holds. */
#define CG_STR_PAD_LIMIT 1024
void cg_read_str_cut(struct cg_lower *L, LLVMValueRef dst, uint32_t cap, LLVMValueRef size, LLVMValueRef more,
		     LLVMValueRef addr, int space);

/* cg_stmt.c */
void cg_stmt(struct cg_lower *L, struct ast_node *n);
void cg_block_stmts(struct cg_lower *L, struct ast_node *block);
/* The key of `@m[keys]` (or the u64 0 of a keyless map) on the stack. */
LLVMValueRef cg_map_key(struct cg_lower *L, struct ast_node *map);
/* The same, but a key of comm alone may be left raw (current->comm as it is, *raw set): such a key may
 * only be looked up, and must go through cg_comm_mask before a second lookup or an insert. */
LLVMValueRef cg_map_key_maybe_raw(struct cg_lower *L, struct ast_node *map, bool *raw);
/* Read `@m[keys]`: the value, or zero when the key is missing. */
struct cg_val cg_map_read(struct cg_lower *L, struct ast_node *map);

/* cg_agg.c: `@m[k] = agg(...)`. */
void cg_aggregate(struct cg_lower *L, struct ast_node *map, struct ast_node *call);
/* The i64 a count/sum/min/max/avg element of map `map` at key_ptr reads as (sema_agg_value_type): the
 * values of every possible CPU combined as the printer combines them; 0 when the key is missing, which
 * -k reports at `at` (NULL: not reported) as bpftrace does. */
LLVMValueRef cg_agg_value(struct cg_lower *L, uint32_t map, LLVMValueRef key_ptr, const struct et_type *vt,
			  const struct ast_node *at);
/* Insert-or-update in place: p = lookup(key); on a miss insert the zero value with BPF_NOEXIST and
 * look up again. Returns the value pointer; the builder continues where it is non-NULL (the NULL
 * case has already jumped to `skip`). */
LLVMValueRef cg_map_slot(struct cg_lower *L, uint32_t map, LLVMValueRef key, LLVMBasicBlockRef skip);

/* cg_event.c: async calls (printf, print, exit...). Returns true when n was an event call. */
bool cg_event_call(struct cg_lower *L, struct ast_node *call);
/* Failures (a helper call that failed, a runtime warning): the current block fails and ends. It
 * increments *counter (an i64 in .bss, cg_dropped.c; none when NULL), sends prog->events[event] (a
 * record of its index and value, an i64: ET_EV_HELPER_ERROR's code, the one 8-byte int of an
 * errorf/warnf, nothing read for ET_EV_RUNTIME_WARNING; nothing sent when event < 0) with a record that
 * cannot be reserved counted as lost, and goes on at cont. Sending is a call of one static function
 * ("et_failed", a BPF subprogram): the ring buffer code is in each program once, not once per call
 * site, which costs the moves of its three arguments and the call; in a function with one call only,
 * LLVM inlines it. Without an event to send, the
 * counting is done in place. */
void cg_fail(struct cg_lower *L, LLVMValueRef counter, int event, LLVMValueRef value, LLVMBasicBlockRef cont);
/* The same when cond (i1) holds; the builder goes on after the test. Nothing when there is neither a
 * counter nor an event. */
void cg_fail_if(struct cg_lower *L, LLVMValueRef cond, LLVMValueRef counter, int event, LLVMValueRef value);

/* iter probes: load ctx's pointer members the probe pn reads and end the run when one is NULL (at the
 * start of its body, before anything is reserved); fills L->iter_ptrs. No-op for other providers. */
void cg_iter_prologue(struct cg_lower *L, struct ast_node *pn);

#endif
