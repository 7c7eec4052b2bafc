/* builtins_proc: the checks of bpftrace's stdlib builtins about the process and the probe that are not
 * plain kernel values: username (the uid, printed as a name) and probetype (a string literal known at
 * compile time). */
#include <string.h>

#include "probes/provider.h"
#include "support/arena.h"
#include "sema/sema_int.h"
#include "sema/builtins_int.h"

/* username: uid, typed so that print/printf/json give the user's name (runtime: getpwuid, "" when the
 * uid has no entry, as bpftrace's /etc/passwd lookup) */
struct et_type *check_username(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	(void)n;
	(void)c;
	return type_new(s->arena, ET_USERNAME, 8);
}

/* bpftrace's probe type names: the provider's canonical name, except its "special" probes */
static const char *probe_type_name(const struct et_provider *p)
{
	static const char *const special[] = {"begin", "end", "self", NULL};

	for (const char *const *sp = special; *sp; sp++)
		if (strcmp(p->name, *sp) == 0)
			return "special";
	if (strcmp(p->name, "asyncwatchpoint") == 0)
		return "watchpoint";
	return p->name;
}

/* probetype: the type of the probe's first attach point, as bpftrace folds it to a string literal */
struct et_type *check_probetype(struct sema *s, struct ast_node *n, struct sema_call *c)
{
	const char *name;

	if (!s->probe) {
		sema_error(s, n->loc, "probetype can only be used inside of a probe");
		return s->t_none;
	}
	name = s->probe->nproviders ? probe_type_name(s->probe->providers[0]) : "none";
	c->expr = ast_new_string(s->arena, n->loc, name, (uint32_t)strlen(name));
	return sema_expr(s, c->expr);
}
