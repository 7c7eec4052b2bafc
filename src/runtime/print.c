/* print: the text printer (rt_text_printer): values, maps and histograms as bpftrace (HEAD) prints them.
 * Values follow bpftrace's types_format: integers by signedness, booleans true/false, strings raw with
 * the str_trunc_trailer (default "..") when they fill their buffer (probably truncated), tuples "(a, b)", structs and
 * records "{ .a = 1, .b = 2 }", arrays "[1,2,3]", pointers "0x1234", buffers with non-printable bytes
 * as \xNN. Histogram rows are "LABEL" left-aligned in 16 columns, the count right-aligned in 8, " |",
 * a bar of '@' left-aligned in 52 columns and "|"; labels follow bpftrace's bucket naming (see
 * hist_label / lhist_label). See rt_int.h. */
#define _DEFAULT_SOURCE /* getpwuid_r */
#include <arpa/inet.h>
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "program/program.h"
#include "program/types.h"
#include "runtime/rt_int.h"
#include "runtime/symbols.h"

int64_t rt_read_int(const uint8_t *data, uint32_t size, bool is_signed)
{
	uint64_t u = 0;

	switch (size) {
	case 1: {
		uint8_t v;
		memcpy(&v, data, 1);
		return is_signed ? (int64_t)(int8_t)v : (int64_t)v;
	}
	case 2: {
		uint16_t v;
		memcpy(&v, data, 2);
		return is_signed ? (int64_t)(int16_t)v : (int64_t)v;
	}
	case 4: {
		uint32_t v;
		memcpy(&v, data, 4);
		return is_signed ? (int64_t)(int32_t)v : (int64_t)v;
	}
	default:
		memcpy(&u, data, size < 8 ? size : 8);
		return (int64_t)u;
	}
}

static void format_int(struct rt_str *o, const uint8_t *data, uint32_t size, bool is_signed)
{
	int64_t v = rt_read_int(data, size, is_signed);

	if (is_signed)
		rt_str_put_i64(o, v);
	else
		rt_str_put_u64(o, (uint64_t)v);
}

static uint64_t read_u64(const uint8_t *data)
{
	uint64_t v;

	memcpy(&v, data, 8);
	return v;
}

/* A string without a NUL in its buffer was cut (bpftrace's heuristic: str() keeps max_strlen characters
 * and no NUL when the source was longer): it ends with the str_trunc_trailer config value. */
static void format_string(struct rt_str *o, const struct et_program *prog, const uint8_t *data, uint32_t size)
{
	size_t n = strnlen((const char *)data, size);

	rt_str_putn(o, (const char *)data, n);
	if (n == size && size > 0)
		rt_str_puts(o, prog && prog->str_trunc_trailer ? prog->str_trunc_trailer : "..");
}

static void format_buffer(struct rt_str *o, const uint8_t *data, uint32_t size)
{
	uint32_t len, i;

	memcpy(&len, data, 4);
	if (len > size - 4)
		len = size - 4;
	for (i = 0; i < len; i++) {
		uint8_t c = data[4 + i];

		if (isprint(c))
			rt_str_putc(o, (char)c);
		else
			rt_str_printf(o, "\\x%02x", c);
	}
}


/* strftime(): boot-clock nsecs turned into wall-clock time with the REALTIME - BOOTTIME offset taken
 * at the first use, formatted with strftime(3) after "%f" is replaced by the microseconds (like
 * bpftrace). */
static void format_timestamp(struct rt_str *o, const char *fmt, uint64_t ns)
{
	static int64_t offset_ns;
	static bool have_offset;
	char f[512], out[1024];
	size_t j = 0;
	struct tm tm;
	time_t secs;
	int64_t wall;

	if (!have_offset) {
		struct timespec rt, bt;

		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_BOOTTIME, &bt);
		offset_ns = ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000000 + (rt.tv_nsec - bt.tv_nsec);
		have_offset = true;
	}
	wall = (int64_t)ns + offset_ns;
	for (const char *p = fmt ? fmt : ""; *p && j + 8 < sizeof(f); p++) {
		if (p[0] == '%' && p[1] == 'f') {
			j += (size_t)snprintf(f + j, sizeof(f) - j, "%06lld", (long long)((wall % 1000000000) / 1000));
			p++;
		} else {
			if (p[0] == '%' && p[1] == '%')
				f[j++] = *p++;
			f[j++] = *p;
		}
	}
	f[j] = 0;
	secs = (time_t)(wall / 1000000000);
	if (!localtime_r(&secs, &tm) || (f[0] && strftime(out, sizeof(out), f, &tm) == 0))
		out[0] = 0;
	if (!f[0])
		out[0] = 0;
	rt_str_puts(o, out);
}

/* The text of a value that is not a tuple, struct, record or array (rt_print_value walks those). */
static void text_leaf(struct rt_str *o, const struct et_program *prog, const struct et_type *t, const uint8_t *data)
{
	uint32_t i;

	if (!t) {
		format_int(o, data, 8, false);
		return;
	}
	switch (t->kind) {
	case ET_INT:
		if (t->nfields) { /* an enum from BTF: the enumerator's name when the value has one */
			uint64_t v = 0;

			memcpy(&v, data, t->size < 8 ? t->size : 8);
			if (t->is_signed && t->size < 8 && (v >> (t->size * 8 - 1)) & 1)
				v |= ~0ull << (t->size * 8);
			for (i = 0; i < t->nfields; i++)
				if (t->fields[i].name &&
				    (t->fields[i].offset | (uint64_t)t->fields[i].bit_offset << 32) == v) {
					rt_str_puts(o, t->fields[i].name);
					return;
				}
		}
		format_int(o, data, t->size, t->is_signed);
		break;
	case ET_BOOL:
		rt_str_puts(o, data[0] ? "true" : "false");
		break;
	case ET_STRING:
		format_string(o, prog, data, t->size);
		break;
	case ET_BUFFER:
		format_buffer(o, data, t->size);
		break;
	case ET_POINTER:
		rt_str_printf(o, "0x%llx", (unsigned long long)read_u64(data));
		break;
	case ET_USYM:
		sym_format_user(o, prog, read_u64(data), t->size >= 16 ? read_u64(data + 8) : 0);
		break;
	case ET_KSYM:
		if (sym_format_kernel(o, read_u64(data), false))
			sym_format_addr(o, read_u64(data));
		break;
	case ET_PROBE: {
		uint64_t idx = read_u64(data);

		if (prog && idx < prog->nprobes)
			rt_str_puts(o, prog->probes[idx].name);
		else
			rt_str_put_u64(o, idx);
		break;
	}
	case ET_TIMESTAMP: {
		uint64_t idx = read_u64(data);

		format_timestamp(o, prog && idx < prog->nstrftime_formats ? prog->strftime_formats[idx] : "",
				 read_u64(data + 8));
		break;
	}
	case ET_CGROUP_PATH: {
		uint64_t idx = read_u64(data);

		rt_format_cgroup_path(o, prog && idx < prog->ncgroup_filters ? prog->cgroup_filters[idx] : "*",
				      read_u64(data + 8));
		break;
	}
	case ET_USERNAME: {
		uint64_t uid = read_u64(data);
		struct passwd pw, *res = NULL;
		char buf[1024];

		/* a uid without an entry prints as "", as bpftrace's lookup in /etc/passwd */
		if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) == 0 && res)
			rt_str_puts(o, res->pw_name);
		break;
	}
	case ET_INET: {
		uint64_t af = read_u64(data);
		char buf[INET6_ADDRSTRLEN];

		if (af == 17) { /* macaddr(): upper-case hex like bpftrace */
			const uint8_t *m = (const uint8_t *)data + 8;
			snprintf(buf, sizeof(buf), "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
		} else if (!inet_ntop(af == 10 ? AF_INET6 : AF_INET, data + 8, buf, sizeof(buf)))
			snprintf(buf, sizeof(buf), "?");
		rt_str_puts(o, buf);
		break;
	}
	case ET_KSTACK:
	case ET_USTACK:
		sym_format_stack(o, prog, t, data);
		break;
	default:
		format_int(o, data, t->size < 8 ? t->size : 8, t->is_signed);
		break;
	}
}

/* Tuples "(a, b)", structs and records "{ .a = 1, .b = 2 }" ("{}" without fields), arrays "[1,2]". */
static void text_open(struct rt_str *o, const struct et_type *t)
{
	if (t->kind == ET_TUPLE)
		rt_str_putc(o, '(');
	else if (t->kind == ET_ARRAY)
		rt_str_putc(o, '[');
	else
		rt_str_puts(o, t->nfields ? "{ " : "{}");
}

static void text_item(struct rt_str *o, const struct et_type *t, uint32_t i)
{
	if (i)
		rt_str_puts(o, t->kind == ET_ARRAY ? "," : ", ");
	if (t->kind == ET_RECORD || t->kind == ET_STRUCT)
		rt_str_printf(o, ".%s = ", t->fields[i].name ? t->fields[i].name : "");
}

static void text_close(struct rt_str *o, const struct et_type *t)
{
	if (t->kind == ET_TUPLE)
		rt_str_putc(o, ')');
	else if (t->kind == ET_ARRAY)
		rt_str_putc(o, ']');
	else if (t->nfields)
		rt_str_puts(o, " }");
}

void rt_format_value(struct rt_str *o, const struct et_program *prog, const struct et_type *t,
		     const uint8_t *data)
{
	rt_print_value(&rt_text_printer, o, prog, t, data);
}

/* ---- histograms ---- */

/* A bucket bound: an integer (may print as "[N]" when a bucket holds one value) or a text label. */
struct hlabel {
	bool is_int;
	int64_t v;
	char text[32];
};

static struct hlabel int_label(int64_t v)
{
	struct hlabel l = {.is_int = true, .v = v};

	snprintf(l.text, sizeof(l.text), "%lld", (long long)v);
	return l;
}

uint64_t rt_hist_bound(uint32_t i, uint32_t k)
{
	uint32_t power;

	if (i <= (2u << k))
		return i;
	power = (i >> k) - 1;
	return power >= 64 ? 0 : (1ull << power) * ((1ull << k) + (i & ((1u << k) - 1)));
}

/* hist(n, k) slot i's upper bound (rt_hist_bound) as bpftrace writes it: an integer for the one-value
 * slots, else a multiple of the largest power of 1024 below it with a K/M/G/T/P/E suffix. */
static struct hlabel hist_label(uint32_t i, uint32_t k)
{
	struct hlabel l = {.is_int = false};
	uint32_t power, decade;

	if (i <= (2u << k))
		return int_label(i);
	power = (i >> k) - 1;
	decade = power / 10;
	power -= 10 * decade;
	snprintf(l.text, sizeof(l.text), "%llu%s", (1ull << power) * ((1ull << k) + (i & ((1u << k) - 1))),
		 decade ? (const char *[]){"", "K", "M", "G", "T", "P", "E"}[decade] : "");
	return l;
}

static struct hlabel lhist_label(int64_t n, int64_t step)
{
	struct hlabel l = {.is_int = false};
	const int64_t kilo = 1024, mega = 1024 * 1024;

	if (step % kilo != 0)
		return int_label(n);
	if (n == 0)
		snprintf(l.text, sizeof(l.text), "0");
	else if (n % mega == 0)
		snprintf(l.text, sizeof(l.text), "%lldM", (long long)(n / mega));
	else if (n % kilo == 0)
		snprintf(l.text, sizeof(l.text), "%lldK", (long long)(n / kilo));
	else
		snprintf(l.text, sizeof(l.text), "%lld", (long long)n);
	return l;
}

static bool single_value(const struct hlabel *a, const struct hlabel *b)
{
	return a->is_int && b->is_int && a->v + 1 == b->v;
}

static void hist_row(struct rt_str *o, const char *label, uint64_t count, uint64_t max)
{
	char bar[53];
	int width = max ? (int)((float)count / (float)max * 52) : 0;

	if (width < 0)
		width = 0;
	if (width > 52)
		width = 52;
	memset(bar, '@', (size_t)width);
	bar[width] = 0;
	rt_str_printf(o, "%-16s%8llu |%-52s|\n", label, (unsigned long long)count, bar);
}

static void range_text(char *buf, size_t len, const struct hlabel *lo, const struct hlabel *hi)
{
	if (!hi)
		snprintf(buf, len, "[%s, ...)", lo->text);
	else if (single_value(lo, hi))
		snprintf(buf, len, "[%s]", lo->text);
	else
		snprintf(buf, len, "[%s, %s)", lo->text, hi->text);
}

static bool nonzero_range(const uint64_t *slots, uint32_t n, uint32_t *first, uint32_t *last)
{
	uint32_t i;
	bool any = false;

	for (i = 0; i < n; i++) {
		if (!slots[i])
			continue;
		if (!any)
			*first = i;
		*last = i;
		any = true;
	}
	return any;
}

void rt_format_hist(struct rt_str *o, const uint64_t *slots, uint32_t nslots, uint64_t div, uint32_t k)
{
	uint32_t first = 0, last = 0, i;
	uint64_t max = 0;
	char buf[80];

	if (div == 0)
		div = 1;
	if (!nonzero_range(slots, nslots, &first, &last))
		return;
	for (i = first; i <= last; i++)
		if (slots[i] / div > max)
			max = slots[i] / div;
	for (i = first; i <= last; i++) {
		struct hlabel hi = hist_label(i, k);

		if (i == 0) {
			snprintf(buf, sizeof(buf), "(..., %s)", hi.text);
		} else {
			struct hlabel lo = hist_label(i - 1, k);

			range_text(buf, sizeof(buf), &lo, &hi);
		}
		hist_row(o, buf, slots[i] / div, max);
	}
}

void rt_format_lhist(struct rt_str *o, const uint64_t *slots, uint32_t nslots, int64_t min, int64_t max,
		     int64_t step)
{
	uint32_t first = 0, last = 0, i;
	uint64_t top = 0;
	char buf[80];

	if (step <= 0 || !nonzero_range(slots, nslots, &first, &last))
		return;
	for (i = first; i <= last; i++)
		if (slots[i] > top)
			top = slots[i];
	for (i = first; i <= last; i++) {
		int64_t bound = min + (int64_t)i * step;
		struct hlabel hi = lhist_label(bound, step);
		bool has_hi = bound <= max;

		if (i == 0) {
			snprintf(buf, sizeof(buf), "(..., %s)", hi.text);
		} else {
			struct hlabel lo = lhist_label(min + (int64_t)(i - 1) * step, step);

			range_text(buf, sizeof(buf), &lo, has_hi ? &hi : NULL);
		}
		hist_row(o, buf, slots[i], top);
	}
}

/* ---- maps ---- */

static void text_stats(struct rt_str *o, int64_t count, int64_t average, int64_t total)
{
	rt_str_printf(o, "{ .count = %lld, .average = %lld, .total = %lld }", (long long)count, (long long)average,
		      (long long)total);
}

/* The rows start on the line after "@m[k]:"; lhist() counts are not divided, as in bpftrace. */
static void text_hist(struct rt_str *o, const struct et_type *vt, const uint64_t *slots, uint64_t div)
{
	rt_str_putc(o, '\n');
	if (vt->kind == ET_AGG_HIST)
		rt_format_hist(o, slots, rt_hist_slots(vt), div, vt->hist_k);
	else
		rt_format_lhist(o, slots, rt_hist_slots(vt), vt->lh_min, vt->lh_max, vt->lh_step);
}

static void text_nothing(struct rt_str *o, const struct et_map_desc *m)
{
	(void)o;
	(void)m;
}

/* "@m: v" for keyless maps, "@m[k1, k2]: v" for keyed ones (tuple parentheses dropped), "@m[k]:" before
 * a histogram's rows. */
static void text_entry(struct rt_str *o, const struct et_program *prog, const struct et_map_desc *m,
		       const uint8_t *key, bool first)
{
	(void)first;
	rt_str_puts(o, m->name);
	if (key) {
		rt_str_putc(o, '[');
		rt_format_key(o, prog, m->key, key, ", ");
		rt_str_putc(o, ']');
	}
	rt_str_puts(o, m->value->kind == ET_AGG_HIST || m->value->kind == ET_AGG_LHIST ||
			       m->value->kind == ET_AGG_TSERIES ? ":" : ": ");
}

static void text_entry_end(struct rt_str *o, const struct et_map_desc *m)
{
	(void)m;
	rt_str_putc(o, '\n');
}

const struct rt_printer rt_text_printer = {
	.leaf = text_leaf,
	.open = text_open,
	.item = text_item,
	.close = text_close,
	.stats = text_stats,
	.hist = text_hist,
	.tseries = rt_format_tseries,
	.map_open = text_nothing,
	.entry = text_entry,
	.entry_end = text_entry_end,
	.map_close = text_nothing,
	.empty = text_nothing,
};
