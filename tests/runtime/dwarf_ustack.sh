# ustack frames with the source line, as bpftrace prints them with show_debug_info (its default):
# "func+off@FILE:LINE" in bpftrace mode, nothing added in perf and raw modes, none with
# config = { show_debug_info = false }, and none in usym (bpftrace's usym asks for no debug info).
# tests/progs/dwarf_args built -O0 -g (frame pointers everywhere) and not PIE (its frames are named after
# it has exited), probed at the line `return -v;` of dw_neg: the expected FILE:LINE of each frame is
# addr2line's reading of the raw address that the same run printed, its func+off the perf mode's.
. "$(dirname "$0")/lib.sh"
require_root
command -v addr2line >/dev/null || skip "needs addr2line (binutils)"
prog=$(build_prog dwarf_args etr_dwarf_O0 -O0 -g -no-pie -fno-pie)
snapshot_bpf
l_ret=$(grep -n '^	return -v;$' "$SRC/tests/progs/dwarf_args.c" | cut -d: -f1)

run_etrace -q -c "$prog 2" -e "
uprobe:$prog@dwarf_args.c:$l_ret {
	@a[ustack(2)] = count(); @raw[ustack(raw, 2)] = count(); @perf[ustack(perf, 2)] = count();
	@u[usym(reg(\"ip\"))] = count();
}"
mapfile -t raw < <(sed -n '/^@raw\[$/,/^\]/p' "$ET_OUT" | grep -E '^[0-9a-f]+$')
mapfile -t syms < <(sed -n '/^@perf\[$/,/^\]/p' "$ET_OUT" | sed -n 's/^\t[0-9a-f]* \([^ ]*\) (.*$/\1/p')
check "two frames in raw and perf mode" test "${#raw[@]}" = 2 -a "${#syms[@]}" = 2
want="@a["
for i in 0 1; do
	want+=$'\n'"        ${syms[$i]}@$(addr2line -e "$prog" "0x${raw[$i]}")"
done
want+=$'\n'"]: 2"
check "bpftrace mode: func+off@FILE:LINE of each frame" grep -qzF -- "$want" "$ET_OUT"
check "the leaf frame is dw_neg at the probed line" grep -qE "^        dw_neg\+[0-9]+@.*/tests/progs/dwarf_args\.c:$l_ret\$" "$ET_OUT"
check "the caller is main" grep -qE "^        main\+[0-9]+@.*/tests/progs/dwarf_args\.c:[0-9]+\$" "$ET_OUT"
check "perf mode adds no file:line" bash -c "! sed -n '/^@perf\[$/,/^\]/p' '$ET_OUT' | grep -qF '@/'"
check "usym adds no file:line" grep -qxF '@u[dw_neg]: 2' "$ET_OUT"

run_etrace -q -c "$prog 1" -e "config = { show_debug_info = false }
uprobe:$prog@dwarf_args.c:$l_ret { @a[ustack(2)] = count(); }"
check "show_debug_info = false: the frames alone" \
	grep -qzF -- $'@a[\n'"        ${syms[0]}"$'\n'"        ${syms[1]}"$'\n]: 1' "$ET_OUT"
check "show_debug_info = false: no warning" test ! -s "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
