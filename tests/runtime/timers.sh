# interval fires on one CPU at its period; profile fires on every CPU; exit() ends the run and END runs once.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
run_etrace -e 'interval:ms:100 { @ticks = count(); } interval:s:1 { exit(); } END { printf("end ran\n"); }'
check "interval: exit status 0" test "$ET_STATUS" = 0
ticks=$(sed -n 's/^@ticks: \([0-9]*\)$/\1/p' "$ET_OUT")
check "interval:ms:100 fired 8..11 times in 1 s (got '$ticks')" test "${ticks:-0}" -ge 8 -a "${ticks:-0}" -le 11
check "END ran exactly once" test "$(grep -c '^end ran$' "$ET_OUT")" = 1
check "END output comes before the maps" bash -c "grep -n . '$ET_OUT' | head -1 | grep -q 'end ran'"

# cpu-clock sampling stops on a CPU that is idle (NOHZ), as with bpftrace: keep every CPU busy meanwhile
online=$(getconf _NPROCESSORS_ONLN)
for _ in $(seq 1 "$online"); do
	# bounded by itself, not by timeout(1): cleanup's SIGKILL of a timeout process orphans its child,
	# which then spins for ever
	bash -c 'while [ $SECONDS -lt 3 ]; do :; done' &
	BG_PIDS+=("$!")
done
run_etrace -e 'profile:hz:99 { @[cpu] = count(); } interval:s:1 { exit(); }'
for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
check "profile: exit status 0" test "$ET_STATUS" = 0
cpus=$(grep -c '^@\[[0-9]*\]: [0-9]*$' "$ET_OUT")
check "profile:hz:99 sampled every online CPU ($cpus of $online)" test "$cpus" = "$online"
total=$(sed -n 's/^@\[[0-9]*\]: \([0-9]*\)$/\1/p' "$ET_OUT" | awk '{s+=$1} END {print s+0}')
check "profile:hz:99 gave about 99 samples per CPU in 1 s (total $total)" \
	test "${total:-0}" -ge $((80 * online)) -a "${total:-0}" -le $((130 * online))

run_etrace -e 'software:cpu-clock:1000000 { @sw = count(); } interval:ms:500 { exit(); }'
check "software:cpu-clock fired" grep -qE '^@sw: [1-9][0-9]*$' "$ET_OUT"
# bpftrace's aliases and integer forms for the count: cpu = cpu-clock, 1e6; faults = page-faults, 1_0
run_etrace -e 'software:cpu:1e6 { @sw = count(); } software:faults:1_0 { @f = count(); } interval:ms:500 { exit(); }'
check "software:cpu:1e6 (alias, exponent) fired" grep -qE '^@sw: [1-9][0-9]*$' "$ET_OUT"
check "software:faults:1_0 attached (Attached 3 probes)" grep -qxF 'Attached 3 probes' "$ET_ERR"
check "nothing left behind" nothing_left_behind
finish
