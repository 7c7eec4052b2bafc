# Shared helpers for runtime tests. Each test: `bash test.sh ETRACE_BINARY SOURCE_DIR`.
# Exit 0 pass, 1 fail, 77 skip (with a reason on stdout). Tests load real BPF programs into the running kernel.
set -u
ETRACE=${1:?usage: test.sh ETRACE SOURCE_DIR}
SRC=${2:?usage: test.sh ETRACE SOURCE_DIR}
TMP=$(mktemp -d /tmp/etrace-test.XXXXXX)
# One runtime test at a time per machine, even across build trees and developers: the nothing-left-behind
# checks compare every BPF object in the kernel, so a concurrent test's programs would look like leftovers.
exec 9>>/tmp/etrace-runtime-tests.lock
flock -w 1200 9 || { echo "FAIL: waited 20 minutes for /tmp/etrace-runtime-tests.lock"; exit 1; }
CHECKS=0
FAILS=0
BG_PIDS=()
# Waits are counted in seconds times ETRACE_TEST_TIME_SCALE (default 1; the VM lane's TCG guest sets more).
# Polling loops use bash builtins only: under TCG every new process (sleep, grep, seq...) costs about a
# quarter of a second. nap SECONDS: a read with a timeout on a pipe nobody writes to.
TIME_SCALE=${ETRACE_TEST_TIME_SCALE:-1}
exec {NAP_FD}<> <(:)
nap() { read -rt "$1" -u "$NAP_FD" _ || true; }
# has_line_starting FILE PREFIX: some line of FILE starts with PREFIX
has_line_starting() {
	local l
	while IFS= read -r l; do [[ $l == "$2"* ]] && return 0; done 2>/dev/null <"$1"
	return 1
}

# has_line LINE: etrace's last output (ET_OUT) has LINE, whole
has_line() { grep -qxF -- "$1" "$ET_OUT"; }

cleanup() {
	for p in "${BG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

skip() { echo "SKIP: $*"; exit 77; }
require_root() { [ "$(id -u)" = 0 ] || skip "needs root to load BPF programs"; }
# require_btf [WHAT]: skip when the kernel has no BTF; WHAT says what the test needed it for
require_btf() { [ -r /sys/kernel/btf/vmlinux ] || skip "the kernel has no BTF (/sys/kernel/btf/vmlinux)${1:+: $1}"; }
# require_python [WHY]: skip when there is no python3; WHY says what the test needed it for
require_python() { command -v python3 >/dev/null || skip "needs python3${1:+ $1}"; }
# The interactive session's tests drive it through a pseudo-terminal from Python: session_python runs
# python3 with tests/runtime/pty_session.py importable (-B: no __pycache__ in the source tree).
require_session_python() { require_python "for the pseudo-terminal"; }
session_python() {
	PYTHONPATH="$(realpath "$(dirname "${BASH_SOURCE[0]}")")${PYTHONPATH:+:$PYTHONPATH}" python3 -B "$@"
}
require_tracepoint() {
	local tf=/sys/kernel/tracing
	[ -d "$tf/events" ] || tf=/sys/kernel/debug/tracing
	# etrace mounts tracefs itself; only skip when the kernel has no such tracepoint at all
	[ -d "$tf/events/$1" ] || [ ! -d "$tf/events" ] || skip "kernel has no tracepoint $1"
}

pass() { CHECKS=$((CHECKS + 1)); echo "ok: $*"; }
fail() { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() {
	echo "$(basename "$0" .sh): $((CHECKS - FAILS)) passed, $FAILS failed"
	[ "$FAILS" = 0 ] && [ "$CHECKS" -gt 0 ]
	exit $?
}

# build_prog, build_uprobe_progs, cc_cached...: the test programs (a file of their own: the VM lane builds
# them on the host before it boots)
. "$(dirname "${BASH_SOURCE[0]}")/progs.bash"

# BPF objects in the kernel now, as sorted id lists (to check that nothing is left behind).
# (bpftool's plain listing starts each object with "ID: "; no JSON parser: python's start-up alone takes
# seconds in the VM lane's TCG guest, and every test lists three times before and after)
bpf_ids() {
	local id _
	bpftool "$1" list 2>/dev/null | while read -r id _; do [[ $id =~ ^([0-9]+):$ ]] && echo "${BASH_REMATCH[1]}"; done | sort
}
snapshot_bpf() { bpf_ids prog >"$TMP/progs.before"; bpf_ids link >"$TMP/links.before"; bpf_ids map >"$TMP/maps.before"; }
# Objects that exist now and did not before the snapshot. Waits briefly: the kernel frees them asynchronously.
leftovers() {
	local i kind new
	for i in 1 2 3 4 5 6 7 8 9 10; do
		new=""
		for kind in prog link map; do
			new+=$(bpf_ids $kind | comm -13 "$TMP/${kind}s.before" -)
		done
		[ -z "$new" ] && return 0
		nap 0.2
	done
	echo "left behind: $new"
	return 1
}
nothing_left_behind() { leftovers; }

# Start etrace in the background; waits until it says it attached (or exits). Sets ET_PID, ET_OUT, ET_ERR.
# etrace in the background (ET_PID), its stdout and stderr in ET_OUT and ET_ERR
launch_etrace() {
	ET_OUT="$TMP/out.$RANDOM"
	ET_ERR="$TMP/err.$RANDOM"
	"$ETRACE" "$@" >"$ET_OUT" 2>"$ET_ERR" &
	ET_PID=$!
	BG_PIDS+=("$ET_PID")
}
# await_attach CHECK...: until CHECK says etrace attached, or etrace exits. A script that exits at once
# may attach and exit between two looks, so an exit gets one last look.
await_attach() {
	local end=$((SECONDS + 15 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ]; do
		"$@" && return 0
		if ! kill -0 "$ET_PID" 2>/dev/null; then
			"$@" && return 0
			break
		fi
		nap 0.05
	done
	echo "etrace did not attach; stderr:"
	cat "$ET_ERR"
	return 1
}
start_etrace() { # start_etrace ARGS...
	launch_etrace "$@"
	await_attach has_line_starting "$ET_ERR" Attached
}
stop_etrace() { # stop_etrace [SIGNAL]
	kill -"${1:-INT}" "$ET_PID" 2>/dev/null
	wait_etrace
}
wait_etrace() {
	local end=$((SECONDS + 10 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ]; do
		kill -0 "$ET_PID" 2>/dev/null || break
		nap 0.05
	done
	if kill -0 "$ET_PID" 2>/dev/null; then
		echo "etrace did not exit; killing it"
		kill -KILL "$ET_PID"
	fi
	wait "$ET_PID"
	ET_STATUS=$?
}
# Run etrace to completion (the script ends itself with exit()); bounded by a timeout.
run_etrace() { # run_etrace ARGS... ; sets ET_OUT ET_ERR ET_STATUS
	ET_OUT="$TMP/out.$RANDOM"
	ET_ERR="$TMP/err.$RANDOM"
	timeout -s INT $((20 * TIME_SCALE)) "$ETRACE" "$@" >"$ET_OUT" 2>"$ET_ERR"
	ET_STATUS=$?
}

# start_json ARGS...: start etrace -f json in the background and wait for its attached_probes line (stdout)
start_json() { # start_json ARGS...: start_etrace with -f json
	launch_etrace -f json "$@"
	await_attach grep -q '"attached_probes"' "$ET_OUT"
}

# run_json FILE ARGS...: run etrace -f json ARGS... to its end (a script that ends itself: start_json,
# then wait_etrace) and keep its JSON lines in FILE, without the lines a -c command prints; false when
# it did not attach (its stderr shown). Sets ET_OUT, ET_ERR and ET_STATUS as wait_etrace does.
run_json() {
	local file=$1
	shift
	start_json "$@" || return 1
	wait_etrace
	grep '^{' "$ET_OUT" >"$file"
	return 0
}

# jcheck FILE PYTHON-EXPR...: parse FILE (etrace -f json output) as NDJSON into `lines` (list of objects;
# blank lines kept as None) and `objs` (the objects only), then every expression must be true. Helpers:
# of(type) = the data of every line of that type; one(type, "@m") = the last such line's value for @m.
jcheck() {
	local file=$1; shift
	python3 - "$file" "$@" <<'EOF'
import json, sys
path, exprs = sys.argv[1], sys.argv[2:]
lines = []
for n, raw in enumerate(open(path, encoding="utf-8").read().split("\n")[:-1], 1):
    if raw == "":
        lines.append(None)
        continue
    try:
        o = json.loads(raw)
    except ValueError as e:
        print(f"line {n} is not JSON ({e}): {raw!r}")
        sys.exit(1)
    # bpftrace's shapes: {"type", "data"}; attached_probes and lost_events add "count", the number in data
    counted = {"attached_probes": "probes", "lost_events": "events"}
    if isinstance(o, dict) and o.get("type") in counted and set(o) == {"type", "count", "data"}:
        if o["count"] != o["data"].get(counted[o["type"]]):
            print(f"line {n}: count is not the number in data: {raw!r}")
            sys.exit(1)
    elif not isinstance(o, dict) or set(o) != {"type", "data"}:
        print(f"line {n} is not an object with exactly 'type' and 'data': {raw!r}")
        sys.exit(1)
    lines.append(o)
objs = [o for o in lines if o is not None]
def of(t):
    return [o["data"] for o in objs if o["type"] == t]
def one(t, name):
    """the data of the single exit-time map line of type t for map name"""
    hits = [d[name] for d in of(t) if isinstance(d, dict) and name in d]
    return hits[-1] if hits else None
ok = True
for e in exprs:
    try:
        r = eval(e)
    except Exception as ex:
        r = False
        print(f"  {e!r} raised {ex!r}")
    if not r:
        print(f"  not true: {e}")
        ok = False
if not ok:
    print("  output was:")
    print(open(path).read())
sys.exit(0 if ok else 1)
EOF
}
