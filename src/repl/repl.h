/* repl: the interactive session (`etrace` with no program on a terminal, or `etrace -i`).
 * Reads probe blocks with line editing, history (~/.etrace_history) and Tab completion (libedit); a block
 * is read until its braces/angles balance, compiled together with the session's earlier blocks and run at
 * once: its output streams until Ctrl-C (or exit()), which detaches everything, prints the maps like a
 * one-liner and returns to the prompt. Maps keep their contents from one run to the next while their types
 * agree (rt_map_store). Dot commands: .help .list .probes .maps .print .clear .detach .save .run .quit.
 * A compile, load or attach error is shown under the block just typed and the session goes on.
 * Every block is compiled and run as a one-shot program would be: the environment's limits, -p/-c (a
 * run of the session's blocks traces the -p process or starts the -c command, and ends with it; a block
 * of only BEGIN/END probes runs once without them).
 * Input: the options below (borrowed). Output: program output on stdout, messages on stderr.
 * Returns the process exit status (0 after .quit / Ctrl-D; 1 when the terminal cannot be set up). */
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
