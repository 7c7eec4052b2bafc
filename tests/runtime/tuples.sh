# Tuples laid out and printed as today's bpftrace does: a C struct of the elements with natural
# alignment (sizeof), integer literals typed by the smallest signed type that holds them, strings at
# their own sizes, map and variable slots that widen to hold every value stored in them, tuple keys
# sorted field by field; in text and in JSON. The events are real: a child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_python "to parse JSON"
loop=$(build_prog getppid_loop etr_tuples)
snapshot_bpf

cat >"$TMP/tuples.bt" <<'EOF'
tracepoint:syscalls:sys_enter_getppid /comm == "etr_tuples"/ {
	@i = @i + 1;
	$i = @i;
	/* a variable holding ints of four widths and two strings, printed on every event */
	$t = ((int8)-$i, "ab", (int16)($i * 1000), (uint32)$i, comm);
	print($t);
	/* map values: the slot widens to (int32, string[7], int16) */
	@w[1] = (1, "a", (int8)-1);
	@w[2] = (100000, "abcdef", (int16)-300);
	/* tuple keys (string values: maps of integers are sorted by value): @k[a, b] is @k[(a, b)],
	 * sorted by the first field, then the second */
	@k[(int8)-$i, "k"] = "k";
	@m[1, "bb"] = "m1";
	@m[300, "a"] = "m2";
	@m[1, "a"] = "m3";
	@kt[((int8)-7, "tt")] = "b";
	@kt[(int8)1, "t"] = "a";
	if ($i == 1) {
		printf("sizeof %d %d %d %d %d\n", sizeof(((int8)1, (int16)1, (int32)1)),
		       sizeof(((int32)1, (int16)1, (int8)1)), sizeof(((int8)1, (int64)1, (int8)1, (int64)1)),
		       sizeof(((int8)-100, (int8)100, "abcdef", 3, (int32)1, (int64)-10, (int8)10, (int16)-555, "abc")),
		       sizeof((1, "abc")));
		printf("var %d map %d key %d\n", sizeof($t), sizeof(@w[1]), sizeof(((int16)1, "bb")));
		/* $t[N] is $t.N (bpftrace 0.25), N a constant expression */
		printf("subscript %d %s %d %s %d\n", $t[0], $t[1], ((int8)5, ($t[3], "x"))[1][0], $t[1 + 3],
		       $t[2] == $t.2);
	}
}
/* a probe of its own (its variables stay on the BPF stack, where the verifier follows the loop) */
tracepoint:syscalls:sys_enter_getppid /comm == "etr_tuples"/ {
	if (@g == 0) {
		@g = 1;
		/* a wider value assigned later in a loop is in the variable's type from the start */
		$g = (1, "a");
		$n = 0;
		while ($n < 2) {
			printf("g %d %s\n", $g.0, $g.1);
			$g = (70000, "abcdefgh");
			$n++;
		}
		printf("g sizeof %d\n", sizeof($g));
	}
}
EOF

# ---- text ----
start_etrace "$TMP/tuples.bt" || { fail "attach"; finish; }
"$loop" 3
stop_etrace INT
check "exit status 0" test "$ET_STATUS" = 0
# bpftrace tests/runtime/tuples "tuple struct sizing 1/2/3" and "complex tuple 4": 8, 8, 32, 32; (1, "abc"):
# an int8 literal and a string[4] make 5 bytes
check "sizeof of literal tuples is bpftrace's (8 8 32 32 5)" grep -qx "sizeof 8 8 32 32 5" "$ET_OUT"
# (int8, string[3], int16, uint32, string[16]) is 28; @w's slot (int32, string[7], int16) is 16; (int16, string[3]) 6
check "sizeof of a variable, a map value and a key tuple (28 16 6)" grep -qx "var 28 map 16 key 6" "$ET_OUT"
check "\$t[N] reads element N, N a constant expression; nested and on a literal tuple" \
	grep -qx "subscript -1 ab 1 etr_tuples 1" "$ET_OUT"
for i in 1 2 3; do
	check "print(\$t) on event $i: (-$i, ab, ${i}000, $i, etr_tuples)" \
		grep -qxF "(-$i, ab, ${i}000, $i, etr_tuples)" "$ET_OUT"
done
check "the loop reads the narrow value first, then the wide one" \
	bash -c "grep '^g [0-9]' '$ET_OUT' | tr '\n' '|' | grep -qx 'g 1 a|g 70000 abcdefgh|'"
check "the variable's slot is (int32, string[9]): 16 bytes" grep -qx "g sizeof 16" "$ET_OUT"
# every element of the narrow value reads back right from the widened slot
check "map values printed in key order, each element right" \
	bash -c "grep '^@w' '$ET_OUT' | tr '\n' '|' | grep -qxF '@w[1]: (1, a, -1)|@w[2]: (100000, abcdef, -300)|'"
check "tuple keys sorted by their signed first field" \
	bash -c "grep '^@k\[' '$ET_OUT' | tr '\n' '|' | grep -qxF '@k[-3, k]: k|@k[-2, k]: k|@k[-1, k]: k|'"
check "tuple keys sorted by the int (1 widened to int16 by 300), then the string" \
	bash -c "grep '^@m' '$ET_OUT' | tr '\n' '|' | grep -qxF '@m[1, a]: m3|@m[1, bb]: m1|@m[300, a]: m2|'"
check "@kt[a, b] and @kt[(a, b)] are one map" \
	bash -c "grep '^@kt' '$ET_OUT' | tr '\n' '|' | grep -qxF '@kt[-7, tt]: b|@kt[1, t]: a|'"
check "nothing left behind (text)" nothing_left_behind

# ---- JSON (bpftrace -f json: a tuple is an array, a tuple key its elements joined by ",") ----
start_json "$TMP/tuples.bt" || { fail "attach (json)"; finish; }
"$loop" 3
stop_etrace INT
check "exit status 0 (json)" test "$ET_STATUS" = 0
check "JSON values and maps" python3 - "$ET_OUT" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
values = [o["data"] for o in objs if o["type"] == "value"]
maps = {}
for o in objs:
    if o["type"] == "map":
        maps.update(o["data"])
want_values = [[-i, "ab", i * 1000, i, "etr_tuples"] for i in (1, 2, 3)]
ok = values == want_values
ok &= maps.get("@w") == {"1": [1, "a", -1], "2": [100000, "abcdef", -300]}
ok &= list(maps.get("@k", {}).items()) == [("-3,k", "k"), ("-2,k", "k"), ("-1,k", "k")]
ok &= list(maps.get("@m", {}).items()) == [("1,a", "m3"), ("1,bb", "m1"), ("300,a", "m2")]
if not ok:
    print("values:", values)
    print("maps:", maps)
sys.exit(0 if ok else 1)
PY
check "nothing left behind (json)" nothing_left_behind
finish
