/* ctypes N: the uprobe target of tests/runtime/cdefs.sh. Prints the layout the compiler gave struct
 * et_ctypes ("layout SIZE OFFSET-OF-flags OFFSET-OF-pk OFFSET-OF-color OFFSET-OF-tail"), then calls
 * et_ctypes(&s, i) for i = 0 .. N-1 and prints "done". The struct has the shapes script definitions must
 * read: a nested struct, an anonymous struct with a name, an anonymous union, bitfields (signed, across
 * a 64-bit unit), a packed struct, an enum, a function pointer, a 2-D array and a zero-length array.
 * Its values are fixed (below) so the test knows every value it reads:
 *   kind 'k'   in {-7, 1 << 40}   range {10, 20}   word 0x04030201 (byte[] = 1, 2, 3, 4)
 *   flags {a 5, b 100, c -3, d 0x123456789a, e 1}   pk {{'p', -100000, 300}, {'q', 7, -2}}
 *   color ET_BLUE (40)   grid {{1, 2}, {3, 4}}   tail_len 2, tail {11, 22} */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline, used))

enum et_color { ET_RED = 1, ET_GREEN = 2, ET_BLUE = 40 };

struct et_inner {
	short x;
	long long y;
};

struct et_flags {
	unsigned int a : 3;
	unsigned int b : 7;
	int c : 5;
	unsigned long long d : 40;
	unsigned char e : 1;
};

struct __attribute__((packed)) et_packed {
	char tag;
	int value;
	short s;
};

struct et_ctypes {
	char kind;
	struct et_inner in;
	struct {
		int lo;
		int hi;
	} range;
	union {
		unsigned int word;
		unsigned char byte[4];
	};
	struct et_flags flags;
	struct et_packed pk[2];
	enum et_color color;
	int (*cb)(int);
	short grid[2][2];
	int tail_len;
	int tail[0];
};

static volatile long sink;

static int twice(int x)
{
	return 2 * x;
}

NOINLINE void et_ctypes(struct et_ctypes *s, long idx)
{
	sink += s->kind + idx;
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	struct et_ctypes *s = calloc(1, sizeof(*s) + 2 * sizeof(int));
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 1;

	if (!s)
		return 1;
	s->kind = 'k';
	s->in.x = -7;
	s->in.y = 1LL << 40;
	s->range.lo = 10;
	s->range.hi = 20;
	s->word = 0x04030201;
	s->flags.a = 5;
	s->flags.b = 100;
	s->flags.c = -3;
	s->flags.d = 0x123456789aULL;
	s->flags.e = 1;
	s->pk[0] = (struct et_packed){'p', -100000, 300};
	s->pk[1] = (struct et_packed){'q', 7, -2};
	s->color = ET_BLUE;
	s->cb = twice;
	s->grid[0][0] = 1, s->grid[0][1] = 2, s->grid[1][0] = 3, s->grid[1][1] = 4;
	s->tail_len = 2;
	s->tail[0] = 11, s->tail[1] = 22;
	printf("layout %zu %zu %zu %zu %zu\n", sizeof(*s), offsetof(struct et_ctypes, flags),
	       offsetof(struct et_ctypes, pk), offsetof(struct et_ctypes, color), offsetof(struct et_ctypes, tail));
	fflush(stdout);
	for (long i = 0; i < n; i++)
		et_ctypes(s, i);
	sink += s->cb(1);
	printf("done\n");
	free(s);
	return 0;
}
