# uprobe:BINARY@FILE:LINE[:COL], attaching at a source line through the binary's DWARF line table, on
# tests/progs/dwarf_args built with -g. The expected addresses come from llvm-dwarfdump's reading of the
# same line table (the first row of that line, and column), not from etrace: -l names each probe by its
# address (decimal, as bpftrace), the probe fires once per call (dw_neg(5) three times) at that address
# (the low 12 bits of ip equal the address's: the PIE is mapped page-aligned) with the argument still in
# its register; a path tail names the file too. Errors: no such file, no statement on the line, bad
# numbers, a uretprobe, a wildcard binary, a binary without DWARF.
. "$(dirname "$0")/lib.sh"
require_root
dd=$(command -v llvm-dwarfdump-19 || command -v llvm-dwarfdump) || skip "needs llvm-dwarfdump (LLVM 19)"
prog=$(build_prog dwarf_args etr_dwarf_g -g)
plain=$(build_prog dwarf_args etr_dwarf)
snapshot_bpf
# the source lines of dw_neg's body (found by their text: the file may move)
src=$SRC/tests/progs/dwarf_args.c
l_sink=$(grep -n '^	sink = v;$' "$src" | cut -d: -f1)
l_ret=$(grep -n '^	return -v;$' "$src" | cut -d: -f1)
# first_row LINE [COL]: the address (decimal) of the first row of the line table with that line (and column)
first_row() {
	local hex
	hex=$("$dd" --debug-line "$prog" | awk -v l="$1" -v c="${2:-0}" \
		'$1 ~ /^0x/ && $2 == l && (c == 0 || $3 == c) { print $1; exit }')
	[ -n "$hex" ] && echo $((hex))
}
a_ret=$(first_row "$l_ret")
a_col=$(first_row "$l_sink" 7)
check "the line table has both lines (llvm-dwarfdump)" test -n "$a_ret" -a -n "$a_col"

# 1. -l: the probe named by its address
"$ETRACE" -l "uprobe:$prog@dwarf_args.c:$l_ret" >"$TMP/list"
check "-l FILE:LINE: the first statement's address" test "$(cat "$TMP/list")" = "uprobe:$prog:$a_ret"
"$ETRACE" -l "uprobe:$prog@progs/dwarf_args.c:$l_sink:7" >"$TMP/list"
check "-l PATH-TAIL:LINE:COL: the row of that column" test "$(cat "$TMP/list")" = "uprobe:$prog:$a_col"

# 2. firing: once per call, at that address, the argument still in its register
run_etrace -q -c "$prog 3" -e "
uprobe:$prog@dwarf_args.c:$l_ret { @ret[reg(\"di\"), reg(\"ip\") & 0xfff] = count(); }
u:$prog@dwarf_args.c:$l_sink:7 { @col[reg(\"ip\") & 0xfff] = count(); }"
check "line: 3 hits at its address, di = 5" grep -qxF "@ret[5, $((a_ret & 0xfff))]: 3" "$ET_OUT"
check "line and column: 3 hits at its address" grep -qxF "@col[$((a_col & 0xfff))]: 3" "$ET_OUT"

# 3. errors, located at the attach point, nothing attached
err_is() { # err_is DESCRIPTION SCRIPT MESSAGE
	run_etrace -e "$2 { }"
	check "$1" bash -c "test $ET_STATUS = 1 && grep -qxF -- \"-e:1:1: error: $3\" '$ET_ERR'"
}
err_is "no such source file" "uprobe:$prog@nosuch.c:3" "uprobe probe: no compilation unit of $prog matches nosuch.c"
err_is "a line with no statement" "uprobe:$prog@dwarf_args.c:1" \
	"uprobe probe: unable to map 'dwarf_args.c:1' to an address in $prog"
err_is "a line number that is not one" "uprobe:$prog@dwarf_args.c:x" "uprobe probe: invalid line number 'x'"
err_is "a column number that is not one" "uprobe:$prog@dwarf_args.c:3:0" "uprobe probe: invalid column number '0'"
err_is "not in a uretprobe" "uretprobe:$prog@dwarf_args.c:$l_ret" \
	"uretprobe probe: a source code location is not allowed in a uretprobe"
err_is "no wildcard binary" "uprobe:${prog%/*}/etr_dw*@dwarf_args.c:$l_ret" \
	"uprobe probe: cannot use wildcards with a source code location"
err_is "a binary without DWARF" "uprobe:$plain@dwarf_args.c:$l_ret" \
	"uprobe probe: no DWARF debug info found for '$plain', cannot attach by source code location"

check "nothing left behind" nothing_left_behind
finish
