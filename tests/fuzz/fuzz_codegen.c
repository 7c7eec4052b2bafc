/* fuzz_codegen: libFuzzer harness for code generation (lexer + parser + sema + codegen to a BPF ELF object
 * in memory; nothing is loaded into the kernel, so it needs no root beyond what sema's probe resolution
 * reads). Each input that passes sema is compiled with cg_compile; on success the object must be a
 * non-empty ELF image (abort() otherwise). Diagnostics go to /dev/null; everything is freed per input.
 * A crash, a sanitizer report, an LLVM fatal error (abort), a leak or a hang (-timeout) is a finding.
 * Build and run: see the "Fuzzing" section of README.md (cmake with CC=clang-14 -DETRACE_FUZZ=ON). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/cg.h"
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
	struct sema_options opts = {
		.positional = positional,
		.npositional = 2,
		.unsafe = true,
		.max_strlen = 64,
		.max_map_keys = 4096,
	};
	if (program && !diag_has_errors(diag) && sema_analyze(program, &opts, arena, strtab, diag, prog) == 0 &&
	    !diag_has_errors(diag)) {
		struct cg_options copts = { .source_name = "fuzz.bt" };
		int err = cg_compile(program, prog, &copts, diag);
		if (err == 0 && !diag_has_errors(diag) &&
		    (!prog->elf || prog->elf_size < 4 || memcmp(prog->elf, "\177ELF", 4) != 0)) {
			fprintf(stderr, "cg_compile succeeded without an ELF object\n");
			abort();
		}
		if ((err != 0) != diag_has_errors(diag)) {
			fprintf(stderr, "cg_compile returned %d but diag_has_errors is %d\n", err,
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
