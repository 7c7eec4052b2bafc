# kprobe / kretprobe attached for real (the host kernel has no kprobes): exact counts on a syscall
# function that a workload calls a known number of times, kretprobe retval, usermode/ppid/pcomm,
# func+off, wildcards, kprobe:ADDR / kretprobe:ADDR (--unsafe) and kprobe:MODULE:FUNC on a module the
# test loads, on vmlinux, and on a module that is not loaded (refused).
. "$(dirname "$0")/lib.sh"
require_root
require_kprobes
require_kfunc __x64_sys_getppid
BIN=$(build_prog getppid_loop etr_getppid)
N=500

run_workload() { "$BIN" $N & wait $!; }

start_etrace -e "kprobe:__x64_sys_getppid /comm == \"etr_getppid\"/ { @n = count(); @f[func] = count(); }"
run_workload
stop_etrace
check "kprobe counts every call ($N)" grep -qx "@n: $N" "$ET_OUT"
check "func names the kernel function" grep -qx "@f\[__x64_sys_getppid\]: $N" "$ET_OUT"

start_etrace -e "kretprobe:__x64_sys_getppid /comm == \"etr_getppid\"/ { @r[retval] = count(); }"
run_workload
stop_etrace
check "kretprobe retval is getppid()'s result (this shell, $$) for every call" grep -qx "@r\[$$\]: $N" "$ET_OUT"
check "kretprobe: one distinct retval" test "$(grep -c '^@r\[' "$ET_OUT")" = 1

# usermode is 0 in the kernel; ppid and pcomm: the workload's parent is this shell
start_etrace -e "kprobe:__x64_sys_getppid /comm == \"etr_getppid\"/ { @m[usermode, ppid, pcomm] = count(); }"
run_workload
stop_etrace
check "kprobe: usermode 0, ppid and pcomm this shell's ($$, bash)" grep -qx "@m\[0, $$, bash\]: $N" "$ET_OUT"

# kstack with names: the syscall path leads through do_syscall_64; depth limit
start_etrace -e "kprobe:__x64_sys_getppid /comm == \"etr_getppid\"/ { @[kstack] = count(); @d[kstack(2)] = count(); }"
run_workload
stop_etrace
check "kstack: a frame names do_syscall_64 with its offset" grep -qE '^        do_syscall_64\+[0-9]+$' "$ET_OUT"
check "kstack(2): two frames" bash -c "awk '/^@d\[\$/ { f = 1; next } f && /^\]: / { exit } f { print }' '$ET_OUT' | grep -c . | grep -qx 2"

# func+off: the first offset inside the function that the kernel accepts as an instruction boundary
attached=""
for off in 4 5 8 9; do
	if start_etrace -e "kprobe:__x64_sys_getppid+$off /comm == \"etr_getppid\"/ { @o = count(); }" >/dev/null 2>&1; then
		attached=$off
		break
	fi
	wait_etrace 2>/dev/null
done
if [ -n "$attached" ]; then
	run_workload
	stop_etrace
	check "kprobe:__x64_sys_getppid+$attached counts every call" grep -qx "@o: $N" "$ET_OUT"
else
	fail "no offset in 4, 5, 8, 9 of __x64_sys_getppid could be probed"
fi

# wildcards go over available_filter_functions, which names getppid's function __do_sys_getppid
start_etrace -e "kprobe:__do_sys_getp*id /comm == \"etr_getppid\"/ { @[probe] = count(); }"
run_workload
stop_etrace
check "wildcard: getppid counted through kprobe:__do_sys_getp*id" grep -qx "@\[kprobe:__do_sys_getppid\]: $N" "$ET_OUT"
check "wildcard attached several functions" bash -c "[ \$(grep -o 'Attached [0-9]*' '$ET_ERR' | cut -d' ' -f2) -ge 2 ]"

# kprobe:MODULE:FUNC: the dummy network driver, whose setup function runs once per device
if modprobe dummy 2>/dev/null && command -v ip >/dev/null && grep -qE " [tT] dummy_setup\s+\[dummy\]" /proc/kallsyms; then
	start_etrace -e "kprobe:dummy:dummy_setup { @d = count(); }"
	ip link add etr_dummy0 type dummy && ip link add etr_dummy1 type dummy
	stop_etrace
	ip link del etr_dummy0 2>/dev/null
	ip link del etr_dummy1 2>/dev/null
	check "kprobe:dummy:dummy_setup fires once per new device" grep -qx "@d: 2" "$ET_OUT"
else
	echo "note: no dummy module or ip(8) in this guest: kprobe:MODULE:FUNC left out"
fi

# kprobe:ADDR / kretprobe:ADDR under --unsafe, as bpftrace: the function's address from kallsyms (0x hex),
# the probe named by the decimal address
hex=$(awk '$3 == "__x64_sys_getppid" { print $1; exit }' /proc/kallsyms)
start_etrace --unsafe -e "kprobe:0x$hex /comm == \"etr_getppid\"/ { @a[probe] = count(); }
kretprobe:0x$hex /comm == \"etr_getppid\"/ { @ar[retval] = count(); }"
run_workload
stop_etrace
check "kprobe:0xADDR counts every call ($N), named kprobe:DECIMAL" grep -qx "@a\[kprobe:$(printf '%u' "0x$hex")\]: $N" "$ET_OUT"
check "kretprobe:0xADDR: retval is getppid()'s result ($$) for every call" grep -qx "@ar\[$$\]: $N" "$ET_OUT"

# the module part, as bpftrace: vmlinux is the kernel itself; a module that is not loaded is refused
# ("specified module X in probe kprobe:X:FUNC is not loaded"), before anything is attached
start_etrace -e "kprobe:vmlinux:__x64_sys_getppid /comm == \"etr_getppid\"/ { @v = count(); }"
run_workload
stop_etrace
check "kprobe:vmlinux:FUNC counts every call ($N)" grep -qx "@v: $N" "$ET_OUT"
run_etrace -e "kprobe:etr_nonsense:__x64_sys_getppid { @n = count(); }"
check "kprobe on a module that is not loaded: refused (exit 1)" test "$ET_STATUS" = 1
check "kprobe on a module that is not loaded: the located error names it" \
	grep -qx -- "-e:1:1: error: kprobe probe: module 'etr_nonsense' is not loaded" "$ET_ERR"
finish
