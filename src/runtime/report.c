/* report: what -v says about a loaded program and what --stats says at exit (both to stderr).
 *   -v, after attach: per probe how it was attached (raw tracepoint because the body reads no args,
 *   perf tracepoint, perf event...), its section, program id, xlated instruction count and JIT size;
 *   per map its kernel kind (per-CPU hash, array...), key/value sizes, max entries, and for count()/sum()
 *   that the hot path updates the per-CPU value in place (one lookup; the update call only on a miss).
 *   --stats, at exit: events per probe (run_cnt / run_time_ns, counted while etrace holds a
 *   BPF_ENABLE_STATS fd, i.e. kernel.bpf_stats_enabled for the run), lost ring-buffer records, map-full
 *   drops, and the time of load and attach (the driver adds parse, sema/BTF and codegen). --metrics
 *   serves the same per-probe counts while the program runs.
 * See rt_int.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "probes/provider.h"
#include "program/program.h"
#include "program/types.h"
#include "runtime/rt.h"
#include "runtime/rt_int.h"

uint64_t rt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *how_attached(const struct et_probe_desc *p, enum bpf_prog_type type)
{
	const char *how = p->provider && p->provider->how_attached ? p->provider->how_attached(p) : NULL;

	if (how)
		return how;
	switch (type) {
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
		return "raw tracepoint";
	case BPF_PROG_TYPE_TRACEPOINT:
		return "perf tracepoint";
	case BPF_PROG_TYPE_PERF_EVENT:
		return "perf event";
	case BPF_PROG_TYPE_KPROBE:
		return "kprobe/uprobe";
	default:
		return libbpf_bpf_prog_type_str(type) ? libbpf_bpf_prog_type_str(type) : "?";
	}
}

static int prog_info(struct rt_run *r, uint32_t i, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (!r->progs || !r->progs[i] || bpf_program__fd(r->progs[i]) < 0)
		return -ENOENT;
	return bpf_obj_get_info_by_fd(bpf_program__fd(r->progs[i]), info, &len) ? -errno : 0;
}

static const char *map_kind(enum bpf_map_type t)
{
	switch (t) {
	case BPF_MAP_TYPE_PERCPU_HASH:
		return "per-CPU hash";
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return "per-CPU array";
	case BPF_MAP_TYPE_HASH:
		return "hash";
	case BPF_MAP_TYPE_ARRAY:
		return "array";
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return "LRU per-CPU hash";
	default:
		return libbpf_bpf_map_type_str(t) ? libbpf_bpf_map_type_str(t) : "?";
	}
}

static const char *update_style(const struct et_map_desc *d)
{
	switch (d->value ? d->value->kind : ET_VOID) {
	case ET_AGG_COUNT:
	case ET_AGG_SUM:
		return "in-place updates (one lookup per event, insert only on a miss)";
	case ET_AGG_MIN:
	case ET_AGG_MAX:
	case ET_AGG_AVG:
	case ET_AGG_STATS:
	case ET_AGG_HIST:
	case ET_AGG_LHIST:
	case ET_AGG_TSERIES:
		return "in-place per-CPU updates";
	default:
		return "update per assignment";
	}
}

void rt_report_verbose(struct rt_run *r)
{
	uint32_t i;

	for (i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		struct bpf_prog_info info;

		if (prog_info(r, i, &info)) {
			fprintf(stderr, "probe %s: not loaded\n", p->name);
			continue;
		}
		fprintf(stderr, "probe %s: %s, section %s, prog id %u, %u xlated insns, %u bytes jited\n", p->name,
			how_attached(p, info.type), p->section ? p->section : "?", info.id, info.xlated_prog_len / 8,
			info.jited_prog_len);
	}
	for (i = 0; i < r->prog->nmaps; i++) {
		const struct et_map_desc *d = &r->prog->maps[i];
		struct bpf_map_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!r->map_fds || r->map_fds[i] < 0 || bpf_obj_get_info_by_fd(r->map_fds[i], &info, &len))
			continue;
		fprintf(stderr, "map %s: %s, map id %u, key %u B, value %u B, max %u entries, %s\n", d->name,
			map_kind(info.type), info.id, info.key_size, info.value_size, info.max_entries, update_style(d));
	}
	/* the ring buffer's size (config perf_rb_pages, or etrace's choice) */
	struct bpf_map *rb = r->prog->ringbuf_name ? bpf_object__find_map_by_name(r->obj, r->prog->ringbuf_name) : NULL;
	if (rb) {
		long page = sysconf(_SC_PAGESIZE);
		uint32_t size = bpf_map__max_entries(rb);
		fprintf(stderr, "ring buffer %s: %u KiB (%u pages)\n", r->prog->ringbuf_name, size >> 10,
			page > 0 ? size / (uint32_t)page : 0);
	}
}

void rt_stats_begin(struct rt_run *r)
{
	r->stats_fd = -1;
	if (r->opts->stats || r->opts->metrics)
		r->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME); /* -1: stats are not counted, said below */
}

bool rt_probe_run_stats(struct rt_run *r, uint32_t i, uint64_t *runs, uint64_t *bpf_ns)
{
	struct bpf_prog_info info;

	*runs = *bpf_ns = 0;
	if (r->stats_fd < 0 || prog_info(r, i, &info))
		return false;
	*runs = info.run_cnt;
	*bpf_ns = info.run_time_ns;
	return true;
}

void rt_report_stats(struct rt_run *r, uint64_t lost, uint64_t dropped)
{
	uint32_t i;

	fprintf(stderr, "--- etrace stats ---\n");
	for (i = 0; i < r->prog->nprobes; i++) {
		const struct et_probe_desc *p = &r->prog->probes[i];
		struct bpf_prog_info info;
		uint64_t runs, ns;

		if (prog_info(r, i, &info))
			continue;
		if (!rt_probe_run_stats(r, i, &runs, &ns))
			fprintf(stderr, "probe %s: events not counted (BPF_ENABLE_STATS failed)\n", p->name);
		else
			fprintf(stderr, "probe %s: %llu events, %llu ns in BPF (%.1f ns/event)\n", p->name,
				(unsigned long long)runs, (unsigned long long)ns, runs ? (double)ns / (double)runs : 0.0);
	}
	fprintf(stderr, "lost events: %llu\nmap-full drops: %llu\n", (unsigned long long)lost,
		(unsigned long long)dropped);
	fprintf(stderr, "time load: %.2f ms\ntime attach: %.2f ms\n", (double)r->load_ns / 1e6,
		(double)r->attach_ns / 1e6);
}

void rt_stats_end(struct rt_run *r)
{
	if (r->stats_fd >= 0)
		close(r->stats_fd);
	r->stats_fd = -1;
}
