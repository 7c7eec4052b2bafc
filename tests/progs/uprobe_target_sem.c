/* uprobe_target_sem: the USDT probe ettest:withsem of uprobe_target, which has a semaphore (sdt.h
 * records it in the note when _SDT_HAS_SEMAPHORES is set for the file that fires the probe). */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

unsigned short ettest_withsem_semaphore __attribute__((section(".probes")));

__attribute__((noinline)) void et_withsem(long i)
{
	DTRACE_PROBE1(ettest, withsem, i);
}
