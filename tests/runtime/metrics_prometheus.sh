#!/usr/bin/env bash
# --metrics scraped by a real Prometheus: the mission's count-per-comm map, restricted to getppid(), is
# served by etrace, scraped every second by `prometheus` (on 127.0.0.1, free ports, a data directory under
# $TMP), and the value Prometheus's query API returns for the child's comm equals the exact number of
# getppid() calls the child made and the count etrace prints at Ctrl-C; histogram_quantile over hist()
# and lhist() buckets gives the values their bucket bounds give; the per-probe run counts are exact.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
command -v prometheus >/dev/null || skip "needs prometheus (scripts/deps installs it)"
require_python "for the HTTP queries"
loop=$(build_prog getppid_loop etm_prom)
N=4320 # three threads of 1440 calls
snapshot_bpf

# free_port: a TCP port nothing listens on now (bound and released by the kernel's choice)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# http_get URL [ACCEPT]: the body on stdout; fails on a connection error or a status other than 200
http_get() {
	python3 - "$@" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Accept": sys.argv[2]} if len(sys.argv) > 2 else {})
try:
    sys.stdout.write(urllib.request.urlopen(req, timeout=5).read().decode())
except Exception as e:
    sys.stderr.write(f"{e}\n")
    sys.exit(1)
PY
}
# prom_value QUERY: the single value Prometheus returns for an instant query, or nothing
prom_value() {
	python3 - "http://127.0.0.1:$PPORT/api/v1/query" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "?" + urllib.parse.urlencode({"query": sys.argv[2]})
try:
    r = json.load(urllib.request.urlopen(url, timeout=5))
except Exception:
    sys.exit(0)
res = r.get("data", {}).get("result", [])
if r.get("status") == "success" and len(res) == 1:
    print(res[0]["value"][1])
PY
}

EPORT=$(free_port)
PPORT=$(free_port)
# getppid is system call 110 here: every call of the child lands in hist()'s [64, 128) bucket and in
# lhist()'s [100, 150); the uprobe runs once per thread of the child
start_etrace --metrics "$EPORT" -e 'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }
	tracepoint:syscalls:sys_enter_getppid /comm == "etm_prom"/ { @nr = hist(args.__syscall_nr);
		@nrl = lhist(args.__syscall_nr, 0, 200, 50); }
	uprobe:'"$loop"':loop { @threads = count(); }' ||
	{ fail "etrace attached with --metrics $EPORT"; finish; }
check "the loopback default is not announced as reachable from other hosts" \
	bash -c "! grep -q 'reachable from other hosts' '$ET_ERR'"

mkdir "$TMP/prom"
cat >"$TMP/prom/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: etrace
    static_configs:
      - targets: ['127.0.0.1:$EPORT']
YML
prometheus --config.file="$TMP/prom/prometheus.yml" --storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" >"$TMP/prom/log" 2>&1 &
PROM_PID=$!
BG_PIDS+=("$PROM_PID")
ready=
for _ in $(seq 1 $((100 * TIME_SCALE))); do
	http_get "http://127.0.0.1:$PPORT/-/ready" >/dev/null 2>&1 && { ready=1; break; }
	kill -0 "$PROM_PID" 2>/dev/null || break
	nap 0.2
done
if [ -z "$ready" ]; then
	fail "prometheus started on 127.0.0.1:$PPORT"
	tail -20 "$TMP/prom/log"
	stop_etrace INT
	finish
fi

"$loop" $N 3
# the scrape after the child's last call carries the final count; wait for Prometheus to have it
got=
for _ in $(seq 1 $((60 * TIME_SCALE))); do
	got=$(prom_value "etrace_map_total{comm=\"etm_prom\",job=\"etrace\"}")
	[ "$got" = "$N" ] && break
	nap 0.5
done
check "Prometheus's query API returns $N for the child's comm (got '${got:-nothing}')" test "$got" = "$N"
up=$(prom_value 'up{job="etrace"}')
check "Prometheus sees the etrace target up (up=${up:-nothing})" test "$up" = 1
lost=$(prom_value 'etrace_events_lost_total{job="etrace"}')
check "the health counter etrace_events_lost_total is scraped as 0 (got '${lost:-nothing}')" test "$lost" = 0
# histogram_quantile interpolates inside the bucket holding the quantile: N values in [64, 128), whose
# bounds etrace gives as le="63" and le="127", put the median at 63 + 64 / 2; lhist's at 99 + 50 / 2
q=$(prom_value 'histogram_quantile(0.5, etrace_nr_bucket{job="etrace"})')
check "histogram_quantile(0.5) of hist() through Prometheus is 95 (got '${q:-nothing}')" test "$q" = 95
q=$(prom_value 'histogram_quantile(1, etrace_nr_bucket{job="etrace"})')
check "histogram_quantile(1) of hist() is the bucket's top, 127 (got '${q:-nothing}')" test "$q" = 127
q=$(prom_value 'histogram_quantile(0.5, etrace_nrl_bucket{job="etrace"})')
check "histogram_quantile(0.5) of lhist() is 124 (got '${q:-nothing}')" test "$q" = 124
q=$(prom_value 'etrace_nr_count{job="etrace"}')
check "the histogram's _count is $N (got '${q:-nothing}')" test "$q" = "$N"
# per-probe run counts, as --stats shows them: the uprobe (the script's third probe) ran for each of the
# child's 3 threads
runs=$(prom_value 'etrace_probe_events_total{job="etrace",index="2"}')
check "etrace_probe_events_total of the uprobe is 3 (got '${runs:-nothing}')" test "$runs" = 3
bpf_time=$(prom_value 'etrace_probe_bpf_seconds_total{job="etrace",index="0"} > 0')
check "etrace_probe_bpf_seconds_total of the tracepoint is above 0 (got '${bpf_time:-nothing}')" test -n "$bpf_time"
# Prometheus asks for OpenMetrics first (its scrape Accept header), so it parsed etrace's OpenMetrics:
# its metadata then names a counter's family without _total
meta=$(python3 - "http://127.0.0.1:$PPORT/api/v1/metadata?metric=etrace_map" <<'PY'
import json, sys, urllib.request
try:
    r = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
    print(r["data"]["etrace_map"][0]["type"])
except Exception:
    pass
PY
)
check "Prometheus scraped OpenMetrics: the family etrace_map is a counter (got '${meta:-nothing}')" test "$meta" = counter

kill -TERM "$PROM_PID" 2>/dev/null
wait "$PROM_PID" 2>/dev/null
stop_etrace INT
check "etrace exits 0 after SIGINT" test "$ET_STATUS" = 0
check "etrace prints the same count at Ctrl-C: @[etm_prom]: $N" grep -qx "@\[etm_prom\]: $N" "$ET_OUT"
check "etrace prints the same histogram at Ctrl-C: [64, 128) $N" grep -qE "^\[64, 128\) +$N \|@+\|\$" "$ET_OUT"
check "the metrics port is closed after the run" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$EPORT) 2>/dev/null"
rm -rf "$TMP/prom"
check "nothing left behind" nothing_left_behind
finish
