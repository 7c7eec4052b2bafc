/* metrics: the --metrics HTTP endpoint (libmicrohttpd), the maps in the Prometheus text format or
 * OpenMetrics. The walk over a map's entries is printer.c's (rt_print_map with mx_printer below): this
 * file only says how an entry is written, so aggregations are combined and typed in one place. The
 * printer callbacks get the rt_str being written; it is the first member of struct mx_out, which carries
 * the state of the map being written (its names, the labels of the current entry). See metrics.h. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "program/program.h"
#include "program/types.h"
#include "runtime/metrics.h"
#include "support/diag.h"
#include "support/source.h"

#define MX_LIBRARY "libmicrohttpd.so.12" /* its ABI since 0.9.x; Debian 12 has 0.9.75 */
#define MX_CONN_MEMORY (16 * 1024) /* request headers and body per connection */
#define MX_CONN_TIMEOUT 10         /* seconds a connection may stay idle */
#define MX_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define MX_OM_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* libmicrohttpd's functions, from dlopen() at the first start (see CMakeLists.txt: the library is not
 * linked, so a run without --metrics never loads it nor GnuTLS behind it). */
static struct {
	struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
					   void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...);
	void (*stop_daemon)(struct MHD_Daemon *daemon);
	struct MHD_Response *(*create_response_from_buffer)(size_t size, void *buffer,
							    enum MHD_ResponseMemoryMode mode);
	enum MHD_Result (*add_response_header)(struct MHD_Response *res, const char *header, const char *content);
	enum MHD_Result (*queue_response)(struct MHD_Connection *c, unsigned int status, struct MHD_Response *res);
	void (*destroy_response)(struct MHD_Response *res);
	const char *(*lookup_connection_value)(struct MHD_Connection *c, enum MHD_ValueKind kind, const char *key);
} mhd;

/* Open the library once; NULL on success, else what failed. */
static const char *mhd_open(void)
{
	static void *lib;
	const struct {
		const char *name;
		void **fn;
	} syms[] = {
		/* dlsym returns an object pointer; POSIX's way to store it in a function pointer */
		{"MHD_start_daemon", (void **)&mhd.start_daemon},
		{"MHD_stop_daemon", (void **)&mhd.stop_daemon},
		{"MHD_create_response_from_buffer", (void **)&mhd.create_response_from_buffer},
		{"MHD_add_response_header", (void **)&mhd.add_response_header},
		{"MHD_queue_response", (void **)&mhd.queue_response},
		{"MHD_destroy_response", (void **)&mhd.destroy_response},
		{"MHD_lookup_connection_value", (void **)&mhd.lookup_connection_value},
	};

	if (lib)
		return NULL;
	lib = dlopen(MX_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return dlerror();
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!(*syms[i].fn = dlsym(lib, syms[i].name))) {
			const char *err = dlerror();

			dlclose(lib);
			lib = NULL;
			return err;
		}
	return NULL;
}

/* What a map exports, fixed at start. */
struct mx_map {
	bool on;              /* exported */
	char *family;         /* "etrace_name" */
	char *help;           /* the HELP text, not yet escaped (the two formats escape it differently) */
	char **labels;        /* one per key field */
	uint32_t nlabels;
};

struct rt_metrics {
	struct rt_run *r;
	struct MHD_Daemon *d;
	struct mx_map *maps;  /* per prog->maps[i] */
	uint64_t *dropped;    /* scratch for rt_counters_read, per map (only the daemon thread uses it) */
};

struct mx_out {
	struct rt_str o;      /* first: the printer callbacks' rt_str is this */
	const struct mx_map *map;
	bool om;              /* OpenMetrics */
	struct rt_str labels; /* the current entry's labels, `a="x",b="y"` (no braces) */
	struct rt_str tail;   /* stats: the _average gauge lines, written after the summary */
};

/* ---- names and escapes ---- */

static bool valid_label(const char *s)
{
	if (!s || !*s || (s[0] == '_' && s[1] == '_'))
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || (p != s && *p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

/* s[0..n) escaped for a label value (quote too) or a HELP text: backslash, newline (and quote) escaped;
 * a byte that is not part of valid UTF-8 becomes the four characters \xNN (written \\xNN), so the value
 * stays valid UTF-8 and keeps the byte. */
static void put_escaped(struct rt_str *o, const char *s, size_t n, bool quote)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t l = utf8_len(u + i, n - i);

		if (l == 0) {
			rt_str_printf(o, "\\\\x%02x", u[i]);
			i++;
			continue;
		}
		if (u[i] == '\\')
			rt_str_puts(o, "\\\\");
		else if (u[i] == '\n')
			rt_str_puts(o, "\\n");
		else if (u[i] == '"' && quote)
			rt_str_puts(o, "\\\"");
		else
			rt_str_putn(o, s + i, l);
		i += l;
	}
}

/* ---- the printer ---- */

static struct mx_out *mx(struct rt_str *o)
{
	return (struct mx_out *)o;
}

static bool is_hist(const struct et_type *t)
{
	return t->kind == ET_AGG_HIST || t->kind == ET_AGG_LHIST;
}

/* `family+suffix{labels[,extra]}` */
static void put_sample(struct mx_out *x, struct rt_str *o, const char *suffix, const char *extra)
{
	rt_str_puts(o, x->map->family);
	rt_str_puts(o, suffix);
	if (x->labels.len || extra) {
		rt_str_putc(o, '{');
		if (x->labels.len)
			rt_str_putn(o, x->labels.s, x->labels.len);
		if (x->labels.len && extra)
			rt_str_putc(o, ',');
		if (extra)
			rt_str_puts(o, extra);
		rt_str_putc(o, '}');
	}
	rt_str_putc(o, ' ');
}

static void mx_entry(struct rt_str *o, const struct et_program *prog, const struct et_map_desc *m,
		     const uint8_t *key, bool first)
{
	struct mx_out *x = mx(o);
	struct rt_str v = {0};

	(void)first;
	rt_str_clear(&x->labels);
	for (uint32_t i = 0; key && i < x->map->nlabels; i++) {
		bool tuple = m->key->kind == ET_TUPLE;

		rt_str_clear(&v);
		rt_format_value(&v, prog, tuple ? m->key->fields[i].type : m->key,
				tuple ? key + m->key->fields[i].offset : key);
		if (i)
			rt_str_putc(&x->labels, ',');
		rt_str_printf(&x->labels, "%s=\"", x->map->labels[i]);
		put_escaped(&x->labels, v.s ? v.s : "", v.len, true);
		rt_str_putc(&x->labels, '"');
	}
	rt_str_free(&v);
	if (m->value->kind == ET_AGG_STATS || is_hist(m->value))
		return; /* they write whole lines */
	put_sample(x, o, m->value->kind == ET_AGG_COUNT ? "_total" : "", NULL);
}

static void mx_entry_end(struct rt_str *o, const struct et_map_desc *m)
{
	if (m->value->kind != ET_AGG_STATS && !is_hist(m->value))
		rt_str_putc(o, '\n');
}

static void mx_stats(struct rt_str *o, int64_t count, int64_t average, int64_t total)
{
	struct mx_out *x = mx(o);

	put_sample(x, o, "_count", NULL);
	rt_str_printf(o, "%lld\n", (long long)count);
	put_sample(x, o, "_sum", NULL);
	rt_str_printf(o, "%lld\n", (long long)total);
	/* the average is a family of its own, written after the summary's samples */
	put_sample(x, &x->tail, "_average", NULL);
	rt_str_printf(&x->tail, "%lld\n", (long long)average);
}

/* One cumulative bucket. */
static void put_bucket(struct mx_out *x, const char *le, uint64_t cum)
{
	char extra[48];

	snprintf(extra, sizeof(extra), "le=\"%s\"", le);
	put_sample(x, &x->o, "_bucket", extra);
	rt_str_put_u64(&x->o, cum);
	rt_str_putc(&x->o, '\n');
}

/* hist()/lhist() as a histogram: slot i holds the integers [lo_i, hi_i]; its bucket is le=hi_i, counts
 * cumulative, up to the last slot that holds anything (then +Inf). _sum counts every value at its slot's
 * lower bound (the buckets keep no more), the values under hist's 0 or lhist's min at hi of that slot;
 * OpenMetrics leaves _sum out when a bucket bound is negative, as its specification asks. */
static void mx_hist(struct rt_str *o, const struct et_type *vt, const uint64_t *slots, uint64_t div)
{
	struct mx_out *x = mx(o);
	uint32_t n = rt_hist_slots(vt), last = 0, first;
	uint64_t cum = 0, count = 0;
	double sum = 0;
	bool negative = false;
	char le[32];

	(void)div;
	for (uint32_t i = 0; i < n; i++)
		if (slots[i])
			last = i;
	if (vt->kind == ET_AGG_HIST) {
		/* slot 0: < 0; slot i >= 1: [rt_hist_bound(i - 1), rt_hist_bound(i)) */
		first = slots[0] ? 0 : 1;
		for (uint32_t i = first; i <= last; i++) {
			uint64_t hi = i == 0 ? 0 : rt_hist_bound(i, vt->hist_k) - 1;
			double lo = i == 0 ? -1.0 : (double)rt_hist_bound(i - 1, vt->hist_k);

			cum += slots[i];
			sum += lo * (double)slots[i];
			if (i == 0) {
				negative = true;
				snprintf(le, sizeof(le), "-1");
			} else {
				snprintf(le, sizeof(le), "%llu", (unsigned long long)hi);
			}
			put_bucket(x, le, cum);
		}
	} else {
		/* slot 0: < min; i in 1..n-2: [min + (i-1)*step, min + i*step); n-1: >= max (+Inf only) */
		for (uint32_t i = 0; i <= last && i < n - 1; i++) {
			int64_t hi = vt->lh_min + (int64_t)i * vt->lh_step - 1;
			double lo = i == 0 ? (double)hi : (double)(vt->lh_min + (int64_t)(i - 1) * vt->lh_step);

			cum += slots[i];
			sum += lo * (double)slots[i];
			negative |= hi < 0;
			snprintf(le, sizeof(le), "%lld", (long long)hi);
			put_bucket(x, le, cum);
		}
		if (last == n - 1)
			sum += (double)vt->lh_max * (double)slots[n - 1];
	}
	for (uint32_t i = 0; i < n; i++)
		count += slots[i];
	put_bucket(x, "+Inf", count);
	if (!(x->om && negative)) {
		put_sample(x, o, "_sum", NULL);
		rt_str_printf(o, "%.17g\n", sum);
	}
	put_sample(x, o, "_count", NULL);
	rt_str_put_u64(o, count);
	rt_str_putc(o, '\n');
}

static void mx_nothing(struct rt_str *o, const struct et_map_desc *m)
{
	(void)o;
	(void)m;
}

/* Values of exported maps never reach the value walk (numbers are written by printer.c itself). */
static void mx_leaf(struct rt_str *o, const struct et_program *prog, const struct et_type *t, const uint8_t *d)
{
	(void)prog;
	(void)t;
	(void)d;
	rt_str_putc(o, '0');
}

static void mx_type(struct rt_str *o, const struct et_type *t)
{
	(void)o;
	(void)t;
}

static void mx_item(struct rt_str *o, const struct et_type *t, uint32_t i)
{
	(void)o;
	(void)t;
	(void)i;
}

static const struct rt_printer mx_printer = {
	.leaf = mx_leaf,
	.open = mx_type,
	.item = mx_item,
	.close = mx_type,
	.stats = mx_stats,
	.hist = mx_hist,
	.map_open = mx_nothing,
	.entry = mx_entry,
	.entry_end = mx_entry_end,
	.map_close = mx_nothing,
	.empty = mx_nothing,
};

/* ---- what is exported ---- */

static bool needs_symbols(const struct et_type *t)
{
	if (!t)
		return false;
	switch (t->kind) {
	case ET_KSTACK:
	case ET_USTACK:
	case ET_KSYM:
	case ET_USYM:
		return true; /* symbols.c's caches belong to the main thread */
	case ET_TUPLE:
	case ET_RECORD:
	case ET_STRUCT:
		for (uint32_t i = 0; i < t->nfields; i++)
			if (needs_symbols(t->fields[i].type))
				return true;
		return false;
	case ET_ARRAY:
		return needs_symbols(t->elem);
	default:
		return false;
	}
}

static bool numeric(const struct et_type *t)
{
	switch (t->kind) {
	case ET_AGG_COUNT:
	case ET_AGG_SUM:
	case ET_AGG_MIN:
	case ET_AGG_MAX:
	case ET_AGG_AVG:
	case ET_AGG_STATS:
	case ET_AGG_HIST:
	case ET_AGG_LHIST:
		return true;
	case ET_INT:
		return t->nfields == 0; /* an enum prints its names */
	default:
		return false;
	}
}

static const char *type_name(const struct et_type *t)
{
	return t->kind == ET_AGG_COUNT ? "counter" : is_hist(t) ? "histogram" : t->kind == ET_AGG_STATS ? "summary"
											 : "gauge";
}

/* the health metrics' families, which a map's name must not take */
static const char *const own_families[] = {"etrace_events_lost", "etrace_map_full_drops", "etrace_read_faults",
					   "etrace_probe_events", "etrace_probe_bpf_seconds", NULL};

static void setup_map(struct rt_metrics *mt, uint32_t i, struct rt_str *skipped)
{
	const struct et_program *prog = mt->r->prog;
	const struct et_map_desc *d = &prog->maps[i];
	const struct source_set *src = mt->r->diag ? diag_sources(mt->r->diag) : NULL;
	struct mx_map *x = &mt->maps[i];
	struct rt_str s = {0};
	const char *why = !numeric(d->value) ? "its values are not numbers"
			  : needs_symbols(d->key) ? "its keys are resolved through symbol tables" : NULL;

	if (why) {
		rt_str_printf(skipped, "%s%s (%s)", skipped->len ? ", " : "", d->name, why);
		return;
	}
	rt_str_printf(&s, "etrace_%s", d->name[1] ? d->name + 1 : "map");
	x->family = strdup(s.s);
	for (uint32_t j = 0; j < i; j++)
		if (mt->maps[j].on && strcmp(mt->maps[j].family, x->family) == 0)
			why = "its name is taken";
	for (const char *const *own = own_families; *own; own++)
		if (!strcmp(x->family, *own))
			why = "its name is one of etrace's own metrics";
	if (why) {
		rt_str_printf(skipped, "%s%s (%s)", skipped->len ? ", " : "", d->name, why);
		free(x->family);
		x->family = NULL;
		rt_str_free(&s);
		return;
	}
	/* HELP: the script line that first writes the map, and where it is */
	rt_str_clear(&s);
	size_t len = 0;
	const char *line = src && d->value_loc.line ? source_line(src, d->value_loc.file, d->value_loc.line, &len) : NULL;
	if (line) {
		while (len && (*line == ' ' || *line == '\t'))
			line++, len--;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
			len--;
		rt_str_putn(&s, line, len);
		rt_str_printf(&s, " (%s:%u)", source_name(src, d->value_loc.file), d->value_loc.line);
	} else {
		rt_str_printf(&s, "etrace map %s", d->name);
	}
	x->help = strdup(s.s);
	rt_str_free(&s);
	/* labels: one per key field */
	x->nlabels = !d->key ? 0 : d->key->kind == ET_TUPLE ? d->key->nfields : 1;
	x->labels = rt_xcalloc(x->nlabels ? x->nlabels : 1, sizeof(*x->labels));
	for (uint32_t j = 0; j < x->nlabels; j++) {
		const char *n = d->key_names && d->nkey_names == x->nlabels ? d->key_names[j] : NULL;
		char buf[24];

		if (!valid_label(n) || !strcmp(n, "le") || !strcmp(n, "quantile"))
			n = NULL;
		for (uint32_t k = 0; n && k < j; k++)
			if (!strcmp(x->labels[k], n))
				n = NULL;
		if (!n) {
			snprintf(buf, sizeof(buf), "key%u", j);
			n = buf;
		}
		x->labels[j] = strdup(n);
	}
	/* a positional name may meet a named one (@[pid, key0...]): number the later one apart */
	for (uint32_t j = 0; j < x->nlabels; j++)
		for (uint32_t k = 0; k < j; k++)
			if (!strcmp(x->labels[k], x->labels[j])) {
				char buf[32];

				snprintf(buf, sizeof(buf), "key%u_", j);
				free(x->labels[j]);
				x->labels[j] = strdup(buf);
			}
	x->on = true;
}

/* ---- the document ---- */

/* HELP and TYPE lines; the text format escapes backslash and newline in HELP, OpenMetrics the double
 * quote too */
static void put_header(struct rt_str *o, const char *family, const char *suffix, const char *type,
		       const char *help, bool om)
{
	rt_str_printf(o, "# HELP %s%s ", family, suffix);
	put_escaped(o, help, strlen(help), om);
	rt_str_printf(o, "\n# TYPE %s%s %s\n", family, suffix, type);
}

/* what --stats prints at exit, per probe and live: its runs and its time in BPF. Two blocks may share
 * an attach point, so the probe's position in the script (index, from 0) tells them apart. */
static void put_probe_stats(struct rt_str *o, struct rt_run *r, bool om)
{
	static const char *const families[] = {"etrace_probe_events", "etrace_probe_bpf_seconds"};
	static const char *const helps[] = {"events each probe ran for (the kernel's run count)",
					    "seconds each probe spent running its BPF program"};
	const struct et_program *prog = r->prog;
	uint64_t runs, ns;

	if (r->stats_fd < 0)
		return;
	for (int f = 0; f < 2; f++) {
		rt_str_printf(o, "# HELP %s%s %s\n# TYPE %s%s counter\n", families[f], om ? "" : "_total", helps[f],
			      families[f], om ? "" : "_total");
		for (uint32_t i = 0; i < prog->nprobes; i++) {
			if (!rt_probe_run_stats(r, i, &runs, &ns))
				continue;
			rt_str_printf(o, "%s_total{probe=\"", families[f]);
			put_escaped(o, prog->probes[i].name, strlen(prog->probes[i].name), true);
			if (f == 0)
				rt_str_printf(o, "\",index=\"%u\"} %llu\n", i, (unsigned long long)runs);
			else
				rt_str_printf(o, "\",index=\"%u\"} %llu.%09llu\n", i, (unsigned long long)(ns / 1000000000u),
					      (unsigned long long)(ns % 1000000000u));
		}
	}
}

void rt_metrics_format(struct rt_metrics *mt, struct rt_str *o, bool om)
{
	struct rt_run *r = mt->r;
	const struct et_program *prog = r->prog;
	uint64_t lost = 0, faults = 0;

	for (uint32_t i = 0; i < prog->nmaps; i++) {
		const struct mx_map *x = &mt->maps[i];
		const struct et_map_desc *d = &prog->maps[i];
		struct rt_map_snapshot snap = {0};
		struct mx_out out = {.map = x, .om = om};

		if (!x->on || r->map_fds[i] < 0)
			continue;
		/* text format: a counter's family is its sample name; OpenMetrics drops the _total */
		put_header(o, x->family, d->value->kind == ET_AGG_COUNT && !om ? "_total" : "", type_name(d->value),
			   x->help, om);
		if (rt_map_snapshot_read(r->map_fds[i], d, &snap) == 0) {
			out.o = *o;
			rt_print_map(&mx_printer, &out.o, prog, &snap, 0, 1, false);
			*o = out.o;
			rt_map_snapshot_free(&snap);
		}
		if (out.tail.len) {
			put_header(o, x->family, "_average", "gauge", "the average of the stats() map above", om);
			rt_str_putn(o, out.tail.s, out.tail.len);
		}
		rt_str_free(&out.labels);
		rt_str_free(&out.tail);
	}
	rt_counters_read(r, &lost, &faults, mt->dropped);
	rt_str_printf(o, "# HELP etrace_events_lost%s ring buffer records the programs could not write (printf, print...)\n"
		      "# TYPE etrace_events_lost%s counter\netrace_events_lost_total %llu\n",
		      om ? "" : "_total", om ? "" : "_total", (unsigned long long)lost);
	rt_str_printf(o, "# HELP etrace_map_full_drops%s map updates dropped because the map was full\n"
		      "# TYPE etrace_map_full_drops%s counter\n", om ? "" : "_total", om ? "" : "_total");
	for (uint32_t i = 0; i < prog->nmaps; i++) {
		rt_str_puts(o, "etrace_map_full_drops_total{map=\"");
		put_escaped(o, prog->maps[i].name, strlen(prog->maps[i].name), true);
		rt_str_printf(o, "\"} %llu\n", (unsigned long long)mt->dropped[i]);
	}
	rt_str_printf(o, "# HELP etrace_read_faults%s user-memory reads by str()/buf() that failed\n"
		      "# TYPE etrace_read_faults%s counter\netrace_read_faults_total %llu\n",
		      om ? "" : "_total", om ? "" : "_total", (unsigned long long)faults);
	put_probe_stats(o, r, om);
	if (om)
		rt_str_puts(o, "# EOF\n");
}

/* ---- HTTP ---- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, const char *body,
			     size_t len, bool allow)
{
	struct MHD_Response *res = mhd.create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!res)
		return MHD_NO;
	mhd.add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		mhd.add_response_header(res, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd.queue_response(c, status, res);
	mhd.destroy_response(res);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct rt_metrics *mt = cls;
	static const char page[] = "<html><head><title>etrace</title></head><body><h1>etrace</h1>"
				   "<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";
	static const char not_found[] = "404 page not found: etrace serves /metrics\n";
	static const char not_allowed[] = "405 method not allowed: etrace serves GET\n";

	(void)version;
	(void)upload;
	(void)state;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		*upload_size = 0; /* a body is not read: the connection closes after the reply */
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", not_allowed,
			     sizeof(not_allowed) - 1, true);
	}
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page, sizeof(page) - 1, false);
	if (strcmp(url, "/metrics") != 0)
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", not_found, sizeof(not_found) - 1,
			     false);
	const char *accept = mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	bool om = accept && strstr(accept, "application/openmetrics-text");
	struct rt_str o = {0};
	enum MHD_Result ret;

	rt_metrics_format(mt, &o, om);
	ret = reply(c, MHD_HTTP_OK, om ? MX_OM_TYPE : MX_TEXT_TYPE, o.s ? o.s : "", o.len, false);
	rt_str_free(&o);
	return ret;
}

/* [ADDR:]PORT, ADDR an IPv4 address or [IPv6]; fills sa. */
static bool parse_spec(const char *spec, struct sockaddr_storage *sa, bool *loopback)
{
	const char *colon = strrchr(spec, ':');
	char addr[64] = "127.0.0.1", *end;
	long port;

	if (colon) {
		size_t n = (size_t)(colon - spec);

		if (n == 0 || n >= sizeof(addr))
			return false;
		memcpy(addr, spec, n);
		addr[n] = 0;
		spec = colon + 1;
	}
	errno = 0;
	port = strtol(spec, &end, 10);
	if (!*spec || *end || errno || port < 1 || port > 65535)
		return false;
	memset(sa, 0, sizeof(*sa));
	if (addr[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
		size_t n = strlen(addr);

		if (n < 3 || addr[n - 1] != ']')
			return false;
		addr[n - 1] = 0;
		if (inet_pton(AF_INET6, addr + 1, &s6->sin6_addr) != 1)
			return false;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*loopback = IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
		return true;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;

	if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
		return false;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	return true;
}

struct rt_metrics *rt_metrics_start(struct rt_run *r, const char *spec)
{
	struct sockaddr_storage sa;
	bool loopback = true;
	struct rt_metrics *mt;
	struct rt_str skipped = {0};
	/* MHD_USE_AUTO: epoll on Linux; the default select() refuses a connection whose descriptor is above
	 * FD_SETSIZE (1024), which a script with hundreds of probes reaches */
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	const char *err = NULL;

	if (!parse_spec(spec, &sa, &loopback)) {
		diag_error(r->diag, (struct et_loc){0},
			   "--metrics '%s' is not [ADDR:]PORT: give a port (9091, bound to 127.0.0.1), an IPv4 "
			   "address and port (0.0.0.0:9091) or [IPv6]:PORT",
			   spec);
		return NULL;
	}
	if ((err = mhd_open())) {
		diag_error(r->diag, (struct et_loc){0}, "--metrics needs libmicrohttpd (%s): install the package libmicrohttpd12",
			   err);
		return NULL;
	}
	mt = rt_xcalloc(1, sizeof(*mt));
	mt->r = r;
	mt->maps = rt_xcalloc(r->prog->nmaps ? r->prog->nmaps : 1, sizeof(*mt->maps));
	mt->dropped = rt_xcalloc(r->prog->nmaps ? r->prog->nmaps : 1, sizeof(*mt->dropped));
	for (uint32_t i = 0; i < r->prog->nmaps; i++)
		setup_map(mt, i, &skipped);
	if (skipped.len)
		fprintf(stderr, "WARNING: --metrics leaves out %s\n", skipped.s);
	rt_str_free(&skipped);
	if (sa.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	mt->d = mhd.start_daemon(flags, 0, NULL, NULL, handle, mt, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				 MHD_OPTION_CONNECTION_LIMIT, (unsigned)RT_METRICS_MAX_CONN,
				 MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)RT_METRICS_MAX_CONN / 2,
				 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MX_CONN_MEMORY,
				 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)MX_CONN_TIMEOUT, MHD_OPTION_END);
	if (!mt->d) {
		diag_error(r->diag, (struct et_loc){0}, "--metrics: cannot serve on %s: %s", spec,
			   errno ? strerror(errno) : "the address is in use or not available");
		rt_metrics_stop(mt);
		return NULL;
	}
	if (!loopback)
		fprintf(stderr, "etrace: --metrics serves the maps on %s, reachable from other hosts, without TLS "
			"or authentication\n", spec);
	return mt;
}

void rt_metrics_stop(struct rt_metrics *mt)
{
	if (!mt)
		return;
	if (mt->d)
		mhd.stop_daemon(mt->d);
	for (uint32_t i = 0; i < mt->r->prog->nmaps; i++) {
		free(mt->maps[i].family);
		free(mt->maps[i].help);
		for (uint32_t j = 0; mt->maps[i].labels && j < mt->maps[i].nlabels; j++)
			free(mt->maps[i].labels[j]);
		free(mt->maps[i].labels);
	}
	free(mt->maps);
	free(mt->dropped);
	free(mt);
}
