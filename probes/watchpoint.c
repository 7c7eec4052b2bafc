/* watchpoint: `watchpoint:ADDR:LEN:MODE` (alias w): a hardware breakpoint (a debug register) on LEN bytes
 * (1, 2, 4, 8) at ADDR, firing on the accesses MODE names (r, w, x combined, sorted, as the architecture
 * allows: rw, w, x on x86_64), as today's bpftrace. A perf event of type PERF_TYPE_BREAKPOINT with a
 * sample period of 1 runs the program on every access, section perf_event. With -p/-c the address is one
 * of that process: one event per existing thread (and the threads it makes later: inherit), named
 * "watchpoint:TARGET:ADDR:LEN:MODE" with TARGET /proc/PID/exe or the command's program as bpftrace names
 * it; without, an address of the kernel (jiffies...) or of whatever runs, one event per online CPU.
 * unwatch(ADDR) detaches the probes on ADDR (PROVIDER_UNWATCH, the runtime's events.c). Needs breakpoint
 * registers (FEATURE_BREAKPOINT: sema refuses the probes where the kernel opens none, saying what to use
 * instead). bpftrace removed the `watchpoint:FUNC+argN` form and `asyncwatchpoint` in 0.25: both are
 * located errors here, saying so. -l lists no watchpoints, as bpftrace.
 * The probe's offset is the address, bp_len and bp_type the length and mode. See provider.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "support/arena.h"
#include "probes/arch/arch.h"
#include "probes/providers.h"
#include "probes/uprobe.h"

static const char hint_form[] = "write it as watchpoint:ADDRESS:LENGTH:MODE, e.g. watchpoint:0x10000000:8:w "
				"(LENGTH 1, 2, 4 or 8; MODE r, w, x combined)";

static int wp_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_BREAKPOINT, why, instead);
}

/* MODE sorted into sorted[4] and checked as bpftrace checks it (letters, then repeats, then what this
 * architecture can watch); reports and returns -EINVAL when it is not a mode. */
static int parse_mode(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *mode, char *sorted,
		      uint32_t *bp_type)
{
	const char *const *m, *const *modes = arch_current()->watchpoint_modes;
	char supported[64] = "";
	size_t n = strlen(mode), i, j;

	if (n == 0 || n > 3 || strspn(mode, "rwx") != n)
		return provider_error(ctx, ap, hint_form, "watchpoint mode must be a combination of (r,w,x), not '%s'",
				      mode);
	memcpy(sorted, mode, n + 1);
	for (i = 1; i < n; i++) /* three letters at most: insertion sort */
		for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
			char c = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = c;
		}
	for (i = 1; i < n; i++)
		if (sorted[i] == sorted[i - 1])
			return provider_error(ctx, ap, hint_form, "watchpoint modes may not be duplicated ('%s')", mode);
	for (m = modes; m && *m; m++) {
		if (strcmp(*m, sorted) == 0)
			break;
		snprintf(supported + strlen(supported), sizeof(supported) - strlen(supported), "%s%s",
			 m == modes ? "" : ", ", *m);
	}
	if (!modes || !*modes)
		return provider_error(ctx, ap, "trace the code that accesses the address instead: a uprobe or kprobe",
				      "watchpoints are not supported on %s", arch_current()->name);
	if (!*m) {
		char hint[128];

		snprintf(hint, sizeof(hint), "the modes %s can watch: %s", arch_current()->name, supported);
		return provider_error(ctx, ap, hint, "invalid watchpoint mode: %s", sorted);
	}
	*bp_type = HW_BREAKPOINT_EMPTY;
	for (i = 0; i < n; i++)
		*bp_type |= sorted[i] == 'r' ? HW_BREAKPOINT_R : sorted[i] == 'w' ? HW_BREAKPOINT_W : HW_BREAKPOINT_X;
	return 0;
}

/* The -p/-c process's program as bpftrace names the probe after it: /proc/PID/exe, or the first word of
 * the command as found (uprobe_resolve: "./prog" as written, a bare name from PATH); NULL without -p/-c,
 * "" when the command's program cannot be found (reported). */
static const char *target_name(struct provider_expand_ctx *ctx, const struct ast_attach *ap)
{
	const char *cmd, *shown = NULL;
	char word[4096], path[4096];
	size_t n;

	if (ctx->target_pid > 0)
		return arena_printf(ctx->arena, "/proc/%d/exe", ctx->target_pid);
	if (!ctx->target_cmd)
		return NULL;
	cmd = ctx->target_cmd + strspn(ctx->target_cmd, " \t");
	n = strcspn(cmd, " \t");
	if (n == 0 || n >= sizeof(word))
		return NULL;
	memcpy(word, cmd, n);
	word[n] = 0;
	if (uprobe_resolve(ctx, ap, "watchpoint", word, path, sizeof(path), &shown) < 0)
		return "";
	return shown;
}

static int wp_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	const char *target;
	uint64_t addr, len;
	uint32_t bp_type = 0;
	char mode[4];
	struct et_probe_desc *p;

	if (ctx->listing && ap->nparts <= 2)
		return 0; /* bpftrace lists no watchpoints: they name addresses, not things to find */
	if (ap->nparts != 4)
		return provider_error(ctx, ap, hint_form, "watchpoint probe: expected watchpoint:ADDRESS:LENGTH:MODE "
				      "(3 parts after 'watchpoint:', %u given)", ap->nparts - 1);
	/* the address and length are read as bpftrace reads attach point numbers (util::to_uint) */
	if (strchr(ap->parts[1], '+'))
		return provider_error(ctx, ap,
				      "print the argument from a uprobe on the function, then watch that address: "
				      "watchpoint:ADDRESS:LENGTH:MODE with -p PID",
				      "watchpoint probe: '%s' is not an address: bpftrace 0.25 removed the "
				      "watchpoint:FUNCTION+argN form", ap->parts[1]);
	if (!provider_parse_uint(ap->parts[1], &addr))
		return provider_error(ctx, ap, hint_form, "watchpoint probe: '%s' is not an address", ap->parts[1]);
	if (addr == 0)
		return provider_error(ctx, ap, hint_form, "watchpoint must be attached to a non-zero address");
	if (!provider_parse_uint(ap->parts[2], &len) || (len != 1 && len != 2 && len != 4 && len != 8))
		return provider_error(ctx, ap, hint_form, "watchpoint length must be one of (1,2,4,8), not '%s'",
				      ap->parts[2]);
	if (parse_mode(ctx, ap, ap->parts[3], mode, &bp_type) < 0)
		return -EINVAL;
	if (ctx->listing)
		return 0; /* -l FILE: bpftrace checks the spec, then lists no watchpoint */
	target = target_name(ctx, ap);
	if (target && !*target)
		return -EINVAL;
	if (target)
		p = provider_new_probe(ctx, &provider_watchpoint, ap,
				       arena_printf(ctx->arena, "watchpoint:%s:%llu:%llu:%s", target,
						    (unsigned long long)addr, (unsigned long long)len, mode));
	else
		p = provider_new_probe(ctx, &provider_watchpoint, ap,
				       arena_printf(ctx->arena, "watchpoint:%llu:%llu:%s", (unsigned long long)addr,
						    (unsigned long long)len, mode));
	p->section = "perf_event";
	p->target = target;
	p->offset = addr;
	p->bp_len = (uint32_t)len;
	p->bp_type = bp_type;
	return 0;
}

/* Every thread of process pid: a debug register belongs to a thread, and inherit covers only the threads
 * made after the event (as bpftrace attaches them). A thread that ends meanwhile is skipped; it fails
 * only when no thread could be watched. */
static int attach_threads(struct bpf_program *prog, struct perf_event_attr *attr, int pid,
			  struct provider_links *links)
{
	char dir[64];
	DIR *d;
	struct dirent *e;
	int err = -ESRCH, done = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		int tid = atoi(e->d_name), rc;

		if (tid <= 0)
			continue;
		rc = provider_attach_perf_event(prog, attr, tid, -1, links);
		if (rc == 0)
			done++;
		else if (rc != -ESRCH)
			err = rc;
	}
	closedir(d);
	return done ? 0 : err;
}

static int wp_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	struct perf_event_attr attr;
	int cpus[1024], n, i, err;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.bp_type = p->bp_type;
	attr.bp_addr = p->offset;
	/* perf_event_open(2): an execute breakpoint's length must be that of a long */
	attr.bp_len = (p->bp_type & HW_BREAKPOINT_X) ? sizeof(long) : p->bp_len;
	attr.sample_period = 1; /* every access */
	attr.inherit = 1;
	if (ctx->target_pid > 0)
		return attach_threads(prog, &attr, ctx->target_pid, ctx->links);
	n = provider_online_cpus(cpus, 1024);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if ((err = provider_attach_perf_event(prog, &attr, -1, cpus[i], ctx->links)) < 0)
			return err; /* links made so far are in ctx->links; the runtime destroys them */
	return 0;
}

static const char *const wp_aliases[] = {"w", NULL};

const struct et_provider provider_watchpoint = {
	.name = "watchpoint",
	.aliases = wp_aliases,
	.ctx = PROVIDER_CTX_PERF_EVENT,
	.flags = PROVIDER_UNWATCH,
	.supported = wp_supported,
	.expand = wp_expand,
	.attach = wp_attach,
	/* NULL newest_first: each event takes a debug register of its own, and the kernel runs the events
	 * of one access in register order, which is attach order (bpftrace attaches them in script order) */
};

/* asyncwatchpoint (alias aw): bpftrace 0.25 removed it with the FUNCTION+argN form it existed for (its
 * absolute-address form was a watchpoint). Known by name so that a script using it gets that reason at
 * the attach point rather than "unknown probe type". */
static int awp_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)
{
	if (ctx->listing && ap->nparts <= 2)
		return 0;
	return provider_error(ctx, ap, "watch an absolute address with watchpoint:ADDRESS:LENGTH:MODE (-p PID for "
				       "an address of a process)",
			      "asyncwatchpoint probes were removed in bpftrace 0.25, and etrace has none");
}

/* never reached: expand() makes no probes */
static int awp_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	(void)p;
	(void)prog;
	(void)ctx;
	return -EOPNOTSUPP;
}

static const char *const awp_aliases[] = {"aw", NULL};

const struct et_provider provider_asyncwatchpoint = {
	.name = "asyncwatchpoint",
	.aliases = awp_aliases,
	.ctx = PROVIDER_CTX_PERF_EVENT,
	.flags = PROVIDER_REMOVED,
	.expand = awp_expand, /* no supported(): the reason it gives holds on every machine */
	.attach = awp_attach,
};
