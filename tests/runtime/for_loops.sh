# for loops over real events: `return` inside a loop leaves the probe, as in bpftrace (statements after
# the loop do not run; over N getppid() calls of a known child, counters inside and after each loop prove
# exactly how far every event got); break and continue still only end the loop or the iteration; a range
# bounded by a map value, a variable or a positional parameter runs exactly that many times.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_loopret)
N=7
snapshot_bpf
P='tracepoint:syscalls:sys_enter_getppid /comm == "etr_loopret"/'
run_etrace -c "$loop $N" -e "BEGIN { @m[1] = 1; @m[2] = 2; @m[3] = 3; }
$P { for (\$kv : @m) { @map_in++; if (\$kv.1 > 0) { return; } } @map_after++; }
$P { for (\$kv : @m) { @map_noret_in++; if (\$kv.1 > 100) { return; } } @map_noret_after++; }
$P { for (\$a : @m) { for (\$b : @m) { @nest_in++; if (\$b.0 == \$a.0) { return; } } @nest_mid++; } @nest_after++; }
$P { for (\$kv : @m) { for (\$i : 0..3) { if (\$i == 1) { return; } @mr_in++; } @mr_mid++; } @mr_after++; }
$P { for (\$i : 0..5) { @range_in++; if (\$i == 2) { return; } } @range_after++; }
$P { for (\$kv : @m) { if (\$kv.0 == 2) { continue; } @cont_in++; } @cont_after++; }
$P { for (\$kv : @m) { @brk_in++; break; } @brk_after++; }
$P { for (\$i : 0..5) { if (\$i == 3) { break; } if (\$i == 1) { continue; } @rb_in++; } @rb_after++; }"
n() { sed -n "s/^@$1: \([0-9]*\)\$/\1/p" "$ET_OUT"; }
absent() { ! grep -q "^@$1:" "$ET_OUT"; }
# bpftrace: return in a map loop leaves the probe at the first element
check "map loop: return leaves the probe ($(n map_in) in, exit $ET_STATUS)" bash -c "[ '$(n map_in)' = $N ] && ! grep -q '^@map_after:' '$ET_OUT'"
# bpftrace: a return not taken lets the loop finish and the probe go on
check "map loop: return not taken ($(n map_noret_in), $(n map_noret_after))" \
	bash -c "[ '$(n map_noret_in)' = $((3 * N)) ] && [ '$(n map_noret_after)' = $N ]"
# bpftrace: return in an inner map loop leaves both loops and the probe
check "nested map loops: return leaves the probe ($(n nest_in))" \
	bash -c "[ '$(n nest_in)' = $N ] && ! grep -qE '^@nest_(mid|after):' '$ET_OUT'"
# bpftrace: return in a range loop inside a map loop leaves the probe
check "range loop in a map loop: return leaves the probe ($(n mr_in))" \
	bash -c "[ '$(n mr_in)' = $N ] && ! grep -qE '^@mr_(mid|after):' '$ET_OUT'"
# bpftrace: return in a range loop leaves the probe
check "range loop: return leaves the probe ($(n range_in))" \
	bash -c "[ '$(n range_in)' = $((3 * N)) ] && ! grep -q '^@range_after:' '$ET_OUT'"
# bpftrace: continue skips the rest of one iteration, break ends the loop only
check "map loop: continue ($(n cont_in), $(n cont_after))" bash -c "[ '$(n cont_in)' = $((2 * N)) ] && [ '$(n cont_after)' = $N ]"
check "map loop: break ($(n brk_in), $(n brk_after))" bash -c "[ '$(n brk_in)' = $N ] && [ '$(n brk_after)' = $N ]"
check "range loop: break and continue ($(n rb_in), $(n rb_after))" bash -c "[ '$(n rb_in)' = $((2 * N)) ] && [ '$(n rb_after)' = $N ]"

# bpftrace: lo..hi runs hi - lo times, the bounds evaluated once, whatever gives them (a map value, which
# the verifier cannot bound, a variable, $1)
run_etrace -c "$loop $N" -e "$P { @b = 4; \$v = 3; for (\$i : 0..@b) { @mapb++; } for (\$i : 1..\$v) { @varb++; }
	for (\$i : 0..\$1) { @posb++; @sum += \$i; } for (\$i : 0..@b) { @b = 100; @once++; } }" 6
check "range bounded by a map value ($(n mapb), exit $ET_STATUS)" test "$(n mapb)" = $((4 * N))
check "range bounded by a variable ($(n varb))" test "$(n varb)" = $((2 * N))
check "range bounded by \$1 ($(n posb), sum $(n sum))" bash -c "[ '$(n posb)' = $((6 * N)) ] && [ '$(n sum)' = $((15 * N)) ]"
check "the bound is read once ($(n once))" test "$(n once)" = $((4 * N))

# today's bpftrace writes both loops without parentheses too (its tools do: for $j : 0..$n)
run_etrace -c "$loop $N" -e "BEGIN { @k[10] = 1; @k[20] = 2; }
$P { \$n = 3; for \$j : 0..\$n { @bare_range++; if (\$j == 1) { continue; } @bare_sum += \$j; }
	for \$kv : @k { @bare_map++; @bare_vals += \$kv.1; if (\$kv.0 == 10 || \$kv.0 == 20) { break; } } }"
check "for \$j : 0..\$n without parentheses ($(n bare_range), $(n bare_sum))" \
	bash -c "[ '$(n bare_range)' = $((3 * N)) ] && [ '$(n bare_sum)' = $((2 * N)) ]"
check "for \$kv : @k without parentheses, break after the first ($(n bare_map))" test "$(n bare_map)" = $N
check "nothing left behind" nothing_left_behind
finish
