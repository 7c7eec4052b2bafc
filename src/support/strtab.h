/* strtab: string interning. Equal names get the same pointer, so passes compare names with ==.
 * Takes: bytes (any, may contain NUL when a length is given); gives: a NUL-terminated, interned copy.
 * Owns: the copies live in the arena given at creation; the table itself is freed with strtab_free().
 * Failure: allocation failure aborts (see arena.h). */
#ifndef ET_STRTAB_H
#define ET_STRTAB_H
#include <stddef.h>

struct arena;
struct strtab;

struct strtab *strtab_new(struct arena *a);
void strtab_free(struct strtab *t); /* NULL-safe; the strings stay in the arena */
const char *strtab_intern(struct strtab *t, const char *s, size_t len);
const char *strtab_cstr(struct strtab *t, const char *s);

#endif
