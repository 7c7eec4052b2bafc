/* types: constructors, layout, comparison and naming of etrace value types (see types.h). */
#include "program/types.h"

#include <string.h>

#include "support/arena.h"

struct et_type *type_new(struct arena *a, enum et_type_kind kind, uint32_t size)
{
	struct et_type *t = arena_alloc(a, sizeof(*t));

	t->kind = kind;
	t->size = size;
	return t;
}

struct et_type *type_int(struct arena *a, uint32_t size, bool is_signed)
{
	struct et_type *t = type_new(a, ET_INT, size);

	t->is_signed = is_signed;
	return t;
}

struct et_type *type_string(struct arena *a, uint32_t capacity)
{
	return type_new(a, ET_STRING, capacity);
}

void type_field_place(struct et_field *f, uint32_t bits, uint32_t bit_size)
{
	uint32_t unit = f->type && f->type->size ? f->type->size : 1;

	f->bit_size = bit_size;
	f->bit_offset = 0;
	f->offset = bits / 8;
	if (!bit_size)
		return;
	f->offset = bits / 8 / unit * unit;
	f->bit_offset = bits - f->offset * 8;
	if (f->bit_offset + bit_size > unit * 8) { /* straddles its unit: read from its first byte */
		f->offset = bits / 8;
		f->bit_offset = bits % 8;
	}
}

uint32_t type_align(const struct et_type *t)
{
	uint32_t al = 1;

	switch (t->kind) {
	case ET_STRING: /* byte arrays (bpftrace's IsByteArray), copied bytewise */
	case ET_BUFFER:
	case ET_USYM:
	case ET_INET:
	case ET_CGROUP_PATH:
	case ET_TIMESTAMP:
		return 1;
	case ET_ARRAY:
		return t->elem ? type_align(t->elem) : 1;
	case ET_TUPLE:
	case ET_RECORD:
	case ET_STRUCT:
		if (!t->nfields && t->kind == ET_STRUCT)
			break; /* a struct whose fields are not loaded: by its size */
		for (uint32_t i = 0; i < t->nfields; i++) {
			uint32_t f = type_align(t->fields[i].type);

			if (f > al)
				al = f;
		}
		return al;
	default:
		break;
	}
	if (t->size <= 2)
		return t->size ? t->size : 1;
	return t->size <= 4 ? 4 : 8;
}

void type_tuple_layout(struct et_type *t)
{
	uint32_t off = 0, align = 1;

	for (uint32_t i = 0; i < t->nfields; i++) {
		uint32_t al = type_align(t->fields[i].type);

		off = (off + al - 1) / al * al;
		t->fields[i].offset = off;
		off += t->fields[i].type->size;
		if (al > align)
			align = al;
	}
	t->size = (off + align - 1) / align * align;
}

struct et_type *type_tuple(struct arena *a, struct et_type **elems, uint32_t n)
{
	struct et_type *t = type_new(a, ET_TUPLE, 0);

	t->nfields = n;
	t->fields = n ? arena_alloc(a, n * sizeof(*t->fields)) : NULL;
	for (uint32_t i = 0; i < n; i++)
		t->fields[i].type = elems[i];
	type_tuple_layout(t);
	return t;
}

struct et_type *type_copy(struct arena *dst, const struct et_type *t)
{
	struct et_type *c;

	if (!t)
		return NULL;
	c = arena_alloc(dst, sizeof(*c));
	*c = *t;
	if (t->name)
		c->name = arena_strdup(dst, t->name);
	c->elem = type_copy(dst, t->elem);
	if (t->nfields) {
		c->fields = arena_alloc(dst, t->nfields * sizeof(*c->fields));
		for (uint32_t i = 0; i < t->nfields; i++) {
			c->fields[i] = t->fields[i];
			if (t->fields[i].name)
				c->fields[i].name = arena_strdup(dst, t->fields[i].name);
			c->fields[i].type = type_copy(dst, t->fields[i].type);
		}
	}
	return c;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool type_equal(const struct et_type *a, const struct et_type *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind || a->size != b->size)
		return false;
	switch (a->kind) {
	case ET_INT:
	case ET_AGG_SUM:
		return a->is_signed == b->is_signed;
	case ET_POINTER:
		/* kernel and not-yet-known pointers mix (a map may hold both); user pointers stay apart */
		return (a->space == ET_AS_USER) == (b->space == ET_AS_USER) && type_equal(a->elem, b->elem);
	case ET_ARRAY:
		return a->count == b->count && type_equal(a->elem, b->elem);
	case ET_AGG_LHIST:
		return a->lh_min == b->lh_min && a->lh_max == b->lh_max && a->lh_step == b->lh_step;
	case ET_AGG_HIST:
		return a->hist_k == b->hist_k;
	case ET_AGG_TSERIES:
		return a->ts_interval == b->ts_interval && a->ts_count == b->ts_count && a->ts_agg == b->ts_agg &&
		       a->is_signed == b->is_signed;
	case ET_STRUCT:
	case ET_TUPLE:
	case ET_RECORD:
		if (a->kind == ET_STRUCT && !str_eq(a->name, b->name))
			return false;
		if (a->nfields != b->nfields)
			return false;
		for (uint32_t i = 0; i < a->nfields; i++) {
			if (a->fields[i].offset != b->fields[i].offset ||
			    !str_eq(a->fields[i].name, b->fields[i].name) ||
			    !type_equal(a->fields[i].type, b->fields[i].type))
				return false;
		}
		return true;
	default:
		return true;
	}
}

bool type_is_aggregation(const struct et_type *t)
{
	return t && t->kind >= ET_AGG_COUNT && t->kind <= ET_AGG_TSERIES;
}

bool type_is_integer(const struct et_type *t)
{
	return t && (t->kind == ET_INT || t->kind == ET_BOOL);
}

/* Appends to buf at *pos, never past len - 1; keeps buf NUL-terminated. */
static void put(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos >= len)
		return;
	if (n > len - 1 - *pos)
		n = len - 1 - *pos;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = 0;
}

static void format_rec(const struct et_type *t, char *buf, size_t len, size_t *pos)
{
	char tmp[48];

	if (!t) {
		put(buf, len, pos, "none");
		return;
	}
	switch (t->kind) {
	case ET_NONE: put(buf, len, pos, "none"); break;
	case ET_VOID: put(buf, len, pos, "void"); break;
	case ET_INT:
		snprintf(tmp, sizeof(tmp), "%sint%u", t->is_signed ? "" : "u", t->size * 8);
		put(buf, len, pos, tmp);
		break;
	case ET_BOOL: put(buf, len, pos, "bool"); break;
	case ET_STRING:
		snprintf(tmp, sizeof(tmp), "string[%u]", t->size);
		put(buf, len, pos, tmp);
		break;
	case ET_BUFFER:
		snprintf(tmp, sizeof(tmp), "buffer[%u]", t->size > 4 ? t->size - 4 : 0);
		put(buf, len, pos, tmp);
		break;
	case ET_TUPLE:
	case ET_RECORD:
		put(buf, len, pos, "(");
		for (uint32_t i = 0; i < t->nfields; i++) {
			if (i)
				put(buf, len, pos, ", ");
			if (t->kind == ET_RECORD && t->fields[i].name) {
				put(buf, len, pos, t->fields[i].name);
				put(buf, len, pos, "=");
			}
			format_rec(t->fields[i].type, buf, len, pos);
		}
		put(buf, len, pos, ")");
		break;
	case ET_POINTER:
		if (t->elem)
			format_rec(t->elem, buf, len, pos);
		else
			put(buf, len, pos, "void");
		put(buf, len, pos, " *");
		break;
	case ET_STRUCT: put(buf, len, pos, t->name ? t->name : "struct"); break;
	case ET_ARRAY: {
		/* as C writes it: the innermost element, then the counts from the outermost in */
		const struct et_type *e = t;

		while (e->kind == ET_ARRAY && e->elem)
			e = e->elem;
		format_rec(e, buf, len, pos);
		for (e = t; e->kind == ET_ARRAY && e->elem; e = e->elem) {
			if (e->count)
				snprintf(tmp, sizeof(tmp), "[%u]", e->count);
			else /* T[] of a cast, before the cast gives its count */
				snprintf(tmp, sizeof(tmp), "[]");
			put(buf, len, pos, tmp);
		}
		break;
	}
	case ET_KSTACK: put(buf, len, pos, "kstack"); break;
	case ET_USTACK: put(buf, len, pos, "ustack"); break;
	case ET_KSYM: put(buf, len, pos, "ksym"); break;
	case ET_USYM: put(buf, len, pos, "usym"); break;
	case ET_INET: put(buf, len, pos, "inet"); break;
	case ET_PROBE: put(buf, len, pos, "probe"); break;
	case ET_USERNAME: put(buf, len, pos, "username"); break;
	case ET_TIMESTAMP: put(buf, len, pos, "timestamp"); break;
	case ET_CGROUP_PATH: put(buf, len, pos, "cgroup_path_t"); break;
	case ET_AGG_COUNT: put(buf, len, pos, "count"); break;
	case ET_AGG_SUM: put(buf, len, pos, "sum"); break;
	case ET_AGG_MIN: put(buf, len, pos, "min"); break;
	case ET_AGG_MAX: put(buf, len, pos, "max"); break;
	case ET_AGG_AVG: put(buf, len, pos, "avg"); break;
	case ET_AGG_STATS: put(buf, len, pos, "stats"); break;
	case ET_AGG_HIST: put(buf, len, pos, "hist"); break;
	case ET_AGG_LHIST: put(buf, len, pos, "lhist"); break;
	case ET_AGG_TSERIES: put(buf, len, pos, "tseries"); break;
	}
}

void type_format(const struct et_type *t, char *buf, size_t len)
{
	size_t pos = 0;

	if (!len)
		return;
	buf[0] = 0;
	format_rec(t, buf, len, &pos);
}
