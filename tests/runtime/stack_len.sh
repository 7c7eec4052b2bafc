#!/bin/bash
# len() of a stack kept in a variable or a map: its frames, as bpftrace gives them. Exact counts: a
# depth-limited ustack(3) and ustack(perf, 2) of the test program's et_inner (deeper than 3: et_inner,
# et_outer, main...), kstack(2) at a system call; a full stack's len() equals the frames print() shows
# for the same value.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
require_tracepoint raw_syscalls/sys_enter
build_uprobe_progs
snapshot_bpf

run_etrace -c "$UT 1 0 300" -e "uprobe:$UT:et_inner { \$s = ustack; \$t = ustack(3); @k[1] = ustack(perf, 2);
	printf(\"len %d %d %d\\n\", len(\$t), len(@k[1]), len(\$s)); print(\$s); exit(); }"
check "len() of a stored ustack(3) and of a map's ustack(perf, 2): 3 and 2" grep -qE '^len 3 2 [0-9]+$' "$ET_OUT"
n=$(sed -n 's/^len 3 2 //p' "$ET_OUT")
frames=$(awk '/^len / { f = 1; next } f && /^        / { n++ } f && /^$/ && n { exit } END { print n + 0 }' "$ET_OUT")
check "len(\$s) of the full ustack ($n) is the number of frames print(\$s) shows ($frames)" \
	test -n "$n" -a "$n" = "$frames" -a "$frames" -ge 3
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

# 230 = clock_nanosleep on x86-64, the target's sleep
run_etrace -c "$UT 2 50" -e "tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 230/ {
	\$k = kstack(2); @kk[0] = kstack; printf(\"klen %d %d\\n\", len(\$k), len(@kk[0])); print(@kk[0]); exit(); }"
check "len() of a stored kstack(2): 2" grep -qE '^klen 2 [0-9]+$' "$ET_OUT"
n=$(sed -n 's/^klen 2 //p' "$ET_OUT")
frames=$(awk '/^klen / { f = 1; next } f && /^        / { n++ } f && /^$/ && n { exit } END { print n + 0 }' "$ET_OUT")
check "len(@kk[0]) of the full kstack ($n) is the number of frames print(@kk[0]) shows ($frames)" \
	test -n "$n" -a "$n" = "$frames" -a "$frames" -ge 2
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
