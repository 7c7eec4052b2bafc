/* metrics: etrace --metrics [ADDR:]PORT, the program's maps served as Prometheus metrics while it runs.
 * rt_metrics_start() (main thread, after load, before attach) starts a libmicrohttpd daemon with its own
 * polling thread, bound to ADDR (127.0.0.1 when only a PORT is given; any other address is stated on
 * stderr, as it exposes the data to the network without TLS or authentication). The daemon serves
 *   GET /metrics  every exported map in the Prometheus text format 0.0.4, or OpenMetrics 1.0.0 when the
 *                 Accept header asks for application/openmetrics-text
 *   GET /         a short HTML page linking to /metrics
 * 404 for other paths, 405 for other methods; at most RT_METRICS_MAX_CONN connections, bounded request
 * memory and a connection timeout. A scrape reads the live maps (per-CPU values combined by maps.c,
 * walked by printer.c) and never clears or writes them; it never touches the ring buffer or the event
 * loop. Mapping (man etrace, METRICS): @name is the family etrace_name, the anonymous @ is etrace_map;
 * count() a counter (etrace_name_total), sum/min/max/avg and integers gauges, hist/lhist histograms,
 * stats a summary (_count, _sum) plus the gauge etrace_name_average; key fields are labels. Maps of other
 * values (strings, tuples...) and maps keyed by stacks or symbols are left out, with one warning at start.
 * Health: etrace_events_lost_total, etrace_map_full_drops_total{map="@m"}, etrace_read_faults_total, and
 * per probe (what --stats prints at exit) etrace_probe_events_total and etrace_probe_bpf_seconds_total
 * {probe="name",index="N"}, counted by the kernel while the run holds BPF_ENABLE_STATS (absent if refused).
 * rt_metrics_stop() (NULL-safe) stops the daemon, waiting for a scrape in progress; call it before the
 * maps are closed. Failure: rt_metrics_start reports to diag and returns NULL. */
#ifndef ET_RT_METRICS_H
#define ET_RT_METRICS_H
#include "runtime/rt_int.h"

#define RT_METRICS_MAX_CONN 16

struct rt_metrics *rt_metrics_start(struct rt_run *r, const char *spec);
void rt_metrics_stop(struct rt_metrics *m);
/* The /metrics document of the run now (what a scrape returns), appended to o. */
void rt_metrics_format(struct rt_metrics *m, struct rt_str *o, bool openmetrics);

#endif
