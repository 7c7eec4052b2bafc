/* test_complete: the interactive session's Tab completion (repl_candidates) at the start of a probe:
 * provider names and their long aliases get a ':' appended, BEGIN gets none, a provider bpftrace removed
 * (asyncwatchpoint) is never offered though etrace still knows it by name, and map names come from the
 * session. Needs nothing from the kernel. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl/repl.h"
#include "tests/unit/check.h"

/* whether `want` is among the candidates for `word` typed alone on a line; frees them */
static bool offers(const char *word, const char *want, size_t *count)
{
	static const char *const maps[] = {"@seen", "@bytes"};
	char **c = repl_candidates(word, 0, word, maps, 2);
	bool found = false;
	size_t n = 0;

	CHECK(c != NULL, "candidates for '%s'", word);
	for (; c && c[n]; n++) {
		found |= strcmp(c[n], want) == 0;
		free(c[n]);
	}
	free(c);
	if (count)
		*count = n;
	return found;
}

int main(void)
{
	size_t n = 0;

	CHECK(offers("kpr", "kprobe:", NULL));
	CHECK(offers("tracep", "tracepoint:", NULL));
	CHECK(offers("BEG", "BEGIN", NULL));
	CHECK(offers("watch", "watchpoint:", NULL));
	CHECK(!offers("asy", "asyncwatchpoint:", &n) && n == 0, "asy: %zu candidates", n);
	CHECK(!offers("async", "asyncwatchpoint:", &n) && n == 0, "async: %zu candidates", n);
	CHECK(offers("@se", "@seen", &n) && n == 1, "@se: %zu candidates", n);
	printf("test_complete: %d checks, %d failures\n", checks, failures);
	return failures > 0;
}
