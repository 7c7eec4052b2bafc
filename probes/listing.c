/* listing: probe listing for -l / -lv. See listing.h. */
#include "listing.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/support/arena.h"
#include "../src/support/diag.h"
#include "provider.h"
#include "tracefs.h"

int tracepoint_print_fields(const char *category, const char *event, FILE *out)
{
	char rel[512], path[640], line[1024];
	FILE *f;

	snprintf(rel, sizeof(rel), "events/%s/%s/format", category, event);
	if (!tracefs_path(path, sizeof(path), rel))
		return -errno;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "field:"), *semi;

		if (!p || !(semi = strchr(p, ';')))
			continue;
		p += strlen("field:");
		*semi = 0;
		if (strstr(p, " common_") || strncmp(p, "common_", 7) == 0)
			continue;
		fprintf(out, "    %s\n", p);
	}
	fclose(f);
	return 0;
}

/* Providers whose probes can be enumerated (the others need arguments: interval:s:1). */
static bool listable(const struct et_provider *pv)
{
	static const char *const names[] = {"tracepoint", "rawtracepoint", "software", "hardware", "kprobe",
					    "kretprobe", "fentry", "fexit"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(pv->name, names[i]) == 0)
			return true;
	return false;
}

static void list_one(const struct et_provider *pv, const char *const *pattern, uint32_t nparts, bool verbose,
		     struct arena *a, struct diag_sink *diag, struct et_loc loc, FILE *out)
{
	const char *parts[8];
	struct provider_expand_ctx ctx = {.arena = a, .diag = diag, .listing = true};
	struct ast_attach ap = {.loc = loc, .text = pv->name, .nparts = nparts, .parts = parts};
	const char *why = NULL, *instead = NULL;
	uint32_t i;

	if (pv->supported && pv->supported(&why, &instead) != 0)
		return;
	memcpy(parts, pattern, nparts * sizeof(*parts));
	parts[0] = pv->name;
	if (pv->expand(&ap, &ctx) != 0)
		return;
	for (i = 0; i < ctx.nprobes; i++) {
		fprintf(out, "%s\n", ctx.probes[i].name);
		if (verbose && strcmp(pv->name, "tracepoint") == 0)
			tracepoint_print_fields(ctx.probes[i].target, ctx.probes[i].func, out);
	}
}

int provider_list(const char *pattern, bool verbose, struct arena *a, struct diag_sink *diag,
		  struct et_loc loc, FILE *out)
{
	const struct et_provider *const *all;
	const char *parts[8];
	char *copy, *s, *colon;
	uint32_t nparts = 0;
	size_t n, i;
	bool any = false;

	copy = arena_strdup(a, pattern && *pattern ? pattern : "*");
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
		if (listable(pv) || strcmp(parts[0], pv->name) == 0)
			list_one(pv, parts, nparts, verbose, a, diag, loc, out);
	}
	if (!any) {
		diag_error(diag, loc, "no probe type matches '%s'", parts[0]);
		diag_hint(diag, "probe types are tracepoint, rawtracepoint, software, interval, profile, ...");
		return -EINVAL;
	}
	return 0;
}
