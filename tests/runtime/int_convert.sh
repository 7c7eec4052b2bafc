# Integer conversions to narrower and unsigned types, as today's bpftrace does them, with exact values
# from a real event: a typed let (`let $a: uint16 = $e;`) converts its value to the declared type, from
# a variable, a map value and an expression, and so does every later store into that variable (=, ++,
# +=); casts (uint8/16/32, int8/16/32) of a variable, a map value, an expression and a struct field;
# the sign of arithmetic on unsigned values (a subtraction is signed, as in today's bpftrace); unary - and
# ~ at the operand's width (-(uint8)200 is 56); >>, / and % of signed values work unsigned, except
# between literals (bpftrace folds those as C does).
# The probe: a uprobe on tests/progs/ptr_chain (fixed data, see its header: leaf1 holds i8 -8, u8 200,
# i16 -1600, u16 60000, i32 -320000, u32 4000000000, i64 -64000000000).
. "$(dirname "$0")/lib.sh"
require_root
prog=$(build_prog ptr_chain etr_int_convert)
snapshot_bpf

run_etrace -q -c "$prog 1" -e "$PTR_CHAIN_DEFS
uprobe:$prog:etp_visit {
	\$l = ((struct etp_node *)arg0).leaf;
	\$e = \$l.i8;
	@m = \$l.i32;
	let \$a: uint16 = \$e;
	let \$b: uint8 = \$e;
	let \$c: uint32 = \$e;
	let \$d: int8 = \$l.u8;
	let \$f: int16 = @m;
	let \$g: int32 = \$l.i64;
	let \$h: uint16 = @m;
	let \$i: uint8 = \$e - 1;
	printf(\"let %d %d %u %d %d %d %d %d\n\", \$a, \$b, \$c, \$d, \$f, \$g, \$h, \$i);
	\$a = \$l.i16;
	\$b++;
	\$b += 10;
	\$d--;
	printf(\"store %d %d %d\n\", \$a, \$b, \$d);
	printf(\"cast %d %d %u %d %d %d %d\n\", (uint16)\$e, (int16)@m, (uint32)(\$e * 2), (int32)\$l.u32,
		(int16)\$l.u16, (uint8)\$l.u16, (int8)(@m + 56));
	@sub = \$l.u32 - 4000000001;
	@mix = \$l.u16 * (int8)-1;
	@uns = \$l.u64 + 1;
	@shr = (uint64)\$l.i64 >> 60;
	@k[\$a] = \$i;
	@t = (\$a, \$b, \$d);
	@neg = (-\$l.u8, -\$l.i8, ~\$l.u16, -(int8)(\$l.i8 * 16), -(uint32)\$l.u8, ~\$l.i16);
	\$s = \$l.i64;
	\$s >>= 60;
	@sar = (\$l.i8 >> 1, \$l.i32 >> 40, \$s, -8 >> 1);
	\$q = \$l.i32;
	\$q /= 7;
	@div = (\$l.i8 / 3, \$l.i16 % 7, \$q, -7 / 2, -7 % 2, \$l.i64 / \$l.u64);
	exit();
}"
check "etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
check "typed let converts a variable, a map value and an expression to its type" \
	has_line 'let 65528 248 4294967288 -56 7680 424509440 7680 247'
check "later stores into a typed variable convert too (=, ++, +=, --)" has_line 'store 63936 3 -57'
check "casts of a variable, a map value, an expression and fields" \
	has_line 'cast 65528 7680 4294967280 -294967296 -5536 96 56'
check "a typed variable as a map key and value" has_line '@k[63936]: 247'
check "typed variables in a tuple" has_line '@t: (63936, 3, -57)'
# bpftrace: a subtraction is signed; otherwise signed when either side is (a non-negative constant takes
# the other side's sign)
check "unsigned - unsigned is signed" has_line '@sub: -1'
check "unsigned * signed is signed" has_line '@mix: -60000'
check "unsigned + a constant stays unsigned" has_line '@uns: 18000000000000000001'
check "unsigned >> a constant is a logical shift" has_line '@shr: 15'
# bpftrace: - and ~ work at the operand's width; the result is unsigned when the operand is
check "- and ~ at the operand's width and sign" has_line '@neg: (56, 8, 5535, -128, 4294967096, 1599)'
# bpftrace: >> of a signed value is a logical shift, but between literals it folds as C does
check ">> of signed values is logical, of literals arithmetic" \
	has_line '@sar: (9223372036854775804, 16777215, 15, -4)'
# bpftrace: / and % divide unsigned whatever the signs (BPF had no signed division), except between
# literals; it warns only where no type holds both operands (a signed one and a 64-bit unsigned one)
check "/ and % of signed values divide unsigned, of literals as C does" \
	has_line '@div: (6148914691236517202, 5, 2635249153387033088, -3, -1, 1)'
check "one warning, at the signed / unsigned division" \
	test "$(grep -c "warning: signed operands for '/' can lead to undefined behavior" "$ET_ERR")" = 1
check "the warning located at its operator" \
	grep -q "^-e:[0-9]*:[0-9]*: warning: signed operands for '/' can lead to undefined behavior (cast to unsigned to silence warning)$" "$ET_ERR"
[ "$ET_STATUS" = 0 ] || cat "$ET_ERR"
check "nothing left behind" nothing_left_behind
finish
