/* dropped: report what the programs could not record, from codegen's .bss counters (cg_dropped.c):
 * - map updates dropped because a map was full (ET_DROPPED_MAP_NAME, element i = prog->maps[i]): only
 *   counted, for --stats and --metrics (each one is reported when it happens, an ET_EV_HELPER_ERROR);
 * - user-memory reads by str()/buf() that failed (ET_READ_FAULTS_MAP_NAME), one line;
 * - ring buffer records lost (prog->lost_map_name), for rt_lost_events.
 * And it sets the stop flag ET_STOP_FLAG_NAME in the same .bss (rt_stop_probes).
 * See rt_int.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/membarrier.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "program/program.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"

/* The ".bss" map (all of codegen's counters and the stop flag); NULL without one. */
static struct bpf_map *bss_map(struct rt_run *r)
{
	struct bpf_map *m, *bss = NULL;

	if (!r->obj)
		return NULL;
	bpf_object__for_each_map(m, r->obj) {
		const char *n = bpf_map__name(m);
		size_t l = strlen(n);

		if (l >= 4 && strcmp(n + l - 4, ".bss") == 0)
			bss = m;
	}
	return bss;
}

/* The value of the ".bss" map, malloc'ed, and its size; NULL without one. */
static uint8_t *bss_value(struct rt_run *r, size_t *size)
{
	struct bpf_map *bss = bss_map(r);
	uint32_t key = 0;

	if (!bss || bpf_map__fd(bss) < 0 || !(*size = bpf_map__value_size(bss)))
		return NULL;
	uint8_t *v = rt_xcalloc(1, *size);
	if (bpf_map_lookup_elem(bpf_map__fd(bss), &key, v) != 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* Where element `index` of the .bss u64 array `name` sits in a .bss value of `size` bytes (found through
 * the BTF DATASEC ".bss"); false when there is no such element. */
static bool bss_offset(struct rt_run *r, size_t size, const char *name, uint32_t index, size_t *off)
{
	struct btf *btf = r->obj ? bpf_object__btf(r->obj) : NULL;
	int id = btf ? btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC) : -1;

	if (id < 0)
		return false;
	const struct btf_type *sec = btf__type_by_id(btf, (__u32)id);
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);
		const char *vn = var ? btf__name_by_offset(btf, var->name_off) : NULL;

		if (vn && strcmp(vn, name) == 0 && (uint64_t)index * 8 + 8 <= vs->size &&
		    vs->offset + (uint64_t)index * 8 + 8 <= size) {
			*off = vs->offset + (size_t)index * 8;
			return true;
		}
	}
	return false;
}

/* Element `index` of the .bss u64 array `name` in the value `bss`; 0 when there is no such counter. */
static uint64_t counter(struct rt_run *r, const uint8_t *bss, size_t size, const char *name, uint32_t index)
{
	uint64_t n = 0;
	size_t off;

	if (bss && bss_offset(r, size, name, index, &off))
		memcpy(&n, bss + off, 8);
	return n;
}

bool rt_stop_probes(struct rt_run *r)
{
	if (!rt_set_stop_flag(r, true))
		return false;
	/* a probe that read 0 just before the store may still be updating a map: a non-sleepable run sits
	 * in an RCU read-side section, so one grace period (membarrier's GLOBAL command is synchronize_rcu)
	 * ends it; where membarrier is not there, a short sleep covers a run that takes microseconds. The
	 * runs under RCU tasks-trace (syscall tracepoints, uprobe.s) are the caller's: rt_detach_one_perf. */
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) != 0)
		usleep(10000);
	return true;
}

bool rt_set_stop_flag(struct rt_run *r, bool on)
{
	struct bpf_map *bss = bss_map(r);
	size_t size = bss ? bpf_map__value_size(bss) : 0, off, len;
	uint8_t *mem;

	/* the kernel's .bss, mapped (codegen's globals are BPF_F_MMAPABLE; libbpf maps it over its initial
	 * value only for skeletons): a store there is what the programs load. A lookup and update of the
	 * whole value instead would race with the atomic adds to the counters beside the flag, so without
	 * the mapping the caller detaches. */
	if (!bss || bpf_map__fd(bss) < 0 || !(bpf_map__map_flags(bss) & BPF_F_MMAPABLE) ||
	    !bss_offset(r, size, ET_STOP_FLAG_NAME, 0, &off))
		return false;
	len = (size + (size_t)sysconf(_SC_PAGESIZE) - 1) & ~((size_t)sysconf(_SC_PAGESIZE) - 1);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(bss), 0);
	if (mem == MAP_FAILED)
		return false;
	__atomic_store_n((uint64_t *)(void *)(mem + off), on ? 1 : 0, __ATOMIC_SEQ_CST);
	munmap(mem, len);
	return true;
}

uint64_t rt_lost_events(struct rt_run *r)
{
	size_t size = 0;
	uint8_t *bss = r->prog->lost_map_name ? bss_value(r, &size) : NULL;
	uint64_t n = bss ? counter(r, bss, size, r->prog->lost_map_name, 0) : 0;

	free(bss);
	return n;
}

void rt_report_lost(FILE *out, bool json, uint64_t lost)
{
	if (!lost)
		return;
	if (json)
		fprintf(out, "{\"type\": \"lost_events\", \"count\": %llu, \"data\": {\"events\": %llu}}\n",
			(unsigned long long)lost, (unsigned long long)lost);
	else
		fprintf(stderr, "Lost %llu events\n", (unsigned long long)lost);
	fflush(out);
	fprintf(stderr, "WARNING: Total lost event count: %llu\n", (unsigned long long)lost);
}

void rt_counters_read(struct rt_run *r, uint64_t *lost, uint64_t *read_faults, uint64_t *dropped)
{
	size_t size = 0;
	uint8_t *bss = bss_value(r, &size);

	*lost = r->prog->lost_map_name ? counter(r, bss, size, r->prog->lost_map_name, 0) : 0;
	*read_faults = counter(r, bss, size, ET_READ_FAULTS_MAP_NAME, 0);
	for (uint32_t i = 0; dropped && i < r->prog->nmaps; i++)
		dropped[i] = counter(r, bss, size, ET_DROPPED_MAP_NAME, i);
	free(bss);
}

uint64_t rt_report_read_faults(struct rt_run *r)
{
	size_t size = 0;
	uint8_t *bss = bss_value(r, &size);
	uint64_t n = counter(r, bss, size, ET_READ_FAULTS_MAP_NAME, 0);

	free(bss);
	if (!n)
		return 0;
	if (r->opts->format == RT_FORMAT_JSON)
		fprintf(r->out, "{\"type\": \"read_faults\", \"data\": {\"reads\": %llu}}\n", (unsigned long long)n);
	fprintf(stderr, "%llu user-memory read%s by str()/buf() failed and gave an empty value (bad address, or a "
		"page not yet resident: a sleepable uprobe.s: probe can fault it in)\n", (unsigned long long)n,
		n == 1 ? "" : "s");
	return n;
}

uint64_t rt_dropped_total(struct rt_run *r)
{
	size_t size = 0;
	uint8_t *bss = bss_value(r, &size);
	uint64_t total = 0;

	for (uint32_t i = 0; bss && i < r->prog->nmaps; i++)
		total += counter(r, bss, size, ET_DROPPED_MAP_NAME, i);
	free(bss);
	return total;
}
