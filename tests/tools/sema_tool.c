/* sema_tool: parse and analyse one script through et_compile, stopping after sema (no codegen, no kernel
 * objects), render the diagnostics to stderr. Used by tests/run-errors.sh.
 *   sema_tool [--unsafe] [--cpid] [--max-strlen N] [--dump] FILE [POSITIONAL...]
 * --dump prints what sema built (maps, events, probes) to stdout after a successful analysis.
 * Exit status: 0 when there are no errors (warnings may be printed), 1 on errors, 2 on usage errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "program/program.h"
#include "program/types.h"
#include "support/diag.h"
#include "support/source.h"

static const char *tname(const struct et_type *t, char *buf, size_t len)
{
	if (!t)
		return "-";
	type_format(t, buf, len);
	return buf;
}

static void dump(const struct et_program *p)
{
	static const char *const kinds[] = {"printf", "print", "print_map", "clear", "zero",
					    "time", "exit", "system", "join", "runtime_warning", "cat"};
	char a[512], b[512];

	for (uint32_t i = 0; i < p->nmaps; i++) {
		const struct et_map_desc *m = &p->maps[i];

		printf("map %u %s elf=%s key=%s value=%s size=%u percpu=%d max_entries=%u\n", i, m->name,
		       m->elf_name, tname(m->key, a, sizeof(a)), tname(m->value, b, sizeof(b)), m->value->size,
		       m->percpu, m->max_entries);
		if (m->lru) /* only for lruhash/percpulruhash declarations, so older goldens stay as they are */
			printf("map %u lru=1\n", i);
	}
	for (uint32_t i = 0; i < p->nevents; i++) {
		const struct et_event_desc *e = &p->events[i];

		printf("event %u %s fmt=", i, kinds[e->kind]);
		for (const char *c = e->fmt; c && *c; c++)
			printf(*c == '\n' ? "\\n" : "%c", *c);
		printf(" args=%s size=%u map=%d line=%u\n", tname(e->args, a, sizeof(a)), e->args ? e->args->size : 0,
		       e->map, e->loc.line);
	}
	for (uint32_t i = 0; i < p->nprobes; i++) {
		const struct et_probe_desc *d = &p->probes[i];

		printf("probe %u %s prog=%s section=%s raw=%d\n", i, d->name, d->prog_name, d->section, d->raw);
	}
	printf("ringbuf=%s lost=%s\n", p->ringbuf_name ? p->ringbuf_name : "-",
	       p->lost_map_name ? p->lost_map_name : "-");
}

int main(int argc, char **argv)
{
	bool want_dump = false;
	struct et_compile_options opts = { .env = ET_COMPILE_ENV_DEFAULT, .last = ET_PHASE_SEMA };
	int i = 1, status = 1;
	uint32_t file;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--unsafe") == 0)
			opts.unsafe = true;
		else if (strcmp(argv[i], "--cpid") == 0)
			opts.cmd = ""; /* as with -c: cpid allowed (no command, so no target binary) */
		else if (strcmp(argv[i], "--dump") == 0)
			want_dump = true;
		else if (strcmp(argv[i], "--max-strlen") == 0 && i + 1 < argc)
			opts.env.max_strlen = (uint32_t)strtoul(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: sema_tool [--unsafe] [--cpid] [--max-strlen N] [--dump] FILE [ARG...]\n");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: sema_tool [--unsafe] [--cpid] [--max-strlen N] [--dump] FILE [ARG...]\n");
		return 2;
	}
	opts.positional = (const char *const *)argv + i + 1;
	opts.npositional = (uint32_t)(argc - i - 1);

	struct source_set *sources = source_set_new();
	struct diag_sink *diag = diag_new(sources);
	struct et_compilation c = { 0 };

	file = source_load_file(sources, argv[i]);
	if (!file) {
		fprintf(stderr, "sema_tool: cannot read '%s': %s\n", argv[i], strerror(errno));
		status = 2;
		goto out;
	}
	et_compile(&opts, sources, &file, 1, diag, &c);
	diag_render(diag, stderr);
	status = diag_has_errors(diag) ? 1 : 0;
	if (status == 0 && want_dump)
		dump(c.prog);
out:
	et_compilation_free(&c);
	diag_free(diag);
	source_set_free(sources);
	return status;
}
