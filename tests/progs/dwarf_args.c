/* dwarf_args N: calls each function below N times with fixed arguments, for the DWARF tests
 * (tests/runtime/dwarf.sh; built with -g, and once without it). The values are fixed, so a test knows
 * every argument it reads:
 *   dw_ints(-8, 200, -1600, 60000, -320000, 4000000000, -64000000000, 18000000000000000000)
 *                                  eight integers: six in registers, the last two on the stack
 *   dw_point(&pt, DW_BLUE, "hello", 8080)   pt = {x -3, y 7, tag "pt"}; DW_BLUE = 2; a typedef port
 *   dw_neg(5) returns -5 (an int: retval typed from DWARF)
 *   dw_opaque(&r1, &r1.num)   untyped pointers, for casts to the DWARF types: r1 = {id 1, in {9, 65000},
 *                             num.u 0x1234fff0 (num.s -16), flag 1, level 5, DW_GREEN, next &r2, "first"},
 *                             r2 = {id 2, ..., next NULL, "second"}
 * Structs and unions by value (x86-64 SysV: up to 16 bytes in registers, larger ones on the stack):
 *   dw_pair_fn(pr, -9)            pr = {a -3, b 7}: one register, then an int
 *   dw_mid_fn(-1, md, 65535)      md = {x -5000000000, y -12, c 'm'}: two registers between two ints
 *   dw_big_fn(42, bg, -42)        bg = {id 77, name "big", flags 0xf00d, parts {1, -2, 3}}: on the stack
 *   dw_spill(1, 2, 3, 4, 5, md, 6)  md does not fit in the one register left: on the stack, and 6 takes
 *                                 that register
 *   dw_float(2.5, 11, dv, 12)     a double and dv = {1.5, 2.5} in SSE registers, 11 and 12 in the first
 *                                 two integer registers
 *   dw_ret_big(8)                 returns a struct dw_big in memory: its address is the first register
 *   dw_union_fn(num, 3)           num = {.u 0x1234fff0}
 *   dw_late(1, .., 7, al, 9)      seven integers fill the registers and the stack's first slot; al = {v 808},
 *                                 16-aligned, starts the next 16-byte boundary (slot 2), 9 after it
 *   dw_calls_inline(4) returns dw_twice_inl(4) + 1: dw_twice_inl is inlined (always_inline, also at -O0),
 *                     so a stack taken in its body has an inlined frame (tests/runtime/dwarf_ustack.sh)
 * Prints "done" at the end. noipa keeps gcc from changing the functions' signatures (no .isra clones). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct dw_point {
	int32_t x;
	int32_t y;
	char tag[8];
};

enum dw_color { DW_RED, DW_GREEN, DW_BLUE };

typedef uint16_t dw_port_t;

/* only reached through void pointers: no parameter has these types */
struct dw_inner {
	uint8_t a;
	uint16_t b;
};

union dw_num {
	uint32_t u;
	int16_t s;
};

struct dw_rec {
	uint64_t id;
	struct dw_inner in;
	union dw_num num;
	unsigned flag : 1;
	unsigned level : 3;
	enum dw_color color;
	struct dw_rec *next;
	char name[12];
};

struct dw_pair {
	int32_t a;
	int32_t b;
};

struct dw_mid {
	int64_t x;
	int16_t y;
	char c;
};

struct dw_big {
	uint64_t id;
	char name[12];
	uint32_t flags;
	int16_t parts[3];
};

struct dw_dbl {
	double x;
	double y;
};

struct dw_al {
	int64_t v;
} __attribute__((aligned(16)));

static volatile long sink;

__attribute__((noipa)) long dw_pair_fn(struct dw_pair p, int32_t after)
{
	sink = p.a + p.b + after;
	return sink;
}

__attribute__((noipa)) long dw_mid_fn(int8_t first, struct dw_mid m, uint16_t last)
{
	sink = first + m.x + m.y + m.c + last;
	return sink;
}

__attribute__((noipa)) long dw_big_fn(int32_t n, struct dw_big b, int32_t tail)
{
	sink = n + (long)b.id + b.name[0] + b.flags + b.parts[1] + tail;
	return sink;
}

__attribute__((noipa)) long dw_spill(int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, struct dw_mid m,
				     int32_t f)
{
	sink = a + b + c + d + e + m.x + m.y + f;
	return sink;
}

__attribute__((noipa)) long dw_float(double d, int32_t n, struct dw_dbl v, int32_t k)
{
	sink = (long)(d + v.x + v.y) + n + k;
	return sink;
}

__attribute__((noipa)) struct dw_big dw_ret_big(int32_t n)
{
	struct dw_big b = {(uint64_t)n, "ret", 1, {0, 0, 0}};

	sink = n;
	return b;
}

__attribute__((noipa)) long dw_late(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
				   struct dw_al al, int32_t i)
{
	sink = a + b + c + d + e + f + g + al.v + i;
	return sink;
}

static inline __attribute__((always_inline)) int dw_twice_inl(int v)
{
	sink = -v;
	return 2 * v; /* the inlined body */
}

__attribute__((noipa)) int dw_calls_inline(int v)
{
	return dw_twice_inl(v) + 1;
}

__attribute__((noipa)) long dw_union_fn(union dw_num num, int32_t x)
{
	sink = num.u + x;
	return sink;
}

__attribute__((noipa)) long dw_ints(int8_t i8, uint8_t u8, int16_t i16, uint16_t u16, int32_t i32, uint32_t u32,
				    int64_t i64, uint64_t u64)
{
	sink = i8 + u8 + i16 + u16 + i32 + (long)u32 + i64 + (long)u64;
	return sink;
}

__attribute__((noipa)) int dw_point(struct dw_point *p, enum dw_color color, const char *name, dw_port_t port)
{
	sink = p->x + (long)color + name[0] + port;
	return p->y;
}

__attribute__((noipa)) int dw_neg(int v)
{
	sink = v;
	return -v;
}

__attribute__((noipa)) long dw_opaque(void *rec, void *num)
{
	sink = (long)rec + (long)num;
	return sink;
}

int main(int argc, char **argv)
{
	struct dw_point pt = {-3, 7, "pt"};
	struct dw_rec r2 = {2, {3, 4}, {0}, 0, 1, DW_RED, NULL, "second"};
	struct dw_rec r1 = {1, {9, 65000}, {0x1234fff0}, 1, 5, DW_GREEN, &r2, "first"};
	struct dw_pair pr = {-3, 7};
	struct dw_mid md = {-5000000000, -12, 'm'};
	struct dw_big bg = {77, "big", 0xf00d, {1, -2, 3}};
	struct dw_dbl dv = {1.5, 2.5};
	struct dw_al al = {808};
	int n = argc > 1 ? atoi(argv[1]) : 1;

	for (int i = 0; i < n; i++) {
		dw_ints(-8, 200, -1600, 60000, -320000, 4000000000u, -64000000000, 18000000000000000000u);
		dw_point(&pt, DW_BLUE, "hello", 8080);
		dw_neg(5);
		dw_opaque(&r1, &r1.num);
		dw_pair_fn(pr, -9);
		dw_mid_fn(-1, md, 65535);
		dw_big_fn(42, bg, -42);
		dw_spill(1, 2, 3, 4, 5, md, 6);
		dw_float(2.5, 11, dv, 12);
		sink = (long)dw_ret_big(8).id;
		dw_union_fn(r1.num, 3);
		dw_late(1, 2, 3, 4, 5, 6, 7, al, 9);
		dw_calls_inline(4);
	}
	printf("done\n");
	return 0;
}
