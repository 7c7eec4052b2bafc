/* test_providers: the registry's providers state their behaviour consistently (the fields sema,
 * codegen and the runtime decide by, instead of provider names), and the -p/-c target reaches
 * expand() through its context: `uprobe:FUNCTION` with a target pid means /proc/PID/exe, with a target
 * command the command's first word. The field checks need nothing; the expansions need root and
 * tracefs (uprobe, tracepoint) and are skipped with a note otherwise. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/tracefs.h"
#include "probes/provider.h"
#include "probes/providers.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "tests/unit/check.h"

static void check_fields(void)
{
	size_t n = 0, begins = 0, ends = 0;
	const struct et_provider *const *all = provider_all(&n);

	CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		const struct et_provider *pv = all[i];
		unsigned f = pv->flags;

		CHECK(pv->name && pv->expand && pv->attach, "provider %zu", i);
		CHECK(provider_find(pv->name) == pv, "%s is found by its name", pv->name);
		/* retval exists exactly where the probe fires on return */
		CHECK(!(f & PROVIDER_RETURN) == !(f & PROVIDER_HAS_RETVAL), "%s: RETURN vs HAS_RETVAL", pv->name);
		/* args has a source of types exactly where it exists */
		CHECK(!(f & PROVIDER_HAS_ARGS) == (pv->args == PROVIDER_ARGS_NONE), "%s: HAS_ARGS vs args", pv->name);
		if (pv->args == PROVIDER_ARGS_TRACEFS)
			CHECK(pv->ctx == PROVIDER_CTX_TRACEPOINT, "%s: a tracefs record", pv->name);
		if (pv->args == PROVIDER_ARGS_BTF_FUNC || pv->args == PROVIDER_ARGS_BTF_EVENT)
			CHECK(pv->ctx == PROVIDER_CTX_RAW_ARGS, "%s: BTF args in a u64 array", pv->name);
		if (pv->args == PROVIDER_ARGS_DWARF)
			CHECK(pv->ctx == PROVIDER_CTX_PT_REGS && (f & PROVIDER_HAS_USER), "%s: DWARF args in registers",
			      pv->name);
		CHECK(!(f & PROVIDER_SLEEPABLE) || (f & PROVIDER_HAS_USER), "%s: only user probes sleep", pv->name);
		if (f & (PROVIDER_BEGIN | PROVIDER_END)) {
			CHECK((f & (PROVIDER_BEGIN | PROVIDER_END)) != (PROVIDER_BEGIN | PROVIDER_END), "%s", pv->name);
			CHECK(pv->ctx == PROVIDER_CTX_NONE && !(f & PROVIDER_LISTABLE), "%s: runs once", pv->name);
		}
		begins += (f & PROVIDER_BEGIN) != 0;
		ends += (f & PROVIDER_END) != 0;
	}
	CHECK(begins == 1 && ends == 1, "%zu begin and %zu end providers", begins, ends);
	CHECK(provider_find("BEGIN") && (provider_find("BEGIN")->flags & PROVIDER_BEGIN));
	CHECK(provider_find("END") && (provider_find("END")->flags & PROVIDER_END));
	CHECK(provider_find("kr") && (provider_find("kr")->flags & PROVIDER_RETURN));
	CHECK(provider_find("kretfunc") && provider_find("kretfunc")->args == PROVIDER_ARGS_BTF_FUNC);
	CHECK(provider_find("ur.s") && (provider_find("ur.s")->flags & PROVIDER_SLEEPABLE));
}

/* Expand `spec` (split at ':') with ctx; returns expand()'s result, the probes in ctx. */
static int expand(struct provider_expand_ctx *ctx, char *spec)
{
	const char *parts[4];
	uint32_t nparts = 0;
	struct ast_attach ap = {.text = spec, .parts = parts};

	for (char *s = spec, *c; nparts < 4; s = c + 1) {
		parts[nparts++] = s;
		if (!(c = strchr(s, ':')))
			break;
		*c = 0;
	}
	ap.nparts = nparts;
	return provider_find(parts[0])->expand(&ap, ctx);
}

/* The -p/-c target in the expand context: uprobe:main in this very test program. */
static void check_target(struct arena *a, struct diag_sink *d)
{
	char self[PATH_MAX], spec[64], cmd[PATH_MAX + 16], want[PATH_MAX + 32];
	const char *why = NULL, *instead = NULL;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len <= 0 || provider_find("uprobe")->supported(&why, &instead) != 0) {
		printf("note: uprobe target checks skipped: %s\n", why ? why : "no /proc/self/exe");
		return;
	}
	self[len] = 0;

	struct provider_expand_ctx pid_ctx = {.arena = a, .diag = d, .target_pid = (int)getpid()};
	snprintf(spec, sizeof(spec), "uprobe:main");
	int err = expand(&pid_ctx, spec);
	snprintf(want, sizeof(want), "/proc/%d/exe", (int)getpid());
	CHECK(err == 0 && pid_ctx.nprobes == 1, "-p: err %d, %u probes", err, pid_ctx.nprobes);
	if (err == 0 && pid_ctx.nprobes == 1)
		CHECK(strstr(pid_ctx.probes[0].target, "/exe") || strcmp(pid_ctx.probes[0].target, self) == 0,
		      "-p: target %s, wanted %s or %s", pid_ctx.probes[0].target, want, self);

	snprintf(cmd, sizeof(cmd), "  %s --an-argument", self);
	struct provider_expand_ctx cmd_ctx = {.arena = a, .diag = d, .target_cmd = cmd};
	snprintf(spec, sizeof(spec), "uprobe:main");
	err = expand(&cmd_ctx, spec);
	CHECK(err == 0 && cmd_ctx.nprobes == 1, "-c: err %d, %u probes", err, cmd_ctx.nprobes);
	if (err == 0 && cmd_ctx.nprobes == 1)
		CHECK(strcmp(cmd_ctx.probes[0].target, self) == 0, "-c: target %s, wanted %s",
		      cmd_ctx.probes[0].target, self);

	/* no target: uprobe:FUNCTION names no binary, an error */
	struct provider_expand_ctx none_ctx = {.arena = a, .diag = d};
	snprintf(spec, sizeof(spec), "uprobe:main");
	CHECK(expand(&none_ctx, spec) != 0 && none_ctx.nprobes == 0, "no target: %u probes", none_ctx.nprobes);
}

/* The tracepoint provider marks syscalls:* and gives real tracepoints a raw form. */
static void check_tracepoint(struct arena *a, struct diag_sink *d)
{
	char spec[96];
	const char *why = NULL, *instead = NULL;
	const struct et_provider *tp = provider_find("tracepoint");

	if (!tracefs_root() || tp->supported(&why, &instead) != 0) {
		printf("note: tracepoint checks skipped: %s\n", why ? why : "no tracefs");
		return;
	}
	struct provider_expand_ctx ctx = {.arena = a, .diag = d};
	snprintf(spec, sizeof(spec), "tracepoint:sched:sched_switch");
	CHECK(expand(&ctx, spec) == 0 && ctx.nprobes == 1);
	snprintf(spec, sizeof(spec), "tracepoint:syscalls:sys_enter_openat");
	CHECK(expand(&ctx, spec) == 0 && ctx.nprobes == 2);
	if (ctx.nprobes != 2)
		return;
	const struct et_probe_desc *sched = &ctx.probes[0], *sys = &ctx.probes[1];
	const char *raw = tp->raw_section(sched, a);

	CHECK(!sched->syscall && sys->syscall, "syscall: %d %d", sched->syscall, sys->syscall);
	CHECK(raw && strcmp(raw, "raw_tp/sched_switch") == 0, "raw form %s", raw ? raw : "(none)");
	CHECK(tp->raw_section(sys, a) == NULL, "syscalls:* have no raw form");
}

/* Attach-point numbers as bpftrace reads them (software:EVENT:COUNT...). */
static void check_parse_uint(void)
{
	static const struct { const char *s; bool ok; uint64_t v; } cases[] = {
		{"1000", true, 1000}, {"1_000", true, 1000}, {"1e6", true, 1000000}, {"2E3", true, 2000},
		{"0x3e8", true, 1000}, {"0b101", true, 5}, {"010", true, 8}, {"08", true, 8}, {"7u", true, 7},
		{"3ull", true, 3}, {"2us", true, 2000}, {"1s", true, 1000000000}, {"1m", true, 60000000000ull},
		{"18446744073709551615", true, UINT64_MAX}, {"0", true, 0},
		{"1k", false, 0}, {"10e2", false, 0}, {"", false, 0}, {"-1", false, 0}, {" 1", false, 0},
		{"1x", false, 0}, {"18446744073709551616", false, 0}, {"2e19", false, 0}, {"x", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 0;
		bool ok = provider_parse_uint(cases[i].s, &v);

		CHECK(ok == cases[i].ok && (!ok || v == cases[i].v), "'%s': %s %llu", cases[i].s, ok ? "ok" : "refused",
		      (unsigned long long)v);
	}
}

int main(void)
{
	struct source_set *ss = source_set_new();
	struct diag_sink *d = diag_new(ss);
	struct arena *a = arena_new();

	check_fields();
	check_parse_uint();
	if (geteuid() == 0) {
		check_target(a, d);
		check_tracepoint(a, d);
	} else {
		printf("note: expansion checks skipped: they need root\n");
	}
	arena_free(a);
	diag_free(d);
	source_set_free(ss);
	printf("test_providers: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
