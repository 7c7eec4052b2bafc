/* ast: the syntax tree of one etrace program.
 * The parser builds it (thin grammar actions call the ast_new_* constructors below); sema annotates
 * it in place (node->type, node->sym); codegen reads it. Every node carries its span (struct et_loc).
 * Memory: all nodes, lists and strings live in the compilation's arena; never free a node.
 * Names (identifiers, map names "@m", variable names "$x", call names) are interned in the
 * compilation's strtab, so compare them with ==.
 * Failure: constructors cannot fail (the arena aborts when memory runs out). */
#ifndef ET_AST_H
#define ET_AST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program/attach.h" /* struct ast_attach: one attach point as written */
#include "support/loc.h"

struct arena;
struct et_type; /* program/types.h */

enum ast_kind {
#define X(k, name) AST_##k,
#include "parser/ast_kinds.def"
#undef X
	AST_KIND_COUNT
};
const char *ast_kind_name(enum ast_kind k);

/* Operators: binary, unary, compound assignment (ASSIGN's op; AST_OP_NONE for plain `=`). */
enum ast_op {
	AST_OP_NONE,
	AST_OP_ADD, AST_OP_SUB, AST_OP_MUL, AST_OP_DIV, AST_OP_MOD,
	AST_OP_BAND, AST_OP_BOR, AST_OP_BXOR, AST_OP_SHL, AST_OP_SHR,
	AST_OP_LAND, AST_OP_LOR,
	AST_OP_EQ, AST_OP_NE, AST_OP_LT, AST_OP_LE, AST_OP_GT, AST_OP_GE,
	/* unary */
	AST_OP_NEG, AST_OP_PLUS, AST_OP_NOT, AST_OP_BNOT, AST_OP_DEREF, AST_OP_ADDR,
	/* incdec */
	AST_OP_INC, AST_OP_DEC,
};
const char *ast_op_text(enum ast_op op); /* "+", "&&", "++" ... */
bool ast_op_is_comparison(enum ast_op op); /* == != < <= > >= */

/* A growable list of nodes, in the arena. */
struct ast_list {
	struct ast_node **items;
	uint32_t count, cap;
};
void ast_list_push(struct arena *a, struct ast_list *l, struct ast_node *n);

/* A type as written in a cast, `let $x: T`, sizeof/offsetof. */
#define AST_MAX_DIMS 4 /* T[A][B][C][D] in a cast, let or sizeof */

struct ast_typespec {
	struct et_loc loc;
	const char *name;   /* interned: "uint32", "int", "unsigned int", "struct task_struct", "string" */
	uint32_t pointer;   /* number of '*' */
	bool is_array;      /* T[] or T[N] (or T[N][M]...) */
	uint32_t array_len; /* N, 0 for T[]: the first (outermost) dimension, dims[0] */
	uint32_t ndims;     /* T[N][M]: 2; dims[] as written, 0 for [] */
	uint32_t dims[AST_MAX_DIMS];
	/* `(typeof(x))e`, `let $v: typeof(x)`: the AST_TYPEOF node whose type this is (a child of the cast or
	 * let, walked and cloned with it); name is then "typeof" and the fields above are unused */
	struct ast_node *of;
};

struct ast_node {
	enum ast_kind kind;
	struct et_loc loc;
	struct et_type *type; /* set by sema */
	void *sym;            /* sema's annotation (variable/map symbol); NULL before sema */
	union {
		struct { uint64_t value; bool is_unsigned; /* had a U suffix */ } integer;
		struct { const char *bytes; uint32_t len; /* escapes decoded; bytes[len] == 0 */ } string;
		const char *name;
		struct { uint32_t index; } positional;
		struct { const char *name; struct ast_list *keys; /* NULL: no [ ] */ } map;
		struct { const char *name; struct ast_list args; bool parens; /* written with () */ } call;
		struct { enum ast_op op; struct ast_node *lhs, *rhs; } binary;
		struct { enum ast_op op; struct ast_node *operand; } unary;
		struct { enum ast_op op; bool prefix; struct ast_node *operand; } incdec;
		struct { struct ast_node *cond, *then, *els; /* then NULL for `c ?: b` */
			 bool is_if; /* written `if c { a } else { b }` (then/els block expressions) */ } ternary;
		struct { struct ast_typespec *to; struct ast_node *operand;
			 bool written; /* in the script (sema's own casts are not: no "Unnecessary cast") */ } cast;
		struct { struct ast_node *base; const char *name; bool arrow; } field;
		struct { struct ast_node *base, *index; } index;
		struct { struct ast_node *base; uint32_t index; } tuple_index;
		struct ast_list list;
		struct { const char **names; struct ast_list values; } record;
		struct { struct ast_typespec *ty; struct ast_node *expr; /* exactly one set */ } typeq;
		struct { struct ast_typespec *ty; const char **path; uint32_t npath; } offsetof;
		/* BLOCK and BLOCK_EXPR; value is the final expression of a block expression (may be NULL) */
		struct { struct ast_list stmts; struct ast_node *value; } block;
		struct { struct ast_node *expr; } expr_stmt;
		/* target: MAP, VAR, or NULL for `_ = e`; op: AST_OP_NONE for `=`, else the compound op */
		struct { struct ast_node *target; enum ast_op op; struct ast_node *value; } assign;
		struct { const char *var; struct ast_typespec *ty; struct ast_node *init; } let;
		struct { struct ast_node *cond, *then, *els; /* els: BLOCK, IF or NULL */ } if_;
		struct { struct ast_node *cond, *body; } while_;
		struct { const char *var; struct ast_node *map, *body; } for_map;
		struct { const char *var; struct ast_node *lo, *hi, *body; } for_range;
		struct { struct ast_node *count, *body; } unroll;
		struct { struct ast_node *value; } ret;
		struct {
			struct ast_attach *attach;
			uint32_t nattach;
			struct ast_node *predicate; /* NULL: none */
			struct ast_node *body;      /* BLOCK */
			bool angle;                 /* written with < > (does not change meaning) */
		} probe;
		struct { const char *name; const char *map_kind; /* "hash", "lruhash"... */ uint64_t size; } map_decl;
		/* params: VAR, MAP or IDENT nodes; body: BLOCK_EXPR */
		struct { const char *name; struct ast_list params; struct ast_node *body; } macro;
		struct { const char **keys; struct ast_list values; } config;
		struct { const char *path; } import;
		struct { const char *text; } raw;
		struct { struct ast_list items; } program;
	} u;
};

/* Constructors: each allocates in `a` and sets kind and loc. Lists are filled by the caller. */
struct ast_node *ast_new(struct arena *a, enum ast_kind kind, struct et_loc loc);
struct ast_node *ast_new_int(struct arena *a, struct et_loc loc, uint64_t v, bool is_unsigned);
struct ast_node *ast_new_binary(struct arena *a, struct et_loc loc, enum ast_op op, struct ast_node *l,
				struct ast_node *r);
struct ast_node *ast_new_unary(struct arena *a, struct et_loc loc, enum ast_op op, struct ast_node *e);

/* More constructors (added by the front end; each sets kind and loc and copies list headers by value).
 * `list` arguments may be NULL for an empty list. */
struct ast_list *ast_list_new(struct arena *a);
struct ast_node *ast_new_bool(struct arena *a, struct et_loc loc, bool v);
struct ast_node *ast_new_string(struct arena *a, struct et_loc loc, const char *bytes, uint32_t len);
/* IDENT or VAR (name "$x"): sets u.name */
struct ast_node *ast_new_name(struct arena *a, enum ast_kind kind, struct et_loc loc, const char *name);
struct ast_node *ast_new_positional(struct arena *a, struct et_loc loc, uint32_t index);
/* keys: kept as given (NULL: written without [ ]) */
struct ast_node *ast_new_map(struct arena *a, struct et_loc loc, const char *name, struct ast_list *keys);
struct ast_node *ast_new_call(struct arena *a, struct et_loc loc, const char *name, struct ast_list *args);
struct ast_node *ast_new_incdec(struct arena *a, struct et_loc loc, enum ast_op op, bool prefix,
				struct ast_node *e);
/* if c { a } else { b } used as a value: a TERNARY with is_if set */
struct ast_node *ast_new_if_expr(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *t,
				 struct ast_node *e);
struct ast_node *ast_new_ternary(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *t,
				 struct ast_node *e);
struct ast_typespec *ast_new_typespec(struct arena *a, struct et_loc loc, const char *name);
struct ast_node *ast_new_cast(struct arena *a, struct et_loc loc, struct ast_typespec *to, struct ast_node *e);
struct ast_node *ast_new_field(struct arena *a, struct et_loc loc, struct ast_node *base, const char *name,
			       bool arrow);
struct ast_node *ast_new_index(struct arena *a, struct et_loc loc, struct ast_node *base, struct ast_node *idx);
struct ast_node *ast_new_tuple_index(struct arena *a, struct et_loc loc, struct ast_node *base, uint32_t idx);
struct ast_node *ast_new_tuple(struct arena *a, struct et_loc loc, struct ast_list *items);
struct ast_node *ast_new_record(struct arena *a, struct et_loc loc);
void ast_record_add(struct arena *a, struct ast_node *record, const char *name, struct ast_node *value);
/* SIZEOF or TYPEOF; exactly one of ty and e is non-NULL */
struct ast_node *ast_new_typeq(struct arena *a, enum ast_kind kind, struct et_loc loc, struct ast_typespec *ty,
			       struct ast_node *e);
struct ast_node *ast_new_offsetof(struct arena *a, struct et_loc loc, struct ast_typespec *ty);
void ast_offsetof_add(struct arena *a, struct ast_node *offsetof, const char *name);
/* BLOCK */
struct ast_node *ast_new_block(struct arena *a, struct et_loc loc, struct ast_list *stmts);
/* BLOCK_EXPR: stmts, then `last`, the statement written without a closing ';' (NULL: none): an
 * EXPR_STMT there is the block's value, any other statement is appended (bpftrace: `{ a; b }` has the
 * value b, `{ a; b; }` none) */
struct ast_node *ast_new_block_expr(struct arena *a, struct et_loc loc, struct ast_list *stmts,
				    struct ast_node *last);
struct ast_node *ast_new_expr_stmt(struct arena *a, struct et_loc loc, struct ast_node *e);
struct ast_node *ast_new_assign(struct arena *a, struct et_loc loc, struct ast_node *target, enum ast_op op,
				struct ast_node *value);
struct ast_node *ast_new_let(struct arena *a, struct et_loc loc, const char *var, struct ast_typespec *ty,
			     struct ast_node *init);
struct ast_node *ast_new_if(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *then,
			    struct ast_node *els);
struct ast_node *ast_new_while(struct arena *a, struct et_loc loc, struct ast_node *c, struct ast_node *body);
struct ast_node *ast_new_for_map(struct arena *a, struct et_loc loc, const char *var, struct ast_node *map,
				 struct ast_node *body);
struct ast_node *ast_new_for_range(struct arena *a, struct et_loc loc, const char *var, struct ast_node *lo,
				   struct ast_node *hi, struct ast_node *body);
struct ast_node *ast_new_unroll(struct arena *a, struct et_loc loc, struct ast_node *count, struct ast_node *body);
struct ast_node *ast_new_return(struct arena *a, struct et_loc loc, struct ast_node *value);
/* PROBE: start with no attach points, add them, then finish with predicate (may be NULL) and body */
struct ast_node *ast_new_probe(struct arena *a, struct et_loc loc);
void ast_probe_add_attach(struct arena *a, struct ast_node *probe, const struct ast_attach *at);
struct ast_node *ast_probe_finish(struct ast_node *probe, struct et_loc loc, struct ast_node *pred,
				  struct ast_node *body, bool angle);
struct ast_node *ast_new_map_decl(struct arena *a, struct et_loc loc, const char *name, const char *kind,
				  uint64_t size);
struct ast_node *ast_new_macro(struct arena *a, struct et_loc loc, const char *name, struct ast_list *params,
			       struct ast_node *body);
struct ast_node *ast_new_config(struct arena *a, struct et_loc loc);
void ast_config_add(struct arena *a, struct ast_node *config, const char *key, struct ast_node *value);
struct ast_node *ast_new_import(struct arena *a, struct et_loc loc, const char *path);
/* PREPROC or C_DEF */
struct ast_node *ast_new_raw(struct arena *a, enum ast_kind kind, struct et_loc loc, const char *text);
struct ast_node *ast_new_program(struct arena *a, struct et_loc loc);

/* A deep copy of the expression or statement n (nodes, lists, type specs; interned names shared), with
 * sema's annotations cleared; file != 0 moves every copied span into that file id (a macro expansion,
 * support/source.h). Top-level items (probes, config) are not copied below their own node. */
struct ast_node *ast_clone(struct arena *a, const struct ast_node *n, uint32_t file);

/* Call fn for each direct child node of n, in source order (no recursion). */
void ast_children(struct ast_node *n, void (*fn)(struct ast_node *child, void *ctx), void *ctx);

/* Walk: pre runs before the children, post after; pre returning false skips the node's children
 * (post still runs). Children are visited in source order. Either callback may be NULL. */
typedef bool (*ast_pre_fn)(struct ast_node *n, void *ctx);
typedef void (*ast_post_fn)(struct ast_node *n, void *ctx);
void ast_walk(struct ast_node *n, ast_pre_fn pre, ast_post_fn post, void *ctx);

#endif
