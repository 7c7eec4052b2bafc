/* main: the command line only. argv → struct et_options → et_run(); usage errors exit 2. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etrace.h"
#include "kernel/features.h"
#include "version.h" /* generated: build/src/version.h */

static const char synopsis_text[] =
	"usage: etrace [options] FILE [ARG...]\n"
	"       etrace [options] -e 'PROGRAM' [ARG...]\n"
	"       etrace [options] - [ARG...]        (program on standard input)\n"
	"       etrace [options] -l [PATTERN|FILE] (list probes)\n"
	"       etrace [-i]                        (interactive session)\n";

static const char options_text[] =
	"\n"
	"options:\n"
	"  -e PROGRAM      run PROGRAM (a script given on the command line)\n"
	"  -l, --list [PATTERN|FILE]\n"
	"                  list the probes matching PATTERN ('struct NAME' for a type), or those of a program\n"
	"  -v, --verbose   verbose: how each probe attached, program ids, instruction counts, map kinds,\n"
	"                  verifier logs (repeat for more); with -l, also the probes' arguments\n"
	"  -h, --help      this help\n"
	"  -V, --version   print the version (\"etrace vX.Y.Z\")\n"
	"  --info          report the kernel features etrace detected (and what it uses instead) and exit\n"
	"  -i              interactive session (the default with no program on a terminal)\n"
	"\n"
	"  -p, --pid PID   trace process PID only; exit when it exits\n"
	"  -c, --cmd CMD   run CMD, trace it, exit when it ends (cpid is its pid)\n"
	"  --dwarf-pid PID refused: bpftrace's, for dw_ustack's DWARF unwinder, which etrace has not\n"
	"  --usdt-file-activation\n"
	"                  activate USDT semaphores by file path (what etrace always does: the kernel\n"
	"                  counts the semaphore of every process mapping the file)\n"
	"\n"
	"  -o, --output FILE  write the program's output to FILE\n"
	"  -f text|json    output format (default text)\n"
	"  -B line|full|none  output buffering (default line)\n"
	"  -q, --quiet     quiet: no \"Attached N probes\" message\n"
	"  -k, --warnings  warn about failed probe reads (etrace counts them and reports the count at exit)\n"
	"  --no-warnings   do not print warnings\n"
	"  --stats         at exit: events per probe, lost events, map-full drops, time of each phase\n"
	"  --metrics [ADDR:]PORT  serve the maps as Prometheus metrics on http://ADDR:PORT/metrics while the\n"
	"                  program runs (ADDR defaults to 127.0.0.1)\n"
	"\n"
	"  -I DIR          look for #include headers in DIR first (repeatable)\n"
	"  --include FILE  read FILE as #include \"FILE\" before the script (repeatable)\n"
	"  --debuginfo DIR[:DIR]\n"
	"                  also look for a binary's separate DWARF (by build id, or NAME.debug) in DIR\n"
	"                  (repeatable; relative to the binary's directory unless absolute)\n"
	"  --traceable-functions FILE\n"
	"                  read the traceable kernel functions from FILE, not available_filter_functions\n"
	"\n"
	"  --unsafe        allow system(), signal() and other actions that change the system, and uprobes\n"
	"                  etrace cannot check (a size-0 symbol, an address outside functions)\n"
	"  --no-feature FEATURE[,FEATURE]\n"
	"                  do not use a detected feature (kprobe_multi, uprobe_multi, kprobe_session)\n"
	"\n"
	"developer options:\n"
	"  --mode MODE     format (= --fmt), codegen (compile and stop), compiler-bench (compile and print\n"
	"                  each phase's time), test (run every test: probe once, report each),\n"
	"                  bench (time every bench: probe)\n"
	"  --test, --bench the same as --mode test, --mode bench\n"
	"  --probe-filter REGEX\n"
	"                  attach only the probes whose name matches REGEX (begin and end always run)\n"
	"  --fmt           print the script in canonical form and exit\n"
	"\n"
	"troubleshooting options:\n"
	"  --dry-run       compile, load and attach every probe, then detach and exit (nothing runs)\n"
	"  --verify-llvm-ir  check the generated LLVM IR (etrace always does)\n"
	"  -d, --debug STAGE[,STAGE]\n"
	"                  print a stage's output on stderr: ast, codegen, codegen-opt, libbpf, verifier, all\n"
	"  --dump-ast      print the parsed program as canonical source and exit\n"
	"  --emit-elf FILE write the compiled BPF object to FILE and exit\n"
	"  --emit-llvm FILE  write the LLVM IR to FILE.original.ll and FILE.optimized.ll\n"
	"\n"
	"ARG... are the positional parameters $1, $2, ... ($# is their count); an ARG starting\n"
	"with -- (after a -- that ends etrace's options) is a named one, --NAME=VALUE for getopt().\n"
	"Example: etrace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'\n"
	"See man etrace (man/etrace.8) for the language, every probe type, builtin and function.\n";

/* A bad command line: what is wrong, the synopsis, and where the rest is (bpftrace prints its usage). */
static int usage_error(const char *fmt, const char *arg)
{
	fputs("etrace: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(synopsis_text, stderr);
	fputs("Try 'etrace --help' for more information.\n", stderr);
	return ET_EXIT_USAGE;
}

enum {
	OPT_DUMP_AST = 256, OPT_EMIT_ELF, OPT_UNSAFE, OPT_NO_WARNINGS, OPT_INFO, OPT_STATS, OPT_INCLUDE, OPT_METRICS,
	OPT_DRY_RUN, OPT_EMIT_LLVM, OPT_FMT, OPT_MODE, OPT_TEST, OPT_BENCH, OPT_PROBE_FILTER, OPT_TRACEABLE,
	OPT_DEBUGINFO, OPT_USDT_FILE, OPT_NO_FEATURE, OPT_VERIFY_IR, OPT_BTF, OPT_AOT, OPT_DWARF_PID,
};

/* -d STAGE[,STAGE]: bpftrace's stage names; the ones etrace has no output for are refused by name */
static int parse_debug(const char *arg, unsigned *debug)
{
	static const struct { const char *name; unsigned bits; } stages[] = {
		{ "ast", ET_DEBUG_AST },
		{ "codegen", ET_DEBUG_CODEGEN },
		{ "codegen-opt", ET_DEBUG_CODEGEN_OPT },
		{ "libbpf", ET_DEBUG_LIBBPF },
		{ "verifier", ET_DEBUG_VERIFIER },
		{ "all", ET_DEBUG_AST | ET_DEBUG_CODEGEN | ET_DEBUG_CODEGEN_OPT | ET_DEBUG_LIBBPF | ET_DEBUG_VERIFIER },
	};
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
			if (strcmp(tok, stages[i].name) == 0)
				break;
		if (i == sizeof(stages) / sizeof(stages[0])) {
			if (strcmp(tok, "types") == 0 || strcmp(tok, "parse") == 0 || strcmp(tok, "dis") == 0)
				return usage_error("-d %s: etrace has no such stage output (it has ast, codegen, "
						   "codegen-opt, libbpf, verifier and all)", tok);
			return usage_error("-d takes ast, codegen, codegen-opt, libbpf, verifier or all, not '%s'", tok);
		}
		*debug |= stages[i].bits;
	}
	return 0;
}

/* --no-feature A[,B]: bpftrace's names. uprobe_multi: uprobes attach through perf events instead.
 * etrace never collapses a kprobe/kretprobe pair and attaches kprobes one perf event each, so the
 * other two are checked and have nothing to turn off. */
static int parse_no_feature(const char *arg)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, "uprobe_multi") == 0)
			feature_disable(FEATURE_UPROBE_MULTI, "turned off with --no-feature uprobe_multi");
		else if (strcmp(tok, "kprobe_multi") != 0 && strcmp(tok, "kprobe_session") != 0)
			return usage_error("--no-feature takes kprobe_multi, uprobe_multi or kprobe_session, not '%s'",
					   tok);
	return 0;
}

static int set_mode(struct et_options *o, bool *mode_set, const char *mode, const char *opt)
{
	if (*mode_set)
		return usage_error("%s conflicts with an earlier --mode, --fmt, --test or --bench", opt);
	*mode_set = true;
	if (strcmp(mode, "format") == 0)
		o->mode = ET_MODE_FORMAT;
	else if (strcmp(mode, "codegen") == 0)
		o->mode = ET_MODE_CODEGEN;
	else if (strcmp(mode, "compiler-bench") == 0)
		o->mode = ET_MODE_COMPILER_BENCH;
	else if (strcmp(mode, "test") == 0)
		o->mode = ET_MODE_TEST;
	else if (strcmp(mode, "bench") == 0)
		o->mode = ET_MODE_BENCH;
	else
		return usage_error("--mode takes format, codegen, compiler-bench, bench or test, not '%s'", mode);
	return 0;
}

static int parse_and_run(int argc, char **argv, const char **dirs, const char **incs, char *debuginfo,
			 const char **params, const char **named)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "list", no_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cmd", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "debug", required_argument, NULL, 'd' },
		{ "warnings", no_argument, NULL, 'k' },
		{ "btf", no_argument, NULL, OPT_BTF },
		{ "dump-ast", no_argument, NULL, OPT_DUMP_AST },
		{ "emit-elf", required_argument, NULL, OPT_EMIT_ELF },
		{ "emit-llvm", required_argument, NULL, OPT_EMIT_LLVM },
		{ "unsafe", no_argument, NULL, OPT_UNSAFE },
		{ "no-warnings", no_argument, NULL, OPT_NO_WARNINGS },
		{ "info", no_argument, NULL, OPT_INFO },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "fmt", no_argument, NULL, OPT_FMT },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "test", no_argument, NULL, OPT_TEST },
		{ "bench", no_argument, NULL, OPT_BENCH },
		{ "probe-filter", required_argument, NULL, OPT_PROBE_FILTER },
		{ "traceable-functions", required_argument, NULL, OPT_TRACEABLE },
		{ "debuginfo", required_argument, NULL, OPT_DEBUGINFO },
		{ "usdt-file-activation", no_argument, NULL, OPT_USDT_FILE },
		{ "no-feature", required_argument, NULL, OPT_NO_FEATURE },
		{ "verify-llvm-ir", no_argument, NULL, OPT_VERIFY_IR },
		{ "aot", required_argument, NULL, OPT_AOT },
		{ "dwarf-pid", required_argument, NULL, OPT_DWARF_PID },
		{ NULL, 0, NULL, 0 },
	};
	struct et_options o = { 0 };
	bool mode_set = false, no_warnings = false;
	int c, err;
	o.include_dirs = dirs;
	o.include_files = incs;

	opterr = 0;
	/* options may follow the script, as with bpftrace; `--` ends them (for arguments like -1) */
	while ((c = getopt_long(argc, argv, "e:o:qvp:c:lif:B:hVI:d:kb", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			o.program_text = optarg;
			break;
		case 'o':
			o.output_path = optarg;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'p': {
			char *end;
			errno = 0;
			long pid = strtol(optarg, &end, 10);
			if (errno || *end || pid <= 0 || pid > 0x7fffffff)
				return usage_error("-p needs a process id (a positive number), got '%s'", optarg);
			o.pid = (int)pid;
			break;
		}
		case 'c':
			o.cmd = optarg;
			break;
		case 'l':
			o.list = true;
			break;
		case 'i':
			o.interactive = true;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = ET_FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o.format = ET_FORMAT_JSON;
			else
				return usage_error("-f takes 'text' or 'json', not '%s'", optarg);
			break;
		case 'B':
			if (strcmp(optarg, "line") == 0)
				o.buffering = ET_BUFFER_LINE;
			else if (strcmp(optarg, "full") == 0)
				o.buffering = ET_BUFFER_FULL;
			else if (strcmp(optarg, "none") == 0)
				o.buffering = ET_BUFFER_NONE;
			else
				return usage_error("-B takes 'line', 'full' or 'none', not '%s'", optarg);
			break;
		case 'h':
			fputs(synopsis_text, stdout);
			fputs(options_text, stdout);
			return ET_EXIT_OK;
		case 'V':
			printf("etrace v%s\n", ETRACE_VERSION);
			return ET_EXIT_OK;
		case 'd':
			if ((err = parse_debug(optarg, &o.debug)) != 0)
				return err;
			break;
		case 'k':
			if (no_warnings)
				return usage_error("%s conflicts with --no-warnings", "-k, --warnings");
			o.warnings = true;
			break;
		case 'b':
		case OPT_BTF: /* bpftrace accepts and ignores it: BTF is always used */
			break;
		case OPT_DUMP_AST:
			o.dump_ast = true;
			break;
		case OPT_EMIT_ELF:
			o.emit_elf = optarg;
			break;
		case OPT_EMIT_LLVM:
			o.emit_llvm = optarg;
			break;
		case OPT_UNSAFE:
			o.unsafe = true;
			break;
		case OPT_NO_WARNINGS:
			if (o.warnings)
				return usage_error("%s conflicts with --no-warnings", "-k, --warnings");
			o.no_warnings = no_warnings = true;
			break;
		case OPT_INFO:
			o.info = true;
			break;
		case OPT_STATS:
			o.stats = true;
			break;
		case OPT_METRICS:
			o.metrics = optarg;
			break;
		case 'I':
			dirs[o.ninclude_dirs++] = optarg;
			break;
		case OPT_INCLUDE:
			incs[o.ninclude_files++] = optarg;
			break;
		case OPT_DRY_RUN:
			o.dry_run = true;
			break;
		case OPT_FMT:
			if ((err = set_mode(&o, &mode_set, "format", "--fmt")) != 0)
				return err;
			break;
		case OPT_MODE:
			if ((err = set_mode(&o, &mode_set, optarg, "--mode")) != 0)
				return err;
			break;
		case OPT_TEST:
			if ((err = set_mode(&o, &mode_set, "test", "--test")) != 0)
				return err;
			break;
		case OPT_BENCH:
			if ((err = set_mode(&o, &mode_set, "bench", "--bench")) != 0)
				return err;
			break;
		case OPT_PROBE_FILTER:
			o.probe_filter = optarg;
			break;
		case OPT_TRACEABLE:
			o.traceable_functions = optarg;
			break;
		case OPT_DEBUGINFO:
			if (*debuginfo)
				strcat(debuginfo, ":");
			strcat(debuginfo, optarg);
			o.debuginfo = debuginfo;
			break;
		case OPT_USDT_FILE:
			o.usdt_file_activation = true;
			break;
		case OPT_NO_FEATURE:
			if ((err = parse_no_feature(optarg)) != 0)
				return err;
			break;
		case OPT_VERIFY_IR: /* cg_emit verifies the module before every optimisation */
			break;
		case OPT_AOT:
			return usage_error("--aot %s: etrace has no ahead-of-time mode (use --emit-elf FILE for the BPF "
					   "object)", optarg);
		case OPT_DWARF_PID: /* bpftrace's: a process for dw_ustack's unwinder, which etrace has not */
			return usage_error("--dwarf-pid %s: etrace has no DWARF stack unwinder (dw_ustack); ustack "
					   "walks frame pointers and needs no pid", optarg);
		case '?':
		default:
			if (optopt >= OPT_DUMP_AST) /* a long option that takes an argument, given none */
				return usage_error("option %s needs an argument", argv[optind - 1]);
			if (optopt && strchr("eopcfBId", optopt)) {
				char opt[3] = { '-', (char)optopt, 0 };
				return usage_error("option %s needs an argument", opt);
			}
			if (optopt) {
				char opt[3] = { '-', (char)optopt, 0 };
				return usage_error("unknown option %s", opt);
			}
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (o.pid && o.cmd)
		return usage_error("%s", "-p and -c cannot be used together");

	int rest = optind;
	if (o.list) {
		/* -l [PATTERN | FILE]: a pattern, or a script whose probes to list */
		if (!o.program_text && rest < argc) {
			if (access(argv[rest], R_OK) == 0 && !strchr(argv[rest], ':'))
				o.script_path = argv[rest++];
			else
				o.list_pattern = argv[rest++];
		}
	} else if (!o.program_text && !o.info && !o.interactive) {
		if (rest < argc) {
			o.script_path = argv[rest++];
		} else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && o.mode == ET_MODE_RUN) {
			o.interactive = true; /* no program on a terminal: the interactive session */
		} else {
			return usage_error("%s", "a program is needed: FILE, '-' (standard input) or -e 'PROGRAM'");
		}
	}
	/* --metrics serves a running script's maps: with a mode that runs none it would be dropped unsaid */
	if (o.metrics && (o.list || o.dump_ast || o.info || o.emit_elf || o.dry_run || o.mode != ET_MODE_RUN))
		return usage_error("--metrics serves the maps of a running script: it cannot be used with %s",
				   o.list ? "-l" : o.dump_ast ? "--dump-ast" : o.info ? "--info" : o.emit_elf ? "--emit-elf"
				   : o.dry_run ? "--dry-run" : "--mode (--fmt)");
	if (o.metrics && o.interactive)
		return usage_error("%s", "--metrics does not serve the interactive session's maps: run the script with "
				   "-e or from a file");
	/* a pid that names no process is refused before anything is compiled or attached */
	if (o.pid && kill(o.pid, 0) != 0 && errno == ESRCH) {
		fprintf(stderr, "etrace: -p %d: no such process\n", o.pid);
		return ET_EXIT_ERROR;
	}
	/* as bpftrace: an argument starting with "--" is one of the program's named options (getopt()), any
	 * other a positional parameter */
	for (int i = rest; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0)
			named[o.nnamed++] = argv[i] + 2;
		else
			params[o.npositional++] = argv[i];
	}
	o.positional = params;
	o.named = named;
	return et_run(&o);
}

int main(int argc, char **argv)
{
	/* -I and --include: at most one per argument; the strings stay in argv */
	const char **dirs = calloc((size_t)argc + 1, sizeof(*dirs)), **incs = calloc((size_t)argc + 1, sizeof(*incs));
	if (!dirs || !incs) {
		fputs("etrace: out of memory\n", stderr);
		free(dirs);
		free(incs);
		return ET_EXIT_ERROR;
	}
	/* --debuginfo DIR: every one joined with ':' */
	size_t total = 1;
	for (int i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	char *debuginfo = calloc(total, 1);
	if (!debuginfo) {
		fputs("etrace: out of memory\n", stderr);
		free(dirs);
		free(incs);
		return ET_EXIT_ERROR;
	}
	/* the positional parameters and the named options, each at most all the arguments */
	const char **params = calloc((size_t)argc + 1, sizeof(*params)), **named = calloc((size_t)argc + 1, sizeof(*named));
	int status = params && named ? parse_and_run(argc, argv, dirs, incs, debuginfo, params, named) : ET_EXIT_ERROR;
	if (!params || !named)
		fputs("etrace: out of memory\n", stderr);
	free(params);
	free(named);
	free(debuginfo);
	free(dirs);
	free(incs);
	return status;
}
