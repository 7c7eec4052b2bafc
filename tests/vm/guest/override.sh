# override(rc) with --unsafe in a kprobe: the system call getppid, which the kernel marks
# ALLOW_ERROR_INJECTION, returns 4242 to the traced Python instead of running; text and -f json.
# That needs a kernel built with CONFIG_BPF_KPROBE_OVERRIDE; Debian's 6.1 of the VM lane is not
# (CONFIG_FUNCTION_ERROR_INJECTION is unset), and there the located error must say which helper the
# kernel refuses and why.
. "$(dirname "$0")/lib.sh"
require_root
require_kprobes
command -v python3 >/dev/null || skip "needs python3 to call getppid"
require_kfunc __x64_sys_getppid
snapshot_bpf
ppid="python3 -c 'import os, sys; open(sys.argv[1], \"w\").write(\"%d\\n\" % os.getppid())'"
script='kprobe:__x64_sys_getppid /pid == cpid/ { override(4242); @calls = count(); }'

run_etrace --unsafe -c "$ppid $TMP/out" -e "$script"
if grep -q "which this kernel refuses" "$ET_ERR"; then
	check "the error is located at the call" grep -q "^-e:1:42: error: override()" "$ET_ERR"
	check "a refused bpf_override_return is an error naming the helper, the probe and the reason" grep -qF \
		"error: override() needs the BPF helper bpf_override_return, which this kernel refuses in the program of kprobe:__x64_sys_getppid (it needs a kernel built with CONFIG_BPF_KPROBE_OVERRIDE)" \
		"$ET_ERR"
	check "with a hint on what to use instead" grep -q "^hint: without it a return value cannot be changed" "$ET_ERR"
	check "and a non-zero exit" test "$ET_STATUS" != 0
	if [ -r /proc/config.gz ]; then
		check "the kernel's config agrees: no CONFIG_BPF_KPROBE_OVERRIDE" \
			bash -c "! zcat /proc/config.gz | grep -qx CONFIG_BPF_KPROBE_OVERRIDE=y"
	fi
	check "nothing left behind" nothing_left_behind
	finish
fi
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "getppid() returned 4242 to the traced process" grep -qx 4242 "$TMP/out"
check "@calls: 1" grep -qx '@calls: 1' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR" "$TMP/out"

start_json --unsafe -c "$ppid $TMP/out2" -e "$script" || exit 1
wait_etrace
check "-f json: getppid() returned 4242" grep -qx 4242 "$TMP/out2"
check "-f json: @calls" jcheck "$ET_OUT" "one('map', '@calls') == 1"

check "nothing left behind" nothing_left_behind
finish
