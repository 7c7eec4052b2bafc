/* parse_tool: the front end's test driver.
 * Usage: parse_tool FILE   (FILE "-" reads stdin)
 * Parses FILE, prints the diagnostics with diag_render to stderr and the canonical dump (ast_dump) of
 * the tree to stdout. Exit status: 0 when there were no errors, 1 on errors, 2 on usage/IO failure.
 * The dump is printed only when there were no errors (a partial tree is not canonical). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parser/ast.h"
#include "parser/parse.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	int status = 2;
	struct source_set *sources = source_set_new();
	struct arena *arena = arena_new();
	struct strtab *strtab = strtab_new(arena);
	struct diag_sink *diag = diag_new(sources);
	uint32_t file = source_load_file(sources, argv[1]);
	if (!file) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		goto cleanup;
	}
	struct parse_ctx ctx = { arena, strtab, diag, sources };
	struct ast_node *program = parse_program(&ctx, file);
	diag_render(diag, stderr);
	if (!program || diag_has_errors(diag)) {
		status = 1;
		goto cleanup;
	}
	ast_dump(program, stdout);
	status = 0;
cleanup:
	diag_free(diag);
	strtab_free(strtab);
	arena_free(arena);
	source_set_free(sources);
	return status;
}
