/* pcap: skboutput()'s packets, from the perf event array ET_SKB_MAP_NAME to pcap files.
 *
 * bpf_skb_output writes only into a BPF_MAP_TYPE_PERF_EVENT_ARRAY, so a program that calls skboutput()
 * has a perf buffer (one ring per CPU) beside the ring buffer of its other events; the event loop polls
 * both. Each record is a struct et_skb_hdr and the packet's bytes; it becomes one record of the pcap file
 * its call names (prog->skb_outputs[id].path; calls that name the same path share the file).
 *
 * The files are what bpftrace's libpcap writer makes, written here with stdio (the format is small):
 * the classic pcap format in the host's byte order, microsecond timestamps, snapshot length 65535,
 * link type RAW (101: the packet starts with its IP header, so an Ethernet header is left out with
 * the offset argument). A record's time is the boot-clock time of the call plus the wall-clock time
 * of boot; its bytes are the packet from the call's offset on (nothing is written when the offset is
 * past the packet's end, as in bpftrace), without the pad the perf record adds to 8 bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include "program/program.h"
#include "support/diag.h"
#include "runtime/rt_int.h"

#define PCAP_MAGIC 0xa1b2c3d4u  /* microsecond timestamps */
#define PCAP_SNAPLEN 65535u     /* libpcap's pcap_open_dead(DLT_RAW, 65535), as bpftrace opens it */
#define PCAP_LINKTYPE_RAW 101u  /* LINKTYPE_RAW: raw IPv4/IPv6 */
/* perf buffer pages per CPU (a power of two); perf_rb_pages overrides it as in bpftrace */
#define PCAP_PAGES 64u

struct rt_pcap {
	struct perf_buffer *pb;
	const struct et_skb_output *calls; /* prog->skb_outputs */
	FILE **files;           /* per call; calls with the same path share one FILE */
	bool *owner;            /* files[i] was opened (and is closed) for call i */
	uint32_t n;
	int64_t wall_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME when the files were opened */
	uint64_t lost;          /* samples the kernel dropped (a CPU's ring was full) */
	int write_errno;        /* the first failed write, reported once */
	const char *write_path;
};

static int64_t clock_offset_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000000 + (rt.tv_nsec - bt.tv_nsec);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void on_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct rt_pcap *pc = ctx;
	const uint8_t *pkt = (const uint8_t *)data + sizeof(struct et_skb_hdr);
	struct et_skb_hdr h;
	uint64_t len, off, ts;
	uint8_t rec[16];
	FILE *f;

	(void)cpu;
	if (size < sizeof(h))
		return;
	memcpy(&h, data, sizeof(h));
	if (h.id >= pc->n || !(f = pc->files[h.id]))
		return;
	len = h.len < size - sizeof(h) ? h.len : size - sizeof(h);
	off = pc->calls[h.id].offset;
	if (off >= len)
		return; /* nothing of the packet is left after the offset (bpftrace writes nothing either) */
	len -= off;
	ts = (uint64_t)((int64_t)h.boot_ns + pc->wall_offset_ns);
	put32(rec, (uint32_t)(ts / 1000000000));
	put32(rec + 4, (uint32_t)(ts % 1000000000 / 1000));
	put32(rec + 8, (uint32_t)len);  /* captured */
	put32(rec + 12, (uint32_t)len); /* on the wire, as far as the record knows */
	if ((fwrite(rec, 1, sizeof(rec), f) != sizeof(rec) || fwrite(pkt + off, 1, len, f) != len) &&
	    !pc->write_errno) {
		pc->write_errno = errno ? errno : EIO;
		pc->write_path = pc->calls[h.id].path;
	}
}

static void on_lost(void *ctx, int cpu, __u64 cnt)
{
	struct rt_pcap *pc = ctx;

	(void)cpu;
	pc->lost += cnt;
}

/* Create the file of call i, or share the one an earlier call with the same path created. */
static int open_file(struct rt_pcap *pc, uint32_t i, struct diag_sink *diag)
{
	const struct et_skb_output *c = &pc->calls[i];
	uint8_t h[24];

	for (uint32_t j = 0; j < i; j++) {
		if (strcmp(pc->calls[j].path, c->path) == 0) {
			pc->files[i] = pc->files[j];
			return 0;
		}
	}
	pc->files[i] = fopen(c->path, "we");
	if (!pc->files[i]) {
		int err = -errno;

		diag_error(diag, c->loc, "skboutput(): cannot create the pcap file %s: %s", c->path, strerror(errno));
		return err;
	}
	pc->owner[i] = true;
	put32(h, PCAP_MAGIC);
	put16(h + 4, 2); /* version 2.4 */
	put16(h + 6, 4);
	put32(h + 8, 0);  /* GMT */
	put32(h + 12, 0); /* timestamp accuracy */
	put32(h + 16, PCAP_SNAPLEN);
	put32(h + 20, PCAP_LINKTYPE_RAW);
	if (fwrite(h, 1, sizeof(h), pc->files[i]) != sizeof(h) || fflush(pc->files[i])) {
		int err = -errno;

		diag_error(diag, c->loc, "skboutput(): cannot write the pcap file %s: %s", c->path, strerror(errno));
		return err;
	}
	return 0;
}

int rt_pcap_open(struct rt_run *r)
{
	const struct et_program *prog = r->prog;
	struct rt_pcap *pc;
	struct bpf_map *m;
	uint32_t pages = prog->ringbuf_pages ? prog->ringbuf_pages : PCAP_PAGES;
	int err;

	if (!prog->nskb_outputs)
		return 0;
	pc = rt_xcalloc(1, sizeof(*pc));
	pc->calls = prog->skb_outputs;
	pc->n = prog->nskb_outputs;
	pc->files = rt_xcalloc(pc->n, sizeof(*pc->files));
	pc->owner = rt_xcalloc(pc->n, sizeof(*pc->owner));
	r->pcap = pc;
	m = bpf_object__find_map_by_name(r->obj, ET_SKB_MAP_NAME);
	if (!m) {
		diag_error(r->diag, prog->skb_outputs[0].loc, "skboutput(): the program has no map %s", ET_SKB_MAP_NAME);
		return -ENOENT;
	}
	pc->pb = perf_buffer__new(bpf_map__fd(m), pages, on_sample, on_lost, pc, NULL);
	if (!pc->pb) {
		err = -errno;
		diag_error(r->diag, prog->skb_outputs[0].loc, "skboutput(): cannot open the perf buffer of %s (%u pages "
			   "a CPU): %s", ET_SKB_MAP_NAME, pages, strerror(errno));
		return err;
	}
	for (uint32_t i = 0; i < pc->n; i++) {
		err = open_file(pc, i, r->diag);
		if (err)
			return err;
	}
	pc->wall_offset_ns = clock_offset_ns();
	return 0;
}

int rt_pcap_epoll_fd(const struct rt_run *r)
{
	return r->pcap ? perf_buffer__epoll_fd(r->pcap->pb) : -1;
}

void rt_pcap_consume(struct rt_run *r)
{
	struct rt_pcap *pc = r->pcap;

	if (!pc || !pc->pb)
		return;
	perf_buffer__consume(pc->pb);
	for (uint32_t i = 0; i < pc->n; i++)
		if (pc->owner[i] && fflush(pc->files[i]) && !pc->write_errno) {
			pc->write_errno = errno;
			pc->write_path = pc->calls[i].path;
		}
}

uint64_t rt_pcap_lost(const struct rt_run *r)
{
	return r->pcap ? r->pcap->lost : 0;
}

void rt_pcap_close(struct rt_run *r)
{
	struct rt_pcap *pc = r->pcap;

	if (!pc)
		return;
	perf_buffer__free(pc->pb);
	for (uint32_t i = 0; i < pc->n; i++)
		if (pc->owner[i] && fclose(pc->files[i]) && !pc->write_errno) {
			pc->write_errno = errno;
			pc->write_path = pc->calls[i].path;
		}
	if (pc->write_errno)
		fprintf(stderr, "ERROR: skboutput(): writing the pcap file %s failed: %s\n", pc->write_path,
			strerror(pc->write_errno));
	free(pc->files);
	free(pc->owner);
	free(pc);
	r->pcap = NULL;
}
