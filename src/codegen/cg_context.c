/* cg_context: create/destroy the LLVM state of one compilation; program functions, allocas,
 * debug types and locations. See cg_ctx.h for the contract. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Target.h>

#include "program/types.h"
#include "codegen/cg_ctx.h"

static int init_target(void)
{
	static int done;
	if (!done) {
		LLVMInitializeBPFTargetInfo();
		LLVMInitializeBPFTarget();
		LLVMInitializeBPFTargetMC();
		LLVMInitializeBPFAsmPrinter();
		LLVMInitializeBPFAsmParser(); /* hist()'s log2 loop is inline assembly (cg_agg.c) */
		done = 1;
	}
	return 0;
}

/* LLVM reports backend problems (e.g. the BPF stack limit) through the context's handler: keep the
 * first error for cg_emit to report instead of letting LLVM print it. */
static void diag_handler(LLVMDiagnosticInfoRef di, void *arg)
{
	struct cg_ctx *cg = arg;
	if (LLVMGetDiagInfoSeverity(di) != LLVMDSError)
		return;
	cg->llvm_errors++;
	if (!cg->error) {
		char *msg = LLVMGetDiagInfoDescription(di);
		cg->error = strdup(msg ? msg : "LLVM error");
		LLVMDisposeMessage(msg);
		for (size_t n = cg->error ? strlen(cg->error) : 0; n && (cg->error[n - 1] == '\n' || cg->error[n - 1] == ' ');)
			cg->error[--n] = 0;
	}
}

static void add_flag(struct cg_ctx *cg, const char *key, unsigned v)
{
	LLVMMetadataRef md = LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, v, 0));
	LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, key, strlen(key), md);
}

struct cg_ctx *cg_ctx_new(const char *name)
{
	struct cg_ctx *cg = calloc(1, sizeof(*cg));
	LLVMTargetRef target;
	char *err = NULL;
	if (!cg)
		return NULL;
	init_target();
	if (LLVMGetTargetFromTriple("bpfel", &target, &err)) {
		LLVMDisposeMessage(err);
		free(cg);
		errno = ENOENT;
		return NULL;
	}
	cg->tm = LLVMCreateTargetMachine(target, "bpfel", "v3", "", LLVMCodeGenLevelDefault, LLVMRelocStatic,
					 LLVMCodeModelDefault);
	if (!cg->tm) {
		free(cg);
		errno = ENOENT;
		return NULL;
	}
	cg->ctx = LLVMContextCreate();
	LLVMContextSetDiagnosticHandler(cg->ctx, diag_handler, cg);
	cg->mod = LLVMModuleCreateWithNameInContext(name, cg->ctx);
	cg->b = LLVMCreateBuilderInContext(cg->ctx);
	LLVMSetTarget(cg->mod, "bpfel");
	LLVMTargetDataRef td = LLVMCreateTargetDataLayout(cg->tm);
	LLVMSetModuleDataLayout(cg->mod, td);
	LLVMDisposeTargetData(td);

	cg->t_void = LLVMVoidTypeInContext(cg->ctx);
	cg->t_i1 = LLVMInt1TypeInContext(cg->ctx);
	cg->t_i8 = LLVMInt8TypeInContext(cg->ctx);
	cg->t_i16 = LLVMInt16TypeInContext(cg->ctx);
	cg->t_i32 = LLVMInt32TypeInContext(cg->ctx);
	cg->t_i64 = LLVMInt64TypeInContext(cg->ctx);
	cg->t_ptr = LLVMPointerTypeInContext(cg->ctx, 0);

	add_flag(cg, "Dwarf Version", 5);
	add_flag(cg, "Debug Info Version", LLVMDebugMetadataVersion());
	cg->dib = LLVMCreateDIBuilder(cg->mod);
	cg->di_file = LLVMDIBuilderCreateFile(cg->dib, name, strlen(name), "", 0);
	cg->di_cu = LLVMDIBuilderCreateCompileUnit(cg->dib, LLVMDWARFSourceLanguageC, cg->di_file, "etrace", 6, 0,
						   "", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0, 0, "", 0, "", 0);
	cg->di_int = LLVMDIBuilderCreateBasicType(cg->dib, "int", 3, 32, 5 /* DW_ATE_signed */, 0);
	cg->di_u64 = LLVMDIBuilderCreateBasicType(cg->dib, "unsigned long long", 18, 64, 7 /* unsigned */, 0);
	cg->di_char = LLVMDIBuilderCreateBasicType(cg->dib, "char", 4, 8, 6 /* signed_char */, 0);
	return cg;
}

void cg_ctx_free(struct cg_ctx *cg)
{
	if (!cg)
		return;
	if (cg->dib)
		LLVMDisposeDIBuilder(cg->dib);
	if (cg->b)
		LLVMDisposeBuilder(cg->b);
	if (cg->mod)
		LLVMDisposeModule(cg->mod);
	if (cg->tm)
		LLVMDisposeTargetMachine(cg->tm);
	if (cg->ctx)
		LLVMContextDispose(cg->ctx);
	free(cg->error);
	free(cg);
}

/* ---- debug types ---- */

LLVMMetadataRef cg_di_bytes(struct cg_ctx *cg, uint32_t size)
{
	LLVMMetadataRef u8 = LLVMDIBuilderCreateBasicType(cg->dib, "unsigned char", 13, 8, 8 /* unsigned_char */, 0);
	LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, size ? size : 1);
	return LLVMDIBuilderCreateArrayType(cg->dib, (uint64_t)(size ? size : 1) * 8, 8, u8, &sub, 1);
}

static LLVMMetadataRef di_int(struct cg_ctx *cg, uint32_t size, bool is_signed)
{
	static const char *const snames[] = {"", "signed char", "short", "", "int", "", "", "", "long long"};
	static const char *const unames[] = {"", "unsigned char", "unsigned short", "", "unsigned int",
					     "", "", "", "unsigned long long"};
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return cg_di_bytes(cg, size);
	const char *n = is_signed ? snames[size] : unames[size];
	return LLVMDIBuilderCreateBasicType(cg->dib, n, strlen(n), size * 8u, is_signed ? 5 : 7, 0);
}

static LLVMMetadataRef di_u64_array(struct cg_ctx *cg, uint32_t n)
{
	LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, n);
	return LLVMDIBuilderCreateArrayType(cg->dib, (uint64_t)n * 64, 64, cg->di_u64, &sub, 1);
}

/* A struct debug type from a list of (name, type, byte offset). */
static LLVMMetadataRef di_struct(struct cg_ctx *cg, const struct et_type *t)
{
	LLVMMetadataRef *members = calloc(t->nfields ? t->nfields : 1, sizeof(*members));
	char namebuf[16];
	for (uint32_t i = 0; i < t->nfields; i++) {
		const struct et_field *f = &t->fields[i];
		const char *fname = f->name;
		if (!fname) {
			snprintf(namebuf, sizeof(namebuf), "f%u", i);
			fname = namebuf;
		}
		LLVMMetadataRef ft = cg_di_type(cg, f->type);
		uint32_t fsize = f->type ? f->type->size : 0;
		members[i] = LLVMDIBuilderCreateMemberType(cg->dib, cg->di_cu, fname, strlen(fname), cg->di_file, 0,
							   (uint64_t)fsize * 8, 8, (uint64_t)f->offset * 8,
							   LLVMDIFlagZero, ft);
	}
	LLVMMetadataRef st = LLVMDIBuilderCreateStructType(cg->dib, cg->di_cu, "", 0, cg->di_file, 0,
							   (uint64_t)t->size * 8, 8, LLVMDIFlagZero, NULL, members,
							   t->nfields, 0, NULL, "", 0);
	free(members);
	return st;
}

LLVMMetadataRef cg_di_type(struct cg_ctx *cg, const struct et_type *t)
{
	if (!t)
		return cg->di_u64;
	switch (t->kind) {
	case ET_INT:
		return di_int(cg, t->size, t->is_signed);
	case ET_BOOL:
		return di_int(cg, 1, false);
	case ET_STRING: {
		LLVMMetadataRef sub = LLVMDIBuilderGetOrCreateSubrange(cg->dib, 0, t->size);
		return LLVMDIBuilderCreateArrayType(cg->dib, (uint64_t)t->size * 8, 8, cg->di_char, &sub, 1);
	}
	case ET_TUPLE:
	case ET_RECORD:
	case ET_STRUCT:
		if (t->nfields)
			return di_struct(cg, t);
		return cg_di_bytes(cg, t->size);
	case ET_AGG_COUNT:
	case ET_AGG_SUM:
		return di_int(cg, 8, t->is_signed);
	case ET_AGG_MIN:
	case ET_AGG_MAX:
	case ET_AGG_AVG:
	case ET_AGG_STATS:
		return di_u64_array(cg, 2);
	case ET_AGG_HIST:
	case ET_AGG_LHIST:
	case ET_AGG_TSERIES:
		return di_u64_array(cg, t->size / 8);
	case ET_POINTER:
	case ET_KSTACK:
	case ET_KSYM:
	case ET_PROBE:
	case ET_USERNAME:
		return cg->di_u64;
	default:
		return cg_di_bytes(cg, t->size);
	}
}

void cg_set_loc(struct cg_ctx *cg, uint32_t line, uint32_t col)
{
	if (!cg->fn_sp)
		return;
	LLVMMetadataRef loc = LLVMDIBuilderCreateDebugLocation(cg->ctx, line, col, cg->fn_sp, NULL);
	LLVMSetCurrentDebugLocation2(cg->b, loc);
}

/* ---- functions ---- */

int cg_func_begin(struct cg_ctx *cg, const char *name, const char *section, uint32_t line)
{
	LLVMTypeRef params[1] = {cg->t_ptr};
	LLVMTypeRef fty = LLVMFunctionType(cg->t_i32, params, 1, 0);
	LLVMValueRef fn = LLVMAddFunction(cg->mod, name, fty);
	LLVMSetSection(fn, section);
	LLVMSetLinkage(fn, LLVMExternalLinkage);
	unsigned kind = LLVMGetEnumAttributeKindForName("nounwind", 8);
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(cg->ctx, kind, 0));

	/* debug info: int name(void *ctx) */
	LLVMMetadataRef vptr = LLVMDIBuilderCreatePointerType(cg->dib, NULL, 64, 64, 0, "", 0);
	LLVMMetadataRef sig[2] = {cg->di_int, vptr};
	LLVMMetadataRef sty = LLVMDIBuilderCreateSubroutineType(cg->dib, cg->di_file, sig, 2, LLVMDIFlagZero);
	LLVMMetadataRef sp = LLVMDIBuilderCreateFunction(cg->dib, cg->di_file, name, strlen(name), name,
							 strlen(name), cg->di_file, line, sty, 0, 1, line,
							 LLVMDIFlagPrototyped, 1);
	LLVMSetSubprogram(fn, sp);
	LLVMDIBuilderCreateParameterVariable(cg->dib, sp, "ctx", 3, 1, cg->di_file, line, vptr, 1, LLVMDIFlagZero);

	cg->fn = fn;
	cg->fn_sp = sp;
	cg->fn_ctx = LLVMGetParam(fn, 0);
	LLVMSetValueName2(cg->fn_ctx, "ctx", 3);
	cg->fn_entry = LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry");
	LLVMPositionBuilderAtEnd(cg->b, cg->fn_entry);
	cg_set_loc(cg, line, 1);
	return 0;
}

LLVMValueRef cg_static_begin(struct cg_ctx *cg, const char *name, uint32_t line, const struct cg_param *ret,
			     const struct cg_param *params, unsigned n, bool noinline)
{
	LLVMTypeRef ty[CG_MAX_PARAMS];
	LLVMMetadataRef sig[CG_MAX_PARAMS + 1] = {ret->di};
	for (unsigned i = 0; i < n; i++) {
		ty[i] = params[i].ty;
		sig[i + 1] = params[i].di;
	}
	LLVMValueRef fn = LLVMAddFunction(cg->mod, name, LLVMFunctionType(ret->ty, ty, n, 0));
	LLVMSetLinkage(fn, LLVMInternalLinkage);
	static const char *const attrs[2] = {"nounwind", "noinline"};
	for (unsigned i = 0; i < (noinline ? 2u : 1u); i++) {
		unsigned kind = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
		LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(cg->ctx, kind, 0));
	}
	/* the kernel wants BTF for every subprogram */
	LLVMMetadataRef sty = LLVMDIBuilderCreateSubroutineType(cg->dib, cg->di_file, sig, n + 1, LLVMDIFlagZero);
	LLVMMetadataRef sp = LLVMDIBuilderCreateFunction(cg->dib, cg->di_file, name, strlen(name), name, strlen(name),
							 cg->di_file, line, sty, 1, 1, line, LLVMDIFlagPrototyped, 1);
	LLVMSetSubprogram(fn, sp);
	for (unsigned i = 0; i < n; i++) {
		LLVMDIBuilderCreateParameterVariable(cg->dib, sp, params[i].name, strlen(params[i].name), i + 1,
						     cg->di_file, line, params[i].di, 1, LLVMDIFlagZero);
		LLVMSetValueName2(LLVMGetParam(fn, i), params[i].name, strlen(params[i].name));
	}
	cg->fn = fn;
	cg->fn_sp = sp;
	cg->fn_ctx = NULL;
	cg->fn_entry = LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry");
	LLVMPositionBuilderAtEnd(cg->b, cg->fn_entry);
	cg_set_loc(cg, line, 1);
	return fn;
}

LLVMValueRef cg_subprog_begin(struct cg_ctx *cg, const char *name, uint32_t line)
{
	LLVMMetadataRef vptr = LLVMDIBuilderCreatePointerType(cg->dib, NULL, 64, 64, 0, "", 0);
	const struct cg_param ret = {cg->t_i32, cg->di_int, ""},
			      params[2] = {{cg->t_ptr, vptr, "ctx"}, {cg->t_i64, cg->di_u64, "probe"}};
	LLVMValueRef fn = cg_static_begin(cg, name, line, &ret, params, 2, true);
	cg->fn_ctx = LLVMGetParam(fn, 0);
	return fn;
}

LLVMValueRef cg_callback_begin(struct cg_ctx *cg, const char *name, uint32_t line, bool loop)
{
	/* for_each_map_elem: long name(void *map, void *key, void *value, void *ctx);
	 * bpf_loop: long name(u64 index, void *ctx) */
	LLVMMetadataRef vptr = LLVMDIBuilderCreatePointerType(cg->dib, NULL, 64, 64, 0, "", 0);
	const struct cg_param ret = {cg->t_i64, LLVMDIBuilderCreateBasicType(cg->dib, "long", 4, 64, 5, 0), ""};
	const struct cg_param each[4] = {{cg->t_ptr, vptr, "map"}, {cg->t_ptr, vptr, "key"},
					 {cg->t_ptr, vptr, "value"}, {cg->t_ptr, vptr, "ctx"}};
	const struct cg_param range[2] = {{cg->t_i64, cg->di_u64, "index"}, {cg->t_ptr, vptr, "ctx"}};
	return cg_static_begin(cg, name, line, &ret, loop ? range : each, loop ? 2 : 4, false);
}

LLVMValueRef cg_callback(struct cg_ctx *cg, const char *name, LLVMValueRef ret)
{
	LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
	if (fn)
		return fn;
	/* built aside: the current function's state is restored afterwards */
	LLVMValueRef sfn = cg->fn, sctx = cg->fn_ctx;
	LLVMBasicBlockRef sentry = cg->fn_entry, sblock = LLVMGetInsertBlock(cg->b);
	LLVMMetadataRef ssp = cg->fn_sp, sloc = LLVMGetCurrentDebugLocation2(cg->b);
	fn = cg_callback_begin(cg, name, 0, false);
	LLVMBuildRet(cg->b, ret ? ret : cg_i64(cg, 0));
	cg->fn = sfn;
	cg->fn_ctx = sctx;
	cg->fn_entry = sentry;
	cg->fn_sp = ssp;
	if (sblock)
		LLVMPositionBuilderAtEnd(cg->b, sblock);
	LLVMSetCurrentDebugLocation2(cg->b, sloc);
	return fn;
}

void cg_func_end(struct cg_ctx *cg)
{
	if (!cg->fn)
		return;
	if (!cg_block_closed(cg))
		LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i32, 0, 0));
	cg->fn = NULL;
	cg->fn_sp = NULL;
	cg->fn_ctx = NULL;
	cg->fn_entry = NULL;
	LLVMSetCurrentDebugLocation2(cg->b, NULL);
	LLVMClearInsertionPosition(cg->b);
}

bool cg_block_closed(struct cg_ctx *cg)
{
	LLVMBasicBlockRef bb = LLVMGetInsertBlock(cg->b);
	return !bb || LLVMGetBasicBlockTerminator(bb) != NULL;
}

LLVMBasicBlockRef cg_block(struct cg_ctx *cg, const char *name)
{
	return LLVMAppendBasicBlockInContext(cg->ctx, cg->fn, name);
}

LLVMValueRef cg_phi2(struct cg_ctx *cg, LLVMTypeRef ty, const char *name, LLVMValueRef a,
		     LLVMBasicBlockRef from_a, LLVMValueRef b, LLVMBasicBlockRef from_b)
{
	LLVMValueRef phi = LLVMBuildPhi(cg->b, ty, name);
	LLVMValueRef vals[2] = {a, b};
	LLVMBasicBlockRef bbs[2] = {from_a, from_b};
	LLVMAddIncoming(phi, vals, bbs, 2);
	return phi;
}

LLVMValueRef cg_alloca(struct cg_ctx *cg, LLVMTypeRef ty, const char *name)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(cg->ctx);
	LLVMValueRef first = LLVMGetFirstInstruction(cg->fn_entry);
	if (first)
		LLVMPositionBuilderBefore(eb, first);
	else
		LLVMPositionBuilderAtEnd(eb, cg->fn_entry);
	LLVMValueRef a = LLVMBuildAlloca(eb, ty, name);
	LLVMSetAlignment(a, 8);
	LLVMDisposeBuilder(eb);
	return a;
}

LLVMTypeRef cg_bytes_type(struct cg_ctx *cg, uint32_t n)
{
	return LLVMArrayType2(cg->t_i8, n ? n : 1);
}

/* The BPF backend expands memset/memcpy inline only up to a limit and cannot call them; larger
 * blocks are written as explicit 8-byte (then 1-byte) loads and stores, volatile so that the optimiser
 * does not fold them back into a memset/memcpy call. */
#define CG_INLINE_MEMOP 128

static void memzero(struct cg_ctx *cg, LLVMValueRef p, uint32_t n, unsigned align, bool may_merge)
{
	if (!n)
		return;
	if (n <= CG_INLINE_MEMOP && may_merge) {
		LLVMBuildMemSet(cg->b, p, LLVMConstInt(cg->t_i8, 0, 0), cg_i64(cg, n), align);
		return;
	}
	uint32_t off = 0;
	for (; off + 8 <= n; off += 8)
		LLVMSetVolatile(LLVMBuildStore(cg->b, cg_i64(cg, 0), cg_gep(cg, p, off)), 1);
	for (; off < n; off++)
		LLVMSetVolatile(LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i8, 0, 0), cg_gep(cg, p, off)), 1);
}

void cg_memzero(struct cg_ctx *cg, LLVMValueRef p, uint32_t n)
{
	memzero(cg, p, n, 1, true);
}

void cg_memzero8(struct cg_ctx *cg, LLVMValueRef p, uint32_t n)
{
	memzero(cg, p, n, 8, true);
}

void cg_memzero8_apart(struct cg_ctx *cg, LLVMValueRef p, uint32_t n)
{
	memzero(cg, p, n, 8, false);
}

void cg_memcpy(struct cg_ctx *cg, LLVMValueRef dst, LLVMValueRef src, uint32_t n)
{
	if (!n)
		return;
	if (n <= CG_INLINE_MEMOP) {
		LLVMBuildMemCpy(cg->b, dst, 1, src, 1, cg_i64(cg, n));
		return;
	}
	uint32_t off = 0;
	for (; off + 8 <= n; off += 8) {
		LLVMValueRef v = LLVMBuildLoad2(cg->b, cg->t_i64, cg_gep(cg, src, off), "");
		LLVMSetAlignment(v, 1);
		LLVMValueRef st = LLVMBuildStore(cg->b, v, cg_gep(cg, dst, off));
		LLVMSetAlignment(st, 1);
		LLVMSetVolatile(st, 1);
	}
	for (; off < n; off++) {
		LLVMValueRef v = LLVMBuildLoad2(cg->b, cg->t_i8, cg_gep(cg, src, off), "");
		LLVMSetVolatile(LLVMBuildStore(cg->b, v, cg_gep(cg, dst, off)), 1);
	}
}

static LLVMTypeRef int_of(struct cg_ctx *cg, uint32_t size)
{
	return size == 1 ? cg->t_i8 : size == 2 ? cg->t_i16 : size == 4 ? cg->t_i32 : cg->t_i64;
}

LLVMValueRef cg_ctx_load(struct cg_ctx *cg, LLVMValueRef ctx, uint64_t off, uint32_t size)
{
	static const char name[] = "llvm.preserve.static.offset";
	unsigned id = LLVMLookupIntrinsicID(name, sizeof(name) - 1);
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, NULL, 0);
	LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, NULL, 0);
	LLVMValueRef base = LLVMBuildCall2(cg->b, fty, fn, &ctx, 1, "");
	LLVMValueRef v = LLVMBuildLoad2(cg->b, int_of(cg, size), cg_gep(cg, base, off), "ctx.field");
	LLVMSetAlignment(v, size);
	return size == 8 ? v : LLVMBuildZExt(cg->b, v, cg->t_i64, "");
}

void cg_ctx_copy(struct cg_ctx *cg, LLVMValueRef dst, LLVMValueRef ctx, uint64_t off, uint32_t n)
{
	for (uint32_t done = 0; done < n;) {
		uint32_t size = 8;
		while (size > 1 && ((off + done) % size || done + size > n))
			size /= 2;
		LLVMValueRef v = cg_ctx_load(cg, ctx, off + done, size);
		if (size < 8)
			v = LLVMBuildTrunc(cg->b, v, int_of(cg, size), "");
		LLVMValueRef st = LLVMBuildStore(cg->b, v, cg_gep(cg, dst, done));
		LLVMSetAlignment(st, (done | 8) & -(done | 8)); /* dst is 8-byte aligned */
		done += size;
	}
}

LLVMValueRef cg_i64(struct cg_ctx *cg, uint64_t v)
{
	return LLVMConstInt(cg->t_i64, v, 0);
}

LLVMValueRef cg_gep(struct cg_ctx *cg, LLVMValueRef p, uint64_t off)
{
	if (!off)
		return p;
	LLVMValueRef idx = cg_i64(cg, off);
	return LLVMBuildGEP2(cg->b, cg->t_i8, p, &idx, 1, "");
}
