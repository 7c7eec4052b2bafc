/* fuzz_codegen: libFuzzer harness for code generation (lexer + parser + sema + codegen to a BPF ELF object
 * in memory; nothing is loaded into the kernel, so it needs no root beyond what sema's probe resolution
 * reads). Each input that passes sema is compiled with cg_compile; on success the object must be a
 * non-empty ELF image (abort() otherwise). Diagnostics go to /dev/null; everything is freed per input.
 * A crash, a sanitizer report, an LLVM fatal error (abort), a leak or a hang (-timeout) is a finding.
 * Build and run: see the "Fuzzing" section of README.md (cmake with CC=clang-14 -DETRACE_FUZZ=ON). */
#include <string.h>

#include "codegen/cg.h"
#include "fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_pipeline f;
	struct ast_node *program = fuzz_pipeline_begin(&f, data, size);
	if (program) {
		struct cg_options copts = { .source_name = "fuzz.bt" };
		int err = cg_compile(program, f.prog, &copts, f.diag);
		if (err == 0 && !diag_has_errors(f.diag) &&
		    (!f.prog->elf || f.prog->elf_size < 4 || memcmp(f.prog->elf, "\177ELF", 4) != 0)) {
			fprintf(stderr, "cg_compile succeeded without an ELF object\n");
			abort();
		}
		if ((err != 0) != diag_has_errors(f.diag)) {
			fprintf(stderr, "cg_compile returned %d but diag_has_errors is %d\n", err, diag_has_errors(f.diag));
			abort();
		}
	}
	fuzz_pipeline_end(&f);
	return 0;
}
