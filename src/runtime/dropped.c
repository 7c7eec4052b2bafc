/* dropped: report map updates the programs could not make because a map was full (counted per map by
 * codegen in the per-CPU array ET_DROPPED_MAP_NAME, element i = prog->maps[i]), one stderr line per map:
 *   @m: 123 updates dropped, map full at 4096 keys; raise with config = { max_map_keys = ... }
 * See rt_int.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../sema/program.h"
#include "rt.h"
#include "rt_int.h"

uint64_t rt_report_dropped(struct rt_run *r)
{
	const struct bpf_map *m;
	int ncpus, fd;
	uint64_t total = 0;

	if (!r->obj || !(m = bpf_object__find_map_by_name(r->obj, ET_DROPPED_MAP_NAME)))
		return 0;
	fd = bpf_map__fd(m);
	ncpus = libbpf_num_possible_cpus();
	if (fd < 0 || ncpus <= 0)
		return 0;
	uint64_t *vals = rt_xcalloc((size_t)ncpus, sizeof(*vals));
	for (uint32_t i = 0; i < r->prog->nmaps; i++) {
		uint64_t n = 0;

		if (bpf_map_lookup_elem(fd, &i, vals) != 0)
			continue;
		for (int c = 0; c < ncpus; c++)
			n += vals[c];
		if (!n)
			continue;
		total += n;
		if (r->opts->format == RT_FORMAT_JSON)
			fprintf(r->out, "{\"type\": \"dropped_updates\", \"data\": {\"map\": \"%s\", \"updates\": %llu, "
				"\"max_entries\": %u}}\n", r->prog->maps[i].name, (unsigned long long)n,
				r->prog->maps[i].max_entries);
		fprintf(stderr, "%s: %llu update%s dropped, map full at %u keys; raise with config = { max_map_keys = %u }\n",
			r->prog->maps[i].name, (unsigned long long)n, n == 1 ? "" : "s", r->prog->maps[i].max_entries,
			r->prog->maps[i].max_entries * 4);
	}
	free(vals);
	return total;
}
