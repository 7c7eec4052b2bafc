# SIGKILL while tracing: etrace cannot clean up, so everything must be owned by its file descriptors
# (links and perf events, no pins, no named probe events): the kernel frees it all when the process dies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
require_tracepoint raw_syscalls
snapshot_all
start_etrace -e "$STOP_SCRIPT" || { fail "attach"; finish; }
sleep 0.5
kill -KILL "$ET_PID"
wait "$ET_PID"
ET_STATUS=$?
check "killed by SIGKILL (status $ET_STATUS)" test "$ET_STATUS" = 137
check "nothing left behind after SIGKILL" nothing_remains
finish
