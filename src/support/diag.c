#include "support/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "support/source.h"

struct diag {
	enum diag_severity severity;
	struct et_loc loc;
	char *message;
	char *hint;
};

struct diag_sink {
	const struct source_set *sources;
	struct diag *items;
	unsigned count, cap, rendered, errors;
	bool warnings_enabled;
	bool last_dropped; /* a hint after a suppressed warning is suppressed too */
	bool unique;       /* diag_set_unique */
};

const struct source_set *diag_sources(const struct diag_sink *d)
{
	return d->sources;
}

struct diag_sink *diag_new(const struct source_set *sources)
{
	struct diag_sink *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	d->sources = sources;
	d->warnings_enabled = true;
	return d;
}

void diag_clear(struct diag_sink *d)
{
	for (unsigned i = 0; i < d->count; i++) {
		free(d->items[i].message);
		free(d->items[i].hint);
	}
	d->count = d->rendered = d->errors = 0;
}

void diag_free(struct diag_sink *d)
{
	if (!d)
		return;
	diag_clear(d);
	free(d->items);
	free(d);
}

static char *vformat(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void diag_set_unique(struct diag_sink *d, bool on)
{
	d->unique = on;
}

static bool held(const struct diag_sink *d, enum diag_severity sev, struct et_loc loc, const char *msg)
{
	for (unsigned i = d->rendered; i < d->count; i++) {
		const struct diag *x = &d->items[i];

		if (x->severity == sev && x->loc.file == loc.file && x->loc.line == loc.line && x->loc.col == loc.col &&
		    x->loc.end_line == loc.end_line && x->loc.end_col == loc.end_col && strcmp(x->message, msg) == 0)
			return true;
	}
	return false;
}

void diag_vadd(struct diag_sink *d, enum diag_severity sev, struct et_loc loc, const char *fmt, va_list ap)
{
	if (sev == DIAG_WARNING && !d->warnings_enabled) {
		d->last_dropped = true;
		return;
	}
	char *msg = vformat(fmt, ap);
	if (d->unique && held(d, sev, loc, msg)) {
		free(msg);
		d->last_dropped = true;
		return;
	}
	d->last_dropped = false;
	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = realloc(d->items, d->cap * sizeof(*d->items));
		if (!d->items)
			abort();
	}
	d->items[d->count++] = (struct diag){ sev, loc, msg, NULL };
	if (sev == DIAG_ERROR)
		d->errors++;
}

void diag_error(struct diag_sink *d, struct et_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag_sink *d, struct et_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void diag_vhint(struct diag_sink *d, const char *fmt, va_list ap)
{
	if (d->count == d->rendered || d->last_dropped)
		return;
	struct diag *last = &d->items[d->count - 1];
	free(last->hint);
	last->hint = vformat(fmt, ap);
}

void diag_hint(struct diag_sink *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vhint(d, fmt, ap);
	va_end(ap);
}

bool diag_has_errors(const struct diag_sink *d)
{
	return d->errors > 0;
}

unsigned diag_error_count(const struct diag_sink *d)
{
	return d->errors;
}

unsigned diag_count(const struct diag_sink *d)
{
	return d->count;
}

void diag_demote_since(struct diag_sink *d, unsigned mark, bool drop)
{
	unsigned i, kept;

	if (mark < d->rendered)
		mark = d->rendered;
	for (i = kept = mark; i < d->count; i++) {
		struct diag *g = &d->items[i];

		if (g->severity == DIAG_ERROR)
			d->errors--;
		if (drop || !d->warnings_enabled) {
			free(g->message);
			free(g->hint);
			continue;
		}
		g->severity = DIAG_WARNING;
		d->items[kept++] = *g;
	}
	d->count = kept;
}

void diag_set_warnings(struct diag_sink *d, bool enabled)
{
	d->warnings_enabled = enabled;
}

/* FILE:LINE:COL: LABEL: MESSAGE, the source line and a caret under the span. */
static void render_at(const struct diag_sink *d, struct et_loc loc, const char *label, const char *msg, FILE *out)
{
	fprintf(out, "%s:%u:%u: %s: %s\n", source_name(d->sources, loc.file), loc.line, loc.col, label, msg);
	size_t len;
	const char *line = source_line(d->sources, loc.file, loc.line, &len);
	if (!line)
		return;
	fprintf(out, "%.*s\n", (int)len, line);
	size_t col = loc.col ? loc.col - 1 : 0;
	size_t end = loc.end_line == loc.line && loc.end_col >= loc.col ? loc.end_col : len;
	if (end == 0 || end < col + 1)
		end = col + 1;
	/* keep tabs so the caret lines up under the same characters */
	for (size_t i = 0; i < col; i++)
		fputc(i < len && line[i] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	for (size_t i = col + 1; i < end; i++)
		fputc('~', out);
	fputc('\n', out);
}

static void render_one(const struct diag_sink *d, const struct diag *g, FILE *out)
{
	const char *sev = g->severity == DIAG_ERROR ? "error" : "warning";
	if (g->loc.file == 0 || g->loc.line == 0)
		fprintf(out, "etrace: %s: %s\n", sev, g->message);
	else
		render_at(d, g->loc, sev, g->message, out);
	if (g->hint)
		fprintf(out, "hint: %s\n", g->hint);
	/* inside a macro's body: say which call it was expanded for, innermost first */
	struct et_loc call;
	const char *macro;
	uint32_t file = g->loc.file;
	for (int depth = 0; depth < 64 && source_expansion(d->sources, file, &call, &macro); depth++) {
		char msg[160];
		snprintf(msg, sizeof(msg), "in the expansion of macro '%s' called here", macro);
		render_at(d, call, "note", msg, out);
		file = call.file;
	}
}

bool diag_warnings_enabled(const struct diag_sink *d)
{
	return d->warnings_enabled;
}

void diag_print(const struct diag_sink *d, enum diag_severity sev, struct et_loc loc, const char *msg, FILE *out)
{
	struct diag g = {sev, loc, (char *)msg, NULL};

	if (sev == DIAG_WARNING && !d->warnings_enabled)
		return;
	render_one(d, &g, out);
	fflush(out);
}

void diag_render(struct diag_sink *d, FILE *out)
{
	for (; d->rendered < d->count; d->rendered++)
		render_one(d, &d->items[d->rendered], out);
	fflush(out);
}
