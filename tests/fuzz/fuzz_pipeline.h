/* fuzz_pipeline: what fuzz_sema and fuzz_codegen share. fuzz_pipeline_begin parses one input and, when it
 * parses without errors, analyses it with sema_analyze (two positional parameters "7" and "abc", --unsafe
 * so that system() & co. reach their checks, default limits); it checks sema's contract (an error return
 * exactly when diag holds errors: abort() otherwise) and returns the program when sema succeeded, else
 * NULL. fuzz_pipeline_end renders the diagnostics to /dev/null and frees everything.
 * Header-only: each harness is one translation unit linked with every module. */
#ifndef ETRACE_FUZZ_PIPELINE_H
#define ETRACE_FUZZ_PIPELINE_H

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

struct fuzz_pipeline {
	struct source_set *sources;
	struct arena *arena;
	struct strtab *strtab;
	struct diag_sink *diag;
	struct et_program *prog;
};

static inline struct ast_node *fuzz_pipeline_begin(struct fuzz_pipeline *f, const uint8_t *data, size_t size)
{
	static const char *const positional[] = { "7", "abc" };
	f->sources = source_set_new();
	f->arena = arena_new();
	f->strtab = strtab_new(f->arena);
	f->diag = diag_new(f->sources);
	f->prog = et_program_new();
	uint32_t file = source_add(f->sources, "fuzz.bt", (const char *)data, size);
	struct parse_ctx ctx = { f->arena, f->strtab, f->diag, f->sources };
	struct ast_node *program = parse_program(&ctx, file);
	if (!program || diag_has_errors(f->diag))
		return NULL;
	struct sema_options opts = {
		.positional = positional,
		.npositional = 2,
		.unsafe = true,
		.max_strlen = 64,
		.max_map_keys = 4096,
	};
	int err = sema_analyze(program, &opts, f->arena, f->strtab, f->diag, f->prog);
	if ((err != 0) != diag_has_errors(f->diag)) {
		fprintf(stderr, "sema_analyze returned %d but diag_has_errors is %d\n", err, diag_has_errors(f->diag));
		abort();
	}
	return err ? NULL : program;
}

static inline void fuzz_pipeline_end(struct fuzz_pipeline *f)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	diag_render(f->diag, devnull);
	et_program_free(f->prog);
	diag_free(f->diag);
	strtab_free(f->strtab);
	arena_free(f->arena);
	source_set_free(f->sources);
}

#endif
