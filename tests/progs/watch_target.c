/* watch_target N [STEP]: write 1*STEP, 2*STEP ... N*STEP (STEP 10 by default) to the global `watched`
 * (a uint64), then exit. First it prints `watched`'s address ("0x..." and a newline) on stderr and,
 * before each write, reads a byte of stdin: a test holds it there until etrace watches the address, or
 * paces the writes; at end of file it no longer waits. Watchpoint tests watch the address. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile uint64_t watched;

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 3;
	uint64_t step = argc > 2 ? strtoull(argv[2], NULL, 0) : 10;
	int eof = 0;
	char c;

	fprintf(stderr, "%p\n", (void *)&watched);
	for (long i = 1; i <= n; i++) {
		if (!eof && read(0, &c, 1) != 1)
			eof = 1;
		watched = (uint64_t)i * step;
	}
	return 0;
}
