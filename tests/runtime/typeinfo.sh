#!/bin/bash
# typeinfo(T or e) (bpftrace's unstable typeinfo): the record (btf_id, base_type, full_type) of a type,
# in bpftrace's names, printed in text and -f json from a real event (a child's getppid()). typeinfo is
# refused unless config (or BPFTRACE_UNSTABLE_TYPEINFO) enables it; warn allows it with one warning.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_typeinfo)
snapshot_bpf

prog='config = { unstable_typeinfo = enable }
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	@m = (uint64)5; @c = count();
	print(typeinfo((int32)-5)); print(typeinfo(uint16)); print(typeinfo(comm)); print(typeinfo(curtask));
	print(typeinfo(@m)); print(typeinfo(@c)); print(typeinfo(((int16)1, "ab"))); print(typeinfo(kstack));
	exit(); }'
want='{ .btf_id = 0, .base_type = int, .full_type = int32 }
{ .btf_id = 0, .base_type = int, .full_type = uint16 }
{ .btf_id = 0, .base_type = string, .full_type = string[16] }
{ .btf_id = 0, .base_type = pointer, .full_type = struct task_struct * }
{ .btf_id = 0, .base_type = int, .full_type = uint64 }
{ .btf_id = 0, .base_type = count_t, .full_type = count_t }
{ .btf_id = 0, .base_type = tuple, .full_type = (int16,string[3]) }
{ .btf_id = 0, .base_type = kstack, .full_type = kstack_bpftrace_127 }'
run_etrace -c "$loop 1" -e "$prog"
check "text: int, type name, string, struct pointer, map value, count map, tuple, kstack" \
	test "$(grep '^{ .btf_id' "$ET_OUT")" = "$want"
check "the maps after them" grep -qx '@m: 5' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -f json -c "$loop 1" -e "$prog"
check "-f json: the records" test "$(grep '"type": "value"' "$ET_OUT")" = '{"type": "value", "data": {"btf_id": 0, "base_type": "int", "full_type": "int32"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "int", "full_type": "uint16"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "string", "full_type": "string[16]"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "pointer", "full_type": "struct task_struct *"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "int", "full_type": "uint64"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "count_t", "full_type": "count_t"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "tuple", "full_type": "(int16,string[3])"}}
{"type": "value", "data": {"btf_id": 0, "base_type": "kstack", "full_type": "kstack_bpftrace_127"}}'
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

# the default refuses it (nothing attached); warn and the environment allow it
run_etrace -c "$loop 1" -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { print(typeinfo(1)); exit(); }'
check "by default: bpftrace's located error" grep -qxF -- '-e:1:61: error: typeinfo feature is not enabled by default. To enable this unstable feature, set the config flag to enable. unstable_typeinfo=enable' "$ET_ERR"
check "and nothing attached, exit status 1" bash -c "! grep -q Attached '$ET_ERR' && [ '$ET_STATUS' = 1 ]"
run_etrace -c "$loop 1" -e 'config = { unstable_typeinfo = warn } tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { print(typeinfo(1)); print(typeinfo(2)); exit(); }'
check "warn: both printed" test "$(grep -c '^{ .btf_id = 0, .base_type = int, .full_type = int8 }$' "$ET_OUT")" = 2
check "warn: one warning" test "$(grep -c 'warning: Script is using an unstable feature: typeinfo' "$ET_ERR")" = 1
BPFTRACE_UNSTABLE_TYPEINFO=enable run_etrace -c "$loop 1" -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { print(typeinfo("abc")); exit(); }'
check "BPFTRACE_UNSTABLE_TYPEINFO=enable" grep -qx '{ .btf_id = 0, .base_type = string, .full_type = string\[4\] }' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
