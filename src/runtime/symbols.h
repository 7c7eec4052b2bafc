/* symbols: user-space addresses to names for usym/func printing, as bpftrace prints them ("main",
 * "main+12", or the hex address when unknown). An address is looked up in the process's
 * /proc/PID/maps (file and offset), then in that file's function symbols (libelf, cached per file
 * for the life of the process). When the process is gone, the non-PIE binaries that the program's
 * probes attach to are tried with the address as it is.
 * A usym value whose pid word is SYM_PROBE_FUNC holds a probe index instead of an address: the
 * function of that uprobe/uretprobe (codegen's `func`, which for a uretprobe is the function
 * returned from, not the return address).
 * Memory: the cache is freed at exit. Failure: nothing to report; unknown addresses print in hex. */
#ifndef ET_SYMBOLS_H
#define ET_SYMBOLS_H
#include <stdbool.h>
#include <stdint.h>

struct rt_str;
struct et_program;

#define SYM_PROBE_FUNC UINT64_MAX

void sym_format_user(struct rt_str *o, const struct et_program *prog, uint64_t addr, uint64_t pid);

/* A kernel address from /proc/kallsyms (read once): with `code`, the function it is in as "func+off" (for
 * stack frames), else the nearest symbol's name, as ksym() prints; -1 (nothing written) when unknown. */
int sym_format_kernel(struct rt_str *o, uint64_t addr, bool code);

/* An address no symbol names, as ksym()/usym() print it: hex, "0x..." (bpftrace prints the address as a
 * C++ void *, which gives "0" for 0). */
void sym_format_addr(struct rt_str *o, uint64_t addr);

/* Stacks (kstack/ustack values: the stack id, and the pid for ustack) read from the stack map whose
 * fd the loader registered (-1: none; stacks print empty). Printed like bpftrace: a newline, then one
 * frame per line, "        func+off" (bpftrace mode), "\tADDR func+off (module)" (perf mode) or the
 * hex address (raw), at most the type's depth (count) frames. */
struct et_type;
void sym_set_stack_map(int fd);
void sym_format_stack(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		      const uint8_t *data);

#endif
