# Ctrl-C with every syscall tracepoint attached: the maps, printed before the (slow) detach while the
# stop flag keeps the probes from counting, hold exactly the events that fired before it; etrace exits 0
# and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
require_tracepoint syscalls
GP=$(build_prog getppid_loop etr_getppid)
N=1234
snapshot_all
if start_etrace -e 'tracepoint:syscalls:sys_enter_* /comm == "etr_getppid"/ { @[probe] = count(); }'; then
	attached=$(sed -n 's/^Attached \([0-9]*\) probes$/\1/p' "$ET_ERR")
	check "many probes attached (got ${attached:-none})" test "${attached:-0}" -ge 100
	"$GP" "$N"
	kill -INT "$ET_PID"
	# (not timed: a loaded machine can be slow to detach hundreds of tracepoints)
	end=$((SECONDS + 120 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ] && kill -0 "$ET_PID" 2>/dev/null; do
		nap 0.1
	done
	wait_etrace
	check "exit status 0 (got $ET_STATUS)" test "$ET_STATUS" = 0
	check "sys_enter_getppid counted exactly $N" \
		grep -qx "@\[tracepoint:syscalls:sys_enter_getppid\]: $N" "$ET_OUT"
	check "no error on stderr" test -z "$(grep -v '^Attached' "$ET_ERR")"
	check "nothing left behind" nothing_remains
	# the perf events go to an etrace-release process (see README: How a run stops): wait for it
	end=$((SECONDS + 120 * TIME_SCALE))
	while [ "$SECONDS" -le "$end" ] && pgrep -x etrace-release >/dev/null; do
		nap 0.2
	done
else
	fail "attach"
fi
finish
