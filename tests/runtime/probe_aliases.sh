#!/bin/bash
# Probe type names and aliases as today's bpftrace reads them: a name or alias written exactly first
# (U is usdt, u uprobe), then in any case (Begin, END, TRACEPOINT, T). Real events, exact counts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
require_tracepoint syscalls/sys_enter_getppid
build_uprobe_progs
GP=$(build_prog getppid_loop etr_getppid)
snapshot_bpf

run_etrace -c "$UT 3" -e "U:$UT:ettest:consts { @U = count(); } u:$UT:et_add { @u = count(); }
ur:$UT:et_add { @ur = count(); } UPROBE:$UT:et_add { @UP = count(); } usdt:$UT:ettest:consts { @usdt = count(); }
Begin { @b = 1; } begin { @b2 = 2; } END { @e = 3; }"
check "U: is usdt: 3 rounds" grep -qx '@U: 3' "$ET_OUT"
check "usdt: on the same probe: 3" grep -qx '@usdt: 3' "$ET_OUT"
check "u: is uprobe: 3 calls" grep -qx '@u: 3' "$ET_OUT"
check "ur: is uretprobe: 3 returns" grep -qx '@ur: 3' "$ET_OUT"
check "UPROBE: in capitals is uprobe" grep -qx '@UP: 3' "$ET_OUT"
check "Begin, begin and END run" bash -c "grep -qx '@b: 1' '$ET_OUT' && grep -qx '@b2: 2' '$ET_OUT' && grep -qx '@e: 3' '$ET_OUT'"

# getppid is system call 110 on x86_64 (raw_syscalls:sys_enter's args[1])
nr=110
[ "$(uname -m)" = x86_64 ] || nr=-1
run_etrace -c "$GP 4" -e "T:syscalls:sys_enter_getppid /comm == \"etr_getppid\"/ { @T = count(); }
Tracepoint:syscalls:sys_enter_getppid /comm == \"etr_getppid\"/ { @Tp = count(); }
RT:sys_enter /comm == \"etr_getppid\" && arg1 == $nr/ { @rt = count(); }"
check "T: and Tracepoint: are tracepoints: 4 each" bash -c "grep -qx '@T: 4' '$ET_OUT' && grep -qx '@Tp: 4' '$ET_OUT'"
if [ "$nr" = 110 ]; then
	check "RT: is rawtracepoint: 4 getppid entries" grep -qx '@rt: 4' "$ET_OUT"
fi

check "nothing left behind" nothing_left_behind
finish
