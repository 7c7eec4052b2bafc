# Helpers of the uprobe/usdt/pid_cmd tests (sourced after lib.sh): build the test programs of
# tests/progs with frame pointers: $UT (PIE), $UT_NOPIE, $UT_LIB (linked to $TMP/libetr.so).
build_uprobe_progs() {
	local p=$SRC/tests/progs
	cc -O2 -fno-omit-frame-pointer -o "$TMP/ut" "$p/uprobe_target.c" "$p/uprobe_target_sem.c" || exit 1
	cc -O2 -fno-omit-frame-pointer -no-pie -fno-pie -o "$TMP/ut_nopie" "$p/uprobe_target.c" "$p/uprobe_target_sem.c" || exit 1
	cc -O2 -fno-omit-frame-pointer -fPIC -shared -o "$TMP/libetr.so" "$p/etlib.c" || exit 1
	cc -O2 -fno-omit-frame-pointer -DWITH_LIB -o "$TMP/ut_lib" "$p/uprobe_target.c" "$p/uprobe_target_sem.c" \
		-L"$TMP" -letr -Wl,-rpath,"$TMP" || exit 1
	UT=$TMP/ut UT_NOPIE=$TMP/ut_nopie UT_LIB=$TMP/ut_lib
}
# The map line "@name...: value" of the output, or nothing.
map_line() { grep -F -- "$1" "$ET_OUT" | head -1; }
