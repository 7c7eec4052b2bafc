# tracepoint args on this kernel: str(args->filename) of sys_enter_openat reads the user string.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_openat
cp "$(command -v cat)" "$TMP/etr_open"
known="$TMP/known-file.txt"
echo "known contents" >"$known"
N=5

start_etrace -e 'tracepoint:syscalls:sys_enter_openat /comm == "etr_open"/ { printf("%s\n", str(args->filename)); }' ||
	fail "printf(str(args->filename)) attaches"
for i in $(seq $N); do "$TMP/etr_open" "$known" >/dev/null; done
stop_etrace INT
check "printf: exit status 0" test "$ET_STATUS" = 0
check "printf: the known file printed exactly $N times (got $(grep -cxF "$known" "$ET_OUT"))" \
	test "$(grep -cxF "$known" "$ET_OUT")" = $N

start_etrace -e 'tracepoint:syscalls:sys_enter_openat /comm == "etr_open"/ { @[str(args->filename), args->flags & 3] = count(); }' ||
	fail "map keyed by str(args->filename) attaches"
for i in $(seq $N); do "$TMP/etr_open" "$known" >/dev/null; done
stop_etrace INT
check "map: @[$known, 0]: $N (O_RDONLY)" grep -qxF "@[$known, 0]: $N" "$ET_OUT"
finish
