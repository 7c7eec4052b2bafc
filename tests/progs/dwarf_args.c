/* dwarf_args N: calls each function below N times with fixed arguments, for the DWARF tests
 * (tests/runtime/dwarf.sh; built with -g, and once without it). The values are fixed, so a test knows
 * every argument it reads:
 *   dw_ints(-8, 200, -1600, 60000, -320000, 4000000000, -64000000000, 18000000000000000000)
 *                                  eight integers: six in registers, the last two on the stack
 *   dw_point(&pt, DW_BLUE, "hello", 8080)   pt = {x -3, y 7, tag "pt"}; DW_BLUE = 2; a typedef port
 *   dw_neg(5) returns -5 (an int: retval typed from DWARF)
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

int main(int argc, char **argv)
{
	struct dw_point pt = {-3, 7, "pt"};
	int n = argc > 1 ? atoi(argv[1]) : 1;

	for (int i = 0; i < n; i++) {
		dw_ints(-8, 200, -1600, 60000, -320000, 4000000000u, -64000000000, 18000000000000000000u);
		dw_point(&pt, DW_BLUE, "hello", 8080);
		dw_neg(5);
	}
	printf("done\n");
	return 0;
}
