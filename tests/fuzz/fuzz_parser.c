/* fuzz_parser: libFuzzer harness for the etrace front end (lexer + parser + canonical dump).
 * Each input is one script: source_add, parse_program, ast_dump to /dev/null, diag_render to
 * /dev/null, then everything is freed. It also checks the round trip: when the input parses without
 * errors, its dump must parse without errors to the same dump (abort() otherwise).
 *
 * Build and run (from the repository root; clang-14 has libFuzzer):
 *   mkdir -p /tmp/fuzz-fe && cd /tmp/fuzz-fe &&
 *   bison -d -o parser.c /work/main/src/parser/parser.y && flex -o lexer.c /work/main/src/lexer/lexer.l &&
 *   clang-14 -std=c17 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -I/work/main/src -I. \
 *     -o fuzz_parser parser.c lexer.c /work/main/src/parser/ast.c /work/main/src/parser/ast_dump.c \
 *     /work/main/src/parser/typenames.c /work/main/src/support/arena.c /work/main/src/support/strtab.c \
 *     /work/main/src/support/source.c /work/main/src/support/diag.c /work/main/tests/fuzz/fuzz_parser.c &&
 *   mkdir -p corpus &&
 *   ./fuzz_parser -max_total_time=300 -max_len=4096 -timeout=10 corpus \
 *     /work/main/tests/parse/ok /work/main/tests/parse/bad
 * (replace /work/main with the checkout; new inputs go to ./corpus, seeds are the golden scripts). A crash input is written to ./crash-*; add it to tests/parse/bad
 * or tests/parse/ok as a regression test. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/ast.h"
#include "parser/parse.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

static FILE *devnull;

/* Parse text; return the malloc'ed dump (NULL when there were errors). */
static char *parse_and_dump(const char *text, size_t len)
{
	struct source_set *sources = source_set_new();
	struct arena *arena = arena_new();
	struct strtab *strtab = strtab_new(arena);
	struct diag_sink *diag = diag_new(sources);
	char *dump = NULL;
	size_t dump_len = 0;
	uint32_t file = source_add(sources, "fuzz.et", text, len);
	struct parse_ctx ctx = { .arena = arena, .strtab = strtab, .diag = diag, .sources = sources };
	struct ast_node *program = parse_program(&ctx, file);
	diag_render(diag, devnull);
	ast_dump(program, devnull);
	if (program && !diag_has_errors(diag)) {
		FILE *mem = open_memstream(&dump, &dump_len);
		if (mem) {
			ast_dump(program, mem);
			fclose(mem);
		}
	}
	diag_free(diag);
	strtab_free(strtab);
	arena_free(arena);
	source_set_free(sources);
	return dump;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	char *first = parse_and_dump((const char *)data, size);
	if (first) {
		char *second = parse_and_dump(first, strlen(first));
		if (!second || strcmp(first, second) != 0) {
			fprintf(stderr, "round trip failed\n--- first dump:\n%s\n--- second dump:\n%s\n", first,
				second ? second : "(errors)");
			abort();
		}
		free(second);
	}
	free(first);
	return 0;
}
