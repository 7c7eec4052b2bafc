/* comm_names NAME COUNT [NAME COUNT]...: for each pair, renames itself NAME (prctl PR_SET_NAME: the
 * kernel keeps 15 bytes) and makes COUNT getppid() calls; then renames itself "etr_cn_done" and exits.
 * Under NAME the tracer sees COUNT getppid() calls and the prctl() of the next rename. Names shorter
 * than the one before leave nothing of it behind in a comm key. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3 || argc % 2 == 0) {
		fprintf(stderr, "usage: %s NAME COUNT [NAME COUNT]...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i + 1 < argc; i += 2) {
		long n = atol(argv[i + 1]);
		prctl(PR_SET_NAME, argv[i], 0, 0, 0);
		for (long j = 0; j < n; j++)
			syscall(SYS_getppid);
	}
	prctl(PR_SET_NAME, "etr_cn_done", 0, 0, 0);
	return 0;
}
