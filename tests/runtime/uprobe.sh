# uprobe / uretprobe on the test programs: exact counts, arguments, return values, strings, addresses,
# func+off, wildcards, PIE and non-PIE, a shared library, libc by name, C++ names, func and probe.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs
command -v objdump >/dev/null || skip "objdump is needed to find instruction offsets"

# counts and arguments: et_add(i, 1) for i in 0..4, on the PIE and the non-PIE build
for bin in "$UT" "$UT_NOPIE"; do
	run_etrace -c "$bin 5" -e "uprobe:$bin:et_add { @[arg0, arg1] = count(); @n = count(); }"
	check "$(basename "$bin"): uprobe counts every call" grep -qx '@n: 5' "$ET_OUT"
	check "$(basename "$bin"): arg0/arg1 of each call" bash -c "for i in 0 1 2 3 4; do grep -qx \"@\[\$i, 1\]: 1\" '$ET_OUT' || exit 1; done"
done

# uprobe:FUNCTION, no binary written: the program of the -c command, or of the -p process
run_etrace -c "$UT 3" -e "uprobe:et_add { @a = count(); } uretprobe:et_add { @r = sum(retval); }"
check "-c with uprobe:FUNCTION probes the command's program" grep -qx '@a: 3' "$ET_OUT"
check "-c with uretprobe:FUNCTION: retval 1+2+3" grep -qx '@r: 6' "$ET_OUT"
hold_target "$UT" 2
start_etrace -p "$TARGET" -e "uprobe:et_add { @a = count(); }"
release_target
wait_etrace
check "-p with uprobe:FUNCTION probes /proc/PID/exe" grep -qx '@a: 2' "$ET_OUT"

run_etrace -c "$UT 5" -e "uretprobe:$UT:et_add { @r = sum(retval); @c = count(); }"
check "uretprobe retval: sum of i+1 over 5 calls is 15" grep -qx '@r: 15' "$ET_OUT"
check "uretprobe fires once per return" grep -qx '@c: 5' "$ET_OUT"

run_etrace -c "$UT 2" -e "uprobe:$UT:et_sum6 { printf(\"%d %d %d %d %d %d\n\", arg0, arg1, arg2, arg3, arg4, arg5); }"
check "arg0..arg5 from pt_regs" test "$(grep -c '^1 2 3 4 5 6$' "$ET_OUT")" = 2

run_etrace -c "$UT 4" -e "uprobe:$UT:et_greet { @s[str(arg0)] = count(); } uretprobe:$UT:et_greet { @len = sum(retval); }"
check "str(arg0) of a user string" grep -qx '@s\[hello\]: 4' "$ET_OUT"
check "uretprobe of et_greet: 4 x strlen(hello)" grep -qx '@len: 20' "$ET_OUT"

# an address and func+off (the second instruction of et_add, from the disassembly)
addr=$(nm "$UT" | awk '$3 == "et_add" { print $1 }')
second=$(objdump -d --no-show-raw-insn "$UT" | awk '/<et_add>:/ { f = 1; next } f && NF { n++; if (n == 2) { sub(":", "", $1); print $1; exit } }')
off=$(( 0x$second - 0x$addr ))
run_etrace -c "$UT 3" -e "uprobe:$UT:0x$addr { @a = count(); } uprobe:$UT:et_add+$off { @o = count(); }"
check "uprobe at an address" grep -qx '@a: 3' "$ET_OUT"
check "uprobe at func+$off" grep -qx '@o: 3' "$ET_OUT"
run_etrace -e "uprobe:$UT:et_add+4096 { @ = count(); }"
check "func+off beyond the function is an error" grep -q 'beyond the end of et_add' "$ET_ERR"
run_etrace -e "uprobe:$UT:no_such_function { @ = count(); }"
check "unknown function is an error naming it" grep -q "no function 'no_such_function'" "$ET_ERR"

# wildcards, func and probe
run_etrace -c "$UT 3" -e "uprobe:$UT:et_*dle,uprobe:$UT:et_inn* { @[probe] = count(); @f[func] = count(); }"
check "wildcard: et_middle probe" grep -qx "@\[uprobe:$UT:et_middle\]: 3" "$ET_OUT"
check "wildcard: et_inner probe" grep -qx "@\[uprobe:$UT:et_inner\]: 3" "$ET_OUT"
check "func names the function" grep -qx '@f\[et_middle\]: 3' "$ET_OUT"
check "wildcard matched nothing else" test "$(grep -c '^@\[' "$ET_OUT")" = 2

"$ETRACE" -l "uprobe:$UT:et_*" >"$TMP/list"
check "-l lists the functions a uprobe wildcard matches" bash -c "grep -qx 'uprobe:$UT:et_add' '$TMP/list' && grep -qx 'uprobe:$UT:et_sum6' '$TMP/list' && ! grep -q ':main\$' '$TMP/list'"

# shared library (by path) and libc by library name
run_etrace -c "$UT_LIB 4" -e "uprobe:$TMP/libetr.so:et_lib_mul { @[arg1] = count(); } uretprobe:$TMP/libetr.so:et_lib_mul { @r = sum(retval); }"
check "uprobe in a shared library" grep -qx '@\[3\]: 4' "$ET_OUT"
check "uretprobe in a shared library: 3*(0+1+2+3)" grep -qx '@r: 18' "$ET_OUT"
run_etrace -c "$UT 6" -e "uprobe:libc:malloc /arg0 == 12345/ { @m = count(); }"
check "uprobe:libc:malloc (library name resolved)" grep -qx '@m: 6' "$ET_OUT"

# bash's readline, driven through an interactive bash on a pseudo-terminal
if [ -x /bin/bash ] && nm -D /bin/bash 2>/dev/null | grep -qw readline && command -v script >/dev/null; then
	start_etrace -e "uretprobe:/bin/bash:readline { printf(\"line=%s\n\", str(retval)); }"
	printf 'echo etrace-rl-one\necho etrace-rl-two\nexit\n' | script -qec 'bash --norc -i' /dev/null >/dev/null 2>&1
	sleep 0.3
	stop_etrace
	check "uretprobe:/bin/bash:readline sees both lines" \
		bash -c "grep -qx 'line=echo etrace-rl-one' '$ET_OUT' && grep -qx 'line=echo etrace-rl-two' '$ET_OUT'"
else
	echo "note: no script(1) or no readline symbol in /bin/bash; readline check left out"
fi

# C++: demangled names, with and without the parameter list, and wildcards over them
if build_cxx_prog "$TMP/cxx"; then
	run_etrace -c "$TMP/cxx 3" -e "uprobe:$TMP/cxx:\"etns::twice\" { @t = count(); } uprobe:$TMP/cxx:\"etns::Widget::poke(int)\" { @p = count(); } uprobe:$TMP/cxx:\"etns::*\" { @all = count(); }"
	check "C++ function by demangled name" grep -qx '@t: 3' "$ET_OUT"
	check "C++ method by demangled name with parameters" grep -qx '@p: 3' "$ET_OUT"
	check "C++ wildcard over demangled names" grep -qx '@all: 6' "$ET_OUT"
fi
finish
