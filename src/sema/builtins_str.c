/* builtins_str: the checks of the functions over strings, buffers and addresses as values (str, buf,
 * strncmp, strlen, bswap, ntop, macaddr, strftime, path ...). */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "probes/arch/arch.h"
#include "kernel/elf.h"
#include "probes/tracepoint.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include <arpa/inet.h>
#include <string.h>

#include "sema/builtins_int.h"

/* str(p, n) with a constant n: a negative length is an error; one over max_strlen is cut at max_strlen,
 * which the script may not expect (bpftrace cuts it too), so it is worth a warning. */
static bool str_length_ok(struct sema *s, struct ast_node *len)
{
	int64_t v;

	if (!sema_const_int(s, len, &v))
		return true;
	if (v < 0) {
		sema_error(s, len->loc, "str(): the length must not be negative");
		return false;
	}
	if ((uint64_t)v > s->max_strlen) {
		sema_warning(s, len->loc, "str(): length %lld is more than max_strlen: the string is cut at %u bytes",
			     (long long)v, s->max_strlen);
		sema_hint(s, "raise the limit with config = { max_strlen = N } (at most %u)", SEMA_MAX_STRLEN);
	}
	return true;
}

/* Does every probe of this body run where the kernel lets a program call bpf_d_path: fentry/fexit of
 * the functions of the kernel's btf_allowlist_d_path, or an iterator (bpf_d_path_allowed)? */
static bool d_path_allowed(struct sema *s)
{
	static const char *const funcs[] = {
		"security_file_permission", "security_inode_getattr", "security_file_open", "security_path_truncate",
		"vfs_truncate", "vfs_fallocate", "dentry_open", "vfs_getattr", "filp_close",
	};

	if (!s->probe || !s->probe->info->count)
		return false;
	for (uint32_t i = 0; i < s->probe->info->count; i++) {
		const struct et_probe_desc *d = &s->prog->probes[s->probe->info->first + i];
		bool found = false;

		if (d->provider && (d->provider->flags & PROVIDER_ITER))
			continue;
		if (!d->provider || !d->func || d->provider->args != PROVIDER_ARGS_BTF_FUNC)
			return false;
		for (size_t k = 0; k < sizeof(funcs) / sizeof(funcs[0]) && !found; k++)
			found = strcmp(d->func, funcs[k]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* path(P [, SIZE]): the path of a `struct path` of the kernel (a member reached through a pointer,
 * args.file->f_path, or a `struct path *`) as a string, by bpf_d_path; see d_path_allowed. */
struct et_type *check_path(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = bi_value_arg(s, n, 0);
	const struct et_type *st = t && t->kind == ET_POINTER ? t->elem : t;
	int64_t size = s->max_strlen;

	(void)c;
	if (n->u.call.args.count > 1 && !bi_const_arg(s, n, 1, &size, "the size"))
		return s->t_none;
	if (sema_is_none(t))
		return s->t_none;
	if (!d_path_allowed(s)) {
		sema_error(s, n->loc, "path() needs the bpf_d_path helper, which the kernel allows only in fentry/fexit "
			   "probes of a few functions (filp_close, vfs_getattr, dentry_open, vfs_truncate, ...)");
		sema_hint(s, "print the file name with str(p->dentry->d_name.name) instead");
		return s->t_none;
	}
	if (!st || st->kind != ET_STRUCT || !st->name || strcmp(st->name, "struct path") != 0 ||
	    (t->kind == ET_STRUCT && (a->kind != AST_FIELD || !a->u.field.base->type ||
				      a->u.field.base->type->kind != ET_POINTER))) {
		sema_error(s, a->loc, "path() expects a struct path of the kernel, such as args.file->f_path (%s provided)",
			   sema_tname(s, t));
		return s->t_none;
	}
	if (size < 1 || size > SEMA_MAX_STRLEN) {
		sema_error(s, n->u.call.args.items[1]->loc, "path(): the size must be 1 to %u", SEMA_MAX_STRLEN);
		return s->t_none;
	}
	return type_string(s->arena, (uint32_t)size);
}

struct et_type *check_str(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a = args->items[0];
	struct et_type *t;

	(void)c;
	if (a->kind == AST_POSITIONAL) {
		if (args->count > 1)
			bi_int_arg(s, n, 1, NULL);
		return sema_positional_string(s, a);
	}
	/* str($N + K): $N's text from offset K on, even when that text is a number (bpftrace) */
	if (a->kind == AST_BINARY && a->u.binary.op == AST_OP_ADD && a->u.binary.lhs->kind == AST_POSITIONAL) {
		sema_positional_string(s, a->u.binary.lhs);
		sema_expr(s, a->u.binary.rhs);
		sema_fold_string_offset(s, a); /* then analysed below as the literal it became */
	}
	t = bi_value_arg(s, n, 0);
	if (args->count > 1 && bi_int_arg(s, n, 1, NULL) && !str_length_ok(s, args->items[1]))
		return s->t_none;
	if (sema_is_none(t))
		return s->t_none;
	if (!sema_is_intlike(t) && t->kind != ET_STRING) {
		sema_error(s, a->loc, "str() expects a pointer or an integer address (%s provided)", sema_tname(s, t));
		return s->t_none;
	}
	if (t->kind == ET_STRING && args->count == 1) /* str("text"): the text itself, never cut (bpftrace) */
		return type_string(s->arena, t->size);
	return type_string(s->arena, s->max_strlen);
}

struct et_type *check_buf(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *a = args->items[0];
	struct et_type *t = bi_value_arg(s, n, 0);
	uint32_t cap = s->max_strlen;
	int64_t len;

	(void)c;
	if (sema_is_none(t))
		return s->t_none;
	if (t->kind == ET_ARRAY && args->count == 1) {
		cap = t->size;
	} else if (!sema_is_intlike(t)) {
		sema_error(s, a->loc, "buf() expects a pointer, an integer address or an array (%s provided)",
			   sema_tname(s, t));
		return s->t_none;
	} else if (args->count == 1) {
		sema_error(s, a->loc, "buf() of a pointer needs a length: buf(ptr, nbytes)");
		return s->t_none;
	} else if (!bi_int_arg(s, n, 1, NULL)) {
		return s->t_none;
	} else if (sema_const_int(s, args->items[1], &len)) {
		if (len < 0) {
			sema_error(s, args->items[1]->loc, "buf(): the length must not be negative");
			return s->t_none;
		}
		if ((uint64_t)len < cap)
			cap = (uint32_t)len;
	}
	return type_new(s->arena, ET_BUFFER, 4 + cap);
}

struct et_type *check_strncmp(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	int64_t len;
	bool ok = true;

	for (uint32_t i = 0; i < 2; i++)
		ok = bi_kind_arg(s, n, i, bi_is_string, "string arguments") && ok;
	if (!bi_const_arg(s, n, 2, &len, "the length (argument 3)") || !ok)
		return s->t_none;
	if (len < 0 || len > 0x7fffffff) {
		sema_error(s, args->items[2]->loc, "strncmp(): the length must be between 0 and %d", 0x7fffffff);
		return s->t_none;
	}
	c->index = (int)len;
	return s->t_u64;
}

/* strlen(s): a string or int8 array is counted where it is; an int8 pointer is read as str(p) would
 * read it (bpftrace's stdlib bounds it by the default string length too) and then counted. */
struct et_type *check_strlen(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_type *t = bi_quiet_type(s, a);

	if (!sema_is_none(t) && t->kind == ET_POINTER && bi_is_char(t->elem)) {
		struct ast_list *args = ast_list_new(s->arena);

		ast_list_push(s->arena, args, a);
		c->expr = ast_new_call(s->arena, a->loc, "str", args);
		t = sema_expr(s, c->expr);
		return sema_is_none(t) ? t : s->t_u64;
	}
	t = bi_value_arg(s, n, 0);
	if (sema_is_none(t))
		return t;
	if (t->kind != ET_STRING && !(t->kind == ET_ARRAY && bi_is_char(t->elem))) {
		sema_error(s, a->loc, "%s() expects a string, an int8 array or an int8 pointer (%s provided)",
			   n->u.call.name, sema_tname(s, t));
		if (t->kind == ET_INT)
			sema_hint(s, "an address is read as a string through a char pointer: %s((int8 *)arg0)",
				  n->u.call.name);
		return s->t_none;
	}
	return s->t_u64;
}

/* default_str_length(): the size of str(p) (bpftrace's stdlib: sizeof(str((int8*)0))), i.e. max_strlen as
 * configured */
struct et_type *check_default_str_length(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	c->index = (int)s->max_strlen;
	return s->t_u64;
}

/* bswap(n): unsigned, of n's width (bpftrace); a 1-byte integer is returned as it is. */
struct et_type *check_bswap(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct et_type *t;

	(void)c;
	if (!bi_int_arg(s, n, 0, &t))
		return s->t_none;
	return type_int(s->arena, t->kind == ET_INT && t->size ? t->size : 8, false);
}

/* ntop([af,] addr): addr an integer (IPv4, network order) or a 4/16-byte array (u8[4], u8[16],
 * in6_addr.in6_u...); without af, the size decides (16 bytes: AF_INET6) */
struct et_type *check_ntop(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	bool ok = args->count < 2 || bi_kind_arg(s, n, 0, type_is_integer, "an integer address family");

	(void)c;
	ok = bi_kind_arg(s, n, args->count - 1, bi_is_inet_bytes, "an IPv4 address (integer) or a 4 or 16 byte array") && ok;
	return ok ? type_new(s->arena, ET_INET, 24) : s->t_none;
}

/* a 6-byte array (or string/struct of that size) */
struct et_type *check_macaddr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	return bi_kind_arg(s, n, 0, bi_is_mac_bytes, "a 6 byte array") ? type_new(s->arena, ET_INET, 24) : s->t_none;
}

/* strftime("fmt", nsecs): the index of the format in prog->strftime_formats (one entry per distinct
 * format) with the boot-clock nsecs; the value carries its format, so values made with different formats
 * may share a map, variable or tuple and each prints with its own, as in bpftrace */
struct et_type *check_strftime(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	struct et_program *p = s->prog;
	uint32_t i;

	sema_expr(s, a);
	if (!bi_is_string_lit(a)) {
		sema_error(s, a->loc, "strftime() expects its format as a string literal");
		return s->t_none;
	}
	if (!bi_int_arg(s, n, 1, NULL))
		return s->t_none;
	for (i = 0; i < p->nstrftime_formats && strcmp(p->strftime_formats[i], a->u.string.bytes) != 0; i++)
		;
	if (i == p->nstrftime_formats) {
		p->strftime_formats = arena_grow(p->arena, p->strftime_formats, p->nstrftime_formats,
						 p->nstrftime_formats + 1, sizeof(*p->strftime_formats));
		p->strftime_formats[p->nstrftime_formats++] = arena_strdup(p->arena, a->u.string.bytes);
	}
	c->index = (int)i;
	return type_new(s->arena, ET_TIMESTAMP, 16);
}

/* strerror(n), signal_name(n), syscall_name(n): bpftrace's stdlib makes them string[64] values looked up
 * in a table of the BPF program, so they compare, key maps and print like any string (codegen:
 * cg_bi_name_table). */
struct et_type *check_name_table(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	if (!bi_int_arg(s, n, 0, NULL))
		return s->t_none;
	return type_string(s->arena, SEMA_NAME_LEN);
}

/* strstr(), strcontains(): bpftrace's stdlib takes any string-like value (assert_str); etrace takes the
 * ones held in the program, strings and int8 arrays, and searches within their capacity. */
static bool is_str_like(const struct et_type *t)
{
	return t->kind == ET_STRING || (t->kind == ET_ARRAY && bi_is_char(t->elem));
}

/* The two arguments of strstr(), strcontains() and str_concat(): strings or int8 arrays; an address
 * (a pointer) gets the hint to read it with str(). */
static bool str_like_args(struct sema *s, struct ast_node *n)
{
	bool ok = true;

	for (uint32_t i = 0; i < 2; i++) {
		struct et_type *t = bi_value_arg(s, n, i);

		if (sema_is_none(t)) {
			ok = false;
		} else if (!is_str_like(t)) {
			sema_error(s, n->u.call.args.items[i]->loc, "%s() expects a string or an int8 array (%s provided)",
				   n->u.call.name, sema_tname(s, t));
			if (t->kind == ET_POINTER)
				sema_hint(s, "read the string an address points to with str(): %s(str(arg0), \"...\")",
					  n->u.call.name);
			ok = false;
		}
	}
	return ok;
}

/* strstr(haystack, needle): int64, the index of needle's first occurrence or -1; strcontains(): bool,
 * whether there is one (bpftrace: strstr(h, n) >= 0). Codegen: cg_bi_strstr. */
struct et_type *check_strstr(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	if (!str_like_args(s, n))
		return s->t_none;
	return c->id == BI_STRCONTAINS ? s->t_bool : s->t_i64;
}

/* strcap(s): int64, the capacity of a string (its size) or of an int8 array (its length), as bpftrace's
 * stdlib gives it; of an int8 pointer, its length read as str() reads it (as strlen()). */
struct et_type *check_strcap(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	return sema_is_none(check_strlen(s, n, c)) ? s->t_none : s->t_i64;
}

/* str_concat(s1, s2): a string[1024] (bpftrace's stdlib: `let $new : string[1024]`), s1 then s2, each up
 * to its NUL or its capacity, cut at 1023 characters. Codegen: cg_bi_str_concat. */
struct et_type *check_str_concat(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)c;
	return str_like_args(s, n) ? type_string(s->arena, SEMA_CONCAT_LEN) : s->t_none;
}

/* memcmp(left, right, count): int64, 0 when the first count bytes of the two values are the same, else
 * the difference of the first bytes that differ, as signed chars (bpftrace's stdlib __memcmp). count is
 * a constant no larger than either value (bpftrace's verifier refuses a read past them): c->index. */
struct et_type *check_memcmp(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct et_type *t[2];
	int64_t count;
	bool ok = true;

	for (uint32_t i = 0; i < 2; i++) {
		t[i] = bi_value_arg(s, n, i);
		ok = !sema_is_none(t[i]) && ok;
	}
	if (!bi_const_arg(s, n, 2, &count, "the byte count (argument 3)") || !ok)
		return s->t_none;
	for (uint32_t i = 0; i < 2; i++) {
		if (count < 0 || (uint64_t)count > t[i]->size) {
			sema_error(s, args->items[2]->loc, "memcmp(): %lld bytes compared, but a %s has %u",
				   (long long)count, sema_tname(s, t[i]), t[i]->size);
			sema_hint(s, "compare at most the size of the smaller value: memcmp(a, b, sizeof(a))");
			return s->t_none;
		}
	}
	c->index = (int)count;
	return s->t_i64;
}

/* pton("addr"): the address in network byte order, resolved when the script compiles (bpftrace: compile
 * time): an IPv6 address when the text has a ':', else IPv4; a uint8[4] or uint8[16] (bpftrace's
 * char addr[4] / addr[16]). Codegen (cg_bi_pton) parses the literal again, which sema proved valid. */
struct et_type *check_pton(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_node *a = n->u.call.args.items[0];
	unsigned char bytes[16];

	(void)c;
	if (a->kind != AST_STRING) {
		if (!sema_is_none(bi_value_arg(s, n, 0))) {
			sema_error(s, a->loc, "pton() expects a string literal, an address written as text");
			sema_hint(s, "pton() converts its address when the script compiles: pton(\"10.0.0.1\")");
		}
		return s->t_none;
	}
	bool v6 = strchr(a->u.string.bytes, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, a->u.string.bytes, bytes) != 1) {
		sema_error(s, a->loc, "pton(): \"%s\" is not an IPv%c address", a->u.string.bytes, v6 ? '6' : '4');
		sema_hint(s, "write four numbers 0 to 255 (\"127.0.0.1\") or an IPv6 address (\"::1\")");
		return s->t_none;
	}
	struct et_type *t = type_new(s->arena, ET_ARRAY, v6 ? 16 : 4);
	t->elem = type_int(s->arena, 1, false);
	t->count = v6 ? 16 : 4;
	return t;
}
