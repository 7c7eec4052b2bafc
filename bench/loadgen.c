/* loadgen: the producer for bench/load.sh.
 *   loadgen threads SECONDS N: N threads, each renamed "etloadI" (prctl), call getppid() as fast as they
 *     can for SECONDS, then rename themselves "etdone" and exit. Prints one line per thread:
 *     "etloadI CALLS" where CALLS counts every syscall the thread made under that name (the getppid
 *     calls plus the final rename's prctl), i.e. what `@[comm] = count()` on sys_enter must show.
 *   loadgen flood COUNT: renamed "etflood", calls getppid() COUNT times, prints COUNT.
 * Waits for a line on stdin before starting (the tracer has attached by then). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static atomic_int stop;
static unsigned long long calls[64];

static void *worker(void *arg)
{
	long i = (long)arg;
	char name[16];
	unsigned long long n = 0;

	snprintf(name, sizeof(name), "etload%ld", i);
	prctl(PR_SET_NAME, name);          /* entered under the old name: not counted */
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		getppid();
		n++;
	}
	prctl(PR_SET_NAME, "etdone");       /* entered under etloadI: counted */
	calls[i] = n + 1;
	return NULL;
}

int main(int argc, char **argv)
{
	char line[16];

	if (argc < 3)
		return 2;
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	if (argv[1][0] == 'f') {
		long count = atol(argv[2]);
		prctl(PR_SET_NAME, "etflood");
		for (long i = 0; i < count; i++)
			getppid();
		prctl(PR_SET_NAME, "etflooddone");
		printf("%ld\n", count);
		return 0;
	}
	int secs = atoi(argv[2]), nthreads = argc > 3 ? atoi(argv[3]) : 4;
	pthread_t t[64];
	if (nthreads < 1 || nthreads > 64)
		return 2;
	for (long i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	sleep((unsigned)secs);
	atomic_store(&stop, 1);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nthreads; i++)
		printf("etload%d %llu\n", i, calls[i]);
	return 0;
}
