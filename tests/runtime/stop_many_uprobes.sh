# Many uprobes (tests/progs/many_funcs): 1000 through uprobe_multi links where the kernel has them, and
# the 100 functions etr_fn1* through perf events (--no-feature uprobe_multi, or a kernel before 6.6: the
# kernel releases perf events one at a time, ~36 ms each here and seconds under the VM lane's TCG, so
# 1000 would only cost minutes of waiting): after Ctrl-C the maps hold exactly the calls made before it,
# etrace exits 0 and leaves nothing behind; also after SIGKILL. Not timed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
MF=$(build_prog many_funcs etr_many)
N=3
script() { echo "uprobe:$MF:$1 { @[probe] = count(); } uretprobe:$MF:etr_fn150 { @ret = count(); }"; }

wait_gone() { # wait_gone PID: until it ended (it is no child of ours)
	local end=$((SECONDS + 180 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ] && kill -0 "$1" 2>/dev/null; do nap 0.2; done
}
wait_release() { # the perf events go to an etrace-release process (README: How a run stops)
	local end=$((SECONDS + 180 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ] && pgrep -x etrace-release >/dev/null; do nap 0.2; done
}

run_mode() { # run_mode LABEL PATTERN FUNCTIONS [ETRACE OPTIONS...]
	local label=$1 pattern=$2 n=$3; shift 3
	snapshot_all
	if ! start_etrace "$@" -e "$(script "$pattern")"; then
		fail "$label: attach"
		return
	fi
	check "$label: $((n + 1)) probes attached" grep -qx "Attached $((n + 1)) probes" "$ET_ERR"
	"$MF" "$N"
	kill -INT "$ET_PID"
	wait_etrace
	check "$label: exit status 0 (got $ET_STATUS)" test "$ET_STATUS" = 0
	check "$label: $n functions counted" test "$(grep -c "^@\[uprobe:$MF:etr_fn[0-9]*\]: " "$ET_OUT")" = "$n"
	check "$label: each exactly $N times" test -z "$(grep "^@\[uprobe:" "$ET_OUT" | grep -v "\]: $N\$")"
	check "$label: the uretprobe exactly $N times" grep -qx "@ret: $N" "$ET_OUT"
	check "$label: no error on stderr" test -z "$(grep -v '^Attached' "$ET_ERR")"
	check "$label: nothing left behind" nothing_remains
	wait_release
}

if "$ETRACE" --info 2>/dev/null | grep -qE '^ +uprobe_multi +yes'; then
	run_mode "uprobe_multi" 'etr_fn*' 1000
	run_mode "perf events" 'etr_fn1*' 100 --no-feature uprobe_multi
	killed='etr_fn*'
else
	run_mode "perf events (no uprobe_multi here)" 'etr_fn1*' 100 # the 6.1 guest: one mode only
	killed='etr_fn1*'
fi

snapshot_all
if start_etrace -e "$(script "$killed")"; then
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
