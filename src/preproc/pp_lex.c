/* pp_lex: pp-tokens (C17 6.4, simplified) from a script's or a header's text. Comments and
 * backslash-newlines are white space. bpftrace's `$name`, `$1`, `$#` and `@name` are single tokens of
 * kind PP_OTHER, so a macro can never take a variable's or a map's name. A pp-number stops before `..`
 * (bpftrace's range `0..N`). Contract in pp_int.h. */
#include <string.h>

#include "preproc/pp_int.h"

static bool is_id(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static char at(const struct pp_lexer *lx, size_t off)
{
	return off < lx->len ? lx->text[off] : 0;
}

static void newline(struct pp_lexer *lx, size_t after)
{
	lx->line++;
	lx->line_off = after;
	lx->bol = true;
}

/* Skip white space and comments; false at the end of the input (or of the directive line). */
static bool skip_space(struct pp_lexer *lx, bool *space)
{
	for (;;) {
		char c = at(lx, lx->off);
		if (lx->off >= lx->len)
			return false;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->off++;
		} else if (c == '\\' && at(lx, lx->off + 1) == '\n') {
			lx->off += 2;
			newline(lx, lx->off);
			lx->bol = false;
		} else if (c == '\\' && at(lx, lx->off + 1) == '\r' && at(lx, lx->off + 2) == '\n') {
			lx->off += 3;
			newline(lx, lx->off);
			lx->bol = false;
		} else if (c == '\n') {
			if (lx->stop_at_newline)
				return false;
			lx->off++;
			newline(lx, lx->off);
		} else if (c == '/' && at(lx, lx->off + 1) == '/') {
			while (lx->off < lx->len && lx->text[lx->off] != '\n')
				lx->off++;
		} else if (c == '/' && at(lx, lx->off + 1) == '*') {
			lx->off += 2;
			while (lx->off < lx->len && !(lx->text[lx->off] == '*' && at(lx, lx->off + 1) == '/')) {
				if (lx->text[lx->off] == '\n')
					newline(lx, lx->off + 1), lx->bol = false;
				lx->off++;
			}
			lx->off = lx->off + 2 > lx->len ? lx->len : lx->off + 2;
		} else if (c == '#' && lx->bol && lx->stop_at_directive) {
			return false;
		} else {
			return true;
		}
		*space = true;
	}
}

static const char *const puncts[] = {
	"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"*=",  "/=",  "%=",  "+=", "-=", "&=", "^=", "|=", "##",
};

void pp_lex_next(struct pp_lexer *lx, struct pp_tok *t)
{
	bool space = false;

	memset(t, 0, sizeof(*t));
	if (!skip_space(lx, &space)) {
		t->kind = PP_EOL;
		t->s = lx->text + (lx->off < lx->len ? lx->off : lx->len);
		t->loc = (struct et_loc){ lx->file, lx->line, (uint32_t)(lx->off - lx->line_off + 1), lx->line,
					  (uint32_t)(lx->off - lx->line_off + 1) };
		return;
	}
	size_t start = lx->off;
	char c = lx->text[start];
	size_t e = start + 1;

	lx->bol = false;
	/* an encoding prefix: L'x', u"x", U'x', u8"x" */
	size_t pre = (c == 'L' || c == 'U') ? 1 : c == 'u' ? (at(lx, e) == '8' ? 2 : 1) : 0;
	if (pre && (at(lx, start + pre) == '"' || at(lx, start + pre) == '\'')) {
		start += pre;
		c = lx->text[start];
		e = start + 1;
	} else {
		pre = 0;
	}
	if (is_id(c) && !(c >= '0' && c <= '9')) {
		while (e < lx->len && is_id(lx->text[e]))
			e++;
		t->kind = PP_IDENT;
	} else if ((c >= '0' && c <= '9') || (c == '.' && at(lx, e) >= '0' && at(lx, e) <= '9')) {
		for (;;) {
			char d = at(lx, e);
			if ((d == '+' || d == '-') && strchr("eEpP", lx->text[e - 1]))
				e++;
			else if (is_id(d) || (d == '.' && at(lx, e + 1) != '.'))
				e++;
			else
				break;
		}
		t->kind = PP_NUMBER;
	} else if (c == '"' || c == '\'') {
		while (e < lx->len && lx->text[e] != c && lx->text[e] != '\n')
			e += lx->text[e] == '\\' && e + 1 < lx->len && lx->text[e + 1] != '\n' ? 2 : 1;
		if (e < lx->len && lx->text[e] == c) {
			e++;
			t->kind = c == '"' ? PP_STRING : PP_CHAR;
		} else if (c == '\'') {
			e = start + 1; /* a lone apostrophe */
			t->kind = PP_OTHER;
		} else {
			t->kind = PP_STRING; /* unterminated: the scanner reports it */
		}
	} else if ((c == '$' && (is_id(at(lx, e)) || at(lx, e) == '#')) || (c == '@')) {
		if (c == '$' && at(lx, e) == '#')
			e++;
		else
			while (e < lx->len && is_id(lx->text[e]))
				e++;
		t->kind = PP_OTHER;
	} else {
		t->kind = PP_PUNCT;
		for (size_t i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++) {
			if (puncts[i][0] != c)
				continue;
			size_t n = strlen(puncts[i]);
			if (start + n <= lx->len && memcmp(lx->text + start, puncts[i], n) == 0) {
				e = start + n;
				break;
			}
		}
	}
	if (t->kind == PP_STRING || t->kind == PP_CHAR)
		start -= pre;
	lx->off = e;
	t->s = lx->text + start;
	t->len = (uint32_t)(e - start);
	t->space = space;
	t->loc.file = lx->file;
	t->loc.line = t->loc.end_line = lx->line;
	t->loc.col = (uint32_t)(start - lx->line_off + 1);
	t->loc.end_col = (uint32_t)(e - lx->line_off);
}
