# strlen of a string value, a literal, comm, a char pointer (read like str()) and an empty string, from
# a uprobe on et_greet("hello"); bswap at each width; default_str_length(). Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

run_etrace -c "$UT 3" -e "uprobe:$UT:et_greet { @[strlen((int8 *)arg0), strlen(str(arg0)), strlen(\"\"),
	strlen(comm)] = count(); }"
check "strlen of et_greet's \"hello\" (pointer and str()), of \"\" and of comm \"ut\"" \
	grep -qx '@\[5, 5, 0, 2\]: 3' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -e 'BEGIN { $s = "sixteen chars!!!"; printf("%lu %lu %lu %lu %lu %lu\n", strlen($s), bswap((uint16)0x1234),
	bswap((uint32)0x12345678), bswap((uint64)0x0102030405060708), bswap((int8)-1), bswap((int16)-2)); exit(); }'
check "strlen of a full string; bswap at 16, 32, 64 and 8 bits, unsigned" \
	grep -qx '16 13330 2018915346 578437695752307201 255 65279' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -e 'config = { max_strlen = 100 } BEGIN { printf("%lu %lu\n", default_str_length(), sizeof(str(0))); exit(); }'
check "default_str_length() is max_strlen as configured, the size of str(p)" grep -qx '100 100' "$ET_OUT"

run_json "$TMP/str.json" -c "$UT 1" -e "config = { max_strlen = 72 } uprobe:$UT:et_greet { @l = strlen((int8 *)arg0);
	@b = bswap((uint32)1); @d = default_str_length(); }" || exit 1
check "-f json: strlen, bswap, default_str_length" jcheck "$TMP/str.json" "one('map', '@l') == 5" "one('map', '@b') == 16777216" \
	"one('map', '@d') == 72"

check "nothing left behind" nothing_left_behind
finish
