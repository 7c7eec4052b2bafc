/* diag: the diagnostic sink and its one renderer.
 * Passes report errors and warnings here and keep going; the driver stops between phases when
 * diag_has_errors() is true. Each diagnostic has a severity, a span, a message and an optional hint
 * (one sentence telling the user what to do), added with diag_hint() right after the diagnostic.
 * Rendering (diag_render) prints, for each one, in the order reported:
 *     FILE:LINE:COL: error: MESSAGE
 *     <the source line>
 *     <spaces>^~~~ under the span (to the end of the line when the span covers several lines)
 *     hint: HINT
 *     FILE:LINE:COL: note: in the expansion of macro 'NAME' called here   (with its line and caret; once
 *                    per level when the span lies in a bpftrace macro's body, source_add_expansion)
 * Owns: copies of every message; freed by diag_free(). Allocation failure aborts. */
#ifndef ET_DIAG_H
#define ET_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "support/loc.h"

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

struct source_set;
struct diag_sink;

struct diag_sink *diag_new(const struct source_set *sources);
void diag_free(struct diag_sink *d); /* NULL-safe */

void diag_error(struct diag_sink *d, struct et_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag_sink *d, struct et_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Attach a hint to the diagnostic reported last (ignored when there is none). */
void diag_hint(struct diag_sink *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* the same for callers that wrap these in printf-like functions of their own */
void diag_vadd(struct diag_sink *d, enum diag_severity sev, struct et_loc loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
void diag_vhint(struct diag_sink *d, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* While on, a diagnostic equal to one held (severity, span, message) is dropped, with its hint: for
 * passes that analyse copies of one piece of source (sema's copies of a probe block, args_split.c). */
void diag_set_unique(struct diag_sink *d, bool on);

bool diag_has_errors(const struct diag_sink *d);
unsigned diag_error_count(const struct diag_sink *d);
unsigned diag_count(const struct diag_sink *d);
void diag_set_warnings(struct diag_sink *d, bool enabled); /* --no-warnings */
bool diag_warnings_enabled(const struct diag_sink *d);
/* The scripts diagnostics point into (to place a diagnostic found after compiling, e.g. a verifier line). */
const struct source_set *diag_sources(const struct diag_sink *d);

/* Render one diagnostic at once to out, without keeping it (a warning found while the program runs,
 * which may come many times); nothing for a warning under --no-warnings. */
void diag_print(const struct diag_sink *d, enum diag_severity sev, struct et_loc loc, const char *msg, FILE *out);
/* Print every diagnostic not rendered yet, then forget nothing (a later call prints only newer ones). */
void diag_render(struct diag_sink *d, FILE *out);
/* The diagnostics reported since diag_count() returned `mark` (and not rendered yet): errors become
 * warnings, or with `drop` every one of them is forgotten. For failures the user said to tolerate
 * (config missing_probes = warn / ignore). */
void diag_demote_since(struct diag_sink *d, unsigned mark, bool drop);
/* Drop all diagnostics (the interactive session starts each line afresh). */
void diag_clear(struct diag_sink *d);

#endif
