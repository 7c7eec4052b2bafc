/* uprobe: helpers the user-space providers share (uprobe.c, usdt.c): finding the probed file and
 * matching function symbols. Internal to probes/. Failure: as in providers.h (errors reported to
 * ctx->diag at the attach point, -EINVAL returned). */
#ifndef ET_UPROBE_H
#define ET_UPROBE_H
#include <stdbool.h>
#include <stddef.h>

#include "probes/providers.h"

struct elf_sym;

/* Resolve what the user wrote (path, library name, program in PATH) to an absolute path in path. */
int uprobe_resolve(struct provider_expand_ctx *ctx, const struct ast_attach *ap, const char *pname,
		   const char *target, char *path, size_t len);

/* Does a glob match the symbol's name, its demangled form, or the demangled form without "(...)"? */
bool uprobe_sym_matches(const char *pattern, const struct elf_sym *s);

#endif
