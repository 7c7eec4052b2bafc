/* pending: providers etrace knows by name but cannot run here, either because this kernel lacks the
 * mechanism (kprobes without CONFIG_KPROBES, fentry/fexit refused, no hardware PMU) or because etrace
 * does not handle them yet (uprobe, usdt, watchpoint, iter: issue 4). supported() detects the kernel
 * side for real and caches the answer; expand() always reports one clear error at the attach point.
 * When a provider gets implemented, move it to its own file and drop it from here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>

#include "../src/support/diag.h"
#include "providers.h"
#include "tracefs.h"

/* A cached supported() answer: err 1 = not computed yet. */
struct support_cache {
	int err;
	const char *why, *instead;
};

static int cached_answer(struct support_cache *c, void (*probe)(struct support_cache *), const char **why,
			 const char **instead)
{
	if (c->err == 1)
		probe(c);
	if (c->err) {
		*why = c->why;
		*instead = c->instead;
	}
	return c->err;
}

/* ---- kprobe / kretprobe ---- */

static void probe_kprobes(struct support_cache *c)
{
	char path[512];

	c->err = 0;
	if (access("/sys/bus/event_source/devices/kprobe", F_OK) == 0)
		return;
	if (tracefs_path(path, sizeof(path), "kprobe_events") && access(path, F_OK) == 0)
		return;
	c->err = -EOPNOTSUPP;
	c->why = "this kernel has no kprobes (CONFIG_KPROBES is not set)";
	c->instead = "use a tracepoint (etrace -l 'tracepoint:*') or rawtracepoint";
}

static int kprobe_supported(const char **why, const char **instead)
{
	static struct support_cache c = {1, NULL, NULL};

	return cached_answer(&c, probe_kprobes, why, instead);
}

/* ---- fentry / fexit ---- */

static void probe_fentry(struct support_cache *c)
{
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	struct btf *btf = btf__load_vmlinux_btf();
	int id, fd;

	c->err = 0;
	if (!btf) {
		c->err = -EOPNOTSUPP;
		c->why = "the kernel has no BTF (/sys/kernel/btf/vmlinux), which fentry/fexit need";
		c->instead = "use a tracepoint (etrace -l 'tracepoint:*') or rawtracepoint";
		return;
	}
	id = btf__find_by_name_kind(btf, "do_nanosleep", BTF_KIND_FUNC);
	if (id < 0)
		id = btf__find_by_name_kind(btf, "schedule", BTF_KIND_FUNC);
	btf__free(btf);
	if (id < 0)
		return; /* cannot tell; let the load report it */
	opts.attach_btf_id = (unsigned)id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "etrace_fentry_probe", "GPL", insns, 2, &opts);
	if (fd >= 0) {
		close(fd);
		return;
	}
	c->err = fd;
	if (fd == -EPERM || fd == -EACCES)
		c->why = "the kernel refuses fentry/fexit programs here (EPERM)";
	else
		c->why = "the kernel refuses fentry/fexit programs here";
	c->instead = "use a tracepoint (etrace -l 'tracepoint:*') or rawtracepoint";
}

static int fentry_supported(const char **why, const char **instead)
{
	static struct support_cache c = {1, NULL, NULL};

	return cached_answer(&c, probe_fentry, why, instead);
}

/* ---- hardware ---- */

static void probe_hardware(struct support_cache *c)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CPU_CYCLES;
	attr.disabled = 1;
	fd = provider_perf_event_open(&attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		c->err = 0;
		return;
	}
	c->err = -errno;
	c->why = "no hardware perf events on this machine";
	c->instead = "use software:cpu-clock or profile:hz:99";
}

static int hardware_supported(const char **why, const char **instead)
{
	static struct support_cache c = {1, NULL, NULL};

	return cached_answer(&c, probe_hardware, why, instead);
}

static int always_supported(const char **why, const char **instead)
{
	(void)why;
	(void)instead;
	return 0;
}

/* ---- expand: one error, honest about who lacks what ---- */

static int pending_expand(const struct et_provider *pv, const struct ast_attach *ap,
			  struct provider_expand_ctx *ctx)
{
	const char *why = NULL, *instead = NULL;

	if (pv->supported(&why, &instead) && why)
		return provider_error(ctx, ap, instead, "%s: %s", pv->name, why);
	if (ctx->listing)
		return 0;
	return provider_error(ctx, ap, NULL, "etrace does not handle %s probes yet", pv->name);
}

static int pending_attach(const struct et_probe_desc *p, struct bpf_program *prog, struct provider_links *links)
{
	(void)p;
	(void)prog;
	(void)links;
	return -EOPNOTSUPP;
}

#define PENDING(ident, pname, sup, ctxk, flg, ...)                                                      \
	static const char *const ident##_aliases[] = {__VA_ARGS__, NULL};                                 \
	static int ident##_expand(const struct ast_attach *ap, struct provider_expand_ctx *ctx)           \
	{                                                                                                 \
		return pending_expand(&provider_##ident, ap, ctx);                                        \
	}                                                                                                 \
	const struct et_provider provider_##ident = {                                                     \
	    .name = pname, .aliases = ident##_aliases, .ctx = ctxk, .flags = flg, .supported = sup,      \
	    .expand = ident##_expand, .attach = pending_attach,                                                     \
	};

PENDING(kprobe, "kprobe", kprobe_supported, PROVIDER_CTX_PT_REGS, PROVIDER_HAS_ARGN | PROVIDER_HAS_FUNC, "k")
PENDING(kretprobe, "kretprobe", kprobe_supported, PROVIDER_CTX_PT_REGS,
	PROVIDER_HAS_RETVAL | PROVIDER_HAS_FUNC, "kr")
PENDING(uprobe, "uprobe", always_supported, PROVIDER_CTX_PT_REGS,
	PROVIDER_HAS_ARGN | PROVIDER_HAS_FUNC | PROVIDER_HAS_USER, "u")
PENDING(uretprobe, "uretprobe", always_supported, PROVIDER_CTX_PT_REGS,
	PROVIDER_HAS_RETVAL | PROVIDER_HAS_FUNC | PROVIDER_HAS_USER, "ur")
PENDING(usdt, "usdt", always_supported, PROVIDER_CTX_PT_REGS, PROVIDER_HAS_ARGN | PROVIDER_HAS_USER, "U")
PENDING(hardware, "hardware", hardware_supported, PROVIDER_CTX_PERF_EVENT, 0, "h")
PENDING(fentry, "fentry", fentry_supported, PROVIDER_CTX_RAW_ARGS,
	PROVIDER_HAS_ARGS | PROVIDER_HAS_FUNC, "f", "kfunc")
PENDING(fexit, "fexit", fentry_supported, PROVIDER_CTX_RAW_ARGS,
	PROVIDER_HAS_ARGS | PROVIDER_HAS_RETVAL | PROVIDER_HAS_FUNC, "fr", "kretfunc")
PENDING(watchpoint, "watchpoint", always_supported, PROVIDER_CTX_PERF_EVENT, 0, "w")
PENDING(iter, "iter", always_supported, PROVIDER_CTX_NONE, 0, "it")
