/* main: the command line only. argv → struct et_options → et_run(); usage errors exit 2. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etrace.h"
#include "version.h" /* generated: build/src/version.h */

static const char usage_text[] =
	"usage: etrace [options] FILE [ARG...]\n"
	"       etrace [options] -e 'PROGRAM' [ARG...]\n"
	"       etrace [options] - [ARG...]        (program on standard input)\n"
	"       etrace [-i]                        (interactive session)\n"
	"\n"
	"options:\n"
	"  -e PROGRAM      run PROGRAM (a script given on the command line)\n"
	"  -o FILE         write the program's output to FILE\n"
	"  -q              quiet: no \"Attached N probes\" message\n"
	"  -v              verbose: how each probe attached, program ids, instruction counts, map kinds,\n"
	"                  verifier logs (repeat for more)\n"
	"  --stats         at exit: events per probe, lost events, map-full drops, time of each phase\n"
	"  --metrics [ADDR:]PORT  serve the maps as Prometheus metrics on http://ADDR:PORT/metrics while the\n"
	"                  program runs (ADDR defaults to 127.0.0.1)\n"
	"  -p PID          trace process PID only; exit when it exits\n"
	"  -c 'CMD'        run CMD, trace it, exit when it ends (cpid is its pid)\n"
	"  -l [PATTERN]    list probes matching PATTERN\n"
	"  -i              interactive session (the default with no program on a terminal)\n"
	"  -f text|json    output format (default text)\n"
	"  -B line|full|none  output buffering (default line)\n"
	"  --unsafe        allow system(), signal() and other actions that change the system, and uprobes\n"
	"                  etrace cannot check (a size-0 symbol, an address outside functions)\n"
	"  --no-warnings   do not print warnings\n"
	"  -I DIR          look for #include headers in DIR first (repeatable)\n"
	"  --include FILE  read FILE as #include \"FILE\" before the script (repeatable)\n"
	"  --dump-ast      print the parsed program as canonical source and exit\n"
	"  --emit-elf FILE write the compiled BPF object to FILE and exit\n"
	"  --info          report the kernel features etrace detected (and what it uses instead) and exit\n"
	"  -h, --help      this help\n"
	"  -V, --version   print the version\n"
	"\n"
	"ARG... are the positional parameters $1, $2, ... ($# is their count).\n"
	"Example: etrace -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'\n"
	"See man etrace (man/etrace.8) for the language, every probe type, builtin and function.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("etrace: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'etrace --help' for more information.\n", stderr);
	return ET_EXIT_USAGE;
}

enum { OPT_DUMP_AST = 256, OPT_EMIT_ELF, OPT_UNSAFE, OPT_NO_WARNINGS, OPT_INFO, OPT_STATS, OPT_INCLUDE, OPT_METRICS };

static int parse_and_run(int argc, char **argv, const char **dirs, const char **incs)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "dump-ast", no_argument, NULL, OPT_DUMP_AST },
		{ "emit-elf", required_argument, NULL, OPT_EMIT_ELF },
		{ "unsafe", no_argument, NULL, OPT_UNSAFE },
		{ "no-warnings", no_argument, NULL, OPT_NO_WARNINGS },
		{ "info", no_argument, NULL, OPT_INFO },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ NULL, 0, NULL, 0 },
	};
	struct et_options o = { 0 };
	int c;
	o.include_dirs = dirs;
	o.include_files = incs;

	opterr = 0;
	/* options may follow the script, as with bpftrace; `--` ends them (for arguments like -1) */
	while ((c = getopt_long(argc, argv, "e:o:qvp:c:lif:B:hVI:", longopts, NULL)) != -1) {
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
			fputs(usage_text, stdout);
			return ET_EXIT_OK;
		case 'V':
			printf("etrace v%s\n", ETRACE_VERSION);
			return ET_EXIT_OK;
		case OPT_DUMP_AST:
			o.dump_ast = true;
			break;
		case OPT_EMIT_ELF:
			o.emit_elf = optarg;
			break;
		case OPT_UNSAFE:
			o.unsafe = true;
			break;
		case OPT_NO_WARNINGS:
			o.no_warnings = true;
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
		case '?':
		default:
			if (optopt >= OPT_DUMP_AST) /* a long option that takes an argument, given none */
				return usage_error("option %s needs an argument", argv[optind - 1]);
			if (optopt && strchr("eopcfBI", optopt)) {
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
		} else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			o.interactive = true; /* no program on a terminal: the interactive session */
		} else {
			fputs(usage_text, stderr);
			return ET_EXIT_USAGE;
		}
	}
	/* --metrics serves a running script's maps: with a mode that runs none it would be dropped unsaid */
	if (o.metrics && (o.list || o.dump_ast || o.info || o.emit_elf))
		return usage_error("--metrics serves the maps of a running script: it cannot be used with %s",
				   o.list ? "-l" : o.dump_ast ? "--dump-ast" : o.info ? "--info" : "--emit-elf");
	if (o.metrics && o.interactive)
		return usage_error("%s", "--metrics does not serve the interactive session's maps: run the script with "
				   "-e or from a file");
	o.positional = (const char *const *)&argv[rest];
	o.npositional = (uint32_t)(argc - rest);
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
	int status = parse_and_run(argc, argv, dirs, incs);
	free(dirs);
	free(incs);
	return status;
}
