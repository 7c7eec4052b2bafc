/* listing: probe listing for -l / -lv. See listing.h. */
#include "probes/listing.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/arena.h"
#include "support/diag.h"
#include "kernel/btf.h"
#include "program/types.h"
#include "probes/providers.h"

/* The C spelling of an argument's type for -lv: the BTF name where there is one. */
static void c_type(const struct et_type *t, char *buf, size_t len)
{
	if (t && t->kind == ET_INT && t->name) {
		snprintf(buf, len, "%s", t->name);
	} else if (t && t->kind == ET_POINTER && t->elem && (t->elem->kind == ET_INT || t->elem->kind == ET_BOOL) &&
		   t->elem->name) {
		snprintf(buf, len, "%s *", t->elem->name);
	} else if (t && t->kind == ET_POINTER && !t->elem) {
		snprintf(buf, len, "void *");
	} else {
		type_format(t, buf, len);
	}
}

void provider_list_btf_args(const struct et_probe_desc *p, bool verbose, struct arena *a, FILE *out)
{
	const struct et_provider *pv = p->provider;
	struct btf_types *bt;
	struct et_type *args = NULL, *ret = NULL;
	bool is_fn = pv->args == PROVIDER_ARGS_BTF_FUNC;
	uint32_t n = 0;
	char buf[160];
	int err;

	fprintf(out, "%s\n", p->name);
	if (!verbose)
		return;
	bt = btf_types_new(a);
	err = is_fn ? btf_func_proto(bt, p->func, &args, &ret, &n) : btf_tracepoint_proto(bt, p->func, &args, &n);
	if (err)
		return;
	for (uint32_t i = 0; i < args->nfields; i++) {
		c_type(args->fields[i].type, buf, sizeof(buf));
		fprintf(out, "    %s%s%s\n", buf, buf[strlen(buf) - 1] == '*' ? "" : " ", args->fields[i].name);
	}
	if (is_fn && (pv->flags & PROVIDER_RETURN)) {
		if (ret)
			c_type(ret, buf, sizeof(buf));
		fprintf(out, "    %s%sretval\n", ret ? buf : "void", ret && buf[strlen(buf) - 1] == '*' ? "" : " ");
	}
}

static void list_one(const struct et_provider *pv, const char *const *pattern, uint32_t nparts, bool verbose,
		     bool named, struct arena *a, struct diag_sink *diag, struct et_loc loc, FILE *out)
{
	const char *parts[8];
	struct provider_expand_ctx ctx = {.arena = a, .diag = diag, .listing = true};
	struct ast_attach ap = {.loc = loc, .text = pv->name, .nparts = nparts, .parts = parts};
	const char *why = NULL, *instead = NULL;
	uint32_t i;

	/* a provider this kernel cannot run is listed only when asked for by name (fentry:* lists the
	 * kernel's BTF functions even where tracing programs are refused) */
	if (pv->supported && pv->supported(&why, &instead) != 0 && !named)
		return;
	memcpy(parts, pattern, nparts * sizeof(*parts));
	parts[0] = pv->name;
	/* "tracepoint:PATTERN" lists the events PATTERN matches in every category, as bpftrace
	 * ("tracepoint:*:PATTERN") */
	if (pv == &provider_tracepoint && nparts == 2) {
		parts[2] = parts[1];
		parts[1] = "*";
		ap.nparts = 3;
	}
	if (pv->expand(&ap, &ctx) != 0)
		return;
	for (i = 0; i < ctx.nprobes; i++) {
		if (pv->list)
			pv->list(&ctx.probes[i], verbose, a, out);
		else
			fprintf(out, "%s\n", ctx.probes[i].name);
	}
}

static int list_pattern(const char *pattern, bool verbose, struct arena *a, struct diag_sink *diag,
			struct et_loc loc, FILE *out)
{
	const struct et_provider *const *all;
	const char *parts[8];
	char *copy, *s, *colon;
	uint32_t nparts = 0;
	size_t n, i;
	bool any = false, named;

	copy = arena_strdup(a, pattern);
	for (s = copy; nparts < 8; s = colon + 1) {
		parts[nparts++] = s;
		colon = strchr(s, ':');
		if (!colon)
			break;
		*colon = 0;
	}
	all = provider_all(&n);
	for (i = 0; i < n; i++) {
		const struct et_provider *pv = all[i];
		const char *const *al;
		bool match = fnmatch(parts[0], pv->name, 0) == 0;

		for (al = pv->aliases; !match && al && *al; al++)
			match = strcmp(*al, parts[0]) == 0; /* aliases only when written exactly: t:..., s:... */
		if (!match)
			continue;
		any = true;
		named = strcmp(parts[0], pv->name) == 0;
		for (al = pv->aliases; !named && al && *al; al++)
			named = strcmp(*al, parts[0]) == 0;
		if ((pv->flags & PROVIDER_LISTABLE) || named)
			list_one(pv, parts, nparts, verbose, named, a, diag, loc, out);
	}
	if (!any) {
		diag_error(diag, loc, "no probe type matches '%s'", parts[0]);
		diag_hint(diag, "probe types are tracepoint, rawtracepoint, software, interval, profile, ...");
		return -EINVAL;
	}
	return 0;
}

int provider_list(const char *pattern, bool verbose, struct arena *a, struct diag_sink *diag,
		  struct et_loc loc, FILE *out)
{
	char *copy = arena_strdup(a, pattern && *pattern ? pattern : "*:*");
	int rc = 0;

	/* "A,B": each pattern in turn, as bpftrace; surrounding blanks are not part of a pattern */
	for (char *save = NULL, *one = strtok_r(copy, ",", &save); one; one = strtok_r(NULL, ",", &save)) {
		while (*one == ' ' || *one == '\t')
			one++;
		size_t n = strlen(one);
		while (n && (one[n - 1] == ' ' || one[n - 1] == '\t'))
			one[--n] = 0;
		if (!*one)
			continue;
		/* a bare pattern ("*sleep*") is the function/event part of every kernel probe type: "*:PATTERN" */
		char *full = one;
		if (!strchr(one, ':')) {
			full = arena_alloc(a, n + 3);
			snprintf(full, n + 3, "*:%s", one);
		}
		if (list_pattern(full, verbose, a, diag, loc, out) != 0)
			rc = -EINVAL;
	}
	return rc;
}
