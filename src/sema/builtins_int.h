/* builtins_int: what the files of the builtins' checks share (builtins*.c, internal to src/sema).
 * builtins.c holds the table made from builtins.def and the lookup; each builtins_THEME.c holds the
 * checks of one theme; builtins_args.c the argument checks they share. A check's contract is the one of
 * builtin_check below; every error is located and reported through sema_error. */
#ifndef ET_BUILTINS_INT_H
#define ET_BUILTINS_INT_H
#include <stdbool.h>
#include <stdint.h>

#include "sema/sema_int.h"

/* the size of the strings strerror() and signal_name() give (bpftrace's string[64]) */
#define SEMA_NAME_LEN 64
/* the size of the string str_concat() gives (bpftrace's string[1024]) */
#define SEMA_CONCAT_LEN 1024

/* A builtin's check: given the node (AST_IDENT, or AST_CALL whose argument count is in range) and its
 * sema_call (id set; index = N for argN), check the arguments and return the result type (s->t_none after
 * an error). */
typedef struct et_type *builtin_check(struct sema *s, struct ast_node *n, struct sema_call *c);

#define X(id, name, kind, min, max, check, emit) builtin_check check;
#include "sema/builtins.def"
#undef X

const char *bi_lacking_provider(struct sema *s, unsigned flag);
bool bi_need_flag(struct sema *s, struct ast_node *n, unsigned flag, const char *what, const char *where);
bool bi_is_string_lit(const struct ast_node *n);
struct et_type *bi_value_arg(struct sema *s, struct ast_node *call, uint32_t i);
bool bi_int_arg(struct sema *s, struct ast_node *call, uint32_t i, struct et_type **out);
bool bi_is_address(const struct et_type *t);
bool bi_is_string(const struct et_type *t);
bool bi_is_mac_bytes(const struct et_type *t);
bool bi_is_inet_bytes(const struct et_type *t);
struct et_type *bi_kind_arg(struct sema *s, struct ast_node *call, uint32_t i,
				bool (*accept)(const struct et_type *t), const char *what);
bool bi_map_arg(struct sema *s, struct ast_node *call, uint32_t i, const char *usage);
bool bi_const_arg(struct sema *s, struct ast_node *call, uint32_t i, int64_t *v, const char *what);
bool bi_unsafe_check(struct sema *s, struct ast_node *n);
struct et_type *bi_quiet_type(struct sema *s, struct ast_node *n);
/* builtins_sym.c: a kernel symbol's address from /proc/kallsyms (0 / -ENOENT / -errno) */
int bi_kallsyms_addr(const char *name, uint64_t *addr);
bool bi_is_char(const struct et_type *t);

#endif
