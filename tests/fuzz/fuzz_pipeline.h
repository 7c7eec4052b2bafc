/* fuzz_pipeline: what fuzz_sema and fuzz_codegen share. fuzz_pipeline_run compiles one input through
 * et_compile up to `last` (ET_PHASE_SEMA or ET_PHASE_CODEGEN) with two positional parameters "7" and
 * "abc", --unsafe (so that system() & co. reach their checks) and the default limits; it checks the
 * contract of the last phase that ran (an error return exactly when diag holds errors; a successful
 * codegen leaves a non-empty ELF image: abort() otherwise). fuzz_pipeline_end renders the diagnostics to
 * /dev/null and frees everything.
 * Header-only: each harness is one translation unit linked with every module. */
#ifndef ETRACE_FUZZ_PIPELINE_H
#define ETRACE_FUZZ_PIPELINE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "program/program.h"
#include "support/diag.h"
#include "support/source.h"

struct fuzz_pipeline {
	struct source_set *sources;
	struct diag_sink *diag;
	struct et_compilation c;
};

static inline void fuzz_contract(const char *phase, int rc, const struct diag_sink *diag)
{
	if ((rc != 0) != diag_has_errors(diag)) {
		fprintf(stderr, "%s returned %d but diag_has_errors is %d\n", phase, rc, diag_has_errors(diag));
		abort();
	}
}

static inline void fuzz_pipeline_run(struct fuzz_pipeline *f, const uint8_t *data, size_t size, enum et_phase last)
{
	static const char *const positional[] = { "7", "abc" };
	struct et_compile_options opts = {
		.env = ET_COMPILE_ENV_DEFAULT,
		.positional = positional,
		.npositional = 2,
		.unsafe = true,
		.line_info_path = "fuzz.bt",
		.last = last,
	};
	f->sources = source_set_new();
	f->diag = diag_new(f->sources);
	uint32_t file = source_add(f->sources, "fuzz.bt", (const char *)data, size);
	int err = et_compile(&opts, f->sources, &file, 1, f->diag, &f->c);
	if (f->c.reached == ET_PHASE_SEMA)
		fuzz_contract("sema", f->c.sema_rc, f->diag);
	if (f->c.reached == ET_PHASE_CODEGEN) {
		fuzz_contract("codegen", f->c.cg_rc, f->diag);
		if (err == 0 && (!f->c.prog->elf || f->c.prog->elf_size < 4 || memcmp(f->c.prog->elf, "\177ELF", 4) != 0)) {
			fprintf(stderr, "codegen succeeded without an ELF object\n");
			abort();
		}
	}
}

static inline void fuzz_pipeline_end(struct fuzz_pipeline *f)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	diag_render(f->diag, devnull);
	et_compilation_free(&f->c);
	diag_free(f->diag);
	source_set_free(f->sources);
}

#endif
