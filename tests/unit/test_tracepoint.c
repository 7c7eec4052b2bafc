/* test_tracepoint: tracepoint_args_type() on this kernel's tracefs formats (root: etrace mounts tracefs
 * itself; skip 77 otherwise), the raw-attach rule, and tracepoint expansion with wildcards.
 * The expected names, offsets and sizes are read independently from the same format files with a
 * plain line scanner, and the well-known layouts of raw_syscalls:sys_enter and sched:sched_switch
 * are checked by value. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/provider.h"
#include "kernel/tracefs.h"
#include "probes/tracepoint.h"
#include "program/types.h"
#include "support/arena.h"
#include "support/diag.h"
#include "support/source.h"
#include "tests/unit/check.h"

static const struct et_field *field(const struct et_type *t, const char *name)
{
	uint32_t i;

	for (i = 0; i < t->nfields; i++)
		if (strcmp(t->fields[i].name, name) == 0)
			return &t->fields[i];
	return NULL;
}

/* Compare every field with what the format file says (offset, size, count). */
static void check_against_format(const struct et_type *t, const char *cat, const char *ev)
{
	char path[512], line[1024];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs_root(), cat, ev);
	f = fopen(path, "r");
	CHECK(f != NULL, "open %s: %s", path, strerror(errno));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *fld = strstr(line, "field:"), *semi, *name;
		unsigned off, size;
		const struct et_field *ef;

		if (!fld || !(semi = strchr(fld, ';')))
			continue;
		if (sscanf(strstr(semi, "offset:"), "offset:%u;", &off) != 1 ||
		    sscanf(strstr(semi, "size:"), "size:%u;", &size) != 1)
			continue;
		*semi = 0;
		if (semi[-1] == ']')
			*strrchr(fld, '[') = 0;
		name = strrchr(fld, ' ');
		name = name ? name + 1 : fld;
		ef = field(t, name);
		CHECK(ef != NULL, "%s:%s: field %s missing", cat, ev, name);
		if (ef) {
			CHECK(ef->offset == off, "%s: offset %u, format says %u", name, ef->offset, off);
			CHECK(ef->type->size == size, "%s: size %u, format says %u", name, ef->type->size, size);
		}
		n++;
	}
	fclose(f);
	CHECK(n == t->nfields && n > 4, "%s:%s: %u fields in the format, %u in the type", cat, ev, n, t->nfields);
}

static void check_expand(struct arena *a, const char *spec, unsigned min_expected, const char *must_contain)
{
	const char *parts[3] = {"tracepoint", NULL, NULL};
	char buf[256], *colon;
	struct source_set *ss = source_set_new();
	struct diag_sink *d = diag_new(ss);
	struct provider_expand_ctx ctx = {.arena = a, .diag = d};
	struct ast_attach ap = {.text = spec, .nparts = 3, .parts = parts};
	const struct et_provider *pv = provider_find("t");
	unsigned i;
	bool found = false;
	int err;

	snprintf(buf, sizeof(buf), "%s", spec);
	colon = strchr(buf, ':');
	*colon = 0;
	parts[1] = buf;
	parts[2] = colon + 1;
	CHECK(pv && strcmp(pv->name, "tracepoint") == 0, "alias t");
	err = pv->expand(&ap, &ctx);
	CHECK(err == 0 && ctx.nprobes >= min_expected, "expand %s: err %d, %u probes", spec, err, ctx.nprobes);
	for (i = 0; i < ctx.nprobes; i++) {
		char sec[256];

		snprintf(sec, sizeof(sec), "tracepoint/%s/%s", ctx.probes[i].target, ctx.probes[i].func);
		CHECK(strcmp(ctx.probes[i].section, sec) == 0, "section %s", ctx.probes[i].section);
		if (strcmp(ctx.probes[i].name, must_contain) == 0)
			found = true;
	}
	CHECK(found, "expand %s: %s not among the probes", spec, must_contain);
	diag_free(d);
	source_set_free(ss);
}

int main(void)
{
	struct arena *a;
	struct et_type *t;
	const struct et_field *f;

	if (geteuid() != 0) {
		printf("SKIP: needs root to read (and mount) tracefs\n");
		return 77;
	}
	if (!tracefs_root()) {
		printf("SKIP: tracefs is not available: %s\n", strerror(errno));
		return 77;
	}
	a = arena_new();

	t = tracepoint_args_type(a, "raw_syscalls", "sys_enter");
	CHECK(t != NULL, "raw_syscalls:sys_enter: %s", strerror(errno));
	if (t) {
		CHECK(t->kind == ET_STRUCT && strcmp(t->name, "struct tracepoint:raw_syscalls:sys_enter") == 0,
		      "name %s", t->name);
		f = field(t, "id");
		CHECK(f && f->offset == 8 && f->type->kind == ET_INT && f->type->size == 8 && f->type->is_signed,
		      "id: long at 8");
		f = field(t, "args");
		CHECK(f && f->offset == 16 && f->type->kind == ET_ARRAY && f->type->count == 6 &&
			      f->type->elem->size == 8 && !f->type->elem->is_signed,
		      "args: unsigned long[6] at 16");
		f = field(t, "common_pid");
		CHECK(f && f->offset == 4 && f->type->size == 4 && f->type->is_signed, "common_pid: int at 4");
		check_against_format(t, "raw_syscalls", "sys_enter");
	}

	t = tracepoint_args_type(a, "sched", "sched_switch");
	CHECK(t != NULL, "sched:sched_switch: %s", strerror(errno));
	if (t) {
		f = field(t, "prev_comm");
		CHECK(f && f->offset == 8 && f->type->kind == ET_STRING && f->type->size == 16, "prev_comm string[16]");
		f = field(t, "next_comm");
		CHECK(f && f->type->kind == ET_STRING && f->type->size == 16, "next_comm string[16]");
		f = field(t, "prev_pid");
		CHECK(f && f->type->kind == ET_INT && f->type->size == 4 && f->type->is_signed, "prev_pid pid_t");
		f = field(t, "prev_state");
		CHECK(f && f->type->kind == ET_INT && f->type->size == 8, "prev_state long");
		check_against_format(t, "sched", "sched_switch");
	}

	/* syscalls: a `const char *` argument is a pointer; `int` arguments are 8 bytes there, and
	 * unsigned: today's bpftrace takes the sign from the format's signed flag */
	t = tracepoint_args_type(a, "syscalls", "sys_enter_openat");
	if (t) {
		f = field(t, "filename");
		CHECK(f && f->type->kind == ET_POINTER && f->type->size == 8 && f->type->space == ET_AS_USER,
		      "filename: user pointer");
		f = field(t, "dfd");
		CHECK(f && f->type->kind == ET_INT && f->type->size == 8 && !f->type->is_signed,
		      "dfd: 8 bytes, unsigned as the format says (signed:0)");
	}

	/* a __data_loc field: the u32 offset/length word, named by its C type so codegen finds the data */
	t = tracepoint_args_type(a, "sched", "sched_process_exec");
	if (t) {
		f = field(t, "filename");
		CHECK(f && f->type->kind == ET_INT && f->type->size == 4 && f->type->name &&
		      strcmp(f->type->name, "__data_loc char[]") == 0, "filename: __data_loc char[]");
	}

	errno = 0;
	CHECK(tracepoint_args_type(a, "no_such_category", "no_such_event") == NULL && errno == ENOENT,
	      "missing tracepoint: errno %d", errno);

	CHECK(tracepoint_can_attach_raw("raw_syscalls", "sys_enter"), "raw_syscalls is raw-attachable");
	CHECK(tracepoint_can_attach_raw("sched", "sched_switch"), "sched_switch is raw-attachable");
	CHECK(!tracepoint_can_attach_raw("syscalls", "sys_enter_openat"), "syscalls:* are not tracepoints");

	check_expand(a, "raw_syscalls:sys_*", 2, "tracepoint:raw_syscalls:sys_exit");
	check_expand(a, "sch*:sched_switch", 1, "tracepoint:sched:sched_switch");

	arena_free(a);
	if (failures) {
		fprintf(stderr, "%d failure(s)\n", failures);
		return 1;
	}
	printf("test_tracepoint: ok\n");
	return 0;
}
