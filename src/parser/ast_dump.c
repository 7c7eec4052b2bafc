/* ast_dump: print an AST as canonical etrace source (see parse.h).
 * Canonical form: every unary, binary, ternary, cast and inc/dec expression in parentheses; strings
 * re-escaped; integers in decimal (a `u` suffix when written unsigned; durations already nanoseconds);
 * `{ }` blocks with two-space indentation, one statement per line, every simple statement ending in
 * `;`; attach points as written, joined by ", "; the predicate on its own line. The printer only
 * writes what the parser reads back to the same tree, so parse(dump(ast)) dumps to the same text. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "parser/ast.h"
#include "parser/parse.h"

static void expr(const struct ast_node *n, FILE *out);
static void stmt(const struct ast_node *n, int ind, FILE *out);
static void block_body(const struct ast_node *b, int ind, FILE *out);
static void if_value(const struct ast_node *n, int ind, FILE *out);

static void indent(int ind, FILE *out)
{
	for (int i = 0; i < ind; i++)
		fputs("  ", out);
}

static void string_lit(const char *s, uint32_t len, FILE *out)
{
	fputc('"', out);
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				fprintf(out, "\\%03o", c); /* octal: never swallows a following hex digit */
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static void list(const struct ast_list *l, FILE *out)
{
	for (uint32_t i = 0; i < l->count; i++) {
		if (i)
			fputs(", ", out);
		expr(l->items[i], out);
	}
}

static void expr(const struct ast_node *n, FILE *out);

static void typespec(const struct ast_typespec *t, FILE *out)
{
	if (t->of) {
		expr(t->of, out);
		return;
	}
	fputs(t->name, out);
	if (t->pointer) {
		fputc(' ', out);
		for (uint32_t i = 0; i < t->pointer; i++)
			fputc('*', out);
	}
	for (uint32_t i = 0; i < t->ndims && i < AST_MAX_DIMS; i++) {
		if (t->dims[i])
			fprintf(out, "[%" PRIu32 "]", t->dims[i]);
		else
			fputs("[]", out);
	}
}

static void expr(const struct ast_node *n, FILE *out)
{
	if (!n) {
		fputs("/* missing */", out);
		return;
	}
	switch (n->kind) {
	case AST_INT:
		fprintf(out, "%" PRIu64 "%s", n->u.integer.value, n->u.integer.is_unsigned ? "u" : "");
		break;
	case AST_BOOL: fputs(n->u.integer.value ? "true" : "false", out); break;
	case AST_STRING: string_lit(n->u.string.bytes, n->u.string.len, out); break;
	case AST_IDENT:
	case AST_VAR: fputs(n->u.name, out); break;
	case AST_POSITIONAL: fprintf(out, "$%" PRIu32, n->u.positional.index); break;
	case AST_POSITIONAL_COUNT: fputs("$#", out); break;
	case AST_MAP:
		fputs(n->u.map.name, out);
		if (n->u.map.keys) {
			fputc('[', out);
			list(n->u.map.keys, out);
			fputc(']', out);
		}
		break;
	case AST_CALL:
		if (strcmp(n->u.call.name, "typeinfo") == 0 && n->u.call.args.count == 1 &&
		    n->u.call.args.items[0]->kind == AST_TYPEOF) {
			/* the parser's typeinfo(x) is the call of typeof(x): printed as written */
			const struct ast_node *q = n->u.call.args.items[0];

			fputs("typeinfo(", out);
			if (q->u.typeq.ty)
				typespec(q->u.typeq.ty, out);
			else
				expr(q->u.typeq.expr, out);
			fputc(')', out);
			break;
		}
		fprintf(out, "%s(", n->u.call.name);
		list(&n->u.call.args, out);
		fputc(')', out);
		break;
	case AST_BINARY:
		fputc('(', out);
		expr(n->u.binary.lhs, out);
		fprintf(out, " %s ", ast_op_text(n->u.binary.op));
		expr(n->u.binary.rhs, out);
		fputc(')', out);
		break;
	case AST_UNARY:
		/* no operand prints starting with an operator character, so "(-x)" cannot lex as "--" */
		fprintf(out, "(%s", ast_op_text(n->u.unary.op));
		expr(n->u.unary.operand, out);
		fputc(')', out);
		break;
	case AST_INCDEC:
		fputc('(', out);
		if (n->u.incdec.prefix)
			fputs(ast_op_text(n->u.incdec.op), out);
		expr(n->u.incdec.operand, out);
		if (!n->u.incdec.prefix)
			fputs(ast_op_text(n->u.incdec.op), out);
		fputc(')', out);
		break;
	case AST_TERNARY:
		if (n->u.ternary.is_if) {
			if_value(n, 0, out);
			break;
		}
		fputc('(', out);
		expr(n->u.ternary.cond, out);
		if (n->u.ternary.then) {
			fputs(" ? ", out);
			expr(n->u.ternary.then, out);
			fputs(" : ", out);
		} else {
			fputs(" ?: ", out);
		}
		expr(n->u.ternary.els, out);
		fputc(')', out);
		break;
	case AST_CAST:
		fputs("((", out);
		typespec(n->u.cast.to, out);
		fputc(')', out);
		expr(n->u.cast.operand, out);
		fputc(')', out);
		break;
	case AST_FIELD:
		expr(n->u.field.base, out);
		fprintf(out, "%s%s", n->u.field.arrow ? "->" : ".", n->u.field.name);
		break;
	case AST_INDEX:
		expr(n->u.index.base, out);
		fputc('[', out);
		expr(n->u.index.index, out);
		fputc(']', out);
		break;
	case AST_TUPLE_INDEX:
		expr(n->u.tuple_index.base, out);
		fprintf(out, ".%" PRIu32, n->u.tuple_index.index);
		break;
	case AST_TUPLE:
		fputc('(', out);
		list(&n->u.list, out);
		if (n->u.list.count == 1)
			fputc(',', out);
		fputc(')', out);
		break;
	case AST_RECORD:
		fputc('(', out);
		for (uint32_t i = 0; i < n->u.record.values.count; i++) {
			fprintf(out, "%s%s = ", i ? ", " : "", n->u.record.names[i]);
			expr(n->u.record.values.items[i], out);
		}
		fputc(')', out);
		break;
	case AST_SIZEOF:
	case AST_TYPEOF:
		fputs(n->kind == AST_SIZEOF ? "sizeof(" : "typeof(", out);
		if (n->u.typeq.ty)
			typespec(n->u.typeq.ty, out);
		else
			expr(n->u.typeq.expr, out);
		fputc(')', out);
		break;
	case AST_OFFSETOF:
		fputs("offsetof(", out);
		typespec(n->u.offsetof.ty, out);
		for (uint32_t i = 0; i < n->u.offsetof.npath; i++)
			fprintf(out, "%s%s", i ? "." : ", ", n->u.offsetof.path[i]);
		fputc(')', out);
		break;
	case AST_BLOCK_EXPR:
		/* printed at the current statement's indentation by stmt(); here only when nested in an expression */
		block_body(n, 0, out);
		break;
	default:
		fprintf(out, "/* %s */", ast_kind_name(n->kind));
		break;
	}
}

/* An expression that may be a block expression (assignment and let right-hand sides, macro bodies). */
static void rhs(const struct ast_node *n, int ind, FILE *out)
{
	if (n && n->kind == AST_BLOCK_EXPR)
		block_body(n, ind, out);
	else if (n && n->kind == AST_TERNARY && n->u.ternary.is_if)
		if_value(n, ind, out);
	else
		expr(n, out);
}

/* if c { a } else { b } as a value, its braces closing at indentation ind */
static void if_value(const struct ast_node *n, int ind, FILE *out)
{
	fputs("if ", out);
	expr(n->u.ternary.cond, out);
	fputc(' ', out);
	block_body(n->u.ternary.then, ind, out);
	fputs(" else ", out);
	if (n->u.ternary.els->kind == AST_TERNARY)
		if_value(n->u.ternary.els, ind, out);
	else
		block_body(n->u.ternary.els, ind, out);
}

/* "{\n stmts \n}" with the closing brace at indentation ind (the caller printed what precedes '{'). */
static void block_body(const struct ast_node *b, int ind, FILE *out)
{
	fputs("{\n", out);
	for (uint32_t i = 0; i < b->u.block.stmts.count; i++)
		stmt(b->u.block.stmts.items[i], ind + 1, out);
	if (b->kind == AST_BLOCK_EXPR && b->u.block.value) {
		indent(ind + 1, out);
		rhs(b->u.block.value, ind + 1, out);
		fputc('\n', out);
	}
	indent(ind, out);
	fputc('}', out);
}

static void if_chain(const struct ast_node *n, int ind, FILE *out)
{
	fputs("if ", out);
	expr(n->u.if_.cond, out);
	fputc(' ', out);
	block_body(n->u.if_.then, ind, out);
	if (n->u.if_.els) {
		fputs(" else ", out);
		if (n->u.if_.els->kind == AST_IF)
			if_chain(n->u.if_.els, ind, out);
		else
			block_body(n->u.if_.els, ind, out);
	}
}

static void stmt(const struct ast_node *n, int ind, FILE *out)
{
	indent(ind, out);
	switch (n->kind) {
	case AST_EXPR_STMT:
		rhs(n->u.expr_stmt.expr, ind, out);
		fputs(";\n", out);
		break;
	case AST_IMPORT: /* an import statement inside a block */
		fputs("import ", out);
		string_lit(n->u.import.path, (uint32_t)strlen(n->u.import.path), out);
		fputs(";\n", out);
		break;
	case AST_ASSIGN:
		if (n->u.assign.target)
			expr(n->u.assign.target, out);
		else
			fputc('_', out);
		fprintf(out, " %s= ", ast_op_text(n->u.assign.op));
		rhs(n->u.assign.value, ind, out);
		fputs(";\n", out);
		break;
	case AST_LET:
		fprintf(out, "let %s", n->u.let.var);
		if (n->u.let.ty) {
			fputs(": ", out);
			typespec(n->u.let.ty, out);
		}
		if (n->u.let.init) {
			fputs(" = ", out);
			rhs(n->u.let.init, ind, out);
		}
		fputs(";\n", out);
		break;
	case AST_IF:
		if_chain(n, ind, out);
		fputc('\n', out);
		break;
	case AST_WHILE:
		fputs("while ", out);
		expr(n->u.while_.cond, out);
		fputc(' ', out);
		block_body(n->u.while_.body, ind, out);
		fputc('\n', out);
		break;
	case AST_FOR_MAP:
		fprintf(out, "for (%s : ", n->u.for_map.var);
		expr(n->u.for_map.map, out);
		fputs(") ", out);
		block_body(n->u.for_map.body, ind, out);
		fputc('\n', out);
		break;
	case AST_FOR_RANGE:
		fprintf(out, "for (%s : ", n->u.for_range.var);
		expr(n->u.for_range.lo, out);
		fputs(" .. ", out);
		expr(n->u.for_range.hi, out);
		fputs(") ", out);
		block_body(n->u.for_range.body, ind, out);
		fputc('\n', out);
		break;
	case AST_UNROLL:
		fputs("unroll (", out);
		expr(n->u.unroll.count, out);
		fputs(") ", out);
		block_body(n->u.unroll.body, ind, out);
		fputc('\n', out);
		break;
	case AST_BREAK: fputs("break;\n", out); break;
	case AST_CONTINUE: fputs("continue;\n", out); break;
	case AST_RETURN:
		fputs("return", out);
		if (n->u.ret.value) {
			fputc(' ', out);
			expr(n->u.ret.value, out);
		}
		fputs(";\n", out);
		break;
	case AST_BLOCK:
		block_body(n, ind, out);
		fputc('\n', out);
		break;
	default:
		fprintf(out, "/* %s */\n", ast_kind_name(n->kind));
		break;
	}
}

static void top(const struct ast_node *n, FILE *out)
{
	switch (n->kind) {
	case AST_PROBE:
		for (uint32_t i = 0; i < n->u.probe.nattach; i++)
			fprintf(out, "%s%s", i ? ", " : "", n->u.probe.attach[i].text);
		fputc('\n', out);
		if (n->u.probe.predicate) {
			fputc('/', out);
			expr(n->u.probe.predicate, out);
			fputs("/\n", out);
		}
		block_body(n->u.probe.body, 0, out);
		fputc('\n', out);
		break;
	case AST_PREPROC:
	case AST_C_DEF: fprintf(out, "%s\n", n->u.raw.text); break;
	case AST_CONFIG:
		fputs("config = {\n", out);
		for (uint32_t i = 0; i < n->u.config.values.count; i++) {
			fprintf(out, "  %s = ", n->u.config.keys[i]);
			expr(n->u.config.values.items[i], out);
			fputs(";\n", out);
		}
		fputs("}\n", out);
		break;
	case AST_IMPORT:
		fputs("import ", out);
		string_lit(n->u.import.path, (uint32_t)strlen(n->u.import.path), out);
		fputs(";\n", out);
		break;
	case AST_MAP_DECL:
		fprintf(out, "let %s = %s(", n->u.map_decl.name, n->u.map_decl.map_kind);
		if (n->u.map_decl.size)
			fprintf(out, "%" PRIu64, n->u.map_decl.size);
		fputs(");\n", out);
		break;
	case AST_MACRO:
		fprintf(out, "macro %s(", n->u.macro.name);
		list(&n->u.macro.params, out);
		fputs(") ", out);
		block_body(n->u.macro.body, 0, out);
		fputc('\n', out);
		break;
	default:
		fprintf(out, "/* %s */\n", ast_kind_name(n->kind));
		break;
	}
}

void ast_dump(const struct ast_node *program, FILE *out)
{
	if (!program)
		return;
	if (program->kind != AST_PROGRAM) {
		top(program, out);
		return;
	}
	for (uint32_t i = 0; i < program->u.program.items.count; i++) {
		if (i)
			fputc('\n', out);
		top(program->u.program.items.items[i], out);
	}
}
