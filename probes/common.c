/* common: helpers shared by the provider files (errors, wildcards, periods, perf events).
 * See providers.h. */
#define _DEFAULT_SOURCE /* syscall */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/perf_event.h>

#include "support/arena.h"
#include "support/diag.h"
#include "probes/providers.h"

bool provider_has_wildcard(const char *s)
{
	return s && strpbrk(s, "*?[") != NULL;
}

struct et_probe_desc *provider_new_probe(struct provider_expand_ctx *ctx, const struct et_provider *pv,
					 const struct ast_attach *ap, const char *name)
{
	struct et_probe_desc *p = provider_add_probe(ctx);

	p->provider = pv;
	p->loc = ap->loc;
	p->name = arena_strdup(ctx->arena, name);
	return p;
}

static void report(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *hint,
		   const char *fmt, va_list va)
{
	diag_vadd(ctx->diag, DIAG_ERROR, ap->loc, fmt, va);
	if (hint)
		diag_hint(ctx->diag, "%s", hint);
}

int provider_error(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *hint,
		   const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	report(ctx, ap, hint, fmt, va);
	va_end(va);
	return -EINVAL;
}

int provider_missing(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *hint,
		     const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	report(ctx, ap, hint, fmt, va);
	va_end(va);
	return -ENOENT;
}

bool provider_parse_uint(const char *s, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mult; } suffixes[] = {
		{"", 1}, {"u", 1}, {"ul", 1}, {"ull", 1}, {"l", 1}, {"ll", 1}, {"ns", 1}, {"us", 1000ull},
		{"ms", 1000000ull}, {"s", 1000000000ull}, {"m", 60000000000ull}, {"h", 3600000000000ull},
		{"d", 86400000000000ull},
	};
	char buf[128], *end;
	size_t n = 0;
	int base = 10;
	unsigned long long v;

	for (; s && *s && n + 1 < sizeof(buf); s++)
		if (*s != '_')
			buf[n++] = *s;
	if (!s || *s || !n)
		return false;
	buf[n] = 0;
	const char *digits = buf;
	if (n >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16, digits += 2;
	else if (n >= 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		base = 2, digits += 2;
	else if (n >= 2 && buf[0] == '0' && buf[1] >= '0' && buf[1] <= '7')
		base = 8, digits += 1;
	if (!isxdigit((unsigned char)*digits))
		return false;
	errno = 0;
	v = strtoull(digits, &end, base);
	if (end == digits || errno == ERANGE)
		return false;
	if ((*end == 'e' || *end == 'E') && end[1] >= '1' && end[1] <= '9') {
		if (v == 0 || v >= 10) /* bpftrace: the coefficient of 1e6 is one digit */
			return false;
		unsigned long long e = strtoull(end + 1, &end, 10);
		for (; e; e--) {
			if (v > UINT64_MAX / 10)
				return false;
			v *= 10;
		}
	}
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (strcmp(end, suffixes[i].suffix) == 0) {
			if (v > UINT64_MAX / suffixes[i].mult)
				return false;
			*out = v * suffixes[i].mult;
			return true;
		}
	return false;
}

/* A positive decimal number filling all of s. */
static bool parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0)
		return false;
	*out = v;
	return true;
}

static const char *period_unit(const char *u)
{
	static const char *const units[] = {"s", "ms", "us", "ns", "hz"};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(u, units[i]) == 0)
			return units[i];
	return NULL;
}

int provider_parse_period(struct provider_expand_ctx *ctx, const struct ast_attach *ap, uint64_t *value,
			  const char **unit)
{
	const char *hint = "write it as UNIT:N (s, ms, us, hz), e.g. interval:s:1, interval:ms:100, "
			   "or the shorthand interval:1s";
	const struct et_provider *pv = provider_find(ap->parts[0]);
	const char *pname = pv ? pv->name : ap->parts[0];

	if (ap->nparts == 3) {
		*unit = period_unit(ap->parts[1]);
		if (!*unit)
			return provider_error(ctx, ap, hint, "%s probe: unknown unit '%s'", pname, ap->parts[1]);
		if (!parse_count(ap->parts[2], value))
			return provider_error(ctx, ap, hint, "%s probe: '%s' is not a positive integer", pname,
					      ap->parts[2]);
		return 0;
	}
	if (ap->nparts == 2) {
		const char *s = ap->parts[1];
		size_t n = strspn(s, "0123456789");
		char digits[32];

		if (n == 0 || n >= sizeof(digits))
			return provider_error(ctx, ap, hint, "%s probe: bad period '%s'", pname, s);
		memcpy(digits, s, n);
		digits[n] = 0;
		*unit = s[n] ? period_unit(s + n) : "ns";
		if (!*unit || !parse_count(digits, value))
			return provider_error(ctx, ap, hint, "%s probe: bad period '%s'", pname, s);
		return 0;
	}
	return provider_error(ctx, ap, hint, "%s probe: expected a period after '%s:'", pname, pname);
}

bool provider_always_newest_first(const struct et_probe_desc *p)
{
	(void)p;
	return true;
}

bool provider_always_cookie(const struct et_probe_desc *p)
{
	(void)p;
	return true;
}

int provider_perf_event_open(struct perf_event_attr *attr, int pid, int cpu, int group_fd,
			     unsigned long flags)
{
	return (int)syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);
}

int provider_attach_perf_event(struct bpf_program *prog, struct perf_event_attr *attr, int pid, int cpu,
			       struct provider_links *links)
{
	struct bpf_link *link;
	int fd, err;

	fd = provider_perf_event_open(attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	link = bpf_program__attach_perf_event(prog, fd);
	if (!link) {
		err = -errno;
		close(fd);
		return err;
	}
	/* the link owns fd from here: bpf_link__destroy closes it */
	return provider_links_add(links, link);
}

int provider_attach_perf(struct bpf_program *prog, struct perf_event_attr *attr, int pid, int cpu,
			 struct provider_links *links)
{
	attr->inherit = pid > 0;
	return provider_attach_perf_event(prog, attr, pid > 0 ? pid : -1, cpu, links);
}

int provider_attach_perf_cpus(struct bpf_program *prog, struct perf_event_attr *attr,
			      const struct provider_attach_ctx *ctx)
{
	int cpus[1024], n, i, err;

	n = provider_online_cpus(cpus, 1024);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		err = provider_attach_perf(prog, attr, ctx->target_pid, cpus[i], ctx->links);
		if (err)
			return err; /* links made so far are in `links`; the runtime destroys them */
	}
	return 0;
}

int provider_online_cpus(int *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	char buf[4096], *s, *end;
	int n = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	for (s = buf; *s && *s != '\n';) {
		long lo = strtol(s, &end, 10), hi = lo, c;

		if (end == s)
			return -EINVAL;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			s = end;
		}
		for (c = lo; c <= hi && n < max; c++)
			cpus[n++] = (int)c;
		if (*s == ',')
			s++;
	}
	return n;
}

/* Does a name of the kernel's module list ("vmlinux", then the first word of each /proc/modules line)
 * match the glob? A kernel built without modules has no /proc/modules: only vmlinux. */
static bool module_listed(const char *glob)
{
	char line[512], name[256];
	bool found = provider_glob_match(glob, "vmlinux");
	FILE *f = found ? NULL : fopen("/proc/modules", "re");

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%255s", name) == 1 && provider_glob_match(glob, name);
	if (f)
		fclose(f);
	return found;
}

int provider_check_module(struct provider_expand_ctx *ctx, const struct et_provider *pv, const struct ast_attach *ap,
			  const char *mod)
{
	const char *pname = pv->name;
	const char *hint = "name the kernel itself as vmlinux or a module listed in /proc/modules, or leave the "
			   "module out";

	if (!mod || ctx->listing || module_listed(mod))
		return 0;
	if (provider_has_wildcard(mod))
		return provider_missing(ctx, ap, hint, "%s probe: no loaded kernel module matches '%s'", pname, mod);
	return provider_missing(ctx, ap, hint, "%s probe: module '%s' is not loaded", pname, mod);
}

bool provider_glob_match(const char *pattern, const char *name)
{
	return fnmatch(pattern, name, 0) == 0;
}
