# fail() and static_assert() are checked when the script is compiled, as bpftrace's: an error at the
# call with the message (fail's arguments formatted) and exit status 1, nothing attached, unless the call
# lies in a branch a condition known at compile time never takes (a positional parameter, sizeof ...);
# then the script runs as if they were not there. The events are real: a child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_fail)
snapshot_bpf

script=$TMP/f.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_fail"/ {' \
	'	if ($1 < 2) { fail("Expected the first positional param to be greater than 1. Got %d, %s", $1, "x"); }' \
	'	static_assert(sizeof(comm) == 16 && $1 != 7, "comm is 16 bytes; $1 is not 7");' \
	'	@n = @n + 1;' \
	'	printf("ok %d %d\n", $1, @n);' \
	'	if (@n == 2) { exit(); }' \
	'}' >"$script"

# ---- the checks hold: the program runs ----
start_etrace "$script" 5 || { fail "attach"; finish; }
"$loop" 2
wait_etrace
check "exit status 0" test "$ET_STATUS" = 0
check "both events print" bash -c "[ \"\$(grep '^ok' '$ET_OUT' | tr '\n' '|')\" = 'ok 5 1|ok 5 2|' ]"
check "no error" bash -c "! grep -q error '$ET_ERR'"
check "nothing left behind" nothing_left_behind
start_json "$script" 5 || { fail "attach (json)"; finish; }
"$loop" 2
wait_etrace
check "json: the printf lines" bash -c "grep -qxF '{\"type\": \"printf\", \"data\": \"ok 5 2\\n\"}' '$ET_OUT'"
check "nothing left behind (json)" nothing_left_behind

# ---- fail() reached: located error with the formatted message, status 1 ----
run_etrace "$script" 1
check "fail: exit status 1" test "$ET_STATUS" = 1
check "fail: the message at 2:16" grep -qxF "$script:2:16: error: Expected the first positional param to be \
greater than 1. Got 1, x" "$ET_ERR"
check "fail: nothing attached, no output" bash -c "! grep -q Attached '$ET_ERR' && ! grep -q ok '$ET_OUT'"
run_etrace -f json "$script" 1
check "fail (json): exit status 1, the message on stderr" \
	bash -c "[ $ET_STATUS = 1 ] && grep -q 'Got 1, x' '$ET_ERR'"

# ---- static_assert false: its message, status 1 ----
run_etrace "$script" 7
check "static_assert: exit status 1" test "$ET_STATUS" = 1
check "static_assert: the message at 3:2" grep -qxF "$script:3:2: error: comm is 16 bytes; \$1 is not 7" "$ET_ERR"
check "static_assert: only that error" test "$(grep -c 'error:' "$ET_ERR")" = 1
check "nothing left behind (errors)" nothing_left_behind
finish
