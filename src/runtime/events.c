/* events: decode ring-buffer records (u64 event index + the event's argument tuple, types.h layout)
 * and perform the async actions in user space: printf, print(value), print(@m, top, div), clear,
 * zero, time, exit, system, cat, join. Also prints every map at exit, in name order, and reads the
 * per-CPU counter of records the BPF side could not reserve. See rt_int.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "program/program.h"
#include "program/types.h"
#include "support/diag.h"
#include "support/source.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"

#define RT_OUT_CHUNK (256u << 10)

static uint64_t field_u64(const struct et_type *args, uint32_t i, const uint8_t *data, size_t size)
{
	uint64_t v = 0;

	if (!args || i >= args->nfields || args->fields[i].offset + 8 > size)
		return 0;
	memcpy(&v, data + args->fields[i].offset, 8);
	return v;
}

/* --test captures a probe's output as text whatever -f says (testbench.c), as bpftrace does */
static bool json(const struct rt_run *r)
{
	return r->opts->format == RT_FORMAT_JSON && !r->capture;
}

/* Text produced by an event: as is, or as {"type": TYPE, "data": "TEXT"} in JSON mode. */
static void emit_text(struct rt_run *r, const char *type, struct rt_str *text)
{
	if (json(r)) {
		rt_str_printf(&r->buf, "{\"type\": \"%s\", \"data\": ", type);
		rt_json_string(&r->buf, text->s ? text->s : "", text->len);
		rt_str_puts(&r->buf, "}\n");
	} else if (text->len) {
		rt_str_putn(&r->buf, text->s, text->len);
	}
	rt_str_free(text);
}

static int map_value_stride(int fd, uint32_t *key_size, size_t *stride, bool *is_array)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int ncpus = 1;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*is_array = info.type == BPF_MAP_TYPE_ARRAY || info.type == BPF_MAP_TYPE_PERCPU_ARRAY;
	if (info.type == BPF_MAP_TYPE_PERCPU_HASH || info.type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	    info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH) {
		ncpus = libbpf_num_possible_cpus();
		if (ncpus <= 0)
			return -EINVAL;
		*stride = (size_t)((info.value_size + 7) & ~7u) * (size_t)ncpus;
	} else {
		*stride = info.value_size;
	}
	*key_size = info.key_size;
	return 0;
}

/* zero(@m): every value set to 0. clear(@m): every key deleted (arrays: zeroed). */
void rt_map_reset(int fd, bool zero_only)
{
	uint32_t key_size = 0;
	size_t stride = 0;
	bool is_array = false;
	uint8_t *key, *next, *zero;
	bool first = true;

	if (fd < 0 || map_value_stride(fd, &key_size, &stride, &is_array))
		return;
	key = rt_xcalloc(1, key_size);
	next = rt_xcalloc(1, key_size);
	zero = rt_xcalloc(1, stride);
	if (!zero_only && !is_array) {
		while (bpf_map_get_next_key(fd, NULL, next) == 0)
			if (bpf_map_delete_elem(fd, next))
				break;
	} else {
		while (bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
			first = false;
			bpf_map_update_elem(fd, next, zero, BPF_EXIST);
			memcpy(key, next, key_size);
		}
	}
	free(key);
	free(next);
	free(zero);
}

/* print(@m[, top, div]) (zero_if_empty: an empty keyless map prints its zero value) and the maps at exit */
static void print_map(struct rt_run *r, int map, uint64_t top, uint64_t div, bool zero_if_empty)
{
	struct rt_map_snapshot s;

	if (map < 0 || (uint32_t)map >= r->prog->nmaps || r->map_fds[map] < 0)
		return;
	int err = rt_map_snapshot_read(r->map_fds[map], &r->prog->maps[map], &s);

	if (err) {
		fprintf(stderr, "cannot read %s: %s\n", r->prog->maps[map].name, strerror(-err));
		return;
	}
	if (json(r))
		rt_map_format_json(&r->buf, r->prog, &s, top, div, zero_if_empty);
	else
		rt_map_format(&r->buf, r->prog, &s, top, div, zero_if_empty);
	rt_map_snapshot_free(&s);
}

static void do_time(struct rt_run *r, const char *fmt)
{
	char buf[512];
	time_t now = time(NULL);
	struct rt_str text = {0};
	struct tm tm;

	localtime_r(&now, &tm);

	if (strftime(buf, sizeof(buf), fmt ? fmt : "%H:%M:%S\n", &tm) > 0)
		rt_str_puts(&text, buf);
	emit_text(r, "time", &text);
}

static void do_system(struct rt_run *r, const struct et_event_desc *ev, const uint8_t *d, size_t n)
{
	struct rt_str cmd = {0};
	char chunk[4096];
	size_t got;
	FILE *p;

	struct rt_str text = {0};

	rt_format_printf(&cmd, r->prog, ev->fmt, ev->args, d, n);
	rt_str_write(&r->buf, r->out);
	fflush(r->out);
	p = cmd.s ? popen(cmd.s, "r") : NULL;
	if (p) {
		while ((got = fread(chunk, 1, sizeof(chunk), p)) > 0)
			rt_str_putn(&text, chunk, got);
		pclose(p);
	}
	rt_str_free(&cmd);
	emit_text(r, "syscall", &text);
}

static void do_join(struct rt_run *r, const struct et_event_desc *ev, const uint8_t *d, size_t n)
{
	struct rt_str text = {0};
	uint32_t i;

	for (i = 0; ev->args && i < ev->args->nfields; i++) {
		const struct et_field *f = &ev->args->fields[i];

		if (f->offset + f->type->size > n || d[f->offset] == 0)
			break;
		if (i)
			rt_str_puts(&text, ev->fmt ? ev->fmt : " ");
		rt_str_putn(&text, (const char *)d + f->offset, strnlen((const char *)d + f->offset, f->type->size));
	}
	if (!json(r))
		rt_str_putc(&text, '\n');
	emit_text(r, "join", &text);
}

/* A message located at the call that raised it, each time it happens: rendered like a compile-time
 * diagnostic on stderr (after the output so far, to keep the order), or in JSON mode as bpftrace's
 * {"type": TYPE, "msg": M, "filename": F, "line": L, "col": C} line. */
static void located_message_as(struct rt_run *r, enum diag_severity level, struct et_loc loc, const char *msg,
			       const char *type)
{
	if (json(r)) {
		const char *file = r->diag && loc.file ? source_name(diag_sources(r->diag), loc.file) : NULL;

		rt_str_printf(&r->buf, "{\"type\": \"%s\", \"msg\": ", type);
		rt_json_string(&r->buf, msg, strlen(msg));
		rt_str_puts(&r->buf, ", \"filename\": ");
		rt_json_string(&r->buf, file ? file : "", file ? strlen(file) : 0);
		rt_str_printf(&r->buf, ", \"line\": %u, \"col\": %u}\n", loc.line, loc.col);
		return;
	}
	if (!r->diag)
		return;
	rt_flush_output(r);
	if (r->capture) { /* --test: with the probe's output */
		diag_print(r->diag, level, loc, msg, r->capture);
		return;
	}
	diag_print(r->diag, level, loc, msg, r->opts->err ? r->opts->err : stderr);
	if (r->opts->err)
		fflush(r->opts->err);
}

/* the same with bpftrace's type for the program's own runtime errors */
static void located_message(struct rt_run *r, enum diag_severity level, struct et_loc loc, const char *msg)
{
	located_message_as(r, level, loc, msg, "runtime_error");
}

/* A warning the program reported while running (division by zero...), as bpftrace does. */
static void runtime_warning(struct rt_run *r, const struct et_event_desc *ev)
{
	located_message(r, DIAG_WARNING, ev->loc, ev->fmt ? ev->fmt : "");
}

/* A helper call that failed (ET_EV_HELPER_ERROR, payload: its i64 return code), at the call each time,
 * in bpftrace's words: text, a warning with the helper's name and code; JSON, a "helper_error" record. */
static void helper_error(struct rt_run *r, const struct et_event_desc *ev, const uint8_t *d, size_t n)
{
	const char *helper = ev->fmt ? ev->fmt : "";
	struct rt_str msg = {0};
	int64_t rc = 0;

	if (n >= 8)
		memcpy(&rc, d, 8);
	if (json(r)) {
		const char *file = r->diag && ev->loc.file ? source_name(diag_sources(r->diag), ev->loc.file) : NULL;
		const char *text = strerror((int)-rc);

		rt_str_puts(&r->buf, "{\"type\": \"helper_error\", \"msg\": ");
		rt_json_string(&r->buf, text, strlen(text));
		rt_str_puts(&r->buf, ", \"helper\": ");
		rt_json_string(&r->buf, helper, strlen(helper));
		rt_str_printf(&r->buf, ", \"retcode\": %lld, \"filename\": ", (long long)rc);
		rt_json_string(&r->buf, file ? file : "", file ? strlen(file) : 0);
		rt_str_printf(&r->buf, ", \"line\": %u, \"col\": %u}\n", ev->loc.line, ev->loc.col);
		return;
	}
	if (strcmp(helper, "map_update_elem") == 0 && rc == -E2BIG)
		rt_str_puts(&msg, "Map full; can't update element. Try increasing max_map_keys config or manually "
			    "setting the max entries in a map declaration e.g. `let @a = hash(5000)`");
	else if (strcmp(helper, "map_delete_elem") == 0 && rc == -ENOENT)
		rt_str_puts(&msg, "Can't delete map element because it does not exist.");
	else if (strcmp(helper, "map_lookup_elem") == 0) /* the code is 0: a lookup returns NULL */
		rt_str_puts(&msg, "Can't lookup map element because it does not exist.");
	else
		rt_str_puts(&msg, strerror((int)-rc));
	rt_str_printf(&msg, "\nAdditional Info - helper: %s, retcode: %lld", helper, (long long)rc);
	located_message(r, DIAG_WARNING, ev->loc, msg.s);
	rt_str_free(&msg);
}

/* cat(fmt, ...): the file named by the formatted string, at most max_cat_bytes bytes of it (config/env,
 * bpftrace's default 10240), written as it is; a file that cannot be opened or read is an error at the
 * call, and tracing goes on. */
static void do_cat(struct rt_run *r, const struct et_event_desc *ev, const uint8_t *d, size_t n)
{
	struct rt_str name = {0}, text = {0};
	char chunk[4096];
	size_t got = 0, want, max = r->prog->max_cat_bytes ? r->prog->max_cat_bytes : 10240;
	FILE *f;

	rt_format_printf(&name, r->prog, ev->fmt, ev->args, d, n);
	f = fopen(name.s ? name.s : "", "rb");
	if (!f) {
		struct rt_str msg = {0};

		rt_str_printf(&msg, "cat(): cannot open '%s': %s", name.s ? name.s : "", strerror(errno));
		located_message(r, DIAG_ERROR, ev->loc, msg.s);
		rt_str_free(&msg);
		rt_str_free(&name);
		return;
	}
	while (text.len < max) {
		want = max - text.len < sizeof(chunk) ? max - text.len : sizeof(chunk);
		got = fread(chunk, 1, want, f);
		if (!got)
			break;
		rt_str_putn(&text, chunk, got);
	}
	if (ferror(f)) {
		struct rt_str msg = {0};

		rt_str_printf(&msg, "cat(): cannot read '%s': %s", name.s, strerror(errno));
		located_message(r, DIAG_ERROR, ev->loc, msg.s);
		rt_str_free(&msg);
	}
	fclose(f);
	rt_str_free(&name);
	emit_text(r, "cat", &text);
}

/* errorf()/warnf(): the formatted text reported at the call each time, as bpftrace does, with bpftrace's
 * JSON type "errorf"/"warnf". A trailing newline of the format is dropped (the diagnostic ends the line).
 * warnf() is silent under --no-warnings, in JSON too. */
static void report_formatted(struct rt_run *r, const struct et_event_desc *ev, const uint8_t *d, size_t n)
{
	bool err = ev->kind == ET_EV_ERRORF;
	struct rt_str text = {0};

	if (!r->diag || (!err && !diag_warnings_enabled(r->diag)))
		return;
	rt_format_printf(&text, r->prog, ev->fmt ? ev->fmt : "", ev->args, d, n);
	while (text.len && text.s[text.len - 1] == '\n')
		text.len--;
	rt_str_putc(&text, '\0');
	located_message_as(r, err ? DIAG_ERROR : DIAG_WARNING, ev->loc, text.s, err ? "errorf" : "warnf");
	rt_str_free(&text);
}

int rt_handle_event(void *ctx, void *data, size_t size)
{
	struct rt_run *r = ctx;
	const uint8_t *d = data;
	const struct et_event_desc *ev;
	uint64_t idx;

	if (size < 8)
		return 0;
	memcpy(&idx, d, 8);
	if (idx >= r->prog->nevents)
		return 0;
	ev = &r->prog->events[idx];
	d += 8;
	size -= 8;
	if (r->discard || ferror(r->out)) {
		r->discard = true;
		goto next;
	}
	switch (ev->kind) {
	case ET_EV_PRINTF: {
		struct rt_str text = {0};

		if (!json(r)) { /* straight into the output buffer: no copy, no allocation per event */
			rt_format_printf(&r->buf, r->prog, ev->fmt ? ev->fmt : "", ev->args, d, size);
			break;
		}
		rt_format_printf(&text, r->prog, ev->fmt ? ev->fmt : "", ev->args, d, size);
		emit_text(r, "printf", &text);
		break;
	}
	case ET_EV_PRINT:
		if (ev->args && ev->args->nfields &&
		    ev->args->fields[0].offset + ev->args->fields[0].type->size <= size) {
			const struct et_field *f = &ev->args->fields[0];

			if (json(r)) {
				rt_str_puts(&r->buf, "{\"type\": \"value\", \"data\": ");
				rt_json_value(&r->buf, r->prog, f->type, d + f->offset);
				rt_str_puts(&r->buf, "}\n");
			} else {
				rt_format_value(&r->buf, r->prog, f->type, d + f->offset);
				rt_str_putc(&r->buf, '\n');
			}
		}
		break;
	case ET_EV_PRINT_MAP:
		print_map(r, ev->map, field_u64(ev->args, 0, d, size), field_u64(ev->args, 1, d, size), true);
		break;
	case ET_EV_CLEAR:
	case ET_EV_ZERO:
		if (ev->map >= 0 && (uint32_t)ev->map < r->prog->nmaps)
			rt_map_reset(r->map_fds[ev->map], ev->kind == ET_EV_ZERO);
		break;
	case ET_EV_TIME:
		do_time(r, ev->fmt);
		break;
	case ET_EV_EXIT:
		if (!r->stop)
			r->exit_code = (int)(int64_t)field_u64(ev->args, 0, d, size);
		r->stop = true;
		r->discard = !r->in_iter;
		break;
	case ET_EV_SYSTEM:
		do_system(r, ev, d, size);
		break;
	case ET_EV_CAT:
		do_cat(r, ev, d, size);
		break;
	case ET_EV_JOIN:
		do_join(r, ev, d, size);
		break;
	case ET_EV_RUNTIME_WARNING:
		r->error_count++; /* bpftrace's runtime errors: a --test test that has one fails */
		runtime_warning(r, ev);
		break;
	case ET_EV_ERRORF:
		r->error_count++;
		report_formatted(r, ev, d, size);
		break;
	case ET_EV_WARNF:
		report_formatted(r, ev, d, size);
		break;
	case ET_EV_HELPER_ERROR:
		helper_error(r, ev, d, size);
		break;
	case ET_EV_UNWATCH:
		rt_unwatch(r, field_u64(ev->args, 0, d, size));
		break;
	}
	/* printf/print text stays in r->buf until a batch is done (rt_flush_output, after each ring buffer
	 * drain) or the buffer is large: one big write instead of one per line; anything else writes now, in
	 * order, since it may print through other paths (system(), maps) */
	if ((ev->kind != ET_EV_PRINTF && ev->kind != ET_EV_PRINT) || r->buf.len >= RT_OUT_CHUNK)
		rt_str_write(&r->buf, r->out);
next:
	/* a negative return ends this drain (libbpf has already consumed the record) */
	if (r->batch_limit && ++r->batch >= r->batch_limit)
		return -EAGAIN;
	return 0;
}

void rt_flush_output(struct rt_run *r)
{
	rt_str_write(&r->buf, r->out);
	fflush(r->out);
}

static const struct et_program *cmp_prog; /* qsort has no context argument in C17 */

static int cmp_map_name(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return strcmp(cmp_prog->maps[*x].name, cmp_prog->maps[*y].name);
}

void rt_print_all_maps(struct rt_run *r)
{
	uint32_t *order = rt_xcalloc(r->prog->nmaps ? r->prog->nmaps : 1, sizeof(*order)), i;

	for (i = 0; i < r->prog->nmaps; i++)
		order[i] = i;
	cmp_prog = r->prog;
	qsort(order, r->prog->nmaps, sizeof(*order), cmp_map_name);
	for (i = 0; i < r->prog->nmaps; i++) {
		print_map(r, (int)order[i], 0, 0, false);
		rt_str_write(&r->buf, r->out);
	}
	free(order);
}
