/* cg_builtins: the emit functions of the builtins, one per row of sema/builtins.def (its EMIT column),
 * declared here from that list. Internal to codegen.
 * An emit function lowers node n (AST_IDENT or AST_CALL; its sema_call c, never NULL, and n->type are
 * sema's) at the builder's position and returns its value as cg_lower.h describes; a problem is
 * reported with cg_error and gives a scalar 0. Defined by theme: cg_builtins.c (the table, process and
 * time values, maps, actions), cg_builtins_ctx.c (the probe's arguments and registers),
 * cg_builtins_str.c (strings, buffers, addresses), cg_builtins_sym.c (stacks, symbols, pointers).
 * A row naming an emit function that is not defined fails the link. */
#ifndef ET_CG_BUILTINS_H
#define ET_CG_BUILTINS_H
#include "codegen/cg_lower.h"

typedef struct cg_val cg_builtin_emit(struct cg_lower *L, struct ast_node *n, const struct sema_call *c);

#define X(id, name, kind, min, max, check, emit) cg_builtin_emit emit;
#include "sema/builtins.def"
#undef X

/* The frames of the stack of type t (ET_KSTACK/ET_USTACK: its depth and user flag) the probe sees now:
 * what bpf_get_stack writes, / 8, at most the depth; 0 when it fails. An i64 (cg_builtins_sym.c). */
LLVMValueRef cg_stack_frames(struct cg_lower *L, const struct et_type *t);

#endif
