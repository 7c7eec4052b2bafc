# etrace's user space under valgrind (memcheck): a few representative scripts (maps of every kind printed
# at exit, printf through the ring buffer, a tracepoint with args, an interval stopped by exit()) must
# run with no memory error and no leak (definite, indirect or possible). Label "valgrind"; slow (the
# LLVM compile runs under valgrind too), so not in the runtime label. Usage: valgrind.sh ETRACE SOURCE_DIR
. "$(dirname "$0")/../runtime/lib.sh"
require_root
command -v valgrind >/dev/null || skip "valgrind is not installed"
ldd "$ETRACE" 2>/dev/null | grep -q libasan && skip "etrace is built with AddressSanitizer, which valgrind cannot run (the sanitizer lane covers it)"
vg() { # vg NAME ARGS...
	local name=$1; shift
	timeout -s INT 300 valgrind --quiet --suppressions="$(dirname "$0")/etrace.supp" --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --log-file="$TMP/$name.vg" \
		"$ETRACE" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	local st=$?
	local want=0; [ "$name" = error ] && want=1
	check "$name: exit $want under valgrind, no error or leak (status $st)" test "$st" = "$want"
	[ "$st" = "$want" ] || { head -40 "$TMP/$name.vg"; tail -5 "$TMP/$name.err"; }
}
vg maps -e 'BEGIN { @c = count(); @s = sum(5); @a = avg(3); @h = hist(100); @l = lhist(5, 0, 10, 1);
	@st = stats(7); @k["a", 1] = 2; @str = "text"; printf("%s %d\n", "hello", 42); exit(); }'
check "maps: output printed" grep -qx 'hello 42' "$TMP/maps.out"
vg tracepoint -e 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); @f = str(args->filename); }
	interval:ms:300 { exit(); }'
check "tracepoint: the interval ended it" test -s "$TMP/tracepoint.out"
vg error -e 'BEGIN { @x = ; }'
finish
