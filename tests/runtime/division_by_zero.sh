# Division and modulo by zero give bpftrace's result, 1, and bpftrace's runtime warning ("Divide or
# modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.") at the
# operation's location each time one runs (a JSON runtime_error line under -f json, nothing under
# --no-warnings); a literal zero divisor is also a compile-time warning. The events are real: a child's
# getppid() calls; the zero is held in a variable (from maps), so only the running program sees it.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_divzero)
snapshot_bpf

script=$TMP/div.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_divzero"/ {' \
	'	@n = @n + 1;' \
	'	$z = @n - @n;' \
	'	@div = 10 / $z;' \
	'	@mod = 10 % $z;' \
	'	$x = 7;' \
	'	$x /= $z;' \
	'	printf("d %d %d %d\n", 10 / $z, pid % 0, $x);' \
	'	@ok = 20 / @n;' \
	'}' >"$script"
msg="warning: Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result."
# where each division by zero is: 10 / $z, 10 % $z, $x /= $z, 10 / $z and pid % 0 in the printf
sites=("4:9" "5:9" "7:2" "8:25" "8:34")

# ---- text ----
start_etrace "$script" || { fail "attach"; finish; }
"$loop" 2
stop_etrace INT
check "exit status 0" test "$ET_STATUS" = 0
check "the literal zero is a compile-time warning at the divisor" \
	grep -qx "$script:8:40: warning: modulo by zero: the result is 1, with a warning each time it runs" "$ET_ERR"
check "printf shows 1 for 10 / \$z, pid % 0 and \$x /= \$z, on both events" \
	test "$(grep -c '^d 1 1 1$' "$ET_OUT")" = 2
check "the maps hold 1 (10 / \$z, 10 % \$z) and 20 / 2 = 10 for a nonzero divisor" \
	bash -c "grep -qx '@div: 1' '$ET_OUT' && grep -qx '@mod: 1' '$ET_OUT' && grep -qx '@ok: 10' '$ET_OUT'"
for s in "${sites[@]}"; do
	check "warning at $s, once per event" test "$(grep -cxF "$script:$s: $msg" "$ET_ERR")" = 2
done
check "ten runtime warnings in all (none for the nonzero divisor)" test "$(grep -cF "$msg" "$ET_ERR")" = 10
# each one shows the source line and a caret under the operation, like any other diagnostic
check "the warning for 10 / \$z shows its line and a caret" \
	bash -c "grep -A2 -xF '$script:4:9: $msg' '$ET_ERR' | head -3 | tail -2 | tr '\t' T | tr '\n' '|' |
		grep -qxF 'T@div = 10 / \$z;|T       ^~~~~~~|'"
check "nothing left behind (text)" nothing_left_behind

# ---- --no-warnings: the same values, no warning ----
start_etrace --no-warnings "$script" || { fail "attach (--no-warnings)"; finish; }
"$loop" 2
stop_etrace INT
check "--no-warnings: the same results" test "$(grep -c '^d 1 1 1$' "$ET_OUT")" = 2
check "--no-warnings: no warning at all" bash -c "! grep -q warning '$ET_ERR'"
check "nothing left behind (--no-warnings)" nothing_left_behind

# ---- -f json: bpftrace's {"type": "runtime_error", "msg", "filename", "line", "col"} lines ----
start_json "$script" || { fail "attach (json)"; finish; }
"$loop" 2
stop_etrace INT
json_msg="${msg#warning: }"
for s in "${sites[@]}"; do
	want="{\"type\": \"runtime_error\", \"msg\": \"$json_msg\", \"filename\": \"$script\", \"line\": ${s%:*}, \"col\": ${s#*:}}"
	check "json: runtime_error at $s, once per event" test "$(grep -cxF "$want" "$ET_OUT")" = 2
done
check "json: the runtime warnings are not on stderr" bash -c "! grep -qF 'Divide or modulo' '$ET_ERR'"
check "nothing left behind (json)" nothing_left_behind
finish
