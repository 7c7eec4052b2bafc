#!/bin/bash
# signal_thread() sends to the thread that hit the probe (bpf_send_signal_thread), signal() to its process.
# The target blocks SIGUSR1, calls getppid() once and prints its SigPnd (thread) and ShdPnd (process)
# pending masks from /proc/thread-self/status: SIGUSR1 (10) is bit 9, 0x200, in exactly one of them.
# Both by name and by number, in text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf
SP=$(build_prog sig_pending sig_pending)

probe='tracepoint:syscalls:sys_enter_getppid /pid == cpid/'
run_etrace --unsafe -c "$SP" -e "$probe { signal_thread(\"SIGUSR1\"); @n = count(); }"
check "signal_thread(\"SIGUSR1\"): pending on the thread" grep -qxP 'SigPnd:\t0000000000000200' "$ET_OUT"
check "signal_thread(\"SIGUSR1\"): not pending on the process" grep -qxP 'ShdPnd:\t0000000000000000' "$ET_OUT"
check "signal_thread(\"SIGUSR1\"): the probe ran once" grep -qx '@n: 1' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace --unsafe -c "$SP" -e "$probe { signal_thread(10); @n = count(); }"
check "signal_thread(10): pending on the thread only" \
	bash -c "grep -qxP 'SigPnd:\t0000000000000200' '$ET_OUT' && grep -qxP 'ShdPnd:\t0000000000000000' '$ET_OUT'"

run_etrace --unsafe -c "$SP" -e "$probe { signal(\"USR1\"); @n = count(); }"
check "signal(\"USR1\"): pending on the process only" \
	bash -c "grep -qxP 'SigPnd:\t0000000000000000' '$ET_OUT' && grep -qxP 'ShdPnd:\t0000000000000200' '$ET_OUT'"

start_json --unsafe -c "$SP" -e "$probe { \$s = 10; signal_thread(\$s); @n = count(); }" || exit 1
wait_etrace
check "-f json: signal_thread(\$s) pending on the thread only" \
	bash -c "grep -qxP 'SigPnd:\t0000000000000200' '$ET_OUT' && grep -qxP 'ShdPnd:\t0000000000000000' '$ET_OUT'"
grep '^{' "$ET_OUT" >"$TMP/sig.json"
check "-f json: the probe ran once" jcheck "$TMP/sig.json" "one('map', '@n') == 1"

run_etrace -c "$SP" -e "$probe { signal_thread(\"USR1\"); }"
check "signal_thread() without --unsafe is a located error" \
	grep -q 'error: signal_thread() is an unsafe function and needs --unsafe' "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
