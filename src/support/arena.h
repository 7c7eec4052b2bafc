/* arena: one bump allocator per compilation.
 * Takes: sizes; gives: zeroed, 16-byte aligned memory that lives until arena_free().
 * Owns: every block it handed out; never free a single allocation.
 * Failure: allocation failure aborts with a message (a compiler that cannot allocate cannot report). */
#ifndef ET_ARENA_H
#define ET_ARENA_H
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);                 /* NULL-safe */
void *arena_alloc(struct arena *a, size_t size);  /* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Grow a vector stored in the arena: returns a block of new_cap*elem bytes holding the old contents. */
void *arena_grow(struct arena *a, void *old, size_t old_cap, size_t new_cap, size_t elem);

#endif
