/* cg_builtins_str: the builtins of strings, buffers and addresses: str() (with bpftrace's cut at
 * max_strlen), buf(), path(), strncmp(), ntop(), macaddr(), strlen(), bswap(). See cg_builtins.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/cg_builtins.h"
#include "codegen/syscall_names.h"

/* bpftrace's str() holds max_strlen characters, not max_strlen - 1: it reads max_strlen + 1 bytes and keeps
 * max_strlen, so a string that fills them has no NUL and prints with the truncation trailer (a string of
 * exactly max_strlen characters too: the heuristic cannot tell). Under 1024 bytes only; from 1024 on it
 * reads max_strlen bytes (max_strlen - 1 characters, never the trailer). Here: read cap bytes as usual
 * (cg_read_str), and when the helper filled them (cap - 1 characters and the NUL) and `more` holds (NULL:
 * always), read the byte at cap - 1 again as a plain byte: the next character, or the NUL of a string of
 * cap - 1 characters. Costs nothing unless the string fills the buffer. */
void cg_read_str_cut(struct cg_lower *L, LLVMValueRef dst, uint32_t cap, LLVMValueRef size, LLVMValueRef more,
		     LLVMValueRef addr, int space)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef r = cg_read_str(L, dst, cap, size, addr, space);
	if (cap < 2 || cap >= CG_STR_PAD_LIMIT)
		return;
	LLVMValueRef full = LLVMBuildICmp(B, LLVMIntEQ, r, cg_i64(cg, cap), "");
	if (more)
		full = LLVMBuildAnd(B, full, more, "");
	LLVMBasicBlockRef last = cg_block(cg, "str.last"), done = cg_block(cg, "str.cut");
	LLVMBuildCondBr(B, full, last, done);
	LLVMPositionBuilderAtEnd(B, last);
	LLVMValueRef at = cg_gep(cg, dst, cap - 1);
	LLVMValueRef from = LLVMBuildAdd(B, addr, cg_i64(cg, cap - 1), "");
	LLVMValueRef k = cg_probe_read(cg, space == 1, false, at, 1, from);
	if (space < 0) { /* the string came from kernel or user memory: the byte does too */
		LLVMBasicBlockRef user = cg_block(cg, "str.last.user");
		LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, k, cg_i64(cg, 0), ""), user, done);
		LLVMPositionBuilderAtEnd(B, user);
		cg_probe_read(cg, true, false, at, 1, from);
	}
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
}

/* str(p [, n]): a string of max_strlen bytes read from p (see cg_read_str_cut) */
struct cg_val cg_bi_str(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a0 = args->items[0];
	uint32_t cap = n->type ? n->type->size : 64;

	(void)c;
	LLVMValueRef addr, size = NULL, more = NULL;
	int space;
	if (a0->type && a0->type->kind == ET_STRING) {
		/* str($1) of a string positional, or str("lit"): the value itself */
		struct cg_val v = cg_expr(L, a0);
		uint32_t held = (a0->type->size > cap ? a0->type->size : cap) + 1;
		LLVMValueRef p = cg_temp(L, args->count > 1 ? held : cap, "str");
		cg_store(L, p, args->count > 1 ? a0->type : n->type, v, a0->type);
		if (args->count == 1)
			return cg_val_mem(p);
		/* str(s, n) reads it as str(p, n) reads memory (n - 1 characters, as today's bpftrace):
		 * from this NUL-terminated copy on the stack */
		addr = LLVMBuildPtrToInt(B, p, cg->t_i64, "");
		space = 0;
	} else {
		addr = cg_scalar(L, a0);
		space = cg_addr_space(L, a0);
	}
	if (args->count > 1) {
		/* str(p, n): n bytes with the NUL, so n - 1 characters (today's bpftrace; 0.17 read n + 1
		 * bytes); an n over the capacity reads like str(p) */
		LLVMValueRef n_arg = cg_scalar(L, args->items[1]);
		size = cg_clamp(L, n_arg, cap);
		more = LLVMBuildICmp(B, LLVMIntUGT, n_arg, cg_i64(cg, cap), "");
	}
	LLVMValueRef p = cg_temp(L, cap, "str");
	cg_read_str_cut(L, p, cap, size, more, addr, space);
	return cg_val_mem(p);
}

/* buf(ptr, len) / buf(array): ET_BUFFER { u32 len; u8 data[cap] }, len clamped to cap. */
struct cg_val cg_bi_buf(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a0 = args->items[0];
	uint32_t cap = n->type && n->type->size > 4 ? n->type->size - 4 : 0;
	LLVMValueRef p = cg_temp(L, 4 + cap, "buf");
	LLVMValueRef data = cg_gep(cg, p, 4);

	(void)c;
	if (args->count == 1) { /* an array value */
		struct cg_val v = cg_expr(L, a0);
		if (v.mem)
			cg_memcpy(cg, data, v.v, cap);
		LLVMBuildStore(B, LLVMConstInt(cg->t_i32, cap, 0), p);
		return cg_val_mem(p);
	}
	LLVMValueRef addr = cg_scalar(L, a0);
	LLVMValueRef len = cg_clamp(L, cg_scalar(L, args->items[1]), cap);
	LLVMValueRef len32 = LLVMBuildTrunc(B, len, cg->t_i32, "");
	int space = cg_addr_space(L, a0);
	enum cg_helper h = space == 1 ? CG_H_probe_read_user : CG_H_probe_read_kernel;
	LLVMValueRef src = LLVMBuildIntToPtr(B, addr, cg->t_ptr, "");
	LLVMValueRef ra[3] = {data, len32, src};
	cg_loc(L, n); /* a failed read is reported at the call (-k), not at its last argument */
	LLVMValueRef r = cg_helper(cg, h, ra, 3);
	if (space == 1)
		cg_count_read_fault(L, r, "probe_read_user");
	if (space < 0) { /* unknown address space: a kernel read of a user address fails; retry as user */
		LLVMBasicBlockRef retry = cg_block(cg, "buf.user"), done = cg_block(cg, "buf.done");
		LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntSLT, r, cg_i64(cg, 0), ""), retry, done);
		LLVMPositionBuilderAtEnd(B, retry);
		LLVMValueRef rb[3] = {data, len32, src};
		cg_count_read_fault(L, cg_helper(cg, CG_H_probe_read_user, rb, 3), "probe_read_user");
		LLVMBuildBr(B, done);
		LLVMPositionBuilderAtEnd(B, done);
	}
	LLVMBuildStore(B, len32, p);
	return cg_val_mem(p);
}

/* path(p): bpf_d_path into a string temporary; the kernel wants p as the typed kernel pointer it is (a
 * `struct path *` argument, or the address of the f_path member of one), see cg_btf_ptr. A failure (a
 * path longer than the buffer) gives the empty string. */
struct cg_val cg_bi_path(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_node *a = n->u.call.args.items[0];
	uint32_t size = n->type ? n->type->size : 64;
	LLVMValueRef p = NULL;

	(void)c;
	if (a->type && a->type->kind == ET_POINTER)
		p = cg_btf_ptr(L, a);
	else if (a->kind == AST_FIELD && a->sym && (p = cg_btf_ptr(L, a->u.field.base)))
		p = LLVMBuildAdd(cg->b, p, cg_i64(cg, cg_field_of(L, a)->offset), "");
	if (!p) {
		cg_error(L, a, "path() needs a struct path reached through the probe's arguments (args.file->f_path)");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	LLVMValueRef buf = cg_temp(L, size, "path");
	LLVMValueRef len = cg_d_path(cg, p, buf, size);
	LLVMValueRef first = LLVMBuildLoad2(cg->b, cg->t_i8, buf, "");
	LLVMValueRef failed = LLVMBuildICmp(cg->b, LLVMIntSLT, len, cg_i64(cg, 0), "");
	LLVMBuildStore(cg->b, LLVMBuildSelect(cg->b, failed, LLVMConstInt(cg->t_i8, 0, 0), first, ""), buf);
	return cg_val_mem(buf);
}

struct cg_val cg_bi_strncmp(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_list *args = &n->u.call.args;
	struct cg_val a = cg_expr(L, args->items[0]), b = cg_expr(L, args->items[1]);
	const struct sema_const *k = args->items[2]->sym;
	uint64_t lim = k ? (uint64_t)k->value : args->items[2]->u.integer.value;
	uint32_t nb = cg_str_cap(args->items[0]->type);

	(void)c;
	if (cg_str_cap(args->items[1]->type) < nb)
		nb = cg_str_cap(args->items[1]->type);
	if (lim < nb)
		nb = (uint32_t)lim;
	LLVMValueRef eq = cg_str_equal(L, a.v, b.v, nb);
	return cg_val_scalar(LLVMBuildZExt(cg->b, LLVMBuildNot(cg->b, eq, ""), cg->t_i64, ""));
}

/* ntop([af,] addr): ET_INET { u64 af; u8 addr[16] } */
struct cg_val cg_bi_ntop(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	struct ast_list *args = &n->u.call.args;
	struct ast_node *an = args->items[args->count - 1];
	LLVMValueRef p = cg_temp(L, 24, "inet");
	uint32_t sz = an->type ? an->type->size : 4;
	LLVMValueRef af = args->count == 2 ? cg_scalar(L, args->items[0])
					   : cg_i64(cg, !cg_is_scalar_type(an->type) && sz == 16 ? 10 : 2);

	(void)c;
	LLVMBuildStore(cg->b, af, p);
	struct cg_val a = cg_expr(L, an);
	if (a.mem)
		cg_memcpy(cg, cg_gep(cg, p, 8), a.v, sz > 16 ? 16 : sz);
	else
		LLVMBuildStore(cg->b, LLVMBuildTrunc(cg->b, a.v, cg->t_i32, ""), cg_gep(cg, p, 8));
	return cg_val_mem(p);
}

/* macaddr(a): ET_INET with af 17 (AF_PACKET): the 6 bytes at addr */
struct cg_val cg_bi_macaddr(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMValueRef p = cg_temp(L, 24, "mac");
	struct cg_val a = cg_expr(L, n->u.call.args.items[0]);

	(void)c;
	LLVMBuildStore(cg->b, cg_i64(cg, 17), p);
	if (a.mem)
		cg_memcpy(cg, cg_gep(cg, p, 8), a.v, 6);
	return cg_val_mem(p);
}

/* strlen(s): the bytes before the first NUL of the string's (or array's) `cap` bytes, cap when there is
 * none (a str() cut at max_strlen). A bounded loop the verifier walks once per byte. */
struct cg_val cg_bi_strlen(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *a = c->expr ? c->expr : n->u.call.args.items[0];
	uint32_t cap = a->type ? a->type->size : 0;
	struct cg_val s = cg_expr(L, a);

	if (!s.mem || !cap) {
		cg_error(L, n, "strlen() of a value that is not in memory");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef head = cg_block(cg, "strlen.head"), body = cg_block(cg, "strlen.body"),
			  done = cg_block(cg, "strlen.done");
	LLVMBuildBr(B, head);
	LLVMPositionBuilderAtEnd(B, head);
	LLVMValueRef i = LLVMBuildPhi(B, cg->t_i64, "i");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, i, cg_i64(cg, cap), ""), body, done);
	LLVMPositionBuilderAtEnd(B, body);
	LLVMValueRef ch = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, s.v, &i, 1, ""), "");
	LLVMValueRef i1 = LLVMBuildAdd(B, i, cg_i64(cg, 1), "");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, ch, LLVMConstInt(cg->t_i8, 0, 0), ""), done, head);
	LLVMValueRef iv[2] = {cg_i64(cg, 0), i1};
	LLVMBasicBlockRef ib[2] = {pre, body};
	LLVMAddIncoming(i, iv, ib, 2);
	LLVMPositionBuilderAtEnd(B, done);
	LLVMValueRef len = LLVMBuildPhi(B, cg->t_i64, "strlen");
	LLVMValueRef lv[2] = {i, i};
	LLVMBasicBlockRef lb[2] = {head, body};
	LLVMAddIncoming(len, lv, lb, 2);
	return cg_val_scalar(len);
}

/* bswap(n): llvm.bswap at n's width (sema: the result type's size); a byte is itself */
struct cg_val cg_bi_bswap(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	uint32_t size = n->type ? n->type->size : 8;
	LLVMValueRef v = cg_scalar(L, n->u.call.args.items[0]);

	(void)c;
	if (size != 2 && size != 4 && size != 8)
		return cg_val_scalar(LLVMBuildAnd(B, v, cg_i64(cg, 0xff), "bswap"));
	static const char name[] = "llvm.bswap";
	LLVMTypeRef ty = LLVMIntTypeInContext(cg->ctx, size * 8);
	unsigned id = LLVMLookupIntrinsicID(name, sizeof(name) - 1);
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &ty, 1);
	LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, &ty, 1);
	LLVMValueRef x = size == 8 ? v : LLVMBuildTrunc(B, v, ty, "");
	LLVMValueRef r = LLVMBuildCall2(B, fty, fn, &x, 1, "bswap");
	return cg_val_scalar(size == 8 ? r : LLVMBuildZExt(B, r, cg->t_i64, ""));
}

/* ---- strerror(), signal_name(), syscall_name(): names looked up in a table of the program ---- */

#define NAME_LEN 64       /* sema's SEMA_NAME_LEN: bpftrace's string[64] */
#define ERRNO_TABLE 134   /* 0 .. EHWPOISON (133), the errnos libc names on Linux */
#define SIGNAL_TABLE 65   /* 0 .. SIGRTMAX (64) */

/* The errnos whose text bpftrace prints differently from libc's strerror (mostly the kernel headers'
 * wording): what users see from bpftrace is what they must see here. Checked entry by entry against
 * glibc 2.36; the other errnos print libc's text in both. */
static const struct {
	int err;
	const char *text;
} bpftrace_errno_texts[] = {
	{EIO, "I/O error"},
	{EBADF, "Bad file number"},
	{EAGAIN, "Try again (operation would block)"},
	{ENOMEM, "Out of memory"},
	{EXDEV, "Cross-device link"},
	{ENFILE, "File table overflow"},
	{ENOTTY, "Not a typewriter"},
	{EDOM, "Math argument out of domain of func"},
	{ERANGE, "Math result not representable"},
	{EDEADLK, "Resource deadlock would occur"},
	{ENOLCK, "No record locks available"},
	{ENOSYS, "Invalid system call number"},
	{ELOOP, "Too many symbolic links encountered"},
	{EBADMSG, "Not a data message"},
	{EILSEQ, "Illegal byte sequence"},
	{EOPNOTSUPP, "Operation not supported on transport endpoint"},
	{ENETRESET, "Network dropped connection because of reset"},
	{EDQUOT, "Quota exceeded"},
	{ECANCELED, "Operation Canceled"},
};

/* Entry i of the table of `id` in `out` (NAME_LEN bytes), as bpftrace prints them: libc's texts in the C
 * locale (strerror(3), strsignal(3)) but for bpftrace_errno_texts, an errno libc does not know
 * ("Unknown error N") as "Unknown error"; the entry past the end is the text of a number out of range
 * ("Unknown error", "N/A", "Unknown syscall"); syscall_name's names come from the build host's
 * <asm/unistd.h> (scripts/gen-syscall-names), a number without a name is "Unknown syscall". */
static void name_entry(enum builtin_id id, uint32_t i, uint32_t n, locale_t c_locale, char *out)
{
	const char *text;

	if (id == BI_STRERROR) {
		text = i < n && c_locale ? strerror_l((int)i, c_locale) : "Unknown error";
		if (strncmp(text, "Unknown error ", 14) == 0)
			text = "Unknown error";
		for (size_t k = 0; i < n && k < sizeof(bpftrace_errno_texts) / sizeof(bpftrace_errno_texts[0]); k++)
			if (bpftrace_errno_texts[k].err == (int)i)
				text = bpftrace_errno_texts[k].text;
	} else if (id == BI_SYSCALL_NAME) {
		text = i < n && syscall_names[i] ? syscall_names[i] : "Unknown syscall";
	} else {
		text = i < n ? strsignal((int)i) : "N/A";
	}
	snprintf(out, NAME_LEN, "%s", text ? text : "");
}

struct cg_val cg_bi_name_table(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	uint32_t entries = c->id == BI_STRERROR	       ? ERRNO_TABLE
			   : c->id == BI_SYSCALL_NAME ? (uint32_t)(sizeof(syscall_names) / sizeof(syscall_names[0]))
						      : SIGNAL_TABLE;
	const char *name = c->id == BI_STRERROR	      ? "etrace_strerror"
			   : c->id == BI_SYSCALL_NAME ? "etrace_syscall_name"
						      : "etrace_signal_name";
	LLVMValueRef table = LLVMGetNamedGlobal(cg->mod, name);

	if (!table) {
		char *bytes = calloc(entries + 1, NAME_LEN);
		locale_t cl = newlocale(LC_ALL_MASK, "C", (locale_t)0);

		if (!bytes) {
			cg_error(L, n, "out of memory");
			return cg_val_scalar(cg_i64(cg, 0));
		}
		for (uint32_t i = 0; i <= entries; i++)
			name_entry(c->id, i, entries, cl, bytes + (size_t)i * NAME_LEN);
		if (cl)
			freelocale(cl);
		table = cg_rodata_bytes(cg, name, bytes, (entries + 1) * NAME_LEN);
		free(bytes);
	}
	/* as bpftrace: the number as an int32; strerror's sign dropped; out of range: the last entry */
	LLVMValueRef v = LLVMBuildSExt(B, LLVMBuildTrunc(B, cg_scalar(L, n->u.call.args.items[0]), cg->t_i32, ""),
				       cg->t_i64, "");
	if (c->id == BI_STRERROR)
		v = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSLT, v, cg_i64(cg, 0), ""), LLVMBuildNeg(B, v, ""), v, "");
	LLVMValueRef in = LLVMBuildICmp(B, LLVMIntULT, v, cg_i64(cg, entries), "");
	LLVMValueRef idx = cg_clamp(L, LLVMBuildSelect(B, in, v, cg_i64(cg, entries), ""), entries);
	LLVMValueRef off = LLVMBuildMul(B, idx, cg_i64(cg, NAME_LEN), "");
	LLVMValueRef out = cg_temp(L, NAME_LEN, "name");
	cg_memcpy(cg, out, LLVMBuildGEP2(B, cg->t_i8, table, &off, 1, ""), NAME_LEN);
	return (struct cg_val){out, true};
}

/* ---- strstr(), strcontains(), strcap() ---- */

/* strstr(h, n), strcontains(h, n): the first i where the bytes of n before its NUL (or its capacity) are
 * those of h from i, h read up to its own NUL or capacity; -1 (false) when there is none, 0 for an empty
 * needle, as bpftrace's __bpf_strnstr. Two bounded loops the verifier walks once per pair (i, j), with
 * i and j constants in each state, so the reads need no clamp. */
struct cg_val cg_bi_strstr(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *ha = n->u.call.args.items[0], *na = n->u.call.args.items[1];
	uint32_t hcap = ha->type ? ha->type->size : 0, ncap = na->type ? na->type->size : 0;
	struct cg_val h = cg_expr(L, ha), nd = cg_expr(L, na);
	LLVMValueRef zero8 = LLVMConstInt(cg->t_i8, 0, 0), one = cg_i64(cg, 1);

	if (!h.mem || !nd.mem || !hcap || !ncap) {
		cg_error(L, n, "%s() of a value that is not in memory", n->u.call.name);
		return cg_val_scalar(cg_i64(cg, 0));
	}
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef outer = cg_block(cg, "strstr.outer"), inner = cg_block(cg, "strstr.inner"),
			  load = cg_block(cg, "strstr.load"), check = cg_block(cg, "strstr.check"),
			  cmp = cg_block(cg, "strstr.cmp"), next = cg_block(cg, "strstr.next"),
			  found = cg_block(cg, "strstr.found"), none = cg_block(cg, "strstr.none"),
			  done = cg_block(cg, "strstr.done");
	LLVMBuildBr(B, outer);

	LLVMPositionBuilderAtEnd(B, outer); /* i: where the needle is tried */
	LLVMValueRef i = LLVMBuildPhi(B, cg->t_i64, "i");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, i, cg_i64(cg, hcap), ""), inner, none);

	LLVMPositionBuilderAtEnd(B, inner); /* j: the needle's byte compared */
	LLVMValueRef j = LLVMBuildPhi(B, cg->t_i64, "j");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, j, cg_i64(cg, ncap), ""), load, found);

	LLVMPositionBuilderAtEnd(B, load);
	LLVMValueRef nch = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, nd.v, &j, 1, ""), "");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, nch, zero8, ""), found, check);

	LLVMPositionBuilderAtEnd(B, check);
	LLVMValueRef k = LLVMBuildAdd(B, i, j, "k");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, k, cg_i64(cg, hcap), ""), cmp, next);

	LLVMPositionBuilderAtEnd(B, cmp); /* a NUL of the haystack never equals the needle's byte */
	LLVMValueRef hch = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, h.v, &k, 1, ""), "");
	LLVMValueRef j1 = LLVMBuildAdd(B, j, one, "");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, hch, nch, ""), inner, next);

	LLVMPositionBuilderAtEnd(B, next); /* no match at i: the haystack ends at its NUL */
	LLVMValueRef hi = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, h.v, &i, 1, ""), "");
	LLVMValueRef i1 = LLVMBuildAdd(B, i, one, "");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntEQ, hi, zero8, ""), none, outer);

	LLVMValueRef iv[2] = {cg_i64(cg, 0), i1}, jv[2] = {cg_i64(cg, 0), j1};
	LLVMBasicBlockRef ib[2] = {pre, next}, jb[2] = {outer, cmp};
	LLVMAddIncoming(i, iv, ib, 2);
	LLVMAddIncoming(j, jv, jb, 2);

	LLVMPositionBuilderAtEnd(B, found);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, none);
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	LLVMValueRef r = LLVMBuildPhi(B, cg->t_i64, "strstr");
	/* strcontains: 1 or 0 straight from the two ends, not from the index, so that the verifier does not
	 * carry one state per index found into the code after the search */
	bool contains = c->id == BI_STRCONTAINS;
	LLVMValueRef rv[2] = {contains ? one : i, cg_i64(cg, contains ? 0 : -1)};
	LLVMBasicBlockRef rb[2] = {found, none};
	LLVMAddIncoming(r, rv, rb, 2);
	return cg_val_scalar(r);
}

/* strcap(s): a constant, the string's size or the int8 array's length; of an int8 pointer (sema read it
 * through str(), c->expr), its length as strlen() counts it, as bpftrace's stdlib. */
struct cg_val cg_bi_strcap(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];

	if (c->expr)
		return cg_bi_strlen(L, n, c);
	return cg_val_scalar(cg_i64(L->cg, a->type ? a->type->size : 0));
}

/* str_concat(s1, s2): sema's string[1024] (n->type). s1 is read with probe_read_kernel_str at the start,
 * s2 the same way where s1's NUL is; each read is one byte larger than its string, so a string full to
 * its capacity (no NUL) keeps every character. The buffer is s2's size larger than the result so that
 * the second read fits wherever the first ended (the verifier checks the largest offset with the
 * largest size); byte 1023 is then set to NUL, cutting as bpftrace's string[1024] does. */
struct cg_val cg_bi_str_concat(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	struct ast_node *a1 = n->u.call.args.items[0], *a2 = n->u.call.args.items[1];
	uint32_t size = n->type ? n->type->size : 0, cap1 = a1->type ? a1->type->size : 0,
		 cap2 = a2->type ? a2->type->size : 0;
	struct cg_val s1 = cg_expr(L, a1), s2 = cg_expr(L, a2);

	(void)c;
	if (!s1.mem || !s2.mem || !size || !cap1 || !cap2 || cap2 > size) {
		cg_error(L, n, "str_concat() of a value that is not in memory");
		return cg_val_scalar(cg_i64(cg, 0));
	}
	uint32_t r1 = cap1 + 1 < size ? cap1 + 1 : size;
	LLVMValueRef out = cg_temp(L, size + cap2, "concat");
	LLVMValueRef a[3] = {out, cg_i64(cg, r1), s1.v};
	LLVMValueRef n1 = cg_helper(cg, CG_H_probe_read_kernel_str, a, 3);
	/* the first read's length without its NUL (0 on a failed read), at most r1 - 1 */
	LLVMValueRef l1 = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntSGT, n1, cg_i64(cg, 0), ""),
					  LLVMBuildSub(B, n1, cg_i64(cg, 1), ""), cg_i64(cg, 0), "");
	l1 = cg_clamp(L, l1, r1 - 1);
	LLVMValueRef b[3] = {LLVMBuildGEP2(B, cg->t_i8, out, &l1, 1, ""), cg_i64(cg, cap2 + 1), s2.v};
	cg_helper(cg, CG_H_probe_read_kernel_str, b, 3);
	LLVMBuildStore(B, LLVMConstInt(cg->t_i8, 0, 0), cg_gep(cg, out, size - 1));
	return cg_val_mem(out);
}

/* memcmp(a, b, count): count (sema: c->index) bytes of each value compared from the first; a value
 * that is not in memory (an integer) is compared as its 8 bytes in memory (little-endian on x86 and
 * arm64, as bpftrace's &$left). The difference of the first pair that differs, as signed chars. */
struct cg_val cg_bi_memcmp(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	LLVMBuilderRef B = cg->b;
	LLVMValueRef p[2];

	for (uint32_t k = 0; k < 2; k++) {
		struct cg_val v = cg_expr(L, n->u.call.args.items[k]);
		if (v.mem) {
			p[k] = v.v;
		} else {
			p[k] = cg_temp(L, 8, "memcmp");
			LLVMBuildStore(B, LLVMBuildZExt(B, v.v, cg->t_i64, ""), p[k]);
		}
	}
	if (c->index <= 0)
		return cg_val_scalar(cg_i64(cg, 0));
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(B);
	LLVMBasicBlockRef head = cg_block(cg, "memcmp.head"), body = cg_block(cg, "memcmp.body"),
			  diff = cg_block(cg, "memcmp.diff"), done = cg_block(cg, "memcmp.done");
	LLVMBuildBr(B, head);
	LLVMPositionBuilderAtEnd(B, head);
	LLVMValueRef i = LLVMBuildPhi(B, cg->t_i64, "i");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntULT, i, cg_i64(cg, (uint64_t)c->index), ""), body, done);
	LLVMPositionBuilderAtEnd(B, body);
	LLVMValueRef l = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, p[0], &i, 1, ""), "");
	LLVMValueRef r = LLVMBuildLoad2(B, cg->t_i8, LLVMBuildGEP2(B, cg->t_i8, p[1], &i, 1, ""), "");
	LLVMValueRef i1 = LLVMBuildAdd(B, i, cg_i64(cg, 1), "");
	LLVMBuildCondBr(B, LLVMBuildICmp(B, LLVMIntNE, l, r, ""), diff, head);
	LLVMValueRef iv[2] = {cg_i64(cg, 0), i1};
	LLVMBasicBlockRef ib[2] = {pre, body};
	LLVMAddIncoming(i, iv, ib, 2);
	LLVMPositionBuilderAtEnd(B, diff);
	LLVMValueRef d = LLVMBuildSub(B, LLVMBuildSExt(B, l, cg->t_i64, ""), LLVMBuildSExt(B, r, cg->t_i64, ""), "");
	LLVMBuildBr(B, done);
	LLVMPositionBuilderAtEnd(B, done);
	LLVMValueRef res = LLVMBuildPhi(B, cg->t_i64, "memcmp");
	LLVMValueRef rv[2] = {cg_i64(cg, 0), d};
	LLVMBasicBlockRef rb[2] = {head, diff};
	LLVMAddIncoming(res, rv, rb, 2);
	return cg_val_scalar(res);
}

/* pton("addr"): the bytes sema's check proved the literal gives (inet_pton), a constant of the program
 * copied into a temporary: a uint8[4] or uint8[16] value (n->type). */
struct cg_val cg_bi_pton(struct cg_lower *L, struct ast_node *n, const struct sema_call *c)
{
	struct cg_ctx *cg = L->cg;
	const char *text = n->u.call.args.items[0]->u.string.bytes;
	uint32_t size = n->type ? n->type->size : 0;
	unsigned char bytes[16];
	char name[48]; /* the prefix and 32 hex digits */

	(void)c;
	if (inet_pton(size == 16 ? AF_INET6 : AF_INET, text, bytes) != 1 || (size != 4 && size != 16)) {
		cg_error(L, n, "pton(): \"%s\" is not an address", text);
		return cg_val_scalar(cg_i64(cg, 0));
	}
	/* one constant per distinct address: named by its bytes */
	int at = snprintf(name, sizeof(name), "etrace_pton_");
	for (uint32_t i = 0; i < size; i++)
		at += snprintf(name + at, sizeof(name) - (size_t)at, "%02x", bytes[i]);
	LLVMValueRef out = cg_temp(L, size, "pton");
	cg_memcpy(cg, out, cg_rodata_bytes(cg, name, bytes, size), size);
	return cg_val_mem(out);
}
