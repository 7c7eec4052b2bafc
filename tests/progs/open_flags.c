/* open_flags DIR N M: open(2) a new file in DIR with O_CREAT exactly N times and an existing one
 * without O_CREAT exactly M times (each through openat, closed and the new ones removed), then exit.
 * Its comm is the file name it was built as (tests/runtime/preproc.sh builds it as "etr_openflags"). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s DIR N M\n", argv[0]);
		return 2;
	}
	long n = atol(argv[2]), m = atol(argv[3]);
	char path[4096];
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/new.%ld", argv[1], i);
		int fd = openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
		unlink(path);
	}
	for (long i = 0; i < m; i++) {
		int fd = openat(AT_FDCWD, argv[1], O_RDONLY | O_DIRECTORY);
		if (fd < 0) {
			perror(argv[1]);
			return 1;
		}
		close(fd);
	}
	return 0;
}
