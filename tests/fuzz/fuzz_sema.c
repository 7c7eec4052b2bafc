/* fuzz_sema: libFuzzer harness for semantic analysis (lexer + parser + sema; nothing is compiled or loaded).
 * Each input is one script, compiled through et_compile up to sema (analysed when it parses) with two
 * positional parameters ("7" and "abc") and --unsafe (so that system() & co. reach their checks), then
 * the diagnostics are rendered to /dev/null and everything is freed. A crash, a sanitizer report, a leak
 * (LeakSanitizer at exit of each run) or a hang (-timeout) is a finding.
 * Probes resolve against the running kernel (tracefs formats, wildcard expansion), so run it as root for
 * the best coverage; it never creates a kernel object.
 * Build and run: see the "Fuzzing" section of README.md (cmake with CC=clang-14 -DETRACE_FUZZ=ON). */
#include "tests/fuzz/fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_pipeline f;
	fuzz_pipeline_run(&f, data, size, ET_PHASE_SEMA);
	fuzz_pipeline_end(&f);
	return 0;
}
