/* etrace: the one header the command line needs.
 * main.c turns argv into struct et_options and calls et_run(), which runs the whole pipeline
 * (source → parse → sema → codegen → load/attach/run) and returns the process exit status:
 * 0 success, 1 script/load/attach error, 2 usage error, or the script's exit(N).
 * Options are borrowed: et_run() neither frees nor keeps them past its return. */
#ifndef ET_ETRACE_H
#define ET_ETRACE_H
#include <stdbool.h>
#include <stdint.h>

enum et_exit { ET_EXIT_OK = 0, ET_EXIT_ERROR = 1, ET_EXIT_USAGE = 2 };

enum et_format { ET_FORMAT_TEXT, ET_FORMAT_JSON };
enum et_buffering { ET_BUFFER_LINE, ET_BUFFER_FULL, ET_BUFFER_NONE };

/* --mode (bpftrace's developer modes): RUN is the default; FORMAT (--fmt) prints the script in canonical
 * form; CODEGEN compiles through codegen and stops; COMPILER_BENCH does the same and prints each
 * phase's time; TEST (--test) runs the test: probes and reports each, BENCH (--bench) times the bench:
 * probes (between begin and end, nothing else attached). */
enum et_mode { ET_MODE_RUN, ET_MODE_FORMAT, ET_MODE_CODEGEN, ET_MODE_COMPILER_BENCH, ET_MODE_TEST, ET_MODE_BENCH };

/* -d STAGE (bpftrace's debug stages etrace has), a bit each */
enum et_debug {
	ET_DEBUG_AST = 1u << 0,         /* the parsed program, as canonical source, on stderr */
	ET_DEBUG_CODEGEN = 1u << 1,     /* the LLVM IR before optimisation */
	ET_DEBUG_CODEGEN_OPT = 1u << 2, /* the LLVM IR after optimisation */
	ET_DEBUG_LIBBPF = 1u << 3,      /* every libbpf message */
	ET_DEBUG_VERIFIER = 1u << 4,    /* the verifier's log of every program */
};

struct et_options {
	const char *program_text;       /* -e TEXT */
	const char *script_path;        /* FILE, or "-" for stdin */
	const char *const *positional;  /* $1 .. $N */
	uint32_t npositional;
	const char *const *named;       /* the program's options: the arguments after the script that start
	                                 * with "--", without it ("name=value", "name"), for getopt() */
	uint32_t nnamed;
	bool dump_ast;                  /* --dump-ast: print the AST as canonical source, do not run */
	const char *emit_elf;           /* --emit-elf FILE: write the BPF object, do not run */
	bool quiet;                     /* -q */
	int verbose;                    /* -v (repeatable) */
	bool no_warnings;               /* --no-warnings */
	bool unsafe;                    /* --unsafe */
	const char *output_path;        /* -o FILE */
	int pid;                        /* -p PID, 0 = none */
	const char *cmd;                /* -c CMD */
	bool list;                      /* -l */
	bool info;                      /* --info: report the kernel features, do not run */
	bool stats;                     /* --stats: run summary at exit (events per probe, losses, phase times) */
	const char *metrics;            /* --metrics [ADDR:]PORT: serve the maps to Prometheus, NULL = off */
	const char *list_pattern;       /* -l PATTERN */
	enum et_format format;          /* -f */
	enum et_buffering buffering;    /* -B */
	bool interactive;               /* -i, or no program on a terminal: the interactive session (src/repl) */
	const char *const *include_dirs; /* -I DIR (repeatable): searched by #include before the system's headers */
	uint32_t ninclude_dirs;
	const char *const *include_files; /* --include FILE (repeatable): read as #include "FILE" before the script */
	uint32_t ninclude_files;
	enum et_mode mode;              /* --mode, --fmt */
	unsigned debug;                 /* -d STAGE: enum et_debug bits */
	bool dry_run;                   /* --dry-run: load and attach, then detach and exit (no begin, no output) */
	const char *emit_llvm;          /* --emit-llvm FILE: FILE.original.ll and FILE.optimized.ll */
	const char *probe_filter;       /* --probe-filter REGEX: attach only the probes whose name matches */
	const char *traceable_functions; /* --traceable-functions FILE: instead of available_filter_functions */
	const char *debuginfo;          /* --debuginfo DIR[:DIR] (repeatable, joined with ':') */
	bool usdt_file_activation;      /* --usdt-file-activation */
	bool warnings;                  /* -k: warn about failed helper calls */
};

int et_run(const struct et_options *opts);

#endif
