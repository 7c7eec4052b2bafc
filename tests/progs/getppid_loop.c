/* getppid_loop N [threads]: make exactly N getppid() system calls (split over threads), then exit.
 * Its comm is the file name it was built as (tests build it as "etr_getppid"). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long per_thread;

static void *loop(void *arg)
{
	(void)arg;
	for (long i = 0; i < per_thread; i++)
		syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	int threads = argc > 2 ? atoi(argv[2]) : 1;
	if (threads < 1 || threads > 64 || n < 0 || n % threads) {
		fprintf(stderr, "usage: %s N [THREADS], N a multiple of THREADS\n", argv[0]);
		return 2;
	}
	per_thread = n / threads;
	pthread_t t[64];
	for (int i = 1; i < threads; i++)
		pthread_create(&t[i], NULL, loop, NULL);
	loop(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}
