/* loc: a span of script text. Every token and AST node carries one; bison's YYLTYPE never leaves the parser.
 * Lines and columns count from 1; columns count bytes. end_* is the last character of the span (inclusive).
 * file is an id from source.h (0 = no file, e.g. code etrace synthesised). */
#ifndef ET_LOC_H
#define ET_LOC_H
#include <stdint.h>

struct et_loc {
	uint32_t file;
	uint32_t line, col;
	uint32_t end_line, end_col;
};

/* The span from the start of a to the end of b. */
static inline struct et_loc loc_join(struct et_loc a, struct et_loc b)
{
	struct et_loc r = a;
	r.end_line = b.end_line;
	r.end_col = b.end_col;
	return r;
}

#endif
