/* rt: the runtime. Takes a compiled program (prog->elf plus the probe, map and event tables sema and
 * codegen filled), loads it into the kernel, attaches every probe, runs the event loop and prints the
 * results the way bpftrace does. It owns every kernel object it creates (object, links, ring buffer,
 * signalfd, child process) and releases them all before rt_run() returns, on success and on error.
 * Output: everything the script prints (printf, print, time, maps...) goes to opts->out through one
 * buffered writer; messages about the run ("Attached N probes", "N events lost") go to stderr.
 * Constants: before load, the runtime fills these u64 globals of the object's ".rodata" when codegen
 * declares them (cg_rodata_u64): etrace_start_ns (CLOCK_MONOTONIC now, the base of bpf_ktime_get_ns,
 * for `elapsed`), etrace_start_boot_ns (CLOCK_BOOTTIME now, for bpf_ktime_get_boot_ns), etrace_cpid
 * (the -c command's pid), etrace_pid (-p), etrace_ncpus (the possible CPUs, for `ncpus`) and
 * etrace_tai_offset_ns (CLOCK_TAI - CLOCK_BOOTTIME, for nsecs(sw_tai) and tseries()). Others keep
 * codegen's initial value.
 * A program made only of begin/end probes stops right after begin (bpftrace >= 0.24), unless -c/-p.
 * Failure: load/attach errors are reported to diag at the probe's location (with the verifier's first
 * useful line; the raw log is printed to stderr under verbose); rt_run() then returns 1. */
#ifndef ET_RT_H
#define ET_RT_H
#include <stdbool.h>
#include <stdio.h>

struct et_program;
struct diag_sink;

enum rt_format { RT_FORMAT_TEXT, RT_FORMAT_JSON };

/* What a run runs: the probes (RUN), or bpftrace's --test / --bench modes, which run begin, then every
 * test: (bench:) probe with BPF_PROG_TEST_RUN and report each, then end; nothing else is attached, no
 * "Attached" message, no maps printed. TEST returns 1 when a test failed; BENCH when a benchmark failed
 * (exit(N != 0) or an error; returning non-zero skips it). */
enum rt_mode { RT_MODE_RUN, RT_MODE_TEST, RT_MODE_BENCH };

struct rt_options {
	FILE *out;            /* stdout or the -o file; NULL = stdout */
	enum rt_format format;
	bool quiet;           /* -q: no "Attached N probes" */
	int verbose;          /* -v: raw verifier logs, libbpf warnings */
	int pid;              /* -p: stop when this process exits (0 = none) */
	const char *cmd;      /* -c: command run by /bin/sh -c, started after attach; stop when it exits */
	bool unsafe;          /* --unsafe: system() is allowed */
	FILE *err;            /* where warnings found while the program runs go; NULL = stderr */
	bool stats;           /* --stats: events per probe, losses, drops, load/attach time at exit (stderr) */
	const char *metrics;  /* --metrics [ADDR:]PORT: serve the maps over HTTP while the program runs
	                       * (metrics.h); NULL = no server, nothing of it is set up */
	bool dry_run;         /* --dry-run: load, attach, detach and return 0: no begin, no output, no maps */
	bool debug_libbpf;    /* -d libbpf: every libbpf message on stderr */
	bool debug_verifier;  /* -d verifier: the verifier's log of every program on stderr after the load */
	/* --probe-filter REGEX (POSIX extended, searched in the probe's name): the other probes are neither
	 * loaded nor attached (begin and end always are); none matching is an error */
	const char *probe_filter;
	enum rt_mode mode;    /* --test, --bench */
};

/* Load prog->elf with libbpf (bpf_object__open_mem), attach every probe through its provider, run
 * begin (BPF_PROG_TEST_RUN), loop (epoll: signalfd SIGINT/SIGTERM/SIGHUP, ring buffer, child exit for
 * -c / pidfd for -p) until Ctrl-C / exit() / end of the -c command; then detach, run end, drain the
 * ring buffer, print every non-empty map like bpftrace, close everything. Prints "Attached N probes"
 * to stderr unless quiet. Returns the process exit code (0 normal, exit(N) gives N, 1 on load/attach
 * error). */
int rt_run(struct et_program *prog, const struct rt_options *opts, struct diag_sink *diag);

/* The live session (session.c): the interactive session's probes run in the background while the user
 * types. Each block the user adds is a unit: its own BPF object, loaded with the session's maps reused
 * (bpf_map__reuse_fd, by map name; a map is created by the first block that uses it and lives until
 * rt_session_free), only its own probes loaded and attached, its own ring buffer. The caller polls
 * rt_session_fd() (with a ~100 ms timeout: most records are submitted without a wakeup) and calls
 * rt_session_poll(), which writes what the probes print to opts->out. Maps are read live (per-CPU
 * values combined, as at exit). Messages go to stderr; errors to the diag given. Allocation failure
 * aborts; other failures return negative errno (reported). */
struct rt_session;
struct rt_session_options {
	FILE *out;            /* where the probes' output and printed maps go; NULL = stdout */
	enum rt_format format;
	bool quiet;           /* no "Attached N probes" */
	int verbose;
	bool unsafe;
	int pid;              /* -p: the probes trace it; the session ends when it exits */
	const char *cmd;      /* -c: started after the first block attaches; the session ends when it ends */
	FILE *err;            /* warnings found while the probes run (division by zero...); NULL = stderr */
};
/* NULL on failure (the -c command or its watch could not be set up: reported to diag). */
struct rt_session *rt_session_new(const struct rt_session_options *opts, struct diag_sink *diag);
/* Stops and detaches everything left, closes every map; NULL-safe. Call rt_session_end first to print. */
void rt_session_free(struct rt_session *s);
/* An epoll fd, readable when a ring buffer has records to read or the -c/-p process ended. */
int rt_session_fd(const struct rt_session *s);
/* Add block `number`: prog (taken, freed with the session) was compiled from the session's blocks and
 * the new one, whose probes come from source file `file`; only those probes are loaded. Its begin
 * probes run, the others attach and keep running. Returns the number of probes attached (> 0: the
 * block runs on), 0 when the block had only begin/end probes (they ran once, end right after begin,
 * and the block is gone), or a negative errno (reported to diag: nothing of the block stays). diag is
 * the block's (runtime warnings are rendered through it): it must outlive a kept block. */
int rt_session_add(struct rt_session *s, struct et_program *prog, uint32_t file, unsigned number,
		   struct diag_sink *diag);
/* Read the ring buffers and write what the probes printed; a block whose probe called exit() is detached
 * (its end probes run). Returns true when the session should end (the -c command / -p process ended). */
bool rt_session_poll(struct rt_session *s);
/* Whether block `number` is still attached. */
bool rt_session_has_block(const struct rt_session *s, unsigned number);
/* Detach block `number` (its end probes run; its maps stay); -ENOENT when there is no such block. */
int rt_session_detach(struct rt_session *s, unsigned number);
/* Pause (every probe returns at once) or resume all blocks; returns the number of blocks changed. */
unsigned rt_session_pause(struct rt_session *s, bool paused);
/* Print map `name` ("@m") or every map (NULL), as at exit, to out; top: only the biggest `top` entries
 * (0: all). Returns the entries printed, -ENOENT when there is no such map. */
long rt_session_print(struct rt_session *s, const char *name, uint64_t top, FILE *out);
/* clear(@m) (zero_only false) or zero(@m); -ENOENT when there is no such map. */
int rt_session_reset(struct rt_session *s, const char *name, bool zero_only);
/* The i-th map name of the session (completion), NULL past the last. */
const char *rt_session_map_name(const struct rt_session *s, uint32_t i);
/* The end of the session, as a one-shot run ends: stop every probe, run every end probe, drain the
 * output, print every map ("\n\n" first), report lost events, detach and unload everything. */
void rt_session_end(struct rt_session *s);

#endif
