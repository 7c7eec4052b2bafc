/* sema: the pass driver. See sema.h for the contract.
 *
 * How it works. sema_analyze() runs in four steps:
 *   1. top-level items: config (max_strlen, max_map_keys), map declarations, and every probe's attach
 *      points resolved to providers, checked against the kernel and expanded into prog->probes;
 *   2. a quiet pass over every probe body: it reports nothing and registers no events; it only learns
 *      each map's key and value types, so that a probe may read a map that a later probe assigns;
 *   3. the real pass: same walk, with the map types seeded from step 2 (both passes meet the uses in
 *      the same order, so the "first use" that fixes a type is the same one); errors are reported
 *      here, events registered, the AST annotated;
 *   4. prog->maps from the map table, prog_name/raw sections for the concrete probes.
 * Scratch variables never cross probes, so they need no seeding. */
#include "sema/sema.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "support/arena.h"
#include "support/diag.h"
#include "sema/sema_int.h"

/* ---- diagnostics ---- */

void sema_error(struct sema *s, struct et_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (s->quiet)
		return;
	va_start(ap, fmt);
	diag_vadd(s->diag, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void sema_warning(struct sema *s, struct et_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (s->quiet)
		return;
	va_start(ap, fmt);
	diag_vadd(s->diag, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void sema_hint(struct sema *s, const char *fmt, ...)
{
	va_list ap;

	if (s->quiet)
		return;
	va_start(ap, fmt);
	diag_vhint(s->diag, fmt, ap);
	va_end(ap);
}

/* Edit distance with adjacent transpositions (optimal string alignment), case-insensitive, for short
 * names (longer ones are cut at 63 bytes): "pdi" is one edit from "pid". */
unsigned sema_edit_distance(const char *a, const char *b)
{
	unsigned d[64][64];
	size_t la = strlen(a), lb = strlen(b);

	if (la > 63)
		la = 63;
	if (lb > 63)
		lb = 63;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			unsigned best = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *sema_closest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned best_d = 0;
	size_t len = strlen(name);
	/* allow about one typo per three characters, at least one and at most three */
	unsigned limit = len < 3 ? 1 : (len / 3 > 3 ? 3 : (unsigned)(len / 3));

	if (limit < 2 && len >= 4)
		limit = 2;
	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (!cands[i])
			continue;
		d = sema_edit_distance(name, cands[i]);
		if (d <= limit && (!best || d < best_d)) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

/* ---- step 1: probes ---- */

static void probe_unknown_provider(struct sema *s, const struct ast_attach *ap)
{
	const char *cands[128];
	size_t n = 0, count;
	const struct et_provider *const *all = provider_all(&count);
	const char *best;

	for (size_t i = 0; i < count && n < 120; i++) {
		cands[n++] = all[i]->name;
		for (const char *const *a = all[i]->aliases; a && *a && n < 120; a++)
			cands[n++] = *a;
	}
	sema_error(s, ap->loc, "unknown probe type '%s'", ap->parts[0]);
	best = sema_closest(ap->parts[0], cands, n);
	if (best)
		sema_hint(s, "did you mean '%s'?", best);
	else
		sema_hint(s, "probe types are tracepoint, rawtracepoint, kprobe, uprobe, usdt, interval, "
			     "profile, software, hardware, BEGIN and END");
}

/* `$N` in an attach point (uprobe:$1:f, interval:s:$1, tracepoint:syscalls:$1): replaced by its text ("" when
 * not given) before the point is split, as bpftrace does; a `$` inside quotes stays. false after an error. */
static bool probe_positional(struct sema *s, struct ast_attach *ap)
{
	const char *bad = NULL, *text;
	struct et_loc at = ap->loc;

	if (!strchr(ap->text, '$'))
		return true;
	text = attach_substitute(s->arena, ap->text, s->opts->positional, s->opts->npositional, &bad);
	if (text) {
		struct et_loc loc = ap->loc;

		attach_split(s->arena, text, strlen(text), ap);
		ap->loc = loc;
		return true;
	}
	/* point at the '$' when the attach point is written on one line as it is */
	if (at.line == at.end_line && at.end_col - at.col + 1 == strlen(ap->text)) {
		at.col += (uint32_t)(bad - ap->text);
		at.end_col = at.col + (bad[1] ? 1 : 0);
	}
	sema_error(s, at, "a '$' in an attach point must start a positional parameter ($1, $2, ...)");
	sema_hint(s, "to mean the '$' itself, quote that part of the attach point, e.g. uprobe:\"/bin/a$b\":f");
	return false;
}

/* An iter probe is the whole script, as in bpftrace: the run is one read of its iterator, so no other
 * probe (not even begin/end or a second iterator) would ever fire, and one attach point per probe. */
static void check_iter_alone(struct sema *s, struct ast_node *program)
{
	const struct ast_node *iter = NULL, *other = NULL;

	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		const struct ast_node *n = program->u.program.items.items[i];

		if (n->kind != AST_PROBE)
			continue;
		for (uint32_t j = 0; j < n->u.probe.nattach; j++) {
			const struct ast_attach *ap = &n->u.probe.attach[j];
			const struct et_provider *pv = ap->nparts ? provider_find(ap->parts[0]) : NULL;

			if (pv && (pv->flags & PROVIDER_ITER) && n->u.probe.nattach > 1) {
				sema_error(s, ap->loc, "iter probe only supports one attach point");
				sema_hint(s, "write each iterator in a script of its own");
				return;
			}
			if (pv && (pv->flags & PROVIDER_ITER) && !iter)
				iter = n;
			else if (!other)
				other = n;
		}
	}
	if (iter && other) {
		const struct ast_node *later = iter->loc.line > other->loc.line ||
						       (iter->loc.line == other->loc.line && iter->loc.col > other->loc.col)
						   ? iter
						   : other;

		sema_error(s, later->u.probe.attach[0].loc, "iter probe can't be mixed with any other probe");
		sema_hint(s, "an iter probe runs once over the kernel's objects and ends the run: give it a "
			     "script of its own");
	}
}

static void probe_expand(struct sema *s, struct ast_node *pn, struct sema_probe_ctx *pc,
			 struct provider_expand_ctx *ex)
{
	struct sema_probe *info = pc->info;

	info->first = ex->nprobes;
	pc->flags = ~0u;
	for (uint32_t i = 0; i < pn->u.probe.nattach; i++) {
		const struct ast_attach *ap = &pn->u.probe.attach[i];
		const struct et_provider *pv;
		const char *why = NULL, *instead = NULL;
		uint32_t before = ex->nprobes;
		unsigned errs = diag_error_count(s->diag), mark = diag_count(s->diag);
		bool seen = false;
		int rc;

		if (!probe_positional(s, (struct ast_attach *)ap))
			continue;
		if (ap->nparts == 0 || !ap->parts[0]) {
			sema_error(s, ap->loc, "empty attach point");
			continue;
		}
		pv = provider_find(ap->parts[0]);
		if (!pv) {
			probe_unknown_provider(s, ap);
			continue;
		}
		pc->flags &= pv->flags;
		if (pv->flags & PROVIDER_HAS_USER)
			pc->any_user = true;
		for (uint32_t k = 0; k < pc->nproviders; k++)
			seen = seen || pc->providers[k] == pv;
		if (!seen && pc->nproviders < sizeof(pc->providers) / sizeof(pc->providers[0]))
			pc->providers[pc->nproviders++] = pv;
		if (!s->opts->listing && !s->opts->compile_only && pv->supported &&
		    pv->supported(&why, &instead) != 0) {
			sema_error(s, ap->loc, "%s: this kernel cannot run %s probes: %s", ap->text, pv->name,
				   why ? why : "not supported");
			const char *better = pv->suggest ? pv->suggest(ap, s->arena) : NULL;
			if (better)
				sema_hint(s, "%s", better);
			else if (instead)
				sema_hint(s, "%s", instead);
			sema_missing_end(s, mark, true);
			continue;
		}
		rc = pv->expand(ap, ex);
		if (rc < 0) {
			if (diag_error_count(s->diag) == errs)
				sema_error(s, ap->loc, "%s: cannot expand the attach point: %s", ap->text,
					   strerror(-rc));
			sema_missing_end(s, mark, rc == -ENOENT);
			continue;
		}
		if (ex->nprobes == before && !s->opts->listing) {
			sema_error(s, ap->loc, "%s: no probes match this attach point", ap->text);
			sema_missing_end(s, mark, true);
		}
	}
	if (pc->nproviders == 0)
		pc->flags = 0;
	info->count = ex->nprobes - info->first;
}

/* ---- top-level items other than probes ---- */

static void map_decl_item(struct sema *s, struct ast_node *n)
{
	struct sema_map *m = sema_map_get(s, n->u.map_decl.name, n->loc);

	if (m->declared) {
		sema_error(s, n->loc, "map %s is declared twice", m->name);
		return;
	}
	m->declared = true;
	m->first_loc = n->loc;
	m->decl_loc = n->loc;
	/* bpftrace's kinds: hash and lruhash hold plain values, the per-CPU ones aggregations (checked
	 * once the value type is known, in finish_maps) */
	const char *kind = n->u.map_decl.map_kind;
	if (strcmp(kind, "hash") != 0 && strcmp(kind, "lruhash") != 0 && strcmp(kind, "percpuhash") != 0 &&
	    strcmp(kind, "percpulruhash") != 0) {
		sema_error(s, n->loc, "invalid BPF map type '%s'", kind);
		sema_hint(s, "declare the map as hash(N), lruhash(N), percpuhash(N) or percpulruhash(N)");
		return;
	}
	m->declared_lru = strstr(kind, "lru") != NULL;
	m->declared_percpu = strncmp(kind, "percpu", 6) == 0;
	if (n->u.map_decl.size == 0 || n->u.map_decl.size > (1u << 24)) {
		sema_error(s, n->loc, "map size must be between 1 and %u", 1u << 24);
		return;
	}
	m->declared_size = n->u.map_decl.size;
}

static void unsupported_item(struct sema *s, struct ast_node *n, const char *what)
{
	sema_error(s, n->loc, "%s are not supported by etrace yet", what);
}

/* ---- step 2/3: bodies ---- */

static void check_unused(struct sema *s, struct sema_scope *sc)
{
	for (struct sema_scope_var *v = sc->vars; v; v = v->next)
		if (!v->used && v->assigned && v->name[1] != '_' && !sema_is_none(v->var->type))
			sema_warning(s, v->var->loc, "variable %s is assigned but never used", v->name);
}

static void probe_body(struct sema *s, struct ast_node *pn, struct sema_probe_ctx *pc)
{
	struct sema_scope top = {0};

	pc->top = pc->scope = &top;
	pc->loop_depth = 0;
	pc->unroll_copies = 0;
	pc->prev_vars = pc->vars;
	pc->nprev_vars = pc->info->nvars;
	pc->vars = NULL;
	pc->nvars_cap = 0;
	pc->info->nvars = 0;
	s->probe = pc;
	diag_set_unique(s->diag, pc->split); /* the copies of one block say its errors once */
	if (pn->u.probe.predicate) {
		struct et_type *t = sema_expr(s, pn->u.probe.predicate);

		if (!sema_is_none(t) && !sema_is_intlike(t)) {
			sema_error(s, pn->u.probe.predicate->loc, "Invalid type for predicate: %s",
				   sema_tname(s, t));
			sema_hint(s, "a predicate must be an integer or a comparison, e.g. /pid == 123/");
		}
	}
	if (pn->u.probe.body)
		sema_block(s, pn->u.probe.body, false);
	check_unused(s, &top);
	diag_set_unique(s->diag, false);
	pn->type = s->t_void;
	s->probe = NULL;
}

static void analyse_bodies(struct sema *s, struct ast_node *program, struct sema_probe_ctx *pcs)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		struct ast_node *n = program->u.program.items.items[i];

		if (n->kind == AST_PROBE)
			probe_body(s, n, &pcs[k++]);
	}
}

/* ---- step 4: the program tables ---- */

/* --metrics label names for a map's key expressions (et_map_desc.key_names): a builtin's or a field's
 * name (comm, pid, args.filename: filename), NULL for anything else and when the key type was fixed
 * without a key list (has_key, delete); the runtime checks the names against Prometheus' rules. */
static const char **key_names(struct arena *a, const struct ast_list *keys)
{
	const char **names;

	if (!keys || keys->count == 0)
		return NULL;
	names = arena_alloc(a, keys->count * sizeof(*names));
	for (uint32_t i = 0; i < keys->count; i++) {
		const struct ast_node *k = keys->items[i];

		names[i] = k->kind == AST_IDENT ? arena_strdup(a, k->u.name)
			   : k->kind == AST_FIELD ? arena_strdup(a, k->u.field.name) : NULL;
	}
	return names;
}

static void finish_maps(struct sema *s)
{
	struct et_program *p = s->prog;

	p->nmaps = s->nmaps;
	p->maps = s->nmaps ? arena_alloc(p->arena, s->nmaps * sizeof(*p->maps)) : NULL;
	for (uint32_t i = 0; i < s->nmaps; i++) {
		struct sema_map *m = &s->maps[i];
		struct et_map_desc *d = &p->maps[i];

		d->name = arena_strdup(p->arena, m->name);
		d->elf_name = arena_printf(p->arena, "AT_%s", m->name + 1);
		if (!m->value) {
			if (m->declared)
				sema_warning(s, m->first_loc, "map %s is declared but never used", m->name);
			m->value = s->t_i64;
		}
		d->key = m->key_state == 2 ? type_copy(p->arena, m->key) : NULL;
		d->value_loc = m->value_loc;
		d->key_names = d->key ? key_names(p->arena, m->key_exprs) : NULL;
		d->nkey_names = d->key_names ? m->key_exprs->count : 0;
		d->value = type_copy(p->arena, m->value);
		d->percpu = type_is_aggregation(m->value);
		d->lru = m->declared_lru;
		if (m->declared && d->percpu != m->declared_percpu) {
			sema_error(s, m->decl_loc, "map %s is declared %s but holds %s", m->name,
				   m->declared_percpu ? (m->declared_lru ? "percpulruhash" : "percpuhash")
						      : (m->declared_lru ? "lruhash" : "hash"),
				   d->percpu ? "an aggregation (count(), sum()...): those need a per-CPU map"
					     : "plain values: per-CPU maps hold aggregations (count(), sum()...)");
			sema_hint(s, "declare it as %s(N)", d->percpu ? (m->declared_lru ? "percpulruhash" : "percpuhash")
								     : (m->declared_lru ? "lruhash" : "hash"));
		}
		/* a tseries() map holds an element per (key, bucket), keyless or not (bpftrace's multi-key maps) */
		d->max_entries = m->key_state == 2 || d->value->kind == ET_AGG_TSERIES
					 ? (m->declared_size ? (uint32_t)m->declared_size : s->max_map_keys)
					 : 1;
		d->loc = m->first_loc;
	}
	p->lost_map_name = "et_lost";
	p->ringbuf_name = p->nevents ? "et_ringbuf" : NULL;
}

/* A tracepoint some block attaches through perf (it reads args): same category and event. */
static bool perf_attached(const struct et_program *p, const bool *perf, const struct et_probe_desc *d)
{
	for (uint32_t i = 0; i < p->nprobes; i++)
		if (perf[i] && strcmp(p->probes[i].target, d->target) == 0 && strcmp(p->probes[i].func, d->func) == 0)
			return true;
	return false;
}

/* Do concrete probes a and b (indexes within the AST probe) read every args field the body uses at
 * the same place? (The types are the same: sema_args_fields refuses others.) */
static bool same_field_places(const struct sema_field_use *u, uint32_t a, uint32_t b)
{
	for (; u; u = u->next) {
		const struct et_field *x = u->field->per_probe[a], *y = u->field->per_probe[b];

		if (x->offset != y->offset || x->bit_offset != y->bit_offset || x->bit_size != y->bit_size)
			return false;
	}
	return true;
}

/* info->args_class, from the fields read (pc->field_uses). */
static void args_classes(struct sema *s, struct sema_probe_ctx *pc)
{
	struct sema_probe *info = pc->info;
	uint32_t *cls;
	bool any = false;

	info->args_class = NULL;
	if (!pc->field_uses || info->count < 2)
		return;
	cls = arena_alloc(s->prog->arena, info->count * sizeof(*cls));
	for (uint32_t i = 0; i < info->count; i++) {
		uint32_t j = 0;

		while (j < i && (cls[j] != j || !same_field_places(pc->field_uses, j, i)))
			j++;
		cls[i] = j;
		any |= j != 0;
	}
	if (any)
		info->args_class = cls;
}

static void finish_probes(struct sema *s, struct sema_probe_ctx *pcs, uint32_t nprobe_nodes)
{
	struct et_program *p = s->prog;
	bool *perf = arena_alloc(p->arena, (p->nprobes + 1) * sizeof(*perf)), any_perf = false;
	/* the section of each probe's raw form (provider->raw_section), NULL when it has none */
	const char **raw = arena_alloc(p->arena, (p->nprobes + 1) * sizeof(*raw));

	/* a block that reads no args attaches as a raw tracepoint (cheaper), unless another block on the
	 * same tracepoint reads them: the kernel runs a tracepoint's raw programs and its perf programs
	 * at two places of its probe list, in whichever order they were first registered (by anyone on
	 * the machine), while blocks of one kind run in attach order, that is script order */
	for (uint32_t k = 0; k < nprobe_nodes; k++) {
		struct sema_probe *info = pcs[k].info;

		args_classes(s, &pcs[k]);
		for (uint32_t i = info->first; i < info->first + info->count; i++) {
			struct et_probe_desc *d = &p->probes[i];

			if (d->provider->raw_section && d->target && d->func) {
				raw[i] = d->provider->raw_section(d, p->arena);
				perf[i] = info->uses_args || !raw[i];
				any_perf |= perf[i];
			}
		}
	}
	for (uint32_t i = 0; i < p->nprobes; i++) {
		struct et_probe_desc *d = &p->probes[i];

		if (!raw[i] || perf[i] || (any_perf && perf_attached(p, perf, d)))
			continue;
		d->raw = true;
		d->section = raw[i];
	}
	for (uint32_t i = 0; i < p->nprobes; i++) {
		struct et_probe_desc *d = &p->probes[i];
		const char *base = d->func && *d->func ? d->func : d->provider ? d->provider->name : "probe";
		char suffix[16], name[64];
		size_t room;

		/* the kernel keeps 15 characters of a program name: keep the index inside them */
		snprintf(suffix, sizeof(suffix), "_%u", i);
		room = 15 - strlen(suffix);
		snprintf(name, sizeof(name), "%s%.*s%s", isdigit((unsigned char)base[0]) ? "p" : "",
			 (int)(isdigit((unsigned char)base[0]) ? room - 1 : room), base, suffix);
		for (char *c = name; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '_')
				*c = '_';
		d->prog_name = arena_strdup(p->arena, name);
	}
}

int sema_analyze(struct ast_node *program, const struct sema_options *opts, struct arena *arena,
		 struct strtab *strtab, struct diag_sink *diag, struct et_program *prog)
{
	struct sema s = {0};
	struct provider_expand_ctx ex = {0};
	struct sema_probe_ctx *pcs;
	uint32_t nprobe_nodes = 0, k = 0;
	unsigned errs_before = diag_error_count(diag);

	s.opts = opts;
	s.arena = arena;
	s.strtab = strtab;
	s.diag = diag;
	s.prog = prog;
	s.max_strlen = opts->max_strlen ? opts->max_strlen : 64;
	s.max_map_keys = opts->max_map_keys ? opts->max_map_keys : 4096;
	s.stack_mode = opts->stack_mode;
	s.max_probes = opts->max_probes;
	memcpy(s.unstable, opts->unstable, sizeof(s.unstable));
	s.unstable[SEMA_UNSTABLE_TYPEINFO] = SEMA_UNSTABLE_ERROR; /* bpftrace's defaults, unless the environment set them */
	s.unstable[SEMA_UNSTABLE_IMPORT_STATEMENT] = SEMA_UNSTABLE_ERROR;
	for (int f = SEMA_UNSTABLE_TYPEINFO; f < SEMA_UNSTABLE_COUNT_; f++)
		if (opts->config_from_env & (1u << sema_unstable_cfg_bit((enum sema_unstable_feature)f)))
			s.unstable[f] = opts->unstable[f];
	prog->missing_probes = (enum et_missing_probes)opts->missing_probes;
	prog->no_exit_print = opts->no_exit_print;
	prog->no_demangle = opts->no_demangle;
	prog->license = opts->license;
	prog->str_trunc_trailer = arena_strdup(prog->arena, opts->str_trunc_trailer ? opts->str_trunc_trailer : "..");
	ex.unsafe = opts->unsafe;
	ex.target_pid = opts->pid > 0 ? opts->pid : 0;
	ex.target_cmd = opts->cmd;
	prog->ringbuf_pages = opts->perf_rb_pages;
	prog->max_cat_bytes = opts->max_cat_bytes ? opts->max_cat_bytes : 10240;
	s.t_void = type_new(arena, ET_VOID, 0);
	s.t_none = type_new(arena, ET_NONE, 0);
	s.t_i64 = type_int(arena, 8, true);
	s.t_u64 = type_int(arena, 8, false);
	s.t_bool = type_new(arena, ET_BOOL, 1);
	if (!program || program->kind != AST_PROGRAM)
		return -EINVAL;

	/* step 1 */
	for (uint32_t i = 0; i < program->u.program.items.count; i++)
		if (program->u.program.items.items[i]->kind == AST_PROBE)
			nprobe_nodes++;
	pcs = arena_alloc(arena, (nprobe_nodes ? nprobe_nodes : 1) * sizeof(*pcs));
	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		struct ast_node *n = program->u.program.items.items[i];

		if (n->kind == AST_CONFIG)
			sema_config_item(&s, n);
	}
	ex.arena = prog->arena;
	ex.diag = diag;
	ex.listing = opts->listing;
	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		struct ast_node *n = program->u.program.items.items[i];

		n->type = s.t_void;
		switch (n->kind) {
		case AST_PROBE:
			pcs[k].node = n;
			pcs[k].info = arena_alloc(arena, sizeof(*pcs[k].info));
			n->sym = pcs[k].info;
			probe_expand(&s, n, &pcs[k], &ex);
			k++;
			break;
		case AST_MAP_DECL: map_decl_item(&s, n); break;
		case AST_CONFIG: break;
		case AST_MACRO: /* expanded before sema (macros.h); kept by callers that skip that */
			s.macros = arena_grow(arena, s.macros, s.nmacros, s.nmacros + 1, sizeof(*s.macros));
			s.macros[s.nmacros++] = n->u.macro.name;
			break;
		case AST_IMPORT: unsupported_item(&s, n, "imports"); break;
		case AST_PREPROC: break; /* run by the preprocessor (src/preproc) before parsing */
		case AST_C_DEF: sema_cdef_item(&s, n); break;
		default: sema_error(&s, n->loc, "unexpected %s at the top level", ast_kind_name(n->kind)); break;
		}
	}
	prog->probes = ex.probes;
	prog->nprobes = ex.nprobes;
	if (!opts->listing)
		check_iter_alone(&s, program);
	sema_config_check_probes(&s, program->loc);
	sema_split_args(&s, program, &pcs, &nprobe_nodes);
	if (nprobe_nodes == 0 && !opts->listing)
		sema_error(&s, program->loc, "the program has no probes");

	/* step 2: learn map types quietly; a second round lets maps whose only assignment reads the map
	 * itself (@n = @n + 1, as bpftrace accepts) be typed as integers, after every other map is known */
	s.quiet = true;
	analyse_bodies(&s, program, pcs);
	s.provisional_reads = true;
	analyse_bodies(&s, program, pcs);
	s.provisional_reads = false;
	s.quiet = false;
	for (uint32_t i = 0; i < s.nmaps; i++) {
		s.maps[i].assigned = false;
		s.maps[i].read = false;
	}
	for (uint32_t i = 0; i < nprobe_nodes; i++) {
		if (pcs[i].args_failed) { /* load again so that the real pass reports why */
			pcs[i].args_type = NULL;
			pcs[i].args_types = NULL;
			pcs[i].args_failed = false;
			pcs[i].args_mixed = false;
		}
		pcs[i].info->uses_args = false;
		pcs[i].field_uses = NULL;
	}

	/* step 3 */
	analyse_bodies(&s, program, pcs);
	sema_named_check(&s);
	sema_store_warnings(&s);

	/* step 4 */
	finish_maps(&s);
	finish_probes(&s, pcs, nprobe_nodes);
	program->type = s.t_void;
	return diag_error_count(diag) > errs_before ? -EINVAL : 0;
}
