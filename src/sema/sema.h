/* sema: semantic analysis. Untyped AST in; typed, annotated AST plus the program tables out.
 *
 * sema_analyze() resolves every attach point to a provider (probes/provider.h), checks that the kernel
 * supports it, expands wildcards into prog->probes (prog_name set for each), infers and checks the type
 * of every expression, unifies map key/value types across all probes into prog->maps, checks builtins
 * and printf formats, registers every async call as an event in prog->events, and annotates the AST
 * in place (node->type, node->sym: the contract below is what codegen relies on).
 * Memory: annotations (sema_* structs, types on nodes) live in the compile `arena`; everything stored in
 * `prog` (names, types, tables) is copied into prog->arena, so prog outlives the compile arena.
 * Failure: user mistakes go to `diag` (several per run, each located, with a hint where one helps);
 * returns 0, or -EINVAL when diag holds errors (then prog and the annotations are incomplete and must
 * only be freed, never compiled). Warnings never make it fail.
 *
 * ANNOTATION CONTRACT (after a successful sema_analyze)
 *
 * node->type
 *   - Every expression node has a non-NULL type; statements, probes and calls returning nothing have
 *     ET_VOID. Never ET_NONE after success.
 *   - Integer literals: int64, or uint64 when written with a U suffix or > INT64_MAX. true/false: ET_BOOL.
 *     Where a literal (or a constant expression) is stored or measured (variables, map keys and values,
 *     tuples, sizeof), it has bpftrace's literal type instead: the smallest signed type holding it,
 *     sign-flexible when not negative (its sign follows the other values of the slot).
 *   - Scratch variables (sema_var->type) keep an integer's own size and sign, widened to hold every
 *     value assigned to them as bpftrace promotes; compound assignments and ++/-- store a 64-bit
 *     result, so they widen the variable to 64 bits. A typed let keeps its type.
 *   - String literals: string[len + 1]. comm: string[16]. str(): string[max_strlen]; as in bpftrace a
 *     string[N] holds up to N characters: one that fills all N bytes has no NUL (it was cut, and prints
 *     with the str_trunc_trailer). str(p) keeps max_strlen characters (max_strlen - 1 from 1024 on),
 *     str(p, n) n - 1; str("text") is string[len + 1], the text uncut.
 *   - Arithmetic / bitwise / shifts / unary - and ~: always 64-bit: int64 when both operands are signed,
 *     else uint64 (bpftrace rule). Operands are first extended to 64 bits by their own signedness.
 *     Division and modulo by 0 give 1 with a warning each time it happens (bpftrace's rule, see
 *     struct sema_div); a constant divided by a constant 0 is an error, a constant 0 divisor a warning.
 *   - Comparisons, && || ! : ET_BOOL (bpftrace HEAD; 0.17 gave uint64 0/1), printed true/false. Integer
 *     comparisons are signed as bpftrace promotes the two sides (struct sema_cmp on the node); with a
 *     pointer or a bool, signed when both operands are signed, else unsigned. Arithmetic and bitwise
 *     operators on two bools give a bool (the result != 0); with an integer operand the bool counts as
 *     0 or 1 and the result is an integer. Unary - and ~ do not take a bool. A ternary whose branches are
 *     both bool is bool. has_key() is bool. Strings compare with == and != only (compared up to the
 *     shorter capacity / first NUL).
 *   - Casts (int8..int64, uint8..uint64): node->type is the target; the value is truncated (then
 *     sign/zero-extended when later widened, by the target's signedness). (bool)x is x != 0.
 *   - Ternary: both branches have the same kind; two integers give the type both promote to as bpftrace
 *     promotes (c ? (uint8)200 : -1 is an int16), an integer and a pointer or bool int64/uint64 as for
 *     arithmetic, strings give
 *     string[max of the two capacities].
 *
 * STORAGE TYPES AND CONVERSIONS. Wherever a value is stored (map key, map value, scratch variable,
 * tuple field, event argument), the slot's type is authoritative and may differ from node->type of the
 * expression being stored:
 *   - integers are stored as 8 bytes (int64/uint64) in map keys, map values and event arguments, at
 *     their own sizes in scratch variables and tuple fields; the sign of every integer slot is unified
 *     over all values stored in it (bpftrace's promotion); ET_BOOL stays 1 byte;
 *   - a string is copied into a string slot of possibly larger capacity: copy min(capacities) bytes,
 *     zero the rest (a string that fills the slot keeps no NUL);
 *   - a tuple is converted field by field (offsets of the slot's tuple type).
 *   The slots and their string sizes:
 *   - prog->maps[i].key / .value: strings keep the largest size stored anywhere (@[comm] has a
 *     string[16] key; @m[a, b] is @m[(a, b)]);
 *   - sema_var->type and event args fields (prog->events[i].args): strings are string[max_strlen]
 *     (or longer for a longer literal); event args also inside tuples, with 8-byte integers there (an
 *     event's copy never needs to grow);
 *   - a TUPLE/RECORD node's own type (bpftrace's): its fields are its elements' types, an integer
 *     constant typed as bpftrace types literals (the smallest signed type holding it, sign-flexible when
 *     not negative), laid out as types.h says (a C struct of the elements);
 *   - a tuple in a map key or value or a variable keeps that layout (integers are not widened inside
 *     tuples); strings and integers inside grow to hold every value stored there (bpftrace's promotion:
 *     the larger size, see int_slot_promote), and a multi-key map's key is the tuple of its keys.
 *   Map slot types are final only after sema_analyze: always take them from prog->maps, not from the
 *   type of the AST_MAP node.
 *
 * node->sym, per node kind (NULL for kinds not listed)
 *   AST_MAP           struct sema_map_ref: index into prog->maps. Also on a MAP passed whole to a
 *                     function (print(@m), clear(@m), len(@m), for ($kv : @m)). node->type is the map's
 *                     value type (an ET_AGG_* for aggregation maps). A MAP with keys (@m[a, b]) uses the
 *                     map's key type: one key expression stored as the key type, several keys stored as
 *                     the fields of the key tuple. A keyless map stores under the u64 key 0.
 *   AST_VAR           struct sema_var (also on the ASSIGN target VAR node)
 *   AST_LET           struct sema_var of the declared variable
 *   AST_FOR_MAP       struct sema_var of the loop variable: type (key, value) tuple; the map is
 *                     u.for_map.map (an AST_MAP carrying sema_map_ref)
 *   AST_FOR_RANGE     struct sema_var of the loop variable (the integer type both bounds promote to)
 *   AST_IDENT         struct sema_call for builtin variables (pid, comm, args, arg3, ...). Bare
 *                     identifiers that are not builtins are errors.
 *   AST_CALL          struct sema_call (functions, aggregations, builtins written with ())
 *   AST_POSITIONAL,
 *   AST_POSITIONAL_COUNT  struct sema_const: the value, known at compile time. node->type int64 or
 *                     string[len + 1].
 *   AST_FIELD         struct sema_field, whose first member is the struct et_field of the base's type,
 *                     so (const struct et_field *)sym works: args->f / args.f is a field of the
 *                     tracepoint record, read from the tracepoint context at field.offset; record
 *                     fields likewise. When one body serves tracepoints whose records differ, the
 *                     field's offset may differ per concrete probe (its type does not): use
 *                     sema_field_of(node, probe index) when emitting each concrete probe.
 *   AST_TUPLE_INDEX   const struct et_field *: the field of the base tuple.
 *   AST_INDEX         struct sema_index. The base is an ET_ARRAY (e.g. the tracepoint field
 *                     args.args[0]), an ET_STRING (elements int8) or an ET_POINTER (the objects it
 *                     points to, read from its address space); node->type is the element type, at
 *                     index * node->type->size bytes from the array's start or the pointer.
 *   AST_SIZEOF        struct sema_const: the size in bytes (node->type uint64).
 *   AST_UNROLL        struct sema_const: the repeat count (1 .. 100).
 *   AST_BINARY (/ %), AST_ASSIGN (/= %=)  struct sema_div when the divisor may be 0 at run time, else NULL.
 *   AST_BINARY (== != < <= > >=) of two ET_INT operands: struct sema_cmp (signed or unsigned compare).
 *   AST_PROBE         struct sema_probe: range of concrete probes in prog->probes produced by this
 *                     probe's attach points; codegen emits the body once per concrete probe.
 *
 * Builtin variable types: pid tid uid gid cpu rand nsecs elapsed cgroup cpid curtask arg0..arg5 retval:
 * uint64 (a usdt probe's argN: int64, extended by the sign its note gives). comm: string[16]. probe: ET_PROBE (the u64 index of the concrete probe in prog->probes, known
 * to codegen when it emits that probe). func: ET_KSYM (kernel) or ET_USYM (user providers). args: the
 * tracepoint record, an ET_STRUCT (fields at offsets in the tracepoint context). When one probe body
 * serves several tracepoints, args is the first one's record; every field the body uses (args.f) exists
 * with the same type in all of them (offsets from sema_field_of); whole-args uses need equal records.
 *
 * KERNEL TYPES (src/kernel/btf.h). curtask is `struct task_struct *` (an ET_POINTER whose elem is a BTF
 * struct) when the kernel has BTF, else uint64. Casts to `struct x *`, `(T *)`, sizeof(struct x) and
 * offsetof(struct x, a.b) (AST_OFFSETOF: struct sema_const, the byte offset) resolve names in the
 * script's C definitions first, then BTF. `p->f` on a pointer to a struct: the AST_FIELD's sym is the
 * field of the completed struct (offset from the pointed-to address; et_field.bit_size set for
 * bitfields: codegen shifts and masks), read with bpf_probe_read_kernel (user when the pointer is
 * tagged user; both, kernel first, when the pointer's btf_id is 0). A pointer's elem struct may be a
 * stub (no fields): complete it through btf.h before reading fields; type graphs are acyclic.
 * Providers whose args come from BTF (PROVIDER_ARGS_BTF_FUNC: fentry, fexit; PROVIDER_ARGS_BTF_EVENT:
 * rawtracepoint; their context is PROVIDER_CTX_RAW_ARGS): args is an ET_STRUCT named "args" whose
 * fields are the BTF parameters at 8 * i in the context's u64 array (codegen reads the whole u64 and
 * cuts it to the field's integer type). fexit's retval has the BTF return type and sema_call.index =
 * the slot of the return value in that array (the parameter count).
 * uprobe (PROVIDER_ARGS_DWARF): args is the same ET_STRUCT "args" typed from the binary's DWARF
 * (kernel/dwarf.h), parameter i at 8 * i; codegen reads parameter i from the i-th argument register (the
 * stack after the sixth) and builds the record on the stack for a whole-args use. A uretprobe's retval
 * has the DWARF return type when every probe of the body has the same one, else uint64 (no DWARF: no
 * error). Only these uses open the DWARF.
 *
 * Functions: printf/print/time/exit/system/join/clear/zero and print(@m) return ET_VOID and have an event
 * (sema_call.event). Event payloads (prog->events[e].args, a tuple):
 *   printf, system: one field per argument after the format (storage types; integers are 8 bytes, the
 *                   runtime applies the C length modifiers); fmt = the format string.
 *   print(v):       one field, v's storage type.     print(@m[, top[, div]]): (uint64 top, uint64 div),
 *                   0 when not given; map = the map.
 *   time([fmt]):    no args; fmt = the format or "%H:%M:%S\n".
 *   exit([code]):   (int64 code), 0 when not given.
 *   clear/zero(@m): no args; map = the map.
 *   join(a[, sep]): SEMA_JOIN_MAX_ARGS fields string[max_strlen]: the strings of the NULL-terminated
 *                   array a (char **); fields after the NULL are empty strings. fmt = sep (default " ").
 * Other functions: str(p[, n]) string[max_strlen] (str($N) is the positional's text, compile time; str of a
 * string value, its own type);
 * strncmp(a, b, n) uint64, 0 when equal, its constant n in sema_call.index; len(@m) int64; has_key(@m, k)
 * bool; delete(@m[k]) / delete(@m, k) void; signal(sig) void (--unsafe): sema_call.index is the
 * signal number when sig is a string literal ("SIGKILL", "KILL"), else -1 and sig is evaluated.
 * Aggregations appear only as the value of `@m[...] = f(...)` (ASSIGN with op NONE, target MAP); the
 * CALL has a sema_call with the aggregation id; the map's value type is ET_AGG_* (lhist: lh_min, lh_max,
 * lh_step set; arguments 2..4 are constants), maps[i].percpu = true.
 *
 * Maps: elf_name "AT_" + name without '@' ("@" → "AT_", "@m" → "AT_m"); max_entries = max_map_keys,
 * or 1 for keyless maps (codegen may use an array for those). prog->ringbuf_name = "et_ringbuf" when
 * there are events, else NULL; prog->lost_map_name = "et_lost" always.
 *
 * Probes: prog_name is "<event or function name>_<index in prog->probes>" (the provider name when there is
 * none, e.g. "begin_0", "sys_enter_1"), cut so that it fits the kernel's 15-character program names;
 * a valid C identifier, unique. A probe whose body and predicate never read `args` gets raw = true and
 * the section of its raw form when its provider gives it one (provider->raw_section: a tracepoint, not
 * syscalls:*, which are not real kernel tracepoints) and no other block on it reads `args`; its BPF
 * context is then the raw tracepoint's u64 args[].
 *
 * Positional parameters: $N is an integer literal when its text is a decimal (0x hex, 0 octal, negative)
 * integer, else a string literal; a missing or empty $N is 0 with a warning, "" in str($N) (bpftrace's
 * rules). S + K with S a string literal or string $N and K a constant integer >= 0, and str($N + K), are
 * rewritten into the string literal S from offset K on (the node becomes AST_STRING). $# is the count
 * (int64). In an attach point, $N outside quotes is replaced by its text ("" when missing) before the
 * point is split (attach_substitute; the probe's text is then the expanded one).
 *
 * Scratch variables: probe-scoped as in bpftrace 0.17, plus `let` block scoping; the type is fixed by
 * the first assignment (or the let type); reading before any assignment is an error. */
#ifndef ET_SEMA_H
#define ET_SEMA_H
#include <stdbool.h>
#include <stdint.h>

#include "parser/ast.h"
#include "support/loc.h"
#include "program/types.h"

struct arena;
struct strtab;
struct diag_sink;
struct et_program;
struct et_type;

/* Largest max_strlen (config or environment): a string and its copies must fit the probe's 32 KiB
 * per-CPU scratch area (codegen's CG_SCRATCH_MAX). */
#define SEMA_MAX_STRLEN 8192u
/* Largest perf_rb_pages: 65536 pages are 256 MiB of ring buffer with 4 KiB pages. */
#define SEMA_MAX_RB_PAGES 65536u

/* Config variables the environment may set (BPFTRACE_MAX_STRLEN...): bit (1u << SEMA_CFG_x) of
 * sema_options.config_from_env says the environment set x, and then it wins over the script's config
 * block, as in bpftrace. */
enum sema_config_var {
	SEMA_CFG_MAX_STRLEN, SEMA_CFG_MAX_MAP_KEYS, SEMA_CFG_PERF_RB_PAGES, SEMA_CFG_STACK_MODE,
	SEMA_CFG_STR_TRUNC_TRAILER, SEMA_CFG_MISSING_PROBES, SEMA_CFG_PRINT_MAPS_ON_EXIT, SEMA_CFG_LICENSE,
	SEMA_CFG_MAX_PROBES, SEMA_CFG_MAX_BPF_PROGS, SEMA_CFG_CPP_DEMANGLE, SEMA_CFG_UNSTABLE_TSERIES,
	SEMA_CFG_UNSTABLE_DW_USTACK, SEMA_CFG_MAX_CAT_BYTES, SEMA_CFG_UNSTABLE_TYPEINFO,
	SEMA_CFG_UNSTABLE_IMPORT_STATEMENT,
};

/* bpftrace's unstable features (config unstable_tseries, unstable_dw_ustack, unstable_typeinfo,
 * unstable_import_statement): a script may use one with a warning, without one (enable), or not at all
 * (error). bpftrace's defaults: warn for tseries and dw_ustack, error for typeinfo and import statements
 * (sema applies them to a feature whose variable the environment did not set, whatever
 * sema_options.unstable holds for it). */
enum sema_unstable { SEMA_UNSTABLE_WARN, SEMA_UNSTABLE_ENABLE, SEMA_UNSTABLE_ERROR };
enum sema_unstable_feature {
	SEMA_UNSTABLE_TSERIES, SEMA_UNSTABLE_DW_USTACK, SEMA_UNSTABLE_TYPEINFO, SEMA_UNSTABLE_IMPORT_STATEMENT,
	SEMA_UNSTABLE_COUNT_
};
/* the SEMA_CFG_x bit of feature f's config variable */
unsigned sema_unstable_cfg_bit(enum sema_unstable_feature f);

/* Config values written as words (sema_config.c), for the environment's forms too: missing_probes
 * (error, warn, ignore → enum et_missing_probes; -1 for another word), a boolean (true/false, 1/0,
 * on/off, yes/no → 1/0; -1), a BPF license bpftrace accepts. */
int sema_missing_probes_word(const char *w);
int sema_bool_word(const char *w);
bool sema_license_known(const char *w);
/* enable (or true), warn, error (or false) → enum sema_unstable; -1 for another word */
int sema_unstable_word(const char *w);

struct sema_options {
	const char *const *positional; /* $1 .. $N texts */
	uint32_t npositional;
	const char *const *named;      /* the program's options after the script: "name=value" or "name" (the
	                                * leading "--" removed), for getopt() */
	uint32_t nnamed;
	bool unsafe;                   /* --unsafe: allow system(), signal(), uprobes of unknown bounds */
	uint32_t max_strlen;           /* default 64 (0 = default) */
	uint32_t max_map_keys;         /* default 4096 (0 = default) */
	uint32_t perf_rb_pages;        /* ring buffer pages (a power of two); 0 = codegen's choice */
	uint32_t max_cat_bytes;        /* the most bytes cat() prints; 0 = bpftrace's default, 10240 */
	const char *stack_mode;        /* default kstack/ustack format: "perf", "raw"; NULL = bpftrace */
	const char *str_trunc_trailer; /* what follows a truncated string when printed; NULL = ".." */
	bool has_cpid;                 /* -c given: cpid is allowed */
	int pid;                       /* -p, 0 = none */
	const char *cmd;               /* -c CMD (for `uprobe:FUNCTION`, passed to provider->expand); NULL = none */
	bool listing;                  /* -l: expand probes for listing (passed to provider->expand) */
	bool compile_only;             /* --emit-elf: probes this kernel cannot attach are still compiled */
	unsigned config_from_env;      /* (1u << SEMA_CFG_x): the environment set x (it wins over config) */
	int missing_probes;            /* enum et_missing_probes (default error) */
	bool no_exit_print;            /* print_maps_on_exit = false */
	bool no_demangle;              /* cpp_demangle = false */
	const char *license;           /* NULL = "GPL" */
	uint32_t max_probes;           /* max_probes / max_bpf_progs when set: the most probes; 0 = no limit */
	uint8_t unstable[SEMA_UNSTABLE_COUNT_]; /* enum sema_unstable of each feature */
};

int sema_analyze(struct ast_node *program, const struct sema_options *opts, struct arena *arena,
		 struct strtab *strtab, struct diag_sink *diag, struct et_program *prog);

/* What a builtin is (builtins.def says each kind's meaning). */
enum builtin_kind { BK_VAR, BK_FN, BK_ASYNC, BK_AGG };

enum builtin_id {
#define X(id, ...) BI_##id,
#include "sema/builtins.def"
#undef X
	BI_COUNT_
};

const char *builtin_name(enum builtin_id id);
enum builtin_kind builtin_kind(enum builtin_id id);
/* name is a builtin variable or function (pid, comm, arg0, printf ...): the macro expansion leaves a call
 * no user macro matches exactly to it, as bpftrace's own definitions of those names would match. */
bool builtin_known(const char *name);

#define SEMA_JOIN_MAX_ARGS 16

struct sema_map_ref {
	uint32_t map;             /* index into prog->maps */
};

struct sema_var {
	const char *name;         /* "$x", interned */
	struct et_type *type;     /* the storage type */
	bool fixed;               /* let $x: T: every store converts to T, which never widens */
	uint32_t id;              /* unique within the probe: 0 .. sema_probe.nvars - 1 */
	struct et_loc loc;        /* declaration / first assignment */
};

/* nsecs(clock)'s clock (sema_call.index). */
enum sema_clock { SEMA_CLOCK_MONOTONIC, SEMA_CLOCK_BOOT, SEMA_CLOCK_TAI, SEMA_CLOCK_SW_TAI };

struct sema_call {
	enum builtin_id id;
	int event;                /* index into prog->events for async calls, else -1 */
	int map;                  /* index into prog->maps of the map argument, else -1 */
	int index;                /* BI_ARGN: N of argN; else 0 */
	struct ast_node *expr;    /* a builtin defined as an expression over others (ppid is
	                           * curtask->real_parent->pid, as bpftrace's stdlib macros define them):
	                           * that expression, analysed; codegen lowers it in place of the call.
	                           * Else NULL */
};

/* On a division or modulo whose divisor may be 0 (AST_BINARY with / or %, AST_ASSIGN with /= or %=):
 * the event (ET_EV_RUNTIME_WARNING) to emit when the divisor is 0 at run time, when the result is 1 as in
 * bpftrace. A divisor that is a nonzero constant leaves sym NULL. */
struct sema_div {
	int event;
};

/* On a comparison of two integers: compare as signed (both operands are already extended to 64 bits
 * by their own signedness), as bpftrace compares in the type both sides promote to. */
struct sema_cmp {
	bool is_signed;
};

/* On an AST_INDEX (see above). */
struct sema_index {
	bool is_const;            /* the index is known at compile time: value (in bounds for arrays) */
	int64_t value;
	uint32_t count;           /* elements of an array or bytes of a string; 0 for a pointer or a
	                           * zero-length array (a flexible array member): no bounds */
	int event;                /* run-time index into an array or string: the ET_EV_RUNTIME_WARNING sent
	                           * when it is out of bounds; else -1 */
};

struct sema_const {
	bool is_string;
	int64_t value;            /* integer value */
	const char *str;          /* string value (NUL-terminated), when is_string */
	uint32_t len;             /* strlen(str) */
};

struct sema_field {
	struct et_field field;    /* first member: the field in the first concrete probe's record */
	uint32_t first, count;    /* per_probe covers prog->probes[first .. first + count) */
	const struct et_field *const *per_probe; /* NULL: the same field in every concrete probe */
};

/* The field an AST_FIELD node reads in concrete probe `probe` (an index into prog->probes). */
const struct et_field *sema_field_of(const struct ast_node *n, uint32_t probe);

/* The address space of analysed expression n used as an address, when its origin says: a pointer's
 * own (types.h: BTF, curtask, kptr()/uptr(), args, memory it was read from), kernel for kaddr(), user
 * for uaddr(); else ET_AS_NONE (the attach point decides, codegen's cg_addr_space). */
enum et_addr_space sema_addr_space(const struct ast_node *n);

struct sema_probe {
	uint32_t first, count;    /* range in prog->probes */
	bool uses_args;           /* body or predicate reads `args` */
	/* When the args fields the body reads lie at different places in different concrete probes
	 * (tracepoints, functions whose records differ): args_class[i] is the index (0 .. count) of the
	 * first concrete probe that reads them all where probe first + i does; codegen shares one body
	 * only between probes of one class. NULL: every field is read alike in all of them. */
	const uint32_t *args_class;
	uint32_t nvars;           /* number of sema_var ids used in this probe */
	/* a copy of the AST probe before it, made for attach points whose args records differ from its
	 * (sema's args_split.c): its diagnostics equal to the original's are not said again */
	bool copy;
};

#endif
