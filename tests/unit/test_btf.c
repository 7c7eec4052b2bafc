/* Unit tests of src/kernel/btf.c: conversion of a BTF built in memory (every kind the converter maps:
 * ints, bool, enums, char arrays, arrays, bitfields, anonymous members, pointers with the `user` tag,
 * typedefs, function prototypes), then lookups in the running kernel's BTF checked against libbpf's own
 * answers (btf__resolve_size, member offsets) and known kernel facts. The kernel part skips when the
 * kernel has no BTF. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>

#include "kernel/btf.h"
#include "program/types.h"
#include "support/arena.h"
#include "tests/unit/check.h"

static const struct et_field *field(const struct et_type *t, const char *name)
{
	for (uint32_t i = 0; t && i < t->nfields; i++)
		if (t->fields[i].name && strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

/* struct inner { int a; };
 * struct demo {
 *     int x;                       // 0
 *     unsigned int f1 : 3, f2 : 5; // bits 32..34, 35..39
 *     char name[12];               // 8
 *     long vals[2];                // 24 (aligned)
 *     union { int u1; short u2; }; // 40, anonymous
 *     const char __user *ubuf;     // 48
 *     struct inner *next;          // 56
 *     struct inner in;             // 64
 *     my_bool_t ok;                // 68 (typedef of _Bool)
 *     enum color c;                // 72
 * };                               // size 80
 * int demo_fn(struct demo *d, const char __user *path); */
static struct btf *make_btf(void)
{
	struct btf *b = btf__new_empty();
	int t_int, t_uint, t_char, t_long, t_short, t_bool, t_arr_c, t_arr_l, t_union, t_tag, t_const_tag, t_ptr_u,
	    t_inner, t_ptr_inner, t_td_bool, t_enum, t_demo, t_ptr_demo, t_proto;

	if (!b)
		return NULL;
	t_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	t_uint = btf__add_int(b, "unsigned int", 4, 0);
	t_char = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	t_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	t_short = btf__add_int(b, "short", 2, BTF_INT_SIGNED);
	t_bool = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	t_arr_c = btf__add_array(b, t_int, t_char, 12);
	t_arr_l = btf__add_array(b, t_int, t_long, 2);
	t_union = btf__add_union(b, NULL, 4);
	btf__add_field(b, "u1", t_int, 0, 0);
	btf__add_field(b, "u2", t_short, 0, 0);
	t_const_tag = btf__add_const(b, t_char);
	t_tag = btf__add_type_tag(b, "user", t_const_tag);
	t_ptr_u = btf__add_ptr(b, t_tag);
	t_inner = btf__add_struct(b, "inner", 4);
	btf__add_field(b, "a", t_int, 0, 0);
	t_ptr_inner = btf__add_ptr(b, t_inner);
	t_td_bool = btf__add_typedef(b, "my_bool_t", t_bool);
	t_enum = btf__add_enum(b, "color", 4);
	btf__add_enum_value(b, "RED", 0);
	btf__add_enum_value(b, "GREEN", 1);
	t_demo = btf__add_struct(b, "demo", 80);
	btf__add_field(b, "x", t_int, 0, 0);
	btf__add_field(b, "f1", t_uint, 32, 3);
	btf__add_field(b, "f2", t_uint, 35, 5);
	btf__add_field(b, "name", t_arr_c, 64, 0);
	btf__add_field(b, "vals", t_arr_l, 192, 0);
	btf__add_field(b, NULL, t_union, 320, 0);
	btf__add_field(b, "ubuf", t_ptr_u, 384, 0);
	btf__add_field(b, "next", t_ptr_inner, 448, 0);
	btf__add_field(b, "in", t_inner, 512, 0);
	btf__add_field(b, "ok", t_td_bool, 544, 0);
	btf__add_field(b, "c", t_enum, 576, 0);
	t_ptr_demo = btf__add_ptr(b, t_demo);
	t_proto = btf__add_func_proto(b, t_int);
	btf__add_func_param(b, "d", t_ptr_demo);
	btf__add_func_param(b, "path", t_ptr_u);
	btf__add_func(b, "demo_fn", BTF_FUNC_GLOBAL, t_proto);
	(void)t_uint;
	return b;
}

static void test_synthetic(struct arena *a)
{
	struct btf *b = make_btf();
	struct btf_types *bt;
	struct et_type *d, *args = NULL, *ret = NULL;
	const struct et_field *f;
	uint32_t np = 0;

	CHECK(b != NULL);
	if (!b)
		return;
	bt = btf_types_new_from(a, b);
	CHECK(btf_available(bt) == 0);
	d = btf_type_by_name(bt, "struct demo");
	CHECK(d && d->kind == ET_STRUCT && d->size == 80 && strcmp(d->name, "struct demo") == 0);
	if (!d)
		goto out;
	f = field(d, "x");
	CHECK(f && f->offset == 0 && f->type->kind == ET_INT && f->type->size == 4 && f->type->is_signed);
	f = field(d, "f1");
	CHECK(f && f->bit_size == 3 && f->offset * 8 + f->bit_offset == 32 && f->offset % 4 == 0);
	f = field(d, "f2");
	CHECK(f && f->bit_size == 5 && f->offset * 8 + f->bit_offset == 35);
	f = field(d, "name");
	CHECK(f && f->offset == 8 && f->type->kind == ET_STRING && f->type->size == 12);
	f = field(d, "vals");
	CHECK(f && f->offset == 24 && f->type->kind == ET_ARRAY && f->type->count == 2 && f->type->size == 16);
	f = field(d, "u1"); /* the anonymous union's members are the struct's */
	CHECK(f && f->offset == 40 && f->type->size == 4);
	f = field(d, "u2");
	CHECK(f && f->offset == 40 && f->type->size == 2);
	f = field(d, "ubuf");
	CHECK(f && f->offset == 48 && f->type->kind == ET_POINTER && f->type->space == ET_AS_USER);
	f = field(d, "next");
	CHECK(f && f->type->kind == ET_POINTER && f->type->space == ET_AS_KERNEL && f->type->elem &&
	      f->type->elem->kind == ET_STRUCT && f->type->elem->nfields == 0); /* a stub */
	if (f && f->type->elem) {
		struct et_type *c = btf_complete(bt, f->type->elem);

		CHECK(c && c->nfields == 1 && field(c, "a") && c->size == 4);
		CHECK(c && strcmp(c->name, "struct inner") == 0);
	}
	f = field(d, "in");
	CHECK(f && f->offset == 64 && f->type->kind == ET_STRUCT && f->type->nfields == 1); /* embedded: complete */
	f = field(d, "ok");
	CHECK(f && f->offset == 68 && f->type->kind == ET_BOOL);
	f = field(d, "c");
	CHECK(f && f->offset == 72 && f->type->kind == ET_INT && f->type->name &&
	      strcmp(f->type->name, "enum color") == 0);
	CHECK(f && f->type->nfields == 2 && strcmp(f->type->fields[1].name, "GREEN") == 0 &&
	      f->type->fields[1].offset == 1 && f->type->fields[1].bit_offset == 0); /* enumerators */
	CHECK(type_copy(a, d) != NULL); /* acyclic: the deep copy terminates */

	CHECK(btf_type_by_name(bt, "my_bool_t") && btf_type_by_name(bt, "my_bool_t")->kind == ET_BOOL);
	CHECK(btf_type_by_name(bt, "struct nope") == NULL && errno == ENOENT);
	CHECK(btf_type_by_name(bt, "enum color") != NULL);

	CHECK(btf_func_proto(bt, "demo_fn", &args, &ret, &np) == 0);
	CHECK(np == 2 && args && args->nfields == 2);
	if (args && args->nfields == 2) {
		CHECK(strcmp(args->fields[0].name, "d") == 0 && args->fields[0].offset == 0);
		CHECK(args->fields[0].type->kind == ET_POINTER && args->fields[0].type->elem &&
		      strcmp(args->fields[0].type->elem->name, "struct demo") == 0);
		/* the __user argument is read as user memory */
		CHECK(strcmp(args->fields[1].name, "path") == 0 && args->fields[1].offset == 8 &&
		      args->fields[1].type->space == ET_AS_USER);
	}
	CHECK(ret && ret->kind == ET_INT && ret->size == 4 && ret->is_signed);
	CHECK(btf_func_proto(bt, "no_such_fn", &args, &ret, &np) == -ENOENT);
out:
	btf__free(b);
}

/* Byte offset of member `name` in type t straight from libbpf (looking into anonymous members),
 * -1 when absent. */
static long member_offset(const struct btf *b, const struct btf_type *t, const char *name)
{
	const struct btf_member *m = btf_members(t);

	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(b, m->name_off);

		if (n && *n && strcmp(n, name) == 0)
			return btf_member_bit_offset(t, i) / 8;
		if (!n || !*n) {
			const struct btf_type *mt = btf__type_by_id(b, btf__resolve_type(b, m->type));
			long off = mt && btf_is_composite(mt) ? member_offset(b, mt, name) : -1;

			if (off >= 0)
				return off + btf_member_bit_offset(t, i) / 8;
		}
	}
	return -1;
}

static long libbpf_offset(const struct btf *b, const char *sname, const char *name)
{
	int id = btf__find_by_name_kind(b, sname, BTF_KIND_STRUCT);

	return id > 0 ? member_offset(b, btf__type_by_id(b, id), name) : -1;
}

static void test_kernel(struct arena *a)
{
	struct btf_types *bt = btf_types_new(a);
	const struct btf *vm;
	struct et_type *task, *tp, *args = NULL, *ret = NULL, *list;
	const struct et_field *f;
	uint32_t np = 0;
	struct timespec t0, t1;
	int id;

	if (btf_available(bt) != 0) {
		printf("SKIP (kernel part): no kernel BTF: %s\n", strerror(errno));
		return;
	}
	vm = btf_vmlinux();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	task = btf_type_by_name(bt, "struct task_struct");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("struct task_struct converted in %.1f ms\n",
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	CHECK(task && task->kind == ET_STRUCT && task->nfields > 50);
	if (!task)
		return;
	id = btf__find_by_name_kind(vm, "task_struct", BTF_KIND_STRUCT);
	CHECK(id > 0 && task->size == (uint32_t)btf__resolve_size(vm, id));
	f = field(task, "pid");
	CHECK(f && f->type->kind == ET_INT && f->type->size == 4 && f->type->is_signed &&
	      (long)f->offset == libbpf_offset(vm, "task_struct", "pid"));
	f = field(task, "comm");
	CHECK(f && f->type->kind == ET_STRING && f->type->size == 16 &&
	      (long)f->offset == libbpf_offset(vm, "task_struct", "comm"));
	f = field(task, "real_parent");
	CHECK(f && f->type->kind == ET_POINTER && f->type->elem && f->type->elem->kind == ET_STRUCT &&
	      strcmp(f->type->elem->name, "struct task_struct") == 0 && f->type->elem->nfields == 0);
	f = field(task, "mm");
	CHECK(f && f->type->kind == ET_POINTER && f->type->elem && strcmp(f->type->elem->name, "struct mm_struct") == 0);
	if (f && f->type->elem) {
		struct et_type *mm = btf_complete(bt, f->type->elem);
		const struct et_field *exe = field(mm, "exe_file");

		CHECK(exe && (long)exe->offset == libbpf_offset(vm, "mm_struct", "exe_file"));
	}
	tp = btf_task_ptr(bt);
	CHECK(tp && tp->kind == ET_POINTER && tp->elem && strcmp(tp->elem->name, "struct task_struct") == 0);
	list = btf_type_by_name(bt, "struct list_head");
	CHECK(list && list->size == 16 && field(list, "prev") && field(list, "prev")->offset == 8);
	CHECK(btf_type_by_name(bt, "pid_t") && btf_type_by_name(bt, "pid_t")->size == 4);
	CHECK(btf_type_by_name(bt, "struct etrace_no_such_struct") == NULL);

	/* a function every kernel has: int do_sys_openat2(int dfd, const char __user *filename, struct open_how *how) */
	if (btf_func_proto(bt, "do_sys_openat2", &args, &ret, &np) == 0) {
		CHECK(np == 3 && field(args, "dfd") && field(args, "filename") && field(args, "how"));
		CHECK(field(args, "filename") && field(args, "filename")->offset == 8 &&
		      field(args, "filename")->type->kind == ET_POINTER);
		CHECK(ret && ret->kind == ET_INT);
	} else {
		printf("note: do_sys_openat2 not in BTF\n");
	}
	/* raw tracepoint sched_switch: __bpf_trace_sched_switch(void *__data, bool preempt, prev, next, ...) */
	if (btf_tracepoint_proto(bt, "sched_switch", &args, &np) == 0) {
		CHECK(np >= 3 && field(args, "prev") && field(args, "next"));
		CHECK(field(args, "prev") && field(args, "prev")->type->kind == ET_POINTER);
	} else {
		printf("note: btf_trace_sched_switch not in BTF\n");
	}
	CHECK(btf_tracepoint_proto(bt, "etrace_no_such_tp", &args, &np) == -ENOENT);
}

int main(void)
{
	struct arena *a = arena_new();

	test_synthetic(a);
	test_kernel(a);
	arena_free(a);
	btf_unload();
	printf("%d of %d checks failed\n", failures, checks);
	return failures ? 1 : 0;
}
