/* tracepoint: kernel tracepoints (tracepoint:CAT:EVENT, alias t) and their record formats.
 * tracepoint_args_type() reads tracefs events/<cat>/<event>/format and describes the record the
 * kernel hands a BPF tracepoint program: an ET_STRUCT named "struct tracepoint:<cat>:<event>" with
 * every field (common_* included) at its offset. Char arrays are ET_STRING of their size,
 * `__data_loc` / `__rel_loc` fields are ET_INT (u32) named by their C type text ("__data_loc char[]"),
 * pointers are ET_POINTER (elem NULL; space ET_AS_USER in syscalls:* records, whose pointer arguments
 * are user addresses, ET_AS_KERNEL elsewhere),
 * other arrays are ET_ARRAY of ET_INT, integers are ET_INT with the C type name and the `signed` flag
 * of the format file. Allocated in `a`. NULL + errno (ENOENT when the tracepoint does not exist,
 * EINVAL when the format file cannot be parsed).
 * tracepoint_can_attach_raw() tells sema whether a tracepoint may be attached as a raw tracepoint
 * (section "raw_tp/<event>"): true for events backed by a real kernel tracepoint of the same name
 * (sched:sched_switch, raw_syscalls:sys_enter ...); false for syscalls:* (those are ftrace events fed
 * by raw_syscalls, not tracepoints) and for dynamic/synthetic event categories. */
#ifndef ET_TRACEPOINT_H
#define ET_TRACEPOINT_H
#include <stdbool.h>

struct arena;
struct et_type;

struct et_type *tracepoint_args_type(struct arena *a, const char *category, const char *event);
bool tracepoint_can_attach_raw(const char *category, const char *event);

#endif
