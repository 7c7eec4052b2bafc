/* Unit tests of src/preproc through its interface, as the scanner uses it: pp_file() runs a script's
 * directives and gives the text to scan; pp_expand() expands the identifier at an offset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preproc/preproc.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"
#include "tests/unit/check.h"

struct fx {
	struct arena *arena;
	struct strtab *strtab;
	struct source_set *sources;
	struct diag_sink *diag;
	struct preproc *pp;
	uint32_t file, seq;
	const char *text; /* the script's own text */
	const char *scan; /* what pp_file gave */
	size_t len;
};

static void fx_open(struct fx *f, const char *script, const struct pp_options *o)
{
	memset(f, 0, sizeof(*f));
	f->arena = arena_new();
	f->strtab = strtab_new(f->arena);
	f->sources = source_set_new();
	f->diag = diag_new(f->sources);
	f->pp = pp_new(f->arena, f->strtab, f->sources, f->diag, o);
	f->file = source_add(f->sources, "t.bt", script, strlen(script));
	f->text = source_text(f->sources, f->file, &f->len);
	f->scan = pp_file(f->pp, f->file, f->text, f->len, &f->seq);
}

static void fx_close(struct fx *f)
{
	diag_free(f->diag);
	source_set_free(f->sources);
	strtab_free(f->strtab);
	arena_free(f->arena);
}

/* The expansion of the n-th (from 1) occurrence of `name` as a whole word after the last directive,
 * spaces removed unless keep_spaces; NULL when it does not expand. *used: the text it consumed. */
static const char *expand_at(struct fx *f, const char *name, int n, bool keep_spaces, size_t *used)
{
	const char *p = f->text;
	size_t nl = strlen(name);
	for (;;) {
		p = strstr(p, name);
		if (!p)
			return NULL;
		bool word = (p == f->text || !(p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z'))) &&
			    !(p[nl] == '_' || (p[nl] >= 'A' && p[nl] <= 'Z') || (p[nl] >= 'a' && p[nl] <= 'z') || (p[nl] >= '0' && p[nl] <= '9'));
		/* skip directive lines: only uses count */
		const char *ls = p;
		while (ls > f->text && ls[-1] != '\n')
			ls--;
		while (*ls == ' ' || *ls == '\t')
			ls++;
		if (word && *ls != '#' && --n == 0)
			break;
		p += nl;
	}
	size_t off = (size_t)(p - f->text);
	uint32_t line = 1, col = 1;
	for (const char *q = f->text; q < p; q++) {
		col++;
		if (*q == '\n') {
			line++;
			col = 1;
		}
	}
	struct et_loc loc = { f->file, line, col, line, col + (uint32_t)nl - 1 };
	const char *out;
	size_t end;
	if (!pp_expand(f->pp, f->seq, f->scan, f->len, off, nl, loc, &out, &end))
		return NULL;
	if (used)
		*used = end - off;
	if (keep_spaces)
		return out;
	char *c = arena_strdup(f->arena, out), *w = c;
	for (const char *r = out; *r; r++)
		if (*r != ' ')
			*w++ = *r;
	*w = 0;
	return c;
}

#define EXPANDS(f, name, n, want)                                                                     \
	do {                                                                                          \
		const char *got_ = expand_at((f), (name), (n), false, NULL);                          \
		CHECK(got_ && strcmp(got_, (want)) == 0, "%s #%d: got '%s', want '%s'", (name), (n), \
		      got_ ? got_ : "(none)", (want));                                              \
	} while (0)

static void test_object_and_function(void)
{
	struct fx f;
	fx_open(&f,
		"#define A 1 + 2\n"
		"#define F(a, b) ((a) * (b))\n"
		"#define S(x) #x\n"
		"#define C(a, b) a##b\n"
		"#define V(f, ...) g(f, __VA_ARGS__)\n"
		"#define W(f, ...) g(f, ## __VA_ARGS__)\n"
		"#define N() 7\n"
		"#define SELF SELF + 1\n"
		"#define P Q\n"
		"#define Q P\n"
		"#define G F\n"
		"A F((1, 2), 3) S(a  \"b\\\"\" c) C(foo, 12) V(1, 2, 3) W(1) N() SELF P G(4, 5) F F(1,\n 2) F(A, A)\n",
		NULL);
	CHECK(!diag_has_errors(f.diag));
	EXPANDS(&f, "A", 1, "1+2");
	EXPANDS(&f, "F", 1, "(((1,2))*(3))");
	const char *s = expand_at(&f, "S", 1, true, NULL);
	CHECK(s && strcmp(s, "\"a \\\"b\\\\\\\"\\\" c\"") == 0, "stringized: %s", s ? s : "(none)");
	EXPANDS(&f, "C", 1, "foo12");
	EXPANDS(&f, "V", 1, "g(1,2,3)");
	EXPANDS(&f, "W", 1, "g(1)");
	EXPANDS(&f, "N", 1, "7");
	EXPANDS(&f, "SELF", 1, "SELF+1"); /* a macro never expands inside itself */
	EXPANDS(&f, "P", 1, "P");         /* nor through another */
	EXPANDS(&f, "G", 1, "((4)*(5))"); /* rescanning takes F's arguments from the script */
	CHECK(expand_at(&f, "F", 2, false, NULL) == NULL, "a function-like macro without '(' is left alone");
	size_t used = 0;
	EXPANDS(&f, "F", 3, "((1)*(2))");
	expand_at(&f, "F", 3, false, &used);
	CHECK(used == strlen("F(1,\n 2)"), "arguments over two lines: used %zu", used);
	EXPANDS(&f, "F", 4, "((1+2)*(1+2))"); /* arguments are expanded before substitution */
	CHECK(expand_at(&f, "B", 1, false, NULL) == NULL);
	fx_close(&f);
}

static void test_positions(void)
{
	struct fx f;
	fx_open(&f, "#define A 1\nA\n#undef A\nA\n#define A 2\nA\n", NULL);
	EXPANDS(&f, "A", 1, "1");
	CHECK(expand_at(&f, "A", 2, false, NULL) == NULL, "after #undef");
	EXPANDS(&f, "A", 3, "2");
	fx_close(&f);
}

static void test_conditionals(void)
{
	struct fx f;
	const char *script = "#if (1 ? 2 : 3) == 2 && -1 < 0 && (-1 > 0u) && 0x10 == 16 && 010 == 8 && 'A' == 65\n"
			     "#define OK1 1\n"
			     "#endif\n"
			     "#if 0\n"
			     "#if garbage (\n"
			     "#error not reached\n"
			     "#endif\n"
			     "probe_in_a_left_out_group { }\n"
			     "#elif defined BPFTRACE_HAVE_BTF && defined(__linux__) && !defined(NOPE)\n"
			     "#define OK2 1\n"
			     "#else\n"
			     "#define OK2 0\n"
			     "#endif\n"
			     "#if __has_include(<stddef.h>) && !__has_include(\"etrace_no_such.h\") && 0 && 1 / 0\n"
			     "#endif\n"
			     "OK1 OK2\n";
	fx_open(&f, script, NULL);
	CHECK(!diag_has_errors(f.diag), "no errors (1 / 0 is not evaluated after && 0)");
	EXPANDS(&f, "OK1", 1, "1");
	EXPANDS(&f, "OK2", 1, "1");
	/* the text to scan: as long as the script, newlines where they were, directives and the left-out
	 * probe blanked, the rest as written */
	CHECK(strlen(f.scan) == f.len);
	CHECK(strstr(f.scan, "probe_in_a_left_out_group") == NULL);
	CHECK(strchr(f.scan, '#') == NULL);
	CHECK(strstr(f.scan, "OK1 OK2\n") != NULL);
	int nl_script = 0, nl_scan = 0;
	for (size_t i = 0; i < f.len; i++) {
		nl_script += f.text[i] == '\n';
		nl_scan += f.scan[i] == '\n';
		if (f.text[i] == '\n')
			CHECK(f.scan[i] == '\n');
	}
	CHECK(nl_script == nl_scan);
	fx_close(&f);

	/* no '#' at all: the script itself, not a copy */
	fx_open(&f, "BEGIN { printf(\"%d\\n\", $1); }\n", NULL);
	CHECK(f.scan == f.text);
	fx_close(&f);
}

static void test_headers(void)
{
	char dir[] = "/tmp/etrace-pp-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[128], script[512];
	snprintf(path, sizeof(path), "%s/h.h", dir);
	FILE *fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs("#pragma once\n#define H_MACRO 5\nenum e { E_A, E_B = H_MACRO * 2, E_C,\n#define E_C E_C\n E_D = -1 };\n"
	      "struct s { int e_z; };\n",
	      fp);
	fclose(fp);
	snprintf(script, sizeof(script), "#include \"%s\"\n#include \"%s\"\nH_MACRO E_A E_B E_C E_D e_z\n", path, path);
	struct fx f;
	fx_open(&f, script, NULL);
	CHECK(!diag_has_errors(f.diag));
	EXPANDS(&f, "H_MACRO", 1, "5");
	EXPANDS(&f, "E_A", 1, "0");
	EXPANDS(&f, "E_B", 1, "10");
	EXPANDS(&f, "E_C", 1, "11"); /* a macro naming itself, then the enumerator */
	EXPANDS(&f, "E_D", 1, "(-1)");
	CHECK(expand_at(&f, "e_z", 1, false, NULL) == NULL, "a struct member is no enumerator");
	fx_close(&f);

	/* -I and --include */
	const char *dirs[] = { dir };
	const char *incs[] = { "h.h" };
	struct pp_options o = { .include_dirs = dirs, .ninclude_dirs = 1, .include_files = incs, .ninclude_files = 1 };
	fx_open(&f, "H_MACRO\n", &o);
	CHECK(!diag_has_errors(f.diag));
	EXPANDS(&f, "H_MACRO", 1, "5");
	fx_close(&f);
	fx_open(&f, "#include <h.h>\n#include <etrace_no_such_header.h>\nH_MACRO\n", &o);
	CHECK(diag_error_count(f.diag) == 1, "the missing header is the one error");
	fx_close(&f);
	/* a "regular file" too large to be a header (sparse: no disk used) */
	char big[128];
	snprintf(big, sizeof(big), "%s/big.h", dir);
	fp = fopen(big, "w");
	CHECK(fp != NULL && ftruncate(fileno(fp), 100 << 20) == 0);
	if (fp)
		fclose(fp);
	snprintf(script, sizeof(script), "#include \"%s\"\n", big);
	fx_open(&f, script, NULL);
	CHECK(diag_error_count(f.diag) == 1, "a 100 MiB header is refused");
	fx_close(&f);
	unlink(big);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_object_and_function();
	test_positions();
	test_conditionals();
	test_headers();
	printf("test_preproc: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
