# DWARF from where debuggers find it, not only the binary's own .debug_info: tests/progs/dwarf_args
# built with -g, its debug info split off with objcopy --only-keep-debug and the binary stripped, then
# found (1) through .gnu_debuglink beside the binary (also when --debuginfo names other folders),
# (2) by build-id under /usr/lib/debug (libc6-dbg's libc, when installed; a build-id folder of the
# test's own, named with --debuginfo, is dwarf.sh's part 6), and (3) from compressed debug sections
# (zlib) in the binary itself. Each gives the exact args values and the -lv parameters;
# a stripped binary with neither keeps the located no-DWARF error.
. "$(dirname "$0")/lib.sh"
require_root
for t in objcopy readelf; do command -v $t >/dev/null || skip "needs $t (binutils)"; done
prog=$(build_prog dwarf_args etr_dwarf_g -g)
snapshot_bpf
script='uprobe:BIN:dw_point { printf("point %d %d %s %d %s %d\n", args.p->x, args.p.y, args.p->tag, args.color, str(args.name), args.port); }
uretprobe:BIN:dw_neg { @r = retval; }'
want_list=$(printf '%s\n' '    struct dw_point* p' '    enum dw_color color' '    const char* name' '    dw_port_t port')

# check_dwarf LABEL BINARY: the typed args and retval and -lv read from wherever BINARY's DWARF is
check_dwarf() {
	local label=$1 bin=$2
	run_etrace -q -c "$bin 2" -e "${script//BIN/$bin}"
	check "$label: args through the struct pointer, enum, char *, typedef" \
		test "$(grep -cxF 'point -3 7 pt 2 hello 8080' "$ET_OUT")" = 2
	check "$label: retval typed int" grep -qxF '@r: -5' "$ET_OUT"
	"$ETRACE" -lv "uprobe:$bin:dw_point" >"$TMP/list" 2>"$TMP/list.err"
	check "$label: -lv lists the parameters" test "$(cat "$TMP/list")" = "uprobe:$bin:dw_point
$want_list"
}

# the stripped binary: no .debug_* sections of its own
mkdir -p "$TMP/link" "$TMP/none"
objcopy --only-keep-debug "$prog" "$TMP/link/dwarf_args.debug"
objcopy --strip-debug "$prog" "$TMP/none/dwarf_args"
check "the stripped binary has no .debug_info" bash -c "! readelf -S '$TMP/none/dwarf_args' | grep -q debug_info"

# 1. .gnu_debuglink: the debug file beside the binary
objcopy --strip-debug --add-gnu-debuglink="$TMP/link/dwarf_args.debug" "$prog" "$TMP/link/dwarf_args"
check_dwarf "debuglink" "$TMP/link/dwarf_args"

# 2. build-id under /usr/lib/debug/.build-id, the default place: Debian's libc6-dbg installs libc's
# there (not installed: the check is left out, and said so). A build-id file in a folder of one's
# own, named with --debuginfo, is tests/runtime/dwarf.sh's part 6.
libc=$(ldconfig -p | sed -n 's/^\s*libc\.so\.6 (libc6,x86-64) => //p' | head -1)
libc_bid=$(readelf -n "$libc" 2>/dev/null | sed -n 's/^ *Build ID: *\([0-9a-f]*\)$/\1/p')
if [ -n "$libc_bid" ] && [ -e "/usr/lib/debug/.build-id/${libc_bid:0:2}/${libc_bid:2}.debug" ]; then
	"$ETRACE" -lv "uprobe:$libc:__libc_malloc" >"$TMP/list"
	check "build-id under /usr/lib/debug (libc6-dbg): malloc's parameter" \
		test "$(sed 1d "$TMP/list")" = "    size_t bytes"
else
	echo "note: no libc6-dbg: the default /usr/lib/debug/.build-id place is not checked"
fi
# --debuginfo adds folders before the default ones: the debug file beside the binary is still found
"$ETRACE" --debuginfo "$TMP/nowhere" -lv "uprobe:$TMP/link/dwarf_args:dw_point" >"$TMP/list" 2>"$TMP/list.err"
check "with --debuginfo elsewhere, the debuglink file beside the binary" \
	test "$(cat "$TMP/list")" = "uprobe:$TMP/link/dwarf_args:dw_point
$want_list"

# 3. compressed debug sections in the binary itself
objcopy --compress-debug-sections=zlib "$prog" "$TMP/zlib"
check "the zlib binary's .debug_info is compressed" bash -c "readelf -S -W '$TMP/zlib' | grep -A1 '\.debug_info' | grep -q ' C '"
check_dwarf "zlib sections" "$TMP/zlib"

# 4. neither: the no-DWARF error, located
run_etrace -c "$TMP/none/dwarf_args 1" -e "uprobe:$TMP/none/dwarf_args:dw_point { @ = args.color; }"
check "stripped without a debug file: the no-DWARF error" \
	bash -c "test $ET_STATUS = 1 && grep -qF 'has no DWARF' '$ET_ERR'"

check "nothing left behind" nothing_left_behind
finish
