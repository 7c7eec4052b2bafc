/* dlopen_later LIB N: loads the shared library LIB with dlopen() only once it runs (so that a tracer
 * attached before finds it not mapped yet), then calls its et_lib_mul(i, 3) for i in 0..N-1, each firing
 * the library's USDT probe etlib:mul(i, 3) (tests/progs/etlib.c). Prints "sum=S" (of the products) and
 * "done". For the probes on libraries loaded later (tests/runtime/uprobe_targets.sh). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	int (*mul)(int, int);
	void *h;
	long sum = 0;
	int n = argc > 2 ? atoi(argv[2]) : 1;

	if (argc < 2 || !(h = dlopen(argv[1], RTLD_NOW))) {
		fprintf(stderr, "dlopen_later: %s\n", argc < 2 ? "usage: dlopen_later LIB N" : dlerror());
		return 1;
	}
	mul = (int (*)(int, int))dlsym(h, "et_lib_mul");
	if (!mul)
		return 1;
	for (int i = 0; i < n; i++)
		sum += mul(i, 3);
	printf("sum=%ld\ndone\n", sum);
	dlclose(h);
	return 0;
}
