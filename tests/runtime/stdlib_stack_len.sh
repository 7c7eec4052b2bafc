# len(kstack), len(ustack): the number of frames the same event's kstack/ustack print. ustack at the
# entry of the test program's et_inner (frame pointers: et_inner, et_outer, main and libc's start-up
# frames); kstack in the raw_syscalls tracepoint of its clock_nanosleep calls; ustack(2) and kstack(2)
# are limited to 2 frames; the results compare, key maps and print. Text and -f json.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs
snapshot_bpf

# each printf: the length, then the stack, one frame per line (bpftrace mode: 8 spaces, func+off)
start_etrace -e "uprobe:$UT:et_inner { printf(\"len=%d len2=%d\n%s\", len(ustack), len(ustack(2)), ustack);
	@[len(ustack) > 2] = count(); } interval:ms:1200 { exit(); }" || exit 1
"$UT" 3 0 2500 >/dev/null &
BG_PIDS+=($!)
wait_etrace
ulen=$(sed -n 's/^len=\([0-9]*\) len2=2$/\1/p' "$ET_OUT" | sort -u)
uframes=$(awk '/^len=/ { if (n) exit; n = 1; next } n && /^        / { c++ } END { print c + 0 }' "$ET_OUT")
check "len(ustack) is one value over the 3 calls ($ulen), and len(ustack(2)) is 2" \
	test "$(echo "$ulen" | wc -l)" = 1 -a -n "$ulen"
check "len(ustack) = $ulen, the $uframes frames ustack printed" test "$ulen" = "$uframes"
check "et_inner, et_outer and main at least" test "${ulen:-0}" -ge 3
check "as a map key" grep -qx '@\[true\]: 3' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

# 230 = clock_nanosleep on x86-64
run_etrace -c "$UT 2 50" -e "tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 230/ {
	printf(\"klen=%d k2=%d\n%s\", len(kstack), len(kstack(2)), kstack); }"
klen=$(sed -n 's/^klen=\([0-9]*\) k2=2$/\1/p' "$ET_OUT" | sort -u)
kframes=$(awk '/^klen=/ { if (n) exit; n = 1; next } n && /^        / { c++ } END { print c + 0 }' "$ET_OUT")
check "len(kstack) is one value over the calls ($klen), len(kstack(2)) is 2" \
	test "$(echo "$klen" | wc -l)" = 1 -a -n "$klen"
check "len(kstack) = $klen, the $kframes frames kstack printed" test "$klen" = "$kframes"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -f json -c "$UT 2 50" -e "tracepoint:raw_syscalls:sys_enter /pid == cpid && args.id == 230/ {
	@k = len(kstack); @k2 = len(kstack(2)); }"
grep '^{' "$ET_OUT" >"$TMP/json" # the child's own output is in it too
check "-f json: len(kstack) $klen, len(kstack(2)) 2" jcheck "$TMP/json" "one('map', '@k') == ${klen:-0}" \
	"one('map', '@k2') == 2"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
