/* json: the JSON printer (rt_json_printer) for bpftrace's -f json output (NDJSON: one object per line).
 * See rt_int.h. */
#include <string.h>

#include "program/program.h"
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

/* An integer as bpftrace writes it: a number when a double holds it exactly (JSON numbers are
 * doubles, RFC 8259), else its decimal digits in a string, so that no reader rounds it. */
static void json_number(struct rt_str *o, uint64_t v, bool is_signed)
{
	bool exact;

	if (is_signed) {
		double d = (double)(int64_t)v;

		exact = d < 9223372036854775808.0 && (int64_t)d == (int64_t)v;
	} else {
		double d = (double)v;

		exact = d < 18446744073709551616.0 && (uint64_t)d == v;
	}
	if (!exact)
		rt_str_putc(o, '"');
	if (is_signed)
		rt_str_put_i64(o, (int64_t)v);
	else
		rt_str_put_u64(o, v);
	if (!exact)
		rt_str_putc(o, '"');
}

/* Integers, pointers and booleans as numbers (an enum too, as in bpftrace), other values as their text in
 * a string. */
static void json_leaf(struct rt_str *o, const struct et_program *prog, const struct et_type *t, const uint8_t *data)
{
	struct rt_str tmp = {0};

	switch (t ? t->kind : ET_INT) {
	case ET_INT:
		if (t && t->nfields) {
			struct et_type plain = *t;

			plain.nfields = 0;
			rt_format_value(o, prog, &plain, data);
			return;
		}
		if (!t) {
			uint64_t v;

			memcpy(&v, data, sizeof(v));
			json_number(o, v, false);
		} else {
			json_number(o, (uint64_t)rt_read_int(data, t->size, t->is_signed), t->is_signed);
		}
		return;
	case ET_POINTER: { /* bpftrace: a pointer is its address, a number */
		uint64_t v;

		memcpy(&v, data, sizeof(v));
		json_number(o, v, false);
		return;
	}
	case ET_BOOL:
		rt_format_value(o, prog, t, data);
		return;
	default:
		rt_format_value(&tmp, prog, t, data);
		rt_json_string(o, tmp.s ? tmp.s : "", tmp.len);
		rt_str_free(&tmp);
	}
}

/* Tuples and arrays as arrays, structs and records as objects. */
static void json_open(struct rt_str *o, const struct et_type *t)
{
	rt_str_putc(o, t->kind == ET_TUPLE || t->kind == ET_ARRAY ? '[' : '{');
}

static void json_item(struct rt_str *o, const struct et_type *t, uint32_t i)
{
	bool named = t->kind == ET_RECORD || t->kind == ET_STRUCT;

	if (i)
		rt_str_puts(o, named ? ", " : ",");
	if (named) {
		const char *name = t->fields[i].name ? t->fields[i].name : "";

		rt_json_string(o, name, strlen(name));
		rt_str_puts(o, ": ");
	}
}

static void json_close(struct rt_str *o, const struct et_type *t)
{
	rt_str_putc(o, t->kind == ET_TUPLE || t->kind == ET_ARRAY ? ']' : '}');
}

void rt_json_value(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		   const uint8_t *data)
{
	rt_print_value(&rt_json_printer, o, prog, t, data);
}

/* ---- maps: {"type": "map"|"hist"|"stats", "data": {"@m": {"k": v, ...}}} on one line ---- */

static void json_stats(struct rt_str *o, int64_t count, int64_t average, int64_t total)
{
	rt_str_printf(o, "{\"count\": %lld, \"average\": %lld, \"total\": %lld}", (long long)count,
		      (long long)average, (long long)total);
}

static void json_bucket(struct rt_str *o, bool first, bool has_min, int64_t min, bool has_max, int64_t max,
			uint64_t count)
{
	rt_str_puts(o, first ? "{" : ", {");
	if (has_min)
		rt_str_printf(o, "\"min\": %lld, ", (long long)min);
	if (has_max)
		rt_str_printf(o, "\"max\": %lld, ", (long long)max);
	rt_str_printf(o, "\"count\": %llu}", (unsigned long long)count);
}

/* The buckets from the first non-empty one to the last; lhist() counts are not divided. */
static void json_hist(struct rt_str *o, const struct et_type *vt, const uint64_t *slots, uint64_t div)
{
	uint32_t n = rt_hist_slots(vt), first = n, last = 0, i;

	for (i = 0; i < n; i++)
		if (slots[i]) {
			if (first == n)
				first = i;
			last = i;
		}
	rt_str_putc(o, '[');
	for (i = first; i < n && i <= last; i++) {
		bool f = i == first;

		if (vt->kind == ET_AGG_HIST) {
			uint64_t c = slots[i] / div;

			if (i == 0)
				json_bucket(o, f, false, 0, true, -1, c);
			else
				json_bucket(o, f, true, (int64_t)rt_hist_bound(i - 1, vt->hist_k), true,
					    (int64_t)(rt_hist_bound(i, vt->hist_k) - 1), c);
		} else {
			int64_t lo = vt->lh_min + (int64_t)(i - 1) * vt->lh_step;

			if (i == 0)
				json_bucket(o, f, false, 0, true, vt->lh_min - 1, slots[i]);
			else if (i == n - 1)
				json_bucket(o, f, true, vt->lh_max, false, 0, slots[i]);
			else
				json_bucket(o, f, true, lo, true, lo + vt->lh_step - 1, slots[i]);
		}
	}
	rt_str_putc(o, ']');
}

static void json_map_start(struct rt_str *o, const struct et_map_desc *m)
{
	const struct et_type *vt = m->value;
	const char *type = "map";

	if (vt->kind == ET_AGG_HIST || vt->kind == ET_AGG_LHIST)
		type = "hist";
	else if (vt->kind == ET_AGG_AVG || vt->kind == ET_AGG_STATS)
		type = "stats";
	else if (vt->kind == ET_AGG_TSERIES)
		type = "tseries";
	rt_str_printf(o, "{\"type\": \"%s\", \"data\": {", type);
	rt_json_string(o, m->name, strlen(m->name));
	rt_str_puts(o, ": ");
}

static void json_map_open(struct rt_str *o, const struct et_map_desc *m)
{
	json_map_start(o, m);
	if (m->key)
		rt_str_putc(o, '{');
}

/* A key is the string of its text, a tuple's fields joined by "," ("1,abc"). */
static void json_entry(struct rt_str *o, const struct et_program *prog, const struct et_map_desc *m,
		       const uint8_t *key, bool first)
{
	struct rt_str k = {0};

	(void)m;
	if (!key)
		return;
	if (!first)
		rt_str_puts(o, ", ");
	rt_format_key(&k, prog, m->key, key, ",");
	rt_json_string(o, k.s ? k.s : "", k.len);
	rt_str_free(&k);
	rt_str_puts(o, ": ");
}

static void json_entry_end(struct rt_str *o, const struct et_map_desc *m)
{
	(void)o;
	(void)m;
}

static void json_map_close(struct rt_str *o, const struct et_map_desc *m)
{
	if (m->key)
		rt_str_putc(o, '}');
	rt_str_puts(o, "}}\n");
}

/* bpftrace's JSON writer skips an empty map, except an avg/stats one, which it wraps in its "stats"
 * envelope before looking: {"type": "stats", "data": {"@a": {}}}. */
static void json_empty(struct rt_str *o, const struct et_map_desc *m)
{
	if (m->value->kind == ET_AGG_AVG || m->value->kind == ET_AGG_STATS) {
		json_map_start(o, m);
		rt_str_puts(o, "{}}}\n");
	}
}

const struct rt_printer rt_json_printer = {
	.leaf = json_leaf,
	.open = json_open,
	.item = json_item,
	.close = json_close,
	.stats = json_stats,
	.hist = json_hist,
	.tseries = rt_json_tseries,
	.map_open = json_map_open,
	.entry = json_entry,
	.entry_end = json_entry_end,
	.map_close = json_map_close,
	.empty = json_empty,
	.number = json_number,
};
