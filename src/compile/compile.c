/* compile: et_compile(), the one compile entry point (contract in compile.h). The phases in order, each
 * stopping the compile when it leaves errors in the sink: parse every file and gather their items into
 * one program, sema (given the -p/-c target the providers resolve user probes against), codegen, then the
 * warnings about what this kernel cannot give the program (only for one about to run here). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codegen/cg.h"
#include "compile/compile.h"
#include "parser/ast.h"
#include "parser/parse.h"
#include "kernel/features.h"
#include "program/program.h"
#include "compile/imports.h"
#include "preproc/preproc.h"
#include "sema/macros.h"
#include "sema/sema.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

/* A limit from the environment: *out unchanged when unset. Returns -EINVAL (after saying why) when set to
 * something other than a positive integer up to max. */
static int env_limit(const char *name, uint32_t max, uint32_t *out)
{
	const char *v = getenv(name);
	char *end;
	if (!v || !*v)
		return 0;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || *end || n == 0 || n > max || v[0] == '-') {
		fprintf(stderr, "etrace: %s must be a positive integer up to %u, not '%s'\n", name, max, v);
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}

/* BPFTRACE_STACK_MODE: the format of kstack/ustack without a mode (bpftrace, perf or raw); *out stays
 * NULL (bpftrace's format) when unset. Returns -EINVAL (after saying why) for another value. */
static int env_stack_mode(const char **out)
{
	const char *v = getenv("BPFTRACE_STACK_MODE");
	if (!v || !*v || strcmp(v, "bpftrace") == 0)
		return 0;
	if (strcmp(v, "perf") == 0 || strcmp(v, "raw") == 0) {
		*out = v;
		return 0;
	}
	fprintf(stderr, "etrace: BPFTRACE_STACK_MODE must be bpftrace, perf or raw, not '%s'\n", v);
	return -EINVAL;
}

static bool env_is_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

/* The config variables the environment gives as words (missing_probes, booleans, license) and the probe
 * limits. Returns -EINVAL (after saying why) for a value bpftrace would refuse. */
static int env_words(struct et_compile_env *env)
{
	const char *v;
	int k;
	uint32_t n;

	if ((v = getenv("BPFTRACE_MISSING_PROBES")) && *v) {
		if ((k = sema_missing_probes_word(v)) < 0) {
			fprintf(stderr, "etrace: BPFTRACE_MISSING_PROBES must be error, warn or ignore, not '%s'\n", v);
			return -EINVAL;
		}
		env->missing_probes = k;
		env->set |= 1u << SEMA_CFG_MISSING_PROBES;
	}
	if ((v = getenv("BPFTRACE_PRINT_MAPS_ON_EXIT")) && *v) {
		if ((k = sema_bool_word(v)) < 0) {
			fprintf(stderr, "etrace: BPFTRACE_PRINT_MAPS_ON_EXIT must be true or false, not '%s'\n", v);
			return -EINVAL;
		}
		env->no_exit_print = !k;
		env->set |= 1u << SEMA_CFG_PRINT_MAPS_ON_EXIT;
	}
	if ((v = getenv("BPFTRACE_CPP_DEMANGLE")) && *v) {
		if ((k = sema_bool_word(v)) < 0) {
			fprintf(stderr, "etrace: BPFTRACE_CPP_DEMANGLE must be true or false, not '%s'\n", v);
			return -EINVAL;
		}
		env->no_demangle = !k;
		env->set |= 1u << SEMA_CFG_CPP_DEMANGLE;
	}
	if ((v = getenv("BPFTRACE_LICENSE")) && *v) {
		if (!sema_license_known(v)) {
			fprintf(stderr, "etrace: BPFTRACE_LICENSE must be GPL, GPL v2, GPL and additional rights, "
					"Dual BSD/GPL, Dual MIT/GPL or Dual MPL/GPL, not '%s'\n", v);
			return -EINVAL;
		}
		env->license = v;
		env->set |= 1u << SEMA_CFG_LICENSE;
	}
	static const char *const unstable[] = { "BPFTRACE_UNSTABLE_TSERIES", "BPFTRACE_UNSTABLE_DW_USTACK",
						"BPFTRACE_UNSTABLE_TYPEINFO", "BPFTRACE_UNSTABLE_IMPORT_STATEMENT" };
	for (size_t i = 0; i < SEMA_UNSTABLE_COUNT_; i++) {
		if (!(v = getenv(unstable[i])) || !*v)
			continue;
		if ((k = sema_unstable_word(v)) < 0) {
			fprintf(stderr, "etrace: %s must be enable, warn or error, not '%s'\n", unstable[i], v);
			return -EINVAL;
		}
		env->unstable[i] = (uint8_t)k;
		env->set |= 1u << sema_unstable_cfg_bit((enum sema_unstable_feature)i);
	}
	static const char *const limits[] = { "BPFTRACE_MAX_PROBES", "BPFTRACE_MAX_BPF_PROGS" };
	for (size_t i = 0; i < 2; i++) {
		n = 0;
		if (env_limit(limits[i], UINT32_MAX, &n))
			return -EINVAL;
		if (n && (!env->max_probes || n < env->max_probes))
			env->max_probes = n;
		if (n)
			env->set |= 1u << (i ? SEMA_CFG_MAX_BPF_PROGS : SEMA_CFG_MAX_PROBES);
	}
	return 0;
}

/* The older name of each limit first, so that the newer one wins when both are set. */
int et_compile_env(struct et_compile_env *env)
{
	*env = ET_COMPILE_ENV_DEFAULT;
	if (env_limit("BPFTRACE_STRLEN", SEMA_MAX_STRLEN, &env->max_strlen) ||
	    env_limit("BPFTRACE_MAX_STRLEN", SEMA_MAX_STRLEN, &env->max_strlen) ||
	    env_limit("BPFTRACE_MAP_KEYS_MAX", 1u << 28, &env->max_map_keys) ||
	    env_limit("BPFTRACE_MAX_MAP_KEYS", 1u << 28, &env->max_map_keys) ||
	    env_limit("BPFTRACE_PERF_RB_PAGES", SEMA_MAX_RB_PAGES, &env->perf_rb_pages) ||
	    env_limit("BPFTRACE_CAT_BYTES_MAX", UINT32_MAX, &env->max_cat_bytes) ||
	    env_limit("BPFTRACE_MAX_CAT_BYTES", UINT32_MAX, &env->max_cat_bytes) ||
	    env_stack_mode(&env->stack_mode))
		return -EINVAL;
	env->str_trunc_trailer = getenv("BPFTRACE_STR_TRUNC_TRAILER"); /* any text; "" turns the trailer off */
	if (env_words(env))
		return -EINVAL;
	env->set |= env_is_set("BPFTRACE_STRLEN") || env_is_set("BPFTRACE_MAX_STRLEN") ? 1u << SEMA_CFG_MAX_STRLEN : 0;
	env->set |= env_is_set("BPFTRACE_MAP_KEYS_MAX") || env_is_set("BPFTRACE_MAX_MAP_KEYS")
			    ? 1u << SEMA_CFG_MAX_MAP_KEYS : 0;
	env->set |= env_is_set("BPFTRACE_PERF_RB_PAGES") ? 1u << SEMA_CFG_PERF_RB_PAGES : 0;
	env->set |= env_is_set("BPFTRACE_CAT_BYTES_MAX") || env_is_set("BPFTRACE_MAX_CAT_BYTES")
			    ? 1u << SEMA_CFG_MAX_CAT_BYTES : 0;
	env->set |= env_is_set("BPFTRACE_STACK_MODE") ? 1u << SEMA_CFG_STACK_MODE : 0;
	env->set |= getenv("BPFTRACE_STR_TRUNC_TRAILER") ? 1u << SEMA_CFG_STR_TRUNC_TRAILER : 0;
	if (env->perf_rb_pages & (env->perf_rb_pages - 1)) {
		fprintf(stderr, "etrace: BPFTRACE_PERF_RB_PAGES must be a power of two (64, 256, 1024...), not %u\n",
			env->perf_rb_pages);
		return -EINVAL;
	}
	return 0;
}

static double ms_since(struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - t->tv_sec) * 1e3 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
	*t = now;
	return ms;
}

/* Parse every file; one file's AST is the program, several files' items are gathered into a new one (in
 * order), each item keeping the locations of its own file. Returns 0 when something parsed without
 * errors. */
static int parse_files(const struct et_compile_options *o, struct et_compilation *c, struct source_set *sources,
		       const uint32_t *files, uint32_t nfiles, struct diag_sink *diag)
{
	struct pp_options ppo = { .include_dirs = o->include_dirs, .ninclude_dirs = o->ninclude_dirs,
				  .include_files = o->include_files, .ninclude_files = o->ninclude_files };
	struct parse_ctx pctx = { .arena = c->arena, .strtab = c->strtab, .diag = diag, .sources = sources };
	/* one preprocessor for every file: a macro one defines applies in the next (the session's blocks) */
	pctx.pp = pp_new(c->arena, c->strtab, sources, diag, &ppo);
	struct ast_node *all = nfiles > 1 ? ast_new_program(c->arena, (struct et_loc){ 0 }) : NULL;
	uint32_t parsed = 0;

	for (uint32_t i = 0; i < nfiles; i++) {
		struct ast_node *ast = parse_program(&pctx, files[i]);
		if (!ast)
			continue;
		parsed++;
		if (!all) {
			all = ast;
			continue;
		}
		for (uint32_t k = 0; k < ast->u.program.items.count; k++)
			ast_list_push(c->arena, &all->u.program.items, ast->u.program.items.items[k]);
	}
	/* --dump-ast (the parse phase alone) shows the import statements as written */
	if (all && o->last != ET_PHASE_PARSE && !diag_has_errors(diag))
		imports_resolve(&pctx, sources, all);
	c->incomplete = pctx.incomplete;
	c->ast = parsed ? all : NULL;
	return c->ast && !diag_has_errors(diag) ? 0 : -EINVAL;
}

static int analyse(const struct et_compile_options *o, struct et_compilation *c, struct source_set *sources,
		   struct diag_sink *diag)
{
	struct sema_options sopts = {
		.positional = o->positional,
		.npositional = o->npositional,
		.named = o->named,
		.nnamed = o->nnamed,
		.unsafe = o->unsafe,
		.max_strlen = o->env.max_strlen,
		.max_map_keys = o->env.max_map_keys,
		.perf_rb_pages = o->env.perf_rb_pages,
		.max_cat_bytes = o->env.max_cat_bytes,
		.stack_mode = o->env.stack_mode,
		.str_trunc_trailer = o->env.str_trunc_trailer,
		.config_from_env = o->env.set,
		.missing_probes = o->env.missing_probes,
		.no_exit_print = o->env.no_exit_print,
		.no_demangle = o->env.no_demangle,
		.license = o->env.license,
		.max_probes = o->env.max_probes,
		.unstable = { o->env.unstable[0], o->env.unstable[1], o->env.unstable[2], o->env.unstable[3] },
		.has_cpid = o->cmd != NULL,
		.pid = o->pid,
		.cmd = o->cmd,
		.listing = o->listing,
		.compile_only = o->compile_only,
	};

	c->prog = et_program_new();
	if (macros_expand(c->ast, c->arena, c->strtab, sources, diag) < 0)
		return -EINVAL;
	c->sema_rc = sema_analyze(c->ast, &sopts, c->arena, c->strtab, diag, c->prog);
	return c->sema_rc != 0 || diag_has_errors(diag) ? -EINVAL : 0;
}

/* The line info names the script's file, or an in-memory copy of the last file's text (source_memfd). */
static int generate(const struct et_compile_options *o, struct et_compilation *c, struct source_set *sources,
		    uint32_t last_file, struct diag_sink *diag)
{
	struct cg_options copts = {
		.source_name = o->line_info_path,
		.pid_filter = o->pid > 0,
		.attach_cookies = o->runs_here && !o->per_probe_programs &&
				  feature_check(FEATURE_ATTACH_COOKIE, NULL, NULL) == 0,
		.ir_original = o->ir_original,
		.ir_optimized = o->ir_optimized,
		.helper_errors = o->helper_errors,
	};
	char text_path[32];
	int text_fd = -1;

	if (!copts.source_name) {
		text_fd = source_memfd(sources, last_file, text_path, sizeof(text_path));
		copts.source_name = text_fd >= 0 ? text_path : "/dev/null";
	}
	c->cg_rc = cg_compile(c->ast, c->prog, &copts, diag);
	if (text_fd >= 0)
		close(text_fd);
	return c->cg_rc != 0 || diag_has_errors(diag) ? -EINVAL : 0;
}

/* Warnings about what this kernel cannot give a probe, from the feature detection (features.h, the kernel
 * facts the providers ask too). Today: kstack in a tracepoint:syscalls:* probe, empty on kernels that
 * hand those programs the user-mode registers (Linux 6.1). */
static void warn_kernel_limits(const struct et_program *prog, struct diag_sink *diag)
{
	const char *why = NULL, *instead = NULL;

	for (uint32_t i = 0; i < prog->nprobes; i++) {
		const struct et_probe_desc *p = &prog->probes[i];

		if (!p->kstack_loc.line || p->raw || !p->syscall)
			continue;
		if (feature_check(FEATURE_SYSCALL_KSTACK, &why, &instead) == 0)
			return;
		diag_warning(diag, p->kstack_loc, "kstack in %s: %s; %s", p->name, why, instead ? instead : "");
		return; /* once: the same for every such probe */
	}
}

int et_compile(const struct et_compile_options *o, struct source_set *sources, const uint32_t *files,
	       uint32_t nfiles, struct diag_sink *diag, struct et_compilation *c)
{
	struct timespec t;

	memset(c, 0, sizeof(*c));
	c->arena = arena_new();
	c->strtab = strtab_new(c->arena);
	clock_gettime(CLOCK_MONOTONIC, &t);

	int err = parse_files(o, c, sources, files, nfiles, diag);
	c->ms_parse = ms_since(&t);
	if (err || o->last == ET_PHASE_PARSE)
		return err;
	c->reached = ET_PHASE_SEMA;
	err = analyse(o, c, sources, diag);
	c->ms_sema = ms_since(&t);
	if (err || o->last == ET_PHASE_SEMA)
		return err;
	c->reached = ET_PHASE_CODEGEN;
	err = generate(o, c, sources, files[nfiles - 1], diag);
	c->ms_codegen = ms_since(&t);
	if (err)
		return err;
	if (o->runs_here && !o->compile_only)
		warn_kernel_limits(c->prog, diag);
	return 0;
}

void et_compilation_free(struct et_compilation *c)
{
	if (!c)
		return;
	et_program_free(c->prog);
	strtab_free(c->strtab);
	arena_free(c->arena);
	memset(c, 0, sizeof(*c));
}
