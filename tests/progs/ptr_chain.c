/* ptr_chain N: calls etp_visit(&first, first.vals, N) and etp_next(&first) (returns &second) N times,
 * for the pointer tests (tests/runtime/pointers.sh). The data is fixed, so a test knows every value it reads:
 *   first:  id 1, leaf → leaf1, next → second, vals {10, 20, 30, 40}
 *   second: id 2, leaf → leaf2, next NULL,     vals {50, 60, 70, 80}
 *   leaf1:  i8 -8, u8 200, i16 -1600, u16 60000, i32 -320000, u32 4000000000,
 *           i64 -64000000000, u64 18000000000000000000
 *   leaf2:  every field 2
 * The layout of struct etp_leaf has no padding (offsets 0, 1, 2, 4, 8, 12, 16, 24), so a test can also
 * walk it with pointers of each width. Prints "done" at the end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct etp_leaf {
	int8_t i8;
	uint8_t u8;
	int16_t i16;
	uint16_t u16;
	int32_t i32;
	uint32_t u32;
	int64_t i64;
	uint64_t u64;
};

struct etp_node {
	int32_t id;
	struct etp_leaf *leaf;
	struct etp_node *next;
	int32_t vals[4];
};

static struct etp_leaf leaf1 = {-8, 200, -1600, 60000, -320000, 4000000000u, -64000000000, 18000000000000000000u};
static struct etp_leaf leaf2 = {2, 2, 2, 2, 2, 2, 2, 2};
static struct etp_node second = {2, &leaf2, NULL, {50, 60, 70, 80}};
static struct etp_node first = {1, &leaf1, &second, {10, 20, 30, 40}};

__attribute__((noinline, used)) long etp_visit(struct etp_node *n, int32_t *vals, long count)
{
	__asm__ volatile("" ::: "memory");
	return n->id + vals[0] + count;
}

__attribute__((noinline, used)) struct etp_node *etp_next(struct etp_node *n)
{
	__asm__ volatile("" ::: "memory");
	return n->next;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	long sum = 0;

	for (long i = 0; i < n; i++)
		sum += etp_visit(&first, first.vals, n) + etp_next(&first)->id;
	printf("done %ld\n", sum);
	return 0;
}
