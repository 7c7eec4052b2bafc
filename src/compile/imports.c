/* imports.c: `import "PATH";` (contract in imports.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile/imports.h"
#include "parser/ast.h"
#include "parser/parse.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"

/* Deepest chain of imports (a imports b imports c ...); each file is read once, so this only bounds the
 * recursion */
#define IMPORT_MAX_DEPTH 64

struct import_state {
	struct parse_ctx *pctx;
	struct source_set *sources;
	const char **seen; /* real paths of the files imported so far */
	uint32_t nseen;
	unsigned depth;
};

static void resolve_items(struct import_state *st, struct ast_node *program, bool imported);

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The directory imports of `file` are relative to: the script's own, or "." for -e and stdin. */
static const char *base_dir(struct import_state *st, uint32_t file)
{
	const char *name = source_name(st->sources, file);
	const char *slash = name ? strrchr(name, '/') : NULL;
	struct stat sb;

	if (!name || stat(name, &sb) != 0 || !S_ISREG(sb.st_mode))
		return ".";
	if (!slash)
		return ".";
	if (slash == name)
		return "/";
	return arena_strndup(st->pctx->arena, name, (size_t)(slash - name));
}

/* bpftrace's rule: neither the path nor the directory holding it may be writable by anyone */
static bool world_writable(const char *path, const char **which)
{
	struct stat sb;
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (stat(path, &sb) == 0 && (sb.st_mode & S_IWOTH)) {
		*which = path;
		return true;
	}
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (stat(dir, &sb) == 0 && (sb.st_mode & S_IWOTH)) {
		*which = NULL;
		return true;
	}
	return false;
}

static void import_file(struct import_state *st, struct ast_node *imp, const char *path, bool in_dir,
			struct ast_list *out)
{
	const char *shown = strncmp(path, "./", 2) == 0 ? path + 2 : path; /* as written, for -e and stdin */
	struct arena *a = st->pctx->arena;
	struct diag_sink *diag = st->pctx->diag;
	char real[PATH_MAX];
	bool header = ends_with(path, ".h");

	if (ends_with(path, ".bpf.c") || ends_with(path, ".bpf.o")) {
		diag_error(diag, imp->loc, "cannot import '%s': %s", shown,
			   ends_with(path, ".c") ? "a BPF C file needs a C compiler (bpftrace builds it with clang), "
						   "which etrace does not have"
						 : "etrace does not link BPF objects");
		diag_hint(diag, "write the helpers as macros in a .bt file and import that");
		return;
	}
	if (!header && !ends_with(path, ".bt")) {
		if (!in_dir) {
			diag_error(diag, imp->loc, "unknown import type: '%s'", shown);
			diag_hint(diag, "import a bpftrace script (.bt), a C header (.h) or a directory of them");
		}
		return;
	}
	if (!realpath(path, real)) {
		diag_error(diag, imp->loc, "cannot import '%s': %s", shown, strerror(errno));
		return;
	}
	for (uint32_t i = 0; i < st->nseen; i++)
		if (strcmp(st->seen[i], real) == 0)
			return; /* imported already: once is enough (bpftrace) */
	st->seen = arena_grow(a, st->seen, st->nseen, st->nseen + 1, sizeof(*st->seen));
	st->seen[st->nseen++] = arena_strdup(a, real);

	uint32_t file = source_load_file(st->sources, path);
	if (!file) {
		diag_error(diag, imp->loc, "cannot import '%s': %s", shown, strerror(errno));
		return;
	}
	struct ast_node *ast = parse_program(st->pctx, file);
	if (!ast)
		return;
	if (st->depth >= IMPORT_MAX_DEPTH) {
		diag_error(diag, imp->loc, "imports nest deeper than %d files", IMPORT_MAX_DEPTH);
		return;
	}
	st->depth++;
	resolve_items(st, ast, true);
	st->depth--;
	for (uint32_t i = 0; i < ast->u.program.items.count; i++) {
		struct ast_node *n = ast->u.program.items.items[i];

		if (header && n->kind != AST_C_DEF && n->kind != AST_PREPROC) {
			diag_error(diag, n->loc, "an imported header may hold only C type definitions (struct, union, "
						 "enum, typedef) and preprocessor lines");
			continue;
		}
		ast_list_push(a, out, n);
	}
}

static void import_one(struct import_state *st, struct ast_node *imp, struct ast_list *out)
{
	struct arena *a = st->pctx->arena;
	struct diag_sink *diag = st->pctx->diag;
	/* relative to the file the import is written in (the interactive session's blocks are several) */
	const char *name = imp->u.import.path, *which = NULL, *dir = base_dir(st, imp->loc.file);
	const char *path = name[0] == '/' ? name : arena_printf(a, "%s/%s", dir, name);
	struct stat sb;

	if (stat(path, &sb) != 0) {
		diag_error(diag, imp->loc, "cannot import '%s': %s", name, strerror(errno));
		diag_hint(diag, "an import is looked up in the importing script's directory: %s", path);
		return;
	}
	if (world_writable(path, &which)) {
		diag_error(diag, imp->loc, "refusing to import from a directory anyone may write: %s",
			   which ? which : path);
		diag_hint(diag, "move the files to a directory only their owner may write (chmod o-w), as bpftrace "
				"requires");
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		import_file(st, imp, path, false, out);
		return;
	}
	struct dirent **ents = NULL;
	int n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		diag_error(diag, imp->loc, "cannot import '%s': %s", name, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *entry = arena_printf(a, "%s/%s", path, ents[i]->d_name);
		struct stat es;

		if (ents[i]->d_name[0] != '.' && stat(entry, &es) == 0 && S_ISREG(es.st_mode)) {
			if (world_writable(entry, &which))
				diag_error(diag, imp->loc, "refusing to import a file anyone may write: %s", entry);
			else
				import_file(st, imp, entry, true, out);
		}
		free(ents[i]);
	}
	free(ents);
}

/* Replace the import items of program by what they import. */
static void resolve_items(struct import_state *st, struct ast_node *program, bool imported)
{
	struct ast_list *items = &program->u.program.items, out = {0};

	for (uint32_t i = 0; i < items->count; i++) {
		struct ast_node *n = items->items[i];

		if (n->kind == AST_IMPORT) {
			import_one(st, n, &out);
		} else if (imported && n->kind == AST_CONFIG) {
			diag_error(st->pctx->diag, n->loc, "an imported script cannot have a config block");
			diag_hint(st->pctx->diag, "set the config variables in the script that imports it");
		} else {
			ast_list_push(st->pctx->arena, &out, n);
		}
	}
	*items = out;
}

int imports_resolve(struct parse_ctx *pctx, struct source_set *sources, struct ast_node *program)
{
	struct import_state st = {.pctx = pctx, .sources = sources};
	unsigned errs = diag_error_count(pctx->diag);
	bool any = false;

	for (uint32_t i = 0; i < program->u.program.items.count && !any; i++)
		any = program->u.program.items.items[i]->kind == AST_IMPORT;
	if (!any) /* most scripts: nothing to do, nothing allocated */
		return 0;
	resolve_items(&st, program, false);
	return diag_error_count(pctx->diag) > errs ? -EINVAL : 0;
}
