/* pp_int: the preprocessor's internal pieces (contract of the whole in preproc.h).
 * pp_lex.c    pp-tokens from text (C's, plus bpftrace's $var and @map as single tokens)
 * pp_macro.c  the macro table (definitions with the range of positions they apply to) and expansion
 * pp_expr.c   #if expressions
 * pp.c        directives, conditionals, #include and its search path, pp_file()
 * Tokens, macros and hide sets live in the compilation's arena. */
#ifndef ET_PP_INT_H
#define ET_PP_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "preproc/preproc.h"
#include "support/loc.h"

enum pp_kind { PP_IDENT, PP_NUMBER, PP_STRING, PP_CHAR, PP_PUNCT, PP_OTHER, PP_EOL };

/* The names a token may no longer expand to (C's hide set, Prosser's algorithm). */
struct pp_hideset {
	const char *name; /* interned */
	struct pp_hideset *next;
};

struct pp_tok {
	enum pp_kind kind;
	const char *s; /* its spelling (not NUL-terminated); points into a file's text or the arena */
	uint32_t len;
	bool space;    /* white space before it */
	bool noexpand; /* an identifier that met its own name while expanding: never expanded again */
	struct pp_hideset *hs;
	struct et_loc loc;
	struct pp_tok *next;
};

/* A pp-token scanner over one text (a directive line, a macro's arguments in the script). */
struct pp_lexer {
	const char *text;
	size_t len, off;
	uint32_t file, line; /* for locations: line of text[line_off] */
	size_t line_off;
	bool stop_at_newline; /* a directive line ends at a newline outside comments */
	bool stop_at_directive; /* the script's text: a line starting with '#' ends the input */
	bool bol;               /* at the start of a line (only white space so far) */
};

/* The next token, or one of kind PP_EOL at the end (of the line or the text). */
void pp_lex_next(struct pp_lexer *lx, struct pp_tok *t);

struct pp_macro {
	const char *name; /* interned */
	bool fn, variadic;
	uint32_t nparams;
	const char **params; /* interned; "__VA_ARGS__" last when variadic without a name */
	struct pp_tok *body;
	uint64_t from, to; /* the positions it applies to, [from, to) */
	struct et_loc loc;
	struct pp_macro *older; /* the previous definition of the same name */
};

#define PP_POS_END UINT64_MAX

/* open hash by interned name pointer: the newest definition of each name */
struct pp_table {
	struct pp_macro **slots;
	uint32_t cap, count;
};

struct pp_state {
	struct arena *arena;
	struct strtab *strtab;
	struct source_set *sources;
	struct diag_sink *diag;
	struct pp_table macros;
	struct pp_table enums; /* enumerators of the headers' enums (bpftrace takes them from clang) */
	uint32_t user_count;   /* macros and enumerators not predefined */
	bool quiet;            /* no diagnostics (evaluating a header's enumerator) */
	int64_t budget;        /* tokens one expansion may still produce (macros that double at each level) */
	int arg_depth;         /* macro calls nested in arguments being expanded (the expander recurses) */
	uint64_t pos; /* the position directives take effect at (the script's current directive) */
	const char *s_defined, *s_va_args, *s_has_include;
};

/* positions: a script's sequence number and an offset in it */
static inline uint64_t pp_pos(uint32_t seq, size_t off)
{
	return ((uint64_t)seq << 32) | (uint64_t)off;
}

const char *pp_intern(struct pp_state *st, const char *s, size_t n);
struct pp_tok *pp_tok_copy(struct pp_state *st, const struct pp_tok *t);

/* the tables (pp_macro.c): a definition applies from st->pos on */
struct pp_macro *pp_table_find(const struct pp_table *t, const char *name, uint64_t pos);
void pp_table_define(struct pp_state *st, struct pp_table *t, struct pp_macro *m, bool user);
void pp_table_undef(struct pp_state *st, struct pp_table *t, const char *name);
#define pp_macro_find(st, name, pos) pp_table_find(&(st)->macros, (name), (pos))

/* An enumerator's value as a token list (arena), or NULL when name is none as of pos. */
struct pp_tok *pp_enum_value(struct pp_state *st, const char *name, uint64_t pos, struct et_loc loc);

/* Expand every macro in list (a directive's tokens: #if, #include), as of st->pos. New list. */
struct pp_tok *pp_expand_list(struct pp_state *st, struct pp_tok *list);
/* Expand starting from the identifier `first`, reading more tokens from lx only for arguments
 * (see pp_expand in preproc.h). Returns the expansion (may be empty), or sets *none when first names no
 * macro expandable here. */
struct pp_tok *pp_expand_from(struct pp_state *st, struct pp_tok *first, struct pp_lexer *lx, uint64_t pos,
			      bool *none);

/* #if: evaluate the expression in list (already macro-expanded); errors located at its tokens, `at` when
 * empty. Returns the value (0 after an error, with *ok false). */
int64_t pp_eval(struct pp_state *st, struct pp_tok *list, struct et_loc at, bool *ok);

#endif
