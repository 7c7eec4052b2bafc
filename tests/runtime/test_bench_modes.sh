# bpftrace's test: and bench: probes and its --test / --bench modes (--mode test, --mode bench): each
# test runs once (BPF_PROG_TEST_RUN), in script order, between begin and end, and passes when it returns 0,
# calls no exit(N != 0) and reports no error; the gtest-like report shows a failed test's output only, and
# the exit status is 1 when one failed. --bench times each benchmark (repeated until the runs took 1 ms),
# prints bpftrace's table (or benchmark_result JSON lines), skips one that returns non-zero and fails on
# one that calls exit(1). In a normal run both kinds are left out. Exact names, counts and layout.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'

cat >"$TMP/t.bt" <<'EOF2'
BEGIN { printf("begin\n"); }
test:okay { printf("quiet when it passes\n"); @x = 5; }
test:ret { printf("shown: it returned 1\n"); return 1; }
test:err { errorf("bad %d", 3); }
test:ex2 { printf("exit 2\n"); exit(2); }
test:ex0 { exit(); }
bench:nope { @b = count(); }
END { printf("end %d\n", @x); }
EOF2
run_etrace --test "$TMP/t.bt"
check "--test with failing tests: exit 1" test "$ET_STATUS" = 1
sed -E 's/ \([0-9]+ (ns|us|ms|s)\)$/ (T)/' "$ET_OUT" >"$TMP/t.got"
{
	echo "begin"
	echo "${G}[==========]${N} Running 5 tests."
	echo "${G}[ RUN      ]${N} okay"
	echo "${G}[       OK ]${N} okay (T)"
	echo "${G}[ RUN      ]${N} ret"
	echo "shown: it returned 1"
	echo "${R}[  FAILED  ]${N} ret (T)"
	echo "${G}[ RUN      ]${N} err"
	echo "t.bt:4:12: error: bad 3"
	echo 'test:err { errorf("bad %d", 3); }'
	echo '           ^~~~~~~~~~~~~~~~~~~'
	echo "${R}[  FAILED  ]${N} err (T)"
	echo "${G}[ RUN      ]${N} ex2"
	echo "exit 2"
	echo "${R}[  FAILED  ]${N} ex2 (T)"
	echo "${G}[ RUN      ]${N} ex0"
	echo "${G}[       OK ]${N} ex0 (T)"
	echo "${G}[==========]${N} 5 tests ran."
	echo "${G}[  PASSED  ]${N} 2 tests."
	echo "${R}[  FAILED  ]${N} 3 tests, listed below:"
	echo "${R}[  FAILED  ]${N} ret"
	echo "${R}[  FAILED  ]${N} err"
	echo "${R}[  FAILED  ]${N} ex2"
	echo "end 5"
	echo
	echo
} >"$TMP/t.want"
sed -i "s|^t.bt:|$TMP/t.bt:|" "$TMP/t.want"
check "--test: begin, the report (a failed test's output only), end (it sees the tests' maps), no maps" \
	diff "$TMP/t.want" "$TMP/t.got"
check "--test: nothing on stderr (no Attached message)" test ! -s "$ET_ERR"
check "--test: every duration in bpftrace's units" test "$(grep -cE ' \([0-9]+ (ns|us|ms|s)\)$' "$ET_OUT")" = 5

run_etrace --mode test -e 'test:a { } test:b { $x = 1; }'
check "--mode test, all pass: exit 0" test "$ET_STATUS" = 0
check "--mode test: 1 test is 'test'" grep -qxF "${G}[  PASSED  ]${N} 2 tests." "$ET_OUT"
run_etrace --test -e 'test:only { }'
check "one test: '1 test ran.', '1 test.'" bash -c "grep -qxF '${G}[==========]${N} 1 test ran.' '$ET_OUT' && grep -qxF '${G}[  PASSED  ]${N} 1 test.' '$ET_OUT'"

run_etrace --test -e 'test:a, test:b { printf("%s\n", probe); return 1; }'
check "one block, two tests: each runs as itself and its return 1 fails it" \
	bash -c "test $ET_STATUS = 1 && grep -qxF '${R}[  FAILED  ]${N} 2 tests, listed below:' '$ET_OUT' && test \"\$(grep -x 'test:[ab]' '$ET_OUT' | tr '\n' ' ')\" = 'test:a test:b '"

# JSON: one test_result line per test, its output captured as text
run_etrace -f json --test "$TMP/t.bt"
check "-f json --test: exit 1" test "$ET_STATUS" = 1
check "-f json --test: every line is JSON" bash -c "jq -e . '$ET_OUT' >/dev/null"
check "-f json --test: the tests in order with passed, and no other lines but begin's and end's printf" \
	test "$(jq -c 'if .type == "test_result" then (.data | to_entries[0] | [.key, .value.passed]) else [.type, .data] end' "$ET_OUT" | tr '\n' ' ')" \
	= '["printf","begin\n"] ["okay",true] ["ret",false] ["err",false] ["ex2",false] ["ex0",true] ["printf","end 5\n"] '
check "-f json --test: output and duration fields" \
	test "$(jq -r 'select(.type == "test_result") | .data | to_entries[0].value | "\(.duration | type) \(.output | rtrimstr("\n"))"' "$ET_OUT" | head -2 | tr '\n' '|')" \
	= "number quiet when it passes|number shown: it returned 1|"
check "-f json --test: exactly the keys duration, passed, output" \
	test "$(jq -c 'select(.type == "test_result") | .data | to_entries[0].value | keys' "$ET_OUT" | sort -u)" = '["duration","output","passed"]'

# --bench
cat >"$TMP/b.bt" <<'EOF2'
bench:count { @c = count(); }
bench:a_rather_long_benchmark_name_that_is_over_forty { $a = 0; for ($i : 0..10) { $a++; } }
bench:skipped { return 1; }
test:not_run { printf("not run\n"); }
END { printf("runs %d\n", (int64)@c); }
EOF2
run_etrace --bench "$TMP/b.bt"
check "--bench: exit 0, nothing on stderr" test "$ET_STATUS" = 0 -a ! -s "$ET_ERR"
name=a_rather_long_benchmark_name_that_is_over_forty
check "--bench: the header, as wide as the longest name + 1, then 15 and Iterations" \
	test "$(head -2 "$ET_OUT")" = "$(printf '%-*s%-15s%s\n%s' $((${#name} + 1)) Benchmark 'Time(ns)' Iterations \
		"$(printf '%*s' $((${#name} + 1 + 15 + 10)) '' | tr ' ' -)")"
check "--bench: one row per benchmark that ran (the skipped one and the test left out)" \
	test "$(sed -n '3,$p' "$ET_OUT" | awk 'NF == 3 {print $1}' | tr '\n' ' ')" = "count $name "
row=$(grep '^count ' "$ET_OUT")
avg=$(echo "$row" | awk '{print $2}') iters=$(echo "$row" | awk '{print $3}')
check "--bench: the row's columns at 0, width + 1 and width + 16" \
	test "$row" = "$(printf '%-*s%-15s%s' $((${#name} + 1)) count "$avg" "$iters")"
check "--bench: runs for at least 1 ms in all ($avg ns x $iters)" test $((avg * iters)) -ge 1000000
runs=$(sed -n 's/^runs //p' "$ET_OUT")
check "--bench: end sees every run of the benchmark ($runs >= $iters)" test "$runs" -ge "$iters"
check "--bench: the text ends with two empty lines, as bpftrace's" test "$(tail -c 3 "$ET_OUT" | od -An -c | tr -d ' ')" = '\n\n\n'

run_etrace -f json --mode bench "$TMP/b.bt"
check "-f json --bench: every line is JSON" bash -c "jq -e . '$ET_OUT' >/dev/null"
check "-f json --bench: benchmark_result lines {name: {average, iters}}" \
	test "$(jq -c 'select(.type == "benchmark_result") | .data | to_entries[0] | [.key, (.value | keys), (.value.iters > 0)]' "$ET_OUT" | tr '\n' ' ')" \
	= "[\"count\",[\"average\",\"iters\"],true] [\"$name\",[\"average\",\"iters\"],true] "

run_etrace --bench -e 'bench:fails { exit(1); } bench:after { }'
check "--bench: a benchmark calling exit(1) fails the run (exit 1)" test "$ET_STATUS" = 1
check "--bench: it says which benchmark failed" grep -qF "Benchmark 'fails' failed." "$ET_ERR"
check "--bench: the next one still runs" grep -q '^after ' "$ET_OUT"

# a normal run leaves them out
run_etrace -e 'BEGIN { printf("b\n"); } test:t { printf("test ran\n"); } bench:b { printf("bench ran\n"); }'
check "no mode: test and bench probes do not run (begin does, the run ends)" \
	test "$ET_STATUS" = 0 -a "$(cat "$ET_OUT")" = b
check "no mode: Attached 1 probe (begin only)" grep -qxF 'Attached 1 probe' "$ET_ERR"
run_etrace -e 'test:t { }'
check "only test probes, no mode: an error naming --test" \
	bash -c "test $ET_STATUS != 0 && grep -qF 'use --test to run test probes' '$ET_ERR'"
run_etrace -e 'bench:t { }'
check "only bench probes, no mode: an error naming --bench" grep -qF 'use --bench to run benchmark probes' "$ET_ERR"
run_etrace --test -e 'test:a { } test:a { }'
check "a test name used twice: an error" \
	bash -c "test $ET_STATUS != 0 && grep -qF '\"a\" was used as the name for more than one TEST probe (the other is at line 1)' '$ET_ERR'"
run_etrace --bench -e 'bench { }'
check "bench without a name: an error" grep -qF 'bench probes must have a name' "$ET_ERR"
run_etrace --mode frob -e 'BEGIN { }'
check "--mode frob: a usage error naming the modes" \
	bash -c "test $ET_STATUS = 2 && grep -qF 'compiler-bench, bench or test' '$ET_ERR'"

check "nothing left behind" nothing_left_behind
finish
