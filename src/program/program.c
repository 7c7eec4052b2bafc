/* program: constructor and destructor of struct et_program (see program.h). */
#include "program/program.h"

#include <stdlib.h>

#include "support/arena.h"

struct et_program *et_program_new(void)
{
	struct et_program *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	p->arena = arena_new();
	return p;
}

void et_program_free(struct et_program *p)
{
	if (!p)
		return;
	free(p->elf);
	arena_free(p->arena);
	free(p);
}
