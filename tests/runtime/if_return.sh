#!/bin/bash
# if as a value (`$v = if c { ... } else { ... }`, in a map key, chained with else if), block
# expressions and `_ = expr;`, and `return` (with and without a value) in a probe and inside for loops,
# on real getppid events: exact counts and sums.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
GP=$(build_prog getppid_loop etr_getppid)
snapshot_bpf

# 7 calls: $k = 1..7; even 2,4,6 and odd 1,3,5,7; $v = 10k for k > 3 (220); k > 4 returns at once
# (with a value); k <= 4 runs the loop until $i == $k: 2+3+4+5 = 14 iterations, never reaching @never
run_etrace -c "$GP 7" -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_getppid"/ {
	$k = @seen + 1;
	@seen = $k;
	@kind[if ($k % 2 == 0) { "even" } else { "odd" }] = count();
	$v = if $k > 3 { let $d = $k * 10; $d } else if $k == 1 { 1 } else { 0 };
	@sum = sum($v);
	let $b = { let $t = $k + 100; $t };
	_ = $b;
	@max = max($b);
	if ($k > 4) { return $k; }
	@early = count();
	for $i : 0..10 { @iter = count(); if ($i == $k) { return; } }
	@never = count();
}'
check "if value in a map key: 3 even" grep -qx '@kind\[even\]: 3' "$ET_OUT"
check "if value in a map key: 4 odd" grep -qx '@kind\[odd\]: 4' "$ET_OUT"
check "if/else if/else value: 1 + 40 + 50 + 60 + 70 = 221" grep -qx '@sum: 221' "$ET_OUT"
check "block expression value: max 107" grep -qx '@max: 107' "$ET_OUT"
check "return N ends the probe: 4 reached the loop" grep -qx '@early: 4' "$ET_OUT"
check "return in a for loop ends it and the probe: 14 iterations" grep -qx '@iter: 14' "$ET_OUT"
check "nothing after the loop ran" bash -c "! grep -q '^@never' '$ET_OUT'"
check "_ = expr discards without a warning" bash -c "! grep -q 'discarded' '$ET_ERR'"

# return inside a for over a map (a callback in BPF): the probe ends, the loop stops
run_etrace -e 'BEGIN { @m[1] = 1; @m[2] = 2; @m[3] = 3; for ($kv : @m) { @n = count(); return; } @after = 1; exit(); }'
check "return in a for over a map: one iteration, nothing after" \
	bash -c "grep -qx '@n: 1' '$ET_OUT' && ! grep -q '^@after' '$ET_OUT'"

check "nothing left behind" nothing_left_behind
finish
