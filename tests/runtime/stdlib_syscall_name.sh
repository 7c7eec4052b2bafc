# syscall_name(n): the names of <asm/unistd.h> as string[64] values, as bpftrace's table gives them
# (x86_64). A real system call: each getppid() of a test program fires sys_enter_getppid, whose
# __syscall_nr is named. Fixed numbers through a variable from a uprobe on et_greet: the first, one of
# the x32 range, one newer than Debian 12's headers, a gap, out of range and negative ("Unknown
# syscall"); as a map key and compared. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs
[ "$(uname -m)" = x86_64 ] || skip "the numbers checked are x86_64's"
loop=$(build_prog getppid_loop etr_scname)
require_tracepoint syscalls/sys_enter_getppid

run_etrace -c "$loop 3" -e "tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	@[syscall_name(args.__syscall_nr)] = count(); }"
check "the number of sys_enter_getppid named, 3 calls" grep -qx '@\[getppid\]: 3' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -c "$UT 2" -e "uprobe:$UT:et_greet { \$n = 59; printf(\"%s|%s|%s|%s|%s|%s|%s\\n\", syscall_name(\$n - 59),
	syscall_name(\$n), syscall_name(\$n + 453), syscall_name(\$n + 392), syscall_name(\$n + 341),
	syscall_name(\$n * 100), syscall_name(-\$n));
	if (syscall_name(\$n - 58) == \"write\") { @eq = count(); } }"
check "read, execve, x32 rt_sigaction, cachestat (451), a gap (400), out of range, negative" \
	grep -qx 'read|execve|rt_sigaction|cachestat|Unknown syscall|Unknown syscall|Unknown syscall' "$ET_OUT"
check "compared with a string" grep -qx '@eq: 2' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/sc.json" -c "$UT 1" -e "uprobe:$UT:et_greet { \$n = 231; @s = syscall_name(\$n); print(syscall_name(\$n - 1)); }" ||
	exit 1
check "-f json: syscall_name values" jcheck "$TMP/sc.json" "one('map', '@s') == 'exit_group'" \
	"of('value') == ['clock_nanosleep']"

check "nothing left behind" nothing_left_behind
finish
