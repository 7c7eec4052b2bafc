/* uprobe: helpers the user-space providers share (uprobe.c, usdt.c): finding the probed file and
 * matching function symbols. Internal to probes/. Failure: as in providers.h (errors reported to
 * ctx->diag at the attach point, -EINVAL returned). */
#ifndef ET_UPROBE_H
#define ET_UPROBE_H
#include <stdbool.h>
#include <stddef.h>

#include "probes/providers.h"

struct elf_sym;

/* Resolve what the user wrote (path, library name, program in PATH) to an absolute path in path, and
 * *shown to the path probe names print, as bpftrace names them: a path as the user wrote it
 * ("./a.out" stays so), a library or program name as found (arena string). */
int uprobe_resolve(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *pname,
		   const char *target, char *path, size_t len, const char **shown);

/* The binaries a uprobe/usdt target names: one resolved path; each ELF file a wildcard path matches;
 * with -p, "*" (and "" for usdt) the process's mapped objects; with -p of a process in another mount
 * namespace, absolute paths through /proc/PID/root. path[i] is where etrace reads and attaches, shown[i]
 * how probe names print it (as bpftrace). Arrays in the arena; errors reported. */
struct uprobe_bins {
	size_t n, cap;
	const char **path, **shown;
};
int uprobe_targets(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *pname,
		   const char *target, struct uprobe_bins *b);

/* Does a glob match the symbol's name, its demangled form, or the demangled form without "(...)"? */
bool uprobe_sym_matches(const char *pattern, const struct elf_sym *s);

#endif
