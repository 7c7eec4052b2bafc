/* printer: the walks shared by the output forms. rt_print_value goes down a value's type (tuples,
 * structs, records, arrays, bit-fields) and rt_print_map over a map's combined, sorted entries (top,
 * div, the empty map, the aggregation kinds); each calls an rt_printer (print.c: text, json.c: JSON)
 * for what it writes, so a new kind of value or a new form touches one switch, not one per form.
 * See rt_int.h. */
#include <stdlib.h>
#include <string.h>

#include "program/program.h"
#include "program/types.h"
#include "runtime/rt_int.h"

/* A bit-field's value: bit_size bits from bit_offset in the bytes at data. */
static uint64_t bitfield(const struct et_field *f, const uint8_t *data)
{
	uint64_t v = 0;
	uint32_t bytes = (f->bit_offset + f->bit_size + 7) / 8;

	memcpy(&v, data + f->offset, bytes > 8 ? 8 : bytes);
	v >>= f->bit_offset;
	if (f->bit_size < 64)
		v &= (1ull << f->bit_size) - 1;
	return v;
}

void rt_print_value(const struct rt_printer *p, struct rt_str *o, const struct et_program *prog,
		    const struct et_type *t, const uint8_t *data)
{
	uint32_t i;

	switch (t ? t->kind : ET_INT) {
	case ET_TUPLE:
	case ET_RECORD:
	case ET_STRUCT:
		p->open(o, t);
		for (i = 0; i < t->nfields; i++) {
			const struct et_field *f = &t->fields[i];

			p->item(o, t, i);
			if (f->bit_size) {
				uint64_t v = bitfield(f, data);

				p->leaf(o, prog, NULL, (const uint8_t *)&v);
			} else {
				rt_print_value(p, o, prog, f->type, data + f->offset);
			}
		}
		p->close(o, t);
		return;
	case ET_ARRAY:
		p->open(o, t);
		for (i = 0; i < t->count && t->elem; i++) {
			p->item(o, t, i);
			rt_print_value(p, o, prog, t->elem, data + (size_t)i * t->elem->size);
		}
		p->close(o, t);
		return;
	default:
		p->leaf(o, prog, t, data);
	}
}

void rt_format_key(struct rt_str *o, const struct et_program *prog, const struct et_type *kt, const uint8_t *key,
		   const char *sep)
{
	uint32_t i;

	if (kt->kind != ET_TUPLE) {
		rt_format_value(o, prog, kt, key);
		return;
	}
	for (i = 0; i < kt->nfields; i++) {
		if (i)
			rt_str_puts(o, sep);
		rt_format_value(o, prog, kt->fields[i].type, key + kt->fields[i].offset);
	}
}

/* u / div, both taken as signed or both as unsigned */
static void put_number(const struct rt_printer *p, struct rt_str *o, uint64_t v, bool is_signed)
{
	if (p->number)
		p->number(o, v, is_signed);
	else if (is_signed)
		rt_str_put_i64(o, (int64_t)v);
	else
		rt_str_put_u64(o, v);
}

static void put_divided(const struct rt_printer *p, struct rt_str *o, uint64_t u, bool is_signed, uint64_t div)
{
	if (is_signed)
		put_number(p, o, (uint64_t)((int64_t)u / (int64_t)div), true);
	else
		put_number(p, o, u / div, false);
}

static void print_entry_value(const struct rt_printer *p, struct rt_str *o, const struct et_program *prog,
			      const struct et_type *vt, const struct rt_map_entry *e, uint64_t div)
{
	switch (vt->kind) {
	case ET_AGG_COUNT:
		put_number(p, o, e->u / div, false);
		break;
	case ET_AGG_SUM:
		put_divided(p, o, e->u, vt->is_signed, div);
		break;
	case ET_AGG_MIN:
	case ET_AGG_MAX:
		put_number(p, o, (uint64_t)((int64_t)e->u / (int64_t)div), true);
		break;
	case ET_AGG_AVG:
		put_number(p, o, (uint64_t)(rt_map_entry_avg(e) / (int64_t)div), true);
		break;
	case ET_AGG_STATS:
		p->stats(o, e->count, rt_map_entry_avg(e) / (int64_t)div, e->total);
		break;
	case ET_INT:
		if (vt->nfields) { /* an enum: as the printer writes enums (div does not apply) */
			rt_print_value(p, o, prog, vt, e->raw);
			break;
		}
		put_divided(p, o, e->u, vt->is_signed, div);
		break;
	case ET_AGG_HIST:
	case ET_AGG_LHIST:
		p->hist(o, vt, e->slots, div);
		break;
	case ET_AGG_TSERIES:
		if (p->tseries)
			p->tseries(o, vt, e->ts, e->nts);
		break;
	default:
		rt_print_value(p, o, prog, vt, e->raw);
		break;
	}
}

/* A map that holds nothing: print(@m) of a keyless non-histogram map prints the zero value of its type,
 * as bpftrace's print() does (`@: 0`, a zeroed stats record, a zeroed tuple); histograms print nothing,
 * and so does the print of every map at exit (as the printer's empty() says). */
static size_t print_empty(const struct rt_printer *p, struct rt_str *o, const struct et_program *prog,
			  const struct et_map_desc *m, bool zero_if_empty)
{
	if (zero_if_empty && !m->key && m->value->kind != ET_AGG_HIST && m->value->kind != ET_AGG_LHIST &&
	    m->value->kind != ET_AGG_TSERIES) {
		struct rt_map_entry zero = {0};
		uint8_t *raw = rt_xcalloc(1, m->value->size ? m->value->size : 1);

		zero.raw = raw;
		p->map_open(o, m);
		p->entry(o, prog, m, NULL, true);
		print_entry_value(p, o, prog, m->value, &zero, 1);
		p->entry_end(o, m);
		p->map_close(o, m);
		free(raw);
		return 1;
	}
	p->empty(o, m);
	return 0;
}

size_t rt_print_map(const struct rt_printer *p, struct rt_str *o, const struct et_program *prog,
		    const struct rt_map_snapshot *s, uint64_t top, uint64_t div, bool zero_if_empty)
{
	const struct et_map_desc *m = s->desc;
	struct rt_map_entries es = {0};
	size_t i, skip = 0, printed = 0;

	if (s->count)
		rt_map_entries_read(s, &es);
	if (es.n == 0) {
		printed = print_empty(p, o, prog, m, zero_if_empty);
		rt_map_entries_free(&es);
		return printed;
	}
	if (div == 0)
		div = 1;
	if (top && es.n > top && m->value->kind != ET_AGG_TSERIES) /* bpftrace prints every tseries key */
		skip = es.n - top;
	p->map_open(o, m);
	/* a keyless map has one entry (its key is always 0) */
	for (i = skip; i < es.n && (m->key || i == skip); i++) {
		p->entry(o, prog, m, m->key ? es.e[i].key : NULL, i == skip);
		print_entry_value(p, o, prog, m->value, &es.e[i], div);
		p->entry_end(o, m);
		printed++;
	}
	p->map_close(o, m);
	rt_map_entries_free(&es);
	return printed;
}

size_t rt_map_format(struct rt_str *o, const struct et_program *prog, const struct rt_map_snapshot *s,
		     uint64_t top, uint64_t div, bool zero_if_empty)
{
	return rt_print_map(&rt_text_printer, o, prog, s, top, div, zero_if_empty);
}

size_t rt_map_format_json(struct rt_str *o, const struct et_program *prog, const struct rt_map_snapshot *s,
			  uint64_t top, uint64_t div, bool zero_if_empty)
{
	return rt_print_map(&rt_json_printer, o, prog, s, top, div, zero_if_empty);
}
