/* attach: one attach point as the user wrote it (`tracepoint:raw_syscalls:sys_enter`, `uprobe:"/a b":f`,
 * `BEGIN`), split into its parts. The parser makes them (ast.h's probe nodes hold them); the providers
 * (probes/) expand them into probes, and `-l` listing makes its own from a search pattern. It lives below
 * both so that the providers need nothing from the front end.
 * Memory: the strings live in the compilation's arena. */
#ifndef ET_ATTACH_H
#define ET_ATTACH_H
#include <stdint.h>

#include "support/loc.h"

struct ast_attach {
	struct et_loc loc;
	const char *text;     /* raw text as written (quotes kept) */
	uint32_t nparts;      /* split at ':' outside quotes, quotes removed */
	const char **parts;   /* parts[0] is the provider word as written (`t`, `tracepoint`, `BEGIN`) */
};

#endif
