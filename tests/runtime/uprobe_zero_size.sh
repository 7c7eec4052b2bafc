# Pins down bpftrace's --unsafe gate for uprobes whose bounds it cannot check: a function symbol of size 0
# is refused without --unsafe ("Could not determine boundary for SYM (symbol has size 0)") and attached
# with it; an offset into it is refused even then; an address outside every function needs --unsafe; a
# uretprobe is never put at an offset into a function; a wildcard attaches size-0 matches anyway (as
# bpftrace's uprobe_multi link does). tests/progs/zero_size.c calls its size-0 et_nosize N times.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
ZS=$(build_prog zero_size zero_size)
NS_ADDR=$(nm "$ZS" | awk '$3 == "et_nosize" { print $1 }')
MAIN_ADDR=$(nm "$ZS" | awk '$3 == "main" { print $1 }')
check "test program: et_nosize has an ELF symbol of size 0" \
	bash -c "readelf -sW '$ZS' | awk '\$8 == \"et_nosize\" && \$3 == 0 && \$4 == \"FUNC\"' | grep -q ."

refused() { # refused DESCRIPTION EXPECTED_STDERR ETRACE_ARGS...
	local d=$1 want=$2; shift 2
	run_etrace "$@"
	check "$d: refused (exit 1)" test "$ET_STATUS" = 1
	check "$d: the located error" diff <(printf '%s\n' "$want") "$ET_ERR"
	check "$d: nothing attached, no output" test ! -s "$ET_OUT"
}

prog="uprobe:$ZS:et_nosize { @n = count(); }"
refused "size-0 symbol without --unsafe" "-e:1:1: error: uprobe probe: cannot tell where et_nosize ends: its symbol in $ZS has size 0
$prog
^$(printf '%*s' $((${#ZS} + 16)) '' | tr ' ' '~')
hint: run with --unsafe to attach anyway (a probe that does not start an instruction corrupts the traced process)" \
	-e "$prog" -c "$ZS 7"

run_etrace --unsafe -c "$ZS 7" -e "uprobe:$ZS:et_nosize { @n = count(); } uretprobe:$ZS:et_nosize { @r = count(); }"
check "--unsafe: attached (exit 0)" test "$ET_STATUS" = 0
check "--unsafe: the uprobe fires once per call" grep -qx '@n: 7' "$ET_OUT"
check "--unsafe: the uretprobe fires once per return" grep -qx '@r: 7' "$ET_OUT"

run_etrace -c "$ZS 7" -e "uprobe:$ZS:0x$NS_ADDR { @n = count(); }"
check "its address without --unsafe: refused" grep -q 'cannot tell where et_nosize ends' "$ET_ERR"
run_etrace --unsafe -c "$ZS 7" -e "uprobe:$ZS:0x$NS_ADDR { @n = count(); }"
check "its address with --unsafe: fires once per call" grep -qx '@n: 7' "$ET_OUT"

run_etrace --unsafe -e "uprobe:$ZS:et_nosize+1 { @n = count(); }"
check "an offset into it: refused even with --unsafe" \
	grep -qx -- '-e:1:1: error: uprobe probe: offset 1 into et_nosize cannot be checked: its symbol has size 0' "$ET_ERR"

run_etrace -c "$ZS 7" -e "uprobe:$ZS:et_nos* { @n = count(); }"
check "a wildcard matching it attaches without --unsafe and fires once per call" grep -qx '@n: 7' "$ET_OUT"

run_etrace -e "uprobe:$ZS:0x1 { @n = count(); }"
check "an address outside every function without --unsafe: refused" \
	grep -q "error: uprobe probe: address 0x1 is not inside a function of $ZS" "$ET_ERR"
check "... with the --unsafe hint" grep -q '^hint: run with --unsafe' "$ET_ERR"

run_etrace --unsafe -e "uretprobe:$ZS:main+4 { @n = count(); }"
check "uretprobe at func+off: refused, even with --unsafe" \
	grep -q 'error: uretprobe probe: a uretprobe cannot be attached at an offset into a function' "$ET_ERR"
run_etrace -e "uretprobe:$ZS:0x$(printf '%x' $((0x$MAIN_ADDR + 4))) { @n = count(); }"
check "uretprobe at an address inside a function: refused" grep -q 'is main+4: a uretprobe cannot be attached' "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
