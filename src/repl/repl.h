/* repl: the interactive session (`etrace` with no program on a terminal, or `etrace -i`).
 * Reads probe blocks with line editing, history (~/.etrace_history) and Tab completion (libedit); a block
 * is read until its braces/angles balance, compiled together with the session's earlier blocks (one type
 * per map over all of them) and handed to the live session (rt_session, runtime/rt.h): only its own
 * probes attach, the earlier ones keep running and counting into the same maps, and the prompt comes back
 * at once. What running probes print appears above the prompt, and the line being typed is drawn again.
 * Dot commands read and change the live session: .help .list .probes .maps .print .top .clear .zero
 * .detach .stop .start .save .quit. Ctrl-C clears the line; .quit, Ctrl-D, SIGTERM/SIGHUP, or the end of
 * the -c command / -p process end the session as a script ends: every end probe runs, the maps print,
 * everything is detached and closed. A compile, load or attach error is shown under the block just typed
 * and the session goes on. A block of only BEGIN/END probes runs once at once (reading the live maps).
 * -p/-c: every block traces the -p process / the -c command, which starts when the first block attaches.
 * Input: the options below (borrowed). Output: program output on stdout (or -o), messages on stderr.
 * Returns the process exit status (0 when the session ends; 1 when it cannot be set up). */
#ifndef ET_REPL_H
#define ET_REPL_H
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "compile/compile.h"

struct repl_options {
	bool quiet;                    /* no "Attached N probes" */
	int verbose;
	bool unsafe;
	bool no_warnings;
	bool json;                     /* -f json */
	FILE *out;                     /* -o FILE: what the blocks print, and .maps/.print; NULL: stdout */
	const char *history_path;      /* NULL: $HOME/.etrace_history (no history when HOME is unset) */
	const char *const *positional; /* $1.. for every block */
	uint32_t npositional;
	const char *const *named;      /* the program's options for getopt() */
	uint32_t nnamed;
	const char *const *include_dirs;  /* -I DIR: searched by every block's #include */
	uint32_t ninclude_dirs;
	const char *const *include_files; /* --include FILE: read before every block */
	uint32_t ninclude_files;
	struct et_compile_env env;     /* the environment's limits (et_compile_env), for every block */
	int pid;                       /* -p PID: every run traces it (and ends when it exits); 0 = none */
	const char *cmd;               /* -c CMD: every run starts it after attaching, ends when it ends */
};

int repl_run(const struct repl_options *opts);

/* complete.c: the Tab completion candidates for `word`, the text being completed, which starts at
 * column `start` of `line`; `maps` are the session's map names. Returns a NULL-terminated malloc'ed
 * array of malloc'ed strings (possibly empty), NULL when memory runs out. */
char **repl_candidates(const char *line, int start, const char *word, const char *const *maps, uint32_t nmaps);

#endif
