/* json: JSON text for bpftrace's -f json output (NDJSON: one object per line). See rt_int.h. */
#include <string.h>

#include "program/types.h"
#include "runtime/rt_int.h"

/* The length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no overlongs, no surrogates), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* Bytes that are not UTF-8 (a kernel string may hold anything) are written as \u00XX, their Latin-1
 * reading, so that every line stays valid JSON. */
void rt_json_string(struct rt_str *o, const char *s, size_t n)
{
	size_t i;

	rt_str_putc(o, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': rt_str_puts(o, "\\\""); break;
		case '\\': rt_str_puts(o, "\\\\"); break;
		case '\n': rt_str_puts(o, "\\n"); break;
		case '\t': rt_str_puts(o, "\\t"); break;
		case '\r': rt_str_puts(o, "\\r"); break;
		default:
			if (c < 0x20) {
				rt_str_printf(o, "\\u%04x", c);
			} else if (c < 0x80) {
				rt_str_putc(o, (char)c);
			} else {
				size_t len = utf8_len((const unsigned char *)s + i, n - i);

				if (len) {
					rt_str_putn(o, s + i, len);
					i += len - 1;
				} else {
					rt_str_printf(o, "\\u%04x", c);
				}
			}
		}
	}
	rt_str_putc(o, '"');
}

void rt_json_value(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		   const uint8_t *data)
{
	struct rt_str tmp = {0};
	uint32_t i;

	switch (t ? t->kind : ET_INT) {
	case ET_INT:
		if (t && t->nfields) { /* an enum: JSON gets the number (bpftrace does the same) */
			struct et_type plain = *t;

			plain.nfields = 0;
			rt_format_value(o, prog, &plain, data);
			return;
		}
		/* fall through */
	case ET_BOOL:
		rt_format_value(o, prog, t, data);
		return;
	case ET_TUPLE:
		rt_str_putc(o, '[');
		for (i = 0; i < t->nfields; i++) {
			if (i)
				rt_str_putc(o, ',');
			rt_json_value(o, prog, t->fields[i].type, data + t->fields[i].offset);
		}
		rt_str_putc(o, ']');
		return;
	case ET_ARRAY:
		rt_str_putc(o, '[');
		for (i = 0; i < t->count && t->elem; i++) {
			if (i)
				rt_str_putc(o, ',');
			rt_json_value(o, prog, t->elem, data + (size_t)i * t->elem->size);
		}
		rt_str_putc(o, ']');
		return;
	case ET_RECORD:
	case ET_STRUCT:
		rt_str_putc(o, '{');
		for (i = 0; i < t->nfields; i++) {
			const char *name = t->fields[i].name ? t->fields[i].name : "";

			if (i)
				rt_str_puts(o, ", ");
			rt_json_string(o, name, strlen(name));
			rt_str_puts(o, ": ");
			rt_json_value(o, prog, t->fields[i].type, data + t->fields[i].offset);
		}
		rt_str_putc(o, '}');
		return;
	default:
		rt_format_value(&tmp, prog, t, data);
		rt_json_string(o, tmp.s ? tmp.s : "", tmp.len);
		rt_str_free(&tmp);
	}
}
