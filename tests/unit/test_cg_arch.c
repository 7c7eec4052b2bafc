/* test_cg_arch: the per-architecture pt_regs table (probes/arch/arch.h) against the kernel's layout:
 * on x86_64 the offsets must match struct pt_regs of <asm/ptrace.h> as user space sees it
 * (<sys/user.h> user_regs_struct has the same order for the general registers). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "probes/arch/arch.h"

#if defined(__x86_64__)
#include <sys/user.h>

#include "tests/unit/check.h" /* here: the other architectures' main() counts nothing */

int main(void)
{
	const struct arch_info *a = arch_current();
	uint32_t size = 0;
	CHECK(a && a->nargs == 6);
	/* System V: rdi rsi rdx rcx r8 r9 */
	CHECK(arch_arg_offset(0) == (int)offsetof(struct user_regs_struct, rdi));
	CHECK(arch_arg_offset(1) == (int)offsetof(struct user_regs_struct, rsi));
	CHECK(arch_arg_offset(2) == (int)offsetof(struct user_regs_struct, rdx));
	CHECK(arch_arg_offset(3) == (int)offsetof(struct user_regs_struct, rcx));
	CHECK(arch_arg_offset(4) == (int)offsetof(struct user_regs_struct, r8));
	CHECK(arch_arg_offset(5) == (int)offsetof(struct user_regs_struct, r9));
	CHECK(arch_arg_offset(6) == -ERANGE);
	CHECK(a->ret_offset == offsetof(struct user_regs_struct, rax));
	CHECK(a->pc_offset == offsetof(struct user_regs_struct, rip));
	CHECK(a->sp_offset == offsetof(struct user_regs_struct, rsp));
	/* pt_regs ends at ss; user_regs_struct continues with fs_base, gs_base and segment registers */
	CHECK(a->regs_size == offsetof(struct user_regs_struct, fs_base));
	/* USDT operand spellings */
	CHECK(arch_reg_offset("%rdi", &size) == (int)offsetof(struct user_regs_struct, rdi) && size == 8);
	CHECK(arch_reg_offset("%edi", &size) == (int)offsetof(struct user_regs_struct, rdi) && size == 4);
	CHECK(arch_reg_offset("di", &size) == (int)offsetof(struct user_regs_struct, rdi) && size == 2);
	CHECK(arch_reg_offset("%dil", &size) == (int)offsetof(struct user_regs_struct, rdi) && size == 1);
	CHECK(arch_reg_offset("%r12d", &size) == (int)offsetof(struct user_regs_struct, r12) && size == 4);
	CHECK(arch_reg_offset("%rip", &size) == (int)offsetof(struct user_regs_struct, rip) && size == 8);
	CHECK(arch_reg_offset("%xmm0", &size) == -ENOENT);
	/* USDT argument specs as gcc writes them */
	struct arch_usdt_arg u;
	CHECK(arch_usdt_arg_parse("-4@%edi", &u) == 0 && u.kind == ARCH_USDT_REG && u.size == 4 && u.is_signed &&
	      u.reg_off == (int)offsetof(struct user_regs_struct, rdi) && u.reg_size == 4);
	CHECK(arch_usdt_arg_parse("8@%rax", &u) == 0 && u.kind == ARCH_USDT_REG && u.size == 8 && !u.is_signed &&
	      u.reg_off == (int)offsetof(struct user_regs_struct, rax));
	CHECK(arch_usdt_arg_parse("4@$5", &u) == 0 && u.kind == ARCH_USDT_CONST && u.value == 5);
	CHECK(arch_usdt_arg_parse("-8@$-0x10", &u) == 0 && u.kind == ARCH_USDT_CONST && u.value == -16 && u.is_signed);
	CHECK(arch_usdt_arg_parse("8@-16(%rbp)", &u) == 0 && u.kind == ARCH_USDT_MEM && u.value == -16 &&
	      u.reg_off == (int)offsetof(struct user_regs_struct, rbp) && u.index_off == -1);
	CHECK(arch_usdt_arg_parse("2@(%rsi)", &u) == 0 && u.kind == ARCH_USDT_MEM && u.value == 0 && u.size == 2 &&
	      u.reg_off == (int)offsetof(struct user_regs_struct, rsi));
	CHECK(arch_usdt_arg_parse("8@8(%rax,%rdx,8)", &u) == 0 && u.kind == ARCH_USDT_MEM && u.value == 8 &&
	      u.index_off == (int)offsetof(struct user_regs_struct, rdx) && u.scale == 8);
	CHECK(arch_usdt_arg_parse("1@(%r12,%r13)", &u) == 0 && u.scale == 1 &&
	      u.index_off == (int)offsetof(struct user_regs_struct, r13));
	CHECK(arch_usdt_arg_parse("%rdi", &u) == 0 && u.kind == ARCH_USDT_REG && u.size == 8);
	CHECK(arch_usdt_arg_parse("8@counter(%rip)", &u) == -ENOTSUP);
	CHECK(arch_usdt_arg_parse("8@16(%rip)", &u) == -ENOTSUP);
	CHECK(arch_usdt_arg_parse("3@%rax", &u) == -EINVAL);
	CHECK(arch_usdt_arg_parse("8@%xmm0", &u) == -EINVAL);
	CHECK(arch_usdt_arg_parse("8@(%rax", &u) == -EINVAL);
	CHECK(arch_usdt_arg_parse("8@(%rax,%rbx,3)", &u) == -EINVAL);
	CHECK(arch_usdt_arg_parse("8@$", &u) == -EINVAL);
	if (failures)
		return 1;
	printf("ok: x86_64 pt_regs table and USDT argument specs\n");
	return 0;
}
#else
int main(void)
{
	printf("SKIP: no register table test for this architecture\n");
	return 77;
}
#endif
