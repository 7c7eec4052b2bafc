/* compile: the one compile entry point, source files → parse → sema → codegen → a program.
 * Every caller goes through et_compile(): the driver, the interactive session, the test tools, the fuzz
 * harnesses and the unit tests; none of them calls the phases itself. It sits above codegen (it calls the
 * front end, sema and codegen) and below the driver and the session.
 * Takes: options (borrowed), a source set holding the files to compile (their ids, in order: several files
 * are one program, each keeping its own name for messages) and the caller's diagnostic sink, which gets
 * every message (rendering them is the caller's business).
 * Gives: a struct et_compilation holding the AST (one AST_PROGRAM with every file's items), the program
 * sema filled and codegen completed with its ELF, the phase times; the caller frees it with
 * et_compilation_free(), after taking the program out (set ->prog to NULL) when it outlives the rest.
 * Failure: et_compile() returns 0 when every phase up to options->last ran without errors in diag, else
 * -EINVAL (the messages are in diag); it stops at the first phase that leaves errors.
 * The environment: et_compile_env() reads bpftrace's variables (BPFTRACE_MAX_STRLEN...), the one place
 * that does; callers pass its result in the options. */
#ifndef ET_COMPILE_H
#define ET_COMPILE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sema/sema.h"

struct arena;
struct strtab;
struct source_set;
struct diag_sink;
struct ast_node;
struct et_program;

/* Limits the environment may set (bpftrace's names); a config block in the script overrides them. */
struct et_compile_env {
	uint32_t max_strlen;    /* BPFTRACE_MAX_STRLEN (or BPFTRACE_STRLEN) */
	uint32_t max_map_keys;  /* BPFTRACE_MAP_KEYS_MAX (or BPFTRACE_MAX_MAP_KEYS) */
	uint32_t perf_rb_pages; /* BPFTRACE_PERF_RB_PAGES, a power of two; 0 = codegen's choice */
	uint32_t max_cat_bytes; /* BPFTRACE_MAX_CAT_BYTES (or BPFTRACE_CAT_BYTES_MAX); 0 = sema's default */
	const char *stack_mode; /* BPFTRACE_STACK_MODE: "perf" or "raw"; NULL = bpftrace's format */
	const char *str_trunc_trailer; /* BPFTRACE_STR_TRUNC_TRAILER (may be ""); NULL = ".." */
	int missing_probes;            /* BPFTRACE_MISSING_PROBES: enum et_missing_probes (0 = error) */
	bool no_exit_print;            /* BPFTRACE_PRINT_MAPS_ON_EXIT=false */
	bool no_demangle;              /* BPFTRACE_CPP_DEMANGLE=false */
	const char *license;           /* BPFTRACE_LICENSE; NULL = "GPL" */
	uint32_t max_probes;           /* BPFTRACE_MAX_PROBES / BPFTRACE_MAX_BPF_PROGS (the smaller); 0 = none */
	uint8_t unstable[SEMA_UNSTABLE_COUNT_]; /* BPFTRACE_UNSTABLE_TSERIES...: enum sema_unstable */
	unsigned set;                  /* 1u << SEMA_CFG_x for each variable the environment set: it wins
					* over the script's config block, as in bpftrace */
};

/* The limits when the environment sets none (bpftrace's defaults). */
#define ET_COMPILE_ENV_DEFAULT ((struct et_compile_env){ .max_strlen = 64, .max_map_keys = 4096 })

/* Fill *env from the environment over the defaults. Returns 0, or -EINVAL after saying on stderr which
 * variable holds what (not a number, out of range, not a power of two...). The driver calls it once per
 * run and hands the result to every compile of the run, one-shot or interactive. */
int et_compile_env(struct et_compile_env *env);

/* How far et_compile() goes. */
enum et_phase { ET_PHASE_PARSE, ET_PHASE_SEMA, ET_PHASE_CODEGEN };

struct et_compile_options {
	struct et_compile_env env;     /* et_compile_env(), or ET_COMPILE_ENV_DEFAULT (tests) */
	const char *const *positional; /* $1 .. $N */
	uint32_t npositional;
	const char *const *named;      /* the program's options for getopt(): "name=value" / "name" */
	uint32_t nnamed;
	bool unsafe;                   /* --unsafe: system(), signal() */
	int pid;                       /* -p PID: the target process (uprobe paths, pid filter); 0 = none */
	const char *cmd;               /* -c CMD: the target command (cpid allowed); NULL = none */
	bool listing;                  /* -l: probes expanded for listing */
	bool compile_only;             /* --emit-elf: probes this kernel cannot attach are still compiled */
	bool runs_here;                /* about to run on this machine: warn about what this kernel lacks, and
					* let a block's probes share a program where its kernel has attach cookies */
	/* failed helper calls reported at run time, bpftrace's warning level: 0 none (--no-warnings), 1 map
	 * updates (the default), 2 also probe reads and map lookups (-k) */
	int helper_errors;
	bool per_probe_programs;       /* --stats, --metrics: a program per probe (they count events per program) */
	/* -d codegen / -d codegen-opt / --emit-llvm: where to print the LLVM IR before and after optimisation
	 * (NULL: nowhere) */
	FILE *ir_original, *ir_optimized;
	/* The script's file, named by the BPF line info (the verifier's log then quotes its lines). NULL: an
	 * in-memory copy of the last file's text (-e, stdin, the session), so LLVM opens no file of the user's. */
	const char *line_info_path;
	/* The C preprocessor: -I DIR (searched before the system's headers) and --include FILE (read before the
	 * first file), bpftrace's options. */
	const char *const *include_dirs;
	uint32_t ninclude_dirs;
	const char *const *include_files;
	uint32_t ninclude_files;
	enum et_phase last;            /* the last phase to run: PARSE (--dump-ast), SEMA (-l), CODEGEN */
};

struct et_compilation {
	struct arena *arena;      /* the AST, sema's annotations and interned names: freed together */
	struct strtab *strtab;
	struct ast_node *ast;     /* every file's items in one AST_PROGRAM; NULL when nothing parsed */
	struct et_program *prog;  /* after sema: maps, events, probes; after codegen: the ELF too */
	bool incomplete;          /* a file ended inside an open block, bracket or comment (parse_ctx.incomplete):
				   * more text could complete it, the session reads another line */
	enum et_phase reached;    /* the last phase that ran */
	int sema_rc, cg_rc;       /* each phase's own result (0 when it did not run), for contract checks */
	double ms_parse, ms_sema, ms_codegen; /* --stats: the time of each phase that ran */
};

/* Compile files[0..nfiles) of `sources` as one program (see the header comment). *out is always set and
 * must be released with et_compilation_free(), whatever the result. */
int et_compile(const struct et_compile_options *opts, struct source_set *sources, const uint32_t *files,
	       uint32_t nfiles, struct diag_sink *diag, struct et_compilation *out);

/* Free what the compilation still holds (the program too, unless the caller took it); NULL-safe. */
void et_compilation_free(struct et_compilation *c);

#endif
