# -c CMD and -p PID with user probes: the command is held until the probes are attached (a probe on
# main fires), only that process is traced, cpid is its pid, and etrace ends when the process ends.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs

run_etrace -c "$UT 3" -e "uprobe:$UT:main { @m = count(); } uprobe:$UT:et_add { @a = count(); printf(\"pid=%d cpid=%d\n\", pid, cpid); }"
check "-c: etrace ends with the command (status 0, no timeout)" test "$ET_STATUS" = 0
check "-c: attached before main ran" grep -qx '@m: 1' "$ET_OUT"
check "-c: every call of the command counted" grep -qx '@a: 3' "$ET_OUT"
check "-c: cpid is the traced process's pid" bash -c "grep '^pid=' '$ET_OUT' | awk -F'[= ]' '{ if (\$2 != \$4) exit 1 } END { exit NR != 3 }'"

# another instance runs at the same time: -c traces its own command only
"$UT" 7 300 >/dev/null &
other=$!
BG_PIDS+=("$other")
run_etrace -c "$UT 3 600" -e "uprobe:$UT:et_add { @a = count(); }"
wait "$other"
check "-c: another process of the same binary is not traced" grep -qx '@a: 3' "$ET_OUT"

# -p: a process held until etrace attached, traced alone; etrace exits when it exits
hold_target "$UT" 4
target=$TARGET
start_etrace -p "$target" -e "uprobe:$UT:et_add { @a = count(); } usdt:$UT:ettest:withsem { @w = count(); }"
release_target
"$UT" 5 >/dev/null
wait_etrace
check "-p: etrace exits by itself when the process ends (status 0)" test "$ET_STATUS" = 0
check "-p: only that process's calls counted" grep -qx '@a: 4' "$ET_OUT"
check "-p: usdt probe with a semaphore in that process" grep -qx '@w: 4' "$ET_OUT"

# -p with a kernel probe: a predicate on pid in the program (other processes' syscalls are dropped)
hold_target "$UT" 3 300
target=$TARGET
start_etrace -p "$target" -e "tracepoint:raw_syscalls:sys_enter { @[pid] = count(); }"
release_target
ls / >/dev/null; ls / >/dev/null
wait_etrace
check "-p: a tracepoint sees only that process" test "$(grep -c '^@\[' "$ET_OUT")" = 1
check "-p: the key is the target's pid" grep -q "^@\[$target\]: " "$ET_OUT"

run_etrace -p 999999999 -e "uprobe:$UT:et_add { @a = count(); }"
check "-p with no such process is an error" test "$ET_STATUS" != 0
finish
