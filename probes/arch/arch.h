/* arch: per-architecture facts about struct pt_regs, for codegen (argN, retval, func, USDT operands).
 * One file per architecture (x86_64.c first) defines arch_current(); nothing else depends on the CPU.
 * Takes: argument numbers, register names as written in USDT notes ("%rdi", "%edi", "%di", "%dil").
 * Gives: byte offsets into struct pt_regs (static data, nothing to free).
 * Failure: -ENOENT / -ERANGE when the register or argument does not exist. */
#ifndef ET_ARCH_H
#define ET_ARCH_H
#include <stdint.h>

struct arch_info {
	const char *name;             /* "x86_64" */
	uint32_t nargs;               /* arguments passed in registers */
	const uint32_t *arg_offsets;  /* pt_regs offset of argument i (i < nargs) */
	uint32_t ret_offset;          /* return value register */
	uint32_t pc_offset;           /* instruction pointer */
	uint32_t sp_offset;           /* stack pointer */
	uint32_t regs_size;           /* sizeof(struct pt_regs) */
};

const struct arch_info *arch_current(void);
/* pt_regs offset of argument n (0-based): >= 0, or -ERANGE beyond the register arguments. */
int arch_arg_offset(uint32_t n);
/* A register by name (with or without '%'): its pt_regs offset; *size gets the width in bytes that
 * the name selects (8 for %rax, 4 for %eax, 2 for %ax, 1 for %al). -ENOENT when unknown. */
int arch_reg_offset(const char *name, uint32_t *size);

#endif
