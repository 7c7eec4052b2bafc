# One block on tracepoints whose args records differ in what the body reads: a field of another type
# (sendto's addr is a `struct sockaddr *` at offset 48, mmap's an `unsigned long` at 16), or `args`
# printed whole over records with different fields (lseek: fd, offset, whence; close: fd). Today's
# bpftrace analyses each attach point on its own; etrace gives each kind of record its own copy of the
# block, so each tracepoint prints its own values, typed as in its own record. The test program makes
# each call once with known arguments (tests/progs/fd_calls.c), then calls two functions whose parameter
# v is an int in one and an unsigned long in the other, both given -5 (uprobe args from DWARF).
. "$(dirname "$0")/lib.sh"
require_root
for tp in lseek close sendto mmap; do require_tracepoint "syscalls/sys_enter_$tp"; done
require_python "to read the JSON output"
prog=$(build_prog fd_calls etr_fd_calls -g)
snapshot_bpf
tp=tracepoint:syscalls:sys_enter_

# 1. args.addr of another type and place; args.len of one type at two places, in the predicate too
script="${tp}sendto, ${tp}mmap /comm == \"etr_fd_calls\" && args.len == 7777/ {
	printf(\"%s %d\\n\", probe, args.len); print(args.addr); @[probe] = args.len; }"
run_etrace -e "$script" -c "$prog"
check "types: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
want="${tp}sendto 7777
0x1234
${tp}mmap 7777
2097152"
check "types: each probe's own addr, a pointer and an integer" test "$(grep -v '^@\|^$' "$ET_OUT")" = "$want"
check "types: one map across the copies" bash -c "grep -qx '@\\[${tp}sendto\\]: 7777' '$ET_OUT' &&
	grep -qx '@\\[${tp}mmap\\]: 7777' '$ET_OUT'"
check "types: two programs" grep -qx 'Attached 2 probes' "$ET_ERR"
run_etrace -f json -e "$script" -c "$prog"
check "types json: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
check "types json: values" jcheck "$ET_OUT" \
	"[o['data'] for o in objs if o['type'] in ('printf', 'value')] == ['${tp}sendto 7777\n', 4660, '${tp}mmap 7777\n', 2097152]" \
	"one('map', '@') == {'${tp}sendto': 7777, '${tp}mmap': 7777}"

# 2. print(args) over records with different fields, listed in either order; a predicate on args.fd
# (without the common_* fields: their bytes hold a kernel pointer when a BPF program runs)
for order in "lseek, ${tp}close" "close, ${tp}lseek"; do
	script="${tp}$order /comm == \"etr_fd_calls\" && args.fd == 42/ { print(args); }"
	run_etrace -e "$script" -c "$prog"
	check "records ($order): etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
	want="{ .__syscall_nr = 8, .fd = 42, .offset = 1234, .whence = 0 }
{ .__syscall_nr = 3, .fd = 42 }"
	check "records ($order): each call's own record, in call order" test "$(grep '^{' "$ET_OUT")" = "$want"
	run_etrace -f json -e "$script" -c "$prog"
	check "records json ($order): etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
	check "records json ($order): values" jcheck "$ET_OUT" \
		"[o['data'] for o in objs if o['type'] == 'value'] == [{'__syscall_nr': 8, 'fd': 42, 'offset': 1234, 'whence': 0}, {'__syscall_nr': 3, 'fd': 42}]"
done

# 3. uprobes: args.v of fc_int is an int, of fc_ulong an unsigned long; -5 in both (JSON as str(): etrace
# writes a uint64 above INT64_MAX as a string)
script="uprobe:$prog:fc_* { printf(\"%s \", func); print(args.v); }"
run_etrace -e "$script" -c "$prog"
check "uprobe: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
want="fc_int -5
fc_ulong 18446744073709551611"
check "uprobe: each function's own type" test "$(grep '^fc_' "$ET_OUT")" = "$want"
run_etrace -f json -e "$script" -c "$prog"
check "uprobe json: values" jcheck "$ET_OUT" \
	"[str(o['data']) for o in objs if o['type'] in ('printf', 'value')] == ['fc_int ', '-5', 'fc_ulong ', '18446744073709551611']"

check "nothing left behind" nothing_left_behind
finish
