# kstack / ustack: the stack map, bpftrace and perf modes, the depth limit; ustack names the test
# program's functions (built with frame pointers; read while the process still lives).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs

start_etrace -e "uprobe:$UT:et_inner { @[ustack] = count(); @p[ustack(perf, 2)] = count(); @d[ustack(1)] = count(); } interval:ms:1200 { exit(); }" || exit 1
"$UT" 3 0 2500 >/dev/null &
BG_PIDS+=($!)
wait_etrace
# bpftrace mode: "@[" then one frame per line, 8 spaces, func+off; et_middle is not seen at the entry
# of et_inner (its frame pointer is not pushed yet), its caller et_outer is
frames=$(awk '/^@\[$/ { f = 1; next } f && /^\]: / { exit } f { print }' "$ET_OUT")
echo "$frames"
check "ustack: first frame is the probed function" test "$(echo "$frames" | sed -n 1p)" = "        et_inner+0"
check "ustack: the caller chain et_outer then main" bash -c "echo '$frames' | grep -q '^        et_outer+[0-9]*\$' && echo '$frames' | sed -n '/et_outer/,\$p' | grep -q '^        main+[0-9]*\$'"
check "ustack: counted once per call" grep -qx ']: 3' "$ET_OUT"
check "ustack(perf, 2): two frames with address, symbol and binary" \
	bash -c "awk '/^@p\[\$/ { f = 1; next } f && /^\]: / { exit } f { print }' '$ET_OUT' >'$TMP/perf'; [ \$(wc -l <'$TMP/perf') = 2 ] && grep -qP '^\t[0-9a-f]+ et_inner\+0 \($UT\)\$' '$TMP/perf'"
check "ustack(1): depth limit of one frame" bash -c "awk '/^@d\[\$/ { f = 1; next } f && /^\]: / { exit } f { print }' '$ET_OUT' | grep -c . | grep -qx 1"

# kstack in tracepoints of the test program's sleep: kernel functions with offsets, and the depth limit.
# tracepoint:raw_syscalls:sys_enter reading args (a perf tracepoint) has the kernel stack on every kernel
# (230 = clock_nanosleep on x86-64)
frames_of() { awk -v m="$1" '$0 == m "[" { f = 1; next } f && /^\]: / { exit } f { print }' "$ET_OUT"; }
run_etrace -c "$UT 2 50" -e "tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 230/ { @r[kstack] = count(); @r3[kstack(3)] = count(); }"
kframes=$(frames_of @r)
echo "$kframes" | head -4
check "kstack: kernel frames named func+off" bash -c "[ -n '$kframes' ] && echo '$kframes' | grep -qE '^        [A-Za-z_][A-Za-z0-9_.]*\+[0-9]+\$'"
check "kstack(3): depth limit" test "$(frames_of @r3 | grep -c .)" = 3
# in tracepoint:syscalls:* probes the kernel stack is empty on kernels that give these programs the
# system call's user-mode registers (Linux 6.1; --info says "syscall kstack no"): etrace warns there
run_etrace -c "$UT 2 50" -e "tracepoint:syscalls:sys_enter_clock_nanosleep,tracepoint:syscalls:sys_enter_nanosleep /pid == cpid/ { @k[kstack] = count(); @k3[kstack(3)] = count(); }"
kframes=$(frames_of @k)
if "$ETRACE" --info | grep -qE '^  syscall kstack +no'; then
	check "syscalls tracepoint on $(uname -r): the empty kstack is warned about" \
		grep -q "^-e:1:[0-9]*: warning: kstack in tracepoint:syscalls:sys_enter_.*user-mode registers.*kprobe:__x64_sys_NAME" "$ET_ERR"
	check "syscalls tracepoint on $(uname -r): one warning for both probes" test "$(grep -c 'warning: kstack' "$ET_ERR")" = 1
else
	check "syscalls tracepoint: kernel frames named func+off" bash -c "[ -n '$kframes' ] && echo '$kframes' | grep -qE '^        [A-Za-z_][A-Za-z0-9_.]*\+[0-9]+\$'"
	check "syscalls tracepoint: kstack(3) depth limit" test "$(frames_of @k3 | grep -c .)" = 3
	check "syscalls tracepoint: no warning where the kernel stack is there" bash -c "! grep -q warning '$ET_ERR'"
fi

run_etrace -e "uprobe:$UT:et_add { @[ustack(fast)] = count(); }"
check "an unknown stack mode is an error" grep -q 'expected a mode (perf, bpftrace, raw) or a depth' "$ET_ERR"
finish
