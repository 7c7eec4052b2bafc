/* many_funcs [N]: 1000 functions etr_fn000 ... etr_fn999, each called N times (default 1), then exit 0.
 * The target of the tests and benchmarks with many uprobes. */
#include <stdlib.h>

#define F(n)                                                                                              \
	__attribute__((noinline, used)) int etr_fn##n(int x)                                              \
	{                                                                                                 \
		__asm__ volatile("");                                                                     \
		return x + 1;                                                                             \
	}
#define F10(a, b) F(a##b##0) F(a##b##1) F(a##b##2) F(a##b##3) F(a##b##4) F(a##b##5) F(a##b##6) F(a##b##7) F(a##b##8) F(a##b##9)
#define F100(a) F10(a, 0) F10(a, 1) F10(a, 2) F10(a, 3) F10(a, 4) F10(a, 5) F10(a, 6) F10(a, 7) F10(a, 8) F10(a, 9)
F100(0) F100(1) F100(2) F100(3) F100(4) F100(5) F100(6) F100(7) F100(8) F100(9)

#define P(n) etr_fn##n,
#define P10(a, b) P(a##b##0) P(a##b##1) P(a##b##2) P(a##b##3) P(a##b##4) P(a##b##5) P(a##b##6) P(a##b##7) P(a##b##8) P(a##b##9)
#define P100(a) P10(a, 0) P10(a, 1) P10(a, 2) P10(a, 3) P10(a, 4) P10(a, 5) P10(a, 6) P10(a, 7) P10(a, 8) P10(a, 9)
static int (*const fns[])(int) = {P100(0) P100(1) P100(2) P100(3) P100(4) P100(5) P100(6) P100(7) P100(8) P100(9)};

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	int s = 0;

	for (long k = 0; k < n; k++)
		for (unsigned i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
			s += fns[i](s);
	return s == 42 ? 1 : 0;
}
