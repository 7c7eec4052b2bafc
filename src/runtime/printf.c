/* printf: bpftrace's printf() formatting, done in user space from a ring-buffer record.
 * Conversions: %d %i %u %x %X %o %c %p %s %r %rx %rh and %%, with flags (- + space # 0), a width
 * and a precision, and the length modifiers hh h l ll j z t. Arguments arrive as the fields of a
 * tuple (integers stored as 8 bytes); as in C and bpftrace, %d without a length modifier prints a
 * C int (so 1 << 40 prints 0) and %u/%x an unsigned int; l, ll, j, z and t print 64 bits.
 * %s prints strings, and any other value in its default print() form (bpftrace HEAD); %r prints a
 * buffer (or string) with non-printable bytes as \xNN, %rx every byte as \xNN, %rh as "41 42".
 * A conversion without a matching argument is printed as written. See rt_int.h. */
#define _DEFAULT_SOURCE /* strnlen */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "program/program.h"
#include "program/types.h"
#include "runtime/rt_int.h"

struct spec {
	char flags[8];
	char width[16], prec[16]; /* prec includes the '.' */
	char len[3];
	char conv;                /* d i u x X o c p s r */
	char rmode;               /* for %r: 0, 'x' or 'h' */
};

/* Parse the conversion after '%' at *pp; returns false when it is not one we know. */
static bool parse_spec(const char **pp, struct spec *s)
{
	const char *p = *pp;
	size_t n;

	memset(s, 0, sizeof(*s));
	for (n = 0; *p && strchr("-+ #0", *p) && n < sizeof(s->flags) - 1; p++)
		s->flags[n++] = *p;
	for (n = 0; isdigit((unsigned char)*p) && n < sizeof(s->width) - 1; p++)
		s->width[n++] = *p;
	if (*p == '.') {
		s->prec[0] = '.';
		p++;
		for (n = 1; isdigit((unsigned char)*p) && n < sizeof(s->prec) - 1; p++)
			s->prec[n++] = *p;
	}
	if (p[0] == 'h' && p[1] == 'h') {
		strcpy(s->len, "hh");
		p += 2;
	} else if (p[0] == 'l' && p[1] == 'l') {
		strcpy(s->len, "ll");
		p += 2;
	} else if (*p && strchr("hljzt", *p)) {
		s->len[0] = *p++;
	}
	if (!*p || !strchr("diuxXocps r", *p) || *p == ' ')
		return false;
	s->conv = *p++;
	if (s->conv == 'r' && (*p == 'x' || *p == 'h'))
		s->rmode = *p++;
	*pp = p;
	return true;
}

static void put_int(struct rt_str *o, const struct spec *s, int64_t v)
{
	char fmt[64];
	bool is_signed = s->conv == 'd' || s->conv == 'i';
	bool wide = s->len[0] == 'l' || s->len[0] == 'j' || s->len[0] == 'z' || s->len[0] == 't';

	if (s->conv == 'c') {
		snprintf(fmt, sizeof(fmt), "%%%s%sc", s->flags, s->width);
		rt_str_printf(o, fmt, (int)(unsigned char)v);
		return;
	}
	if (wide) {
		snprintf(fmt, sizeof(fmt), "%%%s%s%sll%c", s->flags, s->width, s->prec, s->conv);
		if (is_signed)
			rt_str_printf(o, fmt, (long long)v);
		else
			rt_str_printf(o, fmt, (unsigned long long)v);
		return;
	}
	snprintf(fmt, sizeof(fmt), "%%%s%s%s%c", s->flags, s->width, s->prec, s->conv);
	if (strcmp(s->len, "hh") == 0) {
		if (is_signed)
			rt_str_printf(o, fmt, (int)(signed char)v);
		else
			rt_str_printf(o, fmt, (unsigned)(unsigned char)v);
	} else if (s->len[0] == 'h') {
		if (is_signed)
			rt_str_printf(o, fmt, (int)(short)v);
		else
			rt_str_printf(o, fmt, (unsigned)(unsigned short)v);
	} else if (is_signed) {
		rt_str_printf(o, fmt, (int)v);
	} else {
		rt_str_printf(o, fmt, (unsigned)v);
	}
}

static void put_text(struct rt_str *o, const struct spec *s, const char *text)
{
	char fmt[64];

	snprintf(fmt, sizeof(fmt), "%%%s%s%ss", s->flags, s->width, s->prec);
	rt_str_printf(o, fmt, text);
}

static void put_raw(struct rt_str *o, const struct spec *s, const struct et_type *t, const uint8_t *d)
{
	const uint8_t *bytes = d;
	size_t n, i;

	if (t->kind == ET_BUFFER) {
		uint32_t len;

		memcpy(&len, d, 4);
		n = len > t->size - 4 ? t->size - 4 : len;
		bytes = d + 4;
	} else if (t->kind == ET_STRING) {
		n = strnlen((const char *)d, t->size);
	} else {
		n = t->size;
	}
	for (i = 0; i < n; i++) {
		if (s->rmode == 'h')
			rt_str_printf(o, i ? " %02x" : "%02x", bytes[i]);
		else if (s->rmode == 'x' || !isprint(bytes[i]))
			rt_str_printf(o, "\\x%02x", bytes[i]);
		else
			rt_str_putc(o, (char)bytes[i]);
	}
}

static bool is_int_like(const struct et_type *t)
{
	switch (t->kind) {
	case ET_INT: case ET_BOOL: case ET_POINTER: case ET_KSYM: case ET_USYM: case ET_PROBE:
	case ET_USERNAME: case ET_KSTACK:
		return true;
	default:
		return false;
	}
}

void rt_format_printf(struct rt_str *o, const struct et_program *prog, const char *fmt,
		      const struct et_type *args, const uint8_t *data, size_t size)
{
	const char *p = fmt;
	uint32_t argi = 0;

	while (*p) {
		const char *start, *pct = strchr(p, '%');
		struct spec s;
		const struct et_field *f;
		const uint8_t *d;

		if (!pct) {
			rt_str_puts(o, p);
			break;
		}
		rt_str_putn(o, p, (size_t)(pct - p));
		p = pct + 1;
		if (*p == '%') {
			rt_str_putc(o, '%');
			p++;
			continue;
		}
		start = p;
		if (!parse_spec(&start, &s)) {
			rt_str_putc(o, '%'); /* not a conversion: print it as written */
			continue;
		}
		if (!args || argi >= args->nfields) {
			rt_str_putn(o, pct, (size_t)(start - pct));
			p = start;
			continue;
		}
		p = start;
		f = &args->fields[argi++];
		if (f->offset + f->type->size > size)
			break; /* truncated record: print what we can */
		d = data + f->offset;
		if (s.conv == 'r') {
			put_raw(o, &s, f->type, d);
		} else if (s.conv == 's' || !is_int_like(f->type)) {
			struct rt_str tmp = {0};

			rt_format_value(&tmp, prog, f->type, d);
			put_text(o, &s, tmp.s ? tmp.s : "");
			rt_str_free(&tmp);
		} else if (s.conv == 'p') {
			char fmtp[64];
			uint64_t v = (uint64_t)rt_read_int(d, f->type->size > 8 ? 8 : f->type->size, false);

			snprintf(fmtp, sizeof(fmtp), "%%%s%sp", s.flags, s.width);
			rt_str_printf(o, fmtp, (void *)(uintptr_t)v);
		} else {
			put_int(o, &s, rt_read_int(d, f->type->size > 8 ? 8 : f->type->size,
						   f->type->kind == ET_INT && f->type->is_signed));
		}
	}
}
