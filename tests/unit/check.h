/* check: the assertion every unit test uses. Include it once, in the test's one .c file.
 *   CHECK(cond)                 counts a check; when cond is false, counts a failure and prints
 *                               "FILE:LINE: check failed: cond" to stderr. The test goes on.
 *   CHECK(cond, fmt, args...)   the same, with a printf-style message after the condition (the
 *                               values that explain the failure).
 * `checks` and `failures` are the counts; a test returns non-zero when failures > 0 (and 77 after
 * printing "SKIP: reason" when it could not run). At most 15 message arguments. */
#ifndef ET_TEST_CHECK_H
#define ET_TEST_CHECK_H
#include <stdio.h>

static int checks, failures;

#define CHECK_PLAIN_(cond)                                                                            \
	do {                                                                                          \
		checks++;                                                                             \
		if (!(cond)) {                                                                        \
			failures++;                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);      \
		}                                                                                     \
	} while (0)

#define CHECK_MSG_(cond, ...)                                                                         \
	do {                                                                                          \
		checks++;                                                                             \
		if (!(cond)) {                                                                        \
			failures++;                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);     \
			fprintf(stderr, __VA_ARGS__);                                                 \
			fputc('\n', stderr);                                                          \
		}                                                                                     \
	} while (0)

/* CHECK with one argument is CHECK_PLAIN_, with more CHECK_MSG_ (ISO C gives an empty __VA_ARGS__ no
 * portable meaning, so the macro picks by counting). */
#define CHECK_PICK_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, name, ...) name
#define CHECK(...)                                                                                    \
	CHECK_PICK_(__VA_ARGS__, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_,    \
		    CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_,        \
		    CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_PLAIN_, unused)(__VA_ARGS__)

#endif
