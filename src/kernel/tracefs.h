/* tracefs: where the kernel's tracing file system lives, mounting it when it is missing.
 * tracefs_root() returns "/sys/kernel/tracing" or "/sys/kernel/debug/tracing" (a directory holding
 * events/); when neither is mounted it mounts tracefs on /sys/kernel/tracing and debugfs on
 * /sys/kernel/debug (both needed by tools that look in either place; needs root).
 * The answer is cached for the life of the process; the string is static.
 * Failure: NULL + errno (EACCES/EPERM when not root, ENODEV when the kernel has no tracefs). */
#ifndef ET_TRACEFS_H
#define ET_TRACEFS_H
#include <stddef.h>

const char *tracefs_root(void);

/* Build "<root>/<rel>" into buf; returns buf, or NULL + errno (tracefs missing, ENAMETOOLONG). */
char *tracefs_path(char *buf, size_t len, const char *rel);

/* The file listing the traceable kernel functions ("func" or "func [module]" lines): the one set with
 * tracefs_set_traceable_functions() (--traceable-functions FILE), else <root>/available_filter_functions
 * built into buf. NULL + errno as tracefs_path(). The path set is borrowed for the life of the process. */
const char *tracefs_traceable_functions(char *buf, size_t len);
void tracefs_set_traceable_functions(const char *path);

#endif
