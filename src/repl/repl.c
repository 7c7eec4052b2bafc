/* repl: the interactive session. See repl.h.
 *
 * Design. The session keeps the text of every block the user typed and a live runtime session
 * (rt_session). Typing a block compiles it together with the session's earlier blocks (each its own
 * source file "<N>", so messages point into the block as typed; the detached ones too, so that a new block
 * may read the maps they filled, or else only the attached ones) into one program, so that sema gives a
 * map one type over every block that uses it. rt_session_add then loads only the new block's programs,
 * with the session's maps reused, and attaches them: the running blocks are not touched. A block that
 * does not compile, load or attach is not kept.
 * The prompt is libedit's readline() with our own getc (term_getc): while it waits for a key it polls
 * the session's ring buffers (every 100 ms, and at once on a wakeup) and the signals. What the probes
 * print goes through a stream (term_write) that first erases the prompt line; the line is drawn again
 * after (rl_forced_update_display), so output lands above the line being typed.
 * Signals: SIGINT, SIGTERM and SIGHUP are blocked for the whole session and read from a signalfd at the
 * prompt: SIGINT clears the line, the others end the session as .quit does. */
#define _GNU_SOURCE /* fopencookie: the terminal stream that keeps the typed line whole */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
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
	bool active;     /* still attached (not detached, not ended by exit()) */
	struct source_set *src; /* the compile's sources and messages, kept for runtime warnings */
	struct diag_sink *diag;
};

struct session {
	const struct repl_options *o;
	struct block *blocks;
	unsigned nblocks, cap, next_number;
	struct rt_session *rt;
	FILE *out;               /* the probes' output: o->out, or the terminal through term_write */
	FILE *msg;               /* messages while the prompt waits (stderr through term_write) */
	bool end;                /* a signal or the -c/-p process ended: leave as .quit does */
};

static struct session *the_session; /* for the completion and getc callbacks */

/* SIGINT/SIGTERM/SIGHUP, blocked and read from this signalfd while at the prompt (term_getc) */
static int sig_fd = -1;
static bool interrupted;

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

/* ---- the terminal: probe output above the line being typed ---- */

/* While the prompt waits for a key (term_getc), what the probes print must not land in the middle of
 * the typed line: the first write erases the prompt line, and once the output is out term_getc has
 * libedit draw the prompt and the line again (rl_forced_update_display). libedit's callback interface
 * (rl_callback_read_char) was tried first: in libedit 3.1 it does not reset its line after a line is
 * accepted, so a redraw showed the old line again; readline() with our own getc keeps libedit's normal
 * life cycle and gives the event loop the wait. */
static bool at_prompt, line_erased, term_wrote;

/* cookie: the FILE the text goes to (stdout, or stderr for messages) */
static ssize_t term_write(void *cookie, const char *buf, size_t n)
{
	FILE *to = cookie;

	term_wrote = true;
	if (at_prompt && !line_erased) {
		const char *term = getenv("TERM");

		line_erased = true;
		if (term && *term && strcmp(term, "dumb") != 0) {
			fputs("\r\033[K", stdout);
		} else { /* a terminal without escapes: blanks over the row (libedit keeps rl_end for itself) */
			struct winsize ws;
			size_t w = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1u : 79;

			fputc('\r', stdout);
			while (w--)
				fputc(' ', stdout);
			fputc('\r', stdout);
		}
		fflush(stdout);
	}
	fwrite(buf, 1, n, to);
	fflush(to);
	return (ssize_t)n;
}

static FILE *term_stream(FILE *to)
{
	cookie_io_functions_t io = {.write = term_write};
	FILE *f = fopencookie(to, "w", io);

	if (f)
		setvbuf(f, NULL, _IOFBF, 1 << 16);
	return f;
}

/* Blocks that ended by themselves (exit() in a probe) are no longer attached: say so. */
static void sync_blocks(struct session *s)
{
	for (unsigned i = 0; i < s->nblocks; i++)
		if (s->blocks[i].active && !rt_session_has_block(s->rt, s->blocks[i].number)) {
			s->blocks[i].active = false;
			fprintf(s->msg, "[%u] ended by exit()\n", s->blocks[i].number);
		}
	fflush(s->msg);
}

/* libedit's rl_getc_function: wait for a key while the probes run; their output is shown meanwhile.
 * A signal ends the wait with EOF (readline() returns NULL): SIGINT clears the line, SIGTERM/SIGHUP and
 * the end of the -c/-p process leave the session. */
static int term_getc(FILE *in)
{
	struct session *s = the_session;

	for (;;) {
		struct pollfd p[3] = {
			{.fd = fileno(in), .events = POLLIN},
			{.fd = sig_fd, .events = POLLIN},
			{.fd = s->rt ? rt_session_fd(s->rt) : -1, .events = POLLIN},
		};
		int n = poll(p, 3, 100); /* most records are submitted without a wakeup: read them each tick */

		if (n < 0 && errno != EINTR)
			return EOF;
		at_prompt = true;
		line_erased = false;
		if (s->rt && rt_session_poll(s->rt)) {
			s->end = true;
			fputs("the traced process ended\n", s->msg);
		}
		sync_blocks(s);
		fflush(s->out);
		fflush(s->msg);
		at_prompt = false;
		if (line_erased)
			rl_forced_update_display();
		if (s->end)
			return EOF;
		if (n > 0 && (p[1].revents & POLLIN)) {
			struct signalfd_siginfo si;

			if (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGINT) {
					interrupted = true;
				} else {
					s->end = true;
				}
				return EOF;
			}
		}
		if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			unsigned char c;
			ssize_t got = read(fileno(in), &c, 1);

			if (got == 1)
				return c;
			if (got < 0 && errno == EINTR)
				continue;
			return EOF;
		}
	}
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

/* Compile the session's blocks plus the new one (each its own source file "<N>", so messages point into
 * the block as typed, and a map shared by old and new blocks gets one type, unified over all of them)
 * into one program: the attached blocks, and with_detached the detached ones too (a new block may read
 * the maps they filled). Messages to stderr (with_detached: only when it compiles). Returns the program
 * or NULL; *srcp and *diagp are the compile's (the caller frees them); *file is the new block's file. */
static struct et_program *compile(struct session *s, const char *text, unsigned number, uint32_t *file,
				  struct source_set **srcp, struct diag_sink **diagp, bool with_detached)
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
		if (!s->blocks[i].active && !with_detached)
			continue;
		snprintf(name, sizeof(name), "<%u>", s->blocks[i].number);
		files[nfiles++] = source_add(src, name, s->blocks[i].text, strlen(s->blocks[i].text));
	}
	snprintf(name, sizeof(name), "<%u>", number);
	files[nfiles++] = source_add(src, name, text, strlen(text));
	*file = files[nfiles - 1];
	struct et_compile_options copts = {
		.env = s->o->env,
		.positional = s->o->positional,
		.npositional = s->o->npositional,
		.named = s->o->named,
		.nnamed = s->o->nnamed,
		.include_dirs = s->o->include_dirs,
		.ninclude_dirs = s->o->ninclude_dirs,
		.include_files = s->o->include_files,
		.ninclude_files = s->o->ninclude_files,
		.unsafe = s->o->unsafe,
		.pid = s->o->pid,
		.cmd = s->o->cmd,
		.runs_here = true,
		.helper_errors = s->o->no_warnings ? 0 : 1,
		.last = ET_PHASE_CODEGEN,
	};
	if (et_compile(&copts, src, files, nfiles, diag, &c) == 0) {
		prog = c.prog;
		c.prog = NULL;
	}
	if (prog || !with_detached)
		diag_render(diag, stderr);
	fflush(stderr);
	et_compilation_free(&c);
	free(files);
	*srcp = src;
	*diagp = diag;
	return prog;
}

/* A typed block: compiled with the attached ones, its probes loaded and attached next to theirs; the
 * prompt comes back at once while they run. A block of only begin/end probes runs once and is gone. */
static void run_new_block(struct session *s, const char *text)
{
	unsigned number = s->next_number;
	uint32_t file = 0;
	struct source_set *src;
	struct diag_sink *diag;
	/* the detached blocks first: their maps still hold values, and a new block may read them (their
	 * types come from the blocks that wrote them); when that does not compile (a detached block's map
	 * reused with another type), the attached blocks alone, whose messages are shown */
	struct et_program *prog = compile(s, text, number, &file, &src, &diag, true);
	int n = -1;

	if (!prog) {
		diag_free(diag);
		source_set_free(src);
		prog = compile(s, text, number, &file, &src, &diag, false);
	}

	if (prog) {
		s->next_number++;
		n = rt_session_add(s->rt, prog, file, number, diag);
		diag_render(diag, stderr);
	}
	fflush(s->out);
	fflush(stderr);
	if (n > 0) {
		if (s->nblocks == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 8;
			s->blocks = xrealloc(s->blocks, s->cap * sizeof(*s->blocks));
		}
		s->blocks[s->nblocks++] = (struct block){ xstrdup(text), number, true, src, diag };
		if (!s->o->quiet)
			fprintf(stderr, "[%u] running\n", number);
		return;
	}
	diag_free(diag);
	source_set_free(src);
}

/* ---- commands ---- */

static const char help_text[] =
	"Type a probe block, e.g.  tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n"
	"It attaches and runs in the background; the prompt stays. A new block attaches only its own probes,\n"
	"and shares the maps of the same name with the running blocks. Ctrl-C clears the line; Ctrl-D or\n"
	".quit detaches everything and prints the maps. Tab completes probes, builtins, maps and fields.\n"
	"  .help               this text\n"
	"  .list PATTERN       list probes (like etrace -l), e.g. .list tracepoint:sched:*\n"
	"  .probes             the attached blocks\n"
	"  .maps               every map, read now\n"
	"  .print @m           one map, read now\n"
	"  .top @m [N] [SECS]  the biggest N entries (10), refreshed every SECS (1) until a key is pressed\n"
	"  .clear @m           delete every key of a map\n"
	"  .zero @m            set every value of a map to zero\n"
	"  .detach N           detach block N (its end probes run; its maps stay)\n"
	"  .stop / .start      pause / resume every block\n"
	"  .save FILE          write the attached blocks as a script\n"
	"  .quit               leave (or Ctrl-D)\n";

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

	provider_list(*pattern ? pattern : NULL, false, 0, arena, diag, (struct et_loc){ 0 }, stdout);
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

/* .top @m [N] [SECS]: the biggest N entries, redrawn in place (the cursor goes back up over the last
 * frame) every SECS until a key is pressed; the terminal reads keys one by one without signals meanwhile,
 * so Ctrl-C is a key too and returns to the prompt. The probes' output comes between frames. */
static void cmd_top(struct session *s, char *arg)
{
	char *name = strtok(arg, " \t"), *n_arg = strtok(NULL, " \t"), *secs_arg = strtok(NULL, " \t"), *end;
	unsigned long top = 10;
	double secs = 1;
	struct termios old, raw;
	bool tty;
	unsigned lines = 0;

	if (!name || name[0] != '@') {
		fputs("usage: .top @map [N] [SECS]\n", stderr);
		return;
	}
	if (n_arg && ((top = strtoul(n_arg, &end, 10)) == 0 || *end)) {
		fprintf(stderr, ".top: N must be a positive number, not '%s'\n", n_arg);
		return;
	}
	if (secs_arg && (!((secs = strtod(secs_arg, &end)) >= 0.05) || *end)) {
		fprintf(stderr, ".top: SECS must be a number of seconds of at least 0.05, not '%s'\n", secs_arg);
		return;
	}
	tty = tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		raw = old;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	for (;;) {
		char *frame = NULL;
		size_t size = 0;
		FILE *mf = open_memstream(&frame, &size);
		long got;

		if (!mf)
			break;
		fprintf(mf, "%s: the top %lu, every %gs (a key returns)\n", name, top, secs);
		got = rt_session_print(s->rt, name, top, mf);
		fclose(mf);
		if (got < 0) {
			fprintf(stderr, "no map %s in this session\n", name);
			free(frame);
			break;
		}
		if (lines)
			printf("\033[%uA\033[J", lines); /* back over the last frame */
		fputs(frame, stdout);
		fflush(stdout);
		lines = 0;
		for (char *p = frame; *p; p++)
			lines += *p == '\n';
		free(frame);

		bool key = false;
		for (double waited = 0; waited < secs && !key; waited += 0.1) {
			struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
			unsigned char c;

			if (poll(&p, 1, secs - waited < 0.1 ? (int)((secs - waited) * 1000) : 100) > 0 &&
			    read(STDIN_FILENO, &c, 1) >= 0)
				key = true;
			term_wrote = false;
			if (rt_session_poll(s->rt))
				s->end = true;
			fflush(s->out);
			if (term_wrote)
				lines = 0; /* output came below the frame: the next frame is drawn under it */
		}
		if (key || s->end)
			break;
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
}

static void cmd_map(struct session *s, const char *cmd, const char *arg)
{
	if (!*arg || arg[0] != '@') {
		fprintf(stderr, "usage: %s @map\n", cmd);
	} else if (strcmp(cmd, ".print") == 0) {
		if (rt_session_print(s->rt, arg, 0, s->out) < 0)
			fprintf(stderr, "no map %s in this session\n", arg);
	} else if (rt_session_reset(s->rt, arg, strcmp(cmd, ".zero") == 0) < 0) {
		fprintf(stderr, "no map %s in this session\n", arg);
	}
}

/* Returns false for .quit. */
static bool command(struct session *s, char *line)
{
	char *arg = arg_of(line);
	unsigned i;

	sync_blocks(s);
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
		if (rt_session_print(s->rt, NULL, 0, s->out) == 0)
			puts("(no maps with values)");
	} else if (is_cmd(line, ".print") || is_cmd(line, ".clear") || is_cmd(line, ".zero")) {
		char cmd[8];

		snprintf(cmd, sizeof(cmd), "%.*s", (int)strcspn(line, " \t"), line);
		cmd_map(s, cmd, arg);
	} else if (is_cmd(line, ".top")) {
		cmd_top(s, arg);
	} else if (is_cmd(line, ".detach")) {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);

		if (*arg && !*end && n <= UINT_MAX && rt_session_detach(s->rt, (unsigned)n) == 0) {
			sync_blocks(s);
			printf("detached [%lu]\n", n);
		} else {
			fprintf(stderr, "no attached block '%s' (see .probes)\n", arg);
		}
	} else if (is_cmd(line, ".stop") || is_cmd(line, ".start")) {
		bool stop = is_cmd(line, ".stop");
		unsigned n = rt_session_pause(s->rt, stop);

		printf("%s %u block%s\n", stop ? "paused" : "resumed", n, n == 1 ? "" : "s");
	} else if (is_cmd(line, ".save")) {
		cmd_save(s, arg);
	} else {
		fprintf(stderr, "unknown command '%s' (.help lists them)\n", line);
	}
	fflush(s->out);
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
	const char *maps[256];
	uint32_t nmaps = 0;

	while (nmaps < 256 && (maps[nmaps] = rt_session_map_name(s->rt, nmaps)))
		nmaps++;
	cand_list = repl_candidates(rl_line_buffer ? rl_line_buffer : "", start, text, maps, nmaps);
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
	struct rt_session_options so = {
		.format = o->json ? RT_FORMAT_JSON : RT_FORMAT_TEXT,
		.quiet = o->quiet,
		.verbose = o->verbose,
		.unsafe = o->unsafe,
		.pid = o->pid,
		.cmd = o->cmd,
	};
	sigset_t mask, old_mask;
	char *pending = NULL, *hist = NULL;
	size_t plen = 0;
	int status = 1;

	/* the signals the prompt reads from sig_fd (term_getc); blocked, so that they never interrupt a
	 * command or a load half way */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old_mask);
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	s.out = o->out ? o->out : term_stream(stdout);
	s.msg = term_stream(stderr);
	if (sig_fd < 0 || !s.out || !s.msg) {
		fprintf(stderr, "etrace: cannot set up the session: %s\n", strerror(errno));
		goto out;
	}
	so.out = s.out;
	so.err = s.msg;
	{
		struct source_set *src = source_set_new();
		struct diag_sink *diag = diag_new(src);

		s.rt = rt_session_new(&so, diag);
		diag_render(diag, stderr);
		diag_free(diag);
		source_set_free(src);
	}
	if (!s.rt)
		goto out;
	hist = history_file(o);
	the_session = &s;

	rl_readline_name = "etrace";
	rl_catch_signals = 0; /* the signals come through sig_fd: Ctrl-C at the prompt drops the line */
	rl_getc_function = term_getc;
	rl_attempted_completion_function = complete;
	rl_pre_input_hook = bind_nul_as_ctrl_d;
	rl_completer_word_break_characters = word_breaks;
	rl_basic_word_break_characters = word_breaks;
	using_history();
	stifle_history(1000);
	if (hist)
		read_history(hist);

	fprintf(stderr, "etrace %s interactive session: type a probe block (it runs in the background), "
			".help for commands, Ctrl-D to leave\n", ETRACE_VERSION);
	while (!s.end) {
		interrupted = false;
		char *line = readline(pending ? "...> " : "etrace> ");

		if (!line && interrupted && !s.end) {
			/* Ctrl-C at the prompt: drop what was being typed and prompt again */
			free(pending);
			pending = NULL;
			plen = 0;
			fputs("\n", stderr);
			continue;
		}
		if (!line) {
			if (pending && !s.end) { /* Ctrl-D inside an unfinished block: drop it */
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
		sync_blocks(&s);
		run_new_block(&s, pending);
		free(pending);
		pending = NULL;
		plen = 0;
	}
	/* .quit, Ctrl-D, a signal, the traced process's end: as a one-shot run ends */
	rt_session_end(s.rt);
	status = 0;
	if (hist)
		write_history(hist);

out:
	free(hist);
	free(pending);
	rl_pre_input_hook = NULL;
	rl_getc_function = NULL;
	rt_session_free(s.rt);
	for (unsigned i = 0; i < s.nblocks; i++) {
		free(s.blocks[i].text);
		diag_free(s.blocks[i].diag);
		source_set_free(s.blocks[i].src);
	}
	free(s.blocks);
	if (s.out && s.out != o->out)
		fclose(s.out);
	if (s.msg)
		fclose(s.msg);
	if (sig_fd >= 0)
		close(sig_fd);
	sig_fd = -1;
	{
		struct timespec zero = {0, 0};

		while (sigtimedwait(&mask, NULL, &zero) > 0) /* drop what came meanwhile */
			;
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	the_session = NULL;
	return status;
}
