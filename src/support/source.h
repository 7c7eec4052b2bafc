/* source: the script texts of one run (a file, -e text, stdin, an interactive line, an import).
 * Takes: a display name and the text; gives: a file id (>= 1) used in struct et_loc, and line lookup.
 * Owns: copies of name and text, freed by source_set_free().
 * Failure: source_load_file() returns 0 and sets errno. */
#ifndef ET_SOURCE_H
#define ET_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "support/loc.h"

struct source_set;

struct source_set *source_set_new(void);
void source_set_free(struct source_set *s); /* NULL-safe */

uint32_t source_add(struct source_set *s, const char *name, const char *text, size_t len);
uint32_t source_load_file(struct source_set *s, const char *path); /* "-" reads stdin */

/* An expansion of a bpftrace macro called at `call`: a new file id naming the same text as `file` (the
 * file holding the macro's definition; an expansion id stands for its file), so the copied body keeps its
 * own lines and columns while a diagnostic there can also say which call it came from
 * (source_expansion). Every function here treats the id as that file. */
uint32_t source_add_expansion(struct source_set *s, uint32_t file, struct et_loc call, const char *macro);
/* For an expansion id: true, with the call's span and the macro's name (owned by the set); false for a
 * file of its own. */
bool source_expansion(const struct source_set *s, uint32_t file, struct et_loc *call, const char **macro);

const char *source_name(const struct source_set *s, uint32_t file);
const char *source_text(const struct source_set *s, uint32_t file, size_t *len);
/* Line `line` (1-based) without its newline; NULL when out of range. */
const char *source_line(const struct source_set *s, uint32_t file, uint32_t line, size_t *len);
/* The text of `file` in an anonymous in-memory file, named "/dev/fd/N" in path: the name codegen gives
 * the debug info of a script that has no file of its own (-e, stdin, the interactive session), since
 * LLVM reads the lines it quotes in the BTF line info from the file the debug info names, and must not
 * open some unrelated file of that name. Returns the fd (the caller closes it) or -1 with errno set. */
int source_memfd(const struct source_set *s, uint32_t file, char *path, size_t pathlen);

#endif
