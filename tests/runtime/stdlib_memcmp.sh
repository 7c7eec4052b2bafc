# memcmp(a, b, n) from a uprobe on et_greet("hello") (fired twice): strings (str(arg0) and literals, a
# difference before and at a NUL), int64 integers as their bytes (0x80 is a negative char: -129 and 129), equal
# values, n = 0; as a map key and in a predicate. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

run_etrace -c "$UT 2" -e "uprobe:$UT:et_greet { \$s = str(arg0); \$a = (int64)0x0180; \$b = (int64)0x0101;
	print((memcmp(\$s, \"help\", 4), memcmp(\$s, \"hello\", 5), memcmp(\"hel\", \$s, 4), memcmp(\$a, \$b, 8),
	memcmp(\$b, \$a, 2), memcmp(\$a, \$a, 8), memcmp(comm, \$s, 0))); @[memcmp(comm, \"ux\", 2)] = count(); }
	uprobe:$UT:et_greet /memcmp(str(arg0), \"hex\", 2) == 0/ { @pred = count(); }"
check "memcmp: the first differing bytes' difference as signed chars, 0 when equal or n = 0" \
	grep -qx '(-4, 0, -108, -129, 129, 0, 0)' "$ET_OUT"
check "as a map key ('t' - 'x') and in a predicate" \
	bash -c "grep -qx '@\[-4\]: 2' '$ET_OUT' && grep -qx '@pred: 2' '$ET_OUT'"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/memcmp.json" -c "$UT 1" -e "uprobe:$UT:et_greet { @d = memcmp(str(arg0), \"hello\", 5); @e = memcmp(\"b\", str(arg0), 1); }" ||
	exit 1
check "-f json: memcmp values" jcheck "$TMP/memcmp.json" "one('map', '@d') == 0" "one('map', '@e') == -6"

check "nothing left behind" nothing_left_behind
finish
