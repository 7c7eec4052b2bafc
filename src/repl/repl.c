/* repl: the interactive session. See repl.h.
 *
 * Design. The session keeps the text of every probe block the user typed (each compiled once when typed)
 * and an rt_map_store. Typing a block compiles it together with every block still in the session (each
 * block its own source file "<N>", so messages point into the block as typed) into one program, which
 * runs through rt_run() in the foreground: the new probes and the earlier ones are attached together, so a
 * new probe can read a map an earlier one fills. Ctrl-C (or exit()) ends the run: rt_run() detaches,
 * prints the maps and saves them into the store, from which the next run restores them (maps whose types
 * changed start empty). A block that does not compile, load or attach is not kept. `.detach N` drops
 * block N from later runs; `.run` runs the session's blocks again without a new one.
 * Signals: at the prompt SIGINT only interrupts the line being typed; during a run rt_run() reads it from
 * its signalfd (a no-op handler is installed, so the signal is never ignored or fatal). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <editline/readline.h> /* libedit's readline compatibility API */

#include "compile/compile.h"
#include "probes/listing.h"
#include "probes/provider.h"
#include "repl/repl.h"
#include "runtime/rt.h"
#include "program/program.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "version.h" /* generated: build/src/version.h */

struct block {
	char *text;
	unsigned number; /* as shown by .probes, stable for the session */
	bool active;
};

struct session {
	const struct repl_options *o;
	struct block *blocks;
	unsigned nblocks, cap, next_number;
	struct rt_map_store *store;
	struct et_program *last; /* the program the store refers to */
	char **map_names;        /* for completion: the maps of the last compiled program */
	uint32_t nmap_names;
};

static struct session *the_session; /* for the completion callback */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fputs("etrace: out of memory\n", stderr);
		abort();
	}
	return q;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		fputs("etrace: out of memory\n", stderr);
		abort();
	}
	return d;
}

/* ---- compiling ---- */

/* Is `text` an unfinished block (an unclosed brace, angle or comment)? Parses it alone, quietly: the
 * parser's status says so (et_compilation.incomplete), whatever the messages say. */
static bool incomplete(const char *text)
{
	struct source_set *src = source_set_new();
	struct diag_sink *diag = diag_new(src);
	struct et_compile_options parse_only = { .last = ET_PHASE_PARSE };
	struct et_compilation c;

	uint32_t file = source_add(src, "<input>", text, strlen(text));
	et_compile(&parse_only, src, &file, 1, diag, &c);
	bool more = c.incomplete;
	et_compilation_free(&c);
	diag_free(diag);
	source_set_free(src);
	return more;
}

static void remember_maps(struct session *s, const struct et_program *prog)
{
	uint32_t i;

	for (i = 0; i < s->nmap_names; i++)
		free(s->map_names[i]);
	free(s->map_names);
	s->map_names = NULL;
	s->nmap_names = 0;
	if (!prog || !prog->nmaps)
		return;
	s->map_names = xrealloc(NULL, prog->nmaps * sizeof(char *));
	for (i = 0; i < prog->nmaps; i++)
		s->map_names[i] = xstrdup(prog->maps[i].name);
	s->nmap_names = prog->nmaps;
}

/* Compile the session's active blocks plus `extra` (may be NULL) into one program (et_compile, each block
 * its own source file "<N>"); messages to stderr. Returns the program or NULL. `extra_number` names the
 * new block's source "<N>"; *extra_file is set to its source file id (the file of its probes' locations). */
static struct et_program *compile(struct session *s, const char *extra, unsigned extra_number,
				  uint32_t *extra_file)
{
	struct source_set *src = source_set_new();
	struct diag_sink *diag = diag_new(src);
	uint32_t *files = xrealloc(NULL, (s->nblocks + 1) * sizeof(*files));
	uint32_t nfiles = 0;
	struct et_compilation c = { 0 };
	struct et_program *prog = NULL;
	char name[32];

	diag_set_warnings(diag, !s->o->no_warnings);
	for (unsigned i = 0; i < s->nblocks; i++) {
		if (!s->blocks[i].active)
			continue;
		snprintf(name, sizeof(name), "<%u>", s->blocks[i].number);
		files[nfiles++] = source_add(src, name, s->blocks[i].text, strlen(s->blocks[i].text));
	}
	if (extra) {
		snprintf(name, sizeof(name), "<%u>", extra_number);
		files[nfiles++] = source_add(src, name, extra, strlen(extra));
		if (extra_file)
			*extra_file = files[nfiles - 1];
	}
	struct et_compile_options copts = {
		.env = s->o->env,
		.positional = s->o->positional,
		.npositional = s->o->npositional,
		.unsafe = s->o->unsafe,
		.pid = s->o->pid,
		.cmd = s->o->cmd,
		.runs_here = true,
		.last = ET_PHASE_CODEGEN,
	};
	if (nfiles && et_compile(&copts, src, files, nfiles, diag, &c) == 0) {
		prog = c.prog;
		c.prog = NULL;
		remember_maps(s, prog);
	}
	diag_render(diag, stderr);
	fflush(stderr);
	et_compilation_free(&c);
	free(files);
	diag_free(diag);
	source_set_free(src);
	return prog;
}

/* Run a compiled program in the foreground until Ctrl-C / exit() (or the end of the -p process / -c
 * command when `with_target`); returns 0, or -1 when it did not load or attach (the messages are
 * printed). */
static int run(struct session *s, struct et_program *prog, bool with_target)
{
	struct source_set *src = source_set_new();
	struct diag_sink *diag = diag_new(src);
	struct rt_options ropts = {
		.out = s->o->out ? s->o->out : stdout,
		.format = s->o->json ? RT_FORMAT_JSON : RT_FORMAT_TEXT,
		.quiet = s->o->quiet,
		.verbose = s->o->verbose,
		.unsafe = s->o->unsafe,
		.store = s->store,
		.pid = with_target ? s->o->pid : 0,
		.cmd = with_target ? s->o->cmd : NULL,
	};
	int err = 0;

	rt_run(prog, &ropts, diag);
	if (diag_has_errors(diag))
		err = -1;
	diag_render(diag, stderr);
	fflush(ropts.out);
	fflush(stdout);
	fflush(stderr);
	if (rt_map_store_program(s->store) == prog) {
		et_program_free(s->last);
		s->last = prog;
	} else {
		et_program_free(prog);
	}
	diag_free(diag);
	source_set_free(src);
	return err;
}

static void add_block(struct session *s, const char *text, unsigned number)
{
	if (s->nblocks == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->blocks = xrealloc(s->blocks, s->cap * sizeof(*s->blocks));
	}
	s->blocks[s->nblocks++] = (struct block){ xstrdup(text), number, true };
}

/* Keep only the probes of source file `file` when they are all begin/end probes: such a block (e.g.
 * `BEGIN { print(@m); }`) runs once on its own, reading the session's maps, and is not kept. */
static bool only_begin_end_of(struct et_program *prog, uint32_t file)
{
	uint32_t i, n = 0;

	for (i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].loc.file == file &&
		    !(prog->probes[i].provider->flags & (PROVIDER_BEGIN | PROVIDER_END)))
			return false;
	for (i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].loc.file == file)
			prog->probes[n++] = prog->probes[i];
	prog->nprobes = n;
	return true;
}

static void run_new_block(struct session *s, const char *text)
{
	unsigned number = s->next_number;
	uint32_t file = 0;
	struct et_program *prog = compile(s, text, number, &file);

	if (!prog)
		return;
	s->next_number++;
	bool once = only_begin_end_of(prog, file);
	/* a block that runs once (printing maps) does not start the -c command or wait for the -p process */
	if (run(s, prog, !once) == 0 && !once)
		add_block(s, text, number);
}

/* ---- commands ---- */

static const char help_text[] =
	"Type a probe block, e.g.  tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n"
	"It runs at once, together with the session's earlier blocks; Ctrl-C stops it and prints the maps.\n"
	"Maps keep their values from one run to the next. Tab completes probes, builtins and map names.\n"
	"  .help            this text\n"
	"  .list PATTERN    list probes (like etrace -l), e.g. .list tracepoint:sched:*\n"
	"  .probes          the session's probe blocks (attached whenever a block runs)\n"
	"  .maps            every map and its values\n"
	"  .print @m        one map\n"
	"  .clear @m        empty a map\n"
	"  .detach N        drop block N from the session\n"
	"  .run             run the session's blocks again\n"
	"  .save FILE       write the session's blocks as a script\n"
	"  .quit            leave (or Ctrl-D)\n";

static char *arg_of(char *line)
{
	char *p = line;

	while (*p && *p != ' ' && *p != '\t')
		p++;
	while (*p == ' ' || *p == '\t')
		p++;
	char *end = p + strlen(p);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
		*--end = 0;
	return p;
}

static bool is_cmd(const char *line, const char *cmd)
{
	size_t n = strlen(cmd);

	return strncmp(line, cmd, n) == 0 && (line[n] == 0 || line[n] == ' ' || line[n] == '\t');
}

static void cmd_list(const char *pattern)
{
	struct source_set *src = source_set_new();
	struct diag_sink *diag = diag_new(src);
	struct arena *arena = arena_new();

	provider_list(*pattern ? pattern : NULL, false, arena, diag, (struct et_loc){ 0 }, stdout);
	fflush(stdout);
	diag_render(diag, stderr);
	arena_free(arena);
	diag_free(diag);
	source_set_free(src);
}

static void cmd_save(struct session *s, const char *path)
{
	FILE *f;
	unsigned i;

	if (!*path) {
		fputs("usage: .save FILE\n", stderr);
		return;
	}
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write '%s': %s\n", path, strerror(errno));
		return;
	}
	fputs("#!/usr/bin/env etrace\n// saved from an etrace session\n", f);
	for (i = 0; i < s->nblocks; i++)
		if (s->blocks[i].active)
			fprintf(f, "\n%s\n", s->blocks[i].text);
	if (fclose(f) != 0)
		fprintf(stderr, "cannot write '%s': %s\n", path, strerror(errno));
	else
		fprintf(stderr, "saved to %s\n", path);
}

/* Returns false for .quit. */
static bool command(struct session *s, char *line)
{
	char *arg = arg_of(line);
	unsigned i;

	if (is_cmd(line, ".quit") || is_cmd(line, ".exit") || is_cmd(line, ".q"))
		return false;
	if (is_cmd(line, ".help") || is_cmd(line, ".h")) {
		fputs(help_text, stdout);
	} else if (is_cmd(line, ".list") || is_cmd(line, ".l")) {
		cmd_list(arg);
	} else if (is_cmd(line, ".probes")) {
		unsigned n = 0;

		for (i = 0; i < s->nblocks; i++) {
			if (!s->blocks[i].active)
				continue;
			printf("[%u] %s\n", s->blocks[i].number, s->blocks[i].text);
			n++;
		}
		if (!n)
			puts("(no probe blocks)");
	} else if (is_cmd(line, ".maps")) {
		if (rt_map_store_print(s->store, NULL, s->o->out ? s->o->out : stdout, s->o->json ? RT_FORMAT_JSON : RT_FORMAT_TEXT) == 0)
			puts("(no maps with values)");
	} else if (is_cmd(line, ".print")) {
		if (!*arg)
			fputs("usage: .print @map\n", stderr);
		else if (rt_map_store_print(s->store, arg, s->o->out ? s->o->out : stdout, s->o->json ? RT_FORMAT_JSON : RT_FORMAT_TEXT) == 0)
			printf("%s: (empty or unknown)\n", arg);
	} else if (is_cmd(line, ".clear")) {
		if (!*arg)
			fputs("usage: .clear @map\n", stderr);
		else if (rt_map_store_clear(s->store, arg) != 0)
			fprintf(stderr, "no map %s in this session\n", arg);
	} else if (is_cmd(line, ".detach")) {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);
		bool found = false;

		for (i = 0; *arg && !*end && i < s->nblocks; i++)
			if (s->blocks[i].active && s->blocks[i].number == n) {
				s->blocks[i].active = false;
				found = true;
				printf("detached [%lu]\n", n);
			}
		if (!found)
			fprintf(stderr, "no probe block '%s' (see .probes)\n", arg);
	} else if (is_cmd(line, ".run")) {
		struct et_program *prog = compile(s, NULL, 0, NULL);

		if (prog)
			run(s, prog, true);
		else
			fputs("nothing to run\n", stderr);
	} else if (is_cmd(line, ".save")) {
		cmd_save(s, arg);
	} else {
		fprintf(stderr, "unknown command '%s' (.help lists them)\n", line);
	}
	if (s->o->out)
		fflush(s->o->out);
	fflush(stdout);
	return true;
}

/* ---- line editing ---- */

static char **cand_list;
static size_t cand_next;

static char *cand_generator(const char *text, int state)
{
	(void)text;
	if (state == 0)
		cand_next = 0;
	if (!cand_list || !cand_list[cand_next])
		return NULL;
	return xstrdup(cand_list[cand_next++]);
}

static char **complete(const char *text, int start, int end)
{
	struct session *s = the_session;
	char **m;
	size_t i;

	(void)end;
	rl_attempted_completion_over = 1; /* no file name completion */
	cand_list = repl_candidates(rl_line_buffer ? rl_line_buffer : "", start, text,
				    (const char *const *)s->map_names, s->nmap_names);
	if (cand_list && cand_list[0] && !cand_list[1]) {
		size_t n = strlen(cand_list[0]);
		/* one match: a trailing ':' or an open name needs no space after it */
		rl_completion_append_character = n && cand_list[0][n - 1] == ':' ? '\0' : ' ';
	} else {
		rl_completion_append_character = '\0';
	}
	m = rl_completion_matches(text, cand_generator);
	for (i = 0; cand_list && cand_list[i]; i++)
		free(cand_list[i]);
	free(cand_list);
	cand_list = NULL;
	return m;
}

/* Called by readline() once it has set up the terminal's key bindings, before it reads a key.
 * A Ctrl-D that reaches the terminal while it is in its normal (canonical) mode, i.e. during a run or
 * between the prompt being printed and libedit switching the terminal to raw mode (it prints the prompt
 * first), is kept by the kernel as an end-of-file mark; once the terminal is raw, that mark reads as a
 * NUL byte. libedit binds NUL to ed-quoted-insert (each of its disabled tty characters, VLNEXT last, is
 * bound at the value NUL), so that Ctrl-D was swallowed and the next key inserted literally: a second
 * Ctrl-D then sat in the line, where Ctrl-D only beeps, and the session never left. NUL is given what
 * Ctrl-D does instead (em-delete-or-list: the end of input on an empty line). readline() binds the tty
 * characters again on every call, hence a hook rather than one binding at start. */
static int bind_nul_as_ctrl_d(void)
{
	rl_parse_and_bind("bind ^@ em-delete-or-list");
	return 0;
}

static char *history_file(const struct repl_options *o)
{
	const char *home = getenv("HOME");
	char *p;

	if (o->history_path)
		return xstrdup(o->history_path);
	if (!home || !*home)
		return NULL;
	p = xrealloc(NULL, strlen(home) + sizeof("/.etrace_history"));
	sprintf(p, "%s/.etrace_history", home);
	return p;
}

int repl_run(const struct repl_options *o)
{
	static char word_breaks[] = " \t\n\"\\'`><=;|&{}(),/!+-*%^~[]";
	struct session s = { .o = o, .next_number = 1 };
	struct sigaction sa = { 0 }, old_sa;
	char *pending = NULL, *hist = history_file(o);
	size_t plen = 0;

	s.store = rt_map_store_new();
	the_session = &s;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_sa);

	rl_readline_name = "etrace";
	rl_catch_signals = 0; /* our handler: Ctrl-C at the prompt drops the line, not the session */
	rl_attempted_completion_function = complete;
	rl_pre_input_hook = bind_nul_as_ctrl_d;
	rl_completer_word_break_characters = word_breaks;
	rl_basic_word_break_characters = word_breaks;
	using_history();
	stifle_history(1000);
	if (hist)
		read_history(hist);

	fprintf(stderr, "etrace %s interactive session: type a probe block, .help for commands, Ctrl-D to leave\n",
		ETRACE_VERSION);
	for (;;) {
		interrupted = 0;
		char *line = readline(pending ? "...> " : "etrace> ");

		if (!line && interrupted) {
			/* Ctrl-C at the prompt: drop what was being typed and prompt again */
			free(pending);
			pending = NULL;
			plen = 0;
			fputs("\n", stderr);
			continue;
		}
		if (!line) {
			if (pending) { /* Ctrl-D inside an unfinished block: drop it */
				free(pending);
				pending = NULL;
				plen = 0;
				fputs("\n(unfinished block dropped)\n", stderr);
				continue;
			}
			fputs("\n", stderr);
			break;
		}
		if (!pending) {
			const char *p = line;

			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p) {
				free(line);
				continue;
			}
			if (*p == '.') {
				add_history(line);
				bool go_on = command(&s, (char *)p);
				free(line);
				if (!go_on)
					break;
				continue;
			}
		}
		size_t ll = strlen(line);
		pending = xrealloc(pending, plen + ll + 2);
		memcpy(pending + plen, line, ll);
		plen += ll;
		pending[plen++] = '\n';
		pending[plen] = 0;
		free(line);
		if (incomplete(pending))
			continue;
		pending[plen - 1] = 0; /* the block as typed, without the final newline */
		add_history(pending);
		run_new_block(&s, pending);
		free(pending);
		pending = NULL;
		plen = 0;
	}

	if (hist)
		write_history(hist);
	free(hist);
	free(pending);
	sigaction(SIGINT, &old_sa, NULL);
	rl_pre_input_hook = NULL;
	for (unsigned i = 0; i < s.nblocks; i++)
		free(s.blocks[i].text);
	free(s.blocks);
	remember_maps(&s, NULL);
	rt_map_store_free(s.store);
	et_program_free(s.last);
	the_session = NULL;
	return 0;
}
