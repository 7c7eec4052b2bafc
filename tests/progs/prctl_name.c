/* prctl_name NAME: renames itself with prctl(PR_SET_NAME, NAME), then exits. A system call whose
 * argument is a user address held in an integer (prctl's arg2 is an unsigned long). */
#include <stdio.h>
#include <sys/prctl.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s NAME\n", argv[0]);
		return 2;
	}
	return prctl(PR_SET_NAME, argv[1], 0, 0, 0) == 0 ? 0 : 1;
}
