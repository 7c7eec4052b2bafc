/* procfs: see procfs.h. */
#include "kernel/procfs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool procfs_other_mount_ns(int pid)
{
	char p[64];
	struct stat a, b;

	snprintf(p, sizeof(p), "/proc/%d/ns/mnt", pid);
	return stat("/proc/self/ns/mnt", &a) == 0 && stat(p, &b) == 0 && (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
}

const char *procfs_kernel_path(int pid, const char *path, char *out, size_t len)
{
	char link[64], root[4096];
	ssize_t n;
	int w;

	if (pid <= 0 || path[0] != '/' || !procfs_other_mount_ns(pid)) {
		w = snprintf(out, len, "%s", path);
	} else {
		snprintf(link, sizeof(link), "/proc/%d/root", pid);
		n = readlink(link, root, sizeof(root) - 1);
		if (n > 1 && root[0] == '/') {
			root[n] = 0;
			if (strncmp(path, root, (size_t)n) == 0 && path[n] == '/')
				path += n;
		}
		w = snprintf(out, len, "/proc/%d/root%s", pid, path);
	}
	if (w < 0 || (size_t)w >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return out;
}
