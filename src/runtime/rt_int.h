/* rt_int: the runtime's internal pieces, shared by its .c files and the unit tests (not by other
 * modules: they use rt.h).
 *   str.c     rt_str, a growable text buffer (output is built in one and written in one go)
 *   printer.c the output forms' one interface (struct rt_printer) and the walks over a value's type and
 *             over a map's entries that call it
 *   print.c   the text printer: values (ints, strings, symbols...), hist/lhist rendering
 *   json.c    the JSON printer (bpftrace's -f json)
 *   tseries.c tseries() keys in text (the graph) and JSON
 *   printf.c  printf-style formatting of ring-buffer arguments
 *   cgroup.c  cgroup_path() values: the id looked up in the mounted cgroup hierarchies
 *   maps.c    reading maps from the kernel, combining per-CPU values, sorting the entries
 *   load.c / attach.c / loop.c   the life cycle behind rt_run()
 *   pcap.c    skboutput(): the perf buffer of its packets and the pcap files they go to
 * Memory: rt_str owns its buffer (rt_str_free); snapshots own their key/value copies
 * (rt_map_snapshot_free). Allocation failure aborts (the runtime cannot report without memory).
 * Failure: int functions return 0 / negative errno. */
#ifndef ET_RT_INT_H
#define ET_RT_INT_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct et_program;
struct et_map_desc;
struct et_type;
struct rt_ts_point;

/* ---- str.c ---- */
struct rt_str {
	char *s;        /* NUL-terminated (when len > 0 or after any append) */
	size_t len, cap;
};
void rt_str_free(struct rt_str *o);
void rt_str_clear(struct rt_str *o);
void rt_str_putn(struct rt_str *o, const char *s, size_t n);
void rt_str_puts(struct rt_str *o, const char *s);
void rt_str_putc(struct rt_str *o, char c);
void rt_str_printf(struct rt_str *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rt_str_put_u64(struct rt_str *o, uint64_t v); /* decimal, without printf (map printing, events) */
void rt_str_put_i64(struct rt_str *o, int64_t v);
void rt_str_write(struct rt_str *o, FILE *f); /* write and clear */
void *rt_xcalloc(size_t n, size_t size);      /* aborts on failure */

/* ---- print.c (the text printer) ---- */
/* Append the default text form of one value of type t stored at data (bpftrace's print() form):
 * integers by signedness, strings raw (prog->str_trunc_trailer, ".." without a prog, when they fill
 * their buffer), tuples "(a, b)",
 * structs/records "{ .a = 1 }", arrays "[1,2]", pointers "0x..", probe names, symbols...
 * (rt_print_value with rt_text_printer). */
void rt_format_value(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		     const uint8_t *data);
/* An integer of `size` bytes at data, sign-extended when is_signed. */
int64_t rt_read_int(const uint8_t *data, uint32_t size, bool is_signed);
/* Histogram rows for hist(n, k) slots (hist_slots(k)) / lhist() slots, bpftrace's text layout. */
void rt_format_hist(struct rt_str *o, const uint64_t *slots, uint32_t nslots, uint64_t div, uint32_t k);
/* Where hist(n, k) slot i >= 0 ends (exclusive) and slot i + 1 begins: i for the one-value slots
 * (i <= 2^(k+1)), then 2^((i >> k) - 1) * (2^k + (i & (2^k - 1))); 2^64 wraps to 0, so bound - 1 is
 * the slot's largest value in every case. */
uint64_t rt_hist_bound(uint32_t i, uint32_t k);
void rt_format_lhist(struct rt_str *o, const uint64_t *slots, uint32_t nslots, int64_t min, int64_t max,
		     int64_t step);

/* ---- cgroup.c ---- */
/* Append a cgroup_path() value's text: "name:/path" for each mounted hierarchy whose name matches filter
 * (fnmatch) and that holds cgroup id, cgroup2 ("unified") first, joined by ","; nothing when none does. */
void rt_format_cgroup_path(struct rt_str *o, const char *filter, uint64_t id);

/* ---- tseries.c ---- */
/* One tseries() key's intervals: bpftrace's text graph (starting with a newline; "<no data>" for none)
 * and its JSON array. */
void rt_format_tseries(struct rt_str *o, const struct et_type *vt, const struct rt_ts_point *pts, uint32_t n);
void rt_json_tseries(struct rt_str *o, const struct et_type *vt, const struct rt_ts_point *pts, uint32_t n);

/* ---- printf.c ---- */
/* Format `fmt` with the arguments laid out in the tuple `args` at data (size bytes). */
void rt_format_printf(struct rt_str *o, const struct et_program *prog, const char *fmt,
		      const struct et_type *args, const uint8_t *data, size_t size);

/* ---- maps.c ---- */
/* A copy of one map's contents: count entries of key_size bytes and value_stride bytes
 * (value_slot * ncpus for per-CPU maps, value_slot for the others). */
struct rt_map_snapshot {
	const struct et_map_desc *desc;
	uint32_t key_size, value_slot, ncpus; /* ncpus = 1 when not per-CPU */
	bool is_array;                        /* array map: every index exists, all-zero entries are unset */
	size_t count;
	uint8_t *keys, *values;
};
/* Read map fd whole. */
int rt_map_snapshot_read(int fd, const struct et_map_desc *desc, struct rt_map_snapshot *s);
void rt_map_snapshot_free(struct rt_map_snapshot *s);

/* One interval of a tseries() key as printed: its epoch (TAI nanoseconds / interval) and value, or none. */
struct rt_ts_point {
	uint64_t epoch, value; /* value: int64 or uint64 bits, as the type's is_signed says */
	bool set;
};

/* One entry of a map, its CPUs' values combined (the value as its type's kind says). */
struct rt_map_entry {
	const uint8_t *key, *raw; /* raw: the first CPU's slot (values that are not aggregations) */
	uint64_t u;               /* count, sum, min/max, int value (bits) */
	int64_t count, total;     /* avg/stats */
	uint64_t *slots;          /* hist/lhist, combined (rt_hist_slots of them) */
	uint64_t hist_total;
	struct rt_ts_point *ts;   /* tseries: the intervals printed, oldest first (rt_map_entries_read) */
	uint32_t nts;
	size_t index;             /* sorting: position in the snapshot */
	uint64_t value_order, key_order; /* sorting: the order as unsigned numbers */
};
/* A snapshot's entries, combined and sorted as bpftrace prints them; owns e and the buckets. */
struct rt_map_entries {
	struct rt_map_entry *e;
	size_t n;
	uint64_t *slots;
	struct rt_ts_point *ts; /* tseries: every entry's points */
};
void rt_map_entries_read(const struct rt_map_snapshot *s, struct rt_map_entries *out);
void rt_map_entries_free(struct rt_map_entries *es);
/* total / count, truncated (0 without a count). */
int64_t rt_map_entry_avg(const struct rt_map_entry *e);
/* The number of buckets of a hist() or lhist() value type. */
uint32_t rt_hist_slots(const struct et_type *t);

/* ---- printer.c ---- */
/* An output form (text, JSON). rt_print_value walks a value's type and rt_print_map a map's entries;
 * what differs between the forms is only what these callbacks write. */
struct rt_printer {
	/* A value that is not a tuple, struct, record or array (t NULL: an unsigned 64-bit integer). */
	void (*leaf)(struct rt_str *o, const struct et_program *prog, const struct et_type *t, const uint8_t *data);
	/* A tuple, struct, record or array: open, before each of its elements (i from 0; the field's name
	 * for a struct or record), close. */
	void (*open)(struct rt_str *o, const struct et_type *t);
	void (*item)(struct rt_str *o, const struct et_type *t, uint32_t i);
	void (*close)(struct rt_str *o, const struct et_type *t);
	/* Aggregation values: stats() (average already divided) and hist()/lhist() buckets. */
	void (*stats)(struct rt_str *o, int64_t count, int64_t average, int64_t total);
	void (*hist)(struct rt_str *o, const struct et_type *vt, const uint64_t *slots, uint64_t div);
	/* tseries(): one key's intervals (n may be 0: a key with no interval left, after zero()) */
	void (*tseries)(struct rt_str *o, const struct et_type *vt, const struct rt_ts_point *pts, uint32_t n);
	/* A map: open, then per entry the key (NULL for a keyless map; first: the first printed) and its
	 * value then entry_end, then close. empty: a map with nothing to print. */
	void (*map_open)(struct rt_str *o, const struct et_map_desc *m);
	void (*entry)(struct rt_str *o, const struct et_program *prog, const struct et_map_desc *m, const uint8_t *key,
		      bool first);
	void (*entry_end)(struct rt_str *o, const struct et_map_desc *m);
	void (*map_close)(struct rt_str *o, const struct et_map_desc *m);
	void (*empty)(struct rt_str *o, const struct et_map_desc *m);
	/* An integer map value (count, sum, min, max, avg, an int): NULL writes it in decimal. */
	void (*number)(struct rt_str *o, uint64_t v, bool is_signed);
};
extern const struct rt_printer rt_text_printer; /* print.c */
extern const struct rt_printer rt_json_printer; /* json.c */

/* Append the value of type t at data in the printer's form. */
void rt_print_value(const struct rt_printer *p, struct rt_str *o, const struct et_program *prog,
		    const struct et_type *t, const uint8_t *data);
/* A key's text: the value, or a tuple's fields joined by sep (without parentheses). */
void rt_format_key(struct rt_str *o, const struct et_program *prog, const struct et_type *kt, const uint8_t *key,
		   const char *sep);
/* Combine CPUs, sort like bpftrace and append the map in the printer's form; top = keep the last `top`
 * entries (0: all), div divides counts/sums/averages (0 or 1: none). An empty map appends nothing
 * (but see the JSON form), except with zero_if_empty (print(@m), not the print at exit) for a keyless
 * non-histogram map: its type's zero value, as bpftrace's print() gives ("@m: 0"). Returns the number
 * of entries printed. */
size_t rt_print_map(const struct rt_printer *p, struct rt_str *o, const struct et_program *prog,
		    const struct rt_map_snapshot *s, uint64_t top, uint64_t div, bool zero_if_empty);
/* rt_print_map in text: "@m: v" for keyless maps, "@m[k1, k2]: v" for keyed ones, histograms as
 * "@m[k]:" + rows + a blank line. */
size_t rt_map_format(struct rt_str *o, const struct et_program *prog, const struct rt_map_snapshot *s,
		     uint64_t top, uint64_t div, bool zero_if_empty);
/* The same in bpftrace's JSON form: one line {"type": "map"|"hist"|"stats", "data": {"@m": ...}}; an
 * empty avg/stats map (other than print's zero value) is {"type": "stats", "data": {"@m": {}}}, as
 * bpftrace prints it. */
size_t rt_map_format_json(struct rt_str *o, const struct et_program *prog, const struct rt_map_snapshot *s,
			  uint64_t top, uint64_t div, bool zero_if_empty);

/* ---- json.c (the JSON printer) ---- */
/* A JSON string literal of s[0..n) (quotes, escapes). */
void rt_json_string(struct rt_str *o, const char *s, size_t n);
/* A value as JSON: integers as numbers, strings as strings, tuples and arrays as arrays, structs and
 * records as objects, other kinds as their text form in a string (rt_print_value with rt_json_printer). */
void rt_json_value(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		   const uint8_t *data);

/* ---- the run (load.c, attach.c, events.c, loop.c) ---- */
struct bpf_object;
struct bpf_program;
struct ring_buffer;
struct diag_sink;
struct rt_options;
struct provider_links;

struct rt_run {
	struct et_program *prog;
	const struct rt_options *opts;
	struct diag_sink *diag;
	FILE *out;
	struct bpf_object *obj;
	struct bpf_program **progs; /* per prog->probes[i] */
	char **logs;                /* per-program verifier log buffers */
	int *map_fds;               /* per prog->maps[i], -1 when missing */
	struct provider_links *links;
	struct ring_buffer *rb;
	struct rt_pcap *pcap;       /* skboutput()'s perf buffer and files (pcap.c), NULL without it */
	int lost_fd;
	int child_pid;              /* -c: the command (0 = none) */
	bool stop;                  /* exit() seen, or a signal, or the child/-p process ended */
	/* exit() seen or the output is gone: records are consumed without being shown (as bpftrace
	 * drops what fires after exit()), until END runs; it also breaks the feedback loop of a probe on
	 * the system calls etrace makes to print */
	bool discard;
	/* an iter probe's iterator is being read: exit() there does not discard what the rest of the
	 * iteration prints (bpftrace shows the iterator's whole output), the run ends after it */
	bool in_iter;
	/* --test/--bench (testbench.c): what the probe being run prints goes here as text, messages
	 * included, instead of to out/stderr; error_count counts its errorf() calls and runtime errors */
	FILE *capture;
	uint32_t error_count;
	int exit_code;
	struct rt_str buf;          /* output being built */
	int stats_fd;               /* --stats: the BPF_ENABLE_STATS fd, -1 = none */
	uint64_t load_ns, attach_ns; /* phase times, for --stats */
	/* records handled in the current ring buffer drain, and the most one drain may handle before it
	 * returns to the event loop (0: no limit, the final drain): a program that traces etrace's own
	 * writes refills the buffer as fast as it is read, and signals must still be seen */
	uint32_t batch, batch_limit;
	uint32_t skipped;           /* probes not attached under missing_probes = warn / ignore */
	bool *filtered;             /* per prog->probes[i]: left out by --probe-filter (NULL: none is) */
	uint32_t nfiltered;
	/* the links of PROVIDER_UNWATCH probes (watchpoints) and the address each watches, for unwatch():
	 * pointers into links, looked up there before use (NULL once unwatched); freed by rt_detach */
	struct rt_watch {
		uint64_t addr;
		struct bpf_link *link;
	} *watches;
	uint32_t nwatches;
	pthread_t closer;           /* rt_detach_early's thread closing perf events */
	bool closer_running;
	/* NULL, or called by rt_load between opening the object and loading it (the live session: maps
	 * reused from earlier objects, programs of other blocks not loaded); a negative return fails the
	 * load (the callback reports it) */
	int (*prepare)(struct rt_run *r, void *ctx);
	void *prepare_ctx;
};

/* pcap.c: skboutput(). rt_pcap_open (after the load, before anything runs) creates every pcap file
 * with its header and opens the perf buffer; 0 without skboutput() calls, else 0 or a negative errno
 * (reported in diag at the call). rt_pcap_consume writes the records waiting in the perf buffer and
 * flushes the files; rt_pcap_close frees the buffer, closes the files and reports a failed write
 * (NULL-safe, like the rest when r->pcap is NULL). rt_pcap_lost: samples the kernel dropped. */
struct rt_pcap;
int rt_pcap_open(struct rt_run *r);
int rt_pcap_epoll_fd(const struct rt_run *r); /* -1 without a perf buffer */
void rt_pcap_consume(struct rt_run *r);
uint64_t rt_pcap_lost(const struct rt_run *r);
void rt_pcap_close(struct rt_run *r);

/* load.c: open prog->elf, set .rodata values, give every program a log buffer, load. On failure
 * the error is in diag (at the probe the verifier rejected) and the object is closed. */
int rt_load(struct rt_run *r);
void rt_unload(struct rt_run *r); /* NULL-safe parts; closes the object and frees the logs */

/* attach.c: attach every probe except begin/end; on failure destroy the links made so far, report
 * and return the error. rt_detach destroys every link. rt_run_special runs every begin (or end)
 * program once with BPF_PROG_TEST_RUN. */
int rt_attach(struct rt_run *r);
void rt_detach(struct rt_run *r);
/* unwatch(addr): destroy the links of the watchpoint probes on addr (none: nothing happens, as bpftrace) */
void rt_unwatch(struct rt_run *r, uint64_t addr);
/* The same at exit, without waiting for the kernel to release the perf events (closed on a thread
 * while the maps print); rt_detach_finish waits for that thread (call before returning). */
void rt_detach_early(struct rt_run *r);
/* Destroy one perf event link (tracepoint, kprobe, uprobe) or uprobe_multi link, if there is one, and
 * wait for it: the kernel
 * waits for an RCU tasks-trace grace period and an RCU one on the way, which ends every probe run that
 * had begun before (faultable syscall tracepoints run under tasks-trace RCU, which membarrier's
 * synchronize_rcu does not wait for). Returns whether there was one. */
bool rt_detach_one_perf(struct rt_run *r);
void rt_detach_finish(struct rt_run *r);
int rt_run_special(struct rt_run *r, bool end);
/* Run every self:signal:SIGUSR1 program once (etrace got SIGUSR1); true when the program has one. */
bool rt_run_self_signal(struct rt_run *r);

/* testbench.c: --test / --bench (rt_options.mode): mark every probe the mode leaves out in r->filtered
 * (before the load: RUN leaves test: and bench: out, TEST all but begin/end/test:, BENCH all but
 * begin/end/bench:); then, after begin ran, run the tests or benchmarks and print their report to r->out.
 * rt_mode_filter returns 0 or -ENOENT when nothing is left to run (reported: "use --test ..."). */
int rt_mode_filter(struct rt_run *r);
/* Returns the run's status: 0, 1 when a test or benchmark failed, -1 when one could not be run. */
int rt_run_tests(struct rt_run *r);
int rt_run_benches(struct rt_run *r);

/* dropped.c: the map updates that failed (map full), all maps together (each one was reported when it
 * happened, as bpftrace does: an ET_EV_HELPER_ERROR). */
uint64_t rt_dropped_total(struct rt_run *r);
/* dropped.c: the user-memory reads (str(), buf()) that failed, one line on stderr (and a JSON record);
 * returns their number. */
uint64_t rt_report_read_faults(struct rt_run *r);

/* report.c: -v's per-probe/per-map lines after attach; --stats (stats_begin after load, report at exit
 * while the programs are loaded, stats_end in cleanup); rt_now_ns is CLOCK_MONOTONIC. The kernel counts
 * runs while etrace holds the stats fd: stats_begin takes it for --stats and --metrics.
 * rt_probe_run_stats: probe i's runs and nanoseconds in BPF so far; false when not counted (the probe
 * is not loaded, or the kernel refused BPF_ENABLE_STATS). */
uint64_t rt_now_ns(void);
void rt_report_verbose(struct rt_run *r);
void rt_stats_begin(struct rt_run *r);
bool rt_probe_run_stats(struct rt_run *r, uint32_t i, uint64_t *runs, uint64_t *bpf_ns);
void rt_report_stats(struct rt_run *r, uint64_t lost, uint64_t dropped);
void rt_stats_end(struct rt_run *r);

/* events.c: the ring buffer callback (one record = u64 event index + argument tuple) and printing
 * every map at exit. */
int rt_handle_event(void *ctx, void *data, size_t size);
/* Write what the events of the last drain left in r->buf and flush r->out (call after each drain). */
void rt_flush_output(struct rt_run *r);
void rt_print_all_maps(struct rt_run *r);
/* events.c: zero(@m) (every value set to 0) or clear(@m) (every key deleted; arrays zeroed) on map fd. */
void rt_map_reset(int fd, bool zero_only);
/* dropped.c: ring buffer records the programs could not reserve (codegen's lost counter). */
uint64_t rt_lost_events(struct rt_run *r);
/* dropped.c: say at exit that `lost` records were lost, as bpftrace does: "Lost N events" on stderr (a
 * lost_events line on out in JSON), then "WARNING: Total lost event count: N" on stderr. Nothing for 0. */
void rt_report_lost(FILE *out, bool json, uint64_t lost);
/* dropped.c: set ET_STOP_FLAG_NAME through the mmap'ed .bss, so every probe (BEGIN and END aside) returns
 * at once, and wait for the runs already past the test that sit in RCU read-side sections (one RCU grace
 * period); with rt_detach_one_perf after it (runs under RCU tasks-trace), the maps no longer change.
 * False when the program has no flag or it cannot be written: the caller then detaches the probes
 * before reading the maps. */
bool rt_stop_probes(struct rt_run *r);
/* dropped.c: the same flag set to `on` (true: the probes return at once, false: they run again), without
 * waiting for the runs in progress (the live session's .stop/.start). False when it cannot be written. */
bool rt_set_stop_flag(struct rt_run *r, bool on);
/* loop.c: fork the -c command `cmd`, held until one byte is written to *go_fd (after the attach), when it
 * execs; returns its pid, or a negative errno (reported to diag). */
int rt_spawn_child(const char *cmd, int *go_fd, struct diag_sink *diag);
/* dropped.c: codegen's counters as they are now, without reporting (any thread, while the object is
 * loaded): records lost, failed user reads, and dropped[i] the updates of prog->maps[i] dropped (dropped
 * has prog->nmaps elements, or is NULL). */
void rt_counters_read(struct rt_run *r, uint64_t *lost, uint64_t *read_faults, uint64_t *dropped);

/* metrics.c: the --metrics HTTP server (see metrics.h). */
struct rt_metrics;

#endif
