/* features: kernel feature detection and the --info report. See features.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include "kernel/btf.h"
#include "kernel/tracefs.h"
#include "kernel/features.h"

/* One detected answer; err 1 = not detected yet. */
struct feature_state {
	int err;
	const char *why, *instead;
};

static struct feature_state state[FEATURE_COUNT];
static bool state_ready;

static const char *const names[FEATURE_COUNT] = {
	[FEATURE_BPF] = "BPF",
	[FEATURE_TRACEFS] = "tracefs",
	[FEATURE_BTF] = "BTF",
	[FEATURE_RINGBUF] = "ring buffer",
	[FEATURE_RAW_TP] = "raw tracepoints",
	[FEATURE_TP_BTF] = "tp_btf",
	[FEATURE_KPROBES] = "kprobes",
	[FEATURE_FENTRY] = "fentry/fexit",
	[FEATURE_UPROBES] = "uprobes",
	[FEATURE_PERF_HW] = "hardware events",
	[FEATURE_SYSCALL_KSTACK] = "syscall kstack",
	[FEATURE_UPROBE_MULTI] = "uprobe_multi",
	[FEATURE_BREAKPOINT] = "hardware breakpoints",
	[FEATURE_ATTACH_COOKIE] = "attach cookies",
	[FEATURE_MAP_NO_PREALLOC] = "map no-prealloc",
};

/* What each feature serves, for the report. */
static const char *const uses[FEATURE_COUNT] = {
	[FEATURE_BPF] = "every probe",
	[FEATURE_TRACEFS] = "tracepoint formats and listing, kprobe/uprobe events",
	[FEATURE_BTF] = "fentry/fexit and tp_btf argument types",
	[FEATURE_RINGBUF] = "printf, print, exit and the other events sent to etrace",
	[FEATURE_RAW_TP] = "rawtracepoint probes, tracepoints whose args are unused, BEGIN/END",
	[FEATURE_TP_BTF] = "BTF-typed raw tracepoints",
	[FEATURE_KPROBES] = "kprobe and kretprobe probes",
	[FEATURE_FENTRY] = "fentry and fexit probes (kfunc, kretfunc)",
	[FEATURE_UPROBES] = "uprobe, uretprobe and usdt probes",
	[FEATURE_PERF_HW] = "hardware probes",
	[FEATURE_SYSCALL_KSTACK] = "kernel stacks (kstack) in tracepoint:syscalls:* probes",
	[FEATURE_UPROBE_MULTI] = "uprobes that detach quickly (perf event uprobes are released one at a time)",
	[FEATURE_BREAKPOINT] = "watchpoint probes",
	[FEATURE_ATTACH_COOKIE] = "one program for a wildcard's probes (faster to compile, load and attach)",
	[FEATURE_MAP_NO_PREALLOC] = "large maps (max_map_keys) created without preallocating every element",
};

static const char *const use_tracepoint = "use a tracepoint (etrace -l 'tracepoint:*') or rawtracepoint";

static const struct bpf_insn ret0[] = {
	{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	{.code = BPF_JMP | BPF_EXIT},
};

static void set_missing(struct feature_state *s, int err, const char *why, const char *instead)
{
	s->err = err < 0 ? err : -EOPNOTSUPP;
	s->why = why;
	s->instead = instead;
}

/* Features found by loading BPF objects cannot be told without permission to load any. */
static bool bpf_denied(struct feature_state *s)
{
	if (feature_check(FEATURE_BPF, NULL, NULL) == 0)
		return false;
	set_missing(s, -EPERM, "cannot tell: no BPF program could be loaded (see BPF)", "run etrace as root");
	return true;
}

static int load_ret0(enum bpf_prog_type type, const struct bpf_prog_load_opts *opts)
{
	int fd = bpf_prog_load(type, "etrace_feature", "GPL", ret0, 2, opts);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static void detect_bpf(struct feature_state *s)
{
	int err = load_ret0(BPF_PROG_TYPE_TRACEPOINT, NULL);

	if (err == -EPERM || err == -EACCES)
		set_missing(s, err, "loading BPF programs is not permitted (etrace needs root, or CAP_BPF and CAP_PERFMON)",
			    "run etrace as root");
	else if (err == -ENOSYS)
		set_missing(s, err, "this kernel has no bpf() system call (CONFIG_BPF_SYSCALL is not set)", NULL);
	else if (err)
		set_missing(s, err, "the kernel refuses a minimal tracepoint program", NULL);
}

static void detect_tracefs(struct feature_state *s)
{
	if (!tracefs_root())
		set_missing(s, -errno, "tracefs is not available (it could not be found or mounted at /sys/kernel/tracing)",
			    "run etrace as root so that it can mount tracefs");
}

static void detect_btf(struct feature_state *s)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		set_missing(s, -errno, "the kernel has no BTF (/sys/kernel/btf/vmlinux; CONFIG_DEBUG_INFO_BTF)",
			    "use kprobes or tracepoints, which need no kernel types");
}

static void detect_ringbuf(struct feature_state *s)
{
	int fd;

	if (bpf_denied(s))
		return;
	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "etrace_feature", 0, 0, 4096, NULL);
	if (fd >= 0) {
		close(fd);
		return;
	}
	set_missing(s, fd, "the kernel has no BPF ring buffer (Linux 5.8 or later)",
		    "nothing: scripts without printf/print/exit/system events still run");
}

static void detect_raw_tp(struct feature_state *s)
{
	int err;

	if (bpf_denied(s))
		return;
	err = load_ret0(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL);
	if (err)
		set_missing(s, err, "the kernel refuses raw tracepoint programs",
			    "use a tracepoint that reads args (etrace -l 'tracepoint:*')");
}

/* A BPF_PROG_TYPE_TRACING load of `return 0` against the BTF id `name` of kind `kind`. */
static int load_tracing(enum bpf_attach_type attach, const char *const *names_, int kind)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach);
	struct btf *btf = btf__load_vmlinux_btf();
	int id = -ENOENT;

	if (!btf)
		return -EOPNOTSUPP;
	for (; *names_ && id < 0; names_++)
		id = btf__find_by_name_kind(btf, *names_, kind);
	btf__free(btf);
	if (id < 0)
		return 1; /* cannot tell */
	opts.attach_btf_id = (unsigned)id;
	return load_ret0(BPF_PROG_TYPE_TRACING, &opts);
}

/* tp_btf and fentry/fexit are both BTF-typed tracing programs: the same test of BTF, permission and a
 * trial load. The reasons are literals because the feature state keeps them for the process's life. */
struct tracing_reasons {
	const char *no_btf, *refused, *refused_eperm, *instead;
};

static void detect_tracing(struct feature_state *s, enum bpf_attach_type attach, const char *const *names,
			   int btf_kind, const struct tracing_reasons *r)
{
	int err;

	if (feature_check(FEATURE_BTF, NULL, NULL)) {
		set_missing(s, -EOPNOTSUPP, r->no_btf, r->instead);
		return;
	}
	if (bpf_denied(s))
		return;
	err = load_tracing(attach, names, btf_kind);
	if (err < 0)
		set_missing(s, err, err == -EPERM || err == -EACCES ? r->refused_eperm : r->refused, r->instead);
}

static void detect_tp_btf(struct feature_state *s)
{
	static const char *const events[] = {"btf_trace_sched_switch", "btf_trace_sys_enter", NULL};
	const struct tracing_reasons r = {
		"the kernel has no BTF (/sys/kernel/btf/vmlinux), which tp_btf needs",
		"the kernel refuses BTF-typed raw tracepoint programs here",
		"the kernel refuses BTF-typed raw tracepoint programs here (EPERM)",
		use_tracepoint,
	};

	detect_tracing(s, BPF_TRACE_RAW_TP, events, BTF_KIND_TYPEDEF, &r);
}

static void detect_fentry(struct feature_state *s)
{
	static const char *const funcs[] = {"do_nanosleep", "schedule", NULL};
	struct tracing_reasons r = {
		"the kernel has no BTF (/sys/kernel/btf/vmlinux), which fentry/fexit need",
		"the kernel refuses fentry/fexit programs here",
		"the kernel refuses fentry/fexit programs here (EPERM)",
		use_tracepoint,
	};

	if (feature_check(FEATURE_KPROBES, NULL, NULL) == 0)
		r.instead = "use kprobe:FUNC and kretprobe:FUNC (arguments as arg0..argN)";
	detect_tracing(s, BPF_TRACE_FENTRY, funcs, BTF_KIND_FUNC, &r);
}

/* A probe kind the kernel has shows up as a perf event source or, on older kernels, as a tracefs file. */
static bool has_event_source(const char *source, const char *tracefs_file)
{
	char path[512];

	if (snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s", source) < (int)sizeof(path) &&
	    access(path, F_OK) == 0)
		return true;
	return tracefs_path(path, sizeof(path), tracefs_file) && access(path, F_OK) == 0;
}

static void detect_kprobes(struct feature_state *s)
{
	if (!has_event_source("kprobe", "kprobe_events"))
		set_missing(s, -EOPNOTSUPP, "this kernel has no kprobes (CONFIG_KPROBES is not set)", use_tracepoint);
}

static void detect_uprobes(struct feature_state *s)
{
	if (!has_event_source("uprobe", "uprobe_events"))
		set_missing(s, -EOPNOTSUPP, "this kernel has no uprobes (CONFIG_UPROBE_EVENTS is not set)",
			    "use tracepoints on the system calls the program makes");
}

int kernel_uprobe_multi_link(int prog_fd, const char *path, const unsigned long long *offs,
			     const unsigned long long *ref_ctr_offsets, unsigned cnt, unsigned flags, int pid)
{
	return kernel_uprobe_multi_link_cookies(prog_fd, path, offs, ref_ctr_offsets, NULL, cnt, flags, pid);
}

int kernel_uprobe_multi_link_cookies(int prog_fd, const char *path, const unsigned long long *offs,
				     const unsigned long long *ref_ctr_offsets, const unsigned long long *cookies,
				     unsigned cnt, unsigned flags, int pid)
{
	/* union bpf_attr's link_create with its uprobe_multi member (Linux 6.6 uapi) */
	struct {
		uint32_t prog_fd, target_fd, attach_type, flags;
		uint64_t path, offsets, ref_ctr_offsets, cookies;
		uint32_t cnt, multi_flags, pid, pad;
	} attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = (uint32_t)prog_fd;
	attr.attach_type = KERNEL_TRACE_UPROBE_MULTI;
	attr.path = (uint64_t)(uintptr_t)path;
	attr.offsets = (uint64_t)(uintptr_t)offs;
	attr.ref_ctr_offsets = (uint64_t)(uintptr_t)ref_ctr_offsets;
	attr.cookies = (uint64_t)(uintptr_t)cookies;
	attr.cnt = cnt;
	attr.multi_flags = flags;
	attr.pid = pid > 0 ? (uint32_t)pid : 0;
	fd = (int)syscall(SYS_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

/* As libbpf 1.3 probes it: a uprobe_multi link on "/" fails with EBADF (not a regular file) where the
 * kernel has them, with EINVAL where it does not know the attach type. */
static void detect_uprobe_multi(struct feature_state *s)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = (enum bpf_attach_type)KERNEL_TRACE_UPROBE_MULTI);
	unsigned long long off = 0;
	int prog, link;

	if (bpf_denied(s))
		return;
	prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "etrace_feature", "GPL", ret0, 2, &opts);
	link = prog < 0 ? prog : kernel_uprobe_multi_link(prog, "/", &off, NULL, 1, 0, 0);
	if (link >= 0)
		close(link);
	if (prog >= 0)
		close(prog);
	if (link != -EBADF)
		set_missing(s, -EOPNOTSUPP, "this kernel has no uprobe_multi links (Linux 6.6)",
			    "uprobes attach through perf events, which take longer to detach");
}

/* A kprobe-type and a tracepoint program that call bpf_get_attach_cookie (helper 174, Linux 5.15, the
 * release that also attaches perf events through BPF links, which carry the cookie) load. */
static void detect_attach_cookie(struct feature_state *s)
{
	static const struct bpf_insn insns[] = {
		{.code = BPF_JMP | BPF_CALL, .imm = 174 /* BPF_FUNC_get_attach_cookie */},
		{.code = BPF_JMP | BPF_EXIT},
	};
	static const enum bpf_prog_type types[] = {BPF_PROG_TYPE_KPROBE, BPF_PROG_TYPE_TRACEPOINT};

	if (bpf_denied(s))
		return;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = bpf_prog_load(types[i], "etrace_feature", "GPL", insns, 2, NULL);

		if (fd < 0) {
			set_missing(s, fd, "this kernel has no bpf_get_attach_cookie (Linux 5.15)",
				    "each probe of a wildcard gets a program of its own");
			return;
		}
		close(fd);
	}
}

/* Open (disabled) and close the perf event attr describes, on this process: when the kernel refuses it,
 * the reason is set: the paranoid settings for EACCES/EPERM, else `none`, with `instead`. attr is
 * zeroed by the caller but for the event's own fields; size and disabled are set here. */
static void try_perf_event(struct feature_state *s, struct perf_event_attr *attr, const char *none, const char *instead)
{
	int fd;

	attr->size = sizeof(*attr);
	attr->disabled = 1;
	fd = (int)syscall(SYS_perf_event_open, attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return;
	}
	if (errno == EACCES || errno == EPERM)
		set_missing(s, -errno, "perf_event_open is not permitted (kernel.perf_event_paranoid)", "run etrace as root");
	else
		set_missing(s, -errno, none, instead);
}

static void detect_perf_hw(struct feature_state *s)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	try_perf_event(s, &attr, "no hardware perf events on this machine", "use software:cpu-clock or profile:hz:99");
}

/* A write watchpoint on a variable of this process, as watchpoint:ADDR:8:w opens one: virtual machines
 * often give the guest no debug registers (ENOENT/ENODEV/EOPNOTSUPP), paranoid settings refuse it. */
static void detect_breakpoint(struct feature_state *s)
{
	static volatile uint64_t watched;
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.bp_type = HW_BREAKPOINT_W;
	attr.bp_addr = (uint64_t)(uintptr_t)&watched;
	attr.bp_len = HW_BREAKPOINT_LEN_8;
	attr.sample_period = 1;
	try_perf_event(s, &attr, "no hardware breakpoints on this machine (perf breakpoint events are refused)",
		       "trace the code that writes the address instead: a uprobe or kprobe on it");
}

/* The kernel stack a tracepoint:syscalls:sys_enter_getppid program sees, tried for real: the program
 * stores bpf_get_stack()'s result (bytes of kernel frames) in a one-element array, this process calls
 * getppid(). Kernels before the 2024 fix "bpf: Use fake pt_regs when doing bpf syscall tracepoint
 * tracing" (Linux 6.1 among them) hand these programs the user-mode registers saved at the system
 * call's entry, so the kernel stack is empty there, while other tracepoints and kprobes have one. */
#define INSN(c, d, s_, o, i) {.code = (c), .dst_reg = (d), .src_reg = (s_), .off = (o), .imm = (i)}
static void detect_syscall_kstack(struct feature_state *s)
{
	char path[512], idbuf[32];
	FILE *f;
	int map_fd = -1, prog_fd = -1, ev_fd = -1;
	uint32_t key = 0;
	int64_t got = -1000000; /* the program did not run */

	if (bpf_denied(s) || feature_check(FEATURE_TRACEFS, NULL, NULL))
		return; /* cannot tell: assume the stack is there (the kstack warning stays quiet) */
	if (!tracefs_path(path, sizeof(path), "events/syscalls/sys_enter_getppid/id") || !(f = fopen(path, "r")))
		return;
	bool have_id = fgets(idbuf, sizeof(idbuf), f) != NULL;
	fclose(f);
	map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "etrace_feature", 4, 8, 1, NULL);
	if (!have_id || map_fd < 0 || bpf_map_update_elem(map_fd, &key, &got, BPF_ANY) != 0)
		goto out;
	const struct bpf_insn insns[] = {
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -64),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 64),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_stack),
		INSN(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_0, -72, 0),
		INSN(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -76, 0),
		INSN(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -76),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0),
		INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -72),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "etrace_feature", "GPL", insns,
				sizeof(insns) / sizeof(insns[0]), NULL);
	if (prog_fd < 0)
		goto out;
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = strtoull(idbuf, NULL, 10);
	attr.sample_period = 1;
	attr.disabled = 1;
	ev_fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (ev_fd < 0 || ioctl(ev_fd, PERF_EVENT_IOC_SET_BPF, prog_fd) != 0 || ioctl(ev_fd, PERF_EVENT_IOC_ENABLE, 0) != 0)
		goto out;
	syscall(SYS_getppid);
	ioctl(ev_fd, PERF_EVENT_IOC_DISABLE, 0);
	if (bpf_map_lookup_elem(map_fd, &key, &got) == 0 && got > -1000000 && got <= 0)
		set_missing(s, -EOPNOTSUPP,
			    "this kernel gives tracepoint:syscalls:* programs the user-mode registers of the system call, so "
			    "kstack is empty there (fixed in later kernels: \"bpf: Use fake pt_regs when doing bpf syscall "
			    "tracepoint tracing\")",
			    "kprobe:__x64_sys_NAME, fentry:__x64_sys_NAME or tracepoint:raw_syscalls:sys_enter have the kernel stack");
out:
	if (ev_fd >= 0)
		close(ev_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	if (map_fd >= 0)
		close(map_fd);
}
/* A perf_event program (the strictest: it runs in NMI) that uses a per-CPU hash map created with
 * BPF_F_NO_PREALLOC loads. Before Linux 6.1 the verifier refused that ("perf_event programs can only use
 * preallocated hash map") and only warned for the other tracing programs, because the element was
 * kmalloc'ed at insert; 6.1 moved both hash maps to bpf_mem_alloc, safe in any context, and dropped the
 * check: a kernel that loads this one allocates safely in every program etrace makes. */
static void detect_map_no_prealloc(struct feature_state *s)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = BPF_F_NO_PREALLOC);
	int map_fd, prog_fd;

	if (bpf_denied(s))
		return;
	map_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_HASH, "etrace_feature", 8, 8, 1, &mo);
	if (map_fd < 0) {
		set_missing(s, map_fd, "cannot create a hash map without preallocation", NULL);
		return;
	}
	const struct bpf_insn insns[] = {
		INSN(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_PERF_EVENT, "etrace_feature", "GPL", insns,
				sizeof(insns) / sizeof(insns[0]), NULL);
	if (prog_fd < 0)
		set_missing(s, prog_fd, "this kernel's tracing programs need preallocated hash maps (Linux 6.1 lifts that)",
			    "every map is preallocated: a large max_map_keys takes longer to start");
	else
		close(prog_fd);
	close(map_fd);
}
#undef INSN

static void (*const detectors[FEATURE_COUNT])(struct feature_state *) = {
	[FEATURE_BPF] = detect_bpf,         [FEATURE_TRACEFS] = detect_tracefs, [FEATURE_BTF] = detect_btf,
	[FEATURE_RINGBUF] = detect_ringbuf, [FEATURE_RAW_TP] = detect_raw_tp,   [FEATURE_TP_BTF] = detect_tp_btf,
	[FEATURE_KPROBES] = detect_kprobes, [FEATURE_FENTRY] = detect_fentry,   [FEATURE_UPROBES] = detect_uprobes,
	[FEATURE_PERF_HW] = detect_perf_hw, [FEATURE_SYSCALL_KSTACK] = detect_syscall_kstack,
	[FEATURE_UPROBE_MULTI] = detect_uprobe_multi, [FEATURE_BREAKPOINT] = detect_breakpoint,
	[FEATURE_ATTACH_COOKIE] = detect_attach_cookie, [FEATURE_MAP_NO_PREALLOC] = detect_map_no_prealloc,
};

void feature_disable(enum feature_id id, const char *why)
{
	if ((unsigned)id >= FEATURE_COUNT)
		return;
	if (!state_ready) {
		for (int i = 0; i < FEATURE_COUNT; i++)
			state[i].err = 1; /* not detected yet */
		state_ready = true;
	}
	set_missing(&state[id], -EOPNOTSUPP, why, NULL); /* and never detected */
}

int feature_check(enum feature_id id, const char **why, const char **instead)
{
	struct feature_state *s;

	if ((unsigned)id >= FEATURE_COUNT)
		return -EINVAL;
	if (!state_ready) {
		for (int i = 0; i < FEATURE_COUNT; i++)
			state[i].err = 1;
		state_ready = true;
	}
	s = &state[id];
	if (s->err == 1) {
		s->err = 0;
		detectors[id](s);
	}
	if (s->err) {
		if (why)
			*why = s->why;
		if (instead)
			*instead = s->instead;
	}
	return s->err;
}

const char *feature_name(enum feature_id id)
{
	return (unsigned)id < FEATURE_COUNT ? names[id] : NULL;
}

int features_report(FILE *out)
{
	struct utsname u;

	if (uname(&u) == 0)
		fprintf(out, "Kernel: %s %s %s\n", u.sysname, u.release, u.machine);
	fprintf(out, "Kernel features:\n");
	for (int i = 0; i < FEATURE_COUNT; i++) {
		const char *why = NULL, *instead = NULL;
		int err = feature_check((enum feature_id)i, &why, &instead);

		fprintf(out, "  %-16s %-4s %s\n", names[i], err ? "no" : "yes", uses[i]);
		if (!err)
			continue;
		if (why && err != -EOPNOTSUPP && !strstr(why, "EPERM"))
			fprintf(out, "  %-16s      why: %s (%s)\n", "", why, strerror(-err));
		else if (why)
			fprintf(out, "  %-16s      why: %s\n", "", why);
		fprintf(out, "  %-16s      instead: %s\n", "", instead ? instead : "nothing");
	}
	fflush(out);
	return ferror(out) ? -EIO : 0;
}

/* the inode of the initial PID namespace (PROC_PID_INIT_INO in the kernel's proc_ns.h) */
#define KERNEL_PID_INIT_INO 0xEFFFFFFCu

bool kernel_pid_ns(uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) != 0 || st.st_ino == KERNEL_PID_INIT_INO)
		return false;
	*dev = (uint64_t)st.st_dev;
	*ino = (uint64_t)st.st_ino;
	return true;
}

/* Load `call imm; exit` as a program of that type (src_reg says a helper (0) or a kfunc); true when the
 * kernel took it, otherwise its verifier log is in log for the caller to read. */
static bool trial_call(enum bpf_prog_type type, enum bpf_attach_type attach, uint8_t src_reg, int imm,
		       char *log, size_t log_size)
{
	struct bpf_insn insns[] = {
		{.code = BPF_JMP | BPF_CALL, .src_reg = src_reg, .imm = imm},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach, .log_buf = log,
		    .log_size = (unsigned)log_size, .log_level = 1);
	int fd = bpf_prog_load(type, "etrace_feature", "GPL", insns, 2, &opts);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Test-load a program of the section's type that calls the kfunc and exits, as bpftrace does: the kernel
 * checks a kfunc call against the program type (check_kfunc_call) before verifying the rest, so only
 * its "calling kernel function NAME is not allowed" means no; any other failure (a missing attach target
 * the real program would have) leaves the kfunc allowed. */
bool kernel_kfunc_allowed(const char *kfunc, const char *section)
{
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	const struct btf *btf = btf_vmlinux();
	char log[4096] = "", want[256];
	int id;

	if (libbpf_prog_type_by_name(section, &type, &attach))
		return false;
	id = btf ? btf__find_by_name_kind(btf, kfunc, BTF_KIND_FUNC) : -ENOENT;
	if (id <= 0)
		return false;
	if (trial_call(type, attach, BPF_PSEUDO_KFUNC_CALL, id, log, sizeof(log)))
		return true;
	snprintf(want, sizeof(want), "calling kernel function %s is not allowed", kfunc);
	return strstr(log, want) == NULL;
}

/* A program of that type that calls the helper, loaded (as bpftrace's has_helper): the kernel looks the
 * helper up for the program type before it checks the arguments, so only its "unknown func", "invalid
 * func" or "cannot use helper" means no. libbpf 1.1's libbpf_probe_bpf_helper predates the last wording.
 * Types that need an attach target (tracing) fail for other reasons and count as allowed. */
bool kernel_helper_allowed(const char *section, int helper)
{
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	char log[4096] = "";

	if (libbpf_prog_type_by_name(section, &type, &attach))
		return true;
	if (trial_call(type, attach, 0, helper, log, sizeof(log)))
		return true;
	return !strstr(log, "unknown func ") && !strstr(log, "invalid func ") &&
	       !strstr(log, "program of this type cannot use helper ");
}
