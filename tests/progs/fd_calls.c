/* fd_calls: system calls with known arguments whose tracepoint records differ in what a shared probe
 * body reads (tests/runtime/multi_args_split.sh), made as those very system calls:
 *   lseek(42, 1234, SEEK_SET) and close(42): records of different fields (both fail: fd 42 is not open);
 *   sendto(42, buf, 7777, 0, 0x1234, 16): addr is a `struct sockaddr *` at offset 48;
 *   mmap(0x200000, 7777, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0): addr an `unsigned long` at 16.
 * len is 7777 in both of the last two, a value the dynamic loader's own mmap calls never use. Its comm is
 * the name it was built as. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	static char buf[7777];

	syscall(SYS_lseek, 42, 1234L, (long)SEEK_SET);
	syscall(SYS_close, 42);
	syscall(SYS_sendto, 42, buf, sizeof(buf), 0, (void *)0x1234, 16);
	syscall(SYS_mmap, 0x200000L, (long)sizeof(buf), (long)PROT_NONE, (long)(MAP_PRIVATE | MAP_ANONYMOUS), -1L, 0L);
	return 0;
}
