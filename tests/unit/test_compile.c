/* test_compile: the one compile entry point (src/compile/compile.h). et_compile stops after the phase it is
 * asked for; several files are one program whose messages name each file; the parser's "incomplete input"
 * status (what the interactive session reads on for) is set for an unclosed block, angle block or comment
 * and for nothing else, whatever the messages say; et_compile_env reads bpftrace's variables over the
 * defaults and refuses values it cannot use. Needs no root (BEGIN probes only, nothing is loaded). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "program/program.h"
#include "support/diag.h"
#include "support/source.h"
#include "tests/unit/check.h"

struct run {
	struct source_set *sources;
	struct diag_sink *diag;
	struct et_compilation c;
	char *messages; /* the rendered diagnostics */
	int rc;
};

/* Compile texts[0..n) as files "<1>".."<n>" up to `last`. */
static void run(struct run *r, const char *const *texts, uint32_t n, enum et_phase last)
{
	struct et_compile_options o = { .env = ET_COMPILE_ENV_DEFAULT, .last = last };
	uint32_t files[8];
	char name[16];
	size_t len = 0;

	memset(r, 0, sizeof(*r));
	r->sources = source_set_new();
	r->diag = diag_new(r->sources);
	for (uint32_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "<%u>", i + 1);
		files[i] = source_add(r->sources, name, texts[i], strlen(texts[i]));
	}
	r->rc = et_compile(&o, r->sources, files, n, r->diag, &r->c);
	FILE *f = open_memstream(&r->messages, &len);
	diag_render(r->diag, f);
	fclose(f);
}

static void run1(struct run *r, const char *text, enum et_phase last)
{
	run(r, &text, 1, last);
}

static void release(struct run *r)
{
	et_compilation_free(&r->c);
	diag_free(r->diag);
	source_set_free(r->sources);
	free(r->messages);
}

static void test_phases(void)
{
	struct run r;

	run1(&r, "BEGIN { @x = 1; exit(); }", ET_PHASE_PARSE);
	CHECK(r.rc == 0 && r.c.ast && !r.c.prog && r.c.reached == ET_PHASE_PARSE);
	release(&r);

	run1(&r, "BEGIN { @x = 1; exit(); }", ET_PHASE_SEMA);
	CHECK(r.rc == 0 && r.c.prog && r.c.prog->nmaps == 1 && !r.c.prog->elf && r.c.reached == ET_PHASE_SEMA);
	release(&r);

	run1(&r, "BEGIN { @x = 1; exit(); }", ET_PHASE_CODEGEN);
	CHECK(r.rc == 0 && r.c.prog && r.c.prog->elf && r.c.prog->elf_size > 4 &&
	      memcmp(r.c.prog->elf, "\177ELF", 4) == 0 && r.c.reached == ET_PHASE_CODEGEN && r.c.cg_rc == 0);
	release(&r);

	/* a sema error stops before codegen */
	run1(&r, "BEGIN { @x = 1; @x = \"s\"; }", ET_PHASE_CODEGEN);
	CHECK(r.rc == -EINVAL && r.c.reached == ET_PHASE_SEMA && r.c.sema_rc != 0 && !r.c.prog->elf);
	release(&r);

	/* a syntax error stops before sema */
	run1(&r, "BEGIN { @x = 1 +; }", ET_PHASE_CODEGEN);
	CHECK(r.rc == -EINVAL && r.c.reached == ET_PHASE_PARSE && !r.c.prog && !r.c.incomplete);
	release(&r);

	/* the default limits reach sema */
	run1(&r, "BEGIN { @m[1] = 1; @s = str($1); }", ET_PHASE_SEMA);
	CHECK(r.rc == 0 && r.c.prog->maps[0].max_entries == 4096);
	release(&r);
}

/* Several files are one program: the second reads the map the first fills; messages name their file. */
static void test_files(void)
{
	static const char *const ok[] = { "BEGIN { @a = 1; }", "END { @b = @a + 1; }" };
	static const char *const bad[] = { "BEGIN { @a = 1; }", "END {\n  @a = \"s\"; }" };
	struct run r;

	run(&r, ok, 2, ET_PHASE_CODEGEN);
	CHECK(r.rc == 0 && r.c.prog->nprobes == 2 && r.c.prog->nmaps == 2 && r.c.prog->elf);
	release(&r);

	run(&r, bad, 2, ET_PHASE_CODEGEN);
	CHECK(r.rc == -EINVAL && strstr(r.messages, "<2>:2:") != NULL && strstr(r.messages, "<1>:") == NULL);
	release(&r);
}

static bool incomplete(const char *text)
{
	struct run r;
	run1(&r, text, ET_PHASE_PARSE);
	bool more = r.c.incomplete;
	CHECK(!more || r.rc == -EINVAL); /* incomplete input is an error too */
	release(&r);
	return more;
}

static void test_incomplete(void)
{
	CHECK(incomplete("BEGIN {"));
	CHECK(incomplete("BEGIN { if (1) {\n  @x = 1;\n"));
	CHECK(incomplete("BEGIN < @x = 1;"));
	CHECK(incomplete("BEGIN { printf(\"%d\\n\", (1 + 2"));
	CHECK(incomplete("BEGIN { @x = 1; } /* a comment"));
	CHECK(!incomplete("BEGIN { @x = 1; }"));
	CHECK(!incomplete("BEGIN { @x = 1 +; }"));
	CHECK(!incomplete("BEGIN { @x = 1; }}"));
	/* the old test searched the rendered messages: this line quotes the words, and is complete */
	CHECK(!incomplete("BEGIN { printf(\"is never closed, unterminated comment\"); @x = ; }"));
}

static void test_env(void)
{
	struct et_compile_env env;
	static const char *const vars[] = { "BPFTRACE_STRLEN", "BPFTRACE_MAX_STRLEN", "BPFTRACE_MAP_KEYS_MAX",
					    "BPFTRACE_MAX_MAP_KEYS", "BPFTRACE_PERF_RB_PAGES", "BPFTRACE_STACK_MODE",
					    "BPFTRACE_STR_TRUNC_TRAILER" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	CHECK(et_compile_env(&env) == 0 && env.max_strlen == 64 && env.max_map_keys == 4096 &&
	      env.perf_rb_pages == 0 && env.stack_mode == NULL && env.str_trunc_trailer == NULL);

	setenv("BPFTRACE_STRLEN", "100", 1);
	setenv("BPFTRACE_MAX_STRLEN", "8", 1); /* the newer name wins */
	setenv("BPFTRACE_MAP_KEYS_MAX", "5", 1);
	setenv("BPFTRACE_PERF_RB_PAGES", "256", 1);
	setenv("BPFTRACE_STACK_MODE", "perf", 1);
	setenv("BPFTRACE_STR_TRUNC_TRAILER", "", 1); /* empty: no trailer, not unset */
	CHECK(et_compile_env(&env) == 0 && env.max_strlen == 8 && env.max_map_keys == 5 &&
	      env.perf_rb_pages == 256 && env.stack_mode && strcmp(env.stack_mode, "perf") == 0 &&
	      env.str_trunc_trailer && env.str_trunc_trailer[0] == 0);
	unsetenv("BPFTRACE_STR_TRUNC_TRAILER");

	fprintf(stderr, "(four refusals expected below)\n");
	setenv("BPFTRACE_PERF_RB_PAGES", "3", 1);
	CHECK(et_compile_env(&env) == -EINVAL);
	unsetenv("BPFTRACE_PERF_RB_PAGES");
	setenv("BPFTRACE_MAX_STRLEN", "8193", 1);
	CHECK(et_compile_env(&env) == -EINVAL);
	setenv("BPFTRACE_MAX_STRLEN", "-1", 1);
	CHECK(et_compile_env(&env) == -EINVAL);
	unsetenv("BPFTRACE_MAX_STRLEN");
	setenv("BPFTRACE_STACK_MODE", "fancy", 1);
	CHECK(et_compile_env(&env) == -EINVAL);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

int main(void)
{
	test_phases();
	test_files();
	test_incomplete();
	test_env();
	printf("test_compile: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
