# The mission one-liner on this kernel, plus an exact count through the syscall's own tracepoint.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
loop=$(build_prog getppid_loop etr_getppid)
N=3000
snapshot_bpf

start_etrace -e 'tracepoint:raw_syscalls:sys_enter < @[comm]=count(); >' || fail "mission one-liner attaches"
"$loop" $N 2
stop_etrace INT
check "mission one-liner: exit status 0 after SIGINT" test "$ET_STATUS" = 0
count=$(map_value "$ET_OUT" '@[etr_getppid]')
# the loop's own N getppid calls plus its start-up and thread syscalls (a few dozen)
check "mission one-liner: @[etr_getppid] between $N and $((N + 300)) (got '$count')" \
	test "${count:-0}" -ge $N -a "${count:-0}" -le $((N + 300))
check "mission one-liner: every line is '@[comm]: N', sorted by value" \
	bash -c "! grep -v '^\$' '$ET_OUT' | grep -qvE '^@\[[^]]*\]: [0-9]+\$' && grep '^@' '$ET_OUT' | sed 's/.*: //' | sort -n -c"

require_tracepoint syscalls/sys_enter_getppid
start_etrace -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_getppid"/ { @[comm, tid > 0] = count(); }' ||
	fail "sys_enter_getppid attaches"
"$loop" $N 2
stop_etrace INT
check "sys_enter_getppid: exactly @[etr_getppid, true]: $N over 2 threads" \
	grep -qx "@\[etr_getppid, true\]: $N" "$ET_OUT"
check "nothing left behind" nothing_left_behind
finish
