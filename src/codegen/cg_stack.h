/* cg_stack: the errors for a probe that needs more memory than BPF gives it. The 512-byte BPF stack is
 * found exceeded only by LLVM's BPF backend, once it has lowered the function (see cg_stack.c for why).
 * cg_stack_limit_error reports it to diag at the probe that LLVM function `fn` (fnlen bytes, not
 * NUL-terminated; NULL when unknown) belongs to, naming the probe's small variables and their sizes;
 * at `fallback` when no probe matches. Owns nothing. */
#ifndef ET_CG_STACK_H
#define ET_CG_STACK_H
#include <stddef.h>

#include "parser/ast.h"
#include "program/program.h"
#include "support/loc.h"

struct diag_sink;

void cg_stack_limit_error(struct diag_sink *diag, struct ast_node *program, const struct et_program *prog,
			  const char *fn, size_t fnlen, struct et_loc fallback);
/* The AST probe pn needs `need` bytes of the per-CPU scratch area, more than `max`: reported at its
 * first attach point, naming its variables over 16 bytes (strings, tuples...) and their sizes. */
void cg_scratch_limit_error(struct diag_sink *diag, struct ast_node *pn, const struct et_program *prog,
			    uint32_t need, uint32_t max);

#endif
