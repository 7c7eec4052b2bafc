/* arrays N: the uprobe target of tests/runtime/arrays.sh. Calls et_arrays(&s, s.ints, names, i) for
 * i = 0 .. N-1, then prints "done". The struct holds arrays of every shape the test reads: int
 * elements, a 2-D array, an array of string pointers, a byte array and an array of structs; the values
 * are fixed (below), so the test knows every element it reads:
 *   ints  = {1, 2, 3, 4}                 grid[r][c] = 100 + 10 * r + c  (2 x 3)
 *   names = {"zero", "one", "two"}       bytes = {1, 2, 3, 4, 5, 6, 7, 8}
 *   wide  = {-5, 1 << 40}                pairs = {{-1, 2}, {3, -4}} */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline, used))

struct et_pair {
	short a;
	short b;
};

struct et_arrs {
	int ints[4];
	int grid[2][3];
	const char *names[3];
	unsigned char bytes[8];
	long long wide[2];
	struct et_pair pairs[2];
};

static volatile long sink;

NOINLINE void et_arrays(struct et_arrs *s, int *ints, const char **names, long idx)
{
	sink += s->ints[idx & 3] + ints[0] + (long)names[0];
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	static const char *const names[3] = {"zero", "one", "two"};
	struct et_arrs s = {
		.ints = {1, 2, 3, 4},
		.names = {names[0], names[1], names[2]},
		.bytes = {1, 2, 3, 4, 5, 6, 7, 8},
		.wide = {-5, 1LL << 40},
		.pairs = {{-1, 2}, {3, -4}},
	};
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;

	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 3; c++)
			s.grid[r][c] = 100 + 10 * r + c;
	for (long i = 0; i < n; i++)
		et_arrays(&s, s.ints, s.names, i);
	printf("done\n");
	return 0;
}
