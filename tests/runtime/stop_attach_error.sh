# An error while attaching (the third of five probes fails; injected with ETRACE_TEST_FAIL_ATTACH=3):
# etrace reports it at that probe, exits 1, and the two probes already attached are gone with everything
# else (programs, links, maps, probe events, pins).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
require_tracepoint sched
snapshot_all
prog='tracepoint:sched:sched_switch { @a = count(); }
tracepoint:sched:sched_wakeup { @b = count(); }
tracepoint:raw_syscalls:sys_enter { @c = count(); }
tracepoint:sched:sched_process_fork { @d = count(); }
tracepoint:sched:sched_process_exit { @e = count(); }'
ET_OUT=$TMP/out ET_ERR=$TMP/err
ETRACE_TEST_FAIL_ATTACH=3 timeout -s KILL 30 "$ETRACE" -e "$prog" >"$ET_OUT" 2>"$ET_ERR"
ET_STATUS=$?
check "exit status 1 (got $ET_STATUS)" test "$ET_STATUS" = 1
check "the error names the third probe at its line" \
	grep -q '^-e:3:1: error: cannot attach tracepoint:raw_syscalls:sys_enter' "$ET_ERR"
check "never said it attached" sh -c "! grep -q '^Attached' '$ET_ERR'"
check "nothing left behind" nothing_remains
# and without the injection the same program attaches all five
start_etrace -e "$prog" && pass "all five attach without the injected failure" || fail "all five attach"
stop_etrace INT
check "nothing left behind after the normal run" nothing_remains
finish
