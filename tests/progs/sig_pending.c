/* sig_pending: block SIGUSR1, make one getppid() system call, then print this thread's SigPnd (signals
 * pending on the thread) and ShdPnd (pending on the process) lines of /proc/thread-self/status.
 * A tracer that sends SIGUSR1 at the getppid() shows whether it went to the thread or to the process;
 * blocked, the signal stays pending and is discarded at exit. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	sigset_t set;
	char line[256];

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	syscall(SYS_getppid);
	FILE *f = fopen("/proc/thread-self/status", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "SigPnd:", 7) == 0 || strncmp(line, "ShdPnd:", 7) == 0)
			fputs(line, stdout);
	fclose(f);
	return 0;
}
