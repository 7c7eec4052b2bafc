/* cg: code generation. The analysed AST (annotated by sema, see sema.h's annotation contract) in; a BPF
 * ELF object in memory out.
 *
 * cg_compile() emits, through LLVM's C API (target bpfel, CPU v3, default<O2>):
 *   - one BTF-defined map in ".maps" per prog->maps entry, named prog->maps[i].elf_name: a per-CPU hash
 *     for aggregations (percpu), a hash otherwise; key = the map's key type, or u64 (always 0) for a
 *     keyless map; value = the value type (aggregations with the layouts of types.h);
 *   - a ring buffer named prog->ringbuf_name when events exist; records are the u64 event index followed
 *     by the event's args tuple (types.h layout). Submitted with BPF_RB_NO_WAKEUP, except exit, clear,
 *     zero and print(@m), which wake user space up;
 *   - ".bss" u64 counters, each made at its first use and incremented atomically (cg_dropped.c):
 *     prog->lost_map_name[1] failed ring buffer reserves, ET_DROPPED_MAP_NAME[nmaps] failed map updates
 *     per map, ET_READ_FAULTS_MAP_NAME[1] failed user-memory reads;
 *   - a per-CPU array "et_scratch" (u32 key = AST probe ordinal, one value per AST probe) holding the
 *     temporaries and variables larger than 16 bytes (strings, tuples, big zero values), which would
 *     not fit the 512-byte BPF stack; absent when no probe needs it. Internal: user space never reads it;
 *   - ".rodata" u64 globals set by the runtime before load: etrace_start_ns (CLOCK_MONOTONIC at start,
 *     for `elapsed`) and etrace_cpid (the -c child's pid, for `cpid`), etrace_ncpus (`ncpus`); only those the script uses;
 *     and "etrace_zero", zero bytes that map updates insert as a fresh aggregation value;
 *   - one program per prog->probes entry, named prog_name, in section probe->section, with debug
 *     line info from the AST locations so that verifier messages map back to the script. When an
 *     AST_PROBE produced several concrete probes, their programs call one shared static subprogram
 *     "<first prog_name>_body" holding the predicate and body (libbpf links it into each program);
 *     for-map loop bodies and len() are static callbacks of bpf_for_each_map_elem;
 *   - a "license" section ("GPL").
 * Memory: prog->elf is malloc'ed (freed by et_program_free); nothing else outlives the call.
 * Failure: constructs the generator does not support, and LLVM failures, are reported to diag (located
 * where possible); returns 0, or a negative errno (-EINVAL when diag got errors, -ENOMEM...). */
#ifndef ET_CG_H
#define ET_CG_H
#include <stdbool.h>
#include <stdio.h>

struct ast_node;
struct et_program;
struct diag_sink;

struct cg_options {
	bool dump_ir;   /* print the optimised LLVM IR to dump_out (stderr when NULL) */
	FILE *dump_out;
	FILE *ir_original;  /* when set, the LLVM IR before optimisation is printed there (-d codegen) */
	FILE *ir_optimized; /* the same after optimisation (-d codegen-opt), in addition to dump_ir */
	/* The script's path, named by the debug line info: the verifier's log then shows each line's
	 * source text ("; @a++; @ x.bt:3") when the file is readable. NULL: "etrace" (no text, e.g. -e). */
	const char *source_name;
	/* -p PID: kernel probes (kprobe, tracepoint, rawtracepoint) return early unless the current
	 * process is the .rodata global etrace_pid (the runtime sets it); user probes are attached to
	 * that process already. */
	bool pid_filter;
	/* The kernel has attach cookies (FEATURE_ATTACH_COOKIE) and nothing asks for a program per probe
	 * (--stats and --metrics count events per program): the probes of a block whose bodies are the
	 * same and whose providers pass cookies get one program, which reads the probe from its cookie. */
	bool attach_cookies;
	/* et_compile_options.helper_errors: which failed helper calls send an ET_EV_HELPER_ERROR */
	int helper_errors;
};

int cg_compile(struct ast_node *program, struct et_program *prog, const struct cg_options *opts,
	       struct diag_sink *diag);

#endif
