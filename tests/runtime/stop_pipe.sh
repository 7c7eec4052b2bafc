# A closed output pipe (etrace ... | head -1): the failed write (EPIPE/SIGPIPE) stops the trace cleanly;
# etrace must neither hang nor crash, and nothing remains. Three times: printf output, a program that traces
# etrace's own writes (its ring buffer refills as fast as it is read), and the same with exit() (each
# record etrace showed used to be a write that fired the probe again, before the event loop, for ever).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
require_tracepoint raw_syscalls
pipe_case() { # pipe_case NAME PROGRAM
	local name=$1 prog=$2 line status
	snapshot_all
	line=$(timeout -s KILL 30 bash -c '"$1" -e "$2" 2>"$3"; echo "$?" >"$3.status"' _ "$ETRACE" "$prog" "$TMP/$name.err" | head -1)
	status=$(cat "$TMP/$name.err.status" 2>/dev/null)
	check "$name: head got a line ('$line')" test -n "$line"
	check "$name: etrace ended by itself, not killed by timeout or a signal (status '$status')" \
		test "$status" = 0
	check "$name: no crash report on stderr" sh -c "! grep -qiE 'sanitizer|segmentation|abort' '$TMP/$name.err'"
	check "$name: nothing left behind" nothing_remains
}
pipe_case printf 'interval:ms:5 { printf("tick %d\n", elapsed); }'
pipe_case selffeed 'tracepoint:raw_syscalls:sys_enter { printf("%d %s\n", pid, comm); }'
pipe_case selffeed_exit 'tracepoint:raw_syscalls:sys_enter { printf("%d\n", args.id); exit(); }'

# what fires after exit() is not shown (as bpftrace); END's output is
out=$(timeout -s KILL 30 "$ETRACE" -e 'tracepoint:raw_syscalls:sys_enter { printf("fired\n"); exit(); } END { printf("end\n"); }' 2>/dev/null)
fired=$(grep -c '^fired$' <<<"$out")
check "exit(): at most one line per CPU before it ($fired), none after" \
	test "$fired" -ge 1 -a "$fired" -le "$(nproc)" -a "$(grep -v '^$' <<<"$out" | tail -1)" = end
finish
