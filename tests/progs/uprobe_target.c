/* uprobe_target N [SLEEP_MS [LINGER_MS]]: a program for the uprobe/usdt/stack tests. After sleeping
 * SLEEP_MS (default 0, so that a test can attach with -p first; -1: until its standard input reaches a
 * line or its end, so that a test attaching with -p lets it go when attached, however slow the machine
 * is), it runs N rounds, then sleeps
 * LINGER_MS (so that its symbols can still be read while a test prints); each round calls
 * et_add(i, 1), et_sum6(1..6), et_greet("hello") (returns its length), malloc(12345) and free, et_lib_mul(i, 3) from
 * libetr.so when linked with -DWITH_LIB, et_outer() → et_middle() → et_inner() (for ustack), and fires
 * the USDT probes:
 *   ettest:sizes     (int8 -1, uint8 200, int16 -300, uint16 60000, int32 -70000, uint32 4000000000,
 *                     int64 -5000000000, i)       -- values kept in memory or registers by the compiler
 *   ettest:str       (char *"usdt-string", i)
 *   ettest:consts    (42, -7)  -- constants in the note
 *   ettest:twice     (i), placed at two sites
 *   ettest:withsem   (i) with a semaphore: fired only while a tracer has it enabled
 * At the end it prints "withsem_enabled=K" (rounds in which the semaphore was on) and "done".
 * Built from uprobe_target.c and uprobe_target_sem.c, with -fno-omit-frame-pointer (ustack walks frame pointers). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>
#include <time.h>

#define NOINLINE __attribute__((noinline, used))

/* uprobe_target_sem.c: the probe with a semaphore (sdt.h decides per file) */
extern unsigned short ettest_withsem_semaphore;
void et_withsem(long i);

#ifdef WITH_LIB
int et_lib_mul(int a, int b);
#endif

NOINLINE int et_add(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a + b;
}

NOINLINE long et_sum6(long a, long b, long c, long d, long e, long f)
{
	__asm__ volatile("" ::: "memory");
	return a + b + c + d + e + f;
}

NOINLINE int et_greet(const char *s)
{
	__asm__ volatile("" ::: "memory");
	return (int)strlen(s);
}

static volatile int sink;
static void *volatile mptr;

NOINLINE void et_inner(int i)
{
	sink += i;
	__asm__ volatile("" ::: "memory");
}

NOINLINE void et_middle(int i)
{
	et_inner(i + 1);
	__asm__ volatile("" ::: "memory");
}

NOINLINE void et_outer(int i)
{
	et_middle(i + 1);
	__asm__ volatile("" ::: "memory");
}

NOINLINE void et_twice_a(long i)
{
	DTRACE_PROBE1(ettest, twice, i);
}

NOINLINE void et_twice_b(long i)
{
	DTRACE_PROBE1(ettest, twice, i + 1000);
}

static void sizes(long i)
{
	volatile int8_t a = -1;
	volatile uint8_t b = 200;
	volatile int16_t c = -300;
	volatile uint16_t d = 60000;
	volatile int32_t e = -70000;
	volatile uint32_t f = 4000000000u;
	volatile int64_t g = -5000000000LL;
	int8_t ra = a;
	uint8_t rb = b;
	int16_t rc = c;
	uint16_t rd = d;
	int32_t re = e;
	uint32_t rf = f;
	int64_t rg = g;

	DTRACE_PROBE8(ettest, sizes, ra, rb, rc, rd, re, rf, rg, i);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	long ms = argc > 2 ? atol(argv[2]) : 0;
	long linger = argc > 3 ? atol(argv[3]) : 0;
	static const char greeting[] = "hello";
	int enabled = 0;

	/* the page of the string is made resident before the first probe reads it (see issue 4: a
	 * non-sleepable probe cannot fault it in) */
	sink += *(const volatile char *)greeting;

	if (ms < 0) {
		char line[16];
		if (!fgets(line, sizeof(line), stdin))
			clearerr(stdin);
	} else if (ms > 0) {
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	for (long i = 0; i < n; i++) {
		sink += et_add((int)i, 1);
		sink += (int)et_sum6(1, 2, 3, 4, 5, 6);
		sink += et_greet(greeting);
		mptr = malloc(12345);
		free(mptr);
#ifdef WITH_LIB
		sink += et_lib_mul((int)i, 3);
#endif
		et_outer((int)i);
		sizes(i);
		DTRACE_PROBE2(ettest, str, "usdt-string", i);
		DTRACE_PROBE2(ettest, consts, 42, -7);
		et_twice_a(i);
		et_twice_b(i);
		if (ettest_withsem_semaphore) {
			enabled++;
			et_withsem(i);
		}
	}
	printf("withsem_enabled=%d\ndone\n", enabled);
	fflush(stdout);
	if (linger > 0) {
		struct timespec ts = {linger / 1000, (linger % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	}
	return 0;
}
