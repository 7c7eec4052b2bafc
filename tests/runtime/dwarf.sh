# uprobe arguments typed from DWARF, with exact values from real calls of tests/progs/dwarf_args (fixed
# arguments, see its header), built with -g and once without: args.NAME of integers of every width and
# signedness (six in registers, two on the stack), a struct pointer read through, an enum, a char *, a
# typedef; `args` printed whole (text and -f json) and stored in a map; retval typed (an int) in a
# uretprobe; -lv listing the parameters; casts to the struct, union and enum types the binary's DWARF
# defines (bitfields, a nested struct, a pointer to the next record), kernel types from BTF beside them;
# structs and unions by value wherever the calling convention puts them. Without DWARF: argN and an
# untyped retval keep working, and args is a located error (the golden tests/bad/cli/uprobe_args_no_dwarf covers the message).
. "$(dirname "$0")/lib.sh"
require_root
prog=$(build_prog dwarf_args etr_dwarf_g -g)
plain=$(build_prog dwarf_args etr_dwarf)
snapshot_bpf

# 1. every parameter by name, twice (two calls), and args printed whole
run_etrace -q -c "$prog 2" -e "
uprobe:$prog:dw_ints {
	printf(\"ints %d %d %d %d %d %u %ld %lu\n\", args.i8, args.u8, args.i16, args.u16, args.i32, args.u32,
		args.i64, args.u64);
	print(args);
}
uprobe:$prog:dw_point {
	printf(\"point %d %d %s %d %s %d\n\", args.p->x, args.p.y, args.p->tag, args.color, str(args.name), args.port);
	@color = args.color; @port = args.port; @a = args;
}
uretprobe:$prog:dw_neg { @r = retval; @s = sum(retval); }"
check "integers of each width and sign, two on the stack" \
	test "$(grep -cxF 'ints -8 200 -1600 60000 -320000 4000000000 -64000000000 18000000000000000000' "$ET_OUT")" = 2
check "args printed as a record" \
	test "$(grep -cxF '{ .i8 = -8, .u8 = 200, .i16 = -1600, .u16 = 60000, .i32 = -320000, .u32 = 4000000000, .i64 = -64000000000, .u64 = 18000000000000000000 }' "$ET_OUT")" = 2
check "struct pointer fields (-> and .), enum, char *, typedef" test "$(grep -cxF 'point -3 7 pt 2 hello 8080' "$ET_OUT")" = 2
check "an enum is an unsigned integer of its size" has_line '@color: 2'
check "a typedef of uint16_t" has_line '@port: 8080'
check "args stored in a map keeps its fields" grep -qE '^@a: \{ \.p = 0x[0-9a-f]+, \.color = 2, \.name = 0x[0-9a-f]+, \.port = 8080 \}$' "$ET_OUT"
check "retval typed int from DWARF: -5" has_line '@r: -5'
check "sum of the typed retval: -10" has_line '@s: -10'

# 2. -f json: the args record as an object
run_etrace -f json -c "$prog 1" -e "uprobe:$prog:dw_ints { print(args); }"
grep -vxF done "$ET_OUT" >"$TMP/json" # the program's own line
check "json: args as an object with exact values" jcheck "$TMP/json" \
	'of("value") == [{"i8": -8, "u8": 200, "i16": -1600, "u16": 60000, "i32": -320000, "u32": 4000000000, "i64": -64000000000, "u64": 18000000000000000000}]'

# 3. -lv lists the parameters as bpftrace does
"$ETRACE" -lv "uprobe:$prog:dw_point" >"$TMP/list" 2>"$TMP/list.err"
printf '%s\n' "uprobe:$prog:dw_point" '    struct dw_point* p' '    enum dw_color color' '    const char* name' \
	'    dw_port_t port' >"$TMP/list.want"
check "-lv: the typed parameters" diff "$TMP/list.want" "$TMP/list"
"$ETRACE" -lv "uprobe:$prog:dw_ints" >"$TMP/list"
check "-lv: integer parameters by their C names" bash -c "grep -qxF '    int8_t i8' '$TMP/list' && grep -qxF '    uint64_t u64' '$TMP/list' && test \$(wc -l <'$TMP/list') = 9"
"$ETRACE" -lv "uprobe:$plain:dw_point" >"$TMP/list" 2>"$TMP/list.err"
check "-lv without DWARF: the name alone" test "$(cat "$TMP/list")" = "uprobe:$plain:dw_point"
check "-lv without DWARF: bpftrace's warning" grep -qxF "WARNING: No DWARF found for \"$plain\", cannot show parameter info" "$TMP/list.err"

# 4. no DWARF: argN and retval still work; args is an error that attaches nothing
run_etrace -q -c "$plain 2" -e "uprobe:$plain:dw_point { @c[arg1, arg3] = count(); } uretprobe:$plain:dw_neg { @r = retval; }"
check "no DWARF: argN" has_line '@c[2, 8080]: 2'
check "no DWARF: retval untyped (uint64)" has_line '@r: 4294967291'
run_etrace -c "$plain 1" -e "uprobe:$plain:dw_point { @ = args.color; }"
check "no DWARF: args is an error" test "$ET_STATUS" = 1
check "no DWARF: the error says so and how to get it" bash -c "grep -qF 'has no DWARF' '$ET_ERR' && grep -qF 'build the program with -g' '$ET_ERR'"

# 5. casts to the binary's own types: (struct dw_rec *) and (union dw_num *) exist only in its DWARF
run_etrace -q -c "$prog 2" -e "
uprobe:$prog:dw_opaque {
	\$r = (struct dw_rec *)arg0;
	printf(\"rec %lu %u %u %x %u %u %u %s %lu %s\n\", \$r->id, \$r->in.a, \$r->in.b, \$r->num.u, \$r->flag, \$r->level,
		\$r->color, \$r->name, \$r->next->id, \$r->next->name);
	printf(\"num %d %u size %d\n\", ((union dw_num *)arg1)->s, (uint64)(enum dw_color)2, sizeof(struct dw_rec));
	printf(\"kernel %d\n\", ((struct task_struct *)curtask)->pid == pid);
	print(*\$r);
}"
check "cast to a DWARF struct: members, nested struct, union, bitfields, enum, next pointer" \
	test "$(grep -cxF 'rec 1 9 65000 1234fff0 1 5 1 first 2 second' "$ET_OUT")" = 2
check "cast to a DWARF union, an enum cast, sizeof a DWARF struct" \
	test "$(grep -cxF 'num -16 2 size 48' "$ET_OUT")" = 2
check "a kernel struct from BTF in the same uprobe" test "$(grep -cxF 'kernel 1' "$ET_OUT")" = 2
check "the DWARF struct printed whole" grep -qE '^\{ \.id = 1, \.in = \{ \.a = 9, \.b = 65000 \}, \.num = \{ \.u = 305463280, \.s = -16 \}, \.flag = 1, \.level = 5, \.color = 1, \.next = 0x[0-9a-f]+, \.name = first \}$' "$ET_OUT"
run_etrace -c "$prog 1" -e "uprobe:$prog:dw_opaque { \$x = (struct dw_nosuch *)arg0; }"
check "a type in neither DWARF nor BTF: a located error naming both" \
	grep -qxF -- "-e:1:$(( ${#prog} + 27 )): error: unknown type 'struct dw_nosuch': not in the DWARF of $prog nor in the kernel's BTF" "$ET_ERR"
run_etrace -c "$prog 1" -e "BEGIN { \$x = (struct dw_rec *)0; exit(); }"
check "outside a uprobe the binary's types are not seen" grep -qF "unknown type 'struct dw_rec': not in the kernel's BTF" "$ET_ERR"

# 6. --debuginfo: the DWARF in a separate debug file, found by build id (DIR/.build-id/NN/REST.debug) or by
# the binary's .gnu_debuglink name in DIR (a relative DIR from the binary's directory), as bpftrace does
mkdir -p "$TMP/split/bin" "$TMP/split/dbg" "$TMP/split/bin/rel"
split="$TMP/split/bin/etr_dwarf_split"
objcopy --only-keep-debug "$prog" "$TMP/split/etr_dwarf_split.debug"
objcopy --strip-debug --add-gnu-debuglink="$TMP/split/etr_dwarf_split.debug" "$prog" "$split"
id=$(readelf -n "$split" | awk '/Build ID/ { print $3 }')
mkdir -p "$TMP/split/dbg/.build-id/${id:0:2}"
cp "$TMP/split/etr_dwarf_split.debug" "$TMP/split/dbg/.build-id/${id:0:2}/${id:2}.debug"
cp "$TMP/split/etr_dwarf_split.debug" "$TMP/split/bin/rel/"
printf '%s\n' "uprobe:$split:dw_point" '    struct dw_point* p' '    enum dw_color color' '    const char* name' \
	'    dw_port_t port' >"$TMP/list.want"
"$ETRACE" -lv "uprobe:$split:dw_point" >"$TMP/list" 2>/dev/null
check "--debuginfo: without it a stripped binary has no parameters" test "$(cat "$TMP/list")" = "uprobe:$split:dw_point"
"$ETRACE" --debuginfo "$TMP/split/dbg" -lv "uprobe:$split:dw_point" >"$TMP/list" 2>"$TMP/list.err"
check "--debuginfo DIR: found by build id" diff "$TMP/list.want" "$TMP/list"
"$ETRACE" --debuginfo=/nonexistent:rel -lv "uprobe:$split:dw_point" >"$TMP/list" 2>"$TMP/list.err"
check "--debuginfo A:B, B relative to the binary: found by its debuglink name" diff "$TMP/list.want" "$TMP/list"
cp "$plain" "$TMP/split/bin/rel/etr_dwarf_split.debug" # same name, another build id: skipped
"$ETRACE" --debuginfo rel -lv "uprobe:$split:dw_point" >"$TMP/list" 2>/dev/null
check "--debuginfo: a file of another build id is skipped" test "$(cat "$TMP/list")" = "uprobe:$split:dw_point"
run_etrace -q --debuginfo "$TMP/split/dbg" -c "$split 1" -e "uprobe:$split:dw_point { printf(\"%d %d\n\", args.p->x, args.port); }"
check "--debuginfo: args.NAME of a stripped binary read right" grep -qxF -- '-3 8080' "$ET_OUT"

# 7. structs and unions by value (x86-64 SysV): in one or two registers, on the stack when larger than 16
# bytes or when the registers run out (and the next integer still takes the register left), none of a
# struct returned in memory's hidden first register; a double and a struct of doubles travel in SSE
# registers, which a uprobe cannot read: left out of args, and a located error when named
run_etrace -q -c "$prog 2" -e "
uprobe:$prog:dw_pair_fn { print(args); print(args.p); printf(\"pair %d %d %d\n\", args.p.a, args.p.b, args.after); }
uprobe:$prog:dw_mid_fn { print(args); printf(\"mid %d %ld %d %c %u\n\", args.first, args.m.x, args.m.y, args.m.c, args.last); }
uprobe:$prog:dw_big_fn {
	print(args);
	printf(\"big %d %lu %s %x %d %d\n\", args.n, args.b.id, args.b.name, args.b.flags, args.b.parts[1], args.tail);
	@big = args.b; @bykey[args.b.parts, args.n] = count();
}
uprobe:$prog:dw_spill { print(args); printf(\"spill %ld %d\n\", args.m.x, args.f); }
uprobe:$prog:dw_float { print(args); printf(\"float %d %d\n\", args.n, args.k); }
uprobe:$prog:dw_ret_big { printf(\"ret %d\n\", args.n); }
uprobe:$prog:dw_union_fn { print(args); printf(\"union %x %d %d\n\", args.num.u, args.num.s, args.x); }
uprobe:$prog:dw_late { print(args); }"
twice() { test "$(grep -cxF -- "$1" "$ET_OUT")" = 2; }
check "by value, 8 bytes: one register, args printed as a record" twice '{ .p = { .a = -3, .b = 7 }, .after = -9 }'
check "by value: print(args.p)" twice '{ .a = -3, .b = 7 }'
check "by value: args.p.a, args.p.b and the next parameter" twice 'pair -3 7 -9'
check "16 bytes: two registers between two integers" twice '{ .first = -1, .m = { .x = -5000000000, .y = -12, .c = 109 }, .last = 65535 }'
check "16 bytes: its fields by name" twice 'mid -1 -5000000000 -12 m 65535'
check "32 bytes: on the stack, the integers around it in registers" \
	twice '{ .n = 42, .b = { .id = 77, .name = big, .flags = 61453, .parts = [1,-2,3] }, .tail = -42 }'
check "32 bytes: its fields by name (a string, an array element)" twice 'big 42 77 big f00d -2 -42'
check "a struct from the stack kept in a map" has_line '@big: { .id = 77, .name = big, .flags = 61453, .parts = [1,-2,3] }'
check "a member array of it as a map key" has_line '@bykey[[1,-2,3], 42]: 2'
check "registers run out: the struct on the stack, the int after it in the last register" \
	twice '{ .a = 1, .b = 2, .c = 3, .d = 4, .e = 5, .m = { .x = -5000000000, .y = -12, .c = 109 }, .f = 6 }'
check "registers run out: fields by name" twice 'spill -5000000000 6'
check "SSE parameters left out of args; the integers in the first registers" twice '{ .n = 11, .k = 12 }'
check "SSE parameters: the integers by name" twice 'float 11 12'
check "a struct returned in memory: its address takes the first register" twice 'ret 8'
check "a union by value" twice '{ .num = { .u = 305463280, .s = -16 }, .x = 3 }'
check "a union's members by name" twice 'union 1234fff0 -16 3'
check "a 16-aligned struct on the stack at a 16-byte boundary, an int after it" \
	twice '{ .a = 1, .b = 2, .c = 3, .d = 4, .e = 5, .f = 6, .g = 7, .al = { .v = 808 }, .i = 9 }'

run_etrace -f json -c "$prog 1" -e "uprobe:$prog:dw_spill { print(args); } uprobe:$prog:dw_big_fn { print(args.b); }"
grep -vxF done "$ET_OUT" >"$TMP/json"
check "json: a struct by value as a nested object, one from the stack alone" jcheck "$TMP/json" \
	'of("value") == [{"id": 77, "name": "big", "flags": 61453, "parts": [1, -2, 3]}, {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "m": {"x": -5000000000, "y": -12, "c": 109}, "f": 6}]'

run_etrace -c "$prog 1" -e "uprobe:$prog:dw_float { @ = args.v.x; }"
check "a parameter in SSE registers: an error" test "$ET_STATUS" = 1
check "a parameter in SSE registers: the error names it and why" grep -qxF -- \
	"-e:1:$(( ${#prog} + 24 )): error: args.v cannot be read in a uprobe: it is passed in SSE registers, which a uprobe cannot read" "$ET_ERR"
"$ETRACE" -lv "uprobe:$prog:dw_mid_fn" >"$TMP/list"
printf '%s\n' "uprobe:$prog:dw_mid_fn" '    int8_t first' '    struct dw_mid m' '    uint16_t last' >"$TMP/list.want"
check "-lv: a struct by value" diff "$TMP/list.want" "$TMP/list"

# 8. C++: the function found by its mangled name (DW_AT_linkage_name), `this` a parameter like the others
if build_cxx_prog "$TMP/cxx_g" -g; then
	run_etrace -q -c "$TMP/cxx_g 3" -e "
uprobe:$TMP/cxx_g:\"etns::Widget::poke(int)\" { printf(\"poke %d %d\n\", args.x, args.this->v); }
uprobe:$TMP/cxx_g:\"etns::twice\" { print(args); }"
	check "C++ method: args.x and this->v of each call" \
		bash -c "grep -xE 'poke 1 [0-2]' '$ET_OUT' | sort | tr '\n' ' ' | grep -qxF 'poke 1 0 poke 1 1 poke 1 2 '"
	check "C++ function in a namespace: args printed" \
		bash -c "grep -xE '\{ \.x = [0-2] \}' '$ET_OUT' | sort | tr '\n' ' ' | grep -qxF '{ .x = 0 } { .x = 1 } { .x = 2 } '"
fi

check "nothing left behind" nothing_left_behind
finish
