/* path_calls DIR: one call each of open(2) creating DIR/open (mode 0640), openat(2) creating
 * DIR/openat (mode 0604), mkdir(2) of DIR/mkdir (mode 0701) and mkdirat(2) of DIR/mkdirat (mode 0710),
 * in that order, made as those very system calls (glibc's open() and mkdir() may use the *at forms);
 * the files stay, the directories are removed again. The tracepoints of each pair keep the path and
 * the mode at different offsets of their records (tests/runtime/multi_args.sh). Then it calls
 * pc_first(11, 1) and pc_second(2, 22), whose parameters n and who are in swapped places (built with -g,
 * uprobe args come from DWARF). Its comm is the name it was built as. noipa keeps the signatures. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile long sink;

__attribute__((noipa)) void pc_first(long n, long who)
{
	sink = n + who;
}

__attribute__((noipa)) void pc_second(long who, long n)
{
	sink = n - who;
}

int main(int argc, char **argv)
{
	char path[4096];
	int dir, fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dir < 0) {
		perror(argv[1]);
		return 1;
	}
#ifdef SYS_open
	snprintf(path, sizeof(path), "%s/open", argv[1]);
	fd = (int)syscall(SYS_open, path, O_RDONLY | O_CREAT, 0640);
	if (fd >= 0)
		close(fd);
#endif
	fd = (int)syscall(SYS_openat, dir, "openat", O_RDONLY | O_CREAT, 0604);
	if (fd >= 0)
		close(fd);
#ifdef SYS_mkdir
	snprintf(path, sizeof(path), "%s/mkdir", argv[1]);
	syscall(SYS_mkdir, path, 0701);
	rmdir(path);
#endif
	syscall(SYS_mkdirat, dir, "mkdirat", 0710);
	unlinkat(dir, "mkdirat", AT_REMOVEDIR);
	close(dir);
	pc_first(11, 1);
	pc_second(2, 22);
	return 0;
}
