/* cg_probe: cg_compile(), the entry point of codegen (contract in cg.h). Defines the maps, then emits
 * the programs of each AST_PROBE. Its concrete probes are grouped by what codegen asks of a probe
 * besides its index (provider, context layout, address-space rule): a group of one gets a program
 * with the predicate and body inside; a larger group (wildcards, several attach points) gets the body
 * once, as a static subprogram `i32 body(ctx, probe index)` that each program calls, so that LLVM
 * optimises and emits it once. A function's entry block holds the stack slots and the scratch lookup;
 * the init block zeroes variables; then the body. A predicate that is false returns 0. Where the kernel
 * has attach cookies and every member's provider passes them (cg_options.attach_cookies), a larger
 * group gets a single program instead, attached once per member with the member's index as its
 * cookie: one program to optimise, emit, load and verify for any number of attach points (1000
 * uprobes: one program instead of 1000). Diagnostics
 * are reported for the first group of each AST_PROBE only (the others would repeat them), and for a
 * copy of an AST_PROBE (sema_probe.copy) only where they differ from the original's. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "support/diag.h"
#include "codegen/cg.h"
#include "codegen/cg_lower.h"
#include "codegen/cg_stack.h"

/* The ring buffer: the kernel maps all of it (twice) into etrace when it opens it, so its size is
 * resident memory: a program whose only events are control ones (exit, clear, zero, print(@m)) gets a
 * small ring; one that prints per event gets room for floods (with batched wake-ups, cg_event.c). */
#define CG_RINGBUF_SIZE (4u << 20)
#define CG_RINGBUF_SMALL (16u << 10)

static uint32_t ringbuf_size(const struct et_program *prog)
{
	if (prog->ringbuf_pages) { /* perf_rb_pages: a power of two (sema), so a valid ring buffer size */
		uint64_t bytes = (uint64_t)prog->ringbuf_pages * (uint64_t)sysconf(_SC_PAGESIZE);
		return bytes > (1u << 30) ? 1u << 30 : (uint32_t)bytes;
	}
	for (uint32_t i = 0; i < prog->nevents; i++)
		if (prog->events[i].kind != ET_EV_EXIT && prog->events[i].kind != ET_EV_CLEAR &&
		    prog->events[i].kind != ET_EV_ZERO && prog->events[i].kind != ET_EV_PRINT_MAP &&
		    prog->events[i].kind != ET_EV_UNWATCH)
			return CG_RINGBUF_SIZE;
	return CG_RINGBUF_SMALL;
}

void cg_error(struct cg_lower *L, const struct ast_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	L->errors++;
	if (L->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct et_loc loc = {0};
	if (n)
		loc = n->loc;
	if (L->diag)
		diag_error(L->diag, loc, "%s", msg);
}

void cg_loc(struct cg_lower *L, const struct ast_node *n)
{
	if (n && n->loc.line) {
		cg_set_loc(L->cg, n->loc.line, n->loc.col);
		L->site = n->loc;
	}
}

void cg_return(struct cg_lower *L, LLVMValueRef value)
{
	struct cg_ctx *cg = L->cg;
	if (L->main) { /* in a for-map callback: flag the return to the caller (cg_stmt.c), stop */
		LLVMValueRef flag = cg_gep(cg, LLVMGetParam(cg->fn, LLVMCountParams(cg->fn) - 1), CG_CALLBACK_RETURNED);
		LLVMBuildStore(cg->b, cg_i64(cg, 1), flag);
		LLVMBuildRet(cg->b, cg_i64(cg, 1));
	} else {
		LLVMBuildRet(cg->b, value ? LLVMBuildTrunc(cg->b, value, cg->t_i32, "")
					  : LLVMConstInt(cg->t_i32, 0, 0));
	}
	LLVMPositionBuilderAtEnd(cg->b, cg_block(cg, "after.return"));
}

static unsigned map_type(const struct et_map_desc *d)
{
	if (d->lru)
		return d->percpu ? BPF_MAP_TYPE_LRU_PERCPU_HASH : BPF_MAP_TYPE_LRU_HASH;
	return d->percpu ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_HASH;
}

static int define_maps(struct cg_lower *L)
{
	struct cg_ctx *cg = L->cg;
	struct et_program *prog = L->prog;
	L->maps = calloc(prog->nmaps ? prog->nmaps : 1, sizeof(*L->maps));
	if (!L->maps)
		return -ENOMEM;
	for (uint32_t i = 0; i < prog->nmaps; i++) {
		const struct et_map_desc *d = &prog->maps[i];
		struct et_type u64 = {.kind = ET_INT, .size = 8};
		LLVMMetadataRef k = d->value->kind == ET_AGG_TSERIES ? cg_di_bytes(cg, tseries_bucket_off(d->key) + 8)
									: cg_di_type(cg, d->key ? d->key : &u64);
		LLVMMetadataRef v = cg_di_type(cg, d->value);
		L->maps[i] = cg_map_define(cg, d->elf_name, map_type(d), k, v, d->max_entries ? d->max_entries : 1);
		if (!L->maps[i]) {
			diag_error(L->diag, d->loc, "cannot define map %s (ELF name %s)", d->name, d->elf_name);
			return -EINVAL;
		}
	}
	/* failed map updates (and under -k failed reads) are reported through the ring buffer */
	if (!prog->ringbuf_name && (L->helper_errors >= 2 || (L->helper_errors && prog->nmaps)))
		prog->ringbuf_name = "et_ringbuf";
	if (prog->ringbuf_name || prog->nevents) {
		const char *name = prog->ringbuf_name ? prog->ringbuf_name : "et_ringbuf";
		L->ringbuf = cg_map_define(cg, name, BPF_MAP_TYPE_RINGBUF, NULL, NULL, ringbuf_size(prog));
	}
	/* skboutput(): bpf_skb_output writes only into a perf event array (int → int, one perf event per CPU:
	 * max_entries 0 lets libbpf size it to the possible CPUs) */
	if (prog->nskb_outputs) {
		L->skb_map = cg_map_define(cg, ET_SKB_MAP_NAME, BPF_MAP_TYPE_PERF_EVENT_ARRAY, cg->di_int, cg->di_int, 0);
		if (!L->skb_map)
			return -EINVAL;
	}
	/* sized once every function is built (finish_scratch) */
	L->scratch = cg_map_global(cg, "et_scratch", true);
	if (!L->scratch || ((prog->ringbuf_name || prog->nevents) && !L->ringbuf))
		return -EINVAL;
	return cg_dropped_define(L);
}

static enum provider_ctx probe_ctx(const struct et_probe_desc *p)
{
	if (!p->provider)
		return PROVIDER_CTX_NONE;
	if (p->provider->ctx == PROVIDER_CTX_TRACEPOINT && p->raw)
		return PROVIDER_CTX_RAW_ARGS;
	return p->provider->ctx;
}

static bool find_callback_loop(struct ast_node *n, void *found)
{
	if (n->kind == AST_FOR_MAP || n->kind == AST_FOR_RANGE)
		*(bool *)found = true;
	return !*(bool *)found;
}

static bool has_callback_loop(struct ast_node *pn)
{
	bool found = false;
	ast_walk(pn, find_callback_loop, NULL, &found);
	return found;
}

/* A probe in kernel context that fires for every process (-p filters it by pid in the program). */
static bool kernel_probe(const struct et_probe_desc *p)
{
	if (!p->provider || (p->provider->flags & PROVIDER_HAS_USER))
		return false;
	return p->provider->ctx == PROVIDER_CTX_PT_REGS || p->provider->ctx == PROVIDER_CTX_TRACEPOINT ||
	       p->provider->ctx == PROVIDER_CTX_RAW_ARGS;
}

/* Emit the predicate and body of `pn` as the current function (entry block already there). */
static void emit_body(struct cg_lower *L, struct ast_node *pn, uint32_t line)
{
	struct cg_ctx *cg = L->cg;
	L->nloops = 0;
	L->main = NULL;
	L->ncallbacks = 0;
	L->scratch_base = NULL;
	L->scratch_off = 0;
	L->stack_used = 0;
	memset(L->vars, 0, (L->nvars ? L->nvars : 1) * sizeof(*L->vars));
	L->init_bb = cg_block(cg, "init");
	LLVMBasicBlockRef body = cg_block(cg, "body");
	LLVMPositionBuilderAtEnd(cg->b, body);
	cg_loc(L, pn);
	/* stopped (Ctrl-C, exit()): nothing more happens, so the maps printed before the detach are final;
	 * BEGIN runs before any stop and END after it */
	/* an iterator runs to its end, as bpftrace's does: exit() there ends the run after it; test and
	 * bench probes are run by the runtime, one after another, never stopped */
	if (!(L->probe->provider->flags &
	      (PROVIDER_BEGIN | PROVIDER_END | PROVIDER_ITER | PROVIDER_TEST | PROVIDER_BENCH)))
		cg_stop_check(L);
	if (L->pid_filter && kernel_probe(L->probe)) {
		/* -p: only the traced process */
		LLVMValueRef want = LLVMBuildLoad2(cg->b, cg->t_i64, cg_rodata_u64(cg, "etrace_pid"), "etrace_pid");
		LLVMSetVolatile(want, 1);
		LLVMValueRef pid = LLVMBuildLShr(cg->b, cg_get_pid_tgid(cg), cg_i64(cg, 32), "pid");
		LLVMBasicBlockRef go = cg_block(cg, "pid.match"), stop = cg_block(cg, "pid.other");
		LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, pid, want, ""), go, stop);
		LLVMPositionBuilderAtEnd(cg->b, stop);
		LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i32, 0, 0));
		LLVMPositionBuilderAtEnd(cg->b, go);
	}
	cg_iter_prologue(L, pn);
	if (pn->u.probe.predicate) {
		LLVMValueRef c = cg_cond(L, pn->u.probe.predicate);
		LLVMBasicBlockRef go = cg_block(cg, "pred.true"), stop = cg_block(cg, "pred.false");
		LLVMBuildCondBr(cg->b, c, go, stop);
		LLVMPositionBuilderAtEnd(cg->b, stop);
		LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i32, 0, 0));
		LLVMPositionBuilderAtEnd(cg->b, go);
	}
	cg_block_stmts(L, pn->u.probe.body);
	if (!cg_block_closed(cg))
		LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i32, 0, 0));
	/* entry: stack slots, the scratch lookup and its NULL check; init: zeroed slots; then the body */
	LLVMPositionBuilderAtEnd(cg->b, cg->fn_entry);
	cg_set_loc(cg, line, 1);
	if (L->scratch_base) {
		LLVMBasicBlockRef none = cg_block(cg, "no.scratch");
		LLVMBuildCondBr(cg->b, LLVMBuildIsNull(cg->b, L->scratch_base, ""), none, L->init_bb);
		LLVMPositionBuilderAtEnd(cg->b, none);
		LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i32, 0, 0));
	} else {
		LLVMBuildBr(cg->b, L->init_bb);
	}
	LLVMPositionBuilderAtEnd(cg->b, L->init_bb);
	LLVMBuildBr(cg->b, body);
	cg_func_end(cg);
}

static void set_probe(struct cg_lower *L, uint32_t index)
{
	L->probe_index = index;
	L->probe = &L->prog->probes[index];
	L->pctx = probe_ctx(L->probe);
}

static uint32_t probe_line(const struct cg_lower *L, const struct ast_node *pn, uint32_t index)
{
	const struct et_probe_desc *p = &L->prog->probes[index];
	return p->loc.line ? p->loc.line : pn->loc.line;
}

/* One program with the body inside. */
static void emit_probe(struct cg_lower *L, struct ast_node *pn, uint32_t index)
{
	const struct et_probe_desc *p = &L->prog->probes[index];
	set_probe(L, index);
	L->probe_arg = NULL;
	cg_func_begin(L->cg, p->prog_name, p->section, probe_line(L, pn, index));
	emit_body(L, pn, probe_line(L, pn, index));
}

/* Concrete probes that can share one body: the same provider, context layout and address-space rule
 * (everything codegen asks of the probe besides its index). */
static bool same_group(const struct et_probe_desc *a, const struct et_probe_desc *b)
{
	if ((a->usdt_args || b->usdt_args) &&
	    !(a->usdt_args && b->usdt_args && strcmp(a->usdt_args, b->usdt_args) == 0))
		return false; /* usdt sites read their arguments differently */
	return a->provider == b->provider && a->raw == b->raw && a->syscall == b->syscall;
}

/* Several programs, one body: the body is a static subprogram `i32 body(ctx, probe)` emitted (and
 * optimised) once; each program calls it with its probe index and returns what it returns. */
static void emit_group(struct cg_lower *L, struct ast_node *pn, const uint32_t *members, uint32_t n)
{
	struct cg_ctx *cg = L->cg;
	uint32_t first = members[0];
	char name[256];
	snprintf(name, sizeof(name), "%s_body", L->prog->probes[first].prog_name);
	set_probe(L, first);
	LLVMValueRef body = cg_subprog_begin(cg, name, probe_line(L, pn, first));
	L->probe_arg = LLVMGetParam(body, 1);
	emit_body(L, pn, probe_line(L, pn, first));
	L->probe_arg = NULL;
	LLVMTypeRef params[2] = {cg->t_ptr, cg->t_i64};
	LLVMTypeRef fty = LLVMFunctionType(cg->t_i32, params, 2, 0);
	for (uint32_t i = 0; i < n; i++) {
		const struct et_probe_desc *p = &L->prog->probes[members[i]];
		cg_func_begin(cg, p->prog_name, p->section, probe_line(L, pn, members[i]));
		LLVMValueRef args[2] = {cg->fn_ctx, cg_i64(cg, members[i])};
		/* the body's `return N` is the program's, as in a program of its own (a test: probe's verdict) */
		LLVMBuildRet(cg->b, LLVMBuildCall2(cg->b, fty, body, args, 2, ""));
		cg_func_end(cg);
	}
}

/* Whether members[0..n) can share one program told apart by attach cookies. */
static bool cookie_group(const struct cg_lower *L, const uint32_t *members, uint32_t n)
{
	if (!L->attach_cookies)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		const struct et_probe_desc *p = &L->prog->probes[members[i]];
		if (!p->provider || !p->provider->cookie || !p->provider->cookie(p))
			return false;
	}
	return true;
}

/* One program for all members: the probe index is the attach cookie, read once at entry (and the
 * call removed when nothing reads it, so a body that does not ask which probe fired costs nothing). */
static void emit_cookie_group(struct cg_lower *L, struct ast_node *pn, const uint32_t *members, uint32_t n)
{
	struct cg_ctx *cg = L->cg;
	struct et_probe_desc *first = &L->prog->probes[members[0]];
	set_probe(L, members[0]);
	cg_func_begin(cg, first->prog_name, first->section, probe_line(L, pn, members[0]));
	LLVMValueRef a1[1] = {cg->fn_ctx};
	LLVMValueRef cookie = cg_helper(cg, CG_H_get_attach_cookie, a1, 1);
	L->probe_arg = cookie;
	emit_body(L, pn, probe_line(L, pn, members[0]));
	L->probe_arg = NULL;
	if (!LLVMGetFirstUse(cookie))
		LLVMInstructionEraseFromParent(cookie);
	for (uint32_t i = 0; i < n; i++) {
		struct et_probe_desc *p = &L->prog->probes[members[i]];
		p->prog_name = first->prog_name;
		p->by_cookie = true;
	}
}

/* The concrete probes of one AST probe: grouped by same_group; a group of one gets its own body. */
static int emit_ast_probe(struct cg_lower *L, struct ast_node *pn, const struct sema_probe *sp)
{
	uint32_t *members = calloc(sp->count ? sp->count : 1, sizeof(*members));
	bool *done = calloc(sp->count ? sp->count : 1, sizeof(*done));
	int err = 0;
	L->nvars = sp->nvars;
	L->vars = calloc(sp->nvars ? sp->nvars : 1, sizeof(*L->vars));
	if (!members || !done || !L->vars) {
		err = -ENOMEM;
		goto out;
	}
	diag_set_unique(L->diag, sp->copy);
	L->vars_in_scratch = has_callback_loop(pn);
	uint32_t scratch_before = L->scratch_size;
	for (uint32_t k = 0; k < sp->count; k++) {
		if (done[k])
			continue;
		uint32_t n = 0;
		const struct et_probe_desc *a = &L->prog->probes[sp->first + k];
		for (uint32_t j = k; j < sp->count; j++) {
			/* a shared body reads args fields at the first member's places (sema args_class) */
			if (!done[j] && same_group(a, &L->prog->probes[sp->first + j]) &&
			    (!sp->args_class || sp->args_class[j] == sp->args_class[k])) {
				done[j] = true;
				members[n++] = sp->first + j;
			}
		}
		if (n == 1)
			emit_probe(L, pn, members[0]);
		else if (cookie_group(L, members, n))
			emit_cookie_group(L, pn, members, n);
		else
			emit_group(L, pn, members, n);
		/* diagnostics once per AST probe */
		L->quiet = true;
	}
	/* the first probe to outgrow the scratch area is the one to blame (finish_scratch fails) */
	if (scratch_before <= CG_SCRATCH_MAX && L->scratch_size > CG_SCRATCH_MAX)
		cg_scratch_limit_error(L->diag, pn, L->prog, L->scratch_size, CG_SCRATCH_MAX);
out:
	L->quiet = false;
	diag_set_unique(L->diag, false);
	free(members);
	free(done);
	free(L->vars);
	L->vars = NULL;
	return err;
}

/* The scratch map: one region per AST probe, as large as the largest one; dropped when unused. */
static int finish_scratch(struct cg_lower *L)
{
	struct cg_ctx *cg = L->cg;
	if (!L->scratch_size) {
		LLVMDeleteGlobal(L->scratch);
		L->scratch = NULL;
		return 0;
	}
	if (L->scratch_size > CG_SCRATCH_MAX) /* reported at the probe (emit_ast_probe) */
		return -E2BIG;
	struct et_type u32 = {.kind = ET_INT, .size = 4};
	cg_map_btf(cg, L->scratch, BPF_MAP_TYPE_PERCPU_ARRAY, cg_di_type(cg, &u32), cg_di_bytes(cg, L->scratch_size),
		   L->nregions ? L->nregions : 1);
	return 0;
}

/* LLVM's message starts with "etrace:LINE:COL: " when it has a debug location: report it there. */
static void report_llvm_error(struct cg_lower *L, struct ast_node *program)
{
	const char *msg = L->cg->error ? L->cg->error : "LLVM error";
	const char *fn = NULL;
	size_t fnlen = 0;
	struct et_loc loc = program->loc;
	unsigned line, col;
	int used = 0;
	const char *prefix = LLVMGetSourceFileName(L->cg->mod, &(size_t){0});
	size_t plen = strlen(prefix);
	if (strncmp(msg, prefix, plen) == 0 && msg[plen] == ':' &&
	    sscanf(msg + plen, ":%u:%u: %n", &line, &col, &used) == 2 && used > 0) {
		used += (int)plen;
		loc.line = loc.end_line = line;
		loc.col = loc.end_col = col;
		msg += used;
		const char *colon = strstr(msg, "): ");
		if (strncmp(msg, "in function ", 12) == 0 && colon) {
			fn = msg + 12;
			fnlen = strcspn(fn, " ");
			msg = colon + 3;
		}
	}
	if (strstr(msg, "stack limit")) /* the BPF backend's "Looks like the BPF stack limit is exceeded" */
		cg_stack_limit_error(L->diag, program, L->prog, fn, fnlen, loc);
	else
		diag_error(L->diag, loc, "code generation failed: %s", msg);
}

int cg_compile(struct ast_node *program, struct et_program *prog, const struct cg_options *opts,
	       struct diag_sink *diag)
{
	struct cg_lower L = {0};
	int err;
	if (!program || !prog)
		return -EINVAL;
	L.prog = prog;
	L.diag = diag;
	L.pid_filter = opts && opts->pid_filter;
	L.attach_cookies = opts && opts->attach_cookies;
	L.helper_errors = opts ? opts->helper_errors : 0;
	L.cg = cg_ctx_new(opts && opts->source_name && *opts->source_name ? opts->source_name : "etrace");
	if (!L.cg) {
		err = -errno;
		diag_error(diag, program->loc, "cannot create the BPF code generator: no BPF target in LLVM");
		return err;
	}
	err = define_maps(&L);
	if (err)
		goto out;
	cg_license(L.cg, prog->license ? prog->license : "GPL");

	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		struct ast_node *pn = program->u.program.items.items[i];
		if (pn->kind != AST_PROBE)
			continue;
		const struct sema_probe *sp = pn->sym;
		if (!sp) {
			cg_error(&L, pn, "probe was not analysed");
			continue;
		}
		L.region = L.nregions++;
		err = emit_ast_probe(&L, pn, sp);
		if (err)
			break;
	}
	if (!err)
		err = finish_scratch(&L);
	if (err)
		goto out;
	if (L.errors) {
		err = -EINVAL;
		goto out;
	}
	FILE *dump = NULL;
	if (opts && opts->dump_ir)
		dump = opts->dump_out ? opts->dump_out : stderr;
	else if (opts)
		dump = opts->ir_optimized;
	if (opts && opts->ir_original)
		cg_print_ir(L.cg, opts->ir_original);
	void *elf = NULL;
	size_t size = 0;
	err = cg_emit(L.cg, &elf, &size, dump);
	if (err) {
		report_llvm_error(&L, program);
		goto out;
	}
	free(prog->elf);
	prog->elf = elf;
	prog->elf_size = size;
out:
	free(L.maps);
	free(L.vars);
	cg_ctx_free(L.cg);
	return err;
}
