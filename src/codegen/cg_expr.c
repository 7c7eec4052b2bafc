/* cg_expr: expressions → LLVM values (see cg_lower.h for the value model). Integer arithmetic follows
 * bpftrace: 64-bit, signed when both operands are signed; division and modulo by zero give 1 and send a
 * runtime warning, as bpftrace does (guarded here, so the verifier never sees them). One deliberate difference: bpftrace 0.17 divides, takes the
 * remainder and shifts right as unsigned even for signed operands (-5 / 3 = 6148914691236517203);
 * etrace gives the signed result (-1, remainder -2, -9 >> 1 = -5). BPF v3 has no signed division, so
 * it is done on magnitudes. Builtin variables and calls are lowered by cg_builtins*.c (cg_builtin). */
#include <string.h>

#include "kernel/btf.h"
#include "codegen/cg_lower.h"

bool cg_is_scalar_type(const struct et_type *t)
{
	if (!t)
		return true;
	switch (t->kind) {
	case ET_NONE:
	case ET_VOID:
	case ET_BOOL:
	case ET_POINTER:
	case ET_KSYM:
	case ET_PROBE:
	case ET_USERNAME:
	case ET_KSTACK:
	case ET_AGG_COUNT:
	case ET_AGG_SUM:
		return true;
	case ET_INT:
		return t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8;
	default:
		return false;
	}
}

static struct cg_val scalar(LLVMValueRef v)
{
	struct cg_val r = {v, false};
	return r;
}

static struct cg_val memval(LLVMValueRef p)
{
	struct cg_val r = {p, true};
	return r;
}

static LLVMTypeRef int_type(struct cg_ctx *cg, uint32_t size)
{
	switch (size) {
	case 1:
		return cg->t_i8;
	case 2:
		return cg->t_i16;
	case 4:
		return cg->t_i32;
	default:
		return cg->t_i64;
	}
}

static LLVMValueRef scratch_base(struct cg_lower *L)
{
	struct cg_ctx *cg = L->cg;
	if (!L->scratch_base) {
		/* looked up once, at the end of the entry block; the NULL check ends the entry block
		 * (cg_probe.c), before init_bb where slots are zeroed */
		LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
		LLVMPositionBuilderAtEnd(cg->b, cg->fn_entry);
		LLVMValueRef k = cg_alloca(cg, cg->t_i32, "scratch.key");
		LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i32, L->region, 0), k);
		L->scratch_base = cg_map_lookup(cg, L->scratch, k);
		LLVMPositionBuilderAtEnd(cg->b, here);
	}
	return L->scratch_base;
}

LLVMValueRef cg_buf(struct cg_lower *L, uint32_t size, const char *name)
{
	struct cg_ctx *cg = L->cg;
	uint32_t n = (size + 7) & ~7u;
	if (!n)
		n = 8;
	/* small ones on the stack while the budget lasts (the stack is not reused between temporaries,
	 * and a probe's frames share the kernel's 512 bytes) */
	if (!L->scratch || (n <= CG_STACK_MAX && L->stack_used + n <= CG_STACK_BUDGET)) {
		L->stack_used += n;
		return cg_alloca(cg, cg_bytes_type(cg, n), name);
	}
	LLVMValueRef base = scratch_base(L);
	uint32_t off = L->scratch_off;
	L->scratch_off += n;
	if (L->scratch_off > L->scratch_size)
		L->scratch_size = L->scratch_off;
	return cg_gep(cg, base, off);
}

LLVMValueRef cg_temp(struct cg_lower *L, uint32_t size, const char *name)
{
	LLVMValueRef p = cg_buf(L, size, name);
	cg_memzero8(L->cg, p, (size + 7) & ~7u);
	return p;
}

/* a stack copy of bytes with the given contents (string literals) */
static LLVMValueRef const_bytes(struct cg_lower *L, const char *bytes, uint32_t len, uint32_t size)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef p = cg_buf(L, size, "str");
	for (uint32_t off = 0; off < ((size + 7) & ~7u); off += 8) {
		uint64_t w = 0;
		for (uint32_t i = 0; i < 8; i++)
			if (off + i < len && off + i < size)
				w |= (uint64_t)(uint8_t)bytes[off + i] << (8 * i);
		LLVMBuildStore(cg->b, cg_i64(cg, w), cg_gep(cg, p, off));
	}
	return p;
}

struct cg_val cg_load(struct cg_lower *L, LLVMValueRef p, const struct et_type *t, bool copy)
{
	struct cg_ctx *cg = L->cg;
	if (!t || t->kind == ET_NONE || t->kind == ET_VOID)
		return scalar(cg_i64(cg, 0));
	if (cg_is_scalar_type(t)) {
		uint32_t size = t->kind == ET_BOOL ? 1 : t->kind == ET_INT ? t->size : 8;
		LLVMValueRef v = LLVMBuildLoad2(cg->b, int_type(cg, size), p, "");
		if (size == 8)
			return scalar(v);
		if (t->kind == ET_INT && t->is_signed)
			return scalar(LLVMBuildSExt(cg->b, v, cg->t_i64, ""));
		return scalar(LLVMBuildZExt(cg->b, v, cg->t_i64, ""));
	}
	if (!copy)
		return memval(p);
	LLVMValueRef tmp = cg_buf(L, t->size, "copy");
	cg_memcpy(cg, tmp, p, t->size);
	return memval(tmp);
}

static LLVMValueRef to_i64(struct cg_lower *L, struct cg_val v)
{
	if (v.mem)
		return LLVMBuildPtrToInt(L->cg->b, v.v, L->cg->t_i64, "");
	return v.v;
}

/* A bool's value: 1 when x is not 0, else 0 (every bool value is 0 or 1, so it can join arithmetic) */
static LLVMValueRef to_bool(struct cg_lower *L, LLVMValueRef x)
{
	struct cg_ctx *cg = L->cg;

	return LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, x, cg_i64(cg, 0), ""), cg->t_i64, "");
}

void cg_store(struct cg_lower *L, LLVMValueRef p, const struct et_type *st, struct cg_val v,
	      const struct et_type *vt)
{
	struct cg_ctx *cg = L->cg;
	if (!st || st->kind == ET_NONE || st->kind == ET_VOID)
		return;
	if (cg_is_scalar_type(st)) {
		LLVMValueRef x = to_i64(L, v);
		uint32_t size = st->kind == ET_BOOL ? 1 : st->kind == ET_INT ? st->size : 8;
		if (st->kind == ET_BOOL)
			x = to_bool(L, x);
		if (size != 8)
			x = LLVMBuildTrunc(cg->b, x, int_type(cg, size), "");
		LLVMBuildStore(cg->b, x, p);
		return;
	}
	if (!v.mem || !vt) {
		cg_memzero(cg, p, st->size);
		return;
	}
	if ((st->kind == ET_TUPLE || st->kind == ET_RECORD) && (vt->kind == ET_TUPLE || vt->kind == ET_RECORD) &&
	    st->nfields == vt->nfields) {
		for (uint32_t i = 0; i < st->nfields; i++) {
			const struct et_field *sf = &st->fields[i], *vf = &vt->fields[i];
			struct cg_val fv = cg_load(L, cg_gep(cg, v.v, vf->offset), vf->type, false);
			cg_store(L, cg_gep(cg, p, sf->offset), sf->type, fv, vf->type);
		}
		/* padding stays as it was: keys are zeroed when created */
		return;
	}
	uint32_t n = st->size < vt->size ? st->size : vt->size;
	if (p != v.v)
		cg_memcpy(cg, p, v.v, n);
	if (n < st->size)
		cg_memzero(cg, cg_gep(cg, p, n), st->size - n);
	/* a string that fills its slot keeps no NUL: printed with the truncation trailer, as bpftrace does */
}

bool cg_store_covers(const struct et_type *st, const struct ast_node *n, bool in_record)
{
	const struct sema_call *c = n && (n->kind == AST_IDENT || n->kind == AST_CALL) ? n->sym : NULL;
	if (!st)
		return false;
	if (st->kind == ET_INT)
		return st->size == 1 || st->size == 2 || st->size == 4 || st->size == 8; /* one store of the slot's size */
	/* comm: bpf_get_current_comm writes 16 bytes, those after the NUL stale before strscpy_pad
	 * kernels (6.1): harmless in a record (printed up to the NUL), not in a map key */
	return in_record && st->kind == ET_STRING && st->size == 16 && c && c->id == BI_COMM &&
	       (n->kind == AST_IDENT || n->u.call.args.count == 0);
}

/* comm and str() written straight into a string slot, without a temporary and a copy */
static bool store_string_direct(struct cg_lower *L, LLVMValueRef p, const struct et_type *st, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	const struct sema_call *c = n->kind == AST_IDENT || n->kind == AST_CALL ? n->sym : NULL;
	if (!c || !st || st->kind != ET_STRING)
		return false;
	if (c->id == BI_COMM && (n->kind == AST_IDENT || n->u.call.args.count == 0) && st->size >= 16) {
		cg_loc(L, n);
		/* the helper writes 16 bytes, but before strscpy_pad (6.1 has a plain strscpy) the ones after
		 * the NUL are left as they were: map keys are zeroed first (cg_store_covers) */
		cg_memzero(cg, cg_gep(cg, p, 16), st->size - 16);
		cg_get_comm(cg, p, 16);
		return true;
	}
	if (c->id == BI_STR && n->kind == AST_CALL && n->u.call.args.count == 1 && n->type &&
	    !(n->u.call.args.items[0]->type && n->u.call.args.items[0]->type->kind == ET_STRING)) {
		struct ast_node *a0 = n->u.call.args.items[0];
		uint32_t cap = n->type->size < st->size ? n->type->size : st->size;
		LLVMValueRef addr = cg_scalar(L, a0);
		cg_loc(L, n);
		cg_memzero(cg, p, st->size);
		cg_read_str_cut(L, p, cap, NULL, NULL, addr, cg_addr_space(L, a0));
		return true;
	}
	return false;
}

void cg_store_expr(struct cg_lower *L, LLVMValueRef p, const struct et_type *st, struct ast_node *n)
{
	if (store_string_direct(L, p, st, n))
		return;
	struct cg_val v = cg_expr(L, n);
	cg_store(L, p, st, v, n->type);
}

void cg_frame_save(struct cg_lower *L, struct cg_frame *f)
{
	struct cg_ctx *cg = L->cg;
	f->fn = cg->fn;
	f->fn_ctx = cg->fn_ctx;
	f->fn_entry = cg->fn_entry;
	f->fn_sp = cg->fn_sp;
	f->block = LLVMGetInsertBlock(cg->b);
	f->loc = LLVMGetCurrentDebugLocation2(cg->b);
	f->scratch_base = L->scratch_base;
	f->init_bb = L->init_bb;
}

void cg_frame_restore(struct cg_lower *L, const struct cg_frame *f)
{
	struct cg_ctx *cg = L->cg;
	cg->fn = f->fn;
	cg->fn_ctx = f->fn_ctx;
	cg->fn_entry = f->fn_entry;
	cg->fn_sp = f->fn_sp;
	if (f->block)
		LLVMPositionBuilderAtEnd(cg->b, f->block);
	LLVMSetCurrentDebugLocation2(cg->b, f->loc);
	L->scratch_base = f->scratch_base;
	L->init_bb = f->init_bb;
}

LLVMValueRef cg_var_slot(struct cg_lower *L, const struct sema_var *v)
{
	struct cg_ctx *cg = L->cg;
	if (v->id >= L->nvars)
		return cg_temp(L, v->type ? v->type->size : 8, "badvar");
	struct cg_var *s = &L->vars[v->id];
	if (!s->where) {
		uint32_t size = v->type && v->type->size ? v->type->size : 8;
		size = (size + 7) & ~7u;
		/* made and zeroed in the probe function before its body, so every path sees an
		 * initialised slot (from a callback: switch to the probe function for that) */
		struct cg_frame here;
		cg_frame_save(L, &here);
		if (L->main)
			cg_frame_restore(L, L->main);
		LLVMPositionBuilderAtEnd(cg->b, L->init_bb);
		if (L->vars_in_scratch && L->scratch) {
			s->off = L->scratch_off;
			L->scratch_off += size;
			if (L->scratch_off > L->scratch_size)
				L->scratch_size = L->scratch_off;
			s->where = 2;
			cg_memzero8_apart(cg, cg_gep(cg, scratch_base(L), s->off), size);
		} else {
			s->ptr = cg_buf(L, size, v->name + 1);
			s->where = 1;
			if (LLVMIsAAllocaInst(s->ptr))
				cg_memzero8(cg, s->ptr, size);
			else /* in the scratch region, beside other slots */
				cg_memzero8_apart(cg, s->ptr, size);
		}
		if (L->main) {
			LLVMPositionBuilderAtEnd(cg->b, L->main->block);
			cg_frame_save(L, L->main);
		} else {
			/* the probe function's scratch lookup, if this made it, is the one its entry checks
			 * for NULL: restoring the frame from before must not forget it (a second lookup would
			 * go unchecked, which kernels before array lookups with constant keys were known
			 * non-NULL, e.g. 6.1, refuse) */
			here.scratch_base = L->scratch_base;
		}
		cg_frame_restore(L, &here);
	}
	if (s->where == 1)
		return s->ptr;
	return cg_gep(cg, scratch_base(L), s->off);
}

LLVMValueRef cg_clamp(struct cg_lower *L, LLVMValueRef v, uint64_t max)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef slot = cg_alloca(cg, cg->t_i64, "bound");
	LLVMSetVolatile(LLVMBuildStore(B, v, slot), 1);
	LLVMValueRef x = LLVMBuildLoad2(B, cg->t_i64, slot, "");
	LLVMSetVolatile(x, 1);
	LLVMValueRef big = LLVMBuildICmp(B, LLVMIntUGT, x, cg_i64(cg, max), "");
	return LLVMBuildSelect(B, big, cg_i64(cg, max), x, "");
}

/* ---- arithmetic ---- */

static LLVMValueRef sel(struct cg_ctx *cg, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
	return LLVMBuildSelect(cg->b, c, a, b, "");
}

int cg_div_event(const struct ast_node *n)
{
	enum ast_op op = n->kind == AST_BINARY ? n->u.binary.op : n->u.assign.op;
	const struct sema_div *d = op == AST_OP_DIV || op == AST_OP_MOD ? n->sym : NULL;

	return d ? d->event : -1;
}

LLVMValueRef cg_arith(struct cg_lower *L, enum ast_op op, LLVMValueRef a, LLVMValueRef b, bool is_signed,
		      int zero_event)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef zero = cg_i64(cg, 0);
	switch (op) {
	case AST_OP_ADD:
		return LLVMBuildAdd(B, a, b, "");
	case AST_OP_SUB:
		return LLVMBuildSub(B, a, b, "");
	case AST_OP_MUL:
		return LLVMBuildMul(B, a, b, "");
	case AST_OP_DIV:
	case AST_OP_MOD: {
		LLVMValueRef bz = LLVMBuildICmp(B, LLVMIntEQ, b, zero, "");
		LLVMValueRef r;
		if (is_signed) {
			LLVMValueRef na = LLVMBuildICmp(B, LLVMIntSLT, a, zero, "");
			LLVMValueRef nb = LLVMBuildICmp(B, LLVMIntSLT, b, zero, "");
			LLVMValueRef ua = sel(cg, na, LLVMBuildNeg(B, a, ""), a);
			LLVMValueRef ub = sel(cg, nb, LLVMBuildNeg(B, b, ""), b);
			ub = sel(cg, bz, cg_i64(cg, 1), ub);
			if (op == AST_OP_DIV) {
				LLVMValueRef q = LLVMBuildUDiv(B, ua, ub, "");
				LLVMValueRef neg = LLVMBuildXor(B, na, nb, "");
				r = sel(cg, neg, LLVMBuildNeg(B, q, ""), q);
			} else {
				LLVMValueRef m = LLVMBuildURem(B, ua, ub, "");
				r = sel(cg, na, LLVMBuildNeg(B, m, ""), m);
			}
		} else {
			LLVMValueRef d = sel(cg, bz, cg_i64(cg, 1), b);
			r = op == AST_OP_DIV ? LLVMBuildUDiv(B, a, d, "") : LLVMBuildURem(B, a, d, "");
		}
		cg_fail_if(L, bz, NULL, zero_event, NULL);
		return sel(cg, bz, cg_i64(cg, 1), r);
	}
	case AST_OP_BAND:
		return LLVMBuildAnd(B, a, b, "");
	case AST_OP_BOR:
		return LLVMBuildOr(B, a, b, "");
	case AST_OP_BXOR:
		return LLVMBuildXor(B, a, b, "");
	case AST_OP_SHL:
		return LLVMBuildShl(B, a, LLVMBuildAnd(B, b, cg_i64(cg, 63), ""), "");
	case AST_OP_SHR:
		b = LLVMBuildAnd(B, b, cg_i64(cg, 63), "");
		return is_signed ? LLVMBuildAShr(B, a, b, "") : LLVMBuildLShr(B, a, b, "");
	case AST_OP_EQ:
	case AST_OP_NE:
	case AST_OP_LT:
	case AST_OP_LE:
	case AST_OP_GT:
	case AST_OP_GE: {
		LLVMIntPredicate p;
		switch (op) {
		case AST_OP_EQ: p = LLVMIntEQ; break;
		case AST_OP_NE: p = LLVMIntNE; break;
		case AST_OP_LT: p = is_signed ? LLVMIntSLT : LLVMIntULT; break;
		case AST_OP_LE: p = is_signed ? LLVMIntSLE : LLVMIntULE; break;
		case AST_OP_GT: p = is_signed ? LLVMIntSGT : LLVMIntUGT; break;
		default: p = is_signed ? LLVMIntSGE : LLVMIntUGE; break;
		}
		return LLVMBuildZExt(B, LLVMBuildICmp(B, p, a, b, ""), cg->t_i64, "");
	}
	default:
		return zero;
	}
}

uint64_t cg_pointer_step(const struct et_type *t)
{
	if (!t || t->kind != ET_POINTER || !t->elem || t->elem->kind == ET_VOID)
		return 1;
	return t->elem->size;
}

/* v times the pointer step of t (v unchanged for integers) */
static LLVMValueRef scale_by(struct cg_lower *L, LLVMValueRef v, const struct et_type *t)
{
	uint64_t step = cg_pointer_step(t);

	return step == 1 ? v : LLVMBuildMul(L->cg->b, v, cg_i64(L->cg, step), "");
}

static bool is_signed_type(const struct et_type *t)
{
	return t && t->kind == ET_INT && t->is_signed;
}

/* Equal bytes up to n: a loop over the bytes that stops at the first difference, or for strings
 * (nul) at the end of the string. */
static LLVMValueRef mem_equal(struct cg_lower *L, LLVMValueRef a, LLVMValueRef b, uint32_t n, bool nul)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef head = cg_block(cg, "strcmp.head"), body = cg_block(cg, "strcmp.body"),
			  next = cg_block(cg, "strcmp.next"), done = cg_block(cg, "strcmp.done");
	LLVMBuildBr(B, head);
	LLVMPositionBuilderAtEnd(B, head);
	LLVMValueRef i = LLVMBuildPhi(B, cg->t_i64, "i");
	LLVMValueRef more = LLVMBuildICmp(B, LLVMIntULT, i, cg_i64(cg, n), "");
	LLVMBuildCondBr(B, more, body, done);
	LLVMPositionBuilderAtEnd(B, body);
	LLVMValueRef ca = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, a, &i, 1, ""), "");
	LLVMValueRef cb = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, b, &i, 1, ""), "");
	LLVMValueRef same = LLVMBuildICmp(B, LLVMIntEQ, ca, cb, "");
	LLVMBuildCondBr(B, same, next, done);
	LLVMPositionBuilderAtEnd(B, next);
	LLVMValueRef end = nul ? LLVMBuildICmp(B, LLVMIntEQ, ca, LLVMConstInt(cg->t_i8, 0, 0), "")
			       : LLVMConstInt(cg->t_i1, 0, 0);
	LLVMValueRef i1 = LLVMBuildAdd(B, i, cg_i64(cg, 1), "");
	LLVMBuildCondBr(B, end, done, head);
	LLVMValueRef inc_v[2] = {cg_i64(cg, 0), i1};
	LLVMBasicBlockRef inc_b[2] = {pre, next};
	LLVMAddIncoming(i, inc_v, inc_b, 2);

	LLVMPositionBuilderAtEnd(B, done);
	LLVMValueRef r = LLVMBuildPhi(B, cg->t_i1, "streq");
	LLVMValueRef t = LLVMConstInt(cg->t_i1, 1, 0), f = LLVMConstInt(cg->t_i1, 0, 0);
	LLVMValueRef rv[3] = {t, f, t};
	LLVMBasicBlockRef rb[3] = {head, body, next};
	LLVMAddIncoming(r, rv, rb, 3);
	return r;
}

LLVMValueRef cg_str_equal(struct cg_lower *L, LLVMValueRef a, LLVMValueRef b, uint32_t n)
{
	return mem_equal(L, a, b, n, true);
}

uint32_t cg_str_cap(const struct et_type *t)
{
	return t && t->kind == ET_STRING ? t->size : 0;
}

/* An expression of integer literals only (bpftrace folds those before its codegen). */
static bool literal_expr(const struct ast_node *n)
{
	switch (n->kind) {
	case AST_INT:
	case AST_POSITIONAL:
		return true;
	case AST_UNARY:
		return n->u.unary.op != AST_OP_DEREF && n->u.unary.op != AST_OP_ADDR && literal_expr(n->u.unary.operand);
	case AST_BINARY:
		return literal_expr(n->u.binary.lhs) && literal_expr(n->u.binary.rhs);
	default:
		return false;
	}
}

static LLVMValueRef binary(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	enum ast_op op = n->u.binary.op;
	struct ast_node *l = n->u.binary.lhs, *r = n->u.binary.rhs;

	if (op == AST_OP_LAND || op == AST_OP_LOR) {
		LLVMValueRef a = cg_cond(L, l);
		LLVMBasicBlockRef from = LLVMGetInsertBlock(B);
		LLVMBasicBlockRef rhs = cg_block(cg, op == AST_OP_LAND ? "and.rhs" : "or.rhs");
		LLVMBasicBlockRef done = cg_block(cg, "logic.done");
		if (op == AST_OP_LAND)
			LLVMBuildCondBr(B, a, rhs, done);
		else
			LLVMBuildCondBr(B, a, done, rhs);
		LLVMPositionBuilderAtEnd(B, rhs);
		LLVMValueRef bv = cg_cond(L, r);
		LLVMBasicBlockRef rhs_end = LLVMGetInsertBlock(B);
		LLVMBuildBr(B, done);
		LLVMPositionBuilderAtEnd(B, done);
		LLVMValueRef phi = cg_phi2(cg, cg->t_i1, "", LLVMConstInt(cg->t_i1, op == AST_OP_LOR, 0), from, bv,
					   rhs_end);
		return LLVMBuildZExt(B, phi, cg->t_i64, "");
	}
	if ((op == AST_OP_EQ || op == AST_OP_NE) && cg_str_cap(l->type) && cg_str_cap(r->type)) {
		struct cg_val a = cg_expr(L, l), b = cg_expr(L, r);
		uint32_t nb = cg_str_cap(l->type) < cg_str_cap(r->type) ? cg_str_cap(l->type) : cg_str_cap(r->type);
		LLVMValueRef eq = cg_str_equal(L, a.v, b.v, nb);
		if (op == AST_OP_NE)
			eq = LLVMBuildNot(B, eq, "");
		return LLVMBuildZExt(B, eq, cg->t_i64, "");
	}
	if ((op == AST_OP_EQ || op == AST_OP_NE) && !cg_is_scalar_type(l->type) && !cg_is_scalar_type(r->type)) {
		/* tuples, arrays, records: byte-wise (every temporary and slot is zero-padded) */
		struct cg_val a = cg_expr(L, l), b = cg_expr(L, r);
		uint32_t nb = l->type->size < r->type->size ? l->type->size : r->type->size;
		LLVMValueRef eq = a.mem && b.mem ? mem_equal(L, a.v, b.v, nb, false) : LLVMConstInt(cg->t_i1, 0, 0);
		if (op == AST_OP_NE)
			eq = LLVMBuildNot(B, eq, "");
		return LLVMBuildZExt(B, eq, cg->t_i64, "");
	}
	LLVMValueRef a = cg_scalar(L, l);
	LLVMValueRef b = cg_scalar(L, r);
	if (op == AST_OP_ADD || op == AST_OP_SUB) { /* pointer ± n moves by n pointees */
		if (l->type && l->type->kind == ET_POINTER && !(r->type && r->type->kind == ET_POINTER))
			b = scale_by(L, b, l->type);
		else if (r->type && r->type->kind == ET_POINTER && !(l->type && l->type->kind == ET_POINTER))
			a = scale_by(L, a, r->type);
	}
	const struct sema_cmp *cmp = op >= AST_OP_EQ && op <= AST_OP_GE ? n->sym : NULL; /* ordered in ast.h */
	bool is_signed = cmp ? cmp->is_signed : is_signed_type(l->type) && is_signed_type(r->type);
	/* >>, / and % work unsigned, as bpftrace's codegen does whatever the sign (-8 >> 1 and -7 / 2 of a
	 * variable are 9223372036854775804, -7 % 2 is 1: its docs call signed operands undefined behaviour),
	 * except between literals, which bpftrace folds as C does (-8 >> 1 is -4, -7 / 2 is -3) */
	if (op == AST_OP_SHR || op == AST_OP_DIV || op == AST_OP_MOD)
		is_signed = is_signed && literal_expr(l) && literal_expr(r);
	LLVMValueRef v = cg_arith(L, op, a, b, is_signed, cg_div_event(n));
	return n->type && n->type->kind == ET_BOOL ? to_bool(L, v) : v; /* true + true is true */
}

/* ---- the probe's context, addresses, strings ---- */

LLVMValueRef cg_ctx_u64(struct cg_lower *L, uint32_t off)
{
	return cg_ctx_load(L->cg, L->cg->fn_ctx, off, 8);
}

/* Is this probe's context typed by the verifier from BTF (fentry/fexit, rawtracepoint attached as
 * tp_btf)? There a u64 argument slot holding a struct pointer loads as a kernel pointer
 * (PTR_TO_BTF_ID), which may be offset and read through but not masked, multiplied, truncated or
 * copied in pieces, and slots of other pointer types (to pointers, functions...) may not be loaded at
 * all. So only integer slots are loaded directly there (cg_ctx_arg), a struct pointer about to be read
 * through is loaded directly as the kernel pointer it is (field_raw), and every other slot is copied
 * out with bpf_probe_read_kernel, which gives a plain number as a raw tracepoint would. */
bool cg_ctx_btf_typed(const struct cg_lower *L)
{
	return L->pctx == PROVIDER_CTX_RAW_ARGS && L->probe && L->probe->btf_ctx;
}

/* The u64 argument slot at byte `off` of a raw-argument context, holding a value of type t (NULL:
 * unknown, as for argN): see cg_ctx_btf_typed. */
LLVMValueRef cg_ctx_arg(struct cg_lower *L, uint32_t off, const struct et_type *t)
{
	struct cg_ctx *cg = L->cg;

	if (!cg_ctx_btf_typed(L) || (t && (t->kind == ET_INT || t->kind == ET_BOOL)))
		return cg_ctx_u64(L, off);
	/* opaque: LLVM must not share ctx + off with a direct load of the same slot (the verifier wants
	 * every context load as ctx + constant in the instruction itself) */
	LLVMValueRef addr = cg_opaque(cg, LLVMBuildPtrToInt(cg->b, cg->fn_ctx, cg->t_i64, ""));
	addr = LLVMBuildAdd(cg->b, addr, cg_i64(cg, off), "");
	return LLVMBuildLoad2(cg->b, cg->t_i64, cg_read_mem(L, addr, 8, false, NULL), "arg");
}

/* Is n `args` read from the context record itself (a tracepoint's perf record, the u64 slots of a raw
 * tracepoint without BTF types)? Its fields are then read with ctx_value. */
bool cg_is_ctx_record(const struct cg_lower *L, const struct ast_node *n)
{
	const struct sema_call *c = n && (n->kind == AST_IDENT || n->kind == AST_CALL) ? n->sym : NULL;

	if (!c || c->id != BI_ARGS || cg_ctx_btf_typed(L))
		return false;
	return (L->pctx == PROVIDER_CTX_TRACEPOINT && !L->probe->raw) || L->pctx == PROVIDER_CTX_RAW_ARGS;
}

/* The value of type t at byte `off` of the context: a scalar loaded (a misaligned one through a copy),
 * anything else copied out, so that no pointer into the context is ever handed on (cg_ctx_load). */
static struct cg_val ctx_value(struct cg_lower *L, uint64_t off, const struct et_type *t)
{
	struct cg_ctx *cg = L->cg;
	uint32_t size = !t ? 0 : t->kind == ET_BOOL ? 1 : t->kind == ET_INT ? t->size : 8;

	if (!t || t->kind == ET_NONE || t->kind == ET_VOID)
		return scalar(cg_i64(cg, 0));
	if (cg_is_scalar_type(t) && (size == 1 || size == 2 || size == 4 || size == 8) && off % size == 0) {
		LLVMValueRef v = cg_ctx_load(cg, cg->fn_ctx, off, size);
		return scalar(t->kind == ET_INT && t->is_signed ? cg_narrow(L, v, size, true) : v);
	}
	LLVMValueRef tmp = cg_buf(L, t->size, "ctx.copy");
	cg_ctx_copy(cg, tmp, cg->fn_ctx, off, t->size);
	return cg_load(L, tmp, t, false);
}

int cg_addr_space(struct cg_lower *L, const struct ast_node *n)
{
	switch (sema_addr_space(n)) {
	case ET_AS_USER:
		return 1;
	case ET_AS_KERNEL:
		return 0; /* from kernel BTF, curtask, kptr(), kernel memory: kernel whatever the probe */
	case ET_AS_NONE:
		break;
	}
	if (cg_data_loc_kind(L, n))
		return 0; /* the data's address in the tracepoint's record */
	/* nothing says (an integer, a pointer cast from one): the attach point decides */
	if (L->probe->provider && (L->probe->provider->flags & PROVIDER_HAS_USER))
		return 1;
	if (L->pctx == PROVIDER_CTX_TRACEPOINT && L->probe->syscall)
		return 1;
	return -1; /* unknown: try kernel, then user */
}

/* A sleepable program (uprobe.s / uretprobe.s: libbpf's ".s" sections), which may fault user pages in. */
static bool sleepable(const struct et_probe_desc *p)
{
	return p && p->provider && (p->provider->flags & PROVIDER_SLEEPABLE);
}

/* Read a NUL-terminated string of at most `size` bytes (size a run-time i64 ≤ cap) from addr to dst;
 * returns the helper's result (the bytes copied with the NUL, or a negative errno). */
LLVMValueRef cg_read_str(struct cg_lower *L, LLVMValueRef dst, uint32_t cap, LLVMValueRef size, LLVMValueRef addr,
			 int space)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef src = LLVMBuildIntToPtr(B, addr, cg->t_ptr, "");
	LLVMValueRef sz32 = size ? LLVMBuildTrunc(B, size, cg->t_i32, "") : LLVMConstInt(cg->t_i32, cap, 0);
	if (space != 0 && sleepable(L->probe)) {
		/* uprobe.s: bpf_copy_from_user may fault the pages in (a fresh .rodata page is not resident
		 * yet, and probe_read_user_str would give ""); the string read below then finds them. When
		 * cap bytes run past the mapping, fault in the first byte's page only. */
		LLVMValueRef fa[3] = {dst, LLVMConstInt(cg->t_i32, cap, 0), src};
		LLVMValueRef fr = cg_helper(cg, CG_H_copy_from_user, fa, 3);
		LLVMBasicBlockRef one = cg_block(cg, "str.fault1"), go = cg_block(cg, "str.read");
		LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, fr, cg_i64(cg, 0), ""), one, go);
		LLVMPositionBuilderAtEnd(B, one);
		LLVMValueRef fb[3] = {dst, LLVMConstInt(cg->t_i32, 1, 0), src};
		cg_helper(cg, CG_H_copy_from_user, fb, 3);
		LLVMBuildBr(B, go);
		LLVMPositionBuilderAtEnd(B, go);
	}
	enum cg_helper h = space == 1 ? CG_H_probe_read_user_str : CG_H_probe_read_kernel_str;
	LLVMValueRef a[3] = {dst, sz32, src};
	LLVMValueRef r = cg_helper(cg, h, a, 3);
	if (space == 1)
		cg_count_read_fault(L, r, "probe_read_user_str");
	else if (space == 0)
		cg_check_helper(L, r, "probe_read_kernel_str");
	if (space >= 0)
		return r;
	/* unknown address space: a kernel read of a user address fails; then read it as user memory */
	LLVMBasicBlockRef from = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef retry = cg_block(cg, "str.user"), done = cg_block(cg, "str.done");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, r, cg_i64(cg, 0), ""), retry, done);
	LLVMPositionBuilderAtEnd(B, retry);
	LLVMValueRef a2[3] = {dst, sz32, src};
	LLVMValueRef r2 = cg_helper(cg, CG_H_probe_read_user_str, a2, 3);
	cg_count_read_fault(L, r2, "probe_read_user_str");
	LLVMBasicBlockRef retry_end = LLVMGetInsertBlock(B);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	return cg_phi2(cg, cg->t_i64, "", r, from, r2, retry_end);
}

/* ---- places: fields, indexes ---- */

LLVMValueRef cg_read_mem(struct cg_lower *L, LLVMValueRef addr, uint32_t size, bool user, const struct ast_node *at)
{
	LLVMValueRef tmp = cg_temp(L, size, "deref");
	cg_loc(L, at);
	cg_check_helper(L, cg_probe_read(L->cg, user, false, tmp, size, addr), user ? "probe_read_user" : "probe_read_kernel");
	return tmp;
}

const struct et_field *cg_field_of(const struct cg_lower *L, const struct ast_node *n)
{
	return n && n->kind == AST_FIELD ? sema_field_of(n, L->probe_index) : NULL;
}

int cg_data_loc_kind(const struct cg_lower *L, const struct ast_node *n)
{
	const struct et_field *f = cg_field_of(L, n);
	const char *name = f && f->type && f->type->kind == ET_INT ? f->type->name : NULL;
	if (!name)
		return 0;
	if (strncmp(name, "__data_loc", 10) == 0)
		return 1;
	if (strncmp(name, "__rel_loc", 9) == 0)
		return 2;
	return 0;
}

/* Is n `args.NAME` of a raw-argument context, whose value is the u64 slot at its field offset? */
static bool is_arg_slot(const struct cg_lower *L, const struct ast_node *n)
{
	const struct ast_node *base = n->kind == AST_FIELD ? n->u.field.base : NULL;

	return base && n->sym && L->pctx == PROVIDER_CTX_RAW_ARGS && base->kind == AST_IDENT && base->type &&
	       base->type->kind == ET_STRUCT && cg_is_scalar_type(cg_field_of(L, n)->type);
}

/* A pointer to a kernel struct whose address the verifier may check (from BTF, not user, not per-CPU). */
static bool is_btf_struct_ptr(const struct et_type *t)
{
	return t && t->kind == ET_POINTER && t->space != ET_AS_USER && t->btf_id && t->elem &&
	       t->elem->kind == ET_STRUCT;
}

/* A volatile load of `size` bytes at byte `off` of kernel pointer `base` (one BPF load instruction; LLVM
 * may not merge or widen it past the member the verifier checks it against). */
static LLVMValueRef direct_load(struct cg_lower *L, LLVMValueRef base, uint32_t off, uint32_t size)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef p = LLVMBuildIntToPtr(cg->b, base, cg->t_ptr, "");
	LLVMValueRef v = LLVMBuildLoad2(cg->b, int_type(cg, size), cg_gep(cg, p, off), "direct");

	LLVMSetVolatile(v, 1);
	return v;
}

static bool is_curtask(const struct ast_node *n)
{
	const struct sema_call *c = n && (n->kind == AST_IDENT || n->kind == AST_CALL) ? n->sym : NULL;

	return c && c->id == BI_CURTASK && (n->kind == AST_IDENT || n->u.call.args.count == 0);
}

static bool is_iter_ctx(const struct ast_node *n)
{
	const struct sema_call *c = n && (n->kind == AST_IDENT || n->kind == AST_CALL) ? n->sym : NULL;

	return c && c->id == BI_CTX;
}

/* A member of an iter probe's ctx (ctx->task, ctx->file, ctx->fd...), loaded from the context. The kernel
 * gives NULL pointers on the call that ends the iteration, and the verifier lets the program read
 * through one only once checked. As bpftrace does, a member read as 0 ends this run of the program (so
 * task_file skips fd 0, as bpftrace's output does). cg_iter_prologue loads and checks the members the
 * body reads once at its start, before any ring-buffer record is reserved (an early return after one
 * would leak it, which the verifier refuses); this reuses those (in the probe's own function; a
 * for-loop callback loads and checks again). */
static LLVMValueRef iter_ctx_member(struct cg_lower *L, uint32_t off, uint32_t size)
{
	struct cg_ctx *cg = L->cg;

	if (!L->main && off % 8 == 0 && off / 8 < CG_ITER_PTRS && L->iter_ptrs[off / 8])
		return L->iter_ptrs[off / 8];
	LLVMValueRef ctx = LLVMBuildPtrToInt(cg->b, cg->fn_ctx, cg->t_i64, "ctx");
	LLVMValueRef v = direct_load(L, ctx, off, size);
	LLVMBasicBlockRef ok = cg_block(cg, "ctx.member"), none = cg_block(cg, "ctx.zero");

	if (size < 8)
		v = LLVMBuildZExt(cg->b, v, cg->t_i64, "");
	LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, v, cg_i64(cg, 0), ""), none, ok);
	LLVMPositionBuilderAtEnd(cg->b, none);
	cg_return(L, NULL);
	LLVMBuildBr(cg->b, ok); /* from the unreachable block cg_return leaves */
	LLVMPositionBuilderAtEnd(cg->b, ok);
	return v;
}

/* A member of ctx the iter program reads whole: a pointer, or an integer of 1, 2, 4 or 8 bytes. */
static const struct et_field *iter_ctx_field(const struct ast_node *n)
{
	const struct et_field *f = n->kind == AST_FIELD ? n->sym : NULL;
	const struct et_type *t = f ? f->type : NULL;

	if (!t || f->bit_size || !is_iter_ctx(n->u.field.base) || f->offset % 8 || f->offset / 8 >= CG_ITER_PTRS)
		return NULL;
	if (t->kind == ET_POINTER && t->size == 8)
		return f;
	if ((t->kind == ET_INT || t->kind == ET_BOOL) && (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8))
		return f;
	return NULL;
}

static bool find_iter_member(struct ast_node *n, void *data)
{
	const struct et_field *f = iter_ctx_field(n);

	if (f)
		((const struct et_field **)data)[f->offset / 8] = f;
	return true;
}

void cg_iter_prologue(struct cg_lower *L, struct ast_node *pn)
{
	const struct et_field *used[CG_ITER_PTRS] = {0};

	memset(L->iter_ptrs, 0, sizeof(L->iter_ptrs));
	if (!(L->probe->provider->flags & PROVIDER_ITER))
		return;
	ast_walk(pn, find_iter_member, NULL, used);
	for (uint32_t i = 0; i < CG_ITER_PTRS; i++)
		if (used[i])
			L->iter_ptrs[i] = iter_ctx_member(L, i * 8, used[i]->type->size);
}

/* curtask read through: bpf_get_current_task_btf gives the task as a typed kernel pointer in every
 * tracing program type, where the kernel has the helper (asked once, from its BTF: enum bpf_func_id).
 * Not in sleepable programs (uprobe.s), where the verifier is stricter about kernel pointers. */
static bool task_btf_usable(const struct cg_lower *L)
{
	static int have = -1;

	if (have < 0)
		have = btf_has_enumerator("bpf_func_id", "BPF_FUNC_get_current_task_btf");
	return have && !sleepable(L->probe);
}

/* comm as a 16-byte map key read straight from current->comm: two 8-byte loads through
 * bpf_get_current_task_btf instead of a call of bpf_get_current_comm (strscpy_pad: strnlen, the copy, the
 * memset), which is ~10% of the mission one-liner's time per event. The bytes after the first NUL are
 * masked to zero (and byte 15 always is), so the key is exactly the helper's, whatever task->comm holds
 * after its NUL (a rename from another task racing with the two loads can pair the new first word with
 * the old second one: unmasked, that key would print like the clean one but count apart). */
bool cg_comm_direct_usable(const struct cg_lower *L)
{
	static int64_t off = -2;

	if (off == -2)
		off = btf_member_offset("task_struct", "comm");
	return off >= 0 && task_btf_usable(L);
}

/* The bytes of the 8-byte little-endian word w below its first zero byte. t = (w - 0x01..) & ~w & 0x80..
 * has its lowest set bit exactly at the first zero byte's top bit (the borrow only adds bits above it);
 * t ^ (t - 1) sets that bit and all below, and a shift by 8 keeps the bytes before it. Without a zero
 * byte (t == 0) the logical shift keeps bytes 0-6 (right for the second word: the helper's byte 15 is
 * always NUL), the arithmetic one all 8 (right for the first; where its last byte is the first zero,
 * keeping that zero changes nothing). *zeros is t: the first word decides whether the second counts. */
static LLVMValueRef nul_mask(struct cg_ctx *cg, LLVMValueRef w, bool arith, LLVMValueRef *zeros)
{
	LLVMBuilderRef B = cg->b;
	LLVMValueRef t = LLVMBuildAnd(B, LLVMBuildSub(B, w, cg_i64(cg, 0x0101010101010101ull), ""),
				      LLVMBuildNot(B, w, ""), "");
	t = LLVMBuildAnd(B, t, cg_i64(cg, 0x8080808080808080ull), "zbytes");
	LLVMValueRef upto = LLVMBuildXor(B, t, LLVMBuildSub(B, t, cg_i64(cg, 1), ""), "");
	if (zeros)
		*zeros = t;
	return arith ? LLVMBuildAShr(B, upto, cg_i64(cg, 8), "keep") : LLVMBuildLShr(B, upto, cg_i64(cg, 8), "keep");
}

void cg_comm_direct_raw(struct cg_lower *L, LLVMValueRef p)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	uint32_t off = (uint32_t)btf_member_offset("task_struct", "comm");
	LLVMValueRef task = LLVMBuildPtrToInt(B, cg_current_task_btf(cg), cg->t_i64, "task");
	LLVMBuildStore(B, direct_load(L, task, off, 8), p);
	LLVMBuildStore(B, direct_load(L, task, off + 8, 8), cg_gep(cg, p, 8));
}

void cg_comm_mask(struct cg_lower *L, LLVMValueRef p)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef p1 = cg_gep(cg, p, 8), z0;
	LLVMValueRef w0 = LLVMBuildLoad2(B, cg->t_i64, p, "w0"), w1 = LLVMBuildLoad2(B, cg->t_i64, p1, "w1");
	LLVMValueRef k0 = nul_mask(cg, w0, true, &z0);
	/* the second word counts only when the first has no NUL */
	LLVMValueRef first_full = LLVMBuildICmp(B, LLVMIntEQ, z0, cg_i64(cg, 0), "");
	LLVMValueRef k1 = LLVMBuildSelect(B, first_full, nul_mask(cg, w1, false, NULL), cg_i64(cg, 0), "");
	LLVMBuildStore(B, LLVMBuildAnd(B, w0, k0, ""), p);
	LLVMBuildStore(B, LLVMBuildAnd(B, w1, k1, ""), p1);
}

/* Direct loads (BTF-typed contexts: tp_btf, fentry/fexit; and curtask, see task_btf_usable). There the verifier knows a struct pointer
 * argument as a typed kernel pointer (PTR_TO_BTF_ID) and lets the program load its members directly
 * (a faulting load gives 0, as a failed bpf_probe_read_kernel does), and a struct pointer loaded that
 * way is typed again. cg_btf_ptr() gives such a pointer for n when n is one (a struct pointer argument,
 * or a struct pointer member reached through one), else NULL; then n is read as a number. Only the
 * pointers that are read through take this path (see cg_ctx_btf_typed). */
LLVMValueRef cg_btf_ptr(struct cg_lower *L, struct ast_node *n)
{
	const struct et_field *f = cg_field_of(L, n);
	const struct ast_node *base = f ? n->u.field.base : NULL;

	if (is_curtask(n) && task_btf_usable(L))
		return LLVMBuildPtrToInt(L->cg->b, cg_current_task_btf(L->cg), L->cg->t_i64, "task");
	if (is_iter_ctx(n))
		return LLVMBuildPtrToInt(L->cg->b, L->cg->fn_ctx, L->cg->t_i64, "ctx");
	if (!f || !is_btf_struct_ptr(f->type) || f->bit_size)
		return NULL;
	if (is_iter_ctx(base))
		return iter_ctx_member(L, f->offset, 8);
	if (is_arg_slot(L, n))
		return cg_ctx_btf_typed(L) ? cg_ctx_u64(L, f->offset) : NULL;
	if (!is_btf_struct_ptr(base->type))
		return NULL;
	LLVMValueRef b = cg_btf_ptr(L, n->u.field.base);
	return b ? direct_load(L, b, f->offset, 8) : NULL;
}

/* A member read directly through a BTF-typed pointer: integers (not bitfields) of 1, 2, 4, 8 bytes. */
static bool direct_member(const struct et_field *f)
{
	const struct et_type *t = f->type;

	return t && !f->bit_size && (t->kind == ET_INT || t->kind == ET_BOOL) &&
	       (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8);
}

static struct cg_val field_raw(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	const struct et_field *f = cg_field_of(L, n);
	struct ast_node *base = n->u.field.base;
	if (!f) {
		cg_error(L, n, "field %s was not analysed", n->u.field.name);
		return scalar(cg_i64(cg, 0));
	}
	const struct et_type *bt = base->type;
	if (iter_ctx_field(n)) {
		LLVMValueRef v = iter_ctx_member(L, f->offset, f->type->size);
		if (f->type->kind == ET_INT && f->type->size < 8)
			v = cg_narrow(L, v, f->type->size, f->type->is_signed);
		return scalar(v);
	}
	if (bt && bt->kind == ET_POINTER) {
		LLVMValueRef addr = cg_btf_ptr(L, base);
		if (addr && direct_member(f)) {
			LLVMValueRef v = direct_load(L, addr, f->offset, f->type->size);
			if (f->type->size < 8)
				v = f->type->is_signed ? LLVMBuildSExt(cg->b, v, cg->t_i64, "") : LLVMBuildZExt(cg->b, v, cg->t_i64, "");
			return scalar(v);
		}
		if (!addr)
			addr = cg_scalar(L, base);
		addr = LLVMBuildAdd(cg->b, addr, cg_i64(cg, f->offset), "");
		uint32_t size = f->type ? f->type->size : 8;
		LLVMValueRef tmp = cg_read_mem(L, addr, size, cg_addr_space(L, base) == 1, n);
		return cg_load(L, tmp, f->type, false);
	}
	if (cg_is_ctx_record(L, base)) {
		struct cg_val v = ctx_value(L, f->offset, f->type);
		int loc_kind = cg_data_loc_kind(L, n);
		if (loc_kind && !v.mem) {
			/* the low 16 bits are the offset of the data in the record (__rel_loc: from the end
			 * of the field): the field's value is the data's kernel address */
			LLVMValueRef off = LLVMBuildAnd(cg->b, v.v, cg_i64(cg, 0xffff), "");
			if (loc_kind == 2)
				off = LLVMBuildAdd(cg->b, off, cg_i64(cg, f->offset + 4), "");
			LLVMValueRef ctx = LLVMBuildPtrToInt(cg->b, cg->fn_ctx, cg->t_i64, "");
			v.v = LLVMBuildAdd(cg->b, ctx, off, "data_loc");
		}
		return v;
	}
	struct cg_val b = cg_expr(L, base);
	if (!b.mem) {
		cg_error(L, n, "cannot take field %s of a scalar", n->u.field.name);
		return scalar(cg_i64(cg, 0));
	}
	LLVMValueRef p = cg_gep(cg, b.v, f->offset);
	if (f->type && cg_is_scalar_type(f->type) && f->type->size > 1 && f->offset % f->type->size) {
		/* a member of a packed struct: the verifier rejects a misaligned stack load, so its bytes
		 * are copied to an aligned slot first */
		LLVMValueRef tmp = cg_buf(L, f->type->size, "unaligned");
		cg_memcpy(cg, tmp, p, f->type->size);
		p = tmp;
	}
	return cg_load(L, p, f->type, false);
}

/* An i64 scalar cut to an integer type of `size` bytes and extended again by its signedness. */
LLVMValueRef cg_narrow(struct cg_lower *L, LLVMValueRef v, uint32_t size, bool is_signed)
{
	struct cg_ctx *cg = L->cg;
	if (size >= 8)
		return v;
	LLVMValueRef x = LLVMBuildTrunc(cg->b, v, int_type(cg, size), "");
	return is_signed ? LLVMBuildSExt(cg->b, x, cg->t_i64, "") : LLVMBuildZExt(cg->b, x, cg->t_i64, "");
}

/* A field: raw-argument contexts (fentry/fexit, raw tracepoints with BTF args) hold each argument in a
 * u64 slot, read whole and cut to the argument's type; bitfields are shifted and masked out of their
 * storage unit (sign-extended when signed). */
static struct cg_val field(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	const struct et_field *f = cg_field_of(L, n);
	if (f && cg_is_uprobe_args(L, n->u.field.base) && cg_is_scalar_type(f->type)) {
		LLVMValueRef v = cg_uprobe_arg(L, f->offset / 8);
		if (f->type->kind == ET_INT)
			v = cg_narrow(L, v, f->type->size, f->type->is_signed);
		return scalar(v);
	}
	if (f && cg_is_uprobe_args(L, n->u.field.base) && f->type && f->type->size)
		return cg_uprobe_param(L, f); /* a struct by value: this parameter alone */
	if (is_arg_slot(L, n)) {
		LLVMValueRef v = cg_ctx_arg(L, f->offset, f->type);
		if (f->type->kind == ET_INT)
			v = cg_narrow(L, v, f->type->size, f->type->is_signed);
		return scalar(v);
	}
	struct cg_val v = field_raw(L, n);
	if (!f || !f->bit_size || v.mem)
		return v;
	uint32_t bits = f->type && f->type->size ? f->type->size * 8 : 64;
	LLVMValueRef x = v.v;
	/* move the field's top bit to bit 63, then shift it down to bit 0 */
	uint32_t up = 64 - (f->bit_offset + f->bit_size);
	if (bits < 64) /* the loaded unit was extended from `bits`: its own top is at bits - 1 */
		x = LLVMBuildAnd(cg->b, x, cg_i64(cg, bits >= 64 ? ~0ull : (1ull << bits) - 1), "");
	x = LLVMBuildShl(cg->b, x, cg_i64(cg, up), "");
	bool is_signed = f->type && f->type->is_signed;
	x = is_signed ? LLVMBuildAShr(cg->b, x, cg_i64(cg, 64 - f->bit_size), "")
		      : LLVMBuildLShr(cg->b, x, cg_i64(cg, 64 - f->bit_size), "");
	return scalar(x);
}

static LLVMValueRef index_addr(struct cg_lower *L, struct ast_node *n, bool *user);

/* The address (i64) of n's value when n lies in kernel or user memory, reached through a pointer:
 * p->f (not a bitfield), p[i], and the fields and elements of those; *user says which memory. NULL for
 * values held by the program (variables, maps, the context's copies): those are read with cg_expr. */
static LLVMValueRef mem_addr(struct cg_lower *L, struct ast_node *n, bool *user)
{
	struct cg_ctx *cg = L->cg;
	const struct et_field *f = cg_field_of(L, n);
	struct ast_node *base;
	LLVMValueRef addr;

	if (f && !f->bit_size) {
		base = n->u.field.base;
		if (base->type && base->type->kind == ET_POINTER) {
			addr = cg_btf_ptr(L, base);
			if (!addr)
				addr = cg_scalar(L, base);
			*user = cg_addr_space(L, base) == 1;
		} else if (!(addr = mem_addr(L, base, user))) {
			return NULL;
		}
		return LLVMBuildAdd(cg->b, addr, cg_i64(cg, f->offset), "");
	}
	if (n->kind == AST_INDEX && n->sym && n->type)
		return index_addr(L, n, user);
	return NULL;
}

/* The index of base[i] as an i64, after bpftrace's run-time bounds check of an array or string (the
 * warning is sent; the caller decides what an out-of-bounds index reads). */
static LLVMValueRef index_value(struct cg_lower *L, struct ast_node *n, LLVMValueRef *oob)
{
	struct cg_ctx *cg = L->cg;
	const struct sema_index *x = n->sym;
	LLVMValueRef i;

	*oob = NULL;
	if (x->is_const)
		return cg_i64(cg, (uint64_t)x->value);
	i = cg_scalar(L, n->u.index.index);
	if (x->count) {
		*oob = LLVMBuildICmp(cg->b, LLVMIntUGE, i, cg_i64(cg, x->count), "oob");
		cg_fail_if(L, *oob, NULL, x->event, NULL);
	}
	return i;
}

/* The address of element base[i] in memory (see mem_addr), or NULL when the base is held by the
 * program. As in bpftrace, an index out of an array's bounds still reads memory past its end (the
 * read is checked by the kernel; a fault gives 0). */
static LLVMValueRef index_addr(struct cg_lower *L, struct ast_node *n, bool *user)
{
	struct cg_ctx *cg = L->cg;
	struct ast_node *base = n->u.index.base;
	LLVMValueRef addr, i, oob;

	if (base->type && base->type->kind == ET_POINTER) {
		addr = cg_scalar(L, base);
		*user = cg_addr_space(L, base) == 1;
	} else if (!(addr = mem_addr(L, base, user))) {
		return NULL;
	}
	i = index_value(L, n, &oob);
	return LLVMBuildAdd(cg->b, addr, LLVMBuildMul(cg->b, i, cg_i64(cg, n->type->size), ""), "elem.addr");
}

/* base[i]: read from memory at its address, or taken out of the program's copy of the array or string.
 * There an out-of-bounds run-time index gives 0 (after the warning) and never reaches past the copy:
 * the index is clamped first, so the verifier sees the bounds. */
static struct cg_val index_expr(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct sema_index *x = n->sym;
	const struct et_type *et = n->type;
	LLVMValueRef addr, i, oob, p;
	bool user = false;

	if (!x || !et) {
		cg_error(L, n, "index was not analysed");
		return scalar(cg_i64(cg, 0));
	}
	addr = index_addr(L, n, &user);
	if (addr)
		return cg_load(L, cg_read_mem(L, addr, et->size, user, n), et, false);
	struct cg_val b = cg_expr(L, n->u.index.base);
	if (!b.mem) {
		cg_error(L, n, "cannot index a scalar");
		return scalar(cg_i64(cg, 0));
	}
	i = index_value(L, n, &oob);
	if (!x->count) /* a copy of a zero-length array holds no element */
		return cg_is_scalar_type(et) ? scalar(cg_i64(cg, 0)) : memval(cg_temp(L, et->size, "elem.none"));
	if (!oob)
		return cg_load(L, cg_gep(cg, b.v, (uint32_t)((uint64_t)x->value * et->size)), et, false);
	i = cg_clamp(L, i, x->count - 1);
	p = LLVMBuildGEP2(B, cg->t_i8, b.v, (LLVMValueRef[]){LLVMBuildMul(B, i, cg_i64(cg, et->size), "")}, 1, "elem");
	if (cg_is_scalar_type(et)) {
		struct cg_val v = cg_load(L, p, et, false);
		return scalar(LLVMBuildSelect(B, oob, cg_i64(cg, 0), v.v, ""));
	}
	/* an aggregate element: a zeroed copy, filled when the index is in bounds */
	LLVMValueRef tmp = cg_temp(L, et->size, "elem.copy");
	LLVMBasicBlockRef in = cg_block(cg, "elem.in"), done = cg_block(cg, "elem.done");
	LLVMBuildCondBr(B, oob, done, in);
	LLVMPositionBuilderAtEnd(B, in);
	cg_memcpy(cg, tmp, p, et->size);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	return memval(tmp);
}

static struct cg_val tuple(struct cg_lower *L, struct ast_node *n, struct ast_list *elems)
{
	const struct et_type *t = n->type;
	LLVMValueRef p = cg_temp(L, t->size, "tuple");
	for (uint32_t i = 0; i < elems->count && i < t->nfields; i++)
		cg_store_expr(L, cg_gep(L->cg, p, t->fields[i].offset), t->fields[i].type, elems->items[i]);
	return memval(p);
}

/* ---- increments ---- */

static struct cg_val incdec(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *t = n->u.incdec.operand;
	enum ast_op op = n->u.incdec.op == AST_OP_INC ? AST_OP_ADD : AST_OP_SUB;
	if (t->kind == AST_VAR && t->sym) {
		const struct sema_var *v = t->sym;
		LLVMValueRef slot = cg_var_slot(L, v);
		LLVMValueRef old = cg_load(L, slot, v->type, false).v;
		LLVMValueRef nv = cg_arith(L, op, old, cg_i64(cg, cg_pointer_step(v->type)), false, -1);
		cg_store(L, slot, v->type, scalar(nv), v->type);
		return scalar(n->u.incdec.prefix ? nv : old);
	}
	if (t->kind == AST_MAP && t->sym) {
		const struct sema_map_ref *m = t->sym;
		const struct et_type *vt = L->prog->maps[m->map].value;
		LLVMValueRef key = cg_map_key(L, t);
		LLVMBasicBlockRef skip = cg_block(cg, "incdec.skip");
		LLVMValueRef res = cg_alloca(cg, cg->t_i64, "incdec");
		LLVMBuildStore(B, cg_i64(cg, 0), res);
		cg_loc(L, n);
		LLVMValueRef p = cg_map_slot(L, m->map, key, skip);
		LLVMValueRef old = cg_load(L, p, vt, false).v;
		LLVMValueRef nv = cg_arith(L, op, old, cg_i64(cg, cg_pointer_step(vt)), false, -1);
		cg_store(L, p, vt, scalar(nv), vt);
		LLVMBuildStore(B, n->u.incdec.prefix ? nv : old, res);
		LLVMBuildBr(B, skip);
		LLVMPositionBuilderAtEnd(B, skip);
		return scalar(LLVMBuildLoad2(B, cg->t_i64, res, ""));
	}
	cg_error(L, n, "++/-- needs a variable or a map element");
	return scalar(cg_i64(cg, 0));
}

/* ---- the dispatcher ---- */

static struct cg_val ternary(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *c = n->u.ternary.cond, *th = n->u.ternary.then, *el = n->u.ternary.els;
	bool is_mem = !cg_is_scalar_type(n->type);
	LLVMValueRef res = is_mem ? cg_temp(L, n->type->size, "ternary") : cg_alloca(cg, cg->t_i64, "ternary");
	LLVMBasicBlockRef bt = cg_block(cg, "cond.then"), be = cg_block(cg, "cond.else"), done = cg_block(cg, "cond.end");
	if (!th && is_mem) {
		cg_error(L, n, "`?:` on strings or tuples is not supported by etrace's code generator yet");
		return scalar(cg_i64(cg, 0));
	}
	if (!th) {
		/* c ?: b */
		struct cg_val cv = cg_expr(L, c);
		LLVMValueRef x = to_i64(L, cv);
		LLVMBuildStore(B, x, res);
		LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, x, cg_i64(cg, 0), ""), done, be);
	} else {
		LLVMBuildCondBr(B, cg_cond(L, c), bt, be);
		LLVMPositionBuilderAtEnd(B, bt);
		if (is_mem)
			cg_store_expr(L, res, n->type, th);
		else
			LLVMBuildStore(B, cg_scalar(L, th), res);
		LLVMBuildBr(B, done);
	}
	if (!th)
		LLVMDeleteBasicBlock(bt);
	LLVMPositionBuilderAtEnd(B, be);
	if (is_mem)
		cg_store_expr(L, res, n->type, el);
	else
		LLVMBuildStore(B, cg_scalar(L, el), res);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	if (is_mem)
		return memval(res);
	return scalar(LLVMBuildLoad2(B, cg->t_i64, res, ""));
}

/* (uint8[8])x, (int32[])"ab..", (uint64)arr: the same bytes, little-endian, seen as the other type.
 * An integer goes into a zeroed temporary (its low t->size bytes; sema allows an array larger than the
 * integer, up to 8 bytes: the value zero- or sign-extended to it); a string already has the array's
 * size; an array is loaded as an integer of its size. */
static struct cg_val array_cast(struct cg_lower *L, const struct et_type *t, struct cg_val v)
{
	struct cg_ctx *cg = L->cg;

	if (t->kind == ET_ARRAY) {
		if (v.mem)
			return v;
		LLVMValueRef p = cg_temp(L, t->size, "arr.cast"), x = v.v;
		if (t->size < 8)
			x = LLVMBuildAnd(cg->b, x, cg_i64(cg, (1ull << (8 * t->size)) - 1), "");
		LLVMBuildStore(cg->b, x, p); /* the temporary is at least 8 bytes */
		return memval(p);
	}
	if (!v.mem) /* sema allows only arrays here, which are memory */
		return v;
	LLVMValueRef x = LLVMBuildLoad2(cg->b, int_type(cg, t->size), v.v, "arr.int");
	LLVMSetAlignment(x, 1);
	if (t->size < 8)
		x = t->is_signed ? LLVMBuildSExt(cg->b, x, cg->t_i64, "") : LLVMBuildZExt(cg->b, x, cg->t_i64, "");
	return scalar(x);
}

static struct cg_val cast(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	const struct et_type *t = n->type;
	const struct et_type *from = n->u.cast.operand->type;
	struct cg_val v = cg_expr(L, n->u.cast.operand);
	if (t && (t->kind == ET_ARRAY || (from && from->kind == ET_ARRAY)))
		return array_cast(L, t, v);
	if (t && t->kind == ET_BOOL && !v.mem)
		return scalar(to_bool(L, v.v));
	if (!t || t->kind != ET_INT || v.mem)
		return v;
	if (t->size >= 8)
		return v;
	LLVMValueRef x = LLVMBuildTrunc(cg->b, v.v, int_type(cg, t->size), "");
	return scalar(t->is_signed ? LLVMBuildSExt(cg->b, x, cg->t_i64, "") : LLVMBuildZExt(cg->b, x, cg->t_i64, ""));
}

static struct cg_val constant(struct cg_lower *L, struct ast_node *n)
{
	const struct sema_const *k = n->sym;
	if (!k)
		return scalar(cg_i64(L->cg, 0));
	if (k->is_string) {
		uint32_t size = n->type && n->type->kind == ET_STRING ? n->type->size : k->len + 1;
		return memval(const_bytes(L, k->str, k->len, size));
	}
	return scalar(cg_i64(L->cg, (uint64_t)k->value));
}

struct cg_val cg_expr(struct cg_lower *L, struct ast_node *n)
{
	struct cg_ctx *cg = L->cg;
	cg_loc(L, n);
	switch (n->kind) {
	case AST_INT:
	case AST_BOOL:
		return scalar(cg_i64(cg, n->u.integer.value));
	case AST_STRING: {
		uint32_t size = n->type && n->type->kind == ET_STRING ? n->type->size : n->u.string.len + 1;
		return memval(const_bytes(L, n->u.string.bytes, n->u.string.len, size));
	}
	case AST_POSITIONAL:
	case AST_POSITIONAL_COUNT:
	case AST_SIZEOF:
	case AST_OFFSETOF:
		return constant(L, n);
	case AST_IDENT:
		return cg_builtin(L, n);
	case AST_VAR: {
		const struct sema_var *v = n->sym;
		if (!v) {
			cg_error(L, n, "variable %s was not analysed", n->u.name);
			return scalar(cg_i64(cg, 0));
		}
		return cg_load(L, cg_var_slot(L, v), v->type, false);
	}
	case AST_MAP:
		return cg_map_read(L, n);
	case AST_CALL:
		return cg_builtin(L, n);
	case AST_BINARY:
		return scalar(binary(L, n));
	case AST_UNARY: {
		enum ast_op op = n->u.unary.op;
		if (op == AST_OP_DEREF) {
			struct ast_node *ptr = n->u.unary.operand;
			LLVMValueRef addr = cg_scalar(L, ptr);
			uint32_t size = n->type && n->type->size ? n->type->size : 8;
			return cg_load(L, cg_read_mem(L, addr, size, cg_addr_space(L, ptr) == 1, n), n->type, false);
		}
		if (op == AST_OP_ADDR) {
			/* &$x: the variable's slot (stack or scratch map value); &@m: the map itself */
			struct ast_node *o = n->u.unary.operand;
			const struct sema_map_ref *m = o->kind == AST_MAP ? o->sym : NULL;
			LLVMValueRef p = o->kind == AST_VAR && o->sym ? cg_var_slot(L, o->sym)
					 : m                          ? L->maps[m->map]
									: NULL;
			if (!p) {
				cg_error(L, n, "& was not analysed");
				return scalar(cg_i64(cg, 0));
			}
			return scalar(LLVMBuildPtrToInt(cg->b, p, cg->t_i64, "addr"));
		}
		LLVMValueRef x = cg_scalar(L, n->u.unary.operand);
		/* - and ~ work at the operand's width, and the result extends by its sign, as in bpftrace:
		 * -(uint8)1 is 255, ~(uint32)5 is 4294967290, -(int8)-128 is -128 */
		const struct et_type *ot = n->u.unary.operand->type;
		uint32_t w = ot && ot->kind == ET_INT ? ot->size : 8;
		bool sgn = ot && ot->is_signed;
		switch (op) {
		case AST_OP_NEG:
			return scalar(cg_narrow(L, LLVMBuildNeg(cg->b, x, ""), w, sgn));
		case AST_OP_NOT:
			return scalar(LLVMBuildZExt(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, x, cg_i64(cg, 0), ""),
						    cg->t_i64, ""));
		case AST_OP_BNOT:
			return scalar(cg_narrow(L, LLVMBuildNot(cg->b, x, ""), w, sgn));
		default:
			return scalar(x);
		}
	}
	case AST_INCDEC:
		return incdec(L, n);
	case AST_TERNARY:
		return ternary(L, n);
	case AST_CAST:
		return cast(L, n);
	case AST_FIELD:
		return field(L, n);
	case AST_INDEX:
		return index_expr(L, n);
	case AST_TUPLE_INDEX: {
		const struct et_field *f = n->sym;
		struct cg_val b = cg_expr(L, n->u.tuple_index.base);
		if (!f || !b.mem) {
			cg_error(L, n, "tuple index was not analysed");
			return scalar(cg_i64(cg, 0));
		}
		return cg_load(L, cg_gep(cg, b.v, f->offset), f->type, false);
	}
	case AST_TUPLE:
		return tuple(L, n, &n->u.list);
	case AST_RECORD:
		return tuple(L, n, &n->u.record.values);
	case AST_BLOCK_EXPR:
		for (uint32_t i = 0; i < n->u.block.stmts.count; i++)
			cg_stmt(L, n->u.block.stmts.items[i]);
		if (n->u.block.value)
			return cg_expr(L, n->u.block.value);
		return scalar(cg_i64(cg, 0));
	default:
		cg_error(L, n, "%s expressions are not supported by etrace's code generator yet", ast_kind_name(n->kind));
		return scalar(cg_i64(cg, 0));
	}
}

LLVMValueRef cg_scalar(struct cg_lower *L, struct ast_node *n)
{
	struct cg_val v = cg_expr(L, n);
	if (v.mem) {
		cg_error(L, n, "expected an integer value here");
		return cg_i64(L->cg, 0);
	}
	return v.v;
}

LLVMValueRef cg_cond(struct cg_lower *L, struct ast_node *n)
{
	LLVMValueRef x = cg_scalar(L, n);
	return LLVMBuildICmp(L->cg->b, LLVMIntNE, x, cg_i64(L->cg, 0), "");
}
