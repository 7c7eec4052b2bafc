# bpftrace's introspection functions (its stdlib meta.bt): is_str, is_ptr, is_array, is_integer,
# is_unsigned_integer and is_literal answer from the argument's type when the script is compiled (the
# argument is not evaluated), printed as bools (1/0 with %d, true/false by print(), JSON true/false);
# as constants they make an if() around fail() dead or live. is_err(p) is the kernel's IS_ERR(),
# -4095 <= (int64)p < 0, computed in the probe. The events are real: a child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_btf "needed for curtask"
loop=$(build_prog getppid_loop etr_isq)
snapshot_bpf

script=$TMP/q.bt
printf '%s\n' 'struct S { int a[4]; }' \
	'tracepoint:syscalls:sys_enter_getppid /comm == "etr_isq"/ {' \
	'	$u = (uint32)pid; $p = (struct S *)0; @n = @n + 1;' \
	'	printf("str %d %d ptr %d %d arr %d %d int %d %d %d uns %d %d %d lit %d %d %d %d\n",' \
	'		is_str(comm), is_str(pid), is_ptr(curtask), is_ptr(pid), is_array($p->a), is_array(comm),' \
	'		is_integer(pid), is_integer(true), is_integer(comm), is_unsigned_integer($u),' \
	'		is_unsigned_integer(-1), is_unsigned_integer(curtask), is_literal(1), is_literal("s"),' \
	'		is_literal($u), is_literal(@n));' \
	'	if (is_str(pid) || !is_ptr(curtask)) { fail("not reached"); }' \
	'	$e = (int64)0 - @n * 4095;' \
	'	@err[@n] = (is_err($e), is_err($e - 1), is_err(@n));' \
	'	printf("sizeof %d %d %d %d\n", sizeof(typeof((uint32)pid)), sizeof(typeof(uint16)), sizeof(typeof(comm)), sizeof($p->a));' \
	'	if (@n == 2) { print(is_err((int64)-1)); exit(); }' \
	'}' >"$script"
want='str 1 0 ptr 1 0 arr 1 0 int 1 0 0 uns 1 0 0 lit 1 1 0 0'

start_etrace "$script" || { fail "attach"; finish; }
"$loop" 2
wait_etrace
check "exit status 0" test "$ET_STATUS" = 0
check "the type queries, on both events" test "$(grep -cxF "$want" "$ET_OUT")" = 2
check "is_err: -4095 yes, -4096 no, 1 no; -8190 no" \
	bash -c "grep -qxF '@err[1]: (true, false, false)' '$ET_OUT' && grep -qxF '@err[2]: (false, false, false)' '$ET_OUT'"
check "print(is_err(-1)) is true" grep -qx true "$ET_OUT"
check "sizeof(typeof(x)) is sizeof(x): uint32 4, uint16 2, comm 16, int[4] 16" \
	test "$(grep -cx 'sizeof 4 2 16 16' "$ET_OUT")" = 2
check "nothing left behind" nothing_left_behind

start_json "$script" || { fail "attach (json)"; finish; }
"$loop" 2
wait_etrace
check "json: the printf lines" test "$(grep -cxF "{\"type\": \"printf\", \"data\": \"$want\\n\"}" "$ET_OUT")" = 2
check "json: is_err as bools" grep -qxF '{"type": "map", "data": {"@err": {"1": [true,false,false], "2": [false,false,false]}}}' "$ET_OUT"
check "json: print(is_err(-1))" grep -qxF '{"type": "value", "data": true}' "$ET_OUT"
check "nothing left behind (json)" nothing_left_behind
finish
