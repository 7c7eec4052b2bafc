/* preproc: the C preprocessor of etrace scripts (bpftrace runs clang's; etrace has its own, see pp.c).
 *
 * Two halves, both driven by the front end:
 * - pp_file() runs the directives of a script before it is scanned: #define, #undef, #if/#ifdef/#ifndef/
 *   #elif/#else/#endif, #include "file" / <header> / #include_next, #error, #warning, #pragma once, #line.
 *   It gives the text the scanner reads: the script itself when it has no directive line (nothing is
 *   copied: scripts without '#' lines pay one memchr), else a copy of the same length in which the lines
 *   of groups left out by a conditional are blanked (newlines kept, so every offset, line and column is
 *   the script's own). Directive lines stay; the scanner keeps those at the top level as items and skips
 *   the rest. An included file gives only its macros: its C declarations are not read (kernel types
 *   come from BTF).
 * - pp_expand() expands a macro where the scanner meets an identifier in an expression (as bpftrace
 *   expands identifiers; member names after '.'/'->', attach points and type names are left alone).
 *   Object-like and function-like macros, '#', '##', __VA_ARGS__, rescanning with C's hide sets. A macro
 *   applies from its #define to its #undef, so an identifier is looked up "as of" its position.
 *
 * Macros persist across the files of one compilation (the interactive session compiles its blocks as
 * several files). Predefined: BPFTRACE_HAVE_BTF (etrace always has BTF), _LINUX_TYPES_H (as bpftrace,
 * so <linux/types.h> adds nothing), the compiler and target macros headers test (__linux__, __x86_64__,
 * __GNUC__, __SIZEOF_LONG__, __BYTE_ORDER__...).
 *
 * Takes: the compilation's arena, strtab, sources (included files are added to it, so a diagnostic can
 * point into them) and diagnostic sink; options (borrowed for the preprocessor's life).
 * Owns: nothing outside the arena: everything lives until the arena is freed.
 * Failure: errors go to the sink, located in the file and line of the directive (or of the macro use in
 * the script); pp_file() returns the text to scan all the same. Allocation failure aborts. */
#ifndef ET_PREPROC_H
#define ET_PREPROC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "support/loc.h"

struct arena;
struct strtab;
struct source_set;
struct diag_sink;

struct pp_options {
	const char *const *include_dirs; /* -I DIR, searched in order before the system's directories */
	uint32_t ninclude_dirs;
	const char *const *include_files; /* --include FILE: as #include "FILE" before the first script */
	uint32_t ninclude_files;
};

struct preproc;

struct preproc *pp_new(struct arena *a, struct strtab *strtab, struct source_set *sources, struct diag_sink *diag,
		       const struct pp_options *opts);

/* Run the directives of script `file` (text, len: its text). Returns the text to scan (see above) and sets
 * *seq, the number the scanner passes back to pp_expand() for positions in this file. */
const char *pp_file(struct preproc *pp, uint32_t file, const char *text, size_t len, uint32_t *seq);

/* Whether any macro a script can use exists (the predefined ones aside): the scanner asks before looking
 * an identifier up, so a script without #define pays nothing. */
bool pp_has_macros(const struct preproc *pp);

/* Expand the identifier text[off, off + n) of the script numbered seq, if it names a macro there. A
 * function-like macro takes its arguments from the text after it (any number of lines, not past a
 * directive line). Returns false when there is nothing to expand (not a macro, a function-like macro
 * without '('); else true with the expansion's text in *out (arena; may be empty), and *end the offset
 * after the last character of the text it used (the identifier, or the ')' of its arguments). Errors
 * (an unterminated argument list, a wrong argument count) go to the sink at `loc`, the identifier's
 * span, and the identifier then expands to nothing. */
bool pp_expand(struct preproc *pp, uint32_t seq, const char *text, size_t len, size_t off, size_t n,
	       struct et_loc loc, const char **out, size_t *end);

#endif
