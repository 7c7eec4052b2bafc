/* fuzz_sema: libFuzzer harness for semantic analysis (lexer + parser + sema; nothing is compiled or loaded).
 * Each input is one script: parsed, and when it parses without errors analysed by sema_analyze with two
 * positional parameters ("7" and "abc") and --unsafe (so that system() & co. reach their checks), then
 * the diagnostics are rendered to /dev/null and everything is freed. A crash, a sanitizer report, a leak
 * (LeakSanitizer at exit of each run) or a hang (-timeout) is a finding.
 * Probes resolve against the running kernel (tracefs formats, wildcard expansion), so run it as root for
 * the best coverage; it never creates a kernel object.
 * Build and run: see the "Fuzzing" section of README.md (cmake with CC=clang-14 -DETRACE_FUZZ=ON). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "parser/ast.h"
#include "parser/parse.h"
#include "sema/program.h"
#include "sema/sema.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const positional[] = { "7", "abc" };
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	struct source_set *sources = source_set_new();
	struct arena *arena = arena_new();
	struct strtab *strtab = strtab_new(arena);
	struct diag_sink *diag = diag_new(sources);
	struct et_program *prog = et_program_new();
	uint32_t file = source_add(sources, "fuzz.bt", (const char *)data, size);
	struct parse_ctx ctx = { arena, strtab, diag, sources };
	struct ast_node *program = parse_program(&ctx, file);
	if (program && !diag_has_errors(diag)) {
		struct sema_options opts = {
			.positional = positional,
			.npositional = 2,
			.unsafe = true,
			.max_strlen = 64,
			.max_map_keys = 4096,
		};
		int err = sema_analyze(program, &opts, arena, strtab, diag, prog);
		/* the contract: an error return exactly when diag holds errors */
		if ((err != 0) != diag_has_errors(diag)) {
			fprintf(stderr, "sema_analyze returned %d but diag_has_errors is %d\n", err,
				diag_has_errors(diag));
			abort();
		}
	}
	diag_render(diag, devnull);
	et_program_free(prog);
	diag_free(diag);
	strtab_free(strtab);
	arena_free(arena);
	source_set_free(sources);
	return 0;
}
