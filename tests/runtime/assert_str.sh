# assert_str(v): bpftrace's compile-time check that v is string-like (a string, an int8 array, a pointer
# to int8): a script whose values pass runs as if it were not there (v is not evaluated); one that does
# not is a located error with exit status 1 and nothing attached, unless the call lies in a branch a
# condition known at compile time never takes. The events are real: a child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_btf "needed for curtask->comm"
loop=$(build_prog getppid_loop etr_astr)
snapshot_bpf

script=$TMP/s.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_astr"/ {' \
	'	assert_str(comm); assert_str(curtask->comm); assert_str("lit"); assert_str((int8 *)0);' \
	'	if ($1 == 1) { assert_str(pid); }' \
	'	printf("%s %s %d\n", comm, curtask->comm, $1);' \
	'	exit();' \
	'}' >"$script"

start_etrace "$script" 2 || { fail "attach"; finish; }
"$loop" 1
wait_etrace
check "exit status 0" test "$ET_STATUS" = 0
check "the event prints" grep -qx 'etr_astr etr_astr 2' "$ET_OUT"
check "nothing left behind" nothing_left_behind
start_json "$script" 2 || { fail "attach (json)"; finish; }
"$loop" 1
wait_etrace
check "json: the printf line" grep -qxF '{"type": "printf", "data": "etr_astr etr_astr 2\n"}' "$ET_OUT"
check "nothing left behind (json)" nothing_left_behind

run_etrace "$script" 1
check "assert_str(pid) reached: exit status 1" test "$ET_STATUS" = 1
check "assert_str(pid) reached: the error at 3:28" grep -qxF "$script:3:28: error: string-like values must be \
either strings, arrays or pointers (uint64 given)" "$ET_ERR"
check "assert_str(pid) reached: nothing attached" bash -c "! grep -q Attached '$ET_ERR'"
check "nothing left behind (error)" nothing_left_behind
finish
