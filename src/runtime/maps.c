/* maps: read a map from the kernel, combine its per-CPU values and sort its entries as bpftrace does;
 * printer.c prints them (text or JSON).
 *
 * Reading: BPF_MAP_LOOKUP_BATCH over hash maps (a few syscalls for the whole map), key by key otherwise.
 * Combining (types.h layouts, one slot per possible CPU, slots 8-byte aligned): count and sum add
 * up; min/max take the extreme of the CPUs whose is_set is non-zero; avg/stats add counts and totals
 * (printed as total / count, truncated); hist/lhist add bucket by bucket. All-zero entries of an array
 * map are unset and left out.
 * Sorting (bpftrace types_format.cpp): count, sum and integer values ascending by value; min/max by
 * the value taken as unsigned; avg/stats by the average; hist/lhist by the total count; anything else
 * by key (integers signed, strings bytewise, tuples field by field); equal values in key order (one
 * sort, the key as tie-break), so the output is stable and reproducible.
 * tseries() (bpftrace's bpfmap.cpp, util/tseries.cpp, types_format.cpp): each (key, bucket) element
 * reduces to the value of its CPUs' newest epoch; the keys, ordered by their bytes, share one window of
 * ts_count epochs ending at the newest epoch of the map, and each key's points run from its oldest epoch
 * in that window to the window's end (missing epochs unset). See rt_int.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "program/program.h"
#include "program/types.h"
#include "runtime/rt_int.h"

/* ---- reading ---- */

#define RT_BATCH 1024 /* entries per BPF_MAP_LOOKUP_BATCH call */

/* The whole map in a few BPF_MAP_LOOKUP_BATCH calls (into arrays sized for max_entries, touched only
 * as far as filled). Returns 1 when the kernel cannot batch this map (the caller walks it key by key),
 * 0 or negative errno. */
static int read_batch(int fd, const struct bpf_map_info *info, struct rt_map_snapshot *s, size_t stride)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t tok_size = info->key_size > 8 ? info->key_size : 8;
	uint8_t *in = rt_xcalloc(2, tok_size), *out = in + tok_size, *t;
	size_t max = info->max_entries;
	bool first = true;
	int err = 0;

	s->keys = calloc(1, max * info->key_size + 1); /* zeroed: valgrind cannot see the kernel fill it */
	s->values = calloc(1, max * stride + 1);
	if (!s->keys || !s->values) {
		free(in);
		return -ENOMEM;
	}
	while (s->count < max) {
		__u32 n = (__u32)(max - s->count < RT_BATCH ? max - s->count : RT_BATCH);

		err = bpf_map_lookup_batch(fd, first ? NULL : in, out, s->keys + s->count * info->key_size,
					   s->values + s->count * stride, &n, &opts);
		err = err ? -errno : 0;
		if (err == -ENOSPC && n == 0 && max - s->count > RT_BATCH)
			err = -EINVAL; /* a bucket larger than a batch: rare; walk key by key */
		if (err && err != -ENOENT) {
			if (first || err == -EINVAL)
				err = 1;
			break;
		}
		s->count += n;
		first = false;
		if (err == -ENOENT) {
			err = 0;
			break;
		}
		t = in;
		in = out;
		out = t;
	}
	free(in < out ? in : out);
	if (err == 1) {
		free(s->keys);
		free(s->values);
		s->keys = s->values = NULL;
		s->count = 0;
	}
	return err;
}

int rt_map_snapshot_read(int fd, const struct et_map_desc *desc, struct rt_map_snapshot *s)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	size_t cap = 0, stride;
	uint8_t *key = NULL, *next = NULL;
	bool first = true;
	int err = 0, ncpus;

	memset(s, 0, sizeof(*s));
	memset(&info, 0, sizeof(info));
	s->desc = desc;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	switch (info.type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		ncpus = libbpf_num_possible_cpus();
		if (ncpus <= 0)
			return ncpus ? ncpus : -EINVAL;
		s->ncpus = (uint32_t)ncpus;
		s->value_slot = (info.value_size + 7) & ~7u;
		break;
	default:
		s->ncpus = 1;
		s->value_slot = info.value_size;
	}
	s->is_array = info.type == BPF_MAP_TYPE_ARRAY || info.type == BPF_MAP_TYPE_PERCPU_ARRAY;
	s->key_size = info.key_size;
	stride = (size_t)s->value_slot * s->ncpus;
	if (!s->is_array) {
		err = read_batch(fd, &info, s, stride);
		if (err <= 0) {
			if (err)
				rt_map_snapshot_free(s);
			return err;
		}
		err = 0;
	}
	key = rt_xcalloc(1, info.key_size);
	next = rt_xcalloc(1, info.key_size);
	/* bounded by max_entries: when a key is deleted under us the kernel restarts from the first key */
	while (s->count < info.max_entries) {
		if (bpf_map_get_next_key(fd, first ? NULL : key, next)) {
			if (errno != ENOENT)
				err = -errno;
			break;
		}
		first = false;
		if (s->count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			uint8_t *k = realloc(s->keys, ncap * info.key_size), *v;

			if (!k) {
				err = -ENOMEM;
				break;
			}
			s->keys = k;
			v = realloc(s->values, ncap * stride);
			if (!v) {
				err = -ENOMEM;
				break;
			}
			s->values = v;
			cap = ncap;
		}
		memcpy(key, next, info.key_size);
		if (bpf_map_lookup_elem(fd, key, s->values + s->count * stride)) {
			if (errno == ENOENT)
				continue; /* deleted meanwhile */
			err = -errno;
			break;
		}
		memcpy(s->keys + s->count * info.key_size, key, info.key_size);
		s->count++;
	}
	free(key);
	free(next);
	if (err)
		rt_map_snapshot_free(s);
	return err;
}

void rt_map_snapshot_free(struct rt_map_snapshot *s)
{
	free(s->keys);
	free(s->values);
	s->keys = s->values = NULL;
	s->count = 0;
}

/* ---- combining ---- */

static int64_t get_i64(const uint8_t *p)
{
	int64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

uint32_t rt_hist_slots(const struct et_type *t)
{
	if (t->kind == ET_AGG_HIST)
		return hist_slots(t->hist_k);
	return lhist_slots(t->lh_min, t->lh_max, t->lh_step);
}

static void combine(const struct rt_map_snapshot *s, const struct et_type *vt, size_t i, struct rt_map_entry *e,
		    uint64_t *slots)
{
	size_t stride = (size_t)s->value_slot * s->ncpus;
	const uint8_t *v = s->values + i * stride;
	uint32_t c, k, n;
	bool set = false;

	e->raw = v;
	e->index = i;
	for (c = 0; c < s->ncpus; c++) {
		const uint8_t *p = v + (size_t)c * s->value_slot;

		switch (vt->kind) {
		case ET_AGG_COUNT:
		case ET_AGG_SUM:
			e->u += get_u64(p);
			break;
		case ET_AGG_MIN:
		case ET_AGG_MAX:
			if (!get_u64(p + 8))
				break;
			if (!set || (vt->kind == ET_AGG_MIN ? get_i64(p) < (int64_t)e->u : get_i64(p) > (int64_t)e->u))
				e->u = (uint64_t)get_i64(p);
			set = true;
			break;
		case ET_AGG_AVG:
		case ET_AGG_STATS:
			e->count += get_i64(p);
			e->total += get_i64(p + 8);
			break;
		case ET_AGG_HIST:
		case ET_AGG_LHIST:
			n = rt_hist_slots(vt);
			if ((size_t)n * 8 > s->value_slot)
				n = s->value_slot / 8;
			e->slots = slots;
			for (k = 0; k < n; k++)
				slots[k] += get_u64(p + (size_t)k * 8);
			break;
		default:
			if (c == 0 && (vt->kind == ET_INT || vt->kind == ET_BOOL))
				e->u = (uint64_t)rt_read_int(p, vt->size, vt->is_signed);
			break;
		}
	}
	if (e->slots) {
		n = rt_hist_slots(vt);
		for (k = 0; k < n; k++)
			e->hist_total += e->slots[k];
	}
}

static bool entry_is_zero(const struct rt_map_snapshot *s, size_t i)
{
	size_t stride = (size_t)s->value_slot * s->ncpus, k;
	const uint8_t *v = s->values + i * stride;

	for (k = 0; k < stride; k++)
		if (v[k])
			return false;
	return true;
}

/* ---- sorting ---- */

/* qsort has no context argument in C17; per thread, as a --metrics scrape (metrics.c) sorts on its own thread */
static _Thread_local const struct et_type *sort_key_type;
static _Thread_local const struct et_type *sort_value_type;

static int cmp_key_field(const struct et_type *t, const uint8_t *a, const uint8_t *b)
{
	if (t->kind == ET_INT || t->kind == ET_BOOL) { /* false before true */
		int64_t x = rt_read_int(a, t->size, true), y = rt_read_int(b, t->size, true);

		return x < y ? -1 : x > y;
	}
	if (t->kind == ET_STRING)
		return memcmp(a, b, t->size);
	return 0;
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct rt_map_entry *a = pa, *b = pb;
	const struct et_type *t = sort_key_type;
	int r = 0;
	uint32_t i;

	if (t && t->kind == ET_TUPLE) {
		for (i = 0; i < t->nfields && !r; i++)
			r = cmp_key_field(t->fields[i].type, a->key + t->fields[i].offset, b->key + t->fields[i].offset);
	} else if (t) {
		r = cmp_key_field(t, a->key, b->key);
	}
	if (r)
		return r;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp3_u(uint64_t x, uint64_t y)
{
	return x < y ? -1 : x > y;
}

static int cmp3_s(int64_t x, int64_t y)
{
	return x < y ? -1 : x > y;
}

int64_t rt_map_entry_avg(const struct rt_map_entry *e)
{
	return e->count ? e->total / e->count : 0;
}

static int cmp_value(const void *pa, const void *pb)
{
	const struct rt_map_entry *a = pa, *b = pb;
	const struct et_type *t = sort_value_type;
	int r = 0;

	switch (t->kind) {
	case ET_AGG_COUNT:
		r = cmp3_u(a->u, b->u);
		break;
	case ET_AGG_SUM:
	case ET_INT:
		r = t->is_signed ? cmp3_s((int64_t)a->u, (int64_t)b->u) : cmp3_u(a->u, b->u);
		break;
	case ET_AGG_MIN:
	case ET_AGG_MAX:
		r = cmp3_u(a->u, b->u);
		break;
	case ET_AGG_AVG:
	case ET_AGG_STATS:
		r = cmp3_s(rt_map_entry_avg(a), rt_map_entry_avg(b));
		break;
	case ET_AGG_HIST:
	case ET_AGG_LHIST:
		r = cmp3_u(a->hist_total, b->hist_total);
		break;
	default:
		break;
	}
	if (r)
		return r;
	return cmp_key(pa, pb); /* equal values in key order: one sort does both */
}

/* The common case, a map keyed by one integer (or keyless) sorted by an integer-like value (or by key
 * only): the order is precomputed per entry as two unsigned numbers (signed ones with the sign bit
 * flipped), so a comparison is two integer compares instead of decoding values and keys. */
static int cmp_orders(const void *pa, const void *pb)
{
	const struct rt_map_entry *a = pa, *b = pb;

	if (a->value_order != b->value_order)
		return a->value_order < b->value_order ? -1 : 1;
	if (a->key_order != b->key_order)
		return a->key_order < b->key_order ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static uint64_t value_order(const struct et_type *t, const struct rt_map_entry *e)
{
	const uint64_t sign = 1ull << 63;

	switch (t->kind) {
	case ET_AGG_COUNT:
	case ET_AGG_MIN:
	case ET_AGG_MAX:
		return e->u;
	case ET_AGG_SUM:
	case ET_INT:
		return t->is_signed ? e->u ^ sign : e->u;
	case ET_AGG_AVG:
	case ET_AGG_STATS:
		return (uint64_t)rt_map_entry_avg(e) ^ sign;
	case ET_AGG_HIST:
	case ET_AGG_LHIST:
		return e->hist_total;
	default:
		return 0;
	}
}

static bool sorts_by_value(const struct et_type *t)
{
	switch (t->kind) {
	case ET_AGG_COUNT: case ET_AGG_SUM: case ET_INT: case ET_AGG_MIN: case ET_AGG_MAX:
	case ET_AGG_AVG: case ET_AGG_STATS: case ET_AGG_HIST: case ET_AGG_LHIST:
		return true;
	default:
		return false;
	}
}

/* ---- tseries ---- */

struct ts_elem {
	const uint8_t *key;
	uint64_t epoch, value;
	bool set;
	size_t index;
};

static _Thread_local uint32_t ts_key_len;

static int cmp_ts_elem(const void *pa, const void *pb)
{
	const struct ts_elem *a = pa, *b = pb;
	int r = memcmp(a->key, b->key, ts_key_len);

	if (r)
		return r;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static bool ts_less(const struct et_type *vt, uint64_t a, uint64_t b)
{
	return vt->is_signed ? (int64_t)a < (int64_t)b : a < b;
}

/* One (key, bucket) element: the value of the newest epoch its CPUs hold, combined over the CPUs that
 * hold that epoch as the aggregation says; unset when no CPU ever wrote it (epoch 0). */
static void ts_reduce(const struct rt_map_snapshot *s, const struct et_type *vt, size_t i, struct ts_elem *e)
{
	const uint8_t *v = s->values + i * (size_t)s->value_slot * s->ncpus;
	uint64_t latest = 0, val = 0, meta = 0;
	bool any = false;
	uint32_t c;

	for (c = 0; c < s->ncpus; c++) {
		uint64_t ep = get_u64(v + (size_t)c * s->value_slot + 16);

		if (ep > latest)
			latest = ep;
	}
	e->epoch = latest;
	e->set = false;
	e->value = 0;
	if (!latest)
		return;
	for (c = 0; c < s->ncpus; c++) {
		const uint8_t *p = v + (size_t)c * s->value_slot;
		uint64_t x = get_u64(p), m = get_u64(p + 8);

		if (get_u64(p + 16) != latest)
			continue;
		if (!any) {
			val = x;
			meta = m;
			any = true;
			continue;
		}
		switch (vt->ts_agg) {
		case ET_TS_LAST: /* the newest write wins: meta is its time */
			if (ts_less(vt, meta, m)) {
				val = x;
				meta = m;
			}
			break;
		case ET_TS_AVG:
			val += x;
			meta += m;
			break;
		case ET_TS_SUM:
			val += x;
			break;
		case ET_TS_MIN:
			if (ts_less(vt, x, val))
				val = x;
			break;
		case ET_TS_MAX:
			if (ts_less(vt, val, x))
				val = x;
			break;
		}
	}
	if (vt->ts_agg == ET_TS_AVG)
		val = !meta ? 0 : vt->is_signed ? (uint64_t)((int64_t)val / (int64_t)meta) : val / meta;
	e->value = val;
	e->set = true;
}

static void read_tseries(const struct rt_map_snapshot *s, struct rt_map_entries *out)
{
	const struct et_type *vt = s->desc->value;
	struct ts_elem *el = rt_xcalloc(s->count ? s->count : 1, sizeof(*el));
	struct rt_map_entry *es = rt_xcalloc(s->count ? s->count : 1, sizeof(*es));
	uint64_t last = 0, first, total = 0;
	size_t i, j, n = 0;
	struct rt_ts_point *pt;

	ts_key_len = s->desc->key ? s->desc->key->size : 8;
	if (ts_key_len > s->key_size)
		ts_key_len = s->key_size;
	for (i = 0; i < s->count; i++) {
		el[i].key = s->keys + i * s->key_size;
		el[i].index = i;
		ts_reduce(s, vt, i, &el[i]);
		if (el[i].epoch > last)
			last = el[i].epoch;
	}
	qsort(el, s->count, sizeof(*el), cmp_ts_elem);
	first = last - vt->ts_count + 1; /* wraps past 0 as bpftrace's does: then no key has a point */
	/* each key (a run of elements with its bytes): its first epoch in the window, hence its points */
	for (i = 0; i < s->count; i = j) {
		uint64_t fe = last;

		for (j = i; j < s->count && memcmp(el[j].key, el[i].key, ts_key_len) == 0; j++)
			if (el[j].epoch >= first && el[j].epoch < fe)
				fe = el[j].epoch;
		es[n].key = el[i].key;
		es[n].index = n;
		es[n].nts = first <= last ? (uint32_t)(last - fe + 1) : 0;
		total += es[n].nts;
		n++;
	}
	out->ts = pt = rt_xcalloc(total ? total : 1, sizeof(*pt));
	for (i = 0, j = 0; j < n; j++) {
		es[j].ts = pt;
		for (uint32_t k = 0; k < es[j].nts; k++, pt++) {
			uint64_t ep = last - es[j].nts + 1 + k;

			pt->epoch = ep;
			/* el is sorted by key then epoch: move to this key's elements at or after ep */
			while (i < s->count && memcmp(el[i].key, es[j].key, ts_key_len) == 0 && el[i].epoch < ep)
				i++;
			if (i < s->count && memcmp(el[i].key, es[j].key, ts_key_len) == 0 && el[i].epoch == ep) {
				pt->value = el[i].value;
				pt->set = el[i].set;
			}
		}
		while (i < s->count && memcmp(el[i].key, es[j].key, ts_key_len) == 0)
			i++;
	}
	free(el);
	out->e = es;
	out->n = n;
	out->slots = NULL;
}

void rt_map_entries_read(const struct rt_map_snapshot *s, struct rt_map_entries *out)
{
	const struct et_type *vt = s->desc->value;
	bool is_hist = vt->kind == ET_AGG_HIST || vt->kind == ET_AGG_LHIST;
	uint32_t nslots = is_hist ? rt_hist_slots(vt) : 0;
	struct rt_map_entry *es = rt_xcalloc(s->count ? s->count : 1, sizeof(*es));
	uint64_t *slots = is_hist ? rt_xcalloc(s->count ? s->count * nslots : 1, sizeof(*slots)) : NULL;
	size_t n = 0, i;

	if (vt->kind == ET_AGG_TSERIES) {
		free(es);
		free(slots);
		read_tseries(s, out);
		return;
	}
	for (i = 0; i < s->count; i++) {
		if (s->is_array && entry_is_zero(s, i))
			continue;
		es[n].key = s->keys + i * s->key_size;
		combine(s, vt, i, &es[n], slots ? slots + n * nslots : NULL);
		n++;
	}
	sort_key_type = s->desc->key;
	sort_value_type = vt;
	if (!sort_key_type || sort_key_type->kind == ET_INT) {
		for (i = 0; i < n; i++) {
			es[i].value_order = sorts_by_value(vt) ? value_order(vt, &es[i]) : 0;
			es[i].key_order = sort_key_type ? (uint64_t)rt_read_int(es[i].key, sort_key_type->size, true) ^ (1ull << 63)
							: 0;
		}
		qsort(es, n, sizeof(*es), cmp_orders);
	} else {
		qsort(es, n, sizeof(*es), sorts_by_value(vt) ? cmp_value : cmp_key);
	}
	out->e = es;
	out->n = n;
	out->slots = slots;
}

void rt_map_entries_free(struct rt_map_entries *es)
{
	free(es->e);
	free(es->slots);
	free(es->ts);
	memset(es, 0, sizeof(*es));
}
