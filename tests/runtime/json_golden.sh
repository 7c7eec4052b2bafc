# -f json, line for line: goldens in tests/runtime/json/ for every output kind a program of begin/end,
# test and bench probes makes (attached_probes, printf, value, cat, syscall, warnf, errorf, runtime_error,
# time, map of each kind: count, sum, min, max, avg and stats (type "stats"), keyed and multi-key maps,
# strings, tuples, hist and lhist, keyed hists (type "hist"); test_result and benchmark_result), in the
# shapes of today's bpftrace (src/output/json.cpp: {"type", "data"} objects, ", " between object members,
# "," in arrays, no empty lines). Every line must parse with jq; the output must equal its golden
# exactly (--test/--bench durations and counts, which vary, written as N). Kinds that need events
# (join, lost_events, tseries) are checked in json_output.sh and tseries.sh.
. "$(dirname "$0")/lib.sh"
require_root
command -v jq >/dev/null || skip "needs jq to parse every line"
snapshot_bpf
G="$SRC/tests/runtime/json"
cp "$G"/*.bt "$TMP/"
ET=$(cd "$(dirname "$ETRACE")" && pwd)/$(basename "$ETRACE") # the scripts run in $TMP (filename: kinds.bt)

jq_lines() { # every line of $1 is a JSON object with a "type"
	local n=0 line
	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" | jq -e 'type == "object" and has("type")' >/dev/null || { echo "line $n: $line"; return 1; }
	done <"$1"
	test "$n" -gt 0
}

(cd "$TMP" && timeout -s INT 20 "$ET" --unsafe -f json kinds.bt >kinds.out 2>kinds.err)
check "kinds.bt: exit 0, nothing on stderr (warnings and errors are JSON lines)" \
	bash -c "test $? = 0 && test ! -s '$TMP/kinds.err'"
check "kinds.bt: every line parses with jq" jq_lines "$TMP/kinds.out"
check "kinds.bt: the output is the golden, line for line" diff "$G/kinds.json" "$TMP/kinds.out"

for m in test bench; do
	(cd "$TMP" && timeout -s INT 20 "$ET" -f json --$m modes.bt >"modes.$m.raw" 2>"modes.$m.err")
	sed -E 's/"(duration|average|iters)": [0-9]+/"\1": N/g' "$TMP/modes.$m.raw" >"$TMP/modes.$m.out"
	check "--$m: every line parses with jq" jq_lines "$TMP/modes.$m.raw"
	check "--$m: the output is the golden (times and counts as N)" diff "$G/modes.$m.json" "$TMP/modes.$m.out"
	check "--$m: the times and counts are positive integers" \
		bash -c "jq -s -e '[.[] | select(.type | endswith(\"_result\")) | .data[] | .duration, .average, .iters | select(. != null)] | length > 0 and all(type == \"number\" and . > 0)' '$TMP/modes.$m.raw' >/dev/null"
done

check "nothing left behind" nothing_left_behind
finish
