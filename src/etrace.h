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

struct et_options {
	const char *program_text;       /* -e TEXT */
	const char *script_path;        /* FILE, or "-" for stdin */
	const char *const *positional;  /* $1 .. $N */
	uint32_t npositional;
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
};

int et_run(const struct et_options *opts);

#endif
