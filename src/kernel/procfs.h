/* procfs: another process's files as etrace reaches them, for a process in another mount namespace (a
 * container, `unshare -m`), whose files are read through /proc/PID/root as bpftrace reads them.
 * Failure: false / NULL + errno as stated; nothing is kept between calls. */
#ifndef ET_PROCFS_H
#define ET_PROCFS_H
#include <stdbool.h>
#include <stddef.h>

/* Is process pid in another mount namespace than etrace? (false when either cannot be read) */
bool procfs_other_mount_ns(int pid);

/* A path the kernel gave for a file of process pid (/proc/PID/exe, the file names in /proc/PID/maps),
 * as etrace can open it, into out: unchanged when pid shares etrace's mount namespace (or the path is
 * not absolute); else /proc/PID/root + the path as the process sees it. The kernel names such a file
 * from the top of that namespace's mounts, not from the process's root, when etrace's root lies outside
 * that namespace: chrooted in /newroot (the VM lane's guest), a process that unshared its mounts there
 * has its program named /newroot/tmp/prog and its root (/proc/PID/root) named /newroot; the root's name
 * is taken off. Returns out, or NULL + ENAMETOOLONG. */
const char *procfs_kernel_path(int pid, const char *path, char *out, size_t len);

#endif
