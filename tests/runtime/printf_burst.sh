# 100 000 printf events in a burst: every event is either printed or counted as lost, never silently dropped.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
loop=$(build_prog getppid_loop etr_burst)
N=100000
NR_GETPPID=$(printf '#include <sys/syscall.h>\nSYS_getppid\n' | cc -E -P - | tail -1)
snapshot_bpf
start_etrace -e "tracepoint:raw_syscalls:sys_enter /comm == \"etr_burst\" && args->id == $NR_GETPPID/ { printf(\"e %d\\n\", pid); }" \
	|| { fail attach; finish; }
"$loop" $N
sleep 0.5
stop_etrace INT
check "exit status 0" test "$ET_STATUS" = 0
printed=$(grep -c '^e [0-9][0-9]*$' "$ET_OUT")
lost=$(sed -n 's/^Lost \([0-9][0-9]*\) events$/\1/p' "$ET_ERR" | head -1)
echo "printed $printed, reported lost ${lost:-0}"
check "printed + lost = $N" test $((printed + ${lost:-0})) = $N
check "nothing left behind" nothing_left_behind
finish
