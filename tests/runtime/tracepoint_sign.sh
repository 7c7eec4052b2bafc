# A tracepoint field's sign is the format file's `signed:` flag, as today's bpftrace types it (it reads
# formats through BTF): a system call's arguments are `signed:0`, so lseek's `off_t offset` of -7 is the
# uint64 18446744073709551609 when printed or stored, while printf's %d and %ld still show -7 (they cast
# as C's printf does); sys_exit's `long ret` is `signed:1` and -EBADF prints as -9. The events are real:
# tests/progs/fd_calls makes lseek(43, -7, SEEK_CUR) on a closed fd. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_lseek
require_tracepoint syscalls/sys_exit_lseek
prog=$(build_prog fd_calls etr_tpsign)
snapshot_bpf

script='tracepoint:syscalls:sys_enter_lseek /pid == cpid && args.fd == 43/ {
	@off = args.offset; @seen[tid] = 1; printf("%d %ld\n", args.offset, args.offset); print(args.offset); }
tracepoint:syscalls:sys_exit_lseek /@seen[tid]/ { @ret = args.ret; print(args.ret); delete(@seen, tid); }'

run_etrace -c "$prog" -e "$script"
check "printf %d and %ld of offset -7" grep -qx -- '-7 -7' "$ET_OUT"
check "print(args.offset): the uint64" grep -qx '18446744073709551609' "$ET_OUT"
check "print(args.ret): signed, -EBADF" grep -qx -- '-9' "$ET_OUT"
check "@off as a uint64" grep -qx '@off: 18446744073709551609' "$ET_OUT"
check "@ret signed" grep -qx '@ret: -9' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -f json -c "$prog" -e "$script"
check "-f json: offset beyond int64 as bpftrace writes it (a string)" \
	grep -qx '{"type": "map", "data": {"@off": "18446744073709551609"}}' "$ET_OUT"
check "-f json: ret" grep -qx '{"type": "map", "data": {"@ret": -9}}' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

nothing_left_behind
finish
