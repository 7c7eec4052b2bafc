# Aggregations read as values (bpftrace's castable maps): count, sum, min, max and avg in conditions,
# casts, comparisons, variables and for loops, with the values of several CPUs combined as the printer
# combines them. The uprobe on et_greet fires 2 times on CPU 0 and 3 times on CPU 1 (taskset), so a
# value kept on one CPU would read wrong. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs to combine per-CPU values"
command -v taskset >/dev/null || skip "needs taskset to run the test program on a given CPU"
snapshot_bpf
build_uprobe_progs

prog="uprobe:$UT:et_greet { @c = count(); @s = sum(cpu + 1); @neg = sum(-3); @mn = min(cpu + 5); @mx = max(cpu + 5);
	@av = avg(cpu * 10); @per[cpu] = count(); if (@c > 4) { printf(\"five: %d\\n\", @c); } }
END { \$x = (uint64)@s; printf(\"c=%d s=%d neg=%d mn=%d mx=%d av=%d zero=%d eq=%d miss=%d\\n\", @c, \$x, @neg, @mn, @mx,
	@av, @c == 0, @c == 5, @per[77]); for (\$kv : @per) { printf(\"cpu%d %d\\n\", \$kv.0, \$kv.1); } }"
start_etrace -e "$prog" || exit 1
taskset -c 0 "$UT" 2 >/dev/null
taskset -c 1 "$UT" 3 >/dev/null
stop_etrace
check "if (@c > 4) sees the count of both CPUs" grep -qx 'five: 5' "$ET_OUT"
check "count, sum (cast), negative sum, min, max, avg, == and a missing key, CPUs combined" \
	grep -qx 'c=5 s=8 neg=-15 mn=5 mx=6 av=6 zero=0 eq=1 miss=0' "$ET_OUT"
check "for over a count map: each key's count" bash -c "grep -qx 'cpu0 2' '$ET_OUT' && grep -qx 'cpu1 3' '$ET_OUT'"
check "the printed maps agree" bash -c "grep -qx '@c: 5' '$ET_OUT' && grep -qx '@s: 8' '$ET_OUT' && grep -qx '@av: 6' '$ET_OUT'"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -e "uprobe:$UT:et_greet { @c = count(); @m = max(cpu); @x = @c * 10; @mx = (int64)@m; }" || exit 1
taskset -c 0 "$UT" 1 >/dev/null
taskset -c 1 "$UT" 1 >/dev/null
stop_etrace
check "-f json: values computed from aggregations" jcheck "$ET_OUT" "one('map', '@c') == 2" "one('map', '@x') == 20" \
	"one('map', '@mx') == 1"

check "nothing left behind" nothing_left_behind
finish
