/* dwarf: the DWARF debug info of a user binary, read with elfutils' libdw, for uprobes: the parameters
 * of a function as etrace types (`args.NAME` of uprobe/uretprobe, `retval`) and as C declarations
 * (`-lv`). The DWARF is the file's own or a separate debug file found by build-id or .gnu_debuglink
 * (under /usr/lib/debug, beside the file); compressed sections are read too.
 * Types follow today's bpftrace: typedefs, const and volatile are peeled; integers keep their width
 * and signedness; an enum is an unsigned integer of its size; a pointer points into user memory; a
 * struct or union lists its members (a pointer's struct down to DWINFO_MAX_DEPTH pointers deep, beyond
 * that the pointer is untyped: type graphs stay acyclic); char arrays are strings.
 * The args struct mirrors where the parameters are at the function's entry by the x86-64 System V
 * calling convention (dwarf.c explains it): a parameter at offset 8 * k starts in slot k, where slots
 * 0 .. 5 are the six argument registers and slot 6 + j the j-th eightbyte of the stack's argument area
 * above the return address; a struct by value spans consecutive slots (two registers, or its bytes
 * on the stack). The slots between parameters are unused. A parameter that a uprobe cannot read (in
 * SSE registers, of a type etrace has no value for, or placed after one etrace cannot classify) is a
 * field of kind ET_NONE whose type name says why, at offset 0.
 * libdw is opened only by these calls (the cost of a script without uprobe args is unchanged).
 * Memory: types and strings are allocated in the arena passed in.
 * Failure: 0 or a negative errno: -ENODATA the file has no DWARF, -ENOENT no such function in it,
 * -ENOEXEC not an ELF file, others from open(). */
#ifndef ET_DWARF_H
#define ET_DWARF_H
#include <stdint.h>
#include <stdio.h>

struct arena;
struct et_type;

#define DWINFO_MAX_DEPTH 3

/* --debuginfo DIR[:DIR]: where to look first for the separate debug file of a binary without DWARF
 * (by build id or .gnu_debuglink name; a relative DIR from the binary's directory, a leading + to check
 * the CRC), before the defaults: the binary's directory, its .debug, /usr/lib/debug. The string is
 * copied. */
void dwinfo_set_search_path(const char *dirs);

/* The parameters of `func` in `path` as the args struct (*args, named "args"), its return type (*ret:
 * NULL for void) and the parameter count. */
int dwinfo_func_args(struct arena *a, const char *path, const char *func, struct et_type **args,
		    struct et_type **ret, uint32_t *nparams);

/* The type `name` that `path` defines: "struct x", "union x", "enum x" or a typedef or base type name,
 * as an etrace type (a struct completed with its members; an enum an unsigned integer) in *out: casts
 * in uprobes of that binary ((struct x *)arg0). -ENOENT: the DWARF defines no such type. */
int dwinfo_type_by_name(struct arena *a, const char *path, const char *name, struct et_type **out);

/* uprobe:BINARY@FILE:LINE[:COL]: the virtual address of the first statement at LINE (and column COL; 0
 * any) of the source file that ends with FILE's path components, as bpftrace finds it. -ENOENT: no
 * compilation unit has such a file; -ENOTUNIQ: two files end so (both named in detail, "A, B");
 * -ERANGE: no statement there. */
int dwinfo_line_addr(const char *path, const char *file, uint32_t line, uint32_t col, uint64_t *vaddr,
		     char *detail, size_t len);

/* A binary's DWARF kept open, for the runtime's many lookups (stack frames): NULL when it has none
 * (wherever debug files are searched). dwinfo_close(NULL) does nothing. */
struct dwinfo;
struct dwinfo *dwinfo_open(const char *path);
void dwinfo_close(struct dwinfo *d);
/* The source line of the instruction at virtual address vaddr as "FILE:LINE" (FILE the path in the
 * line table, joined to its directory), the "@FILE:LINE" of bpftrace's stack frames. -ENOENT: none. */
int dwinfo_src_line(struct dwinfo *d, uint64_t vaddr, char *buf, size_t len);

/* The source frames of the instruction at vaddr, innermost first, as bpftrace's stack frames show them
 * with show_debug_info: fn(arg, NAME, LINKAGE, "FILE:LINE") for each function inlined there (NAME its
 * DW_AT_name, LINKAGE its mangled name or NULL; FILE:LINE where its code is, or where it inlines the
 * next one), then fn(arg, NULL, NULL, "FILE:LINE") for the function that holds the code (where it
 * inlines the outermost one, else the line of vaddr). The strings live until fn returns. -ENOENT: no
 * line for vaddr (fn is not called). */
typedef void dwinfo_frame_fn(void *arg, const char *name, const char *linkage, const char *where);
int dwinfo_src_frames(struct dwinfo *d, uint64_t vaddr, dwinfo_frame_fn *fn, void *arg);

/* Print one line "    TYPE NAME" per parameter of `func` (bpftrace's -lv form: "int* n",
 * "struct Foo* foo1", "const char* s"). */
int dwinfo_list_params(const char *path, const char *func, FILE *out);

#endif
