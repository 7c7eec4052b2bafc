# errorf()/warnf(): printf's text reported, each time the call runs, as an error/warning at the call on
# stderr (etrace's diagnostic form: FILE:LINE:COL, the line and a caret), a trailing newline of the format
# dropped; under -f json bpftrace's {"type": "errorf"|"warnf", "msg", "filename", "line", "col"} lines on
# stdout; warnf is silent under --no-warnings. Neither changes the exit status. The events are real: a
# child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_errorf)
snapshot_bpf

script=$TMP/ef.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_errorf"/ {' \
	'	@n = @n + 1;' \
	'	errorf("bad %d, %s", @n * 10, "arg2");' \
	'	$x = 0x12345678abcdef; warnf("%hhx %hx %x %jx\n", $x, $x, $x, $x);' \
	'	if (@n == 2) { exit(); }' \
	'}' >"$script"
emsg=("$script:3:2: error: bad 10, arg2" "$script:3:2: error: bad 20, arg2")
wmsg="$script:4:25: warning: ef cdef 78abcdef 12345678abcdef"

# ---- text ----
start_etrace "$script" || { fail "attach"; finish; }
"$loop" 2
wait_etrace
check "exit status 0" test "$ET_STATUS" = 0
check "errorf at 3:2 with the first event's values" grep -qxF "${emsg[0]}" "$ET_ERR"
check "errorf at 3:2 with the second event's values" grep -qxF "${emsg[1]}" "$ET_ERR"
check "warnf at 4:25 (length modifiers, no trailing newline), once per event" \
	test "$(grep -cxF "$wmsg" "$ET_ERR")" = 2
check "errorf shows its line and a caret under the call" \
	bash -c "grep -A2 -xF '${emsg[0]}' '$ET_ERR' | sed -n 3p | tr '\t' T | grep -qx 'T^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~'"
check "nothing on stdout but the map" bash -c "! grep -q 'bad\|cdef' '$ET_OUT' && grep -qx '@n: 2' '$ET_OUT'"
check "nothing left behind (text)" nothing_left_behind

# ---- --no-warnings: errorf still, warnf silent ----
start_etrace --no-warnings "$script" || { fail "attach (--no-warnings)"; finish; }
"$loop" 2
wait_etrace
check "--no-warnings: errorf still printed" grep -qxF "${emsg[1]}" "$ET_ERR"
check "--no-warnings: no warnf" bash -c "! grep -q 'cdef' '$ET_ERR'"
check "nothing left behind (--no-warnings)" nothing_left_behind

# ---- -f json ----
start_json "$script" || { fail "attach (json)"; finish; }
"$loop" 2
wait_etrace
for n in 10 20; do
	want="{\"type\": \"errorf\", \"msg\": \"bad $n, arg2\", \"filename\": \"$script\", \"line\": 3, \"col\": 2}"
	check "json: errorf line for $n" grep -qxF "$want" "$ET_OUT"
done
want="{\"type\": \"warnf\", \"msg\": \"ef cdef 78abcdef 12345678abcdef\", \"filename\": \"$script\", \"line\": 4, \"col\": 25}"
check "json: warnf line, once per event" test "$(grep -cxF "$want" "$ET_OUT")" = 2
check "json: nothing on stderr" test ! -s "$ET_ERR"
start_json --no-warnings "$script" || { fail "attach (json, --no-warnings)"; finish; }
"$loop" 2
wait_etrace
check "json --no-warnings: no warnf line" bash -c "! grep -q warnf '$ET_OUT' && grep -q '\"errorf\"' '$ET_OUT'"
check "nothing left behind (json)" nothing_left_behind
finish
