/* zero_size N: calls et_nosize() N times, prints "done" and exits. et_nosize is written in assembly as
 * a function (.type @function) without .size, as hand-written assembly often is: its ELF symbol has
 * size 0, so a tracer cannot tell where it ends. bpftrace refuses a uprobe on such a symbol unless
 * --unsafe is given; tests/runtime/uprobe_zero_size.sh checks that etrace does the same. */
#include <stdio.h>
#include <stdlib.h>

/* `ret` is spelled the same on x86-64 and arm64 */
__asm__(".text\n"
	".globl et_nosize\n"
	".type et_nosize, @function\n"
	"et_nosize:\n"
	"\tret\n");

void et_nosize(void);

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;

	for (long i = 0; i < n; i++)
		et_nosize();
	printf("done\n");
	return 0;
}
