# ppid, pcomm, leader_tid, leader_comm (bpftrace's stdlib: task->real_parent->pid/comm,
# task->group_leader->pid/comm) of a -c child with two threads: its parent is etrace itself, its leader
# the child's main thread; the forms name, name() and name(curtask) agree. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf

loop=$(build_prog getppid_loop etr_stdtask)
prog='BEGIN { printf("cpid=%d\n", cpid); }
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	@[tid == leader_tid ? "main" : "thread", ppid, pcomm, leader_tid, leader_comm] = count();
	@same[ppid == ppid() && ppid() == ppid(curtask) && leader_tid(curtask) == leader_tid() &&
	      pcomm(curtask) == pcomm() && leader_comm(curtask) == leader_comm] = count();
}'
start_etrace -c "$loop 400 2" -e "$prog" || exit 1
wait_etrace
check "etrace exits 0 after the child (status $ET_STATUS)" test "$ET_STATUS" = 0
cpid=$(sed -n 's/^cpid=//p' "$ET_OUT")
check "main thread: parent etrace ($ET_PID), leader = cpid ($cpid)" \
	grep -qx "@\[main, $ET_PID, etrace, $cpid, etr_stdtask\]: 200" "$ET_OUT"
check "second thread: the same parent and leader" \
	grep -qx "@\[thread, $ET_PID, etrace, $cpid, etr_stdtask\]: 200" "$ET_OUT"
check "the name, name() and name(curtask) forms agree" grep -qx '@same\[true\]: 400' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -c "$loop 100" -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	@p = ppid; @c = pcomm; @lt = leader_tid - cpid; @lc = leader_comm; }' || exit 1
wait_etrace
check "-f json: ppid, pcomm, leader_tid, leader_comm" jcheck "$ET_OUT" \
	"one('map', '@p') == $ET_PID" "one('map', '@c') == 'etrace'" "one('map', '@lt') == 0" \
	"one('map', '@lc') == 'etr_stdtask'"

check "nothing left behind" nothing_left_behind
finish
