# self:signal:SIGUSR1 (bpftrace's probe on the tracer itself): each SIGUSR1 sent to etrace runs the probe
# once, in etrace's own context, and does not stop the run; SIGINT still does. Exact counts, the probe's
# name, pid == etrace's pid, exit() from it, -l 'self:*', and the errors of other self probes.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf

start_etrace -e 'self:signal:SIGUSR1 { @n = count(); printf("%s %d\n", probe, pid); } BEGIN { printf("begin\n"); }' ||
	{ fail "self:signal:SIGUSR1 attached"; finish; }
for i in 1 2 3; do
	kill -USR1 "$ET_PID"
	nap 0.3
done
stop_etrace INT
check "SIGUSR1 x3, then SIGINT: exit 0" test "$ET_STATUS" = 0
check "Attached 2 probes (begin and self)" grep -qxF 'Attached 2 probes' "$ET_ERR"
check "the probe ran once per signal: @n: 3" has_line '@n: 3'
check "probe is self:signal:SIGUSR1, pid is etrace's" test "$(grep -cxF "self:signal:SIGUSR1 $ET_PID" "$ET_OUT")" = 3

start_etrace -e 'self:signal:SIGUSR1 { printf("bye\n"); exit(); }' || { fail "exit() program attached"; finish; }
kill -USR1 "$ET_PID"
wait_etrace
check "exit() in self:signal ends the run (exit 0)" test "$ET_STATUS" = 0
check "its printf" has_line bye

"$ETRACE" -l 'self:*' >"$TMP/l" 2>&1
check "-l 'self:*': self:signal:SIGUSR1" test "$(cat "$TMP/l")" = "self:signal:SIGUSR1"
run_etrace -e 'self:signal:SIGUSR2 { }'
check "self:signal:SIGUSR2: an error (bpftrace has SIGUSR1 only)" grep -qF "signal 'SIGUSR2' is not supported" "$ET_ERR"
run_etrace -e 'self:timer:1 { }'
check "self:timer: an error" grep -qF "self probe: unknown event 'timer'" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
