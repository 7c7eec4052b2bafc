# find(@m, key, $v) (bpftrace's stdlib): in the getppid events of a -c child, a count() map read back
# after each increment gives 1, 2, 3 (the CPUs combined, as @m[key] reads it); a string map's hit sets
# $v, a miss returns false and leaves $v as it was; a map keyed by (int, string) is found with a tuple
# key; the result itself is a bool stored in a map. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf

loop=$(build_prog getppid_loop etr_find)
prog='BEGIN { @names["a"] = "apple"; @t[1, "x"] = (5, "five"); }
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	@c[comm] = count();
	$seen = 0;
	if (find(@c, comm, $seen)) { printf("seen %d\n", $seen); }
	let $v;
	if (find(@names, "a", $v)) { printf("v=%s\n", $v); }
	$v = "kept";
	if (!find(@names, "b", $v)) { printf("miss v=%s\n", $v); }
	let $tt;
	if (find(@t, (1, "x"), $tt)) { print($tt); }
	@hit = find(@c, comm, $seen);
	@miss = find(@c, "nope", $seen);
}'
start_etrace -c "$loop 3" -e "$prog" || exit 1
wait_etrace
check "a count() map found after each event: 1, 2, 3" \
	test "$(grep '^seen ' "$ET_OUT" | tr '\n' ' ')" = "seen 1 seen 2 seen 3 "
check "a hit sets the variable" test "$(grep -cx 'v=apple' "$ET_OUT")" = 3
check "a miss leaves it as it was" test "$(grep -cx 'miss v=kept' "$ET_OUT")" = 3
check "a tuple key and a tuple value" test "$(grep -cxF '(5, five)' "$ET_OUT")" = 3
check "the result as a map value" grep -qx '@hit: true' "$ET_OUT"
check "a miss's result" grep -qx '@miss: false' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -c "$loop 3" -e "$prog" || exit 1
wait_etrace
check "-f json: the same values" jcheck "$ET_OUT" \
	"[p for p in of('printf') if p.startswith('seen')] == ['seen 1\\n', 'seen 2\\n', 'seen 3\\n']" \
	"of('printf').count('v=apple\\n') == 3" "of('printf').count('miss v=kept\\n') == 3" \
	"of('value') == [[5, 'five']] * 3" \
	"one('map', '@hit') == True" "one('map', '@miss') == False"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
