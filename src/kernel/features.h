/* features: which kernel mechanisms etrace can use on this machine, detected for real (files the kernel
 * exposes, tiny BPF program and map loads, perf_event_open) once per process and cached.
 * Providers' supported() functions ask here, so the errors users see and `etrace --info` (features_report)
 * come from the same detection.
 * feature_check() returns 0 when the feature is there, else a negative errno and, through why/instead
 * (either may be NULL), one sentence on what the kernel lacks and what etrace (or the user) can use
 * instead (NULL when nothing fits). The strings are static. Detection may mount tracefs (see
 * kernel/tracefs.h) and needs root for the BPF loads; not thread-safe (etrace is single-threaded). */
#ifndef ET_FEATURES_H
#define ET_FEATURES_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum feature_id {
	FEATURE_BPF,        /* bpf(): loading a tracepoint program works (root / CAP_BPF + CAP_PERFMON) */
	FEATURE_TRACEFS,    /* tracefs found or mounted: tracepoint formats, kprobe/uprobe event files */
	FEATURE_BTF,        /* /sys/kernel/btf/vmlinux: kernel types for fentry/fexit and tp_btf */
	FEATURE_RINGBUF,    /* BPF_MAP_TYPE_RINGBUF (Linux 5.8): printf and the other async events */
	FEATURE_RAW_TP,     /* raw tracepoints (BPF_PROG_TYPE_RAW_TRACEPOINT) */
	FEATURE_TP_BTF,     /* BTF-typed raw tracepoints (tp_btf, BPF_TRACE_RAW_TP) */
	FEATURE_KPROBES,    /* kprobe/kretprobe: the kprobe PMU or tracefs kprobe_events */
	FEATURE_FENTRY,     /* fentry/fexit: BPF_PROG_TYPE_TRACING programs attached by BTF id */
	FEATURE_UPROBES,    /* uprobe/uretprobe/usdt: the uprobe PMU or tracefs uprobe_events */
	FEATURE_PERF_HW,    /* hardware perf events (PERF_COUNT_HW_CPU_CYCLES) */
	FEATURE_SYSCALL_KSTACK, /* kstack in tracepoint:syscalls:* probes has kernel frames (tried for real) */
	FEATURE_UPROBE_MULTI, /* uprobe_multi links (Linux 6.6): released without the perf event's global lock */
	FEATURE_BREAKPOINT, /* hardware breakpoints (PERF_TYPE_BREAKPOINT): watchpoint probes */
	FEATURE_ATTACH_COOKIE, /* bpf_get_attach_cookie in kprobe/uprobe and tracepoint programs (Linux 5.15):
	                        * one program serves many attach points, each attached with its own cookie */
	FEATURE_MAP_NO_PREALLOC, /* hash maps allocated at insert (BPF_F_NO_PREALLOC) in every tracing program,
	                          * perf_event ones included (bpf_mem_alloc, Linux 6.1): large maps start at once */
	FEATURE_COUNT
};

/* 0 when available, else -errno with *why / *instead set (see above). Cached after the first call. */
int feature_check(enum feature_id id, const char **why, const char **instead);

/* BPF_TRACE_UPROBE_MULTI (Linux 6.6; libbpf 1.1 and the uapi headers here predate it): a kprobe-type
 * program loaded with this expected attach type attaches through kernel_uprobe_multi_link. */
#define KERNEL_TRACE_UPROBE_MULTI 48
#define KERNEL_UPROBE_MULTI_RETURN 1u /* BPF_F_UPROBE_MULTI_RETURN */
/* A uprobe_multi link of prog_fd on path at the file offsets offs[0..cnt) (ref_ctr_offsets may be
 * NULL), flags KERNEL_UPROBE_MULTI_RETURN or 0, for process pid only when pid > 0 (BPF_LINK_CREATE).
 * Returns the link fd, or -errno. */
int kernel_uprobe_multi_link(int prog_fd, const char *path, const unsigned long long *offs,
			     const unsigned long long *ref_ctr_offsets, unsigned cnt, unsigned flags, int pid);
/* The same with cookies[0..cnt) (NULL: none), what bpf_get_attach_cookie returns at each offset. */
int kernel_uprobe_multi_link_cookies(int prog_fd, const char *path, const unsigned long long *offs,
				     const unsigned long long *ref_ctr_offsets, const unsigned long long *cookies,
				     unsigned cnt, unsigned flags, int pid);

/* Whether a program of the type libbpf gives ELF section `section` may call kernel function kfunc
 * (bpftrace's kfunc_allowed): false when BTF lacks it or the kernel says the call is not allowed there. */
bool kernel_kfunc_allowed(const char *kfunc, const char *section);

/* Whether a program of the type libbpf gives ELF section `section` may call BPF helper `helper`
 * (BPF_FUNC_*): false only when the kernel refuses it there (lockdown can refuse bpf_probe_write_user);
 * true when that cannot be told. */
bool kernel_helper_allowed(const char *section, int helper);

/* Treat feature id as missing (--no-feature), with why as the reason. */
void feature_disable(enum feature_id id, const char *why);

/* etrace's own PID namespace: true, with the device and inode of /proc/self/ns/pid (what
 * bpf_get_ns_current_pid_tgid takes), when it is not the initial one; false in the initial namespace or
 * when /proc does not say. */
bool kernel_pid_ns(uint64_t *dev, uint64_t *ino);

/* Short display name ("kprobes", "ring buffer"...); NULL for an id out of range. */
const char *feature_name(enum feature_id id);

/* The --info report: the kernel release, then one line per feature (yes/no and what it is used for),
 * with the reason and the replacement under each missing one. Returns 0, or -EIO when writing failed. */
int features_report(FILE *out);

#endif
