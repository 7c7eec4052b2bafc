/* kprobe, kretprobe: probes on kernel functions.
 *   kprobe:func          kprobe:func+off          kprobe:mod:func          kprobe:vfs_*  (wildcards)
 *   kprobe:ADDR / kretprobe:ADDR (a kernel address, decimal or 0x hex; --unsafe, as bpftrace)
 * Functions come from tracefs available_filter_functions ("func" or "func [mod]"), or from
 * /proc/kallsyms text symbols when that file cannot be read or does not list a name given in full. Each concrete probe: func = the
 * function, target = its module (NULL for vmlinux), offset = +off. Section "kprobe"/"kretprobe";
 * attached with bpf_program__attach_kprobe_opts ("mod:func" for module functions).
 * On a kernel without kprobes sema reports the probe with what the kernel lacks (features.h) before
 * expand is called, except when compiling only (--emit-elf: the programs are still generated, and
 * the tests load them to have the verifier check them). See provider.h. */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "support/arena.h"
#include "probes/providers.h"
#include "kernel/tracefs.h"

static int kprobe_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_KPROBES, why, instead);
}

/* One kernel function from the list: name and module ("" for vmlinux). Calls fn for each; stops
 * when fn returns non-zero. */
typedef int (*kfunc_fn)(const char *name, const char *mod, void *arg);

static int for_each_line(FILE *f, bool kallsyms, kfunc_fn fn, void *arg)
{
	char line[512];
	int rc = 0;

	while (!rc && fgets(line, sizeof(line), f)) {
		char name[256] = "", mod[128] = "", type = 0;

		if (kallsyms) {
			if (sscanf(line, "%*s %c %255s [%127[^]]]", &type, name, mod) < 2)
				continue;
			if (type != 't' && type != 'T')
				continue;
			/* BPF programs and ftrace trampolines are text too, not kernel functions a kprobe can
			 * take (and they come and go as programs load: a listing would change by itself) */
			if (strcmp(mod, "bpf") == 0 || strncmp(mod, "__builtin", 9) == 0)
				continue;
		} else if (sscanf(line, "%255s [%127[^]]]", name, mod) < 1) {
			continue;
		}
		if (strncmp(name, "__pfx_", 6) == 0)
			continue; /* padding before a function, not one (compiler clones, foo.constprop.0, are) */
		rc = fn(name, mod, arg);
	}
	return rc;
}

/* From available_filter_functions (the traceable functions), or /proc/kallsyms when kallsyms is set
 * or that file cannot be read. */
static int for_each_kfunc(kfunc_fn fn, void *arg, bool kallsyms)
{
	char buf[256];
	const char *path;
	FILE *f = NULL;
	int rc;

	if (!kallsyms && (path = tracefs_traceable_functions(buf, sizeof(buf))))
		f = fopen(path, "re");
	if (!f) {
		f = fopen("/proc/kallsyms", "re");
		kallsyms = true;
	}
	if (!f)
		return -errno;
	rc = for_each_line(f, kallsyms, fn, arg);
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a wildcard and a listing leave the function out, as bpftrace does: the kernel's kprobe
 * blacklist (debugfs kprobes/blacklist, "0xSTART-0xEND\tfunc [mod]" lines: attaching fails), partial
 * clones (foo.part.0, which bpftrace says cannot be traced; other clones such as foo.constprop.0 are
 * listed), and the functions bpftrace knows to hang a machine when traced though they are not notrace
 * (its list, from the kernel's kprobe_multi selftest: the idle loop, the XDP dispatcher, RCU). A name
 * given in full is not checked: the kernel decides, and says why. The blacklist is read once (names
 * only: a module's function of the same name as a blacklisted one is left out too, which bpftrace does
 * not). */
static bool kfunc_blocked(const char *name)
{
	static char **black;
	static size_t nblack;
	static bool read_once;

	if (strcmp(name, "arch_cpu_idle") == 0 || strcmp(name, "default_idle") == 0 ||
	    strcmp(name, "bpf_dispatcher_xdp_func") == 0 || strncmp(name, "__ftrace_invalid_address__", 26) == 0 ||
	    strncmp(name, "rcu_", 4) == 0 || strstr(name, ".part."))
		return true;
	if (!read_once) {
		FILE *f = tracefs_root() ? fopen("/sys/kernel/debug/kprobes/blacklist", "re") : NULL;
		char line[512], fn[256];
		size_t cap = 0;

		read_once = true;
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%*s %255s", fn) != 1)
				continue;
			if (nblack == cap) {
				char **grown = realloc(black, (cap = cap ? cap * 2 : 256) * sizeof(*black));
				if (!grown)
					break;
				black = grown;
			}
			if (!(black[nblack] = strdup(fn)))
				break;
			nblack++;
		}
		if (f)
			fclose(f);
		if (nblack)
			qsort(black, nblack, sizeof(*black), cmp_str);
	}
	return nblack && bsearch(&name, black, nblack, sizeof(*black), cmp_str);
}

struct kexpand {
	const struct et_provider *pv;
	const struct ast_attach *ap;
	struct provider_expand_ctx *ctx;
	const char *func_glob, *mod_glob; /* mod_glob NULL: any module (and vmlinux) */
	uint64_t off;
	size_t found;
	bool wild;
};

static int add_kfunc(const char *name, const char *mod, void *arg)
{
	struct kexpand *k = arg;
	struct et_probe_desc *p;
	const char *full;
	uint32_t i;

	if (!provider_glob_match(k->func_glob, name) || (k->wild && kfunc_blocked(name)))
		return 0;
	/* the kernel's own functions are listed without a module; bpftrace calls it vmlinux */
	if (k->mod_glob && !provider_glob_match(k->mod_glob, *mod ? mod : "vmlinux"))
		return 0;
	/* a function listed twice (several static functions of one name, usually listed close together):
	 * one probe */
	for (i = k->found > 16 ? k->ctx->nprobes - 16 : k->ctx->nprobes - (uint32_t)k->found; i < k->ctx->nprobes; i++)
		if (strcmp(k->ctx->probes[i].func, name) == 0 &&
		    strcmp(k->ctx->probes[i].target ? k->ctx->probes[i].target : "", mod) == 0)
			return 0;
	/* kprobe:MOD:FUNC when a module part was written (-l: also vmlinux, as bpftrace lists them) */
	full = k->mod_glob && (*mod || k->ctx->listing)
		       ? arena_printf(k->ctx->arena, "%s:%s:%s", k->pv->name, *mod ? mod : "vmlinux", name)
		       : arena_printf(k->ctx->arena, "%s:%s", k->pv->name, name);
	if (k->off)
		full = arena_printf(k->ctx->arena, "%s+%" PRIu64, full, k->off);
	p = provider_new_probe(k->ctx, k->pv, k->ap, full);
	p->section = k->pv->flags & PROVIDER_RETURN ? "kretprobe" : "kprobe";
	p->func = arena_strdup(k->ctx->arena, name);
	p->target = *mod ? arena_strdup(k->ctx->arena, mod) : NULL;
	p->offset = k->off;
	k->found++;
	return k->wild ? 0 : 1;
}

/* kprobe:ADDR / kretprobe:ADDR (a function name never starts with a digit): the kernel address, decimal
 * or 0x hex, passed to the kernel unchecked, so only under --unsafe, as bpftrace. The probe is named
 * "kprobe:DECIMAL" as bpftrace names it; func = that number, offset = the address (attach: no name). */
static int add_address(const struct et_provider *pv, const struct ast_attach *ap, struct provider_expand_ctx *ctx,
		       const char *text, bool mod, bool off)
{
	const char *hint = "write kprobe:ADDRESS (decimal or 0x hex) with --unsafe, or name the function";
	struct et_probe_desc *p;
	unsigned long long addr;
	char *end;

	errno = 0;
	addr = strtoull(text, &end, 0);
	if (errno || *end || !addr)
		return provider_error(ctx, ap, hint, "%s probe: '%s' is neither a function nor an address", pv->name,
				      text);
	if (mod || off)
		return provider_error(ctx, ap, hint, "%s probe: an address takes no %s", pv->name,
				      mod ? "module part" : "offset");
	if (!ctx->unsafe && !ctx->listing)
		return provider_error(ctx, ap, hint, "%s probe: probing by address requires --unsafe", pv->name);
	p = provider_new_probe(ctx, pv, ap, arena_printf(ctx->arena, "%s:%llu", pv->name, addr));
	p->section = pv->flags & PROVIDER_RETURN ? "kretprobe" : "kprobe";
	p->func = arena_printf(ctx->arena, "%llu", addr);
	p->offset = addr;
	return 0;
}

static int expand_common(const struct et_provider *pv, const struct ast_attach *ap,
			 struct provider_expand_ctx *ctx)
{
	struct kexpand k = {.pv = pv, .ap = ap, .ctx = ctx};
	char fname[256];
	const char *spec, *plus;
	int rc;

	if (ap->nparts != 2 && ap->nparts != 3)
		return provider_error(ctx, ap, "write it as kprobe:FUNCTION, kprobe:FUNCTION+OFFSET or kprobe:MODULE:FUNCTION",
				      "%s probe: expected %s:FUNCTION", pv->name, pv->name);
	spec = ap->parts[ap->nparts - 1];
	k.mod_glob = ap->nparts == 3 ? ap->parts[1] : NULL;
	plus = strrchr(spec, '+');
	if (plus && plus != spec) {
		char *end;

		errno = 0;
		k.off = strtoull(plus + 1, &end, 0);
		if (errno || *end || end == plus + 1)
			return provider_error(ctx, ap, "write the offset as func+N", "%s probe: bad offset in '%s'",
					      pv->name, spec);
		if ((pv->flags & PROVIDER_RETURN) && k.off)
			return provider_error(ctx, ap, "a kretprobe fires at the function's return: use kprobe:FUNCTION+OFFSET",
					      "kretprobe probe: an offset makes no sense on a return probe");
		snprintf(fname, sizeof(fname), "%.*s", (int)(plus - spec), spec);
	} else {
		snprintf(fname, sizeof(fname), "%s", spec);
	}
	if (provider_check_module(ctx, pv, ap, k.mod_glob))
		return -EINVAL;
	if (fname[0] >= '0' && fname[0] <= '9')
		return add_address(pv, ap, ctx, fname, k.mod_glob != NULL, plus && plus != spec);
	k.func_glob = fname;
	k.wild = provider_has_wildcard(fname) || (k.mod_glob && provider_has_wildcard(k.mod_glob));
	if (k.off && k.wild)
		return provider_error(ctx, ap, NULL, "%s probe: an offset cannot follow a wildcard", pv->name);
	rc = for_each_kfunc(add_kfunc, &k, false);
	/* available_filter_functions lists one name per address: an alias such as __x64_sys_getppid
	 * (of __do_sys_getppid) is only in kallsyms, and kprobes take it */
	if (rc >= 0 && !k.found && !k.wild)
		rc = for_each_kfunc(add_kfunc, &k, true);
	if (rc < 0)
		return provider_error(ctx, ap, NULL, "%s probe: cannot read the kernel's functions: %s", pv->name,
				      strerror(-rc));
	if (!k.found && !k.wild)
		return provider_missing(ctx, ap, "list kernel functions with: grep FUNC /proc/kallsyms",
				      "%s probe: no kernel function '%s'%s%s", pv->name, fname, k.mod_glob ? " in module " : "",
				      k.mod_glob ? k.mod_glob : "");
	return 0;
}

/* A tracepoint named like the function, or the syscall tracepoint of a syscall entry function. */
static bool event_exists(const char *rel)
{
	char path[512];
	FILE *f;

	if (!tracefs_path(path, sizeof(path), rel))
		return false;
	f = fopen(path, "re");
	if (f)
		fclose(f);
	return f != NULL;
}

static const char *kprobe_suggest_common(const struct ast_attach *ap, struct arena *a, bool ret)
{
	static const char *const sys_prefixes[] = {"__x64_sys_", "__ia32_sys_", "__se_sys_", "__do_sys_",
						   "ksys_", "do_sys_", "sys_"};
	static const char *const cats[] = {"sched", "syscalls", "block", "irq", "timer", "signal", "task",
					   "net", "sock", "skb", "kmem", "writeback", "filemap", NULL};
	const char *fn = ap->nparts >= 2 ? ap->parts[ap->nparts - 1] : NULL;
	char name[256], rel[400];
	size_t i;

	if (!fn || provider_has_wildcard(fn))
		return NULL;
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(fn, "+"), fn);
	for (i = 0; i < sizeof(sys_prefixes) / sizeof(sys_prefixes[0]); i++) {
		size_t n = strlen(sys_prefixes[i]);

		if (strncmp(name, sys_prefixes[i], n) != 0)
			continue;
		snprintf(rel, sizeof(rel), "events/syscalls/sys_%s_%s/format", ret ? "exit" : "enter", name + n);
		if (event_exists(rel))
			return arena_printf(a, "use tracepoint:syscalls:sys_%s_%s instead%s", ret ? "exit" : "enter",
					    name + n, ret ? " (args.ret is the return value)" : "");
	}
	for (i = 0; cats[i]; i++) {
		snprintf(rel, sizeof(rel), "events/%s/%s/format", cats[i], name);
		if (event_exists(rel))
			return arena_printf(a, "use tracepoint:%s:%s instead", cats[i], name);
	}
	if (feature_check(FEATURE_FENTRY, NULL, NULL) == 0)
		return arena_printf(a, "use %s:%s instead (needs BTF)", ret ? "fexit" : "fentry", name);
	return NULL;
}

static const char *kprobe_suggest(const struct ast_attach *ap, struct arena *a)
{
	return kprobe_suggest_common(ap, a, false);
}

static const char *kretprobe_suggest(const struct ast_attach *ap, struct arena *a)
{
	return kprobe_suggest_common(ap, a, true);
}

static int kprobe_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts);
	struct bpf_link *link;
	char name[400];

	opts.retprobe = (p->provider->flags & PROVIDER_RETURN) != 0;
	opts.offset = (size_t)p->offset;
	opts.bpf_cookie = ctx->cookie;
	if (p->target)
		snprintf(name, sizeof(name), "%s:%s", p->target, p->func);
	else
		snprintf(name, sizeof(name), "%s", p->func);
	/* kprobe:ADDR: no function name, the address as the offset (the perf kprobe's kprobe_addr) */
	link = bpf_program__attach_kprobe_opts(prog, p->func[0] >= '0' && p->func[0] <= '9' ? NULL : name, &opts);
	if (!link)
		return -errno;
	return provider_links_add(ctx->links, link);
}

#define KPROBE_PROVIDER(ident, pname, flg, alias, order)                                                \
	PROVIDER_ALIASES_EXPAND(ident, expand_common, alias)                                              \
	const struct et_provider provider_##ident = {                                                     \
	    .name = pname, .aliases = ident##_aliases, .ctx = PROVIDER_CTX_PT_REGS,                       \
	    .flags = (flg) | PROVIDER_HAS_FUNC, .supported = kprobe_supported,                            \
	    .complete = PROVIDER_COMPLETE_KERNEL_FUNC,                                                    \
	    .expand = ident##_expand, .attach = kprobe_attach, .suggest = ident##_suggest,                \
	    .cookie = provider_always_cookie,                                                             \
	    .newest_first = order,                                                                        \
	};

/* Several kprobes on one address share an aggregate that runs the newest first; their return
 * instances are a stack, so the kretprobes' handlers run oldest first (bpftrace attaches kprobes in
 * reverse and kretprobes in order). */
/* -l lists kprobes unasked, not kretprobes (bpftrace lists entry probe types only) */
KPROBE_PROVIDER(kprobe, "kprobe", PROVIDER_HAS_ARGN | PROVIDER_OVERRIDE | PROVIDER_LISTABLE, "k", provider_always_newest_first)
KPROBE_PROVIDER(kretprobe, "kretprobe", PROVIDER_HAS_RETVAL | PROVIDER_RETURN, "kr", NULL)
