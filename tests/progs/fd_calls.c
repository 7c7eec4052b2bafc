/* fd_calls: system calls with known arguments whose tracepoint records differ in what a shared probe
 * body reads (tests/runtime/multi_args_split.sh), made as those very system calls:
 *   lseek(42, 1234, SEEK_SET) and close(42): records of different fields (both fail: fd 42 is not open);
 *   sendto(42, buf, 7777, 0, 0x1234, 16): addr is a `struct sockaddr *` at offset 48;
 *   mmap(0x200000, 7777, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0): addr an `unsigned long` at 16.
 * len is 7777 in both of the last two, a value the dynamic loader's own mmap calls never use. Then it
 * makes lseek(43, -7, SEEK_CUR), a negative 64-bit argument that fails with EBADF (tracepoint_sign.sh).
 * Then it calls fc_int(-5) and fc_ulong(-5 as an unsigned long), whose parameter v has another type in each
 * (built with -g, uprobe args come from DWARF). Its comm is the name it was built as. noipa keeps the
 * signatures. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile long sink;

__attribute__((noipa)) void fc_int(int v)
{
	sink = v;
}

__attribute__((noipa)) void fc_ulong(unsigned long v)
{
	sink = (long)v;
}

int main(void)
{
	static char buf[7777];

	syscall(SYS_lseek, 42, 1234L, (long)SEEK_SET);
	syscall(SYS_close, 42);
	syscall(SYS_sendto, 42, buf, sizeof(buf), 0, (void *)0x1234, 16);
	syscall(SYS_mmap, 0x200000L, (long)sizeof(buf), (long)PROT_NONE, (long)(MAP_PRIVATE | MAP_ANONYMOUS), -1L, 0L);
	syscall(SYS_lseek, 43, -7L, (long)SEEK_CUR);
	fc_int(-5);
	fc_ulong((unsigned long)-5);
	return 0;
}
