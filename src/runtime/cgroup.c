/* cgroup: the text of a cgroup_path() value, found when it is printed (as bpftrace does it): the id is
 * looked up in each mounted cgroup hierarchy whose name matches the value's filter ("unified" for
 * cgroup2 wherever it is mounted, the mount directory's base name for a v1 hierarchy), cgroup2 first,
 * then v1 in the order of their names; each hierarchy that holds the id adds "name:/path", joined by
 * ",". An id found nowhere prints as "". A cgroup's id is its directory's inode number in cgroupfs
 * (kernfs), so the lookup walks the hierarchy comparing the inode numbers readdir gives. See rt_int.h. */
#define _DEFAULT_SOURCE /* DT_DIR, d_type */
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <mntent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/rt_int.h"

struct hierarchy {
	char name[256];
	char root[4096];
};

/* Appends to path (holding len bytes, the directory at fd's path below the root) the path of the entry
 * under fd whose inode number is id; true when found. Symbolic links are not followed. Takes fd. */
static bool find_ino(int fd, uint64_t id, char *path, size_t len, size_t cap)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	bool found = false;

	if (!d) {
		close(fd);
		return false;
	}
	while (!found && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		bool is_dir;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || len + 1 + n >= cap)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, n + 1);
		if ((uint64_t)e->d_ino == id) {
			found = true;
			break;
		}
		is_dir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;

			is_dir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		}
		if (is_dir) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				found = find_ino(sub, id, path, len + 1 + n, cap);
		}
	}
	if (!found)
		path[len] = 0;
	closedir(d);
	return found;
}

/* The id's path below root ("/" for the root itself), or false. */
static bool path_in(const char *root, uint64_t id, char *path, size_t cap)
{
	struct stat st;
	int fd;

	if (stat(root, &st) != 0)
		return false;
	if ((uint64_t)st.st_ino == id) {
		snprintf(path, cap, "/");
		return true;
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return false;
	path[0] = 0;
	return find_ino(fd, id, path, 0, cap);
}

static int by_name(const void *a, const void *b)
{
	const struct hierarchy *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->root, y->root);
}

void rt_format_cgroup_path(struct rt_str *o, const char *filter, uint64_t id)
{
	struct hierarchy *h = NULL;
	size_t n = 0, nv2 = 0, cap = 0, i;
	struct mntent *m, buf;
	char line[8192], path[4096];
	bool first = true;
	FILE *f = setmntent("/proc/mounts", "re");

	if (!f)
		return;
	/* two passes keep cgroup2 first, in mount order, then v1 */
	for (int pass = 0; pass < 2; pass++) {
		rewind(f);
		while ((m = getmntent_r(f, &buf, line, sizeof(line)))) {
			const char *name, *slash;
			struct stat st;

			if (strcmp(m->mnt_type, pass == 0 ? "cgroup2" : "cgroup") != 0)
				continue;
			if (stat(m->mnt_dir, &st) != 0 || !S_ISDIR(st.st_mode))
				continue;
			slash = strrchr(m->mnt_dir, '/');
			name = pass == 0 ? "unified" : slash ? slash + 1 : m->mnt_dir;
			if (fnmatch(filter, name, 0) != 0)
				continue;
			if (n == cap) {
				struct hierarchy *nh;

				cap = cap ? cap * 2 : 4;
				nh = realloc(h, cap * sizeof(*h));
				if (!nh)
					abort();
				h = nh;
			}
			snprintf(h[n].name, sizeof(h[n].name), "%s", name);
			snprintf(h[n].root, sizeof(h[n].root), "%s", m->mnt_dir);
			n++;
		}
		if (pass == 0)
			nv2 = n;
	}
	endmntent(f);
	if (n > nv2) /* no v1 hierarchy may match: h may be NULL, which qsort must not get */
		qsort(h + nv2, n - nv2, sizeof(*h), by_name);
	for (i = 0; i < n; i++) {
		if (!path_in(h[i].root, id, path, sizeof(path)))
			continue;
		rt_str_printf(o, "%s%s:%s", first ? "" : ",", h[i].name, path);
		first = false;
	}
	free(h);
}
