# macaddr(): six bytes written by a user process, read through a script-defined struct in a syscall
# tracepoint, printed as upper-case colon-separated hex (bpftrace's format) by printf and as a map value.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_write
[ -x /usr/bin/printf ] || skip "no /usr/bin/printf to copy"
cp /usr/bin/printf "$TMP/etr_macw" || fail "copy /usr/bin/printf"
snapshot_bpf

start_etrace -e 'struct mac6 { unsigned char a[6]; };
tracepoint:syscalls:sys_enter_write /comm == "etr_macw"/ {
	printf("mac=%s\n", macaddr(((struct mac6 *)uptr(args->buf))->a));
	@m = macaddr(((struct mac6 *)uptr(args->buf))->a);
	exit(); }' || fail "attach the macaddr probe"
"$TMP/etr_macw" '\002\253\014\336\360\032' >/dev/null
wait_etrace
check "macaddr probe exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "printf %s of macaddr() is 02:AB:0C:DE:F0:1A" grep -qx "mac=02:AB:0C:DE:F0:1A" "$ET_OUT"
check "a macaddr() map value prints the same" grep -qx "@m: 02:AB:0C:DE:F0:1A" "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
