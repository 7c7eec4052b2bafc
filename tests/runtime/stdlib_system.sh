# ncpus (possible CPUs), jiffies (bpf_jiffies64, between two readings of /proc/timer_list), numaid (the
# NUMA node of the CPU the probe ran on, from sysfs) and usermode (1 in a uprobe; 0 is checked in
# kprobes by the VM lane), in text and -f json; usermode is an error where there are no registers.
. "$(dirname "$0")/lib.sh"
require_root
[ -r /proc/timer_list ] || skip "needs /proc/timer_list to read the kernel's jiffies"
snapshot_bpf
build_uprobe_progs

possible=0
IFS=, read -ra ranges </sys/devices/system/cpu/possible
for r in "${ranges[@]}"; do
	if [[ $r == *-* ]]; then possible=$((possible + ${r#*-} - ${r%-*} + 1)); else possible=$((possible + 1)); fi
done
kernel_jiffies() { local k v; while read -r k v; do [ "$k" = jiffies: ] && { echo "$v"; return; }; done </proc/timer_list; }

j0=$(kernel_jiffies)
run_etrace -e 'BEGIN { printf("ncpus=%lu %lu\njiffies=%lu\nnuma=%lu cpu=%lu\n", ncpus, ncpus(), jiffies,
	numaid, cpu); exit(); }'
j1=$(kernel_jiffies)
check "BEGIN script exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "ncpus and ncpus() are the $possible possible CPUs" grep -qx "ncpus=$possible $possible" "$ET_OUT"
j=$(sed -n 's/^jiffies=//p' "$ET_OUT")
check "jiffies ($j) is between the kernel's $j0 and $j1" test -n "$j" -a "${j:-0}" -ge "$j0" -a "${j:-0}" -le "$j1"
cpu=$(sed -n 's/^numa=.* cpu=//p' "$ET_OUT")
node=0
for d in /sys/devices/system/cpu/cpu"$cpu"/node*; do [ -e "$d" ] && node=${d##*/node}; done
check "numaid is the node of cpu $cpu ($node)" grep -qx "numa=$node cpu=$cpu" "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -c "$UT 3" -e "uprobe:$UT:et_add { @u[usermode, usermode()] = count(); }"
check "usermode in a uprobe is 1, three times" grep -qx '@u\[1, 1\]: 3' "$ET_OUT"

start_json -e 'BEGIN { @n = ncpus; @j = jiffies > 0; @z = numaid; exit(); }' || exit 1
wait_etrace
check "-f json: ncpus, jiffies, numaid" jcheck "$ET_OUT" "one('map', '@n') == $possible" \
	"one('map', '@j') is True" "one('map', '@z') == $node"
run_json "$TMP/usermode.json" -c "$UT 2" -e "uprobe:$UT:et_add { @u = usermode; }" || exit 1
check "-f json: usermode" jcheck "$TMP/usermode.json" "one('map', '@u') == 1"

# perf event probes have the interrupted code's registers: a page fault taken in user mode was at a user
# instruction, one the kernel took (copying to user memory) at a kernel one
run_etrace -c "$UT 3" -e 'software:page-faults:1 { @f[usermode, reg("ip") < 0x800000000000] = count(); }'
check "reg(\"ip\") in a software probe: user faults at user addresses, kernel faults at kernel ones" \
	bash -c "! grep -E '^@f\[' '$ET_OUT' | grep -qvE '^@f\[(0, false|1, true)\]: [0-9]+$'"
check "reg(\"ip\") in a software probe: user-mode faults seen" grep -qE '^@f\[1, true\]: [1-9]' "$ET_OUT"

run_etrace -e 'tracepoint:syscalls:sys_enter_getppid { @ = usermode; }'
check "usermode in a tracepoint is a located error" \
	grep -q 'error: usermode is not available in tracepoint probes' "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
