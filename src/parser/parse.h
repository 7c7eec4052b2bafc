/* parse: script text → AST (the front end's entry point) and the canonical source printer.
 * Takes: a parse_ctx naming the compilation's arena, strtab, diag sink and sources, and a file id from
 * source_add()/source_load_file(). Gives: an AST_PROGRAM node whose nodes, lists and strings live in
 * ctx->arena (names interned in ctx->strtab).
 * Failure: syntax errors go to ctx->diag, several per run when recovery allows; the result may be a
 * partial tree when errors were reported, so callers check diag_has_errors(). NULL only when nothing
 * usable was parsed (errno = EINVAL), or the file id is unknown (errno = ENOENT). Input that ends too
 * early (an unclosed brace, angle block or comment) also sets ctx->incomplete. */
#ifndef ET_PARSE_H
#define ET_PARSE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct strtab;
struct diag_sink;
struct source_set;
struct ast_node;
struct preproc;

struct parse_ctx {
	struct arena *arena;
	struct strtab *strtab;
	struct diag_sink *diag;
	const struct source_set *sources;
	/* The C preprocessor (src/preproc/preproc.h) run on each file before it is scanned, shared by the
	 * files of one compilation; NULL: none (directive lines are then PREPROC items, macros unexpanded). */
	struct preproc *pp;
	/* Set by the parser (never cleared): the text ended inside an open block, bracket or comment, so
	 * more text could complete it (the interactive session then reads another line). The error saying
	 * so is in diag as usual. */
	bool incomplete;
};

/* Deepest nesting of blocks, parentheses and expressions accepted; deeper input is an error. */
#define PARSE_MAX_DEPTH 256

/* Parse one source file into an AST_PROGRAM node (see the header comment for failure). */
struct ast_node *parse_program(struct parse_ctx *ctx, uint32_t file);

/* Print the AST as canonical etrace source: fully parenthesised expressions, `{ }` blocks, one statement
 * per line, one blank line between top-level items. Parsing that text again gives the same AST, so the
 * same text (round trip). Used by --dump-ast. Nothing is allocated. */
void ast_dump(const struct ast_node *program, FILE *out);

#endif
