#!/usr/bin/env bash
# --metrics scraped by a real Prometheus: the mission's count-per-comm map, restricted to getppid(), is
# served by etrace, scraped every second by `prometheus` (on 127.0.0.1, free ports, a data directory under
# $TMP), and the value Prometheus's query API returns for the child's comm equals the exact number of
# getppid() calls the child made and the count etrace prints at Ctrl-C.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
command -v prometheus >/dev/null || skip "needs prometheus (scripts/deps installs it)"
command -v python3 >/dev/null || skip "needs python3 for the HTTP queries"
loop=$(build_prog getppid_loop etm_prom)
N=4321
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
start_etrace --metrics "$EPORT" -e 'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }' ||
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

"$loop" $N
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

kill -TERM "$PROM_PID" 2>/dev/null
wait "$PROM_PID" 2>/dev/null
stop_etrace INT
check "etrace exits 0 after SIGINT" test "$ET_STATUS" = 0
check "etrace prints the same count at Ctrl-C: @[etm_prom]: $N" grep -qx "@\[etm_prom\]: $N" "$ET_OUT"
check "the metrics port is closed after the run" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$EPORT) 2>/dev/null"
rm -rf "$TMP/prom"
check "nothing left behind" nothing_left_behind
finish
