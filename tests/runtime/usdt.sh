# usdt on the test programs: arguments of every size and sign, in registers, memory and constants
# (built with -O2 and -O0, which place them differently), strings, a probe at two sites, the
# provider-less form, a semaphore turning on, and a probe in a shared library named like ld.so would.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs

want='-1 200 -300 60000 -70000 4000000000 -5000000000'
for bin in "$UT" "$TMP/ut_O0"; do
	b=$(basename "$bin")
	forms=$(readelf -n "$bin" | awk '/Name: sizes/ { f = 1 } f && /Arguments/ { print; exit }')
	echo "$b: sizes specs:$forms"
	run_etrace -c "$bin 3" -e "usdt:$bin:ettest:sizes { printf(\"%ld %lu %ld %lu %ld %lu %ld i=%ld\n\", arg0, arg1, arg2, arg3, arg4, arg5, arg6, arg7); }"
	check "$b: 8 arguments of sizes 1, 2, 4, 8, signed and unsigned" \
		bash -c "for i in 0 1 2; do grep -qx -- '$want i='\$i '$ET_OUT' || exit 1; done"
	check "$b: exactly 3 firings" test "$(grep -c -- "^$want i=" "$ET_OUT")" = 3
done
check "the -O2 build has register and memory operands" bash -c "readelf -n '$UT' | grep -A2 'Name: sizes' | grep -q '@%r' && readelf -n '$UT' | grep -A2 'Name: sizes' | grep -q '(%rbp)'"

run_etrace -c "$UT 2" -e "usdt:$UT:ettest:consts { printf(\"c %ld %ld\n\", arg0, arg1); }"
check "constant operands (-4@\$42 -4@\$-7)" test "$(grep -cx 'c 42 -7' "$ET_OUT")" = 2
# bpftrace reads a usdt argument as an int64 extended by the note's sign: a "-4@" -7 is -7 as a map key too
run_etrace -c "$UT 2" -e "usdt:$UT:ettest:consts { @[arg1] = count(); @k[arg0, arg1] = count(); \$v = arg1; @v = \$v; }"
check "a signed argument as a map key, in a multi-key and through a variable prints -7" \
	bash -c "grep -qx '@\[-7\]: 2' '$ET_OUT' && grep -qx '@k\[42, -7\]: 2' '$ET_OUT' && grep -qx '@v: -7' '$ET_OUT'"
run_etrace -f json -c "$UT 2" -e "usdt:$UT:ettest:consts { @[arg1] = count(); @v = arg1; }"
grep '^{' "$ET_OUT" >"$TMP/consts.json" # the program's own lines are not JSON
check "json: the signed argument as a key and a value" jcheck "$TMP/consts.json" \
	'one("map", "@") == {"-7": 2}' 'one("map", "@v") == -7'
run_etrace -c "$UT 2" -e "usdt:$UT:ettest:str { printf(\"s %s %d\n\", str(arg0), arg1); }"
check "a string argument" bash -c "grep -qx 's usdt-string 0' '$ET_OUT' && grep -qx 's usdt-string 1' '$ET_OUT'"

run_etrace -c "$UT 3" -e "usdt:$UT:ettest:twice { @[arg0] = count(); @n = count(); }"
check "a probe at two sites attaches at both" grep -q '^Attached 2 probes' "$ET_ERR"
check "both sites fire (3 rounds x 2)" grep -qx '@n: 6' "$ET_OUT"
check "each site reads its own argument" bash -c "grep -qx '@\[2\]: 1' '$ET_OUT' && grep -qx '@\[1002\]: 1' '$ET_OUT'"

run_etrace -c "$UT 2" -e "usdt:$UT:consts { @ = count(); }"
check "usdt:BINARY:NAME without the provider" grep -qx '@: 2' "$ET_OUT"

run_etrace -c "$UT 4" -e "usdt:$UT:ettest:withsem { @w = count(); @[arg0] = count(); }"
check "semaphore turned on while attached (the target saw it in every round)" grep -qx 'withsem_enabled=4' "$ET_OUT"
check "the semaphore-guarded probe fired 4 times" grep -qx '@w: 4' "$ET_OUT"
run_etrace -c "$UT 4" -e "usdt:$UT:ettest:str { @ = count(); }"
check "without a tracer on it the semaphore stays off" grep -qx 'withsem_enabled=0' "$ET_OUT"

LD_LIBRARY_PATH=$TMP run_etrace -c "$UT_LIB 3" -e "usdt:libetr:etlib:mul { @[arg0, arg1] = count(); } uprobe:libetr:et_lib_mul { @u = count(); }"
check "usdt:LIBRARY (resolved through LD_LIBRARY_PATH like ld.so)" bash -c "grep -qx '@\[2, 3\]: 1' '$ET_OUT'"
check "uprobe:LIBRARY by name" grep -qx '@u: 3' "$ET_OUT"

"$ETRACE" -l "usdt:$UT:*" >"$TMP/list"
check "-l lists each usdt probe once (twice has two sites)" bash -c "[ \$(wc -l <'$TMP/list') = 5 ] && grep -qx 'usdt:$UT:ettest:twice' '$TMP/list'"

run_etrace -e "usdt:$UT:ettest:nosuch { @ = count(); }"
check "unknown usdt probe is an error" grep -q 'no USDT probe ettest:nosuch' "$ET_ERR"
run_etrace -e "usdt:$UT:ettest:consts { @ = arg2; }"
check "argN beyond the note's arguments is an error" grep -q 'arg2 is out of range: this usdt probe has 2 arguments' "$ET_ERR"
finish
