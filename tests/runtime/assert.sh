# assert(cond, msg): bpftrace's stdlib macro, `if (!cond) { errorf("assert failed: %s", msg); exit(1); }`:
# while the condition holds nothing happens; the first event where it does not reports "assert failed:
# MSG" as an error at the assert (JSON: an errorf line) and ends the program with exit status 1, the
# maps printed as at any exit. The events are real: a child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_assert)
snapshot_bpf

script=$TMP/a.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_assert"/ {' \
	'	@n = @n + 1;' \
	'	assert(@n < 3, "n reached 3");' \
	'	printf("n %d\n", @n);' \
	'}' >"$script"

start_etrace "$script" || { fail "attach"; finish; }
"$loop" 3
wait_etrace
check "exit status 1" test "$ET_STATUS" = 1
check "the events before it print" bash -c "[ \"\$(grep '^n ' '$ET_OUT' | tr '\n' '|')\" = 'n 1|n 2|' ]"
check "the error at 3:2, once" bash -c "[ \"\$(grep -cxF '$script:3:2: error: assert failed: n reached 3' '$ET_ERR')\" = 1 ]"
check "the maps printed at exit" grep -qx '@n: 3' "$ET_OUT"
check "nothing left behind" nothing_left_behind

start_json "$script" || { fail "attach (json)"; finish; }
"$loop" 3
wait_etrace
check "json: exit status 1" test "$ET_STATUS" = 1
check "json: the errorf line" grep -qxF "{\"type\": \"errorf\", \"msg\": \"assert failed: n reached 3\", \"filename\": \"$script\", \"line\": 3, \"col\": 2}" "$ET_OUT"
check "json: the printf lines before it" test "$(grep -c '"type": "printf"' "$ET_OUT")" = 2
check "nothing left behind (json)" nothing_left_behind
finish
