/* fuzz_codegen: libFuzzer harness for code generation (lexer + parser + sema + codegen to a BPF ELF object
 * in memory, through et_compile; nothing is loaded into the kernel, so it needs no root beyond what sema's
 * probe resolution reads). An input that passes sema is compiled; on success the object must be a
 * non-empty ELF image (abort() otherwise). Diagnostics go to /dev/null; everything is freed per input.
 * A crash, a sanitizer report, an LLVM fatal error (abort), a leak or a hang (-timeout) is a finding.
 * Build and run: see the "Fuzzing" section of README.md (cmake with CC=clang-14 -DETRACE_FUZZ=ON). */
#include "tests/fuzz/fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_pipeline f;
	fuzz_pipeline_run(&f, data, size, ET_PHASE_CODEGEN);
	fuzz_pipeline_end(&f);
	return 0;
}
