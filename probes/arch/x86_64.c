/* x86_64: struct pt_regs of arch/x86/include/asm/ptrace.h (64-bit), System V argument registers. */
#if defined(__x86_64__)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probes/arch/arch.h"

/* r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss: 8 bytes each */
enum {
	R15 = 0, R14 = 8, R13 = 16, R12 = 24, RBP = 32, RBX = 40, R11 = 48, R10 = 56, R9 = 64, R8 = 72,
	RAX = 80, RCX = 88, RDX = 96, RSI = 104, RDI = 112, ORIG_RAX = 120, RIP = 128, CS = 136,
	EFLAGS = 144, RSP = 152, SS = 160, REGS_SIZE = 168
};

static const uint32_t args[] = {RDI, RSI, RDX, RCX, R8, R9};

/* Intel SDM vol. 3, 17.2.4: a debug register breaks on execution, on writes, or on reads and writes */
static const char *const watchpoint_modes[] = {"rw", "w", "x", NULL};

static const struct arch_info x86_64 = {
	.name = "x86_64",
	.nargs = 6,
	.arg_offsets = args,
	.ret_offset = RAX,
	.pc_offset = RIP,
	.sp_offset = RSP,
	.regs_size = REGS_SIZE,
	.mode_offset = CS,
	.watchpoint_modes = watchpoint_modes,
};

const struct arch_info *arch_current(void)
{
	return &x86_64;
}

int arch_arg_offset(uint32_t n)
{
	if (n >= x86_64.nargs)
		return -ERANGE;
	return (int)args[n];
}

/* Every spelling of every general register: 64, 32, 16 and 8 bit names. */
static const struct {
	const char *name;
	uint32_t offset, size;
} regs[] = {
    {"rax", RAX, 8}, {"eax", RAX, 4}, {"ax", RAX, 2}, {"al", RAX, 1},
    {"rbx", RBX, 8}, {"ebx", RBX, 4}, {"bx", RBX, 2}, {"bl", RBX, 1},
    {"rcx", RCX, 8}, {"ecx", RCX, 4}, {"cx", RCX, 2}, {"cl", RCX, 1},
    {"rdx", RDX, 8}, {"edx", RDX, 4}, {"dx", RDX, 2}, {"dl", RDX, 1},
    {"rsi", RSI, 8}, {"esi", RSI, 4}, {"si", RSI, 2}, {"sil", RSI, 1},
    {"rdi", RDI, 8}, {"edi", RDI, 4}, {"di", RDI, 2}, {"dil", RDI, 1},
    {"rbp", RBP, 8}, {"ebp", RBP, 4}, {"bp", RBP, 2}, {"bpl", RBP, 1},
    {"rsp", RSP, 8}, {"esp", RSP, 4}, {"sp", RSP, 2}, {"spl", RSP, 1},
    {"rip", RIP, 8},
    {"r8", R8, 8},   {"r8d", R8, 4},  {"r8w", R8, 2},  {"r8b", R8, 1},
    {"r9", R9, 8},   {"r9d", R9, 4},  {"r9w", R9, 2},  {"r9b", R9, 1},
    {"r10", R10, 8}, {"r10d", R10, 4}, {"r10w", R10, 2}, {"r10b", R10, 1},
    {"r11", R11, 8}, {"r11d", R11, 4}, {"r11w", R11, 2}, {"r11b", R11, 1},
    {"r12", R12, 8}, {"r12d", R12, 4}, {"r12w", R12, 2}, {"r12b", R12, 1},
    {"r13", R13, 8}, {"r13d", R13, 4}, {"r13w", R13, 2}, {"r13b", R13, 1},
    {"r14", R14, 8}, {"r14d", R14, 4}, {"r14w", R14, 2}, {"r14b", R14, 1},
    {"r15", R15, 8}, {"r15d", R15, 4}, {"r15w", R15, 2}, {"r15b", R15, 1},
};

int arch_reg_offset(const char *name, uint32_t *size)
{
	if (name[0] == '%')
		name++;
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (strcmp(regs[i].name, name) == 0) {
			if (size)
				*size = regs[i].size;
			return (int)regs[i].offset;
		}
	}
	return -ENOENT;
}
/* A register name at s ("%rax"), up to a character in `stop`; its offset (and width), or -1. */
static int reg_at(const char **s, const char *stop, uint32_t *size)
{
	char name[8];
	size_t n = strcspn(*s, stop);
	if (n == 0 || n >= sizeof(name) || (*s)[0] != '%')
		return -1;
	memcpy(name, *s, n);
	name[n] = 0;
	*s += n;
	int off = arch_reg_offset(name, size);
	return off < 0 ? -1 : off;
}

/* A signed decimal or 0x hex number at *s; false when there is none. */
static bool number_at(const char **s, int64_t *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(*s, &end, 0);
	if (end == *s || errno)
		return false;
	*v = x;
	*s = end;
	return true;
}

int arch_usdt_arg_parse(const char *spec, struct arch_usdt_arg *out)
{
	const char *s = spec;
	memset(out, 0, sizeof(*out));
	out->reg_off = out->index_off = -1;
	out->size = 8;
	out->scale = 1;
	const char *at = strchr(s, '@');
	if (at) {
		int64_t size;
		if (!number_at(&s, &size) || s != at)
			return -EINVAL;
		out->is_signed = size < 0;
		size = size < 0 ? -size : size;
		if (size != 1 && size != 2 && size != 4 && size != 8)
			return -EINVAL;
		out->size = (uint32_t)size;
		s = at + 1;
	}
	if (*s == '$') { /* constant */
		s++;
		out->kind = ARCH_USDT_CONST;
		return number_at(&s, &out->value) && !*s ? 0 : -EINVAL;
	}
	if (*s == '%') { /* register */
		out->kind = ARCH_USDT_REG;
		out->reg_off = reg_at(&s, "", &out->reg_size);
		return out->reg_off >= 0 && !*s ? 0 : -EINVAL;
	}
	/* memory: [disp](%base[,%index[,scale]]) */
	out->kind = ARCH_USDT_MEM;
	if (*s != '(' && !number_at(&s, &out->value))
		return strchr(s, '(') ? -ENOTSUP : -EINVAL; /* sym(%rip), sym+8(%rip) */
	if (*s != '(')
		return -EINVAL;
	s++;
	uint32_t w;
	out->reg_off = reg_at(&s, ",)", &w);
	if (out->reg_off < 0)
		return strncmp(s, "%rip", 4) == 0 ? -ENOTSUP : -EINVAL;
	if (out->reg_off == (int)RIP)
		return -ENOTSUP; /* relative to the instruction: needs the probe's address */
	if (*s == ',') {
		s++;
		out->index_off = reg_at(&s, ",)", &w);
		if (out->index_off < 0)
			return -EINVAL;
		if (*s == ',') {
			int64_t scale;
			s++;
			if (!number_at(&s, &scale) || (scale != 1 && scale != 2 && scale != 4 && scale != 8))
				return -EINVAL;
			out->scale = (uint32_t)scale;
		}
	}
	return *s == ')' && !s[1] ? 0 : -EINVAL;
}
#else
typedef int arch_x86_64_unused; /* ISO C wants a non-empty translation unit */
#endif
