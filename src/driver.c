/* driver: one run of etrace, read top to bottom.
 * privilege → environment → (session | --info | -l) → source → et_compile (parse, sema, codegen; see
 * compile/compile.h) → (--dump-ast | -l | --emit-elf) → free the compile arena → run.
 * Each phase reports to the diag sink; the driver stops at the first phase that leaves errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile/compile.h"
#include "etrace.h"
#include "parser/parse.h"
#include "repl/repl.h"
#include "probes/listing.h"
#include "probes/provider.h"
#include "kernel/dwarf.h"
#include "kernel/features.h"
#include "kernel/tracefs.h"
#include "runtime/privilege.h"
#include "runtime/rt.h"
#include "program/program.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"

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
static int run_session(const struct et_options *o, const struct et_compile_env *env)
{
	FILE *out = o->output_path ? open_output(o) : NULL;
	if (o->output_path && !out) {
		fprintf(stderr, "etrace: cannot open '%s' for writing: %s\n", o->output_path, strerror(errno));
		return ET_EXIT_ERROR;
	}
	struct repl_options r = {
		.out = out,
		.quiet = o->quiet,
		.verbose = o->verbose,
		.unsafe = o->unsafe,
		.no_warnings = o->no_warnings,
		.json = o->format == ET_FORMAT_JSON,
		.positional = o->positional,
		.npositional = o->npositional,
		.named = o->named,
		.nnamed = o->nnamed,
		.include_dirs = o->include_dirs,
		.ninclude_dirs = o->ninclude_dirs,
		.include_files = o->include_files,
		.ninclude_files = o->ninclude_files,
		.env = *env,
		.pid = o->pid,
		.cmd = o->cmd,
	};
	int status = repl_run(&r);
	if (out)
		fclose(out);
	return status;
}

int et_run(const struct et_options *o)
{
	/* --fmt / --mode format: --dump-ast, bpftrace's name for it */
	bool dump_ast = o->dump_ast || o->mode == ET_MODE_FORMAT;
	/* before anything else (only --dump-ast, which reads nothing but the script, needs no privilege) */
	if (!dump_ast && rt_privilege_check() != 0) {
		fprintf(stderr, "%s\n", RT_PRIVILEGE_MESSAGE);
		return ET_EXIT_ERROR;
	}
	/* limits from the environment, read once for every compile of this run (a config block in the
	 * script overrides them) */
	struct et_compile_env env;
	if (et_compile_env(&env) != 0)
		return ET_EXIT_ERROR;
	if (o->traceable_functions) {
		if (access(o->traceable_functions, R_OK) != 0) {
			fprintf(stderr, "etrace: --traceable-functions: cannot read '%s': %s\n", o->traceable_functions,
				strerror(errno));
			return ET_EXIT_ERROR;
		}
		tracefs_set_traceable_functions(o->traceable_functions);
	}
	if (o->debuginfo)
		dwinfo_set_search_path(o->debuginfo);
	if (o->interactive && !o->program_text && !o->script_path && !o->list)
		return run_session(o, &env);

	struct source_set *sources = source_set_new();
	struct diag_sink *diag = diag_new(sources);
	struct et_compilation c = { 0 };
	struct et_program *prog = NULL;
	FILE *out = NULL, *ir_files[2] = { NULL, NULL };
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
		struct arena *arena = arena_new();
		if (provider_list(o->list_pattern, o->verbose > 0, o->pid, arena, diag, (struct et_loc){ 0 }, stdout) == 0)
			status = ET_EXIT_OK;
		arena_free(arena);
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

	/* the script's path in the line info: verifier rejections show the script line that caused them
	 * (-e and stdin: an in-memory copy of the text, so LLVM opens no file the user did not name) */
	bool named_file = o->script_path && strcmp(o->script_path, "-") != 0;
	/* -d codegen, -d codegen-opt (stderr) and --emit-llvm FILE (FILE.original.ll, FILE.optimized.ll) */
	if (o->emit_llvm) {
		static const char *const suffix[2] = { ".original.ll", ".optimized.ll" };
		for (int i = 0; i < 2; i++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s%s", o->emit_llvm, suffix[i]);
			ir_files[i] = fopen(path, "w");
			if (!ir_files[i]) {
				fprintf(stderr, "etrace: cannot write '%s': %s\n", path, strerror(errno));
				goto cleanup;
			}
		}
	}
	FILE *ir_original = ir_files[0] ? ir_files[0] : (o->debug & ET_DEBUG_CODEGEN) ? stderr : NULL;
	FILE *ir_optimized = ir_files[1] ? ir_files[1] : (o->debug & ET_DEBUG_CODEGEN_OPT) ? stderr : NULL;
	struct et_compile_options copts = {
		.env = env,
		.positional = o->positional,
		.npositional = o->npositional,
		.named = o->named,
		.nnamed = o->nnamed,
		.unsafe = o->unsafe,
		.pid = o->pid,
		.cmd = o->cmd,
		.listing = o->list,
		.compile_only = o->emit_elf != NULL,
		.runs_here = !o->emit_elf,
		.per_probe_programs = o->stats || o->metrics,
		.helper_errors = o->no_warnings ? 0 : o->warnings ? 2 : 1,
		.line_info_path = named_file ? o->script_path : NULL,
		.include_dirs = o->include_dirs,
		.ninclude_dirs = o->ninclude_dirs,
		.include_files = o->include_files,
		.ninclude_files = o->ninclude_files,
		.ir_original = ir_original,
		.ir_optimized = ir_optimized,
		.last = dump_ast ? ET_PHASE_PARSE : o->list ? ET_PHASE_SEMA : ET_PHASE_CODEGEN,
	};
	int compiled = et_compile(&copts, sources, &file, 1, diag, &c);
	if ((o->debug & ET_DEBUG_AST) && c.ast) /* -d ast: what the parser made of the script */
		ast_dump(c.ast, stderr);
	if (compiled != 0)
		goto cleanup;
	if (dump_ast) {
		ast_dump(c.ast, stdout);
		status = ET_EXIT_OK;
		goto cleanup;
	}
	if (o->list) {
		/* -l with a program: the concrete probes it would attach, wildcards expanded */
		struct arena *la = arena_new();
		for (uint32_t i = 0; i < c.prog->nprobes; i++) {
			const struct et_probe_desc *p = &c.prog->probes[i];
			if (p->provider->list) /* bpftrace's form for each provider, with -v its arguments */
				p->provider->list(p, o->verbose > 0, la, stdout);
			else
				printf("%s\n", p->name);
		}
		arena_free(la);
		status = ET_EXIT_OK;
		goto cleanup;
	}
	diag_render(diag, stderr); /* warnings, before the program starts printing */
	if (o->mode == ET_MODE_CODEGEN || o->mode == ET_MODE_COMPILER_BENCH) {
		/* bpftrace's developer modes: the compile is the whole run (compiler-bench: with its times) */
		if (o->mode == ET_MODE_COMPILER_BENCH)
			printf("parse: %.3f ms\nsema: %.3f ms\ncodegen: %.3f ms\n", c.ms_parse, c.ms_sema,
			       c.ms_codegen);
		status = ET_EXIT_OK;
		goto cleanup;
	}

	if (o->emit_elf) {
		int err = write_file(o->emit_elf, c.prog->elf, c.prog->elf_size);
		if (err) {
			fprintf(stderr, "etrace: cannot write '%s': %s\n", o->emit_elf, strerror(-err));
			goto cleanup;
		}
		status = ET_EXIT_OK;
		goto cleanup;
	}

	/* the AST and everything sema built for it are no longer needed: prog holds what the runtime uses */
	prog = c.prog;
	c.prog = NULL;
	double ms_parse = c.ms_parse, ms_sema = c.ms_sema, ms_codegen = c.ms_codegen; /* --stats */
	et_compilation_free(&c);

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
		.stats = o->stats,
		.metrics = o->metrics,
		.dry_run = o->dry_run,
		.debug_libbpf = (o->debug & ET_DEBUG_LIBBPF) != 0,
		.debug_verifier = (o->debug & ET_DEBUG_VERIFIER) != 0,
		.probe_filter = o->probe_filter,
		.mode = o->mode == ET_MODE_TEST ? RT_MODE_TEST : o->mode == ET_MODE_BENCH ? RT_MODE_BENCH : RT_MODE_RUN,
	};
	status = rt_run(prog, &ropts, diag);
	if (o->stats)
		fprintf(stderr, "time parse: %.2f ms\ntime sema (types, probes, BTF): %.2f ms\ntime codegen: %.2f ms\n",
			ms_parse, ms_sema, ms_codegen);

cleanup:
	diag_render(diag, stderr);
	for (int i = 0; i < 2; i++)
		if (ir_files[i])
			fclose(ir_files[i]);
	if (out && out != stdout)
		fclose(out);
	else if (out)
		fflush(out);
	et_program_free(prog);
	et_compilation_free(&c);
	diag_free(diag);
	source_set_free(sources);
	return status;
}
