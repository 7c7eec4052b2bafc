#!/usr/bin/env bash
# --metrics' exposition: every map kind (count, sum, min, max, avg, stats, hist, lhist, a plain integer,
# the anonymous @) with comm keys holding a quote, a backslash, a newline and a byte that is not UTF-8,
# checked by `promtool check metrics` and against the exact lines the mapping gives; the OpenMetrics form
# on request; a map of strings left out with one warning; 404/405; the server binds 127.0.0.1 by default
# and states a bind to any other address on stderr; a bad address fails before anything is attached.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
command -v promtool >/dev/null || skip "needs promtool (package prometheus; scripts/deps installs it)"
require_python "for the HTTP requests"
snapshot_bpf

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# http METHOD URL [ACCEPT]: prints the status, the Content-Type, then the body
http() {
	python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
method, url = sys.argv[1], sys.argv[2]
req = urllib.request.Request(url, method=method, headers={"Accept": sys.argv[3]} if len(sys.argv) > 3 else {})
try:
    r = urllib.request.urlopen(req, timeout=5)
except urllib.error.HTTPError as e:
    r = e
print(r.status)
print(r.headers.get("Content-Type"))
sys.stdout.write(r.read().decode())
PY
}
# calls COMM N: a process named COMM (raw bytes, written to /proc/self/comm) makes N getppid() calls
calls() {
	python3 -c 'import os, sys
open("/proc/self/comm", "wb").write(os.fsencode(sys.argv[1]))
for _ in range(int(sys.argv[2])): os.getppid()' "$1" "$2"
}

cat >"$TMP/kinds.bt" <<'BT'
tracepoint:syscalls:sys_enter_getppid /strncmp(comm, "etm", 3) == 0/ {
	@calls[comm] = count();
	@amount[comm] = sum(3);
	@low[comm] = min(-2);
	@high[comm] = max(9);
	@mean[comm] = avg(7);
	@dist[comm] = stats(7);
	@log2[comm] = hist(5);
	@linear[comm] = lhist(5, 0, 10, 2);
	@plain[comm] = 5;
	@name[comm] = comm;
	@ = count();
	@pair[comm, pid + 1, curtask->tgid] = count();
	@said["\"hi\""] = count();
}
BT
PORT=$(free_port)
start_etrace --metrics "$PORT" "$TMP/kinds.bt" || { fail "etrace attached with --metrics $PORT"; finish; }
check "one warning at start names the map of strings left out" \
	grep -qx 'WARNING: --metrics leaves out @name (its values are not numbers)' "$ET_ERR"
hexport=$(printf '%04X' "$PORT")
listening=$(grep -h ":$hexport 00000000:0000 0A " /proc/net/tcp /proc/net/tcp6 | awk '{print $2}')
check "the server listens on 127.0.0.1 only (/proc/net/tcp: '$listening')" test "$listening" = "0100007F:$hexport"
calls 'etm"q' 2
calls 'etm\b' 2
calls $'etm\nn' 2
calls $'etm\xffx' 2
http GET "http://127.0.0.1:$PORT/metrics" >"$TMP/resp"
check "GET /metrics: 200, text format 0.0.4" \
	test "$(head -2 "$TMP/resp")" = $'200\ntext/plain; version=0.0.4; charset=utf-8'
tail -n +3 "$TMP/resp" >"$TMP/metrics.txt"
check "promtool check metrics passes" promtool check metrics <"$TMP/metrics.txt"
promtool check metrics <"$TMP/metrics.txt" 2>&1 | head -5

# the samples of comm 'etm"q' (the other comms give the same values), its label value escaped
q='comm="etm\"q"'
cat >"$TMP/want" <<WANT
# TYPE etrace_calls_total counter
etrace_calls_total{$q} 2
# TYPE etrace_amount gauge
etrace_amount{$q} 6
# TYPE etrace_low gauge
etrace_low{$q} -2
# TYPE etrace_high gauge
etrace_high{$q} 9
# TYPE etrace_mean gauge
etrace_mean{$q} 7
# TYPE etrace_dist summary
etrace_dist_count{$q} 2
etrace_dist_sum{$q} 14
# TYPE etrace_dist_average gauge
etrace_dist_average{$q} 7
# TYPE etrace_log2 histogram
etrace_log2_bucket{$q,le="0"} 0
etrace_log2_bucket{$q,le="1"} 0
etrace_log2_bucket{$q,le="3"} 0
etrace_log2_bucket{$q,le="7"} 2
etrace_log2_bucket{$q,le="+Inf"} 2
etrace_log2_sum{$q} 8
etrace_log2_count{$q} 2
# TYPE etrace_linear histogram
etrace_linear_bucket{$q,le="-1"} 0
etrace_linear_bucket{$q,le="1"} 0
etrace_linear_bucket{$q,le="3"} 0
etrace_linear_bucket{$q,le="5"} 2
etrace_linear_bucket{$q,le="+Inf"} 2
etrace_linear_sum{$q} 8
etrace_linear_count{$q} 2
# TYPE etrace_plain gauge
etrace_plain{$q} 5
# TYPE etrace_map_total counter
etrace_map_total 8
WANT
grep -F -e '# TYPE etrace_' -e "$q" -e 'etrace_map_total ' "$TMP/metrics.txt" |
	grep -v -e "^# HELP" -e etrace_pair -e etrace_said -e '^# TYPE etrace_events_lost' -e '^# TYPE etrace_map_full' -e '^# TYPE etrace_read_faults' \
		-e '^# TYPE etrace_probe_' >"$TMP/got"
check "every kind maps to its family, type and values" diff "$TMP/want" "$TMP/got"
check "a backslash is escaped" grep -qxF 'etrace_calls_total{comm="etm\\b"} 2' "$TMP/metrics.txt"
check "a newline is escaped" grep -qxF 'etrace_calls_total{comm="etm\nn"} 2' "$TMP/metrics.txt"
check "a byte that is not UTF-8 becomes the text \\xff" \
	grep -qxF 'etrace_calls_total{comm="etm\\xffx"} 2' "$TMP/metrics.txt"
check "HELP is the script line that writes the map, and where" \
	grep -qxF "# HELP etrace_amount @amount[comm] = sum(3); ($TMP/kinds.bt:3)" "$TMP/metrics.txt"
pair=$(grep -F "etrace_pair_total{$q," "$TMP/metrics.txt")
labels_named() {
	local re='^etrace_pair_total\{comm="etm\\"q",key1="([0-9]+)",tgid="([0-9]+)"\} 2$'
	[[ $pair =~ $re ]] && ((BASH_REMATCH[1] == BASH_REMATCH[2] + 1))
}
check "labels: a builtin and a field give their names, other keys their position ('$pair')" labels_named
check "no map of strings" bash -c "! grep -q etrace_name '$TMP/metrics.txt'"
check "health counters" grep -qxF 'etrace_map_full_drops_total{map="@calls"} 0' "$TMP/metrics.txt"
# the probe's runs (every getppid() on the machine while it is attached: at least the test's 8 calls)
# and its time in BPF, labelled with its name and its position in the script
runs_line() {
	local re='^etrace_probe_events_total\{probe="tracepoint:syscalls:sys_enter_getppid",index="0"\} ([0-9]+)$'
	local l
	l=$(grep '^etrace_probe_events_total' "$TMP/metrics.txt")
	[[ $l =~ $re ]] && ((BASH_REMATCH[1] >= 8))
}
check "per-probe runs: etrace_probe_events_total, at least the 8 calls" runs_line
check "per-probe time: etrace_probe_bpf_seconds_total in seconds" grep -qE \
	'^etrace_probe_bpf_seconds_total\{probe="tracepoint:syscalls:sys_enter_getppid",index="0"\} [0-9]+\.[0-9]{9}$' \
	"$TMP/metrics.txt"

http GET "http://127.0.0.1:$PORT/metrics" 'application/openmetrics-text; version=1.0.0' >"$TMP/om"
check "OpenMetrics on request: its content type" \
	test "$(sed -n 2p "$TMP/om")" = 'application/openmetrics-text; version=1.0.0; charset=utf-8'
check "OpenMetrics: a counter's family has no _total, its sample has" \
	bash -c "grep -qx '# TYPE etrace_calls counter' '$TMP/om' && grep -qxF 'etrace_calls_total{$q} 2' '$TMP/om'"
# @said["\"hi\""]: its HELP and label value in both formats (the text format's HELP keeps the quote)
cat >"$TMP/said.text" <<'TXT'
# HELP etrace_said_total @said["\\"hi\\""] = count(); (KINDS:14)
etrace_said_total{key0="\"hi\""} 8
TXT
cat >"$TMP/said.om" <<'TXT'
# HELP etrace_said @said[\"\\\"hi\\\"\"] = count(); (KINDS:14)
etrace_said_total{key0="\"hi\""} 8
TXT
sed -i "s|KINDS|$TMP/kinds.bt|" "$TMP/said.text" "$TMP/said.om"
check "text format: HELP escapes the backslash, a string key's label value the quote" \
	diff "$TMP/said.text" <(grep etrace_said_total "$TMP/metrics.txt" | grep -v '^# TYPE')
check "OpenMetrics: HELP escapes the double quote too" \
	diff "$TMP/said.om" <(grep etrace_said "$TMP/om" | grep -v '^# TYPE')
check "OpenMetrics: ends with # EOF" test "$(tail -1 "$TMP/om")" = '# EOF'
check "OpenMetrics: no _sum for a histogram with a negative bucket bound" \
	bash -c "! grep -q '^etrace_linear_sum' '$TMP/om' && grep -q '^etrace_log2_sum' '$TMP/om'"

http GET "http://127.0.0.1:$PORT/" >"$TMP/page"
check "GET /: 200, a page linking to /metrics" \
	bash -c "head -1 '$TMP/page' | grep -qx 200 && grep -q 'href=\"/metrics\"' '$TMP/page'"
check "GET /other: 404" test "$(http GET "http://127.0.0.1:$PORT/other" | sed -n 1p)" = 404
check "POST /metrics: 405" test "$(http POST "http://127.0.0.1:$PORT/metrics" | sed -n 1p)" = 405
check "PUT /: 405" test "$(http PUT "http://127.0.0.1:$PORT/" | sed -n 1p)" = 405
stop_etrace INT
check "etrace exits 0 after SIGINT" test "$ET_STATUS" = 0
check "the values at Ctrl-C are the scraped ones" grep -qx '@calls\[etm"q\]: 2' "$ET_OUT"

# another address: stated on stderr (the map holds only this test's getppid() counts, for a moment)
PORT=$(free_port)
if start_etrace --metrics "0.0.0.0:$PORT" -e 'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }'; then
	stop_etrace INT
	check "a bind to 0.0.0.0 is stated on stderr" grep -q "0.0.0.0:$PORT, reachable from other hosts" "$ET_ERR"
else
	fail "etrace attached with --metrics 0.0.0.0:$PORT"
fi
run_etrace --metrics nonsense -e 'tracepoint:syscalls:sys_enter_getppid { @[comm] = count(); }'
check "a bad --metrics address: exit 1, nothing attached" \
	bash -c "test $ET_STATUS = 1 && grep -q 'is not \[ADDR:\]PORT' '$ET_ERR' && ! grep -q Attached '$ET_ERR'"
check "nothing left behind" nothing_left_behind
finish
