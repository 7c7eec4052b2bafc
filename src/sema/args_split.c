/* args_split: a probe block whose attach points have `args` records that differ in what the body reads
 * (a field of another type, a field some lack, or `args` used whole over different records) becomes
 * several probe blocks, one per kind of record, each with its own copy of the predicate and body, so
 * that sema types `args` for each on its own: today's bpftrace expands such a probe into one probe per
 * attach point (ast/passes/ap_probe_expansion.cpp) and analyses each copy by itself.
 * Probes whose records agree in what the body reads stay one block (codegen shares one body between
 * them; fields at different places only split the code, sema.c's args_classes). Declared in sema_int.h. */
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"
#include "support/diag.h"
#include "sema/sema_int.h"

/* What a body reads of `args`: the names after `args.`, and whether `args` appears otherwise. */
struct args_uses {
	struct arena *arena;
	const char **names;
	uint32_t nnames;
	bool whole;
	bool any;
};

static bool is_args(const struct ast_node *n)
{
	while (n->kind == AST_UNARY && n->u.unary.op == AST_OP_DEREF) /* (*args).x is args.x */
		n = n->u.unary.operand;
	return n->kind == AST_IDENT && strcmp(n->u.name, "args") == 0;
}

static bool collect_pre(struct ast_node *n, void *ctx)
{
	struct args_uses *u = ctx;

	if (n->kind == AST_FIELD && is_args(n->u.field.base)) {
		for (uint32_t i = 0; i < u->nnames; i++)
			if (strcmp(u->names[i], n->u.field.name) == 0)
				return false;
		u->names = arena_grow(u->arena, u->names, u->nnames, u->nnames + 1, sizeof(*u->names));
		u->names[u->nnames++] = n->u.field.name;
		u->any = true;
		return false;
	}
	if (n->kind == AST_IDENT && strcmp(n->u.name, "args") == 0)
		u->whole = u->any = true; /* print(args), $a = args, sizeof(args)...: the whole record */
	return true;
}

static const struct et_field *find_field(const struct et_type *t, const char *name)
{
	for (uint32_t i = 0; i < t->nfields; i++)
		if (t->fields[i].name && strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

/* Can one analysis of the body serve records a and b? Each field it reads is in both or in neither,
 * of one type (its place may differ); `args` used whole needs equal records. */
static bool same_reads(const struct args_uses *u, const struct et_type *a, const struct et_type *b)
{
	if (u->whole)
		return sema_args_records_equal(a, b);
	for (uint32_t i = 0; i < u->nnames; i++) {
		const struct et_field *x = find_field(a, u->names[i]), *y = find_field(b, u->names[i]);

		if (!x != !y || (x && !type_equal(x->type, y->type)))
			return false;
	}
	return true;
}

/* A new probe block for concrete probes [first, first + count) of pc's, with copies of its predicate
 * and body; its records are recs[0 .. count). */
static struct ast_node *split_off(struct sema *s, const struct ast_node *pn, const struct sema_probe_ctx *pc,
				  struct sema_probe_ctx *out, uint32_t first, uint32_t count, struct et_type **recs)
{
	struct ast_node *c = arena_alloc(s->arena, sizeof(*c));

	*c = *pn;
	c->type = NULL;
	c->u.probe.predicate = ast_clone(s->arena, pn->u.probe.predicate, 0);
	c->u.probe.body = ast_clone(s->arena, pn->u.probe.body, 0);
	memset(out, 0, sizeof(*out));
	out->node = c;
	out->info = arena_alloc(s->arena, sizeof(*out->info));
	out->info->first = first;
	out->info->count = count;
	out->info->copy = true;
	out->flags = pc->flags;
	memcpy(out->providers, pc->providers, sizeof(out->providers));
	out->nproviders = pc->nproviders;
	out->any_user = pc->any_user;
	out->family = pc->family;
	out->split = true;
	c->sym = out->info;
	out->args_types = recs;
	out->args_type = recs[0];
	for (uint32_t i = 1; i < count; i++)
		out->args_mixed |= !sema_args_records_equal(recs[0], recs[i]);
	return c;
}

/* Split pcs[k] (its node is items[k] of the probes): the new blocks go to *out, *nout. */
static void split_probe(struct sema *s, struct sema_probe_ctx *pc, struct sema_probe_ctx **out, uint32_t *nout)
{
	struct ast_node *pn = pc->node;
	struct sema_probe *info = pc->info;
	struct args_uses u = {.arena = s->arena};
	struct et_type **recs, **sorted;
	uint32_t *cls, *reps, nclass = 0, first = info->first, count = info->count;
	struct et_probe_desc *probes = s->prog->probes, *tmp;
	struct sema_args_family *fam;
	bool quiet = s->quiet;

	*out = NULL;
	*nout = 0;
	if (count < 2 || !(pc->flags & PROVIDER_HAS_ARGS))
		return;
	if (pn->u.probe.predicate)
		ast_walk(pn->u.probe.predicate, collect_pre, NULL, &u);
	if (pn->u.probe.body)
		ast_walk(pn->u.probe.body, collect_pre, NULL, &u);
	if (!u.any)
		return;
	recs = arena_alloc(s->arena, count * sizeof(*recs));
	s->quiet = true; /* a record that cannot be read is reported where the body reads args */
	for (uint32_t i = 0; i < count; i++) {
		recs[i] = sema_args_record(s, &probes[first + i], pn->loc);
		if (!recs[i]) {
			s->quiet = quiet;
			return;
		}
	}
	s->quiet = quiet;

	cls = arena_alloc(s->arena, count * sizeof(*cls));
	reps = arena_alloc(s->arena, count * sizeof(*reps));
	for (uint32_t i = 0; i < count; i++) {
		uint32_t c = 0;

		while (c < nclass && !same_reads(&u, recs[reps[c]], recs[i]))
			c++;
		if (c == nclass)
			reps[nclass++] = i;
		cls[i] = c;
	}
	fam = arena_alloc(s->arena, sizeof(*fam));
	fam->first = first;
	fam->count = count;
	fam->records = recs;
	pc->family = fam;
	if (nclass == 1) { /* records loaded once: args_type() takes them */
		pc->args_types = recs;
		pc->args_type = recs[0];
		for (uint32_t i = 1; i < count; i++)
			pc->args_mixed |= !sema_args_records_equal(recs[0], recs[i]);
		return;
	}

	/* order the concrete probes by class, stably (probes on one event are of one class and keep their
	 * order, which is the order their programs run in) */
	tmp = malloc(count * sizeof(*tmp));
	sorted = arena_alloc(s->arena, count * sizeof(*sorted));
	if (!tmp)
		abort();
	uint32_t *start = arena_alloc(s->arena, (nclass + 1) * sizeof(*start)), n = 0;
	for (uint32_t c = 0; c < nclass; c++) {
		start[c] = n;
		for (uint32_t i = 0; i < count; i++) {
			if (cls[i] != c)
				continue;
			tmp[n] = probes[first + i];
			sorted[n++] = recs[i];
		}
	}
	start[nclass] = n;
	memcpy(&probes[first], tmp, count * sizeof(*tmp));
	free(tmp);
	fam->records = sorted;

	*out = arena_alloc(s->arena, (nclass - 1) * sizeof(**out));
	*nout = nclass - 1;
	info->count = start[1];
	pc->split = true;
	pc->args_types = sorted;
	pc->args_type = sorted[0];
	for (uint32_t i = 1; i < info->count; i++)
		pc->args_mixed |= !sema_args_records_equal(sorted[0], sorted[i]);
	for (uint32_t c = 1; c < nclass; c++)
		split_off(s, pn, pc, &(*out)[c - 1], first + start[c], start[c + 1] - start[c], sorted + start[c]);
}

void sema_split_args(struct sema *s, struct ast_node *program, struct sema_probe_ctx **pcs, uint32_t *npcs)
{
	struct sema_probe_ctx *all = *pcs, **extra;
	uint32_t *nextra, total = *npcs, k = 0;
	struct ast_list items = {0};

	if (s->opts->listing || !*npcs)
		return;
	extra = arena_alloc(s->arena, *npcs * sizeof(*extra));
	nextra = arena_alloc(s->arena, *npcs * sizeof(*nextra));
	for (uint32_t i = 0; i < *npcs; i++) {
		split_probe(s, &all[i], &extra[i], &nextra[i]);
		total += nextra[i];
	}
	if (total == *npcs)
		return;

	/* each block's copies follow it, in the program and in pcs */
	*pcs = arena_alloc(s->arena, total * sizeof(**pcs));
	for (uint32_t i = 0, p = 0; i < program->u.program.items.count; i++) {
		struct ast_node *n = program->u.program.items.items[i];

		ast_list_push(s->arena, &items, n);
		if (n->kind != AST_PROBE)
			continue;
		(*pcs)[k++] = all[p];
		for (uint32_t j = 0; j < nextra[p]; j++) {
			ast_list_push(s->arena, &items, extra[p][j].node);
			(*pcs)[k++] = extra[p][j];
		}
		p++;
	}
	program->u.program.items = items;
	*npcs = total;
}
