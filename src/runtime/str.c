/* str: a growable text buffer for the runtime's output. See rt_int.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/rt_int.h"

#define RT_STR_DIRECT_WRITE 4096

void *rt_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fputs("etrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void reserve(struct rt_str *o, size_t extra)
{
	size_t need = o->len + extra + 1, cap = o->cap ? o->cap : 256;
	char *n;

	if (need <= o->cap)
		return;
	while (cap < need)
		cap *= 2;
	n = realloc(o->s, cap);
	if (!n) {
		fputs("etrace: out of memory\n", stderr);
		abort();
	}
	o->s = n;
	o->cap = cap;
}

void rt_str_free(struct rt_str *o)
{
	free(o->s);
	o->s = NULL;
	o->len = o->cap = 0;
}

void rt_str_clear(struct rt_str *o)
{
	o->len = 0;
	if (o->s)
		o->s[0] = 0;
}

void rt_str_putn(struct rt_str *o, const char *s, size_t n)
{
	reserve(o, n);
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = 0;
}

void rt_str_puts(struct rt_str *o, const char *s)
{
	rt_str_putn(o, s, strlen(s));
}

void rt_str_putc(struct rt_str *o, char c)
{
	rt_str_putn(o, &c, 1);
}

void rt_str_put_u64(struct rt_str *o, uint64_t v)
{
	char b[20];
	size_t i = sizeof(b);

	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	rt_str_putn(o, b + i, sizeof(b) - i);
}

void rt_str_put_i64(struct rt_str *o, int64_t v)
{
	if (v < 0) {
		rt_str_putc(o, '-');
		rt_str_put_u64(o, 0 - (uint64_t)v);
	} else {
		rt_str_put_u64(o, (uint64_t)v);
	}
}

void rt_str_printf(struct rt_str *o, const char *fmt, ...)
{
	va_list va;
	int n;

	va_start(va, fmt);
	n = vsnprintf(NULL, 0, fmt, va);
	va_end(va);
	if (n <= 0)
		return;
	reserve(o, (size_t)n);
	va_start(va, fmt);
	vsnprintf(o->s + o->len, (size_t)n + 1, fmt, va);
	va_end(va);
	o->len += (size_t)n;
}

void rt_str_write(struct rt_str *o, FILE *f)
{
	/* a large block (the maps at exit, a drain of many events) goes out in one write(2) after what
	 * stdio holds: a line-buffered stream (-B line, a terminal) would make one write per line */
	int fd = o->len >= RT_STR_DIRECT_WRITE ? fileno(f) : -1;
	size_t done = 0;

	if (fd >= 0 && fflush(f) == 0) {
		while (done < o->len) {
			ssize_t n = write(fd, o->s + done, o->len - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (size_t)n;
		}
	}
	if (done < o->len)
		fwrite(o->s + done, 1, o->len - done, f); /* also what sets the stream's error (EPIPE) */
	rt_str_clear(o);
}
