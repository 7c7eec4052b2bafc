# 1000 uprobes (tests/progs/many_funcs), through uprobe_multi links where the kernel has them and
# through perf events (--no-feature uprobe_multi, or a kernel before 6.6): after Ctrl-C the maps hold exactly the calls made
# before it, etrace exits 0 and leaves nothing behind; also after SIGKILL. Not timed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
MF=$(build_prog many_funcs etr_many)
N=3
SCRIPT="uprobe:$MF:etr_fn* { @[probe] = count(); } uretprobe:$MF:etr_fn500 { @ret = count(); }"

wait_gone() { # wait_gone PID: until it ended (it is no child of ours)
	local end=$((SECONDS + 180 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ] && kill -0 "$1" 2>/dev/null; do nap 0.2; done
}
wait_release() { # the perf events go to an etrace-release process (README: How a run stops)
	local end=$((SECONDS + 180 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ] && pgrep -x etrace-release >/dev/null; do nap 0.2; done
}

run_mode() { # run_mode LABEL [ETRACE OPTIONS...]
	local label=$1; shift
	snapshot_all
	if ! start_etrace "$@" -e "$SCRIPT"; then
		fail "$label: attach"
		return
	fi
	check "$label: 1001 probes attached" grep -qx 'Attached 1001 probes' "$ET_ERR"
	"$MF" "$N"
	kill -INT "$ET_PID"
	wait_etrace
	check "$label: exit status 0 (got $ET_STATUS)" test "$ET_STATUS" = 0
	check "$label: 1000 functions counted" test "$(grep -c "^@\[uprobe:$MF:etr_fn[0-9]*\]: " "$ET_OUT")" = 1000
	check "$label: each exactly $N times" test -z "$(grep "^@\[uprobe:" "$ET_OUT" | grep -v "\]: $N\$")"
	check "$label: the uretprobe exactly $N times" grep -qx "@ret: $N" "$ET_OUT"
	check "$label: no error on stderr" test -z "$(grep -v '^Attached' "$ET_ERR")"
	check "$label: nothing left behind" nothing_remains
	wait_release
}

if "$ETRACE" --info 2>/dev/null | grep -qE '^ +uprobe_multi +yes'; then
	run_mode "uprobe_multi"
	run_mode "perf events" --no-feature uprobe_multi
else
	run_mode "perf events (no uprobe_multi here)" # the 6.1 guest: one mode only, it is slow there
fi

snapshot_all
if start_etrace -e "$SCRIPT"; then
	kill -KILL "$ET_PID"
	wait "$ET_PID"
	ET_STATUS=$?
	check "killed by SIGKILL (status $ET_STATUS)" test "$ET_STATUS" = 137
	wait_gone "$ET_PID"
	check "nothing left behind after SIGKILL" nothing_remains
else
	fail "SIGKILL: attach"
fi
finish
