/* etlib: the shared library of the uprobe tests (built as libetr.so): et_lib_mul(a, b) = a * b. */
__attribute__((noinline, visibility("default"))) int et_lib_mul(int a, int b)
{
	__asm__ volatile("" ::: "memory");
	return a * b;
}
