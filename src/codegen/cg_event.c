/* cg_event: async calls through the ring buffer. A record is the u64 event index followed by the
 * event's args tuple (prog->events[e].args, types.h layout). The record is reserved first and the
 * arguments are evaluated straight into it (no stack copy, so large payloads such as join() fit);
 * a failed reserve increments the lost counter (cg_dropped.c) instead. Records are submitted without waking
 * user space up, except exit, clear, zero and print(@m), which user space must act on promptly, and
 * except when the ring already holds CG_RINGBUF_WAKE_BYTES unread (a flood: the reader is woken once
 * per that many bytes instead of waiting for its tick, so it keeps up without a wake-up per event).
 * exit() also ends the probe, as in bpftrace. Runtime warnings (a division by zero) and failed helper
 * calls are records of their event index and one i64, sent by one static function (cg_fail). */
#include <linux/bpf.h>

#include "codegen/cg_lower.h"

#define CG_RINGBUF_WAKE_BYTES (256u << 10) /* 1/16 of the ring (cg_probe.c) */

static void count_lost(struct cg_lower *L)
{
	if (L->prog->lost_map_name)
		cg_counter_add(L->cg, cg_bss_counters(L->cg, L->prog->lost_map_name, 1), 0, NULL);
}

static void zero_range(struct cg_lower *L, LLVMValueRef payload, uint32_t from, uint32_t to)
{
	if (to <= from)
		return;
	if (from % 8 == 0) /* the payload is 8-byte aligned: 8-byte stores */
		cg_memzero8(L->cg, cg_gep(L->cg, payload, from), to - from);
	else
		cg_memzero(L->cg, cg_gep(L->cg, payload, from), to - from);
}

/* Zero the bytes of a record's args tuple t that storing args[first...] into its fields will not write
 * (cg_store_covers), padding included: a record is reserved in the ring buffer, which holds old data. */
static void zero_unwritten(struct cg_lower *L, LLVMValueRef payload, const struct et_type *t,
			   const struct ast_list *args, uint32_t first)
{
	uint32_t from = 0; /* start of the bytes not known to be written yet */
	for (uint32_t i = 0; t && i < t->nfields; i++) {
		const struct et_field *f = &t->fields[i];
		if (i + first < args->count && cg_store_covers(f->type, args->items[i + first], true)) {
			zero_range(L, payload, from, f->offset);
			from = f->offset + f->type->size;
		}
	}
	if (t)
		zero_range(L, payload, from, t->size);
}

/* join(arr): up to nfields strings from the NULL-terminated pointer array arr. Under -k a pointer read
 * that faults (it then reads as NULL and ends the list) and a string read reported by cg_read_str are
 * located at the call, as bpftrace locates them. */
static void join_args(struct cg_lower *L, LLVMValueRef payload, const struct et_type *t, struct ast_node *call,
		      struct ast_node *arr)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	int space = cg_addr_space(L, arr);
	LLVMValueRef base = cg_scalar(L, arr);
	/* only where a failure is reported: the debug location (and so the object) stays as it was */
	L->site = call->loc;
	LLVMValueRef ptr = cg_alloca(cg, cg->t_i64, "join.ptr");
	LLVMBasicBlockRef done = cg_block(cg, "join.done");
	for (uint32_t i = 0; i < t->nfields; i++) {
		LLVMBuildStore(B, cg_i64(cg, 0), ptr);
		LLVMValueRef addr = LLVMBuildAdd(B, base, cg_i64(cg, 8ull * i), "");
		LLVMValueRef r = cg_probe_read(cg, space == 1, false, ptr, 8, addr);
		if (space >= 0)
			cg_check_helper(L, r, space == 1 ? "probe_read_user" : "probe_read_kernel");
		if (space < 0) {
			LLVMBasicBlockRef retry = cg_block(cg, "join.user"), next = cg_block(cg, "join.read");
			LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, r, cg_i64(cg, 0), ""), retry, next);
			LLVMPositionBuilderAtEnd(B, retry);
			cg_check_helper(L, cg_probe_read(cg, true, false, ptr, 8, addr), "probe_read_user");
			LLVMBuildBr(B, next);
			LLVMPositionBuilderAtEnd(B, next);
		}
		LLVMValueRef s = LLVMBuildLoad2(B, cg->t_i64, ptr, "");
		LLVMBasicBlockRef have = cg_block(cg, "join.str");
		LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, s, cg_i64(cg, 0), ""), done, have);
		LLVMPositionBuilderAtEnd(B, have);
		const struct et_field *f = &t->fields[i];
		cg_read_str(L, cg_gep(cg, payload, f->offset), f->type->size, NULL, s, space);
	}
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}

bool cg_event_call(struct cg_lower *L, struct ast_node *call)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	const struct sema_call *c = call->sym;
	if (!c || c->event < 0)
		return false;
	if (!L->ringbuf) {
		cg_error(L, call, "internal error: event without a ring buffer");
		return true;
	}
	const struct et_event_desc *ev = &L->prog->events[c->event];
	const struct et_type *t = ev->args;
	struct ast_list *args = &call->u.call.args;
	uint32_t psize = t ? t->size : 0;
	uint64_t flags = BPF_RB_NO_WAKEUP;

	LLVMValueRef rec = cg_ringbuf_reserve(cg, L->ringbuf, 8 + (uint64_t)psize);
	LLVMBasicBlockRef ok = cg_block(cg, "event.ok"), fail = cg_block(cg, "event.lost"),
			  done = cg_block(cg, "event.done");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, rec, ""), fail, ok);
	LLVMPositionBuilderAtEnd(B, fail);
	count_lost(L);
	LLVMBuildBr(B, done);

	LLVMPositionBuilderAtEnd(B, ok);
	LLVMBuildStore(B, cg_i64(cg, (uint64_t)c->event), rec);
	LLVMValueRef payload = cg_gep(cg, rec, 8);
	bool by_field = ev->kind == ET_EV_PRINTF || ev->kind == ET_EV_SYSTEM || ev->kind == ET_EV_CAT ||
		       ev->kind == ET_EV_PRINT || ev->kind == ET_EV_ERRORF || ev->kind == ET_EV_WARNF;
	if (!by_field)
		cg_memzero8(cg, payload, psize); /* ring buffer records are 8-byte aligned */
	switch (ev->kind) {
	case ET_EV_PRINTF:
	case ET_EV_SYSTEM:
	case ET_EV_CAT:
	case ET_EV_ERRORF:
	case ET_EV_WARNF:
		/* arguments after the format */
		zero_unwritten(L, payload, t, args, 1);
		for (uint32_t i = 0; t && i < t->nfields && i + 1 < args->count; i++)
			cg_store_expr(L, cg_gep(cg, payload, t->fields[i].offset), t->fields[i].type, args->items[i + 1]);
		break;
	case ET_EV_PRINT:
		zero_unwritten(L, payload, t, args, 0);
		if (t && t->nfields && args->count)
			cg_store_expr(L, payload, t->fields[0].type, args->items[0]);
		break;
	case ET_EV_PRINT_MAP:
		for (uint32_t i = 0; t && i < t->nfields && i + 1 < args->count; i++)
			cg_store_expr(L, cg_gep(cg, payload, t->fields[i].offset), t->fields[i].type, args->items[i + 1]);
		flags = BPF_RB_FORCE_WAKEUP;
		break;
	case ET_EV_EXIT:
	case ET_EV_UNWATCH:
		if (t && t->nfields && args->count)
			cg_store_expr(L, payload, t->fields[0].type, args->items[0]);
		flags = BPF_RB_FORCE_WAKEUP;
		break;
	case ET_EV_CLEAR:
	case ET_EV_ZERO:
		flags = BPF_RB_FORCE_WAKEUP;
		break;
	case ET_EV_TIME:
	case ET_EV_RUNTIME_WARNING: /* no call: cg_fail */
	case ET_EV_HELPER_ERROR:    /* no call: cg_fail */
		break;
	case ET_EV_JOIN:
		if (t && args->count)
			join_args(L, payload, t, call, args->items[0]);
		break;
	}
	cg_loc(L, call);
	if (flags == BPF_RB_NO_WAKEUP)
		cg_ringbuf_submit_batched(cg, L->ringbuf, rec, (8 + 8 + (uint64_t)psize + 7) & ~7ull, CG_RINGBUF_WAKE_BYTES);
	else
		cg_ringbuf_submit(cg, rec, flags);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	if (ev->kind == ET_EV_EXIT)
		cg_return(L, NULL);
	return true;
}

/* The failure function, `void et_failed(i64 event, i64 value, ptr counter)`, made at its first use:
 * *counter += 1 unless counter is NULL, then a record of event and value; one that cannot be reserved is
 * counted as lost. Flags 0 on submit: the kernel wakes the reader only when it had read everything (as
 * bpftrace's ringbuf_output does), so a warning shows at once and a flood of them wakes it rarely. */
static LLVMValueRef fail_fn(struct cg_lower *L)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct cg_frame saved;

	if (L->fail_fn)
		return L->fail_fn;
	cg_frame_save(L, &saved);
	LLVMMetadataRef vptr = LLVMDIBuilderCreatePointerType(cg->dib, NULL, 64, 64, 0, "", 0);
	const struct cg_param ret = {LLVMVoidTypeInContext(cg->ctx), NULL, ""},
			      params[3] = {{cg->t_i64, cg->di_u64, "event"}, {cg->t_i64, cg->di_u64, "value"},
					   {cg->t_ptr, vptr, "counter"}};
	LLVMValueRef fn = cg_static_begin(cg, "et_failed", 0, &ret, params, 3, false);
	LLVMValueRef counter = LLVMGetParam(fn, 2);
	LLVMBasicBlockRef count = cg_block(cg, "count"), send = cg_block(cg, "send"), sent = cg_block(cg, "sent"),
			  lost = cg_block(cg, "lost"), done = cg_block(cg, "done");
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, counter, ""), send, count);
	LLVMPositionBuilderAtEnd(B, count);
	LLVMBuildAtomicRMW(B, LLVMAtomicRMWBinOpAdd, counter, cg_i64(cg, 1), LLVMAtomicOrderingMonotonic, 0);
	LLVMBuildBr(B, send);
	LLVMPositionBuilderAtEnd(B, send);
	LLVMValueRef rec = cg_ringbuf_reserve(cg, L->ringbuf, 16);
	LLVMBuildCondBr(B, LLVMBuildIsNull(B, rec, ""), lost, sent);
	LLVMPositionBuilderAtEnd(B, lost);
	count_lost(L);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, sent);
	LLVMBuildStore(B, LLVMGetParam(fn, 0), rec);
	LLVMBuildStore(B, LLVMGetParam(fn, 1), cg_gep(cg, rec, 8));
	cg_ringbuf_submit(cg, rec, 0);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	LLVMBuildRetVoid(B);
	cg_frame_restore(L, &saved);
	return L->fail_fn = fn;
}

void cg_fail(struct cg_lower *L, LLVMValueRef counter, int event, LLVMValueRef value, LLVMBasicBlockRef cont)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;

	if (event >= 0 && L->ringbuf) {
		LLVMValueRef fn = fail_fn(L);
		/* the only call in its function is inlined (that saves the call's moves); a second one in the
		 * same function makes it a real call everywhere */
		for (LLVMUseRef u = LLVMGetFirstUse(fn); u && !L->fail_fn_called; u = LLVMGetNextUse(u)) {
			LLVMValueRef user = LLVMGetUser(u);
			if (LLVMIsACallInst(user) && LLVMGetBasicBlockParent(LLVMGetInstructionParent(user)) == cg->fn) {
				unsigned kind = LLVMGetEnumAttributeKindForName("noinline", 8);
				LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
							LLVMCreateEnumAttribute(cg->ctx, kind, 0));
				L->fail_fn_called = true;
			}
		}
		LLVMValueRef a[3] = {cg_i64(cg, (uint64_t)event), value ? value : cg_i64(cg, 0),
				     counter ? counter : LLVMConstNull(cg->t_ptr)};
		LLVMBuildCall2(B, LLVMGlobalGetValueType(fn), fn, a, 3, "");
	} else if (counter) { /* nothing to send: count here */
		LLVMBuildAtomicRMW(B, LLVMAtomicRMWBinOpAdd, counter, cg_i64(cg, 1), LLVMAtomicOrderingMonotonic, 0);
	}
	LLVMBuildBr(B, cont);
}

void cg_fail_if(struct cg_lower *L, LLVMValueRef cond, LLVMValueRef counter, int event, LLVMValueRef value)
{
	struct cg_ctx *cg = L->cg;

	if (!counter && (event < 0 || !L->ringbuf))
		return;
	LLVMBasicBlockRef failed = cg_block(cg, "failed.at"), done = cg_block(cg, "ok");
	LLVMBuildCondBr(cg->b, cond, failed, done);
	LLVMPositionBuilderAtEnd(cg->b, failed);
	cg_fail(L, counter, event, value, done);
	LLVMPositionBuilderAtEnd(cg->b, done);
}
