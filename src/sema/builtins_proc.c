/* builtins_proc: the checks of bpftrace's stdlib builtins about the process and the probe that are not
 * plain kernel values: username (the uid, printed as a name), cgroup_path (an id printed as a path), probetype (a string literal known at
 * compile time), cgroupid(path) (an integer literal known at compile time) and the namespace argument
 * of pid and tid. */
#define _GNU_SOURCE /* name_to_handle_at */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include "probes/provider.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* username: uid, typed so that print/printf/json give the user's name (runtime: getpwuid, "" when the
 * uid has no entry, as bpftrace's /etc/passwd lookup) */
struct et_type *check_username(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_new(s->arena, ET_USERNAME, 8);
}

/* bpftrace's probe type names: the provider's canonical name, except its "special" probes */
static const char *probe_type_name(const struct et_provider *p)
{
	static const char *const special[] = {"begin", "end", "self", NULL};

	for (const char *const *sp = special; *sp; sp++)
		if (strcmp(p->name, *sp) == 0)
			return "special";
	return p->name;
}

/* probetype: the type of the probe's first attach point, as bpftrace folds it to a string literal */
struct et_type *check_probetype(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	const char *name;

	if (!s->probe) {
		sema_error(s, n->loc, "probetype can only be used inside of a probe");
		return s->t_none;
	}
	name = s->probe->nproviders ? probe_type_name(s->probe->providers[0]) : "none";
	c->expr = ast_new_string(s->arena, n->loc, name, (uint32_t)strlen(name));
	return sema_expr(s, c->expr);
}

/* cgroup_path(id[, "filter"]): the id with the index of its filter in prog->cgroup_filters (one entry per
 * distinct filter; "*", every hierarchy, without one), as bpftrace's cgroup_path_t. The runtime looks the
 * id up in the mounted hierarchies when it prints the value, so the value is only good for printing. */
struct et_type *check_cgroup_path(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_program *p = s->prog;
	const char *filter = "*";
	uint32_t i;

	if (!bi_int_arg(s, n, 0, NULL))
		return s->t_none;
	if (n->u.call.args.count > 1) {
		struct ast_node *a = n->u.call.args.items[1];

		sema_expr(s, a);
		if (!bi_is_string_lit(a)) {
			sema_error(s, a->loc, "cgroup_path() takes its filter as a string literal");
			sema_hint(s, "name the hierarchies to search with a wildcard, e.g. cgroup_path(cgroup, \"unified\")");
			return s->t_none;
		}
		filter = a->u.string.bytes;
	}
	for (i = 0; i < p->ncgroup_filters && strcmp(p->cgroup_filters[i], filter) != 0; i++)
		;
	if (i == p->ncgroup_filters) {
		p->cgroup_filters = arena_grow(p->arena, p->cgroup_filters, p->ncgroup_filters, p->ncgroup_filters + 1,
					       sizeof(*p->cgroup_filters));
		p->cgroup_filters[p->ncgroup_filters++] = arena_strdup(p->arena, filter);
	}
	c->index = (int)i;
	return type_new(s->arena, ET_CGROUP_PATH, 16);
}

/* cgroupid("path"): the cgroup v2 id of the directory, read when the script compiles as bpftrace does:
 * the kernfs file handle of a cgroup directory is its 64-bit id (the value bpf_get_current_cgroup_id
 * gives for tasks in it). */
struct et_type *check_cgroupid(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	union {
		struct file_handle fh;
		char bytes[sizeof(struct file_handle) + 8];
	} h;
	uint64_t id;
	const char *path;
	int mount_id;

	if (!bi_is_string_lit(a)) {
		sema_error(s, a->loc, "cgroupid() takes the cgroup's path as a string literal");
		sema_hint(s, "it is resolved when the script compiles, e.g. cgroupid(\"/sys/fs/cgroup/unified/x\")");
		return s->t_none;
	}
	path = arena_strndup(s->arena, a->u.string.bytes, a->u.string.len);
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = 8;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) != 0 || h.fh.handle_bytes != 8) {
		sema_error(s, a->loc, "cannot get the cgroup id of \"%s\": %s", path,
			   errno == EOVERFLOW ? "not a cgroup directory" : strerror(errno));
		sema_hint(s, "give the path of a directory of the cgroup v2 hierarchy");
		return s->t_none;
	}
	memcpy(&id, h.fh.f_handle, sizeof(id));
	c->expr = ast_new_cast(s->arena, n->loc, ast_new_typespec(s->arena, n->loc, "uint64"),
			       ast_new_int(s->arena, n->loc, id, true));
	return sema_expr(s, c->expr);
}

/* pid, tid, pid(curr_ns | init), tid(...): as seen from etrace's PID namespace (curr_ns, the default, as
 * bpftrace) or from the initial one. sema_call.index: 0 curr_ns, 1 init; codegen reads the namespace
 * (kernel_pid_ns) and uses the plain helper when etrace runs in the initial one. */
struct et_type *check_pid_ns(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a;

	if (n->kind != AST_CALL || !n->u.call.args.count)
		return s->t_u64;
	a = n->u.call.args.items[0];
	if (a->kind == AST_IDENT && (strcmp(a->u.name, "curr_ns") == 0 || strcmp(a->u.name, "init") == 0)) {
		c->index = strcmp(a->u.name, "init") == 0;
		return s->t_u64;
	}
	sema_error(s, a->loc, "%s() takes a PID namespace: curr_ns or init", builtin_name(c->id));
	sema_hint(s, "%s(curr_ns) is the id in etrace's namespace (the default), %s(init) in the initial one",
		  builtin_name(c->id), builtin_name(c->id));
	return s->t_none;
}

/* Append the member path of a container_of argument (m, or m.a.b) to offsetof node o; false when the
 * argument is not such a path. */
static bool member_path(struct sema *s, struct ast_node *o, struct ast_node *m)
{
	if (m->kind == AST_IDENT) {
		ast_offsetof_add(s->arena, o, m->u.name);
		return true;
	}
	if (m->kind == AST_FIELD && !m->u.field.arrow && member_path(s, o, m->u.field.base)) {
		ast_offsetof_add(s->arena, o, m->u.field.name);
		return true;
	}
	return false;
}

/* container_of(ptr, struct T, member): (struct T *)((uint8 *)ptr - offsetof(struct T, member)), as
 * bpftrace's stdlib macro; the member may be a path (a.b). */
struct et_type *check_container_of(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node **a = n->u.call.args.items, *off, *addr;
	struct ast_typespec *to;

	if (a[1]->kind != AST_TYPEOF || !a[1]->u.typeq.ty) {
		sema_error(s, a[1]->loc, "the second argument of container_of() must be a struct or union type");
		sema_hint(s, "e.g. container_of($p, struct task_struct, tasks)");
		return s->t_none;
	}
	off = ast_new_offsetof(s->arena, a[2]->loc, a[1]->u.typeq.ty);
	if (!member_path(s, off, a[2])) {
		sema_error(s, a[2]->loc, "the third argument of container_of() must be a member of %s",
			   a[1]->u.typeq.ty->name);
		sema_hint(s, "name the member the pointer points to, e.g. tasks or a.b");
		return s->t_none;
	}
	/* through uint8 *, as bpftrace's macro: the result keeps the pointer's address space */
	to = ast_new_typespec(s->arena, a[0]->loc, "uint8");
	to->pointer = 1;
	addr = ast_new_cast(s->arena, a[0]->loc, to, a[0]);
	to = ast_new_typespec(s->arena, n->loc, a[1]->u.typeq.ty->name);
	to->pointer = 1;
	c->expr = ast_new_cast(s->arena, n->loc, to, ast_new_binary(s->arena, n->loc, AST_OP_SUB, addr, off));
	return sema_expr(s, c->expr);
}
