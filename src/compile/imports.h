/* imports: bpftrace's `import "PATH";` at the top of a script, resolved after parsing and before the
 * macros and sema see the program. PATH is relative to the directory of the script that imports it (the
 * working directory for -e and standard input), or absolute. A `.bt` file's items (probes, macros, map
 * declarations, C definitions; its own imports, resolved the same way) take the place of the import
 * statement; a `.h` file is read the same way and may hold only C type definitions and preprocessor
 * lines; a directory imports its `.bt` and `.h` files (not its subdirectories), in name order. Each file
 * is imported once, however often it is named. Refused, located at the import: a path that does not
 * exist, a file or directory in a world-writable directory (or world-writable itself), a `config` block
 * in an imported script, a `.bpf.c` (bpftrace compiles it with clang; etrace has no C compiler) or
 * `.bpf.o` file, any other kind of file named explicitly.
 * Takes: the parse context of the compilation (arena, diag, preprocessor) and its sources (imported
 * files are added, so diagnostics point into them). Gives: program's items rewritten in place.
 * Failure: errors go to the sink; returns -EINVAL when any was reported, else 0. */
#ifndef ET_IMPORTS_H
#define ET_IMPORTS_H
#include <stdint.h>

struct parse_ctx;
struct source_set;
struct ast_node;

int imports_resolve(struct parse_ctx *pctx, struct source_set *sources, struct ast_node *program);

#endif
