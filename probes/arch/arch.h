/* arch: per-architecture facts about struct pt_regs, for codegen (argN, retval, func, USDT operands).
 * One file per architecture (x86_64.c first) defines arch_current(); nothing else depends on the CPU.
 * Takes: argument numbers, register names as written in USDT notes ("%rdi", "%edi", "%di", "%dil"),
 * USDT argument specs ("-4@%edi", "8@-16(%rbp)").
 * Gives: byte offsets into struct pt_regs (static data, nothing to free).
 * Failure: -ENOENT / -ERANGE when the register or argument does not exist; -EINVAL / -ENOTSUP for
 * USDT specs that are malformed / not readable without symbols. */
#ifndef ET_ARCH_H
#define ET_ARCH_H
#include <stdbool.h>
#include <stdint.h>

struct arch_info {
	const char *name;             /* "x86_64" */
	uint32_t nargs;               /* arguments passed in registers */
	const uint32_t *arg_offsets;  /* pt_regs offset of argument i (i < nargs) */
	uint32_t ret_offset;          /* return value register */
	uint32_t pc_offset;           /* instruction pointer */
	uint32_t sp_offset;           /* stack pointer */
	uint32_t regs_size;           /* sizeof(struct pt_regs) */
	int mode_offset;              /* the register whose low two bits are the privilege level (x86's cs,
	                               * 3 = user mode, for `usermode`); -1 when there is none */
	/* the access modes its debug registers can watch, as watchpoint probes spell them (letters r, w, x
	 * sorted: "rw"), NULL-terminated; none at all when the architecture has no watchpoints */
	const char *const *watchpoint_modes;
};

const struct arch_info *arch_current(void);
/* pt_regs offset of argument n (0-based): >= 0, or -ERANGE beyond the register arguments. */
int arch_arg_offset(uint32_t n);
/* A register by name (with or without '%'): its pt_regs offset; *size gets the width in bytes that
 * the name selects (8 for %rax, 4 for %eax, 2 for %ax, 1 for %al). -ENOENT when unknown. */
int arch_reg_offset(const char *name, uint32_t *size);

/* One USDT argument as the compiler described it in .note.stapsdt: "-4@%edi" (register), "4@$5"
 * (constant), "8@-16(%rbp)" or "8@8(%rax,%rdx,8)" (memory of the traced process). Codegen turns it
 * into a load from pt_regs (and a user-memory read for MEM). */
enum arch_usdt_kind { ARCH_USDT_CONST, ARCH_USDT_REG, ARCH_USDT_MEM };
struct arch_usdt_arg {
	enum arch_usdt_kind kind;
	uint32_t size;      /* bytes of the value: 1, 2, 4 or 8 */
	bool is_signed;     /* the size was written negative */
	int64_t value;      /* CONST: the value; MEM: the displacement */
	int reg_off;        /* REG, MEM: pt_regs offset of the (base) register; -1 when none */
	uint32_t reg_size;  /* REG: the width the register's name selects */
	int index_off;      /* MEM: pt_regs offset of the index register; -1 when none */
	uint32_t scale;     /* MEM: the index's scale (1, 2, 4 or 8) */
};
/* Parse one argument spec (without surrounding blanks). 0, -EINVAL when malformed, -ENOTSUP for forms
 * that need the binary's symbols (sym(%rip)). */
int arch_usdt_arg_parse(const char *spec, struct arch_usdt_arg *out);

#endif
