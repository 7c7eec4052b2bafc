/* provider: one probe type (tracepoint, kprobe, uprobe, interval, BEGIN...) behind a small vtable.
 * The registry (registry.c) is a static const table; providers are found by exact name or alias,
 * case-insensitively (never by prefix). Each provider says whether this kernel can run it (and what
 * to use instead), expands an attach point into concrete probes (wildcards), tells sema and codegen
 * what the probe's context offers and how it behaves (the fields and flags below: callers outside
 * probes/ decide by them, never by the provider's name), names the ELF section, and attaches a loaded
 * program. The -p/-c target reaches it in the expand and attach contexts.
 * Failure: int functions return 0 or a negative errno; expand() reports user errors to the diag sink
 * at the attach point's location. */
#ifndef ET_PROVIDER_H
#define ET_PROVIDER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "program/attach.h"
#include "program/program.h"

struct arena;
struct diag_sink;
struct bpf_program;
struct bpf_link;

/* How the BPF program's context argument is laid out: decides how codegen reads args/argN/retval. */
enum provider_ctx {
	PROVIDER_CTX_NONE,       /* BEGIN/END, interval, profile, software: no arguments */
	PROVIDER_CTX_PT_REGS,    /* kprobe/uprobe/usdt: struct pt_regs (arch/ register table) */
	PROVIDER_CTX_TRACEPOINT, /* the tracepoint's record: fields at offsets from its tracefs format file */
	PROVIDER_CTX_RAW_ARGS,   /* raw_tp / tp_btf / fentry: u64 args[] */
	PROVIDER_CTX_PERF_EVENT, /* bpf_perf_event_data (profile, software, hardware, watchpoint) */
	PROVIDER_CTX_ITER,       /* struct bpf_iter__NAME (iter): only through `ctx`, typed from BTF */
};

/* What a probe's context provides to the script, and how its programs run (bit flags). */
enum {
	PROVIDER_HAS_ARGS = 1 << 0,   /* `args` (typed record; where its types come from: enum provider_args) */
	PROVIDER_HAS_ARGN = 1 << 1,   /* arg0 .. argN */
	PROVIDER_HAS_RETVAL = 1 << 2, /* retval */
	PROVIDER_HAS_FUNC = 1 << 3,   /* func */
	PROVIDER_HAS_USER = 1 << 4,   /* runs in user context: ustack, uaddr, user reads by default */
	PROVIDER_RETURN = 1 << 5,     /* fires as the function returns (kretprobe, uretprobe, fexit) */
	PROVIDER_SLEEPABLE = 1 << 6,  /* its programs may sleep, so fault user pages in (uprobe.s) */
	PROVIDER_LISTABLE = 1 << 7,   /* -l lists its probes unasked: bpftrace's kernel list (not return types) */
	PROVIDER_BEGIN = 1 << 8,      /* attached to nothing: run once before the others attach (BEGIN) */
	PROVIDER_END = 1 << 9,        /* attached to nothing: run once after they are detached (END) */
	PROVIDER_SELF_SIGNAL = 1 << 10, /* attached to nothing: run each time etrace gets SIGUSR1 (self:signal) */
	PROVIDER_ITER = 1 << 11,      /* runs once per kernel object as the runtime reads its iterator to the
	                               * end, then the run ends; the only probe of its script (iter) */
	PROVIDER_TEST = 1 << 12,      /* attached to nothing: run once by --test, left out otherwise (test) */
	PROVIDER_BENCH = 1 << 13,     /* attached to nothing: run repeatedly by --bench, left out otherwise */
	PROVIDER_OVERRIDE = 1 << 14,  /* may replace the probed function's return value (kprobe: override()) */
	PROVIDER_UNWATCH = 1 << 15,   /* unwatch(ADDR) detaches its probes whose offset is ADDR (watchpoint) */
	PROVIDER_REMOVED = 1 << 16,   /* known only to say why bpftrace dropped it: never offered (completion) */
};

/* Where the types of `args` come from (with PROVIDER_HAS_ARGS). */
enum provider_args {
	PROVIDER_ARGS_NONE,
	PROVIDER_ARGS_TRACEFS,   /* the tracepoint's format file under tracefs (tracepoint) */
	PROVIDER_ARGS_BTF_FUNC,  /* the kernel function's BTF prototype (fentry, fexit) */
	PROVIDER_ARGS_BTF_EVENT, /* the kernel's btf_trace_<event> type (rawtracepoint) */
	PROVIDER_ARGS_DWARF,     /* the function's parameters in the binary's DWARF (uprobe), src/kernel/dwarf.h;
	                          * a user-space return probe (HAS_USER | HAS_RETVAL: uretprobe) has no args,
	                          * but its retval is typed from the same DWARF */
};

/* What the word after "provider:" names, for the interactive session's Tab completion. */
enum provider_complete {
	PROVIDER_COMPLETE_NONE,
	PROVIDER_COMPLETE_TRACEFS,     /* CATEGORY:EVENT, as tracefs events/ holds them (tracepoint) */
	PROVIDER_COMPLETE_EVENT,       /* an event of any category (rawtracepoint) */
	PROVIDER_COMPLETE_KERNEL_FUNC, /* a kernel function (kprobe, kretprobe, fentry, fexit) */
};

/* Where expand() puts its results. */
struct provider_expand_ctx {
	struct arena *arena;          /* for strings of the new probes (the program's arena) */
	struct diag_sink *diag;
	struct et_probe_desc *probes; /* growable array, append with provider_add_probe() */
	uint32_t nprobes, cap;
	bool listing;                 /* -l: expanding for listing, not attaching */
	bool unsafe;                  /* --unsafe: uprobes where etrace cannot tell the function's bounds */
	/* The -p/-c target: `uprobe:FUNCTION` (no binary written) means a function of /proc/PID/exe for
	 * -p PID, else of the first word of the -c command (a bare name is looked up in PATH). */
	int target_pid;               /* -p PID; 0 = none */
	const char *target_cmd;       /* -c CMD; NULL = none */
};
struct et_probe_desc *provider_add_probe(struct provider_expand_ctx *ctx);

/* Links created for one probe; the runtime destroys them all at detach. fds: links libbpf 1.1 has no
 * API for (uprobe_multi), made with the bpf() command and kept as their fd, closed at detach. */
struct provider_links {
	struct bpf_link **links;
	uint32_t count, cap;
	int *fds;
	uint32_t nfds, fdcap;
};
int provider_links_add(struct provider_links *l, struct bpf_link *link);
int provider_links_add_fd(struct provider_links *l, int fd); /* closes fd when it fails */

/* What attach() works with: where its links go, and the process it traces. */
struct provider_attach_ctx {
	struct provider_links *links; /* push every link created here */
	/* The -p PID or the -c command's pid (0 = every process): uprobe, usdt, profile and software
	 * probes fire for that process only (interval does not: a timer, as in bpftrace). */
	int target_pid;
	/* The probe's attach cookie (bpf_get_attach_cookie) when its program serves several probes
	 * (et_probe_desc.by_cookie): its index in the program's probes. attach() passes it to the kernel. */
	uint64_t cookie;
};

struct et_provider {
	const char *name;            /* canonical, as printed in probe names: "tracepoint" */
	const char *const *aliases;  /* NULL-terminated list of other accepted names ("t", "BEGIN"...) */
	enum provider_ctx ctx;
	unsigned flags;              /* PROVIDER_HAS_*, PROVIDER_RETURN... */
	enum provider_args args;
	enum provider_complete complete;
	/* Can this kernel run it? 0 when yes; else -errno, *why says what the kernel lacks (one sentence)
	 * and *instead names what to use instead (NULL when nothing fits). */
	int (*supported)(const char **why, const char **instead);
	/* Parse the attach point (ap->parts) and append the concrete probes; wildcards expand here.
	 * Sets name, section, target, func, offset, unit of each new probe (prog_name is set by sema). */
	int (*expand)(const struct ast_attach *ap, struct provider_expand_ctx *ctx);
	/* Optional: called with each of its probes' programs before the object loads, to say what the
	 * kernel must know at load time (the expected attach type of a uprobe_multi program). */
	void (*before_load)(const struct et_probe_desc *p, struct bpf_program *prog);
	/* Attach a loaded program; push every link created into ctx->links. */
	int (*attach)(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx);
	/* Optional: true when attach() can give probe p's link the attach cookie ctx->cookie (the kernel
	 * has them: FEATURE_ATTACH_COOKIE), so that one program can serve several probes and tell them
	 * apart by it. NULL: never (each probe gets a program of its own). */
	bool (*cookie)(const struct et_probe_desc *p);
	/* Optional: attach probes ps[0..n), which share the loaded program prog (by_cookie), with the
	 * cookies cookies[0..n), at once (one link for all: kprobe_multi). -EOPNOTSUPP: this group cannot
	 * (the runtime attaches them one at a time with attach()). NULL: always one at a time. */
	int (*attach_group)(const struct et_probe_desc *const *ps, const uint64_t *cookies, uint32_t n,
			    struct bpf_program *prog, const struct provider_attach_ctx *ctx);
	/* Optional: when supported() fails, what to use instead for this attach point in particular
	 * ("tracepoint:syscalls:sys_enter_openat"), allocated in a; NULL when nothing specific fits. */
	const char *(*suggest)(const struct ast_attach *ap, struct arena *a);
	/* Optional: true when the kernel runs the programs on this probe's attach point most recently
	 * attached first (a uprobe's consumers, a kprobe's aggregate, a BPF trampoline, a software event's
	 * per-CPU list). The runtime attaches those in reverse script order, so that several blocks on one
	 * attach point run in script order on every event, as in bpftrace. NULL: the kernel runs them in
	 * attach order (tracepoints' program arrays and probe lists, timers started one after another). */
	bool (*newest_first)(const struct et_probe_desc *p);
	/* Optional: the section that attaches probe p as a raw tracepoint, allocated in a, when p has such
	 * a form; sema chooses it when no block on p's attach point reads args (cheaper), and sets p->raw.
	 * NULL (hook or result): p attaches only as expand() made it. */
	const char *(*raw_section)(const struct et_probe_desc *p, struct arena *a);
	/* Optional: how -v says probe p is attached, where the program type alone does not tell (a
	 * tracepoint attached raw because its body reads no args...); NULL: the runtime names the type. */
	const char *(*how_attached)(const struct et_probe_desc *p);
	/* Optional: print probe p for -l, one line with its name, and with verbose its arguments ("    int
	 * dfd" lines), using a for temporary memory; may print nothing for a probe that cannot be attached.
	 * NULL: the name alone. */
	void (*list)(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out);
};

/* For a file that defines several providers with one macro: ident_aliases, the NULL-terminated list of
 * the aliases given, and ident_expand, the expand() hook that calls the file's
 * expand(&provider_ident, ap, ctx) so that one function serves each of them. */
#define PROVIDER_ALIASES_EXPAND(ident, expand, ...)                                                     \
	static const char *const ident##_aliases[] = {__VA_ARGS__, NULL};                                 \
	static int ident##_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)           \
	{                                                                                                 \
		return expand(&provider_##ident, ap, ctx);                                                \
	}

/* The registry. */
const struct et_provider *provider_find(const char *name); /* case-insensitive, exact name or alias */
const struct et_provider *const *provider_all(size_t *count);

#endif
