/* attach.c: splitting an attach point into its parts, and its positional parameters (attach.h). */
#include <stdbool.h>
#include <string.h>

#include "program/attach.h"
#include "support/arena.h"

void attach_split(struct arena *a, const char *text, size_t n, struct ast_attach *at)
{
	uint32_t nparts = 1;
	bool q = false;

	for (size_t i = 0; i < n; i++) {
		if (text[i] == '"')
			q = !q;
		else if (q && text[i] == '\\' && i + 1 < n)
			i++;
		else if (!q && text[i] == ':')
			nparts++;
	}
	at->text = arena_strndup(a, text, n);
	at->parts = arena_alloc(a, nparts * sizeof(*at->parts));
	at->nparts = 0;
	char *buf = arena_alloc(a, n + 1);
	size_t o = 0, start = 0;
	q = false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || (!q && text[i] == ':')) {
			buf[o++] = 0;
			at->parts[at->nparts++] = buf + start;
			start = o;
		} else if (q && text[i] == '\\' && i + 1 < n) {
			/* an escaped character inside quotes, as counted above (a quote or ':' does not split) */
			buf[o++] = text[i];
			buf[o++] = text[++i];
		} else if (text[i] == '"') {
			q = !q;
		} else {
			buf[o++] = text[i];
		}
	}
}

const char *attach_substitute(struct arena *a, const char *text, const char *const *params, uint32_t nparams,
			      const char **bad)
{
	size_t n = strlen(text), cap = n + 1, o = 0;
	bool q = false, any = false;
	char *out;

	for (size_t i = 0; i < n; i++) {
		if (text[i] == '"')
			q = !q;
		else if (q && text[i] == '\\' && i + 1 < n)
			i++;
		else if (!q && text[i] == '$')
			any = true;
	}
	if (!any)
		return text;
	out = arena_alloc(a, cap);
	q = false;
	for (size_t i = 0; i < n; i++) {
		const char *piece = text + i;
		size_t len = 1, next = i + 1;

		if (text[i] == '"') {
			q = !q;
		} else if (q && text[i] == '\\' && i + 1 < n) {
			len = 2;
			next = i + 2;
		} else if (!q && text[i] == '$') {
			size_t j = i + 1;
			unsigned long idx = 0;

			/* $1 .. $99999, no leading zero, as the expressions' $N */
			while (j < n && text[j] >= '0' && text[j] <= '9' && j - i <= 5 && !(j == i + 1 && text[j] == '0'))
				idx = idx * 10 + (unsigned long)(text[j++] - '0');
			if (j == i + 1 || (j < n && text[j] >= '0' && text[j] <= '9')) {
				*bad = text + i;
				return NULL;
			}
			piece = idx <= nparams ? params[idx - 1] : "";
			len = strlen(piece);
			next = j;
		}
		if (o + len + 1 > cap) {
			size_t ncap = (o + len + 1) * 2;
			out = arena_grow(a, out, cap, ncap, 1);
			cap = ncap;
		}
		memcpy(out + o, piece, len);
		o += len;
		i = next - 1;
	}
	out[o] = 0;
	return out;
}
