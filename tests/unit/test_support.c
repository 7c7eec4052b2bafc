/* Unit tests of src/support: arena, strtab, source line table, diagnostic rendering. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"
#include "tests/unit/check.h"

static void test_arena(void)
{
	struct arena *a = arena_new();
	char *p = arena_alloc(a, 10);
	CHECK(((uintptr_t)p & 15) == 0);
	for (int i = 0; i < 10; i++)
		CHECK(p[i] == 0);
	char *big = arena_alloc(a, 1 << 20); /* larger than a chunk */
	memset(big, 1, 1 << 20);
	char *after = arena_alloc(a, 32); /* still served after a big block */
	CHECK(after != NULL && after[0] == 0);
	CHECK(strcmp(arena_printf(a, "%s-%d", "x", 42), "x-42") == 0);
	int *v = arena_alloc(a, 2 * sizeof(int));
	v[0] = 7;
	v[1] = 8;
	int *g = arena_grow(a, v, 2, 8, sizeof(int));
	CHECK(g[0] == 7 && g[1] == 8 && g[7] == 0);
	arena_free(a);
	arena_free(NULL);
}

static void test_strtab(void)
{
	struct arena *a = arena_new();
	struct strtab *t = strtab_new(a);
	const char *x = strtab_cstr(t, "comm");
	CHECK(strtab_cstr(t, "comm") == x);
	CHECK(strtab_intern(t, "commxyz", 4) == x);
	CHECK(strtab_cstr(t, "pid") != x);
	/* enough names to force several rehashes, all still found */
	const char *names[2000];
	char buf[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(buf, sizeof buf, "name%d", i);
		names[i] = strtab_cstr(t, buf);
	}
	for (int i = 0; i < 2000; i++) {
		snprintf(buf, sizeof buf, "name%d", i);
		CHECK(strtab_cstr(t, buf) == names[i]);
	}
	strtab_free(t);
	arena_free(a);
}

static void test_source(void)
{
	struct source_set *s = source_set_new();
	const char *text = "line one\nline two\r\n\nlast";
	uint32_t f = source_add(s, "x.et", text, strlen(text));
	CHECK(f == 1);
	size_t len;
	const char *l = source_line(s, f, 2, &len);
	CHECK(l && len == 8 && memcmp(l, "line two", 8) == 0);
	l = source_line(s, f, 3, &len);
	CHECK(l && len == 0);
	l = source_line(s, f, 4, &len);
	CHECK(l && len == 4 && memcmp(l, "last", 4) == 0);
	CHECK(source_line(s, f, 5, &len) == NULL);
	CHECK(strcmp(source_name(s, f), "x.et") == 0);
	source_set_free(s);
}

static char *render(struct diag_sink *d)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	diag_render(d, f);
	fclose(f);
	return buf;
}

static void test_diag(void)
{
	struct source_set *s = source_set_new();
	const char *text = "BEGIN {\n\t@x = cuont();\n}\n";
	uint32_t f = source_add(s, "s.et", text, strlen(text));
	struct diag_sink *d = diag_new(s);
	diag_error(d, (struct et_loc){ f, 2, 7, 2, 11 }, "unknown function '%s'", "cuont");
	diag_hint(d, "did you mean '%s'?", "count()");
	diag_warning(d, (struct et_loc){ f, 1, 1, 1, 5 }, "a warning");
	CHECK(diag_has_errors(d));
	CHECK(diag_error_count(d) == 1);
	CHECK(diag_count(d) == 2);
	char *out = render(d);
	const char *want = "s.et:2:7: error: unknown function 'cuont'\n"
			   "\t@x = cuont();\n"
			   "\t     ^~~~~\n"
			   "hint: did you mean 'count()'?\n"
			   "s.et:1:1: warning: a warning\n"
			   "BEGIN {\n"
			   "^~~~~\n";
	CHECK(strcmp(out, want) == 0);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "got:\n%s\nwant:\n%s\n", out, want);
	free(out);
	/* a second render prints only what is new */
	out = render(d);
	CHECK(strcmp(out, "") == 0);
	free(out);
	/* warnings off: neither the warning nor its hint appear */
	diag_set_warnings(d, false);
	diag_warning(d, (struct et_loc){ f, 1, 1, 1, 1 }, "hidden");
	diag_hint(d, "hidden hint");
	out = render(d);
	CHECK(strcmp(out, "") == 0);
	free(out);
	/* a span over several lines is underlined to the end of its first line */
	diag_error(d, (struct et_loc){ f, 1, 1, 3, 1 }, "block");
	out = render(d);
	CHECK(strstr(out, "BEGIN {\n^~~~~~~\n") != NULL);
	free(out);
	diag_free(d);
	source_set_free(s);
}

int main(void)
{
	test_arena();
	test_strtab();
	test_source();
	test_diag();
	printf("support: %d passed, %d failed\n", checks - failures, failures);
	return failures ? 1 : 0;
}
