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

static volatile long sink;

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
	int n = argc > 1 ? atoi(argv[1]) : 1;

	for (int i = 0; i < n; i++) {
		dw_ints(-8, 200, -1600, 60000, -320000, 4000000000u, -64000000000, 18000000000000000000u);
		dw_point(&pt, DW_BLUE, "hello", 8080);
		dw_neg(5);
		dw_opaque(&r1, &r1.num);
	}
	printf("done\n");
	return 0;
}
