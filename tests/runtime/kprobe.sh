# kprobe / kretprobe: on a kernel without kprobes the error names the probe, what the kernel lacks and
# what to use instead; the programs are still generated (--emit-elf) and loaded into the kernel with
# bpftool (bpf_object__load: the verifier checks them; nothing is attached). Real attaching is tested
# in the VM lane (tests/vm/guest/kprobe.sh).
. "$(dirname "$0")/lib.sh"
require_root
command -v bpftool >/dev/null || skip "bpftool is needed to load the generated programs"
fn_exists() { grep -qE " [tT] $1\$" /proc/kallsyms; }
fn_exists vfs_read && fn_exists do_nanosleep || skip "kernel symbols vfs_read/do_nanosleep not visible"

have_kprobes=1
[ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ] || [ -e /sys/kernel/debug/tracing/kprobe_events ] || have_kprobes=0
if [ $have_kprobes = 0 ]; then
	run_etrace -e 'kprobe:vfs_read { @ = count(); }'
	check "no kprobes: exit status 1" test "$ET_STATUS" = 1
	check "no kprobes: the error names the probe and CONFIG_KPROBES" grep -q 'kprobe:vfs_read: .*CONFIG_KPROBES' "$ET_ERR"
	run_etrace -e 'kprobe:__x64_sys_openat { @ = count(); }'
	check "no kprobes: a syscall function suggests its tracepoint" grep -q 'hint: use tracepoint:syscalls:sys_enter_openat' "$ET_ERR"
	run_etrace -e 'kretprobe:__x64_sys_openat { @ = count(); }'
	check "no kretprobes: suggests the exit tracepoint" grep -q 'hint: use tracepoint:syscalls:sys_exit_openat' "$ET_ERR"
	run_etrace -e 'kprobe:sched_switch { @ = count(); }'
	check "no kprobes: a function with a tracepoint of its name suggests it" grep -q 'hint: use tracepoint:sched:sched_switch' "$ET_ERR"
fi

mkdir -p "$TMP/bpffs"
mount -t bpf bpf "$TMP/bpffs" 2>/dev/null || skip "cannot mount a bpf file system to load programs into"
trap 'umount "$TMP/bpffs" 2>/dev/null; cleanup' EXIT
# emit SCRIPT and load every program of it; prints the program names loaded
load_only() { # load_only NAME SCRIPT
	local obj=$TMP/$1.o
	"$ETRACE" --emit-elf "$obj" -e "$2" 2>"$TMP/$1.err" || { cat "$TMP/$1.err"; return 1; }
	mkdir -p "$TMP/bpffs/$1"
	bpftool prog loadall "$obj" "$TMP/bpffs/$1" 2>"$TMP/$1.load" || { head -30 "$TMP/$1.load"; return 1; }
	ls "$TMP/bpffs/$1" >"$TMP/$1.progs"
	bpftool -j prog show pinned "$TMP/bpffs/$1/$(head -1 "$TMP/$1.progs")" | grep -q '"type":"kprobe"' || { echo "not a kprobe program"; return 1; }
	rm -rf "$TMP/bpffs/$1"
}
check "kprobe with args, func, probe, comm, str: generated and verified" \
	load_only k1 'kprobe:do_nanosleep { @[arg0, arg1, func, probe, comm] = count(); printf("%s\n", str(arg2)); }'
check "kretprobe with retval: generated and verified" \
	load_only k2 'kretprobe:vfs_read { @r = hist(retval); @s = sum(retval); }'
check "kprobe:func+off: generated and verified" load_only k3 'kprobe:vfs_read+4 { @o = count(); }'
check "wildcard kprobe:vfs_rea*: one program per function, verified" load_only k4 'kprobe:vfs_rea* { @[probe] = count(); }'
check "wildcard expanded to several functions" test "$(wc -l <"$TMP/k4.progs")" -ge 2
check "kprobe with a predicate on pid: generated and verified" load_only k5 'kprobe:do_nanosleep /pid == 1/ { @ = count(); }'

"$ETRACE" --emit-elf "$TMP/x.o" -e 'kprobe:no_such_function_etrace { @ = count(); }' 2>"$TMP/x.err"
check "unknown kernel function is an error naming it" grep -q "no kernel function 'no_such_function_etrace'" "$TMP/x.err"
"$ETRACE" --emit-elf "$TMP/x.o" -e 'kprobe:nosuchmod_etrace:vfs_read { @ = count(); }' 2>"$TMP/x.err"
check "kprobe:MOD:FUNC checks the module" grep -q "module 'nosuchmod_etrace' is not loaded" "$TMP/x.err"
"$ETRACE" --emit-elf "$TMP/x.o" -e 'kretprobe:vfs_read+4 { @ = count(); }' 2>"$TMP/x.err"
check "kretprobe with an offset is an error" grep -q "offset makes no sense" "$TMP/x.err"
finish
