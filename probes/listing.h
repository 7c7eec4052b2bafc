/* listing: `etrace -l [PATTERN]` / `-lv`. Prints the concrete probes matching PATTERN, one per line
 * ("tracepoint:sched:sched_switch"): the probe types in name order, each one's lines sorted and once, as
 * bpftrace; NULL or "" is "*:*": bpftrace's kernel probe types (PROVIDER_LISTABLE: fentry, hardware, iter,
 * kprobe, rawtracepoint, software, tracepoint), whether this kernel runs them or not; a type that cannot
 * find its probes here lists nothing, silently. Other types (kretprobe, interval...) when named.
 * With verbose, each tracepoint is followed by its fields as the format file declares them
 * ("    pid_t prev_pid"), common_* fields left out, as bpftrace -lv does; fentry/fexit and rawtracepoint
 * probes by their BTF arguments ("    int dfd", fexit adds "    TYPE retval").
 * fentry/fexit list "fentry:vmlinux:FUNC" (the object too, as bpftrace). Wildcards (* ? [..]) work in
 * every part.
 * As bpftrace: "A,B" lists each pattern in turn; a pattern without ':' is the last part of every probe
 * type ("*:PATTERN"); "tracepoint:EVENT" matches EVENT in every category; interval:* and profile:* list
 * their forms ("interval:hz:", "interval:ms:", "interval:s:", "interval:us:").
 * "struct X" / "union X" / "enum X" (globs) list the kernel's named types of that kind from BTF (vmlinux
 * and loaded modules), sorted; verbose: each matching definition as btf_dump writes it, after
 * "vmlinux: " (or one copy per module defining it) and followed by a blank line.
 * Memory: temporary strings in `a`. Failure: a pattern naming no provider is reported to diag
 * (loc = `loc`) and gives -EINVAL; otherwise 0 (also when nothing matches). */
#ifndef ET_LISTING_H
#define ET_LISTING_H
#include <stdbool.h>
#include <stdio.h>

#include "support/loc.h"

struct arena;
struct diag_sink;

/* pid: the -p process (0: none): `uprobe:*:...` and `usdt:*:...` list its mapped objects' probes */
int provider_list(const char *pattern, bool verbose, int pid, struct arena *a, struct diag_sink *diag,
		  struct et_loc loc, FILE *out);

#endif
