/* Unit test of sema's annotation contract (src/sema/sema.h): after a successful analysis (et_compile,
 * stopping after sema) every expression node has a type other than ET_NONE and the node->sym
 * the contract names for its kind, indices point into the program tables, variable ids are dense per
 * probe; plus checks of specific types and tables for a few programs. Needs no root: only BEGIN/END/interval probes (tracepoint
 * cases run when tracefs is readable). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile/compile.h"
#include "parser/ast.h"
#include "parser/typenames.h"
#include "probes/tracepoint.h"
#include "program/program.h"
#include "sema/sema.h"
#include "program/types.h"
#include "support/diag.h"
#include "support/source.h"
#include "tests/unit/check.h"

struct compiled {
	struct source_set *sources;
	struct diag_sink *diag;
	struct et_compilation comp;
	struct arena *arena;     /* comp's, for the tests that make types */
	struct et_program *prog; /* comp's */
	struct ast_node *ast;    /* comp's */
	int rc;                  /* sema's own result (et_compilation.sema_rc); -1 when it did not run */
};

/* Parse and analyse text through et_compile (up to sema); diagnostics are printed when `show` (the program
 * is expected to be valid). */
static void compile_ex(struct compiled *c, const char *text, const struct et_compile_options *opts, bool show)
{
	struct et_compile_options def = {.env = ET_COMPILE_ENV_DEFAULT};
	struct et_compile_options o = opts ? *opts : def;
	uint32_t file;

	memset(c, 0, sizeof(*c));
	c->sources = source_set_new();
	c->diag = diag_new(c->sources);
	file = source_add(c->sources, "test.et", text, strlen(text));
	o.last = ET_PHASE_SEMA;
	et_compile(&o, c->sources, &file, 1, c->diag, &c->comp);
	c->arena = c->comp.arena;
	c->prog = c->comp.prog;
	c->ast = c->comp.ast;
	c->rc = c->comp.reached == ET_PHASE_SEMA ? c->comp.sema_rc : -1;
	if (show && diag_has_errors(c->diag)) {
		fprintf(stderr, "diagnostics for: %s\n", text);
		diag_render(c->diag, stderr);
	}
}

static void compile(struct compiled *c, const char *text, const struct et_compile_options *opts)
{
	compile_ex(c, text, opts, true);
}

static void release(struct compiled *c)
{
	et_compilation_free(&c->comp);
	diag_free(c->diag);
	source_set_free(c->sources);
}

/* ---- the generic contract walk ---- */

struct walk_ctx {
	const struct et_program *prog;
	const struct sema_probe *probe; /* current probe */
	uint8_t *var_seen;              /* ids seen in the current probe */
	int bad;
	unsigned nodes, exprs;
};

static bool is_expr(enum ast_kind k)
{
	switch (k) {
	case AST_INT: case AST_BOOL: case AST_STRING: case AST_IDENT: case AST_POSITIONAL:
	case AST_POSITIONAL_COUNT: case AST_VAR: case AST_MAP: case AST_CALL: case AST_BINARY: case AST_UNARY:
	case AST_INCDEC: case AST_TERNARY: case AST_CAST: case AST_FIELD: case AST_INDEX: case AST_TUPLE_INDEX:
	case AST_TUPLE: case AST_RECORD: case AST_SIZEOF: case AST_BLOCK_EXPR:
		return true;
	default:
		return false;
	}
}

static void bad(struct walk_ctx *w, const struct ast_node *n, const char *what)
{
	fprintf(stderr, "contract: %s node at %u:%u: %s\n", ast_kind_name(n->kind), n->loc.line, n->loc.col, what);
	w->bad++;
}

static void check_var(struct walk_ctx *w, const struct ast_node *n)
{
	const struct sema_var *v = n->sym;

	if (!v || !v->type || v->type->kind == ET_NONE) {
		bad(w, n, "no sema_var or no type");
		return;
	}
	if (!w->probe || v->id >= w->probe->nvars)
		bad(w, n, "variable id out of range");
	else
		w->var_seen[v->id] = 1;
}

static bool pre(struct ast_node *n, void *ctx)
{
	struct walk_ctx *w = ctx;

	w->nodes++;
	w->exprs += is_expr(n->kind);
	if (!n->type)
		bad(w, n, "no type");
	if (is_expr(n->kind) && n->type && n->type->kind == ET_NONE)
		bad(w, n, "type is ET_NONE");
	switch (n->kind) {
	case AST_PROBE: {
		const struct sema_probe *p = n->sym;

		if (!p || p->count == 0 || p->first + p->count > w->prog->nprobes)
			bad(w, n, "sema_probe range");
		w->probe = p;
		free(w->var_seen);
		w->var_seen = calloc(p && p->nvars ? p->nvars : 1, 1);
		break;
	}
	case AST_MAP: {
		const struct sema_map_ref *r = n->sym;

		if (!r || r->map >= w->prog->nmaps)
			bad(w, n, "sema_map_ref");
		else if (strcmp(w->prog->maps[r->map].name, n->u.map.name) != 0)
			bad(w, n, "sema_map_ref names another map");
		break;
	}
	case AST_VAR:
	case AST_LET:
	case AST_FOR_MAP:
	case AST_FOR_RANGE:
		check_var(w, n);
		break;
	case AST_IDENT:
	case AST_CALL: {
		const struct sema_call *c = n->sym;

		if (!c || c->id >= BI_COUNT_)
			bad(w, n, "sema_call");
		else if (c->event >= (int)w->prog->nevents || c->map >= (int)w->prog->nmaps)
			bad(w, n, "sema_call index out of range");
		else if (n->kind == AST_CALL && strcmp(builtin_name(c->id), n->u.call.name) != 0 && c->id != BI_ARGN)
			bad(w, n, "sema_call id does not match the name");
		break;
	}
	case AST_POSITIONAL:
	case AST_POSITIONAL_COUNT:
	case AST_SIZEOF:
	case AST_INDEX:
		if (!n->sym)
			bad(w, n, "no sema_const");
		break;
	case AST_FIELD:
	case AST_TUPLE_INDEX: {
		const struct et_field *f = n->sym;

		if (!f || f->type != n->type)
			bad(w, n, "field annotation does not match the node type");
		break;
	}
	default:
		break;
	}
	return true;
}

static void post(struct ast_node *n, void *ctx)
{
	struct walk_ctx *w = ctx;

	if (n->kind == AST_PROBE && w->probe) {
		for (uint32_t i = 0; i < w->probe->nvars; i++)
			if (!w->var_seen[i])
				fprintf(stderr, "note: variable id %u of a probe is not referenced\n", i);
		w->probe = NULL;
	}
}

static void check_contract(const char *text)
{
	struct compiled c;
	struct walk_ctx w = {0};

	compile(&c, text, NULL);
	CHECK(c.rc == 0);
	if (c.rc == 0) {
		w.prog = c.prog;
		ast_walk(c.ast, pre, post, &w);
		if (w.bad)
			fprintf(stderr, "  in: %s\n", text);
		CHECK(w.bad == 0);
		CHECK(w.nodes >= 4 && w.exprs >= 1); /* the walk really visited the tree */
		for (uint32_t i = 0; i < c.prog->nprobes; i++)
			CHECK(c.prog->probes[i].prog_name && c.prog->probes[i].section);
		for (uint32_t i = 0; i < c.prog->nmaps; i++)
			CHECK(c.prog->maps[i].elf_name && c.prog->maps[i].value);
	}
	free(w.var_seen);
	release(&c);
}

/* ---- specific checks ---- */

static void test_maps_and_events(void)
{
	struct compiled c;
	char buf[128];

	compile(&c,
		"BEGIN { @[comm] = count(); @s[pid, \"x\"] = sum(5); @v = \"a\"; @v = comm; "
		"printf(\"%d %s\\n\", 1, comm); exit(); }\n"
		"END { @l = lhist(3, 0, 100, 10); print(@s, 2); clear(@l); }\n",
		NULL);
	CHECK(c.rc == 0);
	if (c.rc == 0) {
		const struct et_program *p = c.prog;

		CHECK(p->nmaps == 4);
		CHECK(strcmp(p->maps[0].name, "@") == 0 && strcmp(p->maps[0].elf_name, "AT_") == 0);
		type_format(p->maps[0].key, buf, sizeof(buf));
		CHECK(strcmp(buf, "string[16]") == 0);
		CHECK(p->maps[0].value->kind == ET_AGG_COUNT && p->maps[0].percpu);
		CHECK(p->maps[0].max_entries == 4096);
		type_format(p->maps[1].key, buf, sizeof(buf));
		CHECK(strcmp(buf, "(uint64, string[2])") == 0);
		CHECK(p->maps[1].value->kind == ET_AGG_SUM && p->maps[1].value->is_signed);
		/* @v: a string value grows to the largest string stored */
		CHECK(p->maps[2].key == NULL && p->maps[2].max_entries == 1 && !p->maps[2].percpu);
		CHECK(p->maps[2].value->kind == ET_STRING && p->maps[2].value->size == 16);
		CHECK(p->maps[3].value->kind == ET_AGG_LHIST && p->maps[3].value->lh_step == 10 &&
		      p->maps[3].value->size == 8 * lhist_slots(0, 100, 10));
		CHECK(p->nevents == 4);
		CHECK(p->events[0].kind == ET_EV_PRINTF && strcmp(p->events[0].fmt, "%d %s\n") == 0);
		CHECK(p->events[0].args && p->events[0].args->nfields == 2 &&
		      p->events[0].args->fields[0].type->size == 8 && p->events[0].args->fields[1].type->kind == ET_STRING);
		CHECK(p->events[1].kind == ET_EV_EXIT && p->events[1].args->nfields == 1);
		CHECK(p->events[2].kind == ET_EV_PRINT_MAP && p->events[2].map == 1);
		CHECK(p->events[3].kind == ET_EV_CLEAR && p->events[3].map == 3);
		CHECK(p->ringbuf_name && p->lost_map_name);
		CHECK(p->nprobes == 2 && strcmp(p->probes[0].name, "begin") == 0);
		CHECK(strcmp(p->probes[0].prog_name, p->probes[1].prog_name) != 0);
	}
	release(&c);
}

static void test_no_events(void)
{
	struct compiled c;

	compile(&c, "BEGIN { @x = 1; }", NULL);
	CHECK(c.rc == 0 && c.prog->nevents == 0 && c.prog->ringbuf_name == NULL);
	release(&c);
}

static void test_errors_fail(void)
{
	struct compiled c;

	compile_ex(&c, "BEGIN { $x = count(); }", NULL, false);
	CHECK(c.rc == -22 && diag_error_count(c.diag) == 1);
	diag_clear(c.diag);
	release(&c);

	/* several errors in one run */
	compile_ex(&c, "BEGIN { nosuch(); @a = 1; @a = \"s\"; printf(\"%d\"); }", NULL, false);
	CHECK(c.rc != 0 && diag_error_count(c.diag) == 3);
	diag_clear(c.diag);
	release(&c);
}

static void test_positional(void)
{
	const char *args[] = {"42", "hello"};
	struct et_compile_options o = {.env = ET_COMPILE_ENV_DEFAULT, .positional = args, .npositional = 2};
	struct compiled c;

	compile(&c, "BEGIN { @a = $1 + 1; @b = $2; @c = str($1); @d = $#; }", &o);
	CHECK(c.rc == 0);
	if (c.rc == 0) {
		CHECK(c.prog->maps[0].value->kind == ET_INT);
		CHECK(c.prog->maps[1].value->kind == ET_STRING);
		CHECK(c.prog->maps[2].value->kind == ET_STRING && c.prog->maps[2].value->size == 3);
	}
	release(&c);
}

static void test_var_ids(void)
{
	struct compiled c;

	compile(&c, "BEGIN { $a = 1; $b = 2; if ($a) { let $c = 3; print($c); } print($a + $b); }\n"
		    "END { $z = 1; print($z); }",
		NULL);
	CHECK(c.rc == 0);
	if (c.rc == 0) {
		const struct sema_probe *p0 = c.ast->u.program.items.items[0]->sym;
		const struct sema_probe *p1 = c.ast->u.program.items.items[1]->sym;

		CHECK(p0->nvars == 3 && p1->nvars == 1);
		CHECK(!p0->uses_args && p0->count == 1 && p1->first == 1);
	}
	release(&c);
}

static bool find_field(struct ast_node *n, void *ctx)
{
	struct ast_node **out = ctx;

	if (n->kind == AST_FIELD && !*out)
		*out = n;
	return true;
}

static void test_tracepoint_raw(void)
{
	struct compiled c;

	if (access("/sys/kernel/tracing/events/sched/sched_switch/format", R_OK) != 0 &&
	    access("/sys/kernel/debug/tracing/events/sched/sched_switch/format", R_OK) != 0) {
		printf("test_sema: tracepoint checks skipped (no readable tracefs)\n");
		return;
	}
	compile(&c, "tracepoint:sched:sched_switch { @[comm] = count(); }\n"
		    "tracepoint:sched:sched_wakeup { @p[args.pid] = count(); }\n",
		NULL);
	CHECK(c.rc == 0);
	if (c.rc == 0) {
		const struct sema_probe *p0 = c.ast->u.program.items.items[0]->sym;
		const struct sema_probe *p1 = c.ast->u.program.items.items[1]->sym;

		CHECK(!p0->uses_args && p1->uses_args);
		CHECK(c.prog->probes[0].raw && strcmp(c.prog->probes[0].section, "raw_tp/sched_switch") == 0);
		CHECK(!c.prog->probes[1].raw);
		CHECK(c.prog->maps[1].key->kind == ET_INT && c.prog->maps[1].key->size == 8);
	}
	release(&c);

	/* one body, two records: the field's offset per concrete probe comes from sema_field_of */
	compile(&c, "tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat "
		    "{ printf(\"%s\\n\", str(args.filename)); }",
		NULL);
	CHECK(c.rc == 0);
	if (c.rc == 0) {
		struct ast_node *found = NULL;

		ast_walk(c.ast, find_field, NULL, &found);
		CHECK(found != NULL);
		for (uint32_t i = 0; found && i < c.prog->nprobes; i++) {
			const struct et_probe_desc *d = &c.prog->probes[i];
			struct et_type *rec = tracepoint_args_type(c.arena, d->target, d->func);
			const struct et_field *f = sema_field_of(found, i);

			CHECK(rec && f && strcmp(f->name, "filename") == 0);
			for (uint32_t k = 0; rec && f && k < rec->nfields; k++)
				if (strcmp(rec->fields[k].name, "filename") == 0)
					CHECK(rec->fields[k].offset == f->offset);
		}
		CHECK(found && sema_field_of(found, 0)->offset != sema_field_of(found, 1)->offset);
	}
	release(&c);
	check_contract("tracepoint:raw_syscalls:sys_enter /args.id == 1/ { @[args.args[0], comm] = count(); "
		       "printf(\"%d %s\\n\", args->id, comm); }");
}

/* The lexer's cast rule knows the builtin variables by name (typenames_value_word, a layer below
 * builtins.def): every BK_VAR row must be there, or `(name)*x` would cast to a type called name. */
static void test_value_words(void)
{
	for (int id = 0; id < BI_COUNT_; id++) {
		const char *name = builtin_name((enum builtin_id)id);

		if (builtin_kind((enum builtin_id)id) != BK_VAR)
			continue;
		if (strcmp(name, "arg") == 0) /* arg0 .. argN */
			name = "arg0";
		if (!typenames_value_word(name, strlen(name)))
			printf("builtin variable %s is missing from typenames_value_word\n", name);
		CHECK(typenames_value_word(name, strlen(name)));
	}
	CHECK(!typenames_value_word("myident", 7) && !typenames_value_word("arg", 3));
	CHECK(typenames_value_word("sarg12", 6) && typenames_value_word("__builtin_comm", 14));
}

int main(void)
{
	static const char *const programs[] = {
		"BEGIN { @x++; @y--; ++@z; print(@x); }",
		"BEGIN { $x = 1; $x++; print($x); @m[1]++; @m[2] += 5; @m[3] = @m[1] * 2; }",
		"BEGIN { $a = 0; if (pid > 1) { $a = 1; } else { $a = 2; } print($a); }",
		"BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 5) { break; } continue; } }",
		"BEGIN { unroll(3) { @u = count(); } }",
		"BEGIN { $s = comm; if ($s == \"bash\") { print(1); } @s = str(0); @t = str(0, 4); }",
		"BEGIN { print(sizeof(int32)); print(sizeof(comm)); }",
		"BEGIN { $r = (a=1, b=\"x\"); print($r.b); $t = (1, (2, \"x\")); print($t.1.1); }",
		"BEGIN { $x = pid ? 1 : 2; $y = pid ?: 3; print($x + $y); }",
		"BEGIN { $z = { let $q = 1; $q + 1 }; print($z); let $w: int32; $w = 5; print($w); }",
		"BEGIN { @a[1] = 1; for ($kv : @a) { print($kv.0); print($kv.1); } for ($i : 0..10) { @r[$i] = $i; } }",
		"BEGIN { @x = (int8)-1; @y = (uint16)70000; print((uint8)300); print(-pid); print(~1); print(!0); }",
		"BEGIN { print(18446744073709551615); print(1U); print(true); @b = false; }",
		"BEGIN { @m[1] = 1; delete(@m[1]); delete(@m, 2); print(len(@m)); print(has_key(@m, 1)); }",
		"BEGIN { @ = 1; @ = @ + 1; print(probe); @p[probe] = count(); printf(\"%s\\n\", probe); }",
		"BEGIN { print(nsecs - elapsed); print(cgroup + curtask + rand); print(uid + gid + tid + cpu); }",
		"BEGIN { exit(); exit(1); time(); time(\"%H\\n\"); join(0); join(0, \",\"); }",
		"BEGIN { @h = hist(1); @l = lhist(2, 0, 10, 1); print(@h); clear(@h); zero(@h); delete(@h); }",
		"BEGIN { @s = avg(1); @t = stats(2); @u = min(3); @v = max(4); @w = sum(5); @c[comm, pid] = count(); }",
		"END { print(@n); } BEGIN { @n = 1; }",
		"interval:s:1 { $y = @x + 1; print($y); } BEGIN { @x = 1; }",
		"BEGIN { printf(\"%-5d|%05u|%lld|%s|%c|%p|%%\\n\", 1, 2, 3, comm, 65, 0); }",
		"BEGIN { _ = 1; if (strncmp(comm, \"ba\", 2) == 0) { print(1); } }",
		"BEGIN, END { @x = count(); }",
	};

	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
		check_contract(programs[i]);
	test_maps_and_events();
	test_no_events();
	test_errors_fail();
	test_positional();
	test_var_ids();
	test_tracepoint_raw();
	test_value_words();
	printf("test_sema: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
