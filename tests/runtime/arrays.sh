# Arrays and indexing as today's bpftrace has them, on real events with exact values:
#  - uprobes on tests/progs/arrays.c (a struct of int arrays, a 2-D array, an array of string pointers,
#    an array of structs; its values are fixed, see the program): elements with a constant, a variable
#    and a positional-parameter index, a pointer indexed like an array ($p[2]), nested [i][j];
#  - an index out of bounds at run time gives bpftrace's warning at the index's location ("Array access
#    out of bounds. This can lead to unexpected results."): an array in the traced memory is still read
#    past its end, as bpftrace does; an array the program holds (a variable, a copy of the context) gives 0;
#  - arrays as values: in variables and maps, as map keys (alone and with another key), in tuples,
#    compared with == and !=, printed as bpftrace prints them ([1,2,3,4], nested for 2-D), and as JSON
#    arrays under -f json;
#  - array casts: integers to int arrays and back, a string to an int array, T[] taking its count from
#    the value, on values read from the traced memory and on values the program made;
#  - tracepoints: a string field indexed (sched_switch's prev_comm, char[16]: int8 bytes), and
#    execve's argv (const char *const *) indexed to its strings;
#  - kernel BTF: curtask's comm and a rawtracepoint's args.prev->comm indexed, a flexible array member (no bounds, as in bpftrace);
#  - USDT: a char * argument cast to a pointer and indexed.
# kprobes, kretprobes and fentry/fexit: tests/vm/guest/arrays.sh.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint sched/sched_switch
require_tracepoint syscalls/sys_enter_execve
AR=$(build_prog arrays etr_arrays)
snapshot_bpf

defs='struct et_pair { short a; short b; };
struct et_arrs {
	int ints[4];
	int grid[2][3];
	const char *names[3];
	unsigned char bytes[8];
	long long wide[2];
	struct et_pair pairs[2];
};'

# ---- uprobe: constant, variable and positional indexes; 2-D; pointers; arrays of pointers ----
script=$TMP/index.bt
cat >"$script" <<EOF
$defs
uprobe:$AR:et_arrays {
	\$s = (struct et_arrs *)arg0;
	\$i = arg3;
	printf("ints %d %d %d %d\n", \$s->ints[0], \$s->ints[3], \$s->ints[\$i], \$s->ints[\$1]);
	printf("grid %d %d %d\n", \$s->grid[1][2], \$s->grid[\$i % 2][\$i], \$s->grid[\$1 - 1][0]);
	printf("names %s %s\n", str(\$s->names[2]), str(\$s->names[\$i]));
	printf("wide %lld %lld\n", \$s->wide[0], \$s->wide[1]);
	printf("pairs %d %d\n", \$s->pairs[1].b, \$s->pairs[\$i % 2].a);
	\$p = (int32 *)arg1;
	\$n = (int8 **)arg2;
	printf("ptr %d %d %s\n", \$p[2], \$p[\$i + 1], str(\$n[\$i]));
}
EOF
run_etrace "$script" 1 -c "$AR 3"
check "index: exit status 0" test "$ET_STATUS" = 0
check "index: int elements with constant, variable and \$1 indexes" \
	diff <(grep '^ints' "$ET_OUT") <(printf 'ints 1 4 %d 2\n' 1 2 3)
check "index: 2-D elements" diff <(grep '^grid' "$ET_OUT") <(printf 'grid 112 %d 100\n' 100 111 102)
check "index: an array of string pointers" \
	diff <(grep '^names' "$ET_OUT") <(printf 'names two %s\n' zero one two)
check "index: 64-bit elements" test "$(grep -c '^wide -5 1099511627776$' "$ET_OUT")" = 3
check "index: an array of structs" diff <(grep '^pairs' "$ET_OUT") <(printf 'pairs -4 %d\n' -1 3 -1)
check "index: pointers indexed like arrays" \
	diff <(grep '^ptr' "$ET_OUT") <(printf 'ptr 3 %d %s\n' 2 zero 3 one 4 two)
check "index: no warning for indexes in bounds" test "$(grep -c warning "$ET_ERR")" = 0
check "nothing left behind (index)" nothing_left_behind

# ---- run-time out of bounds: warned each time; memory read past the end; held copies give 0 ----
script=$TMP/oob.bt
cat >"$script" <<EOF
$defs
uprobe:$AR:et_arrays {
	\$s = (struct et_arrs *)arg0;
	\$k = arg3 + 4;
	printf("past %d\n", \$s->ints[\$k]);
	\$c = \$s->ints;
	printf("held %d %d\n", \$c[\$k], \$c[\$k - 4]);
}
EOF
msg="warning: Array access out of bounds. This can lead to unexpected results."
run_etrace "$script" -c "$AR 2"
check "oob: exit status 0" test "$ET_STATUS" = 0
# ints[4] and ints[5] are grid[0][0] and grid[0][1] in the traced struct
check "oob: an array in memory is read past its end (as bpftrace)" \
	diff <(grep '^past' "$ET_OUT") <(printf 'past %d\n' 100 101)
check "oob: an array the program holds gives 0" diff <(grep '^held' "$ET_OUT") <(printf 'held 0 %d\n' 1 2)
check "oob: warned at each index, each time" \
	test "$(grep -cxF "$script:13:22: $msg" "$ET_ERR")" = 2 -a "$(grep -cxF "$script:15:25: $msg" "$ET_ERR")" = 2
check "oob: four warnings in all" test "$(grep -cF "$msg" "$ET_ERR")" = 4
check "nothing left behind (oob)" nothing_left_behind

# ---- tracepoints: a char[16] field indexed; execve's argv indexed ----
script=$TMP/tp.bt
cat >"$script" <<'EOF'
tracepoint:sched:sched_switch /args.prev_pid == cpid/ {
	$i = 4;
	$far = 16;
	@c0 = args.prev_comm[0];
	@c4 = args.prev_comm[$i];
	@c15 = args.prev_comm[15];
	@far = args.prev_comm[$far];
	@bytes = (uint8[16])args.prev_comm;
}
tracepoint:syscalls:sys_enter_execve /pid == cpid/ {
	$i = 3;
	printf("argv %s %s %s\n", str(args.argv[2]), str(args.argv[$i]), str(args.argv[$1]));
}
EOF
run_etrace "$script" 4 -c "$AR 1 etr-one etr-two etr-three"
check "tp: exit status 0" test "$ET_STATUS" = 0
check "tp: argv[2], argv[\$i], argv[\$1] of the exec" grep -qx 'argv etr-one etr-two etr-three' "$ET_OUT"
# "etr_arrays": 'e' = 101, 'a' = 97, and the NUL padding at 15
check "tp: prev_comm bytes as int8" \
	bash -c "grep -qx '@c0: 101' '$ET_OUT' && grep -qx '@c4: 97' '$ET_OUT' && grep -qx '@c15: 0' '$ET_OUT'"
check "tp: prev_comm[\$far] out of bounds gives 0" grep -qx '@far: 0' "$ET_OUT"
check "tp: (uint8[16])prev_comm, the record's bytes" \
	grep -qxF '@bytes: [101,116,114,95,97,114,114,97,121,115,0,0,0,0,0,0]' "$ET_OUT"
check "tp: and the warning" grep -qF "$script:7:9: $msg" "$ET_ERR"
check "nothing left behind (tp)" nothing_left_behind

# ---- arrays as values: variables, maps, keys, tuples, ==/!=, print ----
script=$TMP/values.bt
cat >"$script" <<EOF
$defs
uprobe:$AR:et_arrays /arg3 == 1/ {
	\$s = (struct et_arrs *)arg0;
	\$c = \$s->ints;
	@ints = \$s->ints;
	@grid = \$s->grid;
	@k[\$s->ints] = count();
	@mk[\$s->ints, 7] = count();
	@t = (\$s->ints, 5);
	\$w0 = (int32[2])\$s->wide[0];
	printf("cmp %d %d %d %d\\n", \$c == \$s->ints, \$c != \$s->ints, \$w0 == (int32[2])\$s->wide[0],
	       \$w0 != (int32[2])\$s->wide[1]);
	print(\$c);
	print(\$s->grid[1]);
}
EOF
run_etrace "$script" -c "$AR 3"
check "values: exit status 0" test "$ET_STATUS" = 0
check "values: == and != on arrays" grep -qx 'cmp 1 0 1 1' "$ET_OUT"
check "values: print(\$c) and a row of the 2-D array" \
	bash -c "grep -qxF '[1,2,3,4]' '$ET_OUT' && grep -qxF '[110,111,112]' '$ET_OUT'"
check "values: map values" bash -c "grep -qxF '@ints: [1,2,3,4]' '$ET_OUT' &&
	grep -qxF '@grid: [[100,101,102],[110,111,112]]' '$ET_OUT'"
check "values: an array as the key, alone and with another key" \
	bash -c "grep -qxF '@k[[1,2,3,4]]: 1' '$ET_OUT' && grep -qxF '@mk[[1,2,3,4], 7]: 1' '$ET_OUT'"
check "values: in a tuple" grep -qxF '@t: ([1,2,3,4], 5)' "$ET_OUT"
check "nothing left behind (values)" nothing_left_behind

ET_OUT=$TMP/values.json ET_ERR=$TMP/values.err
timeout -s INT $((20 * TIME_SCALE)) "$ETRACE" -f json -c "$AR 3" "$script" >"$ET_OUT" 2>"$ET_ERR"
check "values: -f json exit status 0" test "$?" = 0
grep -vx done "$ET_OUT" >"$TMP/values.ndjson" # the traced program's own line
check "values: -f json gives arrays" jcheck "$TMP/values.ndjson" \
	'one("map", "@ints") == [1, 2, 3, 4]' \
	'one("map", "@grid") == [[100, 101, 102], [110, 111, 112]]' \
	'one("map", "@t") == [[1, 2, 3, 4], 5]' \
	'of("value") == [[1, 2, 3, 4], [110, 111, 112]]'
check "nothing left behind (json)" nothing_left_behind

# ---- casts: integers <-> arrays, a string to an array, T[]; from memory and from the program ----
# (bytes, an unsigned char[8], is a string as in bpftrace: (uint8[]) gives its bytes)
script=$TMP/casts.bt
cat >"$script" <<EOF
$defs
uprobe:$AR:et_arrays /arg3 == 0/ {
	\$s = (struct et_arrs *)arg0;
	print((uint64)\$s->pairs);
	print((int8[8])\$s->wide[0]);
	print((uint8[])\$s->ints[1]);
	print((int16[])\$s->ints[3]);
	\$x = 0x0000000300000002;
	print((uint8[8])0x0102030405060708);
	print((uint8[4])0x01020304);
	\$a = (int32[2])\$x;
	print(\$a);
	print((uint64)\$a == \$x);
	print((int8[])"abc");
	print((uint32)(int8[])"abc");
	print(sizeof(int16[3][2]));
	print((uint8[])\$s->bytes);
	print((uint64)(uint8[])\$s->bytes);
}
EOF
run_etrace "$script" -c "$AR 1"
check "casts: exit status 0" test "$ET_STATUS" = 0
# pairs = {{-1, 2}, {3, -4}} as int16: ffff 0200 0300 fcff, little-endian
check "casts: the values, in order" diff <(grep -v -e "^$" -e "^done$" "$ET_OUT") <(printf "%s\n" \
	"$(printf '%u' 0xfffc00030002ffff)" "[-5,-1,-1,-1,-1,-1,-1,-1]" "[2,0,0,0]" "[4,0]" \
	"[8,7,6,5,4,3,2,1]" "[4,3,2,1]" "[2,3]" "true" "[97,98,99,0]" "6513249" 12 \
	"[1,2,3,4,5,6,7,8]" "$(printf '%u' 0x0807060504030201)")
check "nothing left behind (casts)" nothing_left_behind

# ---- the run-time warning: none under --no-warnings; bpftrace's runtime_error line under -f json ----
prog='BEGIN { $a = (uint8[4])0x01020304; $i = 9; print($a[$i]); exit(); }'
run_etrace --no-warnings -e "$prog"
check "--no-warnings: 0 for the index out of bounds, and no warning" \
	bash -c "grep -qx 0 '$ET_OUT' && ! grep -q warning '$ET_ERR'"
run_etrace -f json -e "$prog"
check "-f json: the value 0 and a runtime_error line at the index" bash -c "
	grep -qxF '{\"type\": \"value\", \"data\": 0}' '$ET_OUT' &&
	grep -qxF '{\"type\": \"runtime_error\", \"msg\": \"Array access out of bounds. This can lead to unexpected results.\", \"filename\": \"-e\", \"line\": 1, \"col\": 50}' '$ET_OUT'"

# ---- kernel BTF: a char array of curtask, a flexible array member (no bounds, as in bpftrace) ----
if [ -r /sys/kernel/btf/vmlinux ]; then
	run_etrace -e 'BEGIN { $i = 0; printf("comm %d %d\n", curtask->comm[0], curtask->comm[$i + 1]); exit(); }'
	# BEGIN runs in etrace itself: "etrace"
	check "btf: curtask->comm[0] and [\$i + 1] of etrace" grep -qx 'comm 101 116' "$ET_OUT"
	# rawtracepoint (tp_btf): BTF-typed arguments, their char array indexed
	run_etrace -c "$AR 1" -e 'rawtracepoint:sched_switch /args.prev->pid == cpid/ { $i = 4; @rc0 = args.prev->comm[0]; @rc4 = args.prev->comm[$i]; }'
	check "rawtracepoint: args.prev->comm[0] and [\$i] of etr_arrays" \
		bash -c "grep -qx '@rc0: 101' '$ET_OUT' && grep -qx '@rc4: 97' '$ET_OUT'"
	# cgroup's ancestors[] (Linux 6.2+): a zero-length array, indexed at its level and at 0
	prog='BEGIN { $c = curtask->cgroups->dfl_cgrp; $l = $c->level; $i = 0;
		printf("flex %d %d %d\n", $c->ancestors[$l] == $c, $c->ancestors[0] == $c->ancestors[$i],
		       $c->ancestors[0] != 0); exit(); }'
	run_etrace -e "$prog"
	if [ "$ET_STATUS" != 0 ] && grep -q "does not contain a field named 'ancestors'" "$ET_ERR"; then
		echo "note: this kernel's struct cgroup has no ancestors[]: the flexible array case is left out"
	else
		check "btf: a flexible array member indexed with a constant and a variable" grep -qx 'flex 1 1 1' "$ET_OUT"
	fi
fi

# ---- USDT: a probe argument (char *"usdt-string") cast to a pointer and indexed ----
UT=$TMP/ut
if cc_cached "$UT" -O2 "$SRC/tests/progs/uprobe_target.c" "$SRC/tests/progs/uprobe_target_sem.c" 2>/dev/null; then
	run_etrace -c "$UT 3" -e "usdt:$UT:ettest:str { \$p = (int8 *)arg0; \$i = arg1;
		printf(\"usdt %c %c %d\\n\", \$p[0], \$p[\$i], ((uint8 *)arg0)[\$i + 5]); }"
	# round i: "usdt-string"[i] and [i + 5]
	check "usdt: the argument's bytes at constant and variable indexes" \
		diff <(grep '^usdt' "$ET_OUT") <(printf '%s\n' 'usdt u u 115' 'usdt u s 116' 'usdt u d 114')
else
	echo "note: cannot build tests/progs/uprobe_target.c (sys/sdt.h missing?): the USDT case is left out"
fi

finish
