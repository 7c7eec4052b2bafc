#!/bin/bash
# percpu_kaddr("name"[, cpu]): the address of a per-CPU variable's copy. Read through it, x86's
# cpu_number holds each CPU's own number: *(int32 *)percpu_kaddr("cpu_number", N) is N for every
# possible CPU, percpu_kaddr("cpu_number") on the current CPU holds `cpu`, and a CPU past the possible
# ones gives 0; text and -f json. On a kernel whose /proc/kallsyms lists no data symbols
# (CONFIG_KALLSYMS_ALL unset: this development host) the located error says so.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(uname -m)" = x86_64 ] || skip "cpu_number is x86's per-CPU variable"
[ -r /sys/kernel/btf/vmlinux ] || skip "needs the kernel's BTF (/sys/kernel/btf/vmlinux)"
command -v bpftool >/dev/null || skip "needs bpftool to read BTF"
bpftool btf dump file /sys/kernel/btf/vmlinux | grep -q "^\[[0-9]*\] VAR 'cpu_number' " ||
	skip "this kernel's BTF has no per-CPU variable cpu_number"
snapshot_bpf
possible=$(cat /sys/devices/system/cpu/possible) # "0-N"
last=${possible##*-}

if ! grep -q " cpu_number$" /proc/kallsyms; then
	run_etrace -e 'BEGIN { @ = percpu_kaddr("cpu_number"); exit(); }'
	check "without data symbols in /proc/kallsyms: a located error" grep -qxF -e \
		'-e:1:26: error: percpu_kaddr(): /proc/kallsyms has no address for "cpu_number" (this kernel lists only its functions there: CONFIG_KALLSYMS_ALL is not set, or etrace is not root)' "$ET_ERR"
	check "with a hint" grep -q "^hint: reach the data through a probe's arguments or curtask instead" "$ET_ERR"
	check "and a non-zero exit" test "$ET_STATUS" != 0
	check "nothing left behind" nothing_left_behind
	finish
fi

run_etrace -e "BEGIN { \$i = 0; while (\$i <= $last) { @n[\$i] = *(int32 *)percpu_kaddr(\"cpu_number\", \$i); \$i++; }
	@self = *(int32 *)percpu_kaddr(\"cpu_number\") == (int32)cpu; @past = percpu_kaddr(\"cpu_number\", $last + 1);
	@nonzero = percpu_kaddr(\"cpu_number\", 0) != 0; exit(); }"
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
for i in $(seq 0 "$last"); do
	check "cpu_number of CPU $i is $i" grep -qx "@n\[$i\]: $i" "$ET_OUT"
done
check "percpu_kaddr(\"cpu_number\") is the current CPU's copy" grep -qx '@self: true' "$ET_OUT"
check "a CPU past the possible ones gives 0" grep -qx '@past: 0' "$ET_OUT"
check "CPU 0's address is not 0" grep -qx '@nonzero: true' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -e "BEGIN { @n0 = *(int32 *)percpu_kaddr(\"cpu_number\", 0); @nl = *(int32 *)percpu_kaddr(\"cpu_number\", $last);
	@past = percpu_kaddr(\"cpu_number\", $last + 1); exit(); }" || exit 1
wait_etrace
check "-f json: percpu_kaddr reads" jcheck "$ET_OUT" "one('map', '@n0') == 0" "one('map', '@nl') == $last" \
	"one('map', '@past') == 0"

check "nothing left behind" nothing_left_behind
finish
