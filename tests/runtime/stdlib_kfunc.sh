#!/bin/bash
# kfunc_exist("name"): true when vmlinux's BTF has the function (checked here with bpftool), false
# otherwise, in text and -f json; a name that is not a string literal is a located error.
# kfunc_allowed("name"): in a BTF-typed raw tracepoint (a BPF_PROG_TYPE_TRACING program, for which the
# kernel registers its generic kfuncs such as bpf_task_from_pid) true when BTF has the function; false
# for a name BTF lacks.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_btf
command -v bpftool >/dev/null || skip "needs bpftool to read BTF"
snapshot_bpf
GL=$(build_prog getppid_loop etr_getppid)

btf_has() { bpftool btf dump file /sys/kernel/btf/vmlinux | grep -q "^\[[0-9]*\] FUNC '$1' "; }
want=false; btf_has bpf_task_from_pid && want=true
btf_has etr_no_such_kfunc && { fail "BTF has etr_no_such_kfunc"; finish; }

probe='tracepoint:syscalls:sys_enter_getppid /pid == cpid/'
run_etrace -c "$GL 1" -e "$probe { @k = kfunc_exist(\"bpf_task_from_pid\"); @n = kfunc_exist(\"etr_no_such_kfunc\");
	if (kfunc_exist(\"vfs_read\")) { @v = 1; } }"
check "kfunc_exist(\"bpf_task_from_pid\") is $want, as BTF says" grep -qx "@k: $want" "$ET_OUT"
check "kfunc_exist of a name BTF lacks is false" grep -qx '@n: false' "$ET_OUT"
check "kfunc_exist(\"vfs_read\") is true in a condition" grep -qx '@v: 1' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/k.json" -c "$GL 1" -e "$probe { @k = kfunc_exist(\"bpf_task_from_pid\"); @n = kfunc_exist(\"etr_no_such_kfunc\"); }" ||
	exit 1
check "-f json: kfunc_exist values" jcheck "$TMP/k.json" "one('map', '@k') is ${want^}" "one('map', '@n') is False"

if "$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes' && [ "$want" = true ]; then
	rt='rawtracepoint:sys_enter /pid == cpid/'
	run_etrace -c "$GL 1" -e "$rt { @a = kfunc_allowed(\"bpf_task_from_pid\"); @n = kfunc_allowed(\"etr_no_such_kfunc\"); }"
	check "kfunc_allowed(\"bpf_task_from_pid\") in a tp_btf program is true" grep -qx '@a: true' "$ET_OUT"
	check "kfunc_allowed of a name BTF lacks is false" grep -qx '@n: false' "$ET_OUT"
	[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"
	run_json "$TMP/a.json" -c "$GL 1" -e "$rt { @a = kfunc_allowed(\"bpf_task_from_pid\"); @n = kfunc_allowed(\"etr_no_such_kfunc\"); }" ||
		exit 1
	check "-f json: kfunc_allowed values" jcheck "$TMP/a.json" "one('map', '@a') is True" "one('map', '@n') is False"
fi

check "nothing left behind" nothing_left_behind
finish
