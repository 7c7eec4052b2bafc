/* tracefs: locate (and mount when needed) the kernel tracing file system. See tracefs.h. */
#define _DEFAULT_SOURCE /* mount */
#include "kernel/tracefs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRACEFS_DIR "/sys/kernel/tracing"
#define DEBUGFS_DIR "/sys/kernel/debug"
#define DEBUGFS_TRACING DEBUGFS_DIR "/tracing"

static bool has_events(const char *root)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", root);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* debugfs lets other tools (and older libbpf) find tracing under /sys/kernel/debug/tracing. */
static void mount_debugfs(void)
{
	struct stat st;

	if (stat(DEBUGFS_TRACING, &st) == 0)
		return;
	if (mount("debugfs", DEBUGFS_DIR, "debugfs", 0, NULL) != 0 && errno != EBUSY)
		return; /* optional: tracefs alone is enough for etrace */
}

static const char *find_root(int *err)
{
	if (has_events(TRACEFS_DIR))
		return TRACEFS_DIR;
	if (has_events(DEBUGFS_TRACING))
		return DEBUGFS_TRACING;
	if (mount("tracefs", TRACEFS_DIR, "tracefs", 0, NULL) != 0 && errno != EBUSY) {
		*err = errno;
		return NULL;
	}
	mount_debugfs();
	if (has_events(TRACEFS_DIR))
		return TRACEFS_DIR;
	if (has_events(DEBUGFS_TRACING))
		return DEBUGFS_TRACING;
	*err = ENODEV;
	return NULL;
}

const char *tracefs_root(void)
{
	static const char *root;
	static int err;
	static bool done;

	if (!done) {
		root = find_root(&err);
		done = true;
	}
	if (!root)
		errno = err;
	return root;
}

static const char *traceable_functions; /* --traceable-functions FILE */

void tracefs_set_traceable_functions(const char *path)
{
	traceable_functions = path;
}

const char *tracefs_traceable_functions(char *buf, size_t len)
{
	if (traceable_functions)
		return traceable_functions;
	return tracefs_path(buf, len, "available_filter_functions");
}

char *tracefs_path(char *buf, size_t len, const char *rel)
{
	const char *root = tracefs_root();
	int n;

	if (!root)
		return NULL;
	n = snprintf(buf, len, "%s/%s", root, rel);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return buf;
}
