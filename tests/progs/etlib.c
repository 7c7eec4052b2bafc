/* etlib: the shared library of the uprobe tests (built as libetr.so): et_lib_mul(a, b) = a * b, which
 * also fires the USDT probe etlib:mul(a, b) (for usdt:LIBRARY:... probes). */
#include <sys/sdt.h>

__attribute__((noinline, visibility("default"))) int et_lib_mul(int a, int b)
{
	DTRACE_PROBE2(etlib, mul, a, b);
	__asm__ volatile("" ::: "memory");
	return a * b;
}
