/* parse_tool: the front end's test driver.
 * Usage: parse_tool [-p|-w] FILE   (FILE "-" reads stdin)
 * Parses FILE, prints the diagnostics with diag_render to stderr and the canonical dump (ast_dump) of
 * the tree to stdout. With -p it prints, instead of the dump, each probe's attach points one per line
 * as `TEXT => [part] [part] ...` (the split sema reads). With -w it prints the order in which ast_walk
 * visits the nodes: one line per node, indented by depth, "kind line:col" (pre) and a closing "/kind"
 * line (post) for nodes with children. Exit status: 0 when there were no errors, 1 on errors, 2 on usage/IO failure.
 * The dump is printed only when there were no errors (a partial tree is not canonical). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "parser/ast.h"
#include "parser/parse.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "support/strtab.h"

static void print_parts(const struct ast_node *program)
{
	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		const struct ast_node *p = program->u.program.items.items[i];
		if (p->kind != AST_PROBE)
			continue;
		for (uint32_t j = 0; j < p->u.probe.nattach; j++) {
			const struct ast_attach *at = &p->u.probe.attach[j];
			printf("%s =>", at->text);
			for (uint32_t k = 0; k < at->nparts; k++)
				printf(" [%s]", at->parts[k]);
			printf("\n");
		}
	}
}

struct walk_state {
	int depth;
};

static bool has_children_flag;

static void note_child(struct ast_node *child, void *ctx)
{
	(void)child;
	(void)ctx;
	has_children_flag = true;
}

static bool has_children(struct ast_node *n)
{
	has_children_flag = false;
	ast_children(n, note_child, NULL);
	return has_children_flag;
}

static bool walk_pre(struct ast_node *n, void *ctx)
{
	struct walk_state *w = ctx;
	printf("%*s%s %u:%u\n", 2 * w->depth, "", ast_kind_name(n->kind), n->loc.line, n->loc.col);
	w->depth++;
	return true;
}

static void walk_post(struct ast_node *n, void *ctx)
{
	struct walk_state *w = ctx;
	w->depth--;
	if (has_children(n))
		printf("%*s/%s\n", 2 * w->depth, "", ast_kind_name(n->kind));
}

int main(int argc, char **argv)
{
	bool parts = argc == 3 && strcmp(argv[1], "-p") == 0;
	bool walk = argc == 3 && strcmp(argv[1], "-w") == 0;
	if (argc != 2 && !parts && !walk) {
		fprintf(stderr, "usage: %s [-p|-w] FILE\n", argv[0]);
		return 2;
	}
	const char *path = argv[argc - 1];
	int status = 2;
	struct source_set *sources = source_set_new();
	struct arena *arena = arena_new();
	struct strtab *strtab = strtab_new(arena);
	struct diag_sink *diag = diag_new(sources);
	uint32_t file = source_load_file(sources, path);
	if (!file) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		goto cleanup;
	}
	struct parse_ctx ctx = { .arena = arena, .strtab = strtab, .diag = diag, .sources = sources };
	struct ast_node *program = parse_program(&ctx, file);
	diag_render(diag, stderr);
	if (!program || diag_has_errors(diag)) {
		status = 1;
		goto cleanup;
	}
	if (parts) {
		print_parts(program);
	} else if (walk) {
		struct walk_state w = { 0 };
		ast_walk(program, walk_pre, walk_post, &w);
	}
	else
		ast_dump(program, stdout);
	status = 0;
cleanup:
	diag_free(diag);
	strtab_free(strtab);
	arena_free(arena);
	source_set_free(sources);
	return status;
}
