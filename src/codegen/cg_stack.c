/* cg_stack: the errors for a probe that needs more memory than BPF gives it: more than the 512-byte
 * BPF stack (cg_stack_limit_error), or more than the per-CPU scratch area (cg_scratch_limit_error, which
 * names the probe's large variables).
 *
 * Why after the fact. Strings, tuples and every other value over CG_STACK_MAX bytes already live in the
 * per-CPU scratch map, and codegen's own small temporaries have a fixed budget (cg_buf), so what
 * overflows the stack is what LLVM decides: the small values (scalar variables above all) that the code
 * keeps alive at the same time, in registers that are spilled to the stack around every helper call.
 * That depends on liveness and register allocation, which only LLVM's BPF backend knows; it reports
 * "Looks like the BPF stack limit is exceeded" for a function once it has lowered it. This module turns
 * that into an error at the probe, naming the small variables of the probe and their sizes (the values
 * that can take the stack), with what to do about it.
 * Takes: the diag sink, the program AST, the program description and the LLVM function's name.
 * Reports one error (with a hint) to diag; owns nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/diag.h"
#include "codegen/cg_lower.h"
#include "codegen/cg_stack.h"

struct stack_vars {
	const struct sema_var **vars; /* by sema_var id, NULL when not seen */
	uint32_t nvars;
	bool big;                     /* collect the variables over CG_STACK_MAX bytes, not the small ones */
};

static bool collect_var(struct ast_node *n, void *ctx)
{
	struct stack_vars *sv = ctx;
	const struct sema_var *v = n->kind == AST_VAR ? n->sym : NULL;
	if (v && v->id < sv->nvars && v->type && (v->type->size > CG_STACK_MAX) == sv->big)
		sv->vars[v->id] = v;
	return true;
}

static int by_size_then_name(const void *a, const void *b)
{
	const struct sema_var *x = *(const struct sema_var *const *)a, *y = *(const struct sema_var *const *)b;
	if (x->type->size != y->type->size)
		return x->type->size > y->type->size ? -1 : 1;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	return x->loc.col < y->loc.col ? -1 : x->loc.col > y->loc.col;
}

/* The probe's variables of the wanted kind (sv->big), largest first; their count, and bytes in *bytes. */
static uint32_t probe_vars(struct ast_node *pn, const struct sema_probe *sp, struct stack_vars *sv, uint32_t *bytes)
{
	uint32_t n = 0;
	sv->vars = calloc(sp->nvars ? sp->nvars : 1, sizeof(*sv->vars));
	sv->nvars = sp->nvars;
	if (!sv->vars)
		abort();
	ast_walk(pn, collect_var, NULL, sv);
	*bytes = 0;
	for (uint32_t i = 0; i < sv->nvars; i++)
		if (sv->vars[i]) {
			sv->vars[n++] = sv->vars[i];
			*bytes += (sv->vars[i]->type->size + 7) & ~7u;
		}
	qsort(sv->vars, n, sizeof(*sv->vars), by_size_then_name);
	return n;
}

/* "$a (8 B), $b (8 B) ... and N more" of the first vars, into list. */
static void var_list(char *list, size_t size, const struct sema_var *const *vars, uint32_t n)
{
	size_t len = 0;
	uint32_t shown = 0;
	list[0] = 0;
	for (; shown < n && shown < 6 && len < size - 64; shown++)
		len += (size_t)snprintf(list + len, size - len, "%s%s (%u B)", shown ? ", " : "", vars[shown]->name,
					vars[shown]->type->size);
	if (shown < n)
		snprintf(list + len, size - len, " and %u more", n - shown);
}

/* The AST probe whose program (or shared body, "<prog_name>_body") is the LLVM function fn. */
static struct ast_node *probe_of_function(struct ast_node *program, const struct et_program *prog,
					 const char *fn, size_t fnlen, uint32_t *index)
{
	for (uint32_t i = 0; i < prog->nprobes; i++) {
		size_t n = strlen(prog->probes[i].prog_name);
		if (strncmp(fn, prog->probes[i].prog_name, n) != 0 ||
		    !(fnlen == n || (fnlen == n + 5 && strncmp(fn + n, "_body", 5) == 0)))
			continue;
		for (uint32_t k = 0; k < program->u.program.items.count; k++) {
			struct ast_node *pn = program->u.program.items.items[k];
			const struct sema_probe *sp = pn->kind == AST_PROBE ? pn->sym : NULL;
			if (sp && i >= sp->first && i < sp->first + sp->count) {
				*index = i;
				return pn;
			}
		}
	}
	return NULL;
}

void cg_stack_limit_error(struct diag_sink *diag, struct ast_node *program, const struct et_program *prog,
			  const char *fn, size_t fnlen, struct et_loc fallback)
{
	uint32_t index = 0;
	struct ast_node *pn = fn ? probe_of_function(program, prog, fn, fnlen, &index) : NULL;
	const struct sema_probe *sp = pn ? pn->sym : NULL;
	if (!pn || !sp) {
		diag_error(diag, fallback, "a probe needs more than the 512 bytes of BPF stack");
		diag_hint(diag, "keep fewer variables alive at once: split the probe, or keep values in a map");
		return;
	}
	struct stack_vars sv = {.big = false};
	uint32_t bytes, n = probe_vars(pn, sp, &sv, &bytes);
	const char *name = prog->probes[index].name;
	struct et_loc at = prog->probes[index].loc.line ? prog->probes[index].loc : pn->loc;
	if (n == 0) {
		diag_error(diag, at, "the program of %s needs more than the 512 bytes of BPF stack", name);
		diag_hint(diag, "its expressions keep too many values alive at once: split the probe");
		free(sv.vars);
		return;
	}
	char list[512];
	var_list(list, sizeof(list), sv.vars, n);
	diag_error(diag, at,
		   "the program of %s needs more than the 512 bytes of BPF stack: its %u variables (%u bytes), kept "
		   "alive at once, are spilled to the stack around helper calls: %s",
		   name, n, bytes, list);
	diag_hint(diag, "use fewer variables in this probe (reuse one, or keep values in a map such as @tmp[tid]), "
			"or split it into several probes");
	free(sv.vars);
}

void cg_scratch_limit_error(struct diag_sink *diag, struct ast_node *pn, const struct et_program *prog,
			    uint32_t need, uint32_t max)
{
	const struct sema_probe *sp = pn->sym;
	const struct et_probe_desc *p = sp && sp->count ? &prog->probes[sp->first] : NULL;
	struct et_loc at = p && p->loc.line ? p->loc : pn->loc;
	struct stack_vars sv = {.big = true};
	uint32_t bytes = 0, n = sp ? probe_vars(pn, sp, &sv, &bytes) : 0;
	char list[512] = "";
	if (n) {
		size_t len = (size_t)snprintf(list, sizeof(list), "; its variables take %u of them: ", bytes);
		var_list(list + len, sizeof(list) - len, sv.vars, n);
	}
	diag_error(diag, at,
		   "the program of %s needs %u bytes of scratch space for its strings, tuples, map keys and other "
		   "values, more than the %u bytes of its per-CPU scratch area%s",
		   p ? p->name : "this probe", need, max, list);
	diag_hint(diag, "lower max_strlen in config = { max_strlen = N }, or use fewer strings and tuples in this probe");
	free(sv.vars);
}
