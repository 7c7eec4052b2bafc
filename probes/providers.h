/* providers: the provider objects the registry lists, and small helpers the provider files share.
 * Internal to probes/: sema, codegen and the runtime go through provider.h (provider_find).
 * Memory: expand() helpers allocate in ctx->arena. Failure: as in provider.h. */
#ifndef ET_PROVIDERS_H
#define ET_PROVIDERS_H
#include <stdbool.h>
#include <stdint.h>

#include "probes/provider.h"

extern const struct et_provider provider_begin, provider_end;
extern const struct et_provider provider_tracepoint, provider_rawtracepoint;
extern const struct et_provider provider_interval, provider_profile, provider_software;
extern const struct et_provider provider_kprobe, provider_kretprobe;
extern const struct et_provider provider_uprobe, provider_uretprobe, provider_usdt;
extern const struct et_provider provider_uprobe_s, provider_uretprobe_s; /* sleepable */
extern const struct et_provider provider_hardware, provider_fentry, provider_fexit;
extern const struct et_provider provider_watchpoint, provider_asyncwatchpoint, provider_iter;
extern const struct et_provider provider_self, provider_test, provider_bench;

/* True when s contains a glob character (* ? [). */
bool provider_has_wildcard(const char *s);

/* fnmatch(3) of a glob against a name, without flags. */
bool provider_glob_match(const char *pattern, const char *name);

/* The MODULE part of kprobe:MODULE:FUNC, fentry:MODULE:FUNC, rawtracepoint:MODULE:EVENT: bpftrace knows
 * the kernel as "vmlinux" and each module in /proc/modules, and refuses any other name ("specified module
 * X ... is not loaded", "No matches for rawtracepoint X:EVENT"). 0 when mod is NULL, names one of them or
 * is a wildcard matching one (and always when listing); else an error at the attach point (-EINVAL). */
int provider_check_module(struct provider_expand_ctx *ctx, const struct et_provider *pv, const struct ast_attach *ap,
			  const char *mod);

/* An unsigned integer as bpftrace reads the numbers of an attach point: '_' separators dropped; 0x, 0b
 * or a leading 0 for hex, binary, octal; an exponent after a single digit (1e6); a C suffix (u, ul, ull,
 * l, ll) or a time suffix that multiplies to nanoseconds (ns, us, ms, s, m, h, d). false when s is none
 * of these or the value overflows 64 bits. */
bool provider_parse_uint(const char *s, uint64_t *out);

/* Append a probe with the common fields set (provider, loc, name = arena copy of name). */
struct et_probe_desc *provider_new_probe(struct provider_expand_ctx *ctx, const struct et_provider *pv,
					 const struct ast_attach *ap, const char *name);

/* Report "<provider> probe: MESSAGE" at the attach point (printf-style) and return -EINVAL. */
int provider_error(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *hint,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same for an attach point whose target does not exist (a function, binary, library, module or
 * event): returns -ENOENT, which sema tolerates under config missing_probes = warn / ignore. */
int provider_missing(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *hint,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The probe's period for interval/profile attach points: parts after the provider word are
 * "UNIT:N", "N<unit>" (1s, 100ms, 10us, 99hz) or "N" (nanoseconds). On success sets *value and
 * *unit ("s", "ms", "us", "ns", "hz"); on error reports and returns -EINVAL. */
int provider_parse_period(struct provider_expand_ctx *ctx, const struct ast_attach *ap, uint64_t *value,
			  const char **unit);

/* A list() for BTF-typed probes (enum provider_args): the name, and with verbose the arguments from
 * BTF, one "    TYPE NAME" line each: fentry/fexit the function's parameters (and fexit its return
 * value, "    TYPE retval"), rawtracepoint the btf_trace_EVENT parameters. */
void provider_list_btf_args(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out);

/* A newest_first() for providers whose every probe the kernel runs most recently attached first. */
bool provider_always_newest_first(const struct et_probe_desc *p);

/* A cookie() for providers whose attach() passes ctx->cookie for every probe. */
bool provider_always_cookie(const struct et_probe_desc *p);

/* perf_event_open(2) wrapper (glibc has none); returns the fd or -1 + errno. */
struct perf_event_attr;
int provider_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			     unsigned long flags);

/* Open the perf event attr on (pid, cpu) as given (pid -1: every process; cpu -1: every CPU) and attach
 * prog to it; the link owns the event's fd; pushes the link. Returns 0 or -errno. */
int provider_attach_perf_event(struct bpf_program *prog, struct perf_event_attr *attr, int pid, int cpu,
			       struct provider_links *links);
/* Attach prog to a sampling perf event described by attr on one CPU: of every process (pid -1), or of
 * process pid and the threads and children it makes from now on (attr->inherit); pushes the link. */
int provider_attach_perf(struct bpf_program *prog, struct perf_event_attr *attr, int pid, int cpu,
			 struct provider_links *links);
/* The same on every online CPU, for the -p/-c process when there is one (ctx->target_pid), else
 * for every process: profile, software (and hardware) probes, as bpftrace attaches them. */
int provider_attach_perf_cpus(struct bpf_program *prog, struct perf_event_attr *attr,
			      const struct provider_attach_ctx *ctx);

/* The online CPUs (from /sys/devices/system/cpu/online) into cpus[0..max); returns how many, or
 * -errno. */
int provider_online_cpus(int *cpus, int max);

/* Fill *attr for a software CPU_CLOCK timer with an interval/profile probe's period (interval.c). */
void interval_perf_attr(const struct et_probe_desc *p, struct perf_event_attr *attr);
/* interval.c, shared with profile.c: software timers are always available; parse `PV:UNIT:N` /
 * `PV:Nunit` and add the one probe named "PV:UNIT:N". */
int timer_supported(const char **why, const char **instead);
int timer_expand(const struct et_provider *pv, const struct ast_attach *ap, struct provider_expand_ctx *ctx);
/* -l of an interval or profile probe: "interval:UNIT:", as bpftrace. */
void timer_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out);

#endif
