# ustack frames with the source line, as bpftrace prints them with show_debug_info (its default), and the
# functions inlined at a frame's address as frames of their own:
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

# inlined frames: a stack taken in the body of dw_twice_inl, which dw_calls_inline inlines, has a frame of
# its own before its caller's, "[inlined] FUNC@FILE:LINE" (no offset), and the caller's FILE:LINE is the
# line that inlines it: addr2line -i's reading of the same address; perf mode names it "(inlined)"
l_inl=$(grep -n 'return 2 \* v; /\* the inlined body' "$SRC/tests/progs/dwarf_args.c" | cut -d: -f1)
l_call=$(grep -n '^	return dw_twice_inl(v) + 1;$' "$SRC/tests/progs/dwarf_args.c" | cut -d: -f1)
run_etrace -q -c "$prog 2" -e "
uprobe:$prog@dwarf_args.c:$l_inl { @a[ustack(2)] = count(); @raw[ustack(raw, 2)] = count(); @perf[ustack(perf, 2)] = count(); }"
mapfile -t raw < <(sed -n '/^@raw\[$/,/^\]/p' "$ET_OUT" | grep -E '^[0-9a-f]+$')
mapfile -t syms < <(sed -n '/^@perf\[$/,/^\]/p' "$ET_OUT" | grep -vF '(inlined)' | sed -n 's/^\t[0-9a-f]* \([^ ]*\) (.*$/\1/p')
check "inlined: two addresses, two real frames" test "${#raw[@]}" = 2 -a "${#syms[@]}" = 2
want="@a["
for i in 0 1; do
	mapfile -t a2l < <(addr2line -f -i -e "$prog" "0x${raw[$i]}" | sed 's/ (discriminator [0-9]*)$//')
	n=${#a2l[@]}
	for ((j = 0; j + 2 < n; j += 2)); do
		want+=$'\n'"        [inlined] ${a2l[$j]}@${a2l[$((j + 1))]}"
	done
	want+=$'\n'"        ${syms[$i]}@${a2l[$((n - 1))]}"
done
want+=$'\n'"]: 2"
check "inlined: each frame as addr2line -i reads it" grep -qzF -- "$want" "$ET_OUT"
check "inlined: dw_twice_inl at the probed line, without offset" \
	grep -qE "^        \[inlined\] dw_twice_inl@.*/tests/progs/dwarf_args\.c:$l_inl\$" "$ET_OUT"
check "inlined: then dw_calls_inline at the line that inlines it" \
	grep -qE "^        dw_calls_inline\+[0-9]+@.*/tests/progs/dwarf_args\.c:$l_call\$" "$ET_OUT"
check "inlined: perf mode names it (inlined) at the same address, before its caller" \
	grep -qzF -- $'@perf[\n\t'"${raw[0]} dw_twice_inl (inlined)"$'\n\t'"${raw[0]} ${syms[0]} ($prog)" "$ET_OUT"
run_etrace -q -c "$prog 1" -e "config = { show_debug_info = false }
uprobe:$prog@dwarf_args.c:$l_inl { @a[ustack(1)] = count(); }"
check "inlined: show_debug_info = false: the real frame alone" grep -qzF -- $'@a[\n'"        ${syms[0]}"$'\n]: 1' "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
