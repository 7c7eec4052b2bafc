# Helpers for the VM lane's guest tests (tests/vm/guest/<name>.sh ETRACE SOURCE_DIR). Everything of
# tests/runtime/lib.sh (check, pass, fail, finish, skip, start_etrace, run_etrace, build_prog...), plus
# checks for kernel features so a test skips with a reason where the kernel cannot run it.
. "$(dirname "${BASH_SOURCE[0]}")/../../runtime/lib.sh"

require_kprobes() {
	[ -d /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ] ||
		[ -e /sys/kernel/debug/tracing/kprobe_events ] || skip "this kernel has no kprobes"
}
require_btf() { [ -r /sys/kernel/btf/vmlinux ] || skip "this kernel has no BTF (/sys/kernel/btf/vmlinux)"; }
require_uprobes() { [ -d /sys/bus/event_source/devices/uprobe ] || skip "this kernel has no uprobe PMU"; }
# Kernel function present (and traceable by kprobes/fentry)?
require_kfunc() {
	grep -qE "^$1( |\$)" /sys/kernel/tracing/available_filter_functions 2>/dev/null ||
		grep -qE " [tT] $1\$" /proc/kallsyms || skip "kernel function $1 not found"
}
# The etrace output line `@NAME: VALUE` (or `@NAME[KEY]: VALUE` with a key) → VALUE on stdout.
map_value() { # map_value FILE '@name' or '@name[key]'
	local line
	line=$(grep -F -- "$2: " "$1" | head -n1)
	echo "${line#"$2": }"
}
# Skip unless etrace compiles PROBE (through sema and codegen, nothing loaded): the reason shown is
# etrace's own ("this kernel cannot run ...", "etrace does not handle ... yet").
require_etrace_probe() { # require_etrace_probe 'kprobe:vfs_read'
	if ! "$ETRACE" --emit-elf "$TMP/probe-check.o" -e "$1 { @ = count(); }" >"$TMP/probe-check.err" 2>&1; then
		skip "etrace cannot compile $1 here: $(grep -m1 'error:' "$TMP/probe-check.err" | sed 's/^.*error: //')"
	fi
}
