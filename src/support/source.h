/* source: the script texts of one run (a file, -e text, stdin, an interactive line, an import).
 * Takes: a display name and the text; gives: a file id (>= 1) used in struct et_loc, and line lookup.
 * Owns: copies of name and text, freed by source_set_free().
 * Failure: source_load_file() returns 0 and sets errno. */
#ifndef ET_SOURCE_H
#define ET_SOURCE_H
#include <stddef.h>
#include <stdint.h>

struct source_set;

struct source_set *source_set_new(void);
void source_set_free(struct source_set *s); /* NULL-safe */

uint32_t source_add(struct source_set *s, const char *name, const char *text, size_t len);
uint32_t source_load_file(struct source_set *s, const char *path); /* "-" reads stdin */

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
