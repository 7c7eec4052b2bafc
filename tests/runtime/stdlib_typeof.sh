# typeof() where bpftrace allows it outside sizeof: a cast (typeof($x))v converts to $x's type (uint16:
# 70000 becomes 4464), `let $v: typeof($x)` declares a uint16 variable (65535 + 1 wraps to 0, sizeof 2),
# typeof(T) of a type, and a macro's type argument (typeof(int8) and typeof($x) handed to a macro that
# casts with it and declares with it), in the getppid events of a -c child. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf

loop=$(build_prog getppid_loop etr_typeof)
prog='macro conv(t, v) { (t)v }
macro decl(t, v) { let $r: t = v; $r }
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	$x = (uint16)pid;
	$t = (typeof($x))70000;
	let $u: typeof($x) = 65535;
	$u++;
	$i = (typeof(int8))200;
	@r = ($t, $u, sizeof($u), $i, conv(typeof(int8), 200), conv(typeof($x), 65537), sizeof(decl(typeof($x), 3)));
	printf("%d %d %d %d\n", $t, $u, $i, conv(typeof(uint8), 258));
}'
start_etrace -c "$loop 2" -e "$prog" || exit 1
wait_etrace
check "cast, let, typeof(T) and macro type arguments" grep -qxF '@r: (4464, 0, 2, -56, -56, 1, 2)' "$ET_OUT"
check "printf of the same" test "$(grep -cx '4464 0 -56 2' "$ET_OUT")" = 2
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -c "$loop 2" -e "$prog" || exit 1
wait_etrace
check "-f json: the same values" jcheck "$ET_OUT" "one('map', '@r') == [4464, 0, 2, -56, -56, 1, 2]" \
	"of('printf') == ['4464 0 -56 2\\n'] * 2"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
