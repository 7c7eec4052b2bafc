/* store: map contents kept from one run to the next (the interactive session). See rt.h.
 *
 * A store holds one snapshot per map of the last run that saved into it (rt_map_snapshot: raw keys and
 * per-CPU values exactly as the kernel gave them), plus that run's program for the map descriptions.
 * Restoring writes each saved entry into the new object's map of the same name when the two agree: same
 * key and value types (type_equal), same per-CPU-ness and array-ness. A map that changed type starts
 * empty, as it would in a new program. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "program/program.h"
#include "program/types.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"

struct rt_map_store {
	const struct et_program *prog;     /* the program the snapshots describe (owned by the caller) */
	struct rt_map_snapshot *snaps;     /* one per prog->maps[i] */
	uint32_t nsnaps;
};

struct rt_map_store *rt_map_store_new(void)
{
	return rt_xcalloc(1, sizeof(struct rt_map_store));
}

static void store_drop(struct rt_map_store *st)
{
	uint32_t i;

	for (i = 0; i < st->nsnaps; i++)
		rt_map_snapshot_free(&st->snaps[i]);
	free(st->snaps);
	st->snaps = NULL;
	st->nsnaps = 0;
	st->prog = NULL;
}

void rt_map_store_free(struct rt_map_store *st)
{
	if (!st)
		return;
	store_drop(st);
	free(st);
}

const struct et_program *rt_map_store_program(const struct rt_map_store *st)
{
	return st ? st->prog : NULL;
}

static bool same_type(const struct et_type *a, const struct et_type *b)
{
	if (!a || !b)
		return a == b;
	return type_equal(a, b);
}

int rt_map_store_restore(const struct rt_map_store *st, const struct et_program *prog, const int *map_fds)
{
	uint32_t i, j;
	size_t k;
	int err = 0;

	if (!st)
		return 0;
	for (i = 0; i < prog->nmaps; i++) {
		const struct et_map_desc *m = &prog->maps[i];

		if (map_fds[i] < 0)
			continue;
		for (j = 0; j < st->nsnaps; j++) {
			const struct rt_map_snapshot *s = &st->snaps[j];
			const struct et_map_desc *old = s->desc;
			size_t stride = (size_t)s->value_slot * s->ncpus;

			if (!old || strcmp(old->name, m->name) != 0)
				continue;
			if (!same_type(old->key, m->key) || !same_type(old->value, m->value) || old->percpu != m->percpu || old->lru != m->lru)
				break; /* the map changed type: it starts empty */
			for (k = 0; k < s->count; k++)
				if (bpf_map_update_elem(map_fds[i], s->keys + k * s->key_size, s->values + k * stride,
							BPF_ANY) && !err)
					err = -errno;
			break;
		}
	}
	return err;
}

int rt_map_store_save(struct rt_map_store *st, const struct et_program *prog, const int *map_fds)
{
	uint32_t i;
	int err = 0;

	if (!st)
		return 0;
	store_drop(st);
	st->snaps = rt_xcalloc(prog->nmaps ? prog->nmaps : 1, sizeof(*st->snaps));
	st->nsnaps = prog->nmaps;
	st->prog = prog;
	for (i = 0; i < prog->nmaps; i++) {
		st->snaps[i].desc = &prog->maps[i];
		if (map_fds[i] < 0)
			continue;
		if (rt_map_snapshot_read(map_fds[i], &prog->maps[i], &st->snaps[i]) && !err)
			err = -EIO;
	}
	return err;
}

static int cmp_name(const void *a, const void *b)
{
	const struct rt_map_snapshot *x = *(const struct rt_map_snapshot *const *)a;
	const struct rt_map_snapshot *y = *(const struct rt_map_snapshot *const *)b;

	return strcmp(x->desc->name, y->desc->name);
}

size_t rt_map_store_print(const struct rt_map_store *st, const char *name, FILE *out, enum rt_format format)
{
	const struct rt_map_snapshot **order;
	struct rt_str o = {0};
	size_t printed = 0;
	uint32_t i, n = 0;

	if (!st || !st->nsnaps)
		return 0;
	order = rt_xcalloc(st->nsnaps, sizeof(*order));
	for (i = 0; i < st->nsnaps; i++)
		if (st->snaps[i].desc && (!name || strcmp(st->snaps[i].desc->name, name) == 0))
			order[n++] = &st->snaps[i];
	qsort(order, n, sizeof(*order), cmp_name);
	for (i = 0; i < n; i++) {
		if (format == RT_FORMAT_JSON)
			printed += rt_map_format_json(&o, st->prog, order[i], 0, 0, false);
		else
			printed += rt_map_format(&o, st->prog, order[i], 0, 0, false);
		rt_str_write(&o, out);
	}
	rt_str_free(&o);
	free(order);
	fflush(out);
	return printed;
}

int rt_map_store_clear(struct rt_map_store *st, const char *name)
{
	uint32_t i;

	if (!st)
		return -ENOENT;
	for (i = 0; i < st->nsnaps; i++) {
		struct rt_map_snapshot *s = &st->snaps[i];

		if (s->desc && strcmp(s->desc->name, name) == 0) {
			free(s->keys);
			free(s->values);
			s->keys = s->values = NULL;
			s->count = 0;
			return 0;
		}
	}
	return -ENOENT;
}
