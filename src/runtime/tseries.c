/* tseries: the text and JSON forms of one tseries() key (the printers' tseries callback), as bpftrace's
 * output/text.cpp and output/json.cpp write a TimeSeries.
 * Text: a 53-column graph. A header with the smallest and largest value (widened by one each way when
 * they are equal), the time column titled "hh:mm:ss" plus the fraction the interval needs (".ms",
 * ".μs", ".ns"), one row per interval (local time, '|' borders, '*' at the value's place, '.' on the 0
 * column when 0 lies between the extremes, the value or "-" when the interval has none), then the
 * bottom axis and the extremes again. Places are computed in single-precision floats as bpftrace does.
 * JSON: [{"interval_start":"YYYY-MM-DD HH:MM:SS.nnnnnnnnn","value":V},...] in UTC, intervals without a
 * value left out. An interval's time is its epoch times the interval, TAI nanoseconds read as wall-clock
 * time (bpftrace's resolve_timestamp of its sw_tai clock). See rt_int.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "program/types.h"
#include "runtime/rt_int.h"

#define GRAPH_WIDTH 53
#define LABEL_PAD 21

/* A value as bpftrace's output Primitive holds it: none (null), int64 or uint64. */
struct prim {
	bool set;
	uint64_t v;
};

static bool prim_less(const struct et_type *vt, struct prim a, struct prim b)
{
	if (!a.set || !b.set) /* null orders first */
		return !a.set && b.set;
	return vt->is_signed ? (int64_t)a.v < (int64_t)b.v : a.v < b.v;
}

static bool prim_equal(struct prim a, struct prim b)
{
	return a.set == b.set && (!a.set || a.v == b.v);
}

/* bpftrace's distance(p, other): p - other as int64 (0 for null) */
static int64_t distance_i(const struct et_type *vt, struct prim p, int64_t other)
{
	if (!p.set)
		return 0;
	if (!vt->is_signed) {
		if (other < 0)
			return (int64_t)((uint64_t)0 - (uint64_t)other + p.v);
		if (p.v > (uint64_t)other)
			return (int64_t)(p.v - (uint64_t)other);
		return -(int64_t)((uint64_t)other - p.v);
	}
	return (int64_t)(p.v - (uint64_t)other);
}

static int64_t distance(const struct et_type *vt, struct prim p, struct prim other)
{
	return other.set ? distance_i(vt, p, (int64_t)other.v) : 0;
}

static void put_prim(struct rt_str *o, const struct et_type *vt, struct prim p)
{
	if (!p.set)
		rt_str_puts(o, "null");
	else if (vt->is_signed)
		rt_str_put_i64(o, (int64_t)p.v);
	else
		rt_str_put_u64(o, p.v);
}

/* p left-aligned in `width` columns (left) or right-aligned */
static void put_prim_w(struct rt_str *o, const struct et_type *vt, struct prim p, size_t width, bool left)
{
	struct rt_str t = {0};

	put_prim(&t, vt, p);
	if (!left)
		for (size_t i = t.len; i < width; i++)
			rt_str_putc(o, ' ');
	rt_str_putn(o, t.s, t.len);
	if (left)
		for (size_t i = t.len; i < width; i++)
			rt_str_putc(o, ' ');
	rt_str_free(&t);
}

static void spaces(struct rt_str *o, size_t n)
{
	while (n--)
		rt_str_putc(o, ' ');
}

/* (point) the place of a value in 0..width-1 as bpftrace computes it: float(width-1) * d1 / d2, truncated;
 * x86's conversion of NaN or an infinity (d2 = 0) gives INT_MIN, which the clamp makes 0 */
static int place(int64_t d1, int64_t d2, int scale)
{
	float f;

	if (d2 == 0)
		return 0;
	f = (float)scale * (float)d1 / (float)d2;
	if (!(f > -2147483648.0f && f < 2147483648.0f))
		return 0;
	return (int)f;
}

/* The digits after the seconds: 0 (s), 3 (ms), 6 (us), 9 (ns), by bpftrace's duration_str. */
static int unit_digits(uint64_t ns)
{
	if (ns >= 1000000000ull)
		return 0;
	if (ns >= 1000000ull)
		return 3;
	if (ns >= 1000ull)
		return 6;
	return 9;
}

static void put_time(struct rt_str *o, uint64_t ns, int digits)
{
	time_t t = (time_t)(ns / 1000000000ull);
	uint64_t frac = ns % 1000000000ull;
	struct tm tm;
	char buf[64];

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	rt_str_puts(o, buf);
	if (digits == 3)
		rt_str_printf(o, ".%03" PRIu64, frac / 1000000);
	else if (digits == 6)
		rt_str_printf(o, ".%06" PRIu64, frac / 1000);
	else if (digits == 9)
		rt_str_printf(o, ".%09" PRIu64, frac);
}

void rt_format_tseries(struct rt_str *o, const struct et_type *vt, const struct rt_ts_point *pts, uint32_t n)
{
	static const char *const unit_names[] = {"", "ms", "μs", "ns"};
	struct prim minv, maxv;
	uint64_t interval;
	size_t time_size, title_len;
	int digits, zero_offset = 0;
	char title[32];
	uint32_t i;

	rt_str_putc(o, '\n');
	if (n == 0) {
		rt_str_puts(o, "<no data>");
		return;
	}
	minv = maxv = (struct prim){pts[0].set, pts[0].value};
	for (i = 0; i < n; i++) {
		struct prim v = {pts[i].set, pts[i].value};

		if (!v.set)
			continue;
		if (prim_less(vt, v, minv))
			minv = v;
		if (prim_less(vt, maxv, v))
			maxv = v;
	}
	if (prim_equal(minv, maxv) && minv.set) { /* some room on both sides, within the type's range */
		if (vt->is_signed ? (int64_t)minv.v != INT64_MIN : minv.v != 0)
			minv.v--;
		if (vt->is_signed ? (int64_t)maxv.v != INT64_MAX : maxv.v != UINT64_MAX)
			maxv.v++;
	}
	interval = (pts[n - 1].epoch - pts[0].epoch) * vt->ts_interval / (n > 1 ? n - 1 : 1);
	digits = unit_digits(interval);
	snprintf(title, sizeof(title), "hh:mm:ss%s%s", digits ? "." : "", unit_names[digits / 3]);
	title_len = strlen(title); /* in bytes, as bpftrace's setw counts them ("μ" is two) */
	time_size = 8 + (digits ? 1 + (size_t)digits : 0);

	spaces(o, time_size + 1);
	put_prim_w(o, vt, minv, LABEL_PAD, true);
	put_prim_w(o, vt, maxv, GRAPH_WIDTH - LABEL_PAD, false);
	rt_str_putc(o, '\n');
	rt_str_puts(o, title);
	spaces(o, title_len < time_size + 1 ? time_size + 1 - title_len : 0);
	rt_str_putc(o, '|');
	for (i = 0; i < GRAPH_WIDTH - 2; i++)
		rt_str_putc(o, '_');
	rt_str_puts(o, "|\n");

	if (distance_i(vt, minv, 0) < 0 && (maxv.set ? (int64_t)maxv.v > 0 : false))
		zero_offset = place(distance_i(vt, minv, 0), distance(vt, minv, maxv), GRAPH_WIDTH);
	for (i = 0; i < n; i++) {
		struct prim v = {pts[i].set, pts[i].value};
		char line[GRAPH_WIDTH + 1];

		memset(line, ' ', GRAPH_WIDTH);
		line[GRAPH_WIDTH] = 0;
		line[0] = '|';
		line[GRAPH_WIDTH - 1] = '|';
		if (zero_offset > 0)
			line[zero_offset] = '.';
		put_time(o, pts[i].epoch * vt->ts_interval, digits);
		rt_str_putc(o, ' ');
		if (v.set) {
			int at = GRAPH_WIDTH / 2;

			if (!prim_equal(minv, maxv))
				at = place(distance(vt, minv, v), distance(vt, minv, maxv), GRAPH_WIDTH - 1);
			line[at < 0 ? 0 : at > GRAPH_WIDTH - 1 ? GRAPH_WIDTH - 1 : at] = '*';
			rt_str_puts(o, line);
			rt_str_putc(o, ' ');
			put_prim(o, vt, v);
		} else {
			rt_str_puts(o, line);
			rt_str_puts(o, " -");
		}
		rt_str_putc(o, '\n');
	}
	spaces(o, time_size + 1);
	rt_str_putc(o, 'v');
	for (i = 0; i < GRAPH_WIDTH - 2; i++)
		rt_str_putc(o, '_');
	rt_str_puts(o, "v\n");
	spaces(o, time_size + 1);
	put_prim_w(o, vt, minv, LABEL_PAD, true);
	put_prim_w(o, vt, maxv, GRAPH_WIDTH - LABEL_PAD, false);
	rt_str_putc(o, '\n');
}

void rt_json_tseries(struct rt_str *o, const struct et_type *vt, const struct rt_ts_point *pts, uint32_t n)
{
	bool first = true;

	rt_str_putc(o, '[');
	for (uint32_t i = 0; i < n; i++) {
		uint64_t ns = pts[i].epoch * vt->ts_interval;
		time_t t = (time_t)(ns / 1000000000ull);
		struct tm tm;
		char buf[64];

		if (!pts[i].set)
			continue;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		rt_str_puts(o, first ? "" : ",");
		first = false;
		rt_str_printf(o, "{\"interval_start\":\"%s.%09" PRIu64 "\",\"value\":", buf, (uint64_t)(ns % 1000000000ull));
		put_prim(o, vt, (struct prim){true, pts[i].value});
		rt_str_putc(o, '}');
	}
	rt_str_putc(o, ']');
}
