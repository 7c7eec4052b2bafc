/* includes: the #include lines of a script. etrace takes kernel types from BTF, so a header adds nothing
 * and is never read; but an #include of a header that does not exist is an error in bpftrace (clang's
 * "fatal error: 'x.h' file not found"), and etrace reports it too, at the header's name.
 *
 * Whether a header exists is decided without opening it (a script never makes etrace read a file it was
 * not given, see tests/runtime/no_foreign_files.sh): each candidate path is looked up with stat(2), in the
 * places bpftrace's clang searches:
 *   "file.h"  first relative to the working directory (bpftrace compiles the script's C part as a file
 *             there), then as <file.h>;
 *   <file.h>  the kernel's headers when installed ($BPFTRACE_KERNEL_SOURCE / $BPFTRACE_KERNEL_BUILD, else
 *             /lib/modules/RELEASE/source and build: include, include/uapi, arch/ARCH/include...), the
 *             compiler's own headers (stddef.h, stdarg.h...: bpftrace ships them), /usr/local/include,
 *             /usr/include/MACHINE-linux-gnu and /usr/include;
 *   /abs.h    that path.
 * Other preprocessor lines are the caller's business (sema.c reports them as not supported). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "support/diag.h"
#include "support/source.h"
#include "sema/sema_int.h"

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static bool exists_in(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return false;
	return is_file(path);
}

/* The headers clang brings itself (its resource directory; bpftrace embeds copies). */
static bool is_compiler_header(const char *name)
{
	static const char *const names[] = {"float.h",  "limits.h", "stdarg.h", "stdbool.h",
					    "stddef.h", "stdint.h", "__stddef_max_align_t.h"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The kernel's architecture directory name for uname's machine, as the kernel's Makefile spells it. */
static const char *kernel_arch(const char *machine)
{
	const char *env = getenv("ARCH");

	if (env && *env)
		return env;
	if (strcmp(machine, "x86_64") == 0 || (machine[0] == 'i' && strncmp(machine + 2, "86", 2) == 0))
		return "x86";
	if (strcmp(machine, "aarch64") == 0)
		return "arm64";
	if (strncmp(machine, "arm", 3) == 0)
		return "arm";
	if (strncmp(machine, "s390", 4) == 0)
		return "s390";
	if (strncmp(machine, "ppc", 3) == 0)
		return "powerpc";
	if (strncmp(machine, "riscv", 5) == 0)
		return "riscv";
	if (strncmp(machine, "loongarch", 9) == 0)
		return "loongarch";
	return machine;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* In the kernel's header directories (source and build trees, as bpftrace's -I list). */
static bool in_kernel_headers(const struct utsname *u, const char *name)
{
	char src[PATH_MAX / 2], obj[PATH_MAX / 2], dir[PATH_MAX];
	const char *env_src = getenv("BPFTRACE_KERNEL_SOURCE"), *env_obj = getenv("BPFTRACE_KERNEL_BUILD");
	const char *arch = kernel_arch(u->machine);

	if (env_src && *env_src) {
		snprintf(src, sizeof(src), "%s", env_src);
		snprintf(obj, sizeof(obj), "%s", env_obj && *env_obj ? env_obj : env_src);
	} else {
		snprintf(src, sizeof(src), "/lib/modules/%s/source", u->release);
		snprintf(obj, sizeof(obj), "/lib/modules/%s/build", u->release);
		if (!is_dir(src) && !is_dir(obj))
			return false;
		if (!is_dir(src))
			memcpy(src, obj, sizeof(src));
		else if (!is_dir(obj))
			memcpy(obj, src, sizeof(obj));
	}
	/* base, then "/arch/ARCH" when arch is set, then the rest */
	const struct {
		const char *base;
		bool arch;
		const char *rest;
	} dirs[] = {
	    {src, true, "/include"},       {obj, true, "/include/generated"},
	    {src, false, "/include"},      {obj, false, "/include"},
	    {src, true, "/include/uapi"},  {obj, true, "/include/generated/uapi"},
	    {src, false, "/include/uapi"}, {obj, false, "/include/generated/uapi"},
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s%s%s%s", dirs[i].base, dirs[i].arch ? "/arch/" : "", dirs[i].arch ? arch : "",
			 dirs[i].rest);
		if (exists_in(dir, name))
			return true;
	}
	return false;
}

static bool header_exists(const char *name, bool quoted)
{
	struct utsname u;
	char dir[PATH_MAX];

	if (name[0] == '/')
		return is_file(name);
	if (quoted && is_file(name))
		return true;
	if (is_compiler_header(name))
		return true;
	if (uname(&u) == 0) {
		if (in_kernel_headers(&u, name))
			return true;
		snprintf(dir, sizeof(dir), "/usr/include/%s-linux-gnu", u.machine);
		if (exists_in(dir, name))
			return true;
	}
	return exists_in("/usr/local/include", name) || exists_in("/usr/include", name);
}

/* The span of `delimited` ("<x.h>" or "\"x.h\"") on the directive's first line, else the whole line. */
static struct et_loc name_loc(struct sema *s, const struct ast_node *n, const char *delimited)
{
	struct et_loc loc = n->loc;
	size_t len;
	const char *line = source_line(diag_sources(s->diag), n->loc.file, n->loc.line, &len);
	char *copy, *at;

	if (!line)
		return loc;
	copy = strndup(line, len);
	at = copy ? strstr(copy, delimited) : NULL;
	if (at) {
		loc.col = (uint32_t)(at - copy) + 1;
		loc.end_line = loc.line;
		loc.end_col = loc.col + (uint32_t)strlen(delimited) - 1;
	}
	free(copy);
	return loc;
}

bool sema_is_include(const char *text)
{
	const char *p = text + 1; /* after '#' */

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "include", 7) != 0)
		return false;
	p += 7;
	return *p == ' ' || *p == '\t' || *p == '<' || *p == '"' || *p == 0;
}

void sema_check_include(struct sema *s, const struct ast_node *n)
{
	const char *p = strstr(n->u.raw.text, "include") + 7, *end;
	char close, name[PATH_MAX], delimited[PATH_MAX + 2];
	size_t len;

	while (*p == ' ' || *p == '\t' || *p == '\\' || *p == '\n' || *p == '\r')
		p++;
	close = *p == '<' ? '>' : *p == '"' ? '"' : 0;
	end = close ? strchr(p + 1, close) : NULL;
	if (!end) {
		sema_error(s, n->loc, "#include expects \"FILE\" or <FILE>");
		sema_hint(s, "write the header's name in angle brackets or quotes, e.g. #include <linux/sched.h>");
		return;
	}
	len = (size_t)(end - p - 1);
	if (len == 0 || len >= sizeof(name)) {
		sema_error(s, n->loc, "#include names no header");
		sema_hint(s, "write the header's name in angle brackets or quotes, e.g. #include <linux/sched.h>");
		return;
	}
	memcpy(name, p + 1, len);
	name[len] = 0;
	if (header_exists(name, close == '"'))
		return;
	snprintf(delimited, sizeof(delimited), "%c%s%c", *p, name, close);
	sema_error(s, name_loc(s, n, delimited), "header '%s' not found", name);
	sema_hint(s, "etrace takes kernel types from BTF, so the #include can usually go; else install the "
		     "header (looked up%s in the kernel's headers, /usr/local/include and /usr/include)",
		  close == '"' ? " in the working directory, then" : "");
}
