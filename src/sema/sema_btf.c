/* sema_btf: where the semantic pass meets kernel types (btf.h) and the C definitions of the script
 * (cdefs.c): written types (`struct sock *`, `struct x`), curtask, the typed arguments of fentry/fexit
 * and raw tracepoints, completing struct stubs before a field is read. Internal to src/sema (see
 * sema_int.h). Errors go to the sema diagnostics with a location; functions return NULL (or t_none)
 * after reporting. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "support/arena.h"
#include "kernel/btf.h"
#include "kernel/dwarf.h"
#include "sema/sema_int.h"

struct btf_types *sema_btf(struct sema *s)
{
	if (!s->btf)
		s->btf = btf_types_new(s->arena);
	return s->btf;
}

struct et_type *sema_curtask_type(struct sema *s)
{
	struct et_type *t = btf_task_ptr(sema_btf(s));

	return t ? t : s->t_u64;
}

struct et_type *sema_named_type(struct sema *s, const char *name, struct et_loc loc)
{
	struct et_type *t = sema_cdef_find(s, name);

	if (t)
		return t;
	if (btf_available(sema_btf(s)) != 0) {
		sema_error(s, loc, "unknown type '%s': the kernel's BTF is not available (%s)", name, strerror(errno));
		sema_hint(s, "etrace takes kernel types from /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF)");
		return NULL;
	}
	t = btf_type_by_name(sema_btf(s), name);
	if (!t) {
		sema_error(s, loc, "unknown type '%s': not in the kernel's BTF", name);
		if (strncmp(name, "struct ", 7) && strncmp(name, "union ", 6) && strncmp(name, "enum ", 5))
			sema_hint(s, "write 'struct %s' for a struct, or one of int8 .. int64, uint8 .. uint64", name);
		return NULL;
	}
	return t;
}

struct et_type *sema_pointer_to(struct sema *s, struct et_type *elem, uint32_t depth)
{
	struct et_type *t = elem;

	for (uint32_t i = 0; i < depth; i++) {
		struct et_type *p = type_new(s->arena, ET_POINTER, 8);

		if (t && t->kind == ET_STRUCT && t->nfields) {
			/* keep type graphs acyclic: a pointer refers to a stub of a completed struct */
			struct et_type *st = type_new(s->arena, ET_STRUCT, t->size);

			st->name = t->name;
			st->btf_id = t->btf_id;
			if (!t->btf_id) { /* a script's C struct: no BTF to complete from, share it */
				st = t;
			}
			t = st;
		}
		p->elem = t && t->kind == ET_VOID ? NULL : t;
		p->btf_id = t ? t->btf_id : 0;
		t = p;
	}
	return t;
}

struct et_type *sema_deref_struct(struct sema *s, struct et_type *t, struct et_loc loc)
{
	struct et_type *c;

	if (t && t->kind == ET_STRUCT && !t->nfields && !t->btf_id && t->name) {
		/* a struct only pointed to when a script definition was read (struct node *next) */
		c = sema_cdef_find(s, t->name);
		if (!c)
			c = btf_type_by_name(sema_btf(s), t->name);
		return c ? c : t;
	}
	if (!t || t->kind != ET_STRUCT || t->nfields || !t->btf_id)
		return t;
	c = btf_complete(sema_btf(s), t);
	if (!c) {
		sema_error(s, loc, "cannot read the fields of '%s' from the kernel's BTF: %s", t->name ? t->name : "?",
			   strerror(errno));
		return NULL;
	}
	return c;
}

/* The provider-specific typed arguments of probe d (fentry/fexit: the function's parameters;
 * rawtracepoint / tp_btf: the tracepoint's btf_trace_<name> parameters). */
struct et_type *sema_btf_args(struct sema *s, const struct et_probe_desc *d, struct et_loc loc,
			      struct et_type **ret, uint32_t *nparams)
{
	struct et_type *args = NULL;
	uint32_t n = 0;
	int err;
	bool is_func = d->provider && d->provider->args == PROVIDER_ARGS_BTF_FUNC;

	if (ret)
		*ret = NULL;
	if (is_func)
		err = btf_func_proto(sema_btf(s), d->func, &args, ret, &n);
	else
		err = btf_tracepoint_proto(sema_btf(s), d->func, &args, &n);
	if (err) {
		sema_error(s, loc, "cannot find the arguments of %s in the kernel's BTF: %s", d->name, strerror(-err));
		if (!is_func)
			sema_hint(s, "raw tracepoints take their types from the kernel's btf_trace_%s type; use "
				     "arg0 .. arg5 for untyped access", d->func);
		return NULL;
	}
	if (nparams)
		*nparams = n;
	return args;
}

struct et_type *sema_dwarf_args(struct sema *s, const struct et_probe_desc *d, struct et_loc loc, bool report,
				struct et_type **ret, uint32_t *nparams)
{
	struct et_type *args = NULL;
	uint32_t n = 0;
	int err;

	if (ret)
		*ret = NULL;
	if (!d->func || !d->target) {
		if (report) {
			sema_error(s, loc, "args needs a function: %s is an address", d->name);
			sema_hint(s, "attach to the function by name (uprobe:BINARY:FUNCTION), or use arg0 .. arg5");
		}
		return NULL;
	}
	err = dwinfo_func_args(s->arena, d->target, d->func, &args, ret, &n);
	if (err && report) {
		if (err == -ENODATA) {
			sema_error(s, loc, "args needs debug info, and %s has no DWARF", d->target);
			sema_hint(s, "build the program with -g (or install its -dbg / -dbgsym package); without it use "
				     "arg0 .. arg5");
		} else if (err == -ENOENT) {
			sema_error(s, loc, "args: the DWARF of %s does not describe function %s", d->target, d->func);
			sema_hint(s, "build the file that defines %s with -g; without it use arg0 .. arg5", d->func);
		} else {
			sema_error(s, loc, "cannot read the DWARF of %s: %s", d->target, strerror(-err));
		}
	}
	if (err)
		return NULL;
	if (nparams)
		*nparams = n;
	return args;
}

struct et_type *sema_enum_ident(struct sema *s, struct ast_node *n)
{
	int64_t v = 0;
	struct et_type *t = sema_cdef_const(s, n->u.name, &v), *r;

	if (!t && btf_available(sema_btf(s)) == 0)
		t = btf_enumerator(sema_btf(s), n->u.name, &v);
	if (!t)
		return NULL;
	r = type_copy(s->arena, t);
	r->size = 8;
	r->is_signed = false;
	n->kind = AST_INT;
	n->u.integer.value = (uint64_t)v;
	n->u.integer.is_unsigned = false;
	n->sym = r;
	return r;
}
