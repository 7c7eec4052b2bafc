/* printf_check: compile-time check of a printf-style format string against its arguments.
 * Accepted conversions: %d %i %u %x %X %o %c %p %s %r %rx %rh and %%, with flags - 0 + space #,
 * a width, a .precision and the length modifiers hh h l ll j z t. Integer conversions take integers
 * (and pointers, and bools as 1/0); %s takes strings and the string-like kinds (symbols, probe, username,
 * address) and bools (true/false);
 * %r takes strings and buffers. Messages follow bpftrace ("printf: Too many arguments for format
 * string (3 supplied, 2 expected)"). */
#include <string.h>

#include "support/arena.h"
#include "sema/sema_int.h"

enum spec_class { SPEC_INT, SPEC_PTR, SPEC_STR, SPEC_BUF };

struct spec {
	enum spec_class cls;
	char text[16]; /* the conversion as written, e.g. "%ld" (truncated when long) */
};

static bool accepts(enum spec_class cls, const struct et_type *t)
{
	switch (cls) {
	case SPEC_INT:
	case SPEC_PTR:
		return sema_is_intlike(t);
	case SPEC_STR:
		switch (t->kind) {
		case ET_STRING: case ET_KSYM: case ET_USYM: case ET_PROBE: case ET_USERNAME: case ET_INET: case ET_TIMESTAMP:
		case ET_CGROUP_PATH:
		case ET_KSTACK: case ET_USTACK: case ET_BOOL: /* a bool prints true/false */
			return true;
		case ET_INT:
			return t->nfields > 0; /* an enum from BTF: printed as its enumerator's name */
		default:
			return false;
		}
	case SPEC_BUF:
		return t->kind == ET_STRING || t->kind == ET_BUFFER;
	}
	return false;
}

static const char *class_name(enum spec_class cls)
{
	switch (cls) {
	case SPEC_INT: return "integer";
	case SPEC_PTR: return "pointer or integer";
	case SPEC_STR: return "string";
	case SPEC_BUF: return "buffer or string";
	}
	return "?";
}

bool sema_check_format(struct sema *s, const char *fn, struct ast_node *call, const struct ast_node *fmt,
		       struct ast_node **args, uint32_t nargs)
{
	const char *f = fmt->u.string.bytes;
	uint32_t len = fmt->u.string.len, nspecs = 0, cap = 8;
	struct spec *specs = arena_alloc(s->arena, cap * sizeof(*specs));
	bool ok = true;

	for (uint32_t i = 0; i < len; i++) {
		uint32_t start = i;
		enum spec_class cls;
		size_t n;

		if (f[i] != '%')
			continue;
		i++;
		if (i < len && f[i] == '%')
			continue;
		while (i < len && strchr("-0+ #", f[i]) && f[i])
			i++;
		if (i < len && f[i] == '*') {
			sema_error(s, fmt->loc, "%s: '*' widths are not supported; write the width as a number", fn);
			return false;
		}
		while (i < len && f[i] >= '0' && f[i] <= '9')
			i++;
		if (i < len && f[i] == '.') {
			i++;
			while (i < len && f[i] >= '0' && f[i] <= '9')
				i++;
		}
		if (i + 1 < len && ((f[i] == 'h' && f[i + 1] == 'h') || (f[i] == 'l' && f[i + 1] == 'l')))
			i += 2;
		else if (i < len && strchr("hljzt", f[i]) && f[i])
			i++;
		if (i >= len) {
			sema_error(s, fmt->loc, "%s: incomplete format specifier '%.*s' at the end of the format string",
				   fn, (int)(len - start), f + start);
			return false;
		}
		switch (f[i]) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
			cls = SPEC_INT;
			break;
		case 'p':
			cls = SPEC_PTR;
			break;
		case 's':
			cls = SPEC_STR;
			break;
		case 'r':
			cls = SPEC_BUF;
			if (i + 1 < len && (f[i + 1] == 'x' || f[i + 1] == 'h'))
				i++;
			break;
		default:
			sema_error(s, fmt->loc, "%s: invalid format specifier '%.*s'", fn, (int)(i - start + 1), f + start);
			sema_hint(s, "use %%d %%u %%x %%s %%c %%p %%r; write %%%% for a literal %%");
			return false;
		}
		if (nspecs == cap) {
			specs = arena_grow(s->arena, specs, cap, cap * 2, sizeof(*specs));
			cap *= 2;
		}
		specs[nspecs].cls = cls;
		n = i - start + 1;
		if (n > sizeof(specs[nspecs].text) - 1)
			n = sizeof(specs[nspecs].text) - 1;
		memcpy(specs[nspecs].text, f + start, n);
		specs[nspecs].text[n] = 0;
		nspecs++;
	}
	if (nargs > nspecs) {
		sema_error(s, call->loc, "%s: Too many arguments for format string (%u supplied, %u expected)", fn, nargs,
			   nspecs);
		return false;
	}
	if (nargs < nspecs) {
		sema_error(s, call->loc, "%s: Not enough arguments for format string (%u supplied, %u expected)", fn,
			   nargs, nspecs);
		return false;
	}
	for (uint32_t i = 0; i < nargs; i++) {
		const struct et_type *t = args[i]->type;

		if (sema_is_none(t)) {
			ok = false;
			continue;
		}
		if (!accepts(specs[i].cls, t)) {
			sema_error(s, args[i]->loc, "%s: %s specifier expects a value of type %s (%s supplied)", fn,
				   specs[i].text, class_name(specs[i].cls), sema_tname(s, t));
			if (specs[i].cls == SPEC_STR && sema_is_intlike(t))
				sema_hint(s, "print integers with %%d, or read a string from an address with str()");
			else if (specs[i].cls == SPEC_INT && t->kind == ET_STRING)
				sema_hint(s, "print strings with %%s");
			ok = false;
		}
	}
	return ok;
}
