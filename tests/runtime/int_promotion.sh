# Integer typing as today's bpftrace does it, with exact values from a real event, in text and -f json:
# a scratch variable keeps its integer's size and sign and widens to a type that holds every value
# assigned to it (get_promoted_int: uint8 then int8 is int16, uint8 then uint32 is uint32, int8 then
# uint32 is int64), so sizeof, array casts and &$x + 1 see that type; literals have the smallest signed
# type that holds them (`$a = 1` is an int8); a compound assignment or ++ stores a 64-bit result, so
# `$r = (uint8)x; $r -= 201` is signed; a map's values and keys of both signs print signed, and so do
# sum() and min() given both signs and a ternary of both; integers of different signs compare in the
# type both promote to (uint32 4000000000 > int32 -320000); a range loop's variable has the type its
# bounds promote to.
# The probe: a uprobe on tests/progs/ptr_chain (fixed data, see its header: leaf1 holds i8 -8, u8 200,
# i16 -1600, u16 60000, i32 -320000, u32 4000000000).
. "$(dirname "$0")/lib.sh"
require_root
prog=$(build_prog ptr_chain etr_int_promotion)
snapshot_bpf

SCRIPT="$PTR_CHAIN_DEFS
uprobe:$prog:etp_visit {
	\$l = ((struct etp_node *)arg0).leaf;
	\$w = \$l.u8;
	@before = \$w;
	\$w = \$l.i8;
	@after = \$w;
	@wsize = sizeof(\$w);
	\$y = \$l.u8;
	\$y = \$l.u32;
	@y = (\$y, sizeof(\$y));
	\$z = \$l.i8;
	\$z = \$l.u32;
	@z = (\$z, sizeof(\$z));
	\$u = (uint32)\$l.u8;
	\$a = 1;
	@sizes = (sizeof(\$u), sizeof(\$a), sizeof(1), sizeof(-1000), sizeof(\$l.i16));
	\$c = \$l.u16;
	@bytes = (uint8[])\$c;
	\$b = \$l.i16;
	\$p = &\$b;
	@step = (uint64)(\$p + 1) - (uint64)\$p;
	\$q = \$l.u8; \$q += 100;
	\$r = \$l.u8; \$r -= 201;
	\$s = \$l.u8; \$s++; \$s++;
	@compound = (\$q, \$r, \$s);
	@m = \$l.u8;
	@m = \$l.i8;
	@k[\$l.u32] = 1;
	@k[\$l.i32] = 2;
	@cmp = (\$l.u32 > \$l.i32, (uint64)\$l.u8 > -1, \$l.u8 > \$l.i8, \$l.i32 < \$l.u16, \$l.u32 > 5);
	@sum = sum(\$l.u8);
	@sum = sum(\$l.i32);
	@min = min(\$l.u16);
	@min = min(\$l.i16);
	@tern = \$l.u8 > 250 ? \$l.u8 : \$l.i8;
	for (\$j : \$l.i8..\$l.u8) { @range = (\$j, sizeof(\$j)); }
	print(\$w);
	exit();
}"

run_etrace -q -c "$prog 1" -e "$SCRIPT"
check "etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
check "a uint8 variable given an int8 value is an int16: prints -8, sizeof 2" \
	bash -c "grep -qxF -- '-8' '$ET_OUT' && grep -qxF '@after: -8' '$ET_OUT' && grep -qxF '@wsize: 2' '$ET_OUT'"
check "the value read before the widening is unchanged" has_line '@before: 200'
check "uint8 then uint32 is a uint32" has_line '@y: (4000000000, 4)'
check "int8 then uint32 is an int64" has_line '@z: (4000000000, 8)'
check "sizeof of a uint32 variable, of \$a = 1, of literals and of a field" has_line '@sizes: (4, 1, 1, 2, 2)'
check "a uint16 variable casts to two bytes" has_line '@bytes: [96,234]'
check "&\$x + 1 steps by the variable's size" has_line '@step: 2'
check "+=, -= and ++ widen to 64 bits (-= is signed)" has_line '@compound: (300, -1, 202)'
check "a map given a uint8 and an int8 prints signed" has_line '@m: -8'
check "map keys of both signs print signed" \
	bash -c "grep -qxF '@k[4000000000]: 1' '$ET_OUT' && grep -qxF '@k[-320000]: 2' '$ET_OUT'"
check "comparisons of mixed signs" has_line '@cmp: (true, true, true, true, true)'
check "sum() and min() given unsigned and signed values are signed" \
	bash -c "grep -qxF '@sum: -319800' '$ET_OUT' && grep -qxF '@min: -1600' '$ET_OUT'"
check "a ternary of a uint8 and an int8 is signed" has_line '@tern: -8'
check "a range loop's variable over int8 .. uint8 is an int16" has_line '@range: (199, 2)'
[ "$ET_STATUS" = 0 ] || cat "$ET_ERR"

run_etrace -q -f json -c "$prog 1" -e "$SCRIPT"
check "json: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
grep -v '^done ' "$ET_OUT" >"$TMP/json" # the program's own line
check "json: the same values" jcheck "$TMP/json" \
	'of("value") == [-8]' 'one("map", "@after") == -8' 'one("map", "@before") == 200' \
	'one("map", "@wsize") == 2' 'one("map", "@y") == [4000000000, 4]' 'one("map", "@z") == [4000000000, 8]' \
	'one("map", "@sizes") == [4, 1, 1, 2, 2]' 'one("map", "@bytes") == [96, 234]' 'one("map", "@step") == 2' \
	'one("map", "@compound") == [300, -1, 202]' 'one("map", "@m") == -8' \
	'one("map", "@k") == {"4000000000": 1, "-320000": 2}' 'one("map", "@cmp") == [True] * 5' \
	'one("map", "@sum") == -319800' 'one("map", "@min") == -1600' 'one("map", "@tern") == -8' \
	'one("map", "@range") == [199, 2]'
[ "$ET_STATUS" = 0 ] || cat "$ET_ERR"
check "nothing left behind" nothing_left_behind
finish
