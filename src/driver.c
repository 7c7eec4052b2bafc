/* driver: the pipeline in one function, read top to bottom.
 * source → parse → (--dump-ast) → sema → codegen → (--emit-elf) → free the compile arena → run.
 * Each phase reports to the diag sink; the driver stops at the first phase that leaves errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codegen/cg.h"
#include "etrace.h"
#include "parser/parse.h"
#include "repl/repl.h"
#include "../probes/listing.h"
#include "runtime/features.h"
#include "runtime/rt.h"
#include "sema/program.h"
#include "sema/sema.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	size_t n = fwrite(data, 1, size, f);
	int err = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (n != size && !err)
		err = -EIO;
	return err;
}

static FILE *open_output(const struct et_options *o)
{
	FILE *out = stdout;
	if (o->output_path) {
		out = fopen(o->output_path, "w");
		if (!out)
			return NULL;
	}
	switch (o->buffering) {
	case ET_BUFFER_LINE:
		setvbuf(out, NULL, _IOLBF, 0);
		break;
	case ET_BUFFER_FULL:
		setvbuf(out, NULL, _IOFBF, 1 << 16);
		break;
	case ET_BUFFER_NONE:
		setvbuf(out, NULL, _IONBF, 0);
		break;
	}
	return out;
}

/* -i, or no program on a terminal: the interactive session */
static int run_session(const struct et_options *o)
{
	struct repl_options r = {
		.quiet = o->quiet,
		.verbose = o->verbose,
		.unsafe = o->unsafe,
		.no_warnings = o->no_warnings,
		.json = o->format == ET_FORMAT_JSON,
		.positional = o->positional,
		.npositional = o->npositional,
	};
	return repl_run(&r);
}

int et_run(const struct et_options *o)
{
	if (o->interactive && !o->program_text && !o->script_path && !o->list)
		return run_session(o);

	struct source_set *sources = source_set_new();
	struct diag_sink *diag = diag_new(sources);
	struct arena *arena = arena_new();
	struct strtab *strtab = strtab_new(arena);
	struct et_program *prog = NULL;
	FILE *out = NULL;
	int status = ET_EXIT_ERROR;
	diag_set_warnings(diag, !o->no_warnings);

	if (o->info) {
		/* --info: what this kernel offers, from the same detection the providers use */
		if (features_report(stdout) == 0)
			status = ET_EXIT_OK;
		goto cleanup;
	}
	if (o->list && !o->program_text && !o->script_path) {
		/* -l [PATTERN]: list what the kernel offers; no program involved */
		if (provider_list(o->list_pattern, o->verbose > 0, arena, diag, (struct et_loc){ 0 }, stdout) == 0)
			status = ET_EXIT_OK;
		goto cleanup;
	}

	uint32_t file;
	if (o->program_text) {
		file = source_add(sources, "-e", o->program_text, strlen(o->program_text));
	} else {
		file = source_load_file(sources, o->script_path);
		if (!file) {
			fprintf(stderr, "etrace: cannot read '%s': %s\n", o->script_path, strerror(errno));
			goto cleanup;
		}
	}

	struct parse_ctx pctx = { arena, strtab, diag, sources };
	struct ast_node *ast = parse_program(&pctx, file);
	if (!ast || diag_has_errors(diag))
		goto cleanup;
	if (o->dump_ast) {
		ast_dump(ast, stdout);
		status = ET_EXIT_OK;
		goto cleanup;
	}

	struct sema_options sopts = {
		.positional = o->positional,
		.npositional = o->npositional,
		.unsafe = o->unsafe,
		.max_strlen = 64,
		.max_map_keys = 4096,
		.has_cpid = o->cmd != NULL,
		.pid = o->pid,
		.listing = o->list,
		.compile_only = o->emit_elf != NULL,
	};
	prog = et_program_new();
	if (sema_analyze(ast, &sopts, arena, strtab, diag, prog) != 0 || diag_has_errors(diag))
		goto cleanup;
	if (o->list) {
		/* -l with a program: the concrete probes it would attach, wildcards expanded */
		for (uint32_t i = 0; i < prog->nprobes; i++)
			printf("%s\n", prog->probes[i].name);
		status = ET_EXIT_OK;
		goto cleanup;
	}

	struct cg_options copts = { 0 };
	if (cg_compile(ast, prog, &copts, diag) != 0 || diag_has_errors(diag))
		goto cleanup;
	diag_render(diag, stderr); /* warnings, before the program starts printing */

	if (o->emit_elf) {
		int err = write_file(o->emit_elf, prog->elf, prog->elf_size);
		if (err) {
			fprintf(stderr, "etrace: cannot write '%s': %s\n", o->emit_elf, strerror(-err));
			goto cleanup;
		}
		status = ET_EXIT_OK;
		goto cleanup;
	}

	/* the AST and everything sema built for it are no longer needed: prog holds what the runtime uses */
	strtab_free(strtab);
	strtab = NULL;
	arena_free(arena);
	arena = NULL;

	out = open_output(o);
	if (!out) {
		fprintf(stderr, "etrace: cannot open '%s' for writing: %s\n", o->output_path, strerror(errno));
		goto cleanup;
	}
	struct rt_options ropts = {
		.out = out,
		.format = o->format == ET_FORMAT_JSON ? RT_FORMAT_JSON : RT_FORMAT_TEXT,
		.quiet = o->quiet,
		.verbose = o->verbose,
		.pid = o->pid,
		.cmd = o->cmd,
		.unsafe = o->unsafe,
	};
	status = rt_run(prog, &ropts, diag);

cleanup:
	diag_render(diag, stderr);
	if (out && out != stdout)
		fclose(out);
	else if (out)
		fflush(out);
	et_program_free(prog);
	strtab_free(strtab);
	arena_free(arena);
	diag_free(diag);
	source_set_free(sources);
	return status;
}
