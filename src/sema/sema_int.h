/* sema_int: state shared by the files of the semantic pass (sema.c, sema_expr.c, builtins*.c,
 * printf_check.c). Internal to src/sema; the public contract is sema.h.
 * Memory: everything here lives in the compile arena (s->arena); prog tables in prog->arena.
 * Failure: user errors are reported through sema_error() (which is silent in the quiet first pass). */
#ifndef ET_SEMA_INT_H
#define ET_SEMA_INT_H
#include <stdbool.h>
#include <stdint.h>

#include "probes/provider.h"
#include "parser/ast.h"
#include "program/program.h"
#include "sema/sema.h"
#include "program/types.h"

/* What sema knows about one script map (@name), across all probes. */
struct sema_map {
	const char *name;           /* interned "@m" */
	int key_state;              /* 0 unknown, 1 keyless, 2 keyed */
	struct et_type *key;        /* storage type of the key (keyed maps) */
	struct et_loc key_loc;      /* where the key type was fixed */
	struct et_type *value;      /* storage type, or ET_AGG_* */
	struct et_loc value_loc;    /* where the value type was fixed */
	bool assigned, read, declared;
	bool unassigned_reported;   /* "used but never assigned" said once */
	uint64_t declared_size;     /* let @m = hash(N) */
	/* let @m = KIND(N): the kind's BPF map flavour; hash (both false) when not declared */
	bool declared_lru, declared_percpu;
	struct et_loc decl_loc;     /* the declaration, for a value type its kind cannot hold */
	struct et_loc first_loc;
	struct ast_list *key_exprs; /* the key list that fixed the key type (label names for --metrics) */
	/* from the quiet first pass: lets a map be read in a probe written before its assignment */
	int hint_key_state;
	struct et_type *hint_key, *hint_value;
};

struct sema_scope_var {
	const char *name;
	struct sema_var *var;
	bool assigned, used;
	struct sema_scope_var *next;
	struct sema_scope_var *next_closed; /* sema_probe_ctx.closed */
};

struct sema_scope {
	struct sema_scope *up;
	struct sema_scope_var *vars;
};

/* An args.FIELD read whose field differs between the concrete probes (a list, for args_class). */
struct sema_field_use {
	const struct sema_field *field;
	struct sema_field_use *next;
};

/* The concrete probes of a probe block as written, with their args records, when args_split.c gave
 * some of them a block of their own: for the message about a field some of them lack. */
struct sema_args_family {
	uint32_t first, count;       /* prog->probes[first .. first + count) */
	struct et_type **records;    /* count entries */
};

/* The AST probe being analysed. */
struct sema_probe_ctx {
	struct ast_node *node;
	struct sema_probe *info;
	unsigned flags;              /* PROVIDER_HAS_* shared by every attach point */
	const struct et_provider *providers[8]; /* distinct providers of the probe, for messages */
	uint32_t nproviders;
	bool any_user;
	struct et_type *args_type;   /* tracepoint record of the first concrete probe, loaded on first use */
	struct et_type **args_types; /* the record of every concrete probe (info->count entries) */
	bool args_failed;
	bool args_mixed;             /* the records differ: only fields equal in all may be used */
	bool args_in_field;          /* the args being analysed is the base of args.FIELD */
	struct sema_field_use *field_uses; /* args.FIELD nodes whose field differs between probes */
	const struct sema_args_family *family; /* set by args_split.c when it read the records */
	bool split;                  /* one of the blocks args_split.c made of one probe block */
	struct sema_scope *top;      /* probe scope */
	/* innermost scope: a let, and a plain assignment to a new variable, declare here (bpftrace's
	 * rule: a scratch variable lives in the block that first assigns it) */
	struct sema_scope *scope;
	struct sema_scope_var *closed; /* variables of blocks that ended: a later read is told why it fails */
	uint32_t loop_depth;
	uint32_t unroll_copies;      /* copies of the current statement nested unroll()s make (0 = 1) */
	/* the variables declared in this pass (by id) and in the previous one: a tuple variable starts
	 * from the type it had at the end of the previous pass, so that a later, wider assignment (one that
	 * a loop brings back before an earlier use) is already in its slot type */
	struct sema_var **vars, **prev_vars;
	uint32_t nvars_cap, nprev_vars;
};

/* Nested unroll()s multiply: at most this many copies of a body (each copy is compiled, verified and
 * occupies the program; 1000 copies of a map update compile and load in about 2 s). */
#define SEMA_MAX_UNROLL_COPIES 1000u

struct btf_types;
struct cdef;


struct sema {
	const struct sema_options *opts;
	struct arena *arena;
	struct strtab *strtab;
	struct diag_sink *diag;
	struct et_program *prog;
	bool quiet;                  /* first pass: learn map types, report nothing */
	/* second quiet pass: a map read before any assignment is known reads as int64 (`@n = @n + 1`) */
	bool provisional_reads;
	uint32_t max_strlen, max_map_keys;
	const char *stack_mode;      /* config/env stack_mode: the format of kstack/ustack without a mode */
	uint32_t max_probes;         /* config/env max_probes / max_bpf_progs; 0: SEMA_DEFAULT_MAX_PROBES */
	struct et_loc max_probes_loc; /* where the config block set it (zero: the environment) */
	uint8_t unstable[SEMA_UNSTABLE_COUNT_]; /* config/env: enum sema_unstable of each feature */
	bool unstable_warned[SEMA_UNSTABLE_COUNT_]; /* bpftrace warns once a feature */
	struct sema_map *maps;
	uint32_t nmaps, capmaps;
	uint32_t capevents;
	const char **macros;         /* names of the (unsupported) macros, to avoid follow-up errors */
	uint32_t nmacros;
	struct sema_probe_ctx *probe;
	/* common types */
	struct et_type *t_void, *t_none, *t_i64, *t_u64, *t_bool;
	struct btf_types *btf;       /* kernel types, made on first use (sema_btf.c) */
	struct cdef *cdefs;          /* the script's C struct definitions (cdefs.c) */
	struct sema_dwarf_type *dwarf_types; /* types looked up in uprobe targets' DWARF (sema_btf.c) */
	struct sema_named *named;    /* the options getopt() names (builtins_opt.c) */
	/* > 0 while analysing a branch a condition known at compile time never takes: fail() and
	 * static_assert() there report nothing (builtins_assert.c) */
	unsigned dead;
	/* the stores of the real pass whose value may not fit the slot's final type (sema_store_note) */
	struct sema_store *stores;
	uint32_t nstores, capstores;
};

/* A value stored into a variable, a map's value or a map's key, checked once every slot type is final:
 * bpftrace warns where the value's integer does not fit the slot's (a uint64 into an int64 slot...). */
struct sema_store {
	const struct sema_var *var; /* the variable; NULL for a map */
	uint32_t map;               /* index into sema.maps */
	bool key;                   /* the map's key, not its value */
	const struct et_type *vt;   /* the value's own type */
	struct et_loc loc;          /* the value */
};
/* Note a store (the real pass only; a literal value is never warned about, as in bpftrace); the check
 * runs at the end (sema_store_warnings). */
void sema_store_note(struct sema *s, const struct sema_var *var, int map, bool key, const struct ast_node *value,
		     const struct et_type *vt);
void sema_store_warnings(struct sema *s);

/* bpftrace's `config` builtin: a record of the configuration in effect (bpftrace's fields, in its order),
 * made of literals, so that the caller can analyse it as any record expression. */
struct ast_node *sema_config_record(struct sema *s, struct et_loc loc);

/* An unstable feature the script uses at loc: a warning (once) or an error, as its config says. */
void sema_unstable_use(struct sema *s, enum sema_unstable_feature f, struct et_loc loc);

/* Diagnostics (no-ops in the quiet pass). sema_hint attaches to the last reported diagnostic. */
void sema_error(struct sema *s, struct et_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sema_warning(struct sema *s, struct et_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sema_hint(struct sema *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "did you mean 'x'?" over a NULL-terminated list of candidates; NULL when nothing is close. */
const char *sema_closest(const char *name, const char *const *cands, size_t n);
unsigned sema_edit_distance(const char *a, const char *b);

/* bpftrace's default of max_probes and of max_bpf_progs */
#define SEMA_DEFAULT_MAX_PROBES 1024

/* The config block (sema_config.c): each variable checked and set; the probe count checked against
 * max_probes once every attach point is expanded; an attach point's missing-target errors (since diag
 * count `mark`) demoted as missing_probes says. */
void sema_config_item(struct sema *s, struct ast_node *n);
void sema_config_check_probes(struct sema *s, struct et_loc where);
void sema_missing_end(struct sema *s, unsigned mark, bool missing);

/* Named parameters (builtins_opt.c): once the bodies are analysed, refuse a program option on the
 * command line that no getopt() names, and list the options for --help. */
void sema_named_check(struct sema *s);

/* Type helpers (sema_expr.c). */
const char *sema_tname(struct sema *s, const struct et_type *t); /* formatted into the arena */
struct et_type *sema_storage_type(struct sema *s, struct et_type *t);
bool sema_is_intlike(const struct et_type *t); /* INT, BOOL, POINTER */
bool sema_is_none(const struct et_type *t);
bool sema_const_int(struct sema *s, struct ast_node *n, int64_t *out);
/* sema_const_int, also folding comparisons, && || ! and sizeof/offsetof (analysed nodes; builtins_assert.c) */
bool sema_comptime_int(struct sema *s, struct ast_node *n, int64_t *out);
/* The type a typeof node q names (typeof(T), typeof(e): e analysed, never evaluated), as sizeof()
 * measures it; s->t_none after an error. */
struct et_type *sema_typeof_type(struct sema *s, struct ast_node *q);

/* Expressions and statements (sema_expr.c). */
struct et_type *sema_expr(struct sema *s, struct ast_node *n);
void sema_stmt(struct sema *s, struct ast_node *n);
void sema_block(struct sema *s, struct ast_node *block, bool new_scope);
struct sema_map *sema_map_get(struct sema *s, const char *name, struct et_loc loc);
/* Type check and annotate a map node read as a value (@m or @m[k]). */
struct et_type *sema_map_read(struct sema *s, struct ast_node *n);
/* The integer an element of a count/sum/min/max/avg map reads as (bpftrace's "castable" map types: the
 * per-CPU values combined, cg_agg_value); NULL for any other value type. */
struct et_type *sema_agg_value_type(struct sema *s, const struct et_type *t);
/* Type check the keys of map node n (sets the key type at first use). */
void sema_map_keys(struct sema *s, struct ast_node *n, struct sema_map *m);
/* Report "map @m is used but never assigned" (with a hint) at loc. */
void sema_map_unassigned(struct sema *s, struct sema_map *m, struct et_loc loc);
/* Check expression k used as a whole key of m (has_key(@m, k), delete(@m, k)); nothing when m has no
 * keys (the caller reports that through sema_map_has_keys). */
void sema_map_key_expr(struct sema *s, struct sema_map *m, struct ast_node *k);
/* Functions that work on keys (len, has_key, delete(@m, k), for loops over a map) need a map with keys,
 * as bpftrace requires ("expects a map with explicit keys (non-scalar map)"): false, after an error at
 * loc naming `what` ("len()") and a hint (a format taking the map's name twice), when m has none. */
bool sema_map_has_keys(struct sema *s, struct sema_map *m, const char *what, struct et_loc loc, const char *hint);
/* Type `target` (an AST_VAR) as the target of `target = <a value of type vt>` (declaring it when it is
 * new), with the errors of such an assignment at loc: find(@m, key, $v) stores into $v. */
void sema_var_store(struct sema *s, struct ast_node *target, struct et_type *vt, struct et_loc loc);
/* A positional parameter used as a string (str($N)): annotates n, returns its type. */
struct et_type *sema_positional_string(struct sema *s, struct ast_node *n);
/* n = S + K or K + S with S a string literal or string positional (analysed) and K a constant integer
 * >= 0: turn n into the string literal S from offset K on ("" with a warning when K >= its length) and
 * return true; false (n unchanged) otherwise. */
bool sema_fold_string_offset(struct sema *s, struct ast_node *n);
/* Annotate an AST_MAP used whole (print(@m), clear(@m), for loops): returns the map index or -1. */
int sema_map_whole(struct sema *s, struct ast_node *n, bool need_assigned);


/* Kernel types and script C definitions (sema_btf.c, cdefs.c). */
struct btf_types *sema_btf(struct sema *s);
/* curtask: `struct task_struct *` from BTF, uint64 without BTF. */
struct et_type *sema_curtask_type(struct sema *s);
/* A type by name ("struct sock", a typedef): the script's definitions first, then, in a uprobe, the
 * DWARF of the probed binaries, then BTF; reports and returns NULL when unknown. */
struct et_type *sema_named_type(struct sema *s, const char *name, struct et_loc loc);
/* `elem` with `depth` levels of pointer (a completed struct is pointed to through a stub). */
struct et_type *sema_pointer_to(struct sema *s, struct et_type *elem, uint32_t depth);
/* The struct with its fields for a BTF stub (reports and returns NULL on failure). */
struct et_type *sema_deref_struct(struct sema *s, struct et_type *t, struct et_loc loc);
/* Typed arguments of a fentry/fexit/rawtracepoint probe from BTF: an ET_STRUCT "args" with one field per
 * parameter at 8 * i; *ret the return type (fentry/fexit; NULL for void), *nparams the count.
 * Reports and returns NULL on failure. */
struct et_type *sema_btf_args(struct sema *s, const struct et_probe_desc *d, struct et_loc loc,
			      struct et_type **ret, uint32_t *nparams);
/* The same for a uprobe (PROVIDER_ARGS_DWARF) from the binary's DWARF (kernel/dwarf.h): parameter i at
 * 8 * i, read from the i-th argument register. With report false nothing is reported (retval falls back
 * to uint64 when the binary has no DWARF); else a missing DWARF or function is a located error. */
struct et_type *sema_dwarf_args(struct sema *s, const struct et_probe_desc *d, struct et_loc loc, bool report,
				struct et_type **ret, uint32_t *nparams);
/* The script's C definitions: register one AST_C_DEF (errors reported), look one up by name. */
void sema_cdef_item(struct sema *s, struct ast_node *n);
struct et_type *sema_cdef_find(struct sema *s, const char *name);
/* name's definition in the script had an error (already reported): report nothing more of it */
bool sema_cdef_failed(struct sema *s, const char *name);
/* Identifier n names an enumerator (the script's enums first, then the kernel's): n becomes the AST_INT
 * of its value with sym = its type, an 8-byte unsigned enum as bpftrace types enumerators; NULL (n
 * unchanged) when it names none. */
struct et_type *sema_enum_ident(struct sema *s, struct ast_node *n);
/* An enumerator NAME of a script enum: its enum type, *value set; NULL when there is none. */
struct et_type *sema_cdef_const(struct sema *s, const char *name, int64_t *value);

/* Builtins (builtins.c). */
struct et_type *sema_ident(struct sema *s, struct ast_node *n);
/* args.NAME where the probe's tracepoints have different records: the field in each concrete probe's
 * record (info->count entries), or NULL when the records are equal or after an error (reported: the
 * field is missing in one record or has another type there). *ok is false after an error. */
const struct et_field **sema_args_fields(struct sema *s, struct ast_node *n, const char *name, bool *ok);
/* The args record of concrete probe d (tracefs format, BTF or DWARF by its provider); reports at loc
 * and returns NULL when it cannot be read. */
struct et_type *sema_args_record(struct sema *s, const struct et_probe_desc *d, struct et_loc loc);
/* Is field f of record t one of a tracepoint record's common_* fields (the first 8 bytes)? A BPF
 * tracepoint program cannot read them: the kernel puts a pt_regs pointer there before it runs one. */
bool sema_tp_common_field(const struct et_type *t, const struct et_field *f);
/* Do two args records have the same fields, at the same places, of the same types? */
bool sema_args_records_equal(const struct et_type *a, const struct et_type *b);
/* Give the attach points of each probe block whose args records differ in what its body reads a copy
 * of the block per kind of record (args_split.c): the copies follow their block in the program's items
 * and in *pcs (reallocated, *npcs updated); the concrete probes of the block are reordered so that each
 * copy covers a range of them. Runs after the attach points are expanded, before any body is analysed. */
void sema_split_args(struct sema *s, struct ast_node *program, struct sema_probe_ctx **pcs, uint32_t *npcs);
struct et_type *sema_call(struct sema *s, struct ast_node *n, bool agg_allowed);
bool sema_is_agg_call(const struct ast_node *n);
/* Register an async event; returns its index (or -1 in the quiet pass). */
int sema_add_event(struct sema *s, enum et_event_kind kind, const char *fmt, struct et_type *args, int map,
		   struct et_loc loc);

/* printf-style format checking (printf_check.c): checks args[first..] against fmt; `fn` names the
 * function in messages ("printf"). Returns true when they match. */
bool sema_check_format(struct sema *s, const char *fn, struct ast_node *call, const struct ast_node *fmt,
		       struct ast_node **args, uint32_t nargs);

#endif
