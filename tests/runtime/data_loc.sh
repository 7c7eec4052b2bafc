# __data_loc tracepoint fields: the field holds the offset (low 16 bits) and length of data stored in the
# record itself; str(args.F) reads the string there. Exact values from real events: sched_process_exec's
# filename (field at offset 8) is the path a known program was executed by, and net_dev_queue's name
# (offset 20 on recent kernels) is the loopback device a UDP packet of a known program leaves through.
# bpftrace behaviour pinned down: args.F of a `__data_loc` field is the address of its data in the record
# (tracepoint_format_parser: is_data_loc), read as kernel memory.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint sched/sched_process_exec
loop=$(build_prog getppid_loop etr_dl_exec)
snapshot_bpf

# 1. sched_process_exec: exactly one exec of $loop, by its full path; printf and a map key
start_etrace -e 'tracepoint:sched:sched_process_exec /comm == "etr_dl_exec"/ {
	printf("exec %s pid=%d\n", str(args.filename), args.pid == pid); @[str(args.filename)] = count(); }' ||
	fail "attach sched_process_exec"
"$loop" 1
stop_etrace INT
check "printf: str(args.filename) is the executed path, args.pid the task" grep -qx "exec $loop pid=1" "$ET_OUT"
check "map key: one exec of $loop" grep -qx "@\[$loop\]: 1" "$ET_OUT"
check "no failed reads" bash -c "! grep -q 'failed' '$ET_ERR'"

# 2. a __data_loc field at another offset: net_dev_queue's device name, for a UDP packet to 127.0.0.1
# (bash's /dev/udp) sent by a copy of bash with a known name; needs the loopback device up. The packet is
# the one of 49 bytes (14 Ethernet + 20 IP + 8 UDP + "etrace\n"); the ICMP reply that follows on the
# same CPU is longer.
if [ -d /sys/kernel/tracing/events/net/net_dev_queue ] && [ -r /sys/class/net/lo/flags ] &&
	(($(cat /sys/class/net/lo/flags) & 1)); then
	cp "$(command -v bash)" "$TMP/etr_dl_udp"
	start_etrace -e 'tracepoint:net:net_dev_queue /comm == "etr_dl_udp" && args.len == 49/ {
		@[str(args.name)] = count(); }' ||
		fail "attach net_dev_queue"
	"$TMP/etr_dl_udp" -c 'echo etrace >/dev/udp/127.0.0.1/9' 2>/dev/null
	stop_etrace INT
	check "net_dev_queue: str(args.name) is lo, once" grep -qx '@\[lo\]: 1' "$ET_OUT"
else
	echo "note: no net:net_dev_queue tracepoint or no loopback device up: the second field is left out"
fi

check "nothing left behind" nothing_left_behind
finish
