/* lexer: etrace script text → tokens for the bison parser (src/parser/parser.y).
 * A reentrant flex scanner (bison-bridge, bison-locations). It knows where a probe header may start
 * (top level) and returns a whole attach point there as one ATTACH token, already split into parts
 * (struct ast_attach); inside blocks it returns expression tokens. It tells IDENT from TYPE_NAME with
 * the type-name table (src/parser/typenames.h), keeps `#include`/`#define` lines and C definitions
 * verbatim (PREPROC, C_DEF; the names they define join the table), decodes strings and integers and
 * decides where an angle block `< … >` closes (see lexer.l). With a preprocessor (lx->pp), an identifier
 * in an expression that names a macro is replaced by its expansion (src/preproc/preproc.h).
 * Takes: a struct lexer filled by the parser (context, file, text); gives tokens with struct et_loc
 * spans (the parser turns bison's YYLTYPE back into et_loc). Strings and names live in ctx->arena /
 * ctx->strtab. Lexical errors (unterminated string, bad escape, bad integer, stray character, too deep
 * nesting) go to ctx->diag; the scanner then returns the best token it can so parsing goes on.
 * Build: `flex -o lexer.c lexer.l`; lexer.c includes the bison header "parser.h", which must be
 * generated beside it (`bison -d -o parser.c parser.y`); both need `-I src`. */
#ifndef ET_LEXER_H
#define ET_LEXER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "support/loc.h"
#include "parser/parse.h"

struct typenames;
struct preproc;

/* What ends the body the scanner is in (it then returns to the top level). */
enum lex_body {
	LEX_BODY_BRACE, /* the `}` that brings the brace depth back to 0: probe, config, macro */
	LEX_BODY_SEMI,  /* a `;` at brace depth 0: import, let @m = ... */
	LEX_BODY_ANGLE, /* a `>` where a statement may start, at the block's top level */
	LEX_BODY_PRED,  /* the `/` followed by `{` or `<`: a predicate */
};

/* Brackets nested deeper than this are an error. A little above PARSE_MAX_DEPTH (the AST depth limit),
 * so every tree that passes the depth check dumps to text the scanner accepts again. */
#define LEX_MAX_OPEN (PARSE_MAX_DEPTH + 8)

/* An open bracket the scanner has not seen closed yet. */
struct lex_open {
	char ch; /* '{' '(' '[' or '<' (an angle block) */
	struct et_loc loc;
};

struct lexer {
	/* set by the parser before scanning */
	struct parse_ctx *ctx;
	uint32_t file;
	const char *text; /* the whole file; token offsets index it */
	size_t len;
	struct typenames *types;
	struct preproc *pp; /* expands macros where an identifier is an expression; NULL: none */
	uint32_t pp_seq;    /* the file's number for pp_expand() */

	/* position of the next character (1-based line and column) and its byte offset */
	uint32_t line, col;
	size_t off;
	/* the token scanned last */
	struct et_loc tok;
	size_t tok_off, tok_len;
	struct et_loc last_end; /* span of the last token that was not white space */
	struct et_loc prev_end; /* span of the token before that */
	struct {
		int kind;      /* bison token kind; 0 for none */
		size_t off, len;
	} recent[4];                /* the last tokens returned, oldest first; recent[3] is the newest */
	struct et_loc last_attach;  /* the attach point scanned last */
	struct et_loc first_attach; /* the first attach point of the probe header being scanned */
	size_t first_attach_off;

	/* block tracking */
	enum lex_body body;
	uint32_t braces;      /* brace depth inside the current body */
	uint32_t parens;      /* ( and [ depth inside the current body */
	bool stmt_start;      /* angle body: a statement may start here, so `>` closes the block */
	bool have_top_gt;     /* angle body: a `>` at its top level since the last `;` */
	struct et_loc top_gt;
	struct lex_open open[LEX_MAX_OPEN];
	uint32_t nopen;
	bool close_matched; /* the last closing bracket closed the innermost opener */
	bool fatal; /* an error after which the scanner returns end of input (nesting too deep) */

	/* the parser's last syntax error (one report per location) */
	bool err_any;
	uint32_t lex_err_line; /* line of the last lexical error (0: none) */
	bool unterminated;     /* an unterminated string was reported */
	struct et_loc err_last;

	/* a macro's expansion being scanned (its own flex buffer): every token gets the span of the macro's
	 * use in the script; the script's buffer waits in main_buf */
	bool in_expansion;
	void *main_buf;
	struct et_loc exp_loc;
	size_t exp_off, exp_len;

	/* C definition being collected */
	size_t cdef_off;
	struct et_loc cdef_loc;
	int cdef_depth;
	bool cdef_typedef;
};

/* Create the flex scanner for lx (lx->text, lx->len, ctx, file, types set; the rest zeroed).
 * Returns 0 or -ENOMEM; *scanner is freed with lexer_close(). */
int lexer_open(struct lexer *lx, void **scanner);
void lexer_close(void *scanner); /* NULL-safe */

/* The token kind name used in "unexpected …" messages for an opener character. */
const char *lexer_opener_name(char ch);

#endif
