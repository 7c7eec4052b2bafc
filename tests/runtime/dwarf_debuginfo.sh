# DWARF from where debuggers find it, not only the binary's own .debug_info: tests/progs/dwarf_args
# built with -g, its debug info split off with objcopy --only-keep-debug and the binary stripped, then
# found (1) through .gnu_debuglink beside the binary, (2) by build-id under
# /usr/lib/debug/.build-id/xx/rest.debug (etrace has no option naming another debug folder, as
# bpftrace has none: the file is installed there and removed at exit), and (3) from compressed debug
# sections (zlib) in the binary itself. Each gives the exact args values and the -lv parameters;
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
mkdir -p "$TMP/link" "$TMP/bid" "$TMP/none"
objcopy --only-keep-debug "$prog" "$TMP/link/dwarf_args.debug"
objcopy --strip-debug "$prog" "$TMP/none/dwarf_args"
check "the stripped binary has no .debug_info" bash -c "! readelf -S '$TMP/none/dwarf_args' | grep -q debug_info"

# 1. .gnu_debuglink: the debug file beside the binary
objcopy --strip-debug --add-gnu-debuglink="$TMP/link/dwarf_args.debug" "$prog" "$TMP/link/dwarf_args"
check_dwarf "debuglink" "$TMP/link/dwarf_args"

# 2. build-id: /usr/lib/debug/.build-id/xx/rest.debug
bid=$(readelf -n "$prog" | sed -n 's/^ *Build ID: *\([0-9a-f]*\)$/\1/p')
if [ -z "$bid" ]; then
	fail "the test program has a build-id (gcc --build-id)"
else
	cp "$TMP/none/dwarf_args" "$TMP/bid/dwarf_args"
	dbg=/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug
	if [ -e "$dbg" ]; then
		fail "$dbg exists already: not touching it"
	else
		mkdir -p "${dbg%/*}"
		cp "$TMP/link/dwarf_args.debug" "$dbg"
		# removed however the test ends (lib.sh's cleanup runs after)
		trap 'rm -f "$dbg"; rmdir "${dbg%/*}" 2>/dev/null; cleanup' EXIT
		check_dwarf "build-id" "$TMP/bid/dwarf_args"
		rm -f "$dbg"
		rmdir "${dbg%/*}" 2>/dev/null
	fi
fi

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
