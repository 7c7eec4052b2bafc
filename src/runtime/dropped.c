/* dropped: report what the programs could not record, from codegen's per-CPU counters:
 * - map updates dropped because a map was full (ET_DROPPED_MAP_NAME, element i = prog->maps[i]), one
 *   stderr line per map:
 *   @m: 123 updates dropped, map full at 4096 keys; raise with config = { max_map_keys = ... }
 * - user-memory reads by str()/buf() that failed (ET_READ_FAULTS_MAP_NAME), one line.
 * See rt_int.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../sema/program.h"
#include "rt.h"
#include "rt_int.h"

/* Element `key` of a per-CPU u64 array summed over the possible CPUs; 0 when it cannot be read. */
static uint64_t percpu_sum(int fd, uint32_t key)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t n = 0;

	if (fd < 0 || ncpus <= 0)
		return 0;
	uint64_t *vals = rt_xcalloc((size_t)ncpus, sizeof(*vals));
	if (bpf_map_lookup_elem(fd, &key, vals) == 0)
		for (int c = 0; c < ncpus; c++)
			n += vals[c];
	free(vals);
	return n;
}

uint64_t rt_report_read_faults(struct rt_run *r)
{
	const struct bpf_map *m;
	uint64_t n;

	if (!r->obj || !(m = bpf_object__find_map_by_name(r->obj, ET_READ_FAULTS_MAP_NAME)))
		return 0;
	if (!(n = percpu_sum(bpf_map__fd(m), 0)))
		return 0;
	if (r->opts->format == RT_FORMAT_JSON)
		fprintf(r->out, "{\"type\": \"read_faults\", \"data\": {\"reads\": %llu}}\n", (unsigned long long)n);
	fprintf(stderr, "%llu user-memory read%s by str()/buf() failed and gave an empty value (bad address, or a "
		"page not yet resident: a sleepable uprobe.s: probe can fault it in)\n", (unsigned long long)n,
		n == 1 ? "" : "s");
	return n;
}

uint64_t rt_report_dropped(struct rt_run *r)
{
	const struct bpf_map *m;
	uint64_t total = 0;

	if (!r->obj || !(m = bpf_object__find_map_by_name(r->obj, ET_DROPPED_MAP_NAME)))
		return 0;
	for (uint32_t i = 0; i < r->prog->nmaps; i++) {
		uint64_t n = percpu_sum(bpf_map__fd(m), i);

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
	return total;
}
