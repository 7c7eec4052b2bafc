/* macros: bpftrace's hygienic macros (`macro name($var, expr, @map) { … }`), expanded in the AST before
 * the semantic pass, as bpftrace's MacroExpansion pass does.
 * Takes: the parsed AST_PROGRAM (every file's items), the compilation's arena, strtab and source set, and
 * the diag sink. Gives: the same tree with every macro call (name(args) or a bare name for a macro of no
 * parameters) replaced in place by a block expression, a copy of the macro's body in which
 *   - a `$var` parameter is the caller's variable (the body may change it), an `@map` parameter the
 *     caller's map, an expression parameter a copy of the argument (a variable or map argument wrapped in
 *     a block so the body cannot assign it), and `typeof(T)` stands for the type T in sizeof/typeof;
 *   - every other variable is renamed `$$name_x` (`$$name_DEPTH_x` when nested), so it cannot meet the
 *     caller's, and a map that is no parameter is an error (hygiene);
 *   - spans name an expansion file id (source_add_expansion), so a diagnostic there says which call.
 * Definitions are matched by name, then number and kind of arguments (the first exact one in source
 * order); a user macro hides a builtin of the same name and arity, a call no macro matches exactly
 * stays a builtin call when the name is a builtin. The definitions are removed from the program's items.
 * Failure: returns -EINVAL after reporting every located error (recursion, mismatched arguments,
 * redefinition, hygiene); the tree is then unfit for sema. Memory: everything in the arena. */
#ifndef ET_SEMA_MACROS_H
#define ET_SEMA_MACROS_H

struct arena;
struct strtab;
struct source_set;
struct diag_sink;
struct ast_node;

int macros_expand(struct ast_node *program, struct arena *arena, struct strtab *strtab,
		  struct source_set *sources, struct diag_sink *diag);

#endif
