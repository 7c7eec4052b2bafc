/* typenames: the set of names the lexer reports as TYPE_NAME instead of IDENT.
 * It resolves the cast/parenthesis ambiguity: `(uint32)*p` is a cast, `(x)*y` a multiplication.
 * Takes: interned names added by the lexer when it reads a C definition (struct/union/typedef names);
 * built-in names (int8..uint64, bool, string, char, int, size_t, ...) are always present.
 * Owns: the list of added names is allocated in the arena given at creation; nothing to free.
 * Failure: cannot fail (the arena aborts on exhaustion). */
#ifndef ET_TYPENAMES_H
#define ET_TYPENAMES_H
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct typenames;

struct typenames *typenames_new(struct arena *a);
/* Add a name defined by the script (interned or not; it is copied into the arena). */
void typenames_add(struct typenames *t, const char *name, size_t len);
/* Is the name (len bytes, not necessarily NUL-terminated) a type name? */
bool typenames_has(const struct typenames *t, const char *name, size_t len);
/* Is the name one of the built-in C/etrace type words (no table needed)? */
bool typenames_builtin(const char *name, size_t len);
/* Is the name a builtin value, never a type in bpftrace's cast rule (`(pid)*tid` multiplies, see
 * lexer.l): bpftrace's parser builtins (args, ctx, kstack, nsecs, pid, tid, ustack, argN, sargN,
 * __builtin_*) and etrace's other builtin variables (the BK_VAR rows of sema/builtins.def, a layer up;
 * tests/unit/test_sema.c checks that every one is here). */
bool typenames_value_word(const char *name, size_t len);

#endif
