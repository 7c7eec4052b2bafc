/* btf: kernel types by name from the kernel's own BTF (/sys/kernel/btf/vmlinux, then module BTF under
 * /sys/kernel/btf/), through libbpf's btf.h, turned into etrace's struct et_type. No clang, no headers.
 *
 * Loading is lazy: the BTF files are parsed the first time a script needs a kernel type (process
 * lifetime, shared by every compilation; btf_unload() frees them). Conversion is lazy too: a struct
 * reached through a pointer is a *stub* (ET_STRUCT with btf_id, name and size, no fields) until
 * btf_complete() is asked for its fields (sema does that on `p->field`). Completed structs carry their
 * embedded structs, unions and arrays completed; pointers inside them point to fresh stubs again, so a
 * type graph never has cycles (type_copy/type_equal recurse safely).
 *
 * Mapping: integers → ET_INT (name = the C name, bool → ET_BOOL), enums → ET_INT of the enum's size
 * (name "enum x"), char arrays → ET_STRING of the array size, other arrays → ET_ARRAY, pointers →
 * ET_POINTER (user = true when BTF tags the pointee `user`, i.e. `__user` in the kernel source; elem NULL
 * for void and function pointers), struct/union → ET_STRUCT ("struct x" / "union x"). Typedefs,
 * const, volatile, restrict and tags are looked through. Members of anonymous structs/unions are
 * flattened into the parent (as C lets you name them). Bitfields set et_field.bit_offset/bit_size, with
 * `offset` the first byte of the storage unit (the member type's size, aligned to it) holding the bits.
 * Type ids: et_type.btf_id = the BTF id, with the module index (0 = vmlinux) in bits 24..31; an
 * untagged `char *` gets btf_id 0 (address space unknown: codegen reads kernel memory, then user memory).
 *
 * Memory: et_types live in the `arena` given to btf_types_new (the compile arena). Failure: NULL + errno
 * (ENOENT: no such type or function; when the kernel has no BTF, the errno of libbpf's load). */
#ifndef ET_BTF_H
#define ET_BTF_H
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct btf;
struct et_type;

struct btf_types;

/* A conversion cache for one compilation; nothing is loaded yet. Never fails (arena). */
struct btf_types *btf_types_new(struct arena *a);
/* The same over a given BTF (tests: a BTF built in memory). `b` stays owned by the caller. */
struct btf_types *btf_types_new_from(struct arena *a, struct btf *b);

/* Is kernel BTF available? 0, or -errno (loads it on the first call). */
int btf_available(struct btf_types *bt);

/* A type by its C name: "struct task_struct", "union bpf_attr", "enum pid_type", "struct sock *"
 * not accepted (callers build pointers), a typedef name ("pid_t"), or a base type name ("int").
 * Structs come back completed. NULL + errno. */
struct et_type *btf_type_by_name(struct btf_types *bt, const char *name);

/* A stub (no fields; btf_id, name and size set) of the kernel's "struct x" / "union x", made in arena `a`
 * without a btf_types (tracepoint formats name them: `struct sk_buff * skbaddr`); btf_complete() of any
 * btf_types fills it in later. NULL + errno (ENOENT: no such type; EINVAL: not a struct/union name). */
struct et_type *btf_struct_stub(struct arena *a, const char *name);

/* The vmlinux enum (BTF_KIND_ENUM, as bpftrace) that has the enumerator `name` (TRACE_SIGNAL_DELIVERED):
 * its type (an enum ET_INT), *value the enumerator's value. NULL + errno (ENOENT: none). */
struct et_type *btf_enumerator(struct btf_types *bt, const char *name, int64_t *value);

/* The completed struct/union for a stub (or the type itself when it is complete or not a struct).
 * NULL + errno when its BTF id cannot be resolved. */
struct et_type *btf_complete(struct btf_types *bt, struct et_type *t);

/* `struct task_struct *`, the type of curtask. NULL + errno. */
struct et_type *btf_task_ptr(struct btf_types *bt);
/* `struct NAME *` as a BTF-typed kernel pointer (btf_id set): the type of an iter probe's ctx
 * (`struct bpf_iter__task *`). NULL + errno (ENOENT: no such struct). */
struct et_type *btf_struct_ptr(struct btf_types *bt, const char *name);
/* Does vmlinux's BTF define `struct NAME`? false when the kernel has no BTF. */
bool btf_has_struct(const char *name);
/* The names of vmlinux's structs starting with `prefix` (BTF order, strings owned by the process-wide
 * BTF) into *names (malloc'd, the caller frees the array); returns how many. For -l 'iter:*'. */
uint32_t btf_struct_names(const char *prefix, const char ***names);

/* The prototype of kernel function `func` (BTF FUNC): *args = ET_STRUCT named "args" whose fields are
 * the parameters by name at offsets 8 * i (the u64 argument array of fentry/fexit/raw tracepoints),
 * *ret = the return type (NULL for void), *nparams = the number of parameters. 0 or -errno
 * (-ENOENT: no such function in BTF). */
int btf_func_proto(struct btf_types *bt, const char *func, struct et_type **args, struct et_type **ret,
		   uint32_t *nparams);

/* The raw tracepoint `name`'s arguments from the kernel's `btf_trace_<name>` typedef (a pointer to a
 * function whose first parameter is the `void *` context): the same layout as btf_func_proto without
 * that context parameter. 0 or -errno. */
int btf_tracepoint_proto(struct btf_types *bt, const char *name, struct et_type **args, uint32_t *nparams);

/* Does the kernel have the `btf_trace_<event>` typedef (in vmlinux or a module) that a BTF-typed raw
 * tracepoint program (tp_btf) attaches through? Process-wide: the first call indexes the names once
 * (a wildcard over every tracepoint asks ~2000 times). false when the kernel has no BTF. */
bool btf_has_tracepoint_type(const char *event);
/* The BTF object that has it: "vmlinux" or the module's name (bpftrace lists raw tracepoints as
 * rawtracepoint:MODULE:EVENT from there); NULL when none has it. */
const char *btf_tracepoint_module(const char *event);

/* Does vmlinux's enum `enum_name` have the enumerator `name` (e.g. bpf_func_id has
 * BPF_FUNC_get_current_task_btf when the kernel has that helper)? false when the kernel has no BTF. */
bool btf_has_enumerator(const char *enum_name, const char *name);
/* The byte offset of the (top-level, not bitfield) member `member` of vmlinux's `struct struct_name`
 * (task_struct's comm), or -1 when BTF lacks either. */
int64_t btf_member_offset(const char *struct_name, const char *member);
/* Does vmlinux's BTF have the function `name` (a kfunc, or any kernel function: bpftrace's kfunc_exist
 * asks the same)? false when the kernel has no BTF. */
bool btf_has_func(const char *name);

/* The process-wide vmlinux BTF (loaded on first use), for listing. NULL + errno. */
const struct btf *btf_vmlinux(void);
/* The i-th process-wide BTF object (0: vmlinux, then each loaded module's, split over vmlinux; modules are
 * loaded on first use) into *b, its name ("vmlinux" or the module's) into *name; returns how many there
 * are, 0 when i is past the last (or the kernel has no BTF). For -l 'struct X'. */
uint32_t btf_object(uint32_t i, const struct btf **b, const char **name);
/* The BTF of running BPF program `id` (its object's BTF, loaded from the kernel once and kept with the
 * process-wide objects), for fentry:bpf:ID:FUNC. NULL + errno (no such program, or it has no BTF). */
const struct btf *btf_bpf_prog(uint32_t id);
/* The functions of running BPF program `id` (its main function and subprograms, by their BTF names, as
 * func_info lists them) into names[0..max) (strings owned by btf_bpf_prog's BTF); returns how many, 0
 * when it has none or cannot be read. */
uint32_t btf_bpf_prog_funcs(uint32_t id, const char **names, uint32_t max);
/* Free the process-wide BTF objects (idempotent). */
void btf_unload(void);

#endif
