#!/bin/bash
# The config block's variables that change what runs: missing_probes (a probe whose binary, function or
# event is missing, or that the kernel refuses to attach, is an error, or skipped with a warning, or
# skipped silently, and the rest run), print_maps_on_exit, license (the ELF's license section and a
# program the kernel loads), max_probes, and their BPFTRACE_* forms. Nothing is left behind.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf

tick='interval:ms:10 { @n = 3; exit(); }'
missing='uprobe:/nonexistent/etrace-test-binary:f { @u = count(); } tracepoint:etrace_nosuch:nosuch { @t = count(); }'

run_etrace -e "config = { missing_probes = ignore } $missing $tick"
check "missing_probes = ignore: exit 0" test "$ET_STATUS" = 0
check "missing_probes = ignore: the interval ran (@n: 3)" grep -qx '@n: 3' "$ET_OUT"
check "missing_probes = ignore: no warning" sh -c "! grep -q warning '$ET_ERR'"
check "missing_probes = ignore: one probe attached" grep -qx 'Attached 1 probe' "$ET_ERR"

run_etrace -e "config = { missing_probes = warn } $missing $tick"
check "missing_probes = warn: exit 0 and @n: 3" bash -c "[ $ET_STATUS = 0 ] && grep -qx '@n: 3' '$ET_OUT'"
check "missing_probes = warn: the missing binary, located" \
	grep -q "^-e:1:36: warning: uprobe probe: cannot find '/nonexistent/etrace-test-binary'" "$ET_ERR"
check "missing_probes = warn: the missing tracepoint, located" \
	grep -q '^-e:1:[0-9]*: warning: tracepoint not found: etrace_nosuch:nosuch' "$ET_ERR"

BPFTRACE_MISSING_PROBES=warn run_etrace -e "$missing $tick"
check "BPFTRACE_MISSING_PROBES=warn: runs the rest" bash -c "[ $ET_STATUS = 0 ] && grep -qx '@n: 3' '$ET_OUT'"
BPFTRACE_MISSING_PROBES=error run_etrace -e "config = { missing_probes = ignore } $missing $tick"
check "BPFTRACE_MISSING_PROBES=error wins over the block: exit 1" test "$ET_STATUS" = 1

run_etrace -e "$missing $tick"
check "missing_probes defaults to error: exit 1, nothing attached" \
	bash -c "[ $ET_STATUS = 1 ] && ! grep -q Attached '$ET_ERR' && grep -q 'error: uprobe probe: cannot find' '$ET_ERR'"

# a probe that expands but that the kernel refuses at attach time
run_etrace -e "config = { missing_probes = warn } rawtracepoint:etrace_nosuch_event { @r = count(); } $tick"
check "attach failure under missing_probes = warn: skipped with a warning" \
	bash -c "[ $ET_STATUS = 0 ] && grep -qx '@n: 3' '$ET_OUT' && grep -q 'warning: cannot attach rawtracepoint:etrace_nosuch_event' '$ET_ERR'"
check "attach failure skipped: Attached counts what attached" grep -qx 'Attached 1 probe' "$ET_ERR"
run_etrace -e "rawtracepoint:etrace_nosuch_event { @r = count(); } $tick"
check "attach failure by default: exit 1" test "$ET_STATUS" = 1

run_etrace -e "config = { print_maps_on_exit = false } BEGIN { @a = 7; printf(\"printed\\n\"); exit(); }"
check "print_maps_on_exit = false: the printf output, no map" \
	bash -c "[ $ET_STATUS = 0 ] && grep -qx printed '$ET_OUT' && ! grep -q '@a' '$ET_OUT'"
BPFTRACE_PRINT_MAPS_ON_EXIT=0 run_etrace -e 'BEGIN { @a = 7; exit(); }'
check "BPFTRACE_PRINT_MAPS_ON_EXIT=0: no map" sh -c "! grep -q '@a' '$ET_OUT'"
run_etrace -e 'config = { print_maps_on_exit = true } BEGIN { @a = 7; exit(); }'
check "print_maps_on_exit = true: @a: 7" grep -qx '@a: 7' "$ET_OUT"

if command -v readelf >/dev/null; then
	"$ETRACE" --emit-elf "$TMP/lic.o" -e 'config = { license = "Dual BSD/GPL" } BEGIN { exit(); }' 2>/dev/null
	check "license = \"Dual BSD/GPL\": the ELF's license section" \
		bash -c "readelf -p license '$TMP/lic.o' | grep -q 'Dual BSD/GPL'"
fi
run_etrace -e 'config = { license = "GPL v2" } BEGIN { printf("%d\n", pid > 0); exit(); }'
check "license = \"GPL v2\": the kernel loads it" bash -c "[ $ET_STATUS = 0 ] && grep -qx 1 '$ET_OUT'"

run_etrace -e "config = { max_probes = 1 } $tick BEGIN { }"
check "max_probes = 1 with two probes: exit 1, located" \
	bash -c "[ $ET_STATUS = 1 ] && grep -q '^-e:1:25: error: this program has 2 probes' '$ET_ERR'"

# every probe dropped by missing_probes: bpftrace's "No probes to attach" on stdout, exit 1
run_etrace -e "config = { missing_probes = ignore } $missing"
check "missing_probes = ignore dropping every probe: 'No probes to attach', exit 1" \
	bash -c "[ $ET_STATUS = 1 ] && grep -qx 'No probes to attach' '$ET_OUT' && ! grep -q Attached '$ET_ERR'"

# max_probes / max_bpf_progs default to 1024, as in bpftrace (where this kernel has more tracepoints)
tf=/sys/kernel/tracing
[ -d $tf/events ] || tf=/sys/kernel/debug/tracing
ntp=$(ls -d $tf/events/*/*/ 2>/dev/null | wc -l)
if [ "$ntp" -gt 1024 ]; then
	run_etrace --dry-run -e 'tracepoint:*:* { }'
	check "default max_probes 1024: $ntp tracepoints refused before attaching" \
		bash -c "[ $ET_STATUS = 1 ] && grep -q 'more than max_probes / max_bpf_progs allow (1024)' '$ET_ERR'"
fi

check "nothing left behind" nothing_left_behind
finish
