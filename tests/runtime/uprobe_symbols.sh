# Symbols: func, usym() and reg("ip") in uprobes name the test program's functions (as bpftrace's
# usym: the function, no offset), also in a PIE while the process lives; ksym() names kernel
# addresses from /proc/kallsyms.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs

# the program lingers after its rounds, so its mappings can be read when the maps are printed
for bin in "$UT" "$UT_NOPIE"; do
	b=$(basename "$bin")
	start_etrace -e "uprobe:$bin:et_inner { @[usym(reg(\"ip\")), func] = count(); @o[usym(reg(\"ip\") + 3)] = count(); } uretprobe:$bin:et_middle { @r[func] = count(); } interval:ms:1200 { exit(); }" || exit 1
	"$bin" 3 0 2500 >/dev/null &
	BG_PIDS+=($!)
	wait_etrace
	check "$b: usym(reg(\"ip\")) and func name the function" grep -qx '@\[et_inner, et_inner\]: 3' "$ET_OUT"
	check "$b: an address inside a function prints as the function (bpftrace's usym)" grep -qx '@o\[et_inner\]: 3' "$ET_OUT"
	check "$b: func in a uretprobe is the function returned from" grep -qx '@r\[et_middle\]: 3' "$ET_OUT"
done

# the process is gone when the maps print: a non-PIE binary is still named from its own file
run_etrace -c "$UT_NOPIE 2" -e "uprobe:$UT_NOPIE:et_outer { @[usym(reg(\"ip\"))] = count(); }"
check "non-PIE: usym after the process ended" grep -qx '@\[et_outer\]: 2' "$ET_OUT"

addr=$(awk '$3 == "vfs_read" { print $1; exit }' /proc/kallsyms)
if [ -n "$addr" ] && [ "$addr" != 0000000000000000 ]; then
	run_etrace -e "BEGIN { @a = ksym(0x$addr); @b = ksym(0x$addr + 5); exit(); }"
	check "ksym() of a kernel function's address" grep -qx '@a: vfs_read' "$ET_OUT"
	check "ksym() inside a function (bpftrace prints the function)" grep -qx '@b: vfs_read' "$ET_OUT"
fi
# an address without a symbol prints in hex, 0 as "0" (bpftrace prints it as a C++ void *)
run_etrace -e 'BEGIN { printf("%s|%s|%s|%s\n", ksym(0), ksym(1), usym(0), usym(1)); @u = usym(0); exit(); }'
check "ksym()/usym() of 0 and 1: 0 and 0x1" test "$(grep . "$ET_OUT")" = "0|0x1|0|0x1
@u: 0"
# uaddr(): a symbol of the (non-PIE) binary, compared with the ip at the function's entry
run_etrace -c "$UT_NOPIE 3" -e "uprobe:$UT_NOPIE:et_add { @[reg(\"ip\") == uaddr(\"et_add\")] = count(); }"
check "uaddr(\"et_add\") is the ip at et_add's entry" grep -qx '@\[true\]: 3' "$ET_OUT"
run_etrace -e "uprobe:$UT:et_add { @ = uaddr(\"et_add\"); }"
check "uaddr() in a PIE is an error that says why" grep -q 'position independent' "$ET_ERR"
if [ -n "$addr" ] && [ "$addr" != 0000000000000000 ]; then
	run_etrace -e "BEGIN { printf(\"%lx\n\", kaddr(\"vfs_read\")); @k = ksym(kaddr(\"vfs_read\")); exit(); }"
	check "kaddr(\"vfs_read\") is its /proc/kallsyms address" grep -qx "$(echo "$addr" | sed 's/^0*//')" "$ET_OUT"
	check "ksym(kaddr(...)) round trip" grep -qx '@k: vfs_read' "$ET_OUT"
fi
run_etrace -e "BEGIN { @ = kaddr(\"no_such_symbol_etrace\"); }"
check "kaddr() of an unknown symbol is an error" grep -q "no kernel symbol 'no_such_symbol_etrace'" "$ET_ERR"
run_etrace -e "uprobe:$UT:et_add { @ = reg(\"nosuch\"); }"
check "reg() of an unknown register is an error" grep -q "unknown register 'nosuch'" "$ET_ERR"
finish
