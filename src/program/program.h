/* program: what the runtime needs to know about a compiled etrace program, independent of the AST.
 * sema fills it (maps, events, probes; types copied into the program's own arena) and codegen adds
 * the ELF object; the runtime reads it to load, attach, decode ring-buffer records and print maps.
 * It outlives the compile arena (which the driver frees before the event loop).
 * Memory: everything hangs off prog->arena; et_program_free() releases it all, including elf.
 * Failure: et_program_new() aborts when memory runs out. */
#ifndef ET_PROGRAM_H
#define ET_PROGRAM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "support/loc.h"

struct arena;
struct et_type;
struct et_provider; /* probes/provider.h */

/* One BPF map holding one script map (@name). */
struct et_map_desc {
	const char *name;       /* as written: "@m", "@" */
	const char *elf_name;   /* the map's symbol in the ELF .maps section (a valid C identifier) */
	struct et_type *key;    /* NULL: keyless map, stored under the u64 key 0 */
	struct et_type *value;  /* an aggregation (ET_AGG_*) or a plain value type */
	bool percpu;            /* aggregations live in per-CPU maps, combined when printed */
	bool lru;               /* declared lruhash / percpulruhash: the kernel evicts old keys when full */
	uint32_t max_entries;
	struct et_loc loc;      /* first use, for messages */
	struct et_loc value_loc; /* where the value type was fixed (its first write), for --metrics' HELP */
	/* --metrics label names, one per key field (one for a single key): the key expression's name when
	 * it is a builtin or a field ("comm", "pid", args.filename: "filename"), else NULL (key0, key1...) */
	const char **key_names;
	uint32_t nkey_names;
};

/* Kinds of ring-buffer records (async actions), each record starts with a u64 event index. */
enum et_event_kind {
	ET_EV_PRINTF,     /* fmt, args */
	ET_EV_PRINT,      /* print(value): args has one field */
	ET_EV_PRINT_MAP,  /* print(@m[, top[, div]]): map; args = (u64 top, u64 div) */
	ET_EV_CLEAR,      /* clear(@m): map */
	ET_EV_ZERO,       /* zero(@m): map */
	ET_EV_TIME,       /* time([fmt]): fmt */
	ET_EV_EXIT,       /* exit([code]): args = (i64 code) */
	ET_EV_SYSTEM,     /* system(fmt, ...): fmt, args */
	ET_EV_JOIN,       /* join(arr[, sep]): fmt holds the separator; args = the strings */
	ET_EV_RUNTIME_WARNING, /* a warning found while the program runs (bpftrace's runtime_error): fmt is
	                        * the message, loc where; no args */
	ET_EV_CAT,        /* cat(namefmt, ...): fmt, args */
	ET_EV_ERRORF,     /* errorf(fmt, ...): fmt, args; printed as an error at loc */
	ET_EV_WARNF,      /* warnf(fmt, ...): likewise, a warning (silent under --no-warnings) */
	ET_EV_HELPER_ERROR, /* a BPF helper call that failed (bpftrace's helper_error), one event per call
	                     * site, added by codegen: fmt is the helper's name ("map_update_elem"), loc the
	                     * call; args NULL, the payload is the helper's return code, an i64 */
	ET_EV_UNWATCH,    /* unwatch(addr): args = (u64 addr); the runtime detaches the watchpoints on addr */
};

struct et_event_desc {
	enum et_event_kind kind;
	const char *fmt;        /* format string (decoded escapes), or NULL */
	struct et_type *args;   /* ET_TUPLE: the record payload after the u64 event index; NULL = empty */
	int map;                /* index into maps for PRINT_MAP / CLEAR / ZERO, else -1 */
	struct et_loc loc;      /* the call, for messages */
};

/* One concrete probe = one BPF program (an attach point after wildcard expansion). */
struct et_probe_desc {
	const char *name;       /* full canonical name: "tracepoint:raw_syscalls:sys_enter" */
	const char *prog_name;  /* the BPF function's symbol in the ELF */
	const char *section;    /* ELF section, libbpf's rules ("raw_tp/sys_enter", "tracepoint/a/b") */
	const struct et_provider *provider;
	/* provider-specific attach target, parsed from the attach point */
	const char *target;     /* tracepoint category, binary path, event name... (provider decides) */
	const char *func;       /* tracepoint/function/USDT name */
	uint64_t offset;        /* +off, address, or the interval/profile period */
	const char *unit;       /* interval/profile unit: "s", "ms", "us", "hz", "ns" */
	bool raw;               /* tracepoint attached as a raw tracepoint (its body reads no args) */
	/* the verifier types the context from BTF (fentry/fexit, a rawtracepoint attached as tp_btf): set
	 * by the provider */
	bool btf_ctx;
	/* fires at a system call's entry or exit with its arguments, user addresses, in the record
	 * (tracepoint:syscalls:*; where kernels differ, the kstack there too): set by the provider */
	bool syscall;
	struct et_loc loc;      /* the attach point in the script */
	/* usdt: the site's argument specs as in .note.stapsdt ("-4@%edi 8@-16(%rbp)"), blank separated;
	 * codegen reads argN from them. NULL for other providers. */
	const char *usdt_args;
	uint64_t ref_ctr_offset; /* usdt: file offset of the site's semaphore, 0 when it has none */
	/* watchpoint: the bytes watched from the address in offset (1, 2, 4, 8) and the accesses that fire
	 * it (HW_BREAKPOINT_R/W/X bits of <linux/hw_breakpoint.h>) */
	uint32_t bp_len;
	uint32_t bp_type;
	struct et_loc kstack_loc; /* the probe's first kstack (line 0: none), for kernel-limit warnings */
	/* set by codegen: one program (prog_name, shared with other probes of the same block) serves this
	 * probe and reads which probe fired from the attach cookie, which the runtime sets to the probe's
	 * index in prog->probes when it attaches it */
	bool by_cookie;
};

/* The u64 array (a .bss global, atomic adds) codegen defines when the program has maps: element i counts
 * the updates of prog->maps[i] that failed (map full: E2BIG/ENOMEM), reported by the runtime. */
#define ET_DROPPED_MAP_NAME "et_dropped"

/* The u64 (a .bss global) codegen defines when a probe reads user memory with str() or buf():
 * it counts the reads that failed even after every retry (the page was not resident and the program may
 * not fault it in, or the address was bad), so the runtime reports, at exit, how many values came out
 * empty instead of losing them silently. */
#define ET_READ_FAULTS_MAP_NAME "et_read_faults"

/* The u64 (a .bss global) every probe but BEGIN and END reads first: while it is 0 the probe runs, once
 * the runtime sets it (through the mmap'ed .bss, at Ctrl-C or exit()) the probe returns at once. So the
 * maps can be read and printed right away, before the slow detach, and stay as they were at the stop.
 * Defined when the program has such a probe. */
#define ET_STOP_FLAG_NAME "et_stop"

struct et_program {
	struct arena *arena;
	struct et_map_desc *maps;     uint32_t nmaps;
	struct et_event_desc *events; uint32_t nevents;
	struct et_probe_desc *probes; uint32_t nprobes;
	void *elf; size_t elf_size;   /* the BPF object, malloc'ed; set by codegen */
	const char *ringbuf_name;     /* ELF name of the ring buffer map, NULL when no event kinds are used */
	const char *lost_map_name;    /* name of the .bss u64 counting failed ring buffer reserves */
	uint32_t ringbuf_pages;       /* config/env perf_rb_pages: ring buffer size in pages; 0 = codegen's choice */
	/* config/env str_trunc_trailer: printed after a string that fills its buffer (probably cut at
	 * max_strlen); "" prints nothing; NULL (a program not from sema) means ".." */
	const char *str_trunc_trailer;
	/* config/env missing_probes: what a probe that cannot be found or attached does (sema drops the ones
	 * it finds missing; the runtime skips the ones the kernel refuses) */
	enum et_missing_probes { ET_MISSING_ERROR, ET_MISSING_WARN, ET_MISSING_IGNORE } missing_probes;
	bool no_exit_print;           /* config/env print_maps_on_exit = false: no maps printed at exit */
	bool no_demangle;             /* config/env cpp_demangle = false: C++ names printed as in the ELF */
	bool no_debug_info;           /* config show_debug_info = false: ustack frames without @FILE:LINE */
	/* len() of a stored kstack/ustack: every stack id the program makes carries its frame count in bits
	 * 32..39 (ET_STACK_FRAMES_SHIFT; a negative id, a failed capture, stays as it is). The stack map is
	 * keyed by the low 32 bits, which is all the runtime looks it up by. */
	bool stack_frames;
	const char *license;          /* config/env license; NULL = "GPL" */
	uint32_t max_cat_bytes;       /* config/env max_cat_bytes: the most bytes cat() prints; 0 = 10240 */
	/* cgroup_path()'s filters (its second argument, "*" without one), indexed by the first u64 of an
	 * ET_CGROUP_PATH value: which hierarchies the runtime searches for the id when it prints it */
	const char **cgroup_filters;  uint32_t ncgroup_filters;
	/* strftime()'s formats, indexed by the first u64 of an ET_TIMESTAMP value */
	const char **strftime_formats;  uint32_t nstrftime_formats;
	struct et_skb_output *skb_outputs; uint32_t nskb_outputs; /* the skboutput() calls, see below */
};

/* One skboutput(path, skb, length, offset) call: codegen gives it this index in prog->skb_outputs and
 * sends a record to the perf event array ET_SKB_MAP_NAME (bpf_skb_output) with struct et_skb_hdr first;
 * the runtime writes the packet from `offset` on into the pcap file `path` (one file per distinct path,
 * shared by the calls that name it). */
struct et_skb_output {
	const char *path;
	uint64_t offset;        /* bytes of the packet left out at its start (14: an Ethernet header) */
	struct et_loc loc;
};

/* What every skboutput() record starts with; the packet's bytes follow it. */
struct et_skb_hdr {
	uint64_t id;            /* index into prog->skb_outputs */
	uint64_t boot_ns;       /* bpf_ktime_get_boot_ns() at the call */
	/* the bytes asked for (length): the perf record pads the packet to 8 bytes, and the pad is not
	 * part of the packet */
	uint64_t len;
};

/* The BPF_MAP_TYPE_PERF_EVENT_ARRAY codegen defines when the program calls skboutput(). */
#define ET_SKB_MAP_NAME "et_skb_output"

/* kstack/ustack: codegen's BPF_MAP_TYPE_STACK_TRACE map (u32 id → u64 ips[ET_STACK_MAX_DEPTH]),
 * defined when a probe uses a stack; the runtime reads it by this name to print stacks. */
#define ET_STACK_MAP_NAME "et_stacks"
#define ET_STACK_MAX_DEPTH 127
/* et_program.stack_frames: where a stack id keeps its frame count (8 bits: at most 127 frames) */
#define ET_STACK_FRAMES_SHIFT 32
#define ET_STACK_MAP_ENTRIES 1024

struct et_program *et_program_new(void);
void et_program_free(struct et_program *p); /* NULL-safe */

#endif
