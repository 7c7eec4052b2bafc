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

/* One answer of a uprobe target's DWARF, kept for the compilation: sema asks once per cast and pass,
 * and every ask would read the file's DWARF again. */
struct sema_dwarf_type {
	struct sema_dwarf_type *next;
	const char *path, *name;
	struct et_type *type; /* NULL: not defined there (or no DWARF) */
};

static struct et_type *dwarf_type(struct sema *s, const char *path, const char *name)
{
	struct sema_dwarf_type *c;

	for (c = s->dwarf_types; c; c = c->next)
		if (strcmp(c->path, path) == 0 && strcmp(c->name, name) == 0)
			return c->type;
	c = arena_alloc(s->arena, sizeof(*c));
	c->path = path;
	c->name = arena_strdup(s->arena, name);
	c->type = NULL;
	if (dwinfo_type_by_name(s->arena, path, name, &c->type) != 0)
		c->type = NULL;
	c->next = s->dwarf_types;
	s->dwarf_types = c;
	return c->type;
}

/* In a uprobe/uretprobe, a type the probed binary's DWARF defines (bpftrace looks there before BTF):
 * the first of the probe's binaries that has it. */
static struct et_type *uprobe_dwarf_type(struct sema *s, const char *name, const char **where)
{
	const struct sema_probe_ctx *pc = s->probe;
	const char *last = NULL;

	*where = NULL;
	if (!pc || !pc->info)
		return NULL;
	for (uint32_t i = 0; i < pc->info->count; i++) {
		const struct et_probe_desc *d = &s->prog->probes[pc->info->first + i];
		struct et_type *t;
		unsigned need = PROVIDER_HAS_FUNC | PROVIDER_HAS_USER;

		if ((d->provider->flags & need) != need || !d->target || (last && strcmp(last, d->target) == 0))
			continue;
		last = *where = d->target;
		t = dwarf_type(s, d->target, name);
		if (t)
			return t;
	}
	return NULL;
}

struct et_type *sema_named_type(struct sema *s, const char *name, struct et_loc loc)
{
	struct et_type *t = sema_cdef_find(s, name);
	const char *binary;

	if (t)
		return t;
	if (sema_cdef_failed(s, name))
		return NULL; /* the definition's error was reported */
	t = uprobe_dwarf_type(s, name, &binary);
	if (t)
		return t;
	if (binary && btf_available(sema_btf(s)) != 0) {
		sema_error(s, loc, "unknown type '%s': not in the DWARF of %s, and the kernel's BTF is not available",
			   name, binary);
		sema_hint(s, "build the program with -g, or define the type in the script");
		return NULL;
	}
	if (btf_available(sema_btf(s)) != 0) {
		sema_error(s, loc, "unknown type '%s': the kernel's BTF is not available (%s)", name, strerror(errno));
		sema_hint(s, "etrace takes kernel types from /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF)");
		return NULL;
	}
	t = btf_type_by_name(sema_btf(s), name);
	if (!t) {
		if (binary)
			sema_error(s, loc, "unknown type '%s': not in the DWARF of %s nor in the kernel's BTF", name,
				   binary);
		else
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

	/* a kernel struct the script defines again: the script's definition wins, as in bpftrace (which
	 * finds every named struct by its name), also through a pointer typed from BTF or a tracepoint
	 * format (args.rqtp of struct __kernel_timespec *) */
	if (t && t->kind == ET_STRUCT && t->btf_id && t->name && (c = sema_cdef_find(s, t->name)) && c->nfields)
		return c;
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
	if (is_func && d->target && strcmp(d->target, "bpf") == 0) {
		/* fentry:bpf:ID:FUNC: the function's prototype in that program's BTF */
		const struct btf *pb = btf_bpf_prog((uint32_t)d->offset);

		err = pb ? btf_func_proto(btf_types_new_from(s->arena, (struct btf *)pb), d->func, &args, ret, &n)
			 : -errno;
	} else if (is_func) {
		err = btf_func_proto(sema_btf(s), d->func, &args, ret, &n);
	} else {
		err = btf_tracepoint_proto(sema_btf(s), d->func, &args, &n);
	}
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
