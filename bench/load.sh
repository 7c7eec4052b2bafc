#!/usr/bin/env bash
# bench/load.sh [ETRACE]: the load test of issue 7 (not in the default test run; needs root and cc).
#  1. the mission one-liner `tracepoint:raw_syscalls:sys_enter < @[comm]=count(); >` for LOAD_SECS
#     (default 60) seconds under LOAD_THREADS (default 4) threads calling getppid() at full speed: etrace
#     must not crash, and the count printed for each loader thread must equal the syscalls that thread
#     made (per-CPU maps lose no increment);
#  2. a printf flood of FLOOD (default 1 000 000) events: lines delivered + events reported lost must
#     equal the events produced.
# Prints what it measured; exits 1 when a check fails.
set -u
ETRACE=${1:-$(dirname "$0")/../build/etrace}
SECS=${LOAD_SECS:-60} THREADS=${LOAD_THREADS:-4} FLOOD=${FLOOD:-1000000}
[ "$(id -u)" = 0 ] || { echo "load.sh: needs root"; exit 77; }
TMP=$(mktemp -d /tmp/etrace-load.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cc -O2 -pthread -o "$TMP/loadgen" "$(dirname "$0")/loadgen.c" || exit 1
status=0

# start etrace, wait for "Attached", run the generator (released by a line on its stdin), stop etrace
run_case() { # run_case PROGRAM LOADGEN_ARGS...
	local prog=$1; shift
	"$ETRACE" -e "$prog" >"$TMP/out" 2>"$TMP/err" &
	local pid=$! i
	for i in $(seq 1 600); do grep -q '^Attached' "$TMP/err" && break; sleep 0.05; done
	echo go | "$TMP/loadgen" "$@" >"$TMP/gen"
	sleep 0.5
	kill -INT "$pid"
	wait "$pid"
	echo "etrace exit status $?"
}

echo "== mission one-liner, $THREADS threads of getppid() for $SECS s"
run_case 'tracepoint:raw_syscalls:sys_enter < @[comm]=count(); >' threads "$SECS" "$THREADS"
while read -r name made; do
	got=$(sed -n "s/^@\[$name\]: //p" "$TMP/out")
	rate=$((made / SECS))
	if [ "$got" = "$made" ]; then
		echo "ok: $name made $made syscalls ($rate/s), etrace counted $got"
	else
		echo "FAIL: $name made $made syscalls, etrace counted '${got:-nothing}'"; status=1
	fi
done <"$TMP/gen"
grep -qiE 'sanitizer|segmentation|abort' "$TMP/err" && { echo "FAIL: crash report"; cat "$TMP/err"; status=1; }

echo "== printf flood of $FLOOD events"
run_case 'tracepoint:syscalls:sys_enter_getppid /comm == "etflood"/ { printf("e %d\n", 1); }' flood "$FLOOD"
produced=$(cat "$TMP/gen")
delivered=$(grep -c '^e 1$' "$TMP/out")
lost=$(sed -n 's/^\([0-9]*\) events lost$/\1/p' "$TMP/err")
lost=${lost:-0}
echo "produced $produced, delivered $delivered, reported lost $lost"
if [ "$((delivered + lost))" = "$produced" ]; then
	echo "ok: delivered + lost = produced"
else
	echo "FAIL: delivered + lost = $((delivered + lost)), produced $produced"; status=1
fi
exit $status
