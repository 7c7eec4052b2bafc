/* builtins_sym: the checks of symbols, registers and pointers (ksym, usym, kaddr, uaddr, reg, kptr, uptr),
 * and kfunc_exist (a kernel function in BTF). */
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probes/arch/arch.h"
#include "kernel/btf.h"
#include "kernel/elf.h"
#include "probes/tracepoint.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* A kernel symbol's address from /proc/kallsyms, data symbols included (0 / -ENOENT; addresses need root
 * to be shown). */
int bi_kallsyms_addr(const char *name, uint64_t *addr)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char sym[256];

		if (sscanf(line, "%llx %*c %255s", &a, sym) == 2 && a && strcmp(sym, name) == 0) {
			*addr = a;
			err = 0;
		}
	}
	fclose(f);
	return err;
}

/* ksym(addr), usym(addr): the address, printed as a symbol (type: ET_KSYM / ET_USYM) */
struct et_type *check_sym(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!bi_kind_arg(s, n, 0, bi_is_address, "an address"))
		return s->t_none;
	return c->id == BI_KSYM ? type_new(s->arena, ET_KSYM, 8) : type_new(s->arena, ET_USYM, 16);
}

static bool kernel_symbol(struct sema *s, struct ast_node *n, struct ast_node *a, uint64_t *addr)
{
	(void)n;
	if (bi_kallsyms_addr(a->u.string.bytes, addr)) {
		sema_error(s, a->loc, "no kernel symbol '%s' in /proc/kallsyms", a->u.string.bytes);
		return false;
	}
	return true;
}

static bool user_symbol(struct sema *s, struct ast_node *n, struct ast_node *a, uint64_t *addr)
{
	const struct et_probe_desc *d = s->probe && s->probe->info->count ? &s->prog->probes[s->probe->info->first]
									  : NULL;
	bool is_dyn = false;

	if (!d || !d->target || !(d->provider->flags & PROVIDER_HAS_USER)) {
		sema_error(s, n->loc, "uaddr() needs a uprobe or usdt probe (its binary has the symbol)");
		return false;
	}
	if (elf_symbol_addr(d->target, a->u.string.bytes, addr, &is_dyn)) {
		sema_error(s, a->loc, "no symbol '%s' in %s", a->u.string.bytes, d->target);
		return false;
	}
	if (is_dyn) {
		sema_error(s, a->loc, "uaddr(): %s is position independent (PIE or a shared object): its symbols move "
			   "when it is loaded", d->target);
		sema_hint(s, "build the program with -no-pie to use uaddr()");
		return false;
	}
	return true;
}

/* kaddr("sym") / uaddr("sym"): the symbol's address (looked up by `find`), a constant in the argument's
 * sym (struct sema_const) */
struct et_type *check_addr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	bool (*find)(struct sema *s, struct ast_node *n, struct ast_node *a, uint64_t *addr) =
		c->id == BI_KADDR ? kernel_symbol : user_symbol;
	struct ast_node *a = n->u.call.args.items[0];
	struct sema_const *k;
	uint64_t addr = 0;

	if (!bi_is_string_lit(a)) {
		sema_error(s, a->loc, "%s() expects a symbol name as a string literal", builtin_name(c->id));
		return s->t_none;
	}
	if (!find(s, n, a, &addr))
		return s->t_none;
	k = arena_alloc(s->arena, sizeof(*k));
	k->value = (int64_t)addr;
	a->sym = k;
	a->type = s->t_u64;
	return s->t_u64;
}

struct et_type *check_reg(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	uint32_t size;
	int off;

	if (!bi_is_string_lit(a)) {
		sema_error(s, a->loc, "reg() expects a register name as a string literal, e.g. reg(\"ip\")");
		return s->t_none;
	}
	/* perf event probes (profile, software, hardware, watchpoint...) have the interrupted code's
	 * registers too: bpf_perf_event_data starts with them, laid out as pt_regs (bpftrace allows reg()) */
	bool perf = s->probe->nproviders > 0;

	for (uint32_t i = 0; i < s->probe->nproviders; i++)
		perf = perf && s->probe->providers[i]->ctx == PROVIDER_CTX_PERF_EVENT;
	if (!perf && !bi_need_flag(s, n, PROVIDER_HAS_FUNC, "reg()",
				   "registers exist in kprobe, uprobe, usdt and perf event (profile, software, "
				   "hardware, watchpoint) probes"))
		return s->t_none;
	off = arch_reg_offset(a->u.string.bytes, &size);
	if (off < 0 && strcmp(a->u.string.bytes, "ip") == 0)
		off = (int)arch_current()->pc_offset;
	else if (off < 0 && strcmp(a->u.string.bytes, "sp") == 0)
		off = (int)arch_current()->sp_offset;
	if (off < 0) {
		sema_error(s, a->loc, "unknown register '%s' for %s", a->u.string.bytes, arch_current()->name);
		return s->t_none;
	}
	c->index = off;
	return s->t_u64;
}

/* kptr(p) / uptr(p): p unchanged, its address space fixed (reads through it: kernel / user) */
struct et_type *check_ptr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	enum et_addr_space space = c->id == BI_KPTR ? ET_AS_KERNEL : ET_AS_USER;
	struct et_type *t = bi_kind_arg(s, n, 0, bi_is_address, "a pointer or an integer address"), *r;

	if (!t)
		return s->t_none;
	r = type_new(s->arena, ET_POINTER, 8);
	if (t->kind == ET_POINTER)
		*r = *t;
	r->space = space;
	if (space == ET_AS_USER)
		r->btf_id = 0; /* never a typed kernel pointer the verifier lets us load through */
	return r;
}

/* kfunc_exist("name"): a compile-time bool, whether vmlinux's BTF has that function (bpftrace asks
 * the same of BTF); the call becomes that literal. */
struct et_type *check_kfunc_exist(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];

	if (!bi_is_string_lit(a)) {
		sema_expr(s, a);
		sema_error(s, a->loc, "kfunc_exist() accepts a string literal only");
		sema_hint(s, "write the kernel function's name in quotes, e.g. kfunc_exist(\"bpf_task_from_pid\")");
		return s->t_none;
	}
	a->type = type_string(s->arena, a->u.string.len + 1);
	c->expr = ast_new_bool(s->arena, n->loc, btf_has_func(a->u.string.bytes));
	return sema_expr(s, c->expr);
}
