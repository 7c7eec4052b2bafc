/* uprobe, uretprobe (and their sleepable forms uprobe.s / uretprobe.s): probes on functions of a user
 * binary or library.
 *   uprobe:/path/bin:func       a function (symtab and dynsym; C++ names also by their demangled form)
 *   uprobe:/path/bin:func+off   an offset into it (must stay inside the function)
 *   uprobe:/path/bin:0x1234     a virtual address of the file
 *   uprobe:libc:malloc          a library resolved like ld.so (ld.so.cache, usual dirs); a program name
 *                               without '/' is looked up in PATH
 *   uprobe:/path/bin:str*       wildcards over function names (one probe per function)
 *   uprobe:/path/bin@file.c:42[:7]  a source line (and column) from the binary's DWARF line table
 * Virtual addresses become file offsets through the PT_LOAD program headers (PIE, shared objects).
 * Safety, as bpftrace: a function named alone whose symbol has size 0, or an address outside every
 * function, needs --unsafe (nothing tells where an instruction starts); an offset must stay inside the
 * function's size (so none into a size-0 one); a uretprobe takes no offset.
 * Each concrete probe: target = the file's absolute path, func = the symbol (NULL for an address),
 * offset = file offset. Attached with bpf_program__attach_uprobe_opts (perf-event based: the kernel
 * drops it when etrace exits), for the -p/-c process only when one is given. See provider.h. */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "kernel/features.h"
#include "support/arena.h"
#include "support/diag.h"
#include "kernel/dwarf.h"
#include "kernel/elf.h"
#include "kernel/procfs.h"
#include "probes/providers.h"
#include "probes/uprobe.h"

static int uprobe_supported(const char **why, const char **instead)
{
	return feature_check(FEATURE_UPROBES, why, instead);
}

bool uprobe_sym_matches(const char *pattern, const struct elf_sym *s)
{
	char *paren;
	bool m;

	if (provider_glob_match(pattern, s->name))
		return true;
	if (!s->demangled)
		return false;
	if (provider_glob_match(pattern, s->demangled))
		return true;
	/* "ns::f" matches "ns::f(int)": the name without its parameter list */
	paren = strchr(s->demangled, '(');
	if (!paren)
		return false;
	*paren = 0;
	m = provider_glob_match(pattern, s->demangled);
	*paren = '(';
	return m;
}

int uprobe_resolve(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *pname,
		   const char *target, char *path, size_t len, const char **shown)
{
	int err = elf_resolve_target(target, path, len);

	/* bpftrace's words for a file that is there but is no ELF program or library */
	if (err == -ENOEXEC)
		return provider_error(ctx, ap, "name a program or shared library (an ELF file of this machine)",
				      "%s target file '%s' does not exist or is not executable", pname, target);
	if (err)
		return provider_missing(ctx, ap,
				      strchr(target, '/') ? "check the path: the binary or library must exist and be "
							    "readable"
							  : "give the full path of the binary or library, or a "
							    "library name as ld.so knows it (libc, libc.so.6)",
				      "%s probe: cannot find '%s': %s", pname, target, strerror(-err));
	*shown = arena_strdup(ctx->arena, strchr(target, '/') ? target : path);
	return 0;
}

/* "name+off" → name and off; a plain name gives off 0. */
static int split_offset(const char *s, char *name, size_t len, uint64_t *off)
{
	const char *plus = strrchr(s, '+');
	char *end;

	*off = 0;
	if (!plus || plus == s) {
		snprintf(name, len, "%s", s);
		return 0;
	}
	errno = 0;
	*off = strtoull(plus + 1, &end, 0);
	if (errno || *end || end == plus + 1)
		return -EINVAL;
	snprintf(name, len, "%.*s", (int)(plus - s), s);
	return 0;
}

static bool is_address(const char *s)
{
	char *end;

	if (strncmp(s, "0x", 2) != 0 && strncmp(s, "0X", 2) != 0)
		return false;
	errno = 0;
	(void)strtoull(s, &end, 16);
	return !errno && !*end && end > s + 2;
}

/* What bpftrace prints when it refuses a probe whose safety it cannot check. */
#define UNSAFE_HINT                                                                                       \
	"run with --unsafe to attach anyway (a probe that does not start an instruction corrupts the traced " \
	"process)"

static bool is_retprobe(const struct et_provider *pv)
{
	return (pv->flags & PROVIDER_RETURN) != 0;
}

/* The function symbol whose bytes hold vaddr, or else one that starts at vaddr with no size; NULL when
 * none. */
static const struct elf_sym *function_at(const struct elf_syms *syms, uint64_t vaddr)
{
	const struct elf_sym *unsized = NULL;

	for (size_t i = 0; i < syms->count; i++) {
		const struct elf_sym *s = &syms->syms[i];

		if (s->size && vaddr >= s->addr && vaddr - s->addr < s->size)
			return s;
		if (!s->size && s->addr == vaddr && !unsized)
			unsized = s;
	}
	return unsized;
}

/* A symbol without a size (hand-written assembly without .size) gives no bounds to check a probe
 * against: bpftrace refuses it without --unsafe ("Could not determine boundary for SYM (symbol has size
 * 0)"). */
static int zero_size_error(struct provider_expand_ctx *ctx, const struct ast_attach *ap,
			   const struct et_provider *pv, const char *sym, const char *path)
{
	return provider_error(ctx, ap, UNSAFE_HINT,
			      "%s probe: cannot tell where %s ends: its symbol in %s has size 0", pv->name, sym,
			      path);
}

/* uprobe:BINARY:0xADDR: bpftrace attaches without --unsafe only inside a function of known size (and
 * a uretprobe only at a function's start). */
static int check_address(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const struct et_provider *pv,
			 const char *path, uint64_t vaddr)
{
	struct elf_syms syms;
	const struct elf_sym *s;
	int err = elf_read_syms(path, &syms);

	if (err)
		return provider_error(ctx, ap, NULL, "%s probe: cannot read the symbols of %s: %s", pv->name, path,
				      strerror(-err));
	s = function_at(&syms, vaddr);
	if (s && s->size && vaddr != s->addr && is_retprobe(pv))
		err = provider_error(ctx, ap, "put the uretprobe on the function itself (its start address)",
				     "%s probe: 0x%" PRIx64 " is %s+%" PRIu64 ": a uretprobe cannot be attached at an "
				     "offset into a function", pv->name, vaddr, s->name, vaddr - s->addr);
	else if (ctx->unsafe || ctx->listing)
		err = 0;
	else if (s && !s->size)
		err = zero_size_error(ctx, ap, pv, s->name, path);
	else if (!s)
		err = provider_error(ctx, ap, UNSAFE_HINT,
				     "%s probe: address 0x%" PRIx64 " is not inside a function of %s", pv->name, vaddr,
				     path);
	elf_syms_free(&syms);
	return err;
}

/* shown: the binary as probe names print it (uprobe_resolve) */
static struct et_probe_desc *new_probe(struct provider_expand_ctx *ctx, const struct et_provider *pv,
				       const struct ast_attach *ap, const char *path, const char *shown,
				       const char *what, uint64_t offset)
{
	char *name = arena_printf(ctx->arena, "%s:%s:%s", pv->name, shown, what);
	struct et_probe_desc *p = provider_new_probe(ctx, pv, ap, name);
	bool ret = is_retprobe(pv), sleep = (pv->flags & PROVIDER_SLEEPABLE) != 0;

	p->section = ret ? (sleep ? "uretprobe.s" : "uretprobe") : (sleep ? "uprobe.s" : "uprobe");
	p->target = arena_strdup(ctx->arena, path);
	p->offset = offset;
	return p;
}

static const char *kernel_path_of_pid(struct provider_expand_ctx *ctx, int pid, const char *path);
static const char *pid_path(struct provider_expand_ctx *ctx, const char *path);

/* The binary that `uprobe:FUNCTION` (no binary written) means: the -p process's program (the path
 * /proc/PID/exe links to, through /proc/PID/root in another mount namespace, as bpftrace names it;
 * /proc/PID/exe itself when deleted), else the first word of the -c command (uprobe_resolve looks a
 * bare name up in PATH); NULL when neither is given. */
static const char *target_binary(struct provider_expand_ctx *ctx)
{
	const char *cmd = ctx->target_cmd ? ctx->target_cmd + strspn(ctx->target_cmd, " \t") : NULL;
	size_t n = cmd ? strcspn(cmd, " \t") : 0;

	if (ctx->target_pid > 0) { /* its program's path, through /proc/PID/root in another namespace */
		char link[64], exe[PATH_MAX];
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/%d/exe", ctx->target_pid);
		len = readlink(link, exe, sizeof(exe) - 1);
		if (len <= 0 || (exe[len] = 0, strstr(exe, " (deleted)")))
			return arena_strdup(ctx->arena, link);
		return kernel_path_of_pid(ctx, ctx->target_pid, arena_strdup(ctx->arena, exe));
	}
	if (n && n < PATH_MAX)
		return arena_printf(ctx->arena, "%.*s", (int)n, cmd);
	return NULL;
}

/* A line or column number as written: a positive decimal. */
static bool parse_number(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* uprobe:BINARY@FILE:LINE[:COL]: the first statement of that source line in the binary's DWARF line
 * table, attached at its address like uprobe:BINARY:ADDRESS (the same safety check), as bpftrace does;
 * named provider:BINARY:ADDRESS (decimal), as bpftrace names it. */
static int expand_source_line(const struct et_provider *pv, const struct ast_attach *ap,
			      struct provider_expand_ctx *ctx)
{
	const char *at = strchr(ap->parts[1], '@'), *file = at + 1;
	char path[PATH_MAX], target[PATH_MAX], detail[2 * PATH_MAX + 4];
	const char *shown;
	uint32_t line, col = 0;
	uint64_t vaddr, foff;
	int err;

	if (is_retprobe(pv))
		return provider_error(ctx, ap, "attach a uprobe at the line, or the uretprobe to the function",
				      "%s probe: a source code location is not allowed in a uretprobe", pv->name);
	snprintf(target, sizeof(target), "%.*s", (int)(at - ap->parts[1]), ap->parts[1]);
	if (provider_has_wildcard(target))
		return provider_error(ctx, ap, "name one binary", "%s probe: cannot use wildcards with a source code "
				      "location", pv->name);
	if (!*target || !*file || !*ap->parts[2])
		return provider_error(ctx, ap, "write it as uprobe:BINARY@FILE:LINE or uprobe:BINARY@FILE:LINE:COLUMN",
				      "%s probe: expected %s:BINARY@FILE:LINE[:COLUMN]", pv->name, pv->name);
	if (!parse_number(ap->parts[2], &line))
		return provider_error(ctx, ap, "a line number counts from 1", "%s probe: invalid line number '%s'",
				      pv->name, ap->parts[2]);
	if (ap->nparts == 4 && !parse_number(ap->parts[3], &col))
		return provider_error(ctx, ap, "a column number counts from 1", "%s probe: invalid column number '%s'",
				      pv->name, ap->parts[3]);
	err = uprobe_resolve(ctx, ap, pv->name, pid_path(ctx, target), path, sizeof(path), &shown);
	if (err)
		return err;
	err = dwinfo_line_addr(path, file, line, col, &vaddr, detail, sizeof(detail));
	switch (err) {
	case 0:
		break;
	case -ENODATA:
	case -ENOEXEC:
		return provider_error(ctx, ap, "build the program with -g (or install its -dbg / -dbgsym package)",
				      "%s probe: no DWARF debug info found for '%s', cannot attach by source code "
				      "location", pv->name, path);
	case -ENOENT:
		return provider_missing(ctx, ap, "name the file as the compiler saw it (its name, or the end of its path)",
				      "%s probe: no compilation unit of %s matches %s", pv->name, path, file);
	case -ENOTUNIQ:
		return provider_error(ctx, ap, "write more of the file's path", "%s probe: ambiguous source path, "
				      "matches multiple files: %s", pv->name, detail);
	case -ERANGE:
		return provider_missing(ctx, ap, "pick a line with a statement (a line of code, not a comment or "
				      "declaration)", "%s probe: unable to map '%s:%u%s%.0u' to an address in %s",
				      pv->name, file, line, col ? ":" : "", col, path);
	default:
		return provider_error(ctx, ap, NULL, "%s probe: cannot read the DWARF of %s: %s", pv->name, path,
				      strerror(-err));
	}
	if (elf_vaddr_to_offset(path, vaddr, &foff))
		return provider_error(ctx, ap, NULL, "%s probe: address 0x%" PRIx64 " of %s:%u is not in a loaded "
				      "segment of %s", pv->name, vaddr, file, line, path);
	err = check_address(ctx, ap, pv, path, vaddr);
	if (err)
		return err;
	new_probe(ctx, pv, ap, path, shown, arena_printf(ctx->arena, "%" PRIu64, vaddr), foff);
	return 0;
}

/* An absolute path of process pid's file system as etrace reaches it (in the arena). */
static const char *path_of_pid(struct provider_expand_ctx *ctx, int pid, const char *path)
{
	if (pid > 0 && path[0] == '/' && strncmp(path, "/proc/", 6) != 0 && procfs_other_mount_ns(pid))
		return arena_printf(ctx->arena, "/proc/%d/root%s", pid, path);
	return path;
}

/* The same for the -p process. */
static const char *pid_path(struct provider_expand_ctx *ctx, const char *path)
{
	return path_of_pid(ctx, ctx->target_pid, path);
}

/* The same for a path the kernel gave (/proc/PID/exe, /proc/PID/maps): procfs_kernel_path(). */
static const char *kernel_path_of_pid(struct provider_expand_ctx *ctx, int pid, const char *path)
{
	char buf[PATH_MAX];

	if (!procfs_kernel_path(pid, path, buf, sizeof(buf)))
		return path_of_pid(ctx, pid, path);
	return arena_strdup(ctx->arena, buf);
}

static void bins_add(struct provider_expand_ctx *ctx, struct uprobe_bins *b, const char *path, const char *shown)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->path[i], path) == 0)
			return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;

		b->path = arena_grow(ctx->arena, b->path, b->cap, cap, sizeof(*b->path));
		b->shown = arena_grow(ctx->arena, b->shown, b->cap, cap, sizeof(*b->shown));
		b->cap = cap;
	}
	b->path[b->n] = arena_strdup(ctx->arena, path);
	b->shown[b->n++] = arena_strdup(ctx->arena, shown);
}

/* Each ELF file that process pid has mapped (its program and libraries), as bpftrace's "*" with -p. */
static int mapped_objects(struct provider_expand_ctx *ctx, int pid, struct uprobe_bins *b)
{
	char fn[64], line[PATH_MAX + 128], real[PATH_MAX];
	FILE *m;

	snprintf(fn, sizeof(fn), "/proc/%d/maps", pid);
	m = fopen(fn, "re");
	if (!m)
		return -errno;
	while (fgets(line, sizeof(line), m)) {
		char *f = strchr(line, '/');
		const char *p;

		if (!f)
			continue;
		f[strcspn(f, "\n")] = 0;
		if (strstr(f, " (deleted)"))
			continue;
		p = kernel_path_of_pid(ctx, pid, f);
		if (elf_resolve_target(p, real, sizeof(real)) == 0)
			bins_add(ctx, b, real, p);
	}
	fclose(m);
	return 0;
}

int uprobe_targets(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *pname,
		   const char *target, struct uprobe_bins *b)
{
	char path[PATH_MAX];
	const char *shown;
	glob_t g;
	int err;

	memset(b, 0, sizeof(*b));
	if (ctx->target_pid > 0 && (!*target || strcmp(target, "*") == 0)) {
		err = mapped_objects(ctx, ctx->target_pid, b);
		if (err)
			return provider_error(ctx, ap, NULL, "%s probe: cannot read the mappings of process %d: %s", pname,
					      ctx->target_pid, strerror(-err));
		return 0;
	}
	if (strcmp(target, "*") == 0) { /* without -p: the objects of every running process, as bpftrace */
		DIR *d = opendir("/proc");
		struct dirent *de;

		while (d && (de = readdir(d)))
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
				(void)mapped_objects(ctx, atoi(de->d_name), b); /* gone meanwhile: skipped */
		if (d)
			closedir(d);
		return 0;
	}
	if (!provider_has_wildcard(target)) {
		err = uprobe_resolve(ctx, ap, pname, pid_path(ctx, target), path, sizeof(path), &shown);
		if (!err)
			bins_add(ctx, b, path, shown);
		return err;
	}
	/* a wildcard in the path: every ELF program or library it names, as bpftrace's glob */
	if (glob(pid_path(ctx, target), 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			if (elf_resolve_target(g.gl_pathv[i], path, sizeof(path)) == 0)
				bins_add(ctx, b, path, g.gl_pathv[i]);
		globfree(&g);
	}
	if (!b->n)
		return provider_missing(ctx, ap, "check the pattern: it must name ELF programs or libraries",
				      "%s target file '%s' does not exist or is not executable", pname, target);
	return 0;
}

/* The probes of one binary (path, shown as `shown`) for `what` (a function, func+off, a wildcard, an
 * address); *found counts them. Errors as expand_common's. */
static int expand_binary(const struct et_provider *pv, const struct ast_attach *ap, struct provider_expand_ctx *ctx,
			 const char *path, const char *shown, const char *what, size_t *found)
{
	char fname[512];
	struct elf_syms syms;
	uint64_t off, foff;
	size_t i;
	int err;

	if (is_address(what)) {
		uint64_t vaddr = strtoull(what, NULL, 16);

		err = elf_vaddr_to_offset(path, vaddr, &foff);
		if (err)
			return provider_error(ctx, ap, NULL, "%s probe: address %s is not in a loaded segment of %s",
					      pv->name, what, path);
		err = check_address(ctx, ap, pv, path, vaddr);
		if (err)
			return err;
		new_probe(ctx, pv, ap, path, shown, what, foff);
		return 0;
	}
	if (split_offset(what, fname, sizeof(fname), &off))
		return provider_error(ctx, ap, "write the offset as func+N (decimal or 0x hex)",
				      "%s probe: bad offset in '%s'", pv->name, what);
	if (off && provider_has_wildcard(fname))
		return provider_error(ctx, ap, NULL, "%s probe: an offset cannot follow a wildcard", pv->name);
	/* bpftrace: "uretprobes can not be attached to a function offset" (the return address is only
	 * where the kernel looks for it at the function's first instruction) */
	if (off && is_retprobe(pv))
		return provider_error(ctx, ap, "attach a uprobe at the offset, or the uretprobe to the function itself",
				      "%s probe: a uretprobe cannot be attached at an offset into a function", pv->name);
	err = elf_read_syms(path, &syms);
	if (err)
		return provider_error(ctx, ap, NULL, "%s probe: cannot read the symbols of %s: %s", pv->name, path,
				      strerror(-err));
	for (i = 0; i < syms.count && !err; i++) {
		const struct elf_sym *s = &syms.syms[i];
		bool dup = false;
		size_t j;

		if (!uprobe_sym_matches(fname, s))
			continue;
		/* aliases of one function at one address (e.g. two names): one probe */
		for (j = 0; j < i && !dup; j++)
			dup = syms.syms[j].addr == s->addr && uprobe_sym_matches(fname, &syms.syms[j]);
		if (dup)
			continue;
		/* no size: no offset into it can be checked, not even with --unsafe (as bpftrace) */
		if (off && !s->size) {
			err = provider_error(ctx, ap, "attach at the function itself (with --unsafe)",
					     "%s probe: offset %" PRIu64 " into %s cannot be checked: its symbol has size 0",
					     pv->name, off, s->name);
			break;
		}
		if (off && off >= s->size) {
			err = provider_error(ctx, ap, NULL, "%s probe: offset %" PRIu64 " is beyond the end of %s (%" PRIu64
					     " bytes)", pv->name, off, s->name, s->size);
			break;
		}
		/* the gate is for a function named alone: with a wildcard bpftrace attaches every match through
		 * one uprobe_multi link, which checks no sizes (crtstuff's frame_dummy, _init... have none) */
		if (!off && !s->size && !ctx->unsafe && !ctx->listing && !provider_has_wildcard(fname)) {
			err = zero_size_error(ctx, ap, pv, s->name, path);
			break;
		}
		if (elf_vaddr_to_offset(path, s->addr + off, &foff))
			continue;
		struct et_probe_desc *p =
		    new_probe(ctx, pv, ap, path, shown, off ? arena_printf(ctx->arena, "%s+%" PRIu64, s->name, off) : s->name,
			      foff);
		p->func = arena_strdup(ctx->arena, s->name);
		(*found)++;
		if (!provider_has_wildcard(fname))
			break;
	}
	elf_syms_free(&syms);
	return err;
}

static int expand_common(const struct et_provider *pv, const struct ast_attach *ap,
			 struct provider_expand_ctx *ctx)
{
	const char *why = NULL, *instead = NULL;
	struct uprobe_bins b;
	size_t found = 0;
	int err = 0;

	if (pv->supported(&why, &instead) && why)
		return provider_error(ctx, ap, instead, "%s: %s", pv->name, why);
	if ((ap->nparts == 3 || ap->nparts == 4) && strchr(ap->parts[1], '@'))
		return expand_source_line(pv, ap, ctx);
	/* uprobe:FUNCTION with -p or -c: a function of that process's program */
	const char *binary = ap->nparts == 3 ? ap->parts[1] : target_binary(ctx);
	const char *what = ap->parts[ap->nparts - 1];
	bool implicit = ap->nparts == 2 && *what && binary;
	if (!implicit && (ap->nparts != 3 || !*ap->parts[1] || !*what))
		return provider_error(ctx, ap, "write it as uprobe:/path/to/binary:function (or uprobe:function with -p or -c)",
				      "%s probe: expected %s:BINARY:FUNCTION", pv->name, pv->name);
	err = uprobe_targets(ctx, ap, pv->name, binary, &b);
	if (err)
		return err;
	if (b.n > 1 && is_address(what))
		return provider_error(ctx, ap, "name one binary", "%s probe: cannot use wildcards with an absolute address",
				      pv->name);
	for (size_t i = 0; i < b.n && !err; i++)
		err = expand_binary(pv, ap, ctx, b.path[i], b.shown[i], what, &found);
	if (err || is_address(what))
		return err;
	char fname[512];
	uint64_t off;
	(void)split_offset(what, fname, sizeof(fname), &off);
	const char *where = b.n == 1 ? b.path[0] : binary;
	if (!found && !provider_has_wildcard(fname))
		return provider_missing(ctx, ap, "list the functions with: etrace -l 'uprobe:BINARY:*'",
				      "%s probe: no function '%s' in %s", pv->name, fname, where);
	if (!found && !ctx->listing)
		return provider_missing(ctx, ap, NULL, "%s probe: no function matches '%s' in %s", pv->name, fname,
				      where);
	return 0;
}

/* A uprobe_multi link (one function each: the programs differ by probe) where the kernel has them:
 * the kernel releases a perf event uprobe one at a time under a global lock, with a grace period each
 * (36 ms here, 36 s for 1000 uprobes); a uprobe_multi link has no perf event, and links released on
 * several threads wait for the same grace periods. Sleepable programs (uprobe.s) stay on perf events. */
static bool use_multi(const struct et_probe_desc *p)
{
	return strcmp(p->section, "uprobe") == 0 || strcmp(p->section, "uretprobe") == 0
		? feature_check(FEATURE_UPROBE_MULTI, NULL, NULL) == 0 : false;
}

static void uprobe_before_load(const struct et_probe_desc *p, struct bpf_program *prog)
{
	if (use_multi(p))
		bpf_program__set_expected_attach_type(prog, (enum bpf_attach_type)KERNEL_TRACE_UPROBE_MULTI);
}

static int uprobe_attach(const struct et_probe_desc *p, struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts);
	struct bpf_link *link;
	int pid = ctx->target_pid;

	if (bpf_program__expected_attach_type(prog) == (enum bpf_attach_type)KERNEL_TRACE_UPROBE_MULTI) {
		unsigned long long off = p->offset, cookie = ctx->cookie;
		int fd = kernel_uprobe_multi_link_cookies(bpf_program__fd(prog), p->target, &off, NULL, &cookie, 1,
							  is_retprobe(p->provider) ? KERNEL_UPROBE_MULTI_RETURN : 0, pid);

		return fd < 0 ? fd : provider_links_add_fd(ctx->links, fd);
	}
	opts.retprobe = is_retprobe(p->provider);
	opts.bpf_cookie = ctx->cookie;
	link = bpf_program__attach_uprobe_opts(prog, pid ? pid : -1, p->target, (size_t)p->offset, &opts);
	if (!link)
		return -errno;
	return provider_links_add(ctx->links, link);
}

/* Probes that share a program (a wildcard) go in one uprobe_multi link per binary, each offset with its
 * probe's cookie: one link to make and one to release for the lot. */
static int uprobe_attach_group(const struct et_probe_desc *const *ps, const uint64_t *cookies, uint32_t n,
			       struct bpf_program *prog, const struct provider_attach_ctx *ctx)
{
	unsigned long long *offs, *cks;
	int err = 0;

	if (bpf_program__expected_attach_type(prog) != (enum bpf_attach_type)KERNEL_TRACE_UPROBE_MULTI)
		return -EOPNOTSUPP;
	offs = calloc(n ? n : 1, sizeof(*offs));
	cks = calloc(n ? n : 1, sizeof(*cks));
	for (uint32_t i = 0, j; !err && offs && cks && i < n; i = j) {
		uint32_t m = 0;
		int fd;

		/* the run of probes on one binary */
		for (j = i; j < n && strcmp(ps[j]->target, ps[i]->target) == 0; j++, m++) {
			offs[m] = ps[j]->offset;
			cks[m] = cookies[j];
		}
		fd = kernel_uprobe_multi_link_cookies(bpf_program__fd(prog), ps[i]->target, offs, NULL, cks, m,
						      is_retprobe(ps[i]->provider) ? KERNEL_UPROBE_MULTI_RETURN : 0,
						      ctx->target_pid);
		err = fd < 0 ? fd : provider_links_add_fd(ctx->links, fd);
	}
	if (!offs || !cks)
		err = -ENOMEM;
	free(offs);
	free(cks);
	return err;
}

/* -lv: a uprobe's parameters from the binary's DWARF, as bpftrace lists them ("    int* n"); a binary
 * without DWARF gets bpftrace's warning, once per path in a row. */
static void uprobe_list(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	static char warned[PATH_MAX];
	int err;

	(void)a;
	fprintf(out, "%s\n", p->name);
	if (!verbose || !p->func || is_retprobe(p->provider))
		return;
	fflush(out);
	err = dwinfo_list_params(p->target, p->func, out);
	if ((err == -ENODATA || err == -ENOEXEC) && strcmp(warned, p->target) != 0) {
		snprintf(warned, sizeof(warned), "%s", p->target);
		fprintf(stderr, "WARNING: No DWARF found for \"%s\", cannot show parameter info\n", p->target);
	}
}

#define UPROBE_PROVIDER(ident, pname, flg, ...)                                                         \
	PROVIDER_ALIASES_EXPAND(ident, expand_common, __VA_ARGS__)                                        \
	const struct et_provider provider_##ident = {                                                     \
	    .name = pname, .aliases = ident##_aliases, .ctx = PROVIDER_CTX_PT_REGS,                       \
	    .args = ((flg) & PROVIDER_HAS_ARGS) ? PROVIDER_ARGS_DWARF : PROVIDER_ARGS_NONE,                \
	    .flags = (flg) | PROVIDER_HAS_FUNC | PROVIDER_HAS_USER, .supported = uprobe_supported,       \
	    .expand = ident##_expand, .before_load = uprobe_before_load, .attach = uprobe_attach,         \
	    .attach_group = uprobe_attach_group,                                                          \
	    .cookie = provider_always_cookie,                                                             \
	    .newest_first = provider_always_newest_first, /* a uprobe's consumer list (return too) */      \
	    .list = uprobe_list,                                                                          \
	};

UPROBE_PROVIDER(uprobe, "uprobe", PROVIDER_HAS_ARGN | PROVIDER_HAS_ARGS, "u")
UPROBE_PROVIDER(uretprobe, "uretprobe", PROVIDER_HAS_RETVAL | PROVIDER_RETURN, "ur")
UPROBE_PROVIDER(uprobe_s, "uprobe.s", PROVIDER_HAS_ARGN | PROVIDER_HAS_ARGS | PROVIDER_SLEEPABLE, "u.s")
UPROBE_PROVIDER(uretprobe_s, "uretprobe.s", PROVIDER_HAS_RETVAL | PROVIDER_RETURN | PROVIDER_SLEEPABLE, "ur.s")
