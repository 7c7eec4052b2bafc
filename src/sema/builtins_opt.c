/* builtins_opt.c: named parameters, getopt("name"[, default[, "description"]]), as today's bpftrace has
 * them. The program's own options come after the script as --name=value or --name (main.c keeps every
 * argument that starts with "--" apart from the positional ones: sema_options.named, without the
 * dashes). The default's literal gives the option's type: none or true/false a boolean, a non-negative
 * integer uint64, a negative one int64, a string a string. etrace knows the values when it compiles,
 * so a getopt() call becomes the literal of its value (sema_call.expr), where bpftrace reads a
 * read-only global. Every use of a name must give the same default (and the same description, when
 * it gives one). Once the bodies are analysed, an option on the command line that no getopt() names is
 * an error, as is `--help`, which lists the options with their descriptions instead. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sema/builtins_int.h"
#include "support/arena.h"

enum opt_kind { OPT_BOOL, OPT_UINT, OPT_INT, OPT_STRING };

struct sema_named {
	const char *name;
	enum opt_kind kind;
	const char *def;        /* the default as text, for messages and comparison */
	const char *desc;       /* NULL when no use gave one */
	struct sema_named *next;
};

static const char *const kind_words[] = {"a boolean (e.g. 'true')", "an integer", "an integer", "a string"};

/* The command line's value of option name: NULL when not given; "" ... for --name=...; *bare for --name. */
static const char *given(const struct sema *s, const char *name, bool *bare)
{
	const char *found = NULL;
	size_t len = strlen(name);

	*bare = false;
	for (uint32_t i = 0; i < s->opts->nnamed; i++) { /* the last one wins */
		const char *a = s->opts->named[i];

		if (strncmp(a, name, len) == 0 && (a[len] == 0 || a[len] == '=')) {
			*bare = a[len] == 0;
			found = *bare ? "" : a + len + 1;
		}
	}
	return found;
}

static bool word_in(const char *v, const char *const *words)
{
	for (; *words; words++)
		if (strcasecmp(v, *words) == 0)
			return true;
	return false;
}

/* The default's kind and text; false (after an error) when it is no literal of the four kinds. */
static bool default_of(struct sema *s, struct ast_node *d, enum opt_kind *kind, const char **text)
{
	if (!d) {
		*kind = OPT_BOOL;
		*text = "false";
	} else if (d->kind == AST_BOOL) {
		*kind = OPT_BOOL;
		*text = d->u.integer.value ? "true" : "false";
	} else if (d->kind == AST_INT) {
		*kind = OPT_UINT;
		*text = arena_printf(s->arena, "%" PRIu64, d->u.integer.value);
	} else if (d->kind == AST_UNARY && d->u.unary.op == AST_OP_NEG && d->u.unary.operand->kind == AST_INT &&
		   d->u.unary.operand->u.integer.value <= (uint64_t)INT64_MAX + 1) {
		*kind = OPT_INT;
		*text = arena_printf(s->arena, "-%" PRIu64, d->u.unary.operand->u.integer.value);
	} else if (d->kind == AST_STRING) {
		*kind = OPT_STRING;
		*text = arena_strndup(s->arena, d->u.string.bytes, d->u.string.len);
	} else {
		sema_error(s, d->loc, "the second argument of getopt() must be a string, integer or boolean literal");
		sema_hint(s, "the default's literal gives the option's type, e.g. getopt(\"count\", 10)");
		return false;
	}
	return true;
}

/* The literal node of value v of an option of this kind; NULL after an error (reported at n). */
static struct ast_node *value_node(struct sema *s, struct ast_node *n, const char *name, enum opt_kind kind,
				   const char *v, bool bare)
{
	static const char *const truthy[] = {"1", "true", "on", "yes", NULL};
	static const char *const falsy[] = {"0", "false", "off", "no", NULL};
	char *end;

	if (bare && kind != OPT_BOOL) {
		sema_error(s, n->loc, "program command line option --%s expects %s (value: true)", name,
			   kind_words[kind]);
		sema_hint(s, "give it a value: -- --%s=VALUE", name);
		return NULL;
	}
	switch (kind) {
	case OPT_BOOL:
		if (bare || word_in(v, truthy))
			return ast_new_bool(s->arena, n->loc, true);
		if (word_in(v, falsy))
			return ast_new_bool(s->arena, n->loc, false);
		break;
	case OPT_UINT: {
		errno = 0;
		uint64_t u = strtoull(v, &end, 0);

		if (*v && !isspace((unsigned char)*v) && *v != '-' && *v != '+' && !*end && !errno)
			return ast_new_int(s->arena, n->loc, u, true);
		break;
	}
	case OPT_INT: {
		errno = 0;
		int64_t i = strtoll(v, &end, 0);

		if (*v && !isspace((unsigned char)*v) && !*end && !errno) /* int64, as the negative default */
			return ast_new_cast(s->arena, n->loc, ast_new_typespec(s->arena, n->loc, "int64"),
					    ast_new_int(s->arena, n->loc, (uint64_t)i, false));
		break;
	}
	case OPT_STRING:
		return ast_new_string(s->arena, n->loc, v, (uint32_t)strlen(v));
	}
	sema_error(s, n->loc, "program command line option --%s expects %s (value: %s)", name,
		   kind == OPT_UINT ? "a non-negative integer" : kind_words[kind], v);
	return NULL;
}

struct et_type *check_getopt(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	struct ast_list *args = &n->u.call.args;
	struct ast_node *name_node = args->items[0], *d = args->count > 1 ? args->items[1] : NULL;
	const char *name, *def, *desc = NULL, *v;
	enum opt_kind kind;
	struct sema_named *o;
	bool bare;

	if (name_node->kind != AST_STRING || name_node->u.string.len == 0 ||
	    memchr(name_node->u.string.bytes, '=', name_node->u.string.len)) {
		sema_error(s, name_node->loc, "the first argument of getopt() must be the option's name, a string "
					      "literal without '='");
		return s->t_none;
	}
	name = arena_strndup(s->arena, name_node->u.string.bytes, name_node->u.string.len);
	if (args->count == 3) {
		if (args->items[2]->kind != AST_STRING) {
			sema_error(s, args->items[2]->loc, "the third argument of getopt() (the option's "
							   "description) must be a string literal");
			return s->t_none;
		}
		desc = arena_strndup(s->arena, args->items[2]->u.string.bytes, args->items[2]->u.string.len);
	}
	if (!default_of(s, d, &kind, &def))
		return s->t_none;
	struct sema_named **tail = &s->named;

	for (o = s->named; o && strcmp(o->name, name) != 0; o = o->next)
		tail = &o->next;
	if (!o) { /* appended: --help lists the options in the order the script names them */
		o = arena_alloc(s->arena, sizeof(*o));
		o->name = name;
		o->kind = kind;
		o->def = def;
		*tail = o;
	} else if (o->kind != kind || strcmp(o->def, def) != 0) {
		sema_error(s, n->loc, "command line option '%s' needs the same default value in all places it is "
				      "used; an earlier getopt() gave %s", name, o->def);
		return s->t_none;
	} else if (desc && o->desc && strcmp(desc, o->desc) != 0) {
		sema_error(s, n->loc, "command line option '%s' must have the same description in all places it "
				      "is used", name);
		sema_hint(s, "give the description once, or wrap the getopt() call in a macro");
		return s->t_none;
	}
	if (desc && !o->desc)
		o->desc = desc;
	v = given(s, name, &bare);
	c->expr = value_node(s, n, name, kind, v ? v : def, v ? bare : false);
	if (!c->expr)
		return s->t_none;
	return sema_expr(s, c->expr);
}

void sema_named_check(struct sema *s)
{
	const char *unknown = NULL, *list = "";
	bool help = false;

	for (const struct sema_named *o = s->named; o; o = o->next)
		list = arena_printf(s->arena, "%s%s--%s%s%s", list, *list ? "\n  " : "  ", o->name,
				    o->desc ? ": " : "", o->desc ? o->desc : "");
	for (uint32_t i = 0; i < s->opts->nnamed; i++) {
		const char *a = s->opts->named[i];
		size_t len = strcspn(a, "=");
		const struct sema_named *o;

		for (o = s->named; o && (strlen(o->name) != len || strncmp(o->name, a, len) != 0); o = o->next)
			;
		if (o)
			continue;
		if (len == 4 && strncmp(a, "help", 4) == 0)
			help = true;
		else
			unknown = arena_printf(s->arena, "%s%s--%.*s", unknown ? unknown : "", unknown ? ", " : "",
					       (int)len, a);
	}
	if (unknown) {
		sema_error(s, (struct et_loc){0}, "unexpected program command line options: %s", unknown);
		if (s->named)
			sema_hint(s, "the program's options (after --) are:\n%s", list);
		else
			sema_hint(s, "the program has no options (no getopt() call names one)");
	} else if (help) {
		sema_error(s, (struct et_loc){0}, "%s", s->named ? arena_printf(s->arena, "the program's options (after "
									  "--) are:\n%s", list)
							  : "the program has no options (no getopt() call names one)");
	}
}
