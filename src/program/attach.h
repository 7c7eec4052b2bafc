/* attach: one attach point as the user wrote it (`tracepoint:raw_syscalls:sys_enter`, `uprobe:"/a b":f`,
 * `BEGIN`), split into its parts. The parser makes them (ast.h's probe nodes hold them); the providers
 * (probes/) expand them into probes, and `-l` listing makes its own from a search pattern. It lives below
 * both so that the providers need nothing from the front end.
 * attach_split() is the one splitter (the lexer's and sema's); attach_substitute() replaces the
 * positional parameters `$N` written outside quotes by their text, as bpftrace does before it splits.
 * Memory: the strings live in the compilation's arena. */
#ifndef ET_ATTACH_H
#define ET_ATTACH_H
#include <stdint.h>

#include "support/loc.h"

struct arena;

struct ast_attach {
	struct et_loc loc;
	const char *text;     /* raw text as written (quotes kept) */
	uint32_t nparts;      /* split at ':' outside quotes, quotes removed */
	const char **parts;   /* parts[0] is the provider word as written (`t`, `tracepoint`, `BEGIN`) */
};

/* Split text[0..n) at ':' outside double quotes into at->parts (quotes removed; a backslash escape
 * inside quotes is kept as written, so a quoted ':' or '"' does not split); sets text and nparts too.
 * at->loc is left as it is. Cannot fail (the arena aborts when memory runs out). */
void attach_split(struct arena *a, const char *text, size_t n, struct ast_attach *at);

/* Replace every `$N` outside quotes in text by params[N-1] ("" when N > nparams; the replacement is
 * not scanned again). Returns the new text in the arena, or text itself when it has no `$`; NULL when a
 * `$` outside quotes is not followed by a positional number (`$0`, `$x`, a trailing `$`): *bad then
 * points at the '$'. */
const char *attach_substitute(struct arena *a, const char *text, const char *const *params, uint32_t nparams,
			      const char **bad);

#endif
