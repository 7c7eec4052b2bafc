#!/bin/bash
# import "FILE.bt" / "DIR" / "FILE.h": a script split over files runs as one: probes, macros and map
# declarations of the imported scripts (nested imports resolved relative to the importing script, each
# file once), struct types of a header; real getppid events, exact values. A world-writable directory
# is refused before anything is attached. Nothing is left behind.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
GP=$(build_prog getppid_loop etr_getppid)
snapshot_bpf

mkdir -p "$TMP/proj/lib" "$TMP/proj/bin"
cat >"$TMP/proj/lib/count.bt" <<'EOS'
macro is_target() { comm == "etr_getppid" }
macro weight(x) { x * 3 }
let @hits = percpuhash(16);
tracepoint:syscalls:sys_enter_getppid /is_target/ { @hits[probe] = count(); }
EOS
cat >"$TMP/proj/lib/types.h" <<'EOS'
#ifndef TYPES_H
#define TYPES_H
struct sample { int a; long b; char c[4]; };
#endif
EOS
echo 'not imported: not a .bt or .h file' >"$TMP/proj/lib/README"
cat >"$TMP/proj/helpers.bt" <<'EOS'
import "lib";
macro scaled(x) { weight(x) + 1 }
EOS
cat >"$TMP/proj/bin/main.bt" <<'EOS'
import "../helpers.bt";
import "../lib/count.bt";
tracepoint:syscalls:sys_enter_getppid /is_target/ { @w = sum(scaled(2)); @size = max(sizeof(struct sample)); }
EOS
chmod 755 "$TMP/proj" "$TMP/proj/lib" "$TMP/proj/bin"

run_etrace -c "$GP 6" "$TMP/proj/bin/main.bt"
check "imported probe (through a directory import) counts 6" \
	grep -qx '@hits\[tracepoint:syscalls:sys_enter_getppid\]: 6' "$ET_OUT"
check "macros of nested imports: 6 x (2*3 + 1) = 42" grep -qx '@w: 42' "$ET_OUT"
check "a struct from an imported header: sizeof 24" grep -qx '@size: 24' "$ET_OUT"
check "count.bt imported once (twice named): no map declared twice" bash -c "[ $ET_STATUS = 0 ]"

chmod o+w "$TMP/proj/lib"
run_etrace -c "$GP 6" "$TMP/proj/bin/main.bt"
check "a world-writable directory is refused, exit 1" bash -c "[ $ET_STATUS = 1 ] && ! grep -q Attached '$ET_ERR'"
check "... with the directory named at the import" grep -q "helpers.bt:1:1: error: refusing to import from a directory anyone may write: .*/lib" "$ET_ERR"
chmod o-w "$TMP/proj/lib"

check "nothing left behind" nothing_left_behind
finish
