/* Unit tests of src/program/types.c: constructors, tuple layout, deep copy, equality, names. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "program/types.h"
#include "support/arena.h"
#include "tests/unit/check.h"

static int name_is(const struct et_type *t, const char *want)
{
	char buf[128];

	type_format(t, buf, sizeof(buf));
	if (strcmp(buf, want) != 0) {
		fprintf(stderr, "type_format: got '%s', want '%s'\n", buf, want);
		return 0;
	}
	return 1;
}

static void test_scalars(struct arena *a)
{
	struct et_type *i64 = type_int(a, 8, true), *u32 = type_int(a, 4, false);

	CHECK(i64->kind == ET_INT && i64->size == 8 && i64->is_signed);
	CHECK(name_is(i64, "int64"));
	CHECK(name_is(u32, "uint32"));
	CHECK(name_is(type_int(a, 1, true), "int8"));
	CHECK(name_is(type_string(a, 16), "string[16]"));
	CHECK(type_string(a, 16)->size == 16);
	CHECK(name_is(type_new(a, ET_AGG_COUNT, 8), "count"));
	CHECK(name_is(type_new(a, ET_AGG_LHIST, 8), "lhist"));
	CHECK(name_is(NULL, "none"));
	CHECK(type_is_integer(i64) && type_is_integer(type_new(a, ET_BOOL, 1)));
	CHECK(!type_is_integer(type_string(a, 4)) && !type_is_integer(NULL));
	CHECK(type_is_aggregation(type_new(a, ET_AGG_HIST, 8 * ET_HIST_SLOTS)));
	CHECK(!type_is_aggregation(i64) && !type_is_aggregation(NULL));
	CHECK(type_equal(i64, type_int(a, 8, true)));
	CHECK(!type_equal(i64, type_int(a, 8, false)));
	CHECK(!type_equal(i64, type_int(a, 4, true)));
	CHECK(type_equal(type_string(a, 64), type_string(a, 64)));
	CHECK(!type_equal(type_string(a, 64), type_string(a, 16)));
	CHECK(!type_equal(i64, NULL) && type_equal(NULL, NULL));
	CHECK(lhist_slots(0, 100, 10) == 12);
}

static void test_tuple_layout(struct arena *a)
{
	/* (int8, int64, string[3], int16): offsets 0, 8, 16, 20 (int16 aligned to 2 after 19), size 24 */
	struct et_type *el[4] = {type_int(a, 1, true), type_int(a, 8, true), type_string(a, 3), type_int(a, 2, false)};
	struct et_type *t = type_tuple(a, el, 4);

	CHECK(t->kind == ET_TUPLE && t->nfields == 4);
	CHECK(t->fields[0].offset == 0);
	CHECK(t->fields[1].offset == 8);
	CHECK(t->fields[2].offset == 16);
	CHECK(t->fields[3].offset == 20);
	CHECK(t->size == 24);
	CHECK(name_is(t, "(int8, int64, string[3], uint16)"));

	/* strings are byte arrays (alignment 1, bpftrace's IsByteArray): (uint8, string[5]) is 6 bytes */
	struct et_type *el2[2] = {type_int(a, 1, false), type_string(a, 5)};
	struct et_type *t2 = type_tuple(a, el2, 2);
	CHECK(t2->fields[1].offset == 1 && t2->size == 6);

	struct et_type *empty = type_tuple(a, NULL, 0);
	CHECK(empty->size == 0 && empty->nfields == 0);
	CHECK(name_is(empty, "()"));

	/* nested tuples: aligned to their largest field */
	struct et_type *el3[2] = {t2, type_int(a, 4, true)};
	struct et_type *t3 = type_tuple(a, el3, 2);
	CHECK(t3->fields[1].offset == 8 && t3->size == 12);
	CHECK(name_is(t3, "((uint8, string[5]), int32)"));

	/* a C struct of the elements: (int8, int16, int32) and (int32, int16, int8) are 8 bytes (bpftrace's
	 * tests/runtime/tuples "tuple struct sizing"), the size a multiple of the largest alignment */
	struct et_type *el4[3] = {type_int(a, 1, true), type_int(a, 2, true), type_int(a, 4, true)};
	struct et_type *t4 = type_tuple(a, el4, 3);
	CHECK(t4->fields[1].offset == 2 && t4->fields[2].offset == 4 && t4->size == 8);
	struct et_type *el5[3] = {el4[2], el4[1], el4[0]};
	struct et_type *t5 = type_tuple(a, el5, 3);
	CHECK(t5->fields[2].offset == 6 && t5->size == 8);
	/* arrays align as their element: (int32, int32[4]) is 20 bytes */
	struct et_type *arr = type_new(a, ET_ARRAY, 16);
	arr->elem = el4[2];
	arr->count = 4;
	struct et_type *el6[2] = {el4[2], arr};
	CHECK(type_tuple(a, el6, 2)->size == 20);
}

static void test_copy_equal(struct arena *a)
{
	struct arena *b = arena_new();
	struct et_type *el[2] = {type_int(a, 8, false), type_string(a, 16)};
	struct et_type *t = type_tuple(a, el, 2);
	struct et_type *c = type_copy(b, t);

	CHECK(c != t && c->fields != t->fields && c->fields[1].type != t->fields[1].type);
	CHECK(type_equal(t, c));
	c->fields[1].type->size = 32;
	CHECK(!type_equal(t, c));
	CHECK(t->fields[1].type->size == 16); /* deep: the original is untouched */
	CHECK(type_copy(b, NULL) == NULL);

	struct et_type *s1 = type_new(a, ET_STRUCT, 8), *s2;
	s1->name = "struct tracepoint:a:b";
	s1->nfields = 1;
	s1->fields = arena_alloc(a, sizeof(struct et_field));
	s1->fields[0].name = "ret";
	s1->fields[0].type = type_int(a, 8, true);
	s2 = type_copy(b, s1);
	CHECK(s2->name != s1->name && strcmp(s2->name, s1->name) == 0);
	CHECK(s2->fields[0].name != s1->fields[0].name && type_equal(s1, s2));
	CHECK(name_is(s2, "struct tracepoint:a:b"));
	s2->name = "struct other";
	CHECK(!type_equal(s1, s2));

	struct et_type *l1 = type_new(a, ET_AGG_LHIST, 8), *l2 = type_new(a, ET_AGG_LHIST, 8);
	l1->lh_min = l2->lh_min = 0;
	l1->lh_max = l2->lh_max = 100;
	l1->lh_step = 10;
	l2->lh_step = 20;
	CHECK(!type_equal(l1, l2));
	l2->lh_step = 10;
	CHECK(type_equal(l1, l2));
	arena_free(b);
}

static void test_format_truncates(struct arena *a)
{
	char buf[6];
	struct et_type *el[2] = {type_int(a, 8, true), type_int(a, 8, true)};

	type_format(type_tuple(a, el, 2), buf, sizeof(buf));
	CHECK(strcmp(buf, "(int6") == 0);
	type_format(type_int(a, 8, true), buf, 1);
	CHECK(buf[0] == 0);
}

int main(void)
{
	struct arena *a = arena_new();

	test_scalars(a);
	test_tuple_layout(a);
	test_copy_equal(a);
	test_format_truncates(a);
	arena_free(a);
	printf("test_types: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
