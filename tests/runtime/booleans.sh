# Comparisons, && || !, true/false, has_key() and (bool) casts are bools, as in today's bpftrace: they
# print true/false (map values, map keys, tuples, print(), printf %s) and are JSON booleans in -f json,
# printf %d prints them as 1/0, a bool plus an integer is an integer, and bool with bool stays bool.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_python "to parse JSON"
loop=$(build_prog getppid_loop etr_bool)
N=3
snapshot_bpf

cat >"$TMP/bool.bt" <<'EOF'
tracepoint:syscalls:sys_enter_getppid /comm == "etr_bool"/ {
	$me = pid == tid;
	@eq = $me; @k[pid == 0] = count(); @t = (pid > 0, tid == 0, 7); @n = (pid == 0) + 1;
	@cast = (bool)pid; @sum = (pid > 0) + (pid > 0); @not = !(pid > 0); @hk = has_key(@k, false);
	@tern = pid > 0 ? tid > 0 : false; @and = pid > 0 && tid == 0;
	printf("%d %s %d %s\n", $me, $me, pid == 0, pid == 0);
	print(pid > 0); print((pid > 0, "x"));
}
EOF

start_etrace "$TMP/bool.bt" || { fail "text: attached"; finish; }
"$loop" $N
stop_etrace INT
check "text: exit 0 after SIGINT" test "$ET_STATUS" = 0
{
	for i in $(seq $N); do printf '%s\n' '1 true 0 false' true '(true, x)'; done
	printf '%s\n' '' '' '@and: false' '@cast: true' '@eq: true' '@hk: true' "@k[false]: $N" '@n: 1' \
		'@not: false' '@sum: true' '@t: (true, false, 7)' '@tern: true'
} >"$TMP/want.txt"
check "text: printf %d gives 1/0 and %s true/false; print(), map values, keys and tuples print true/false" \
	diff "$TMP/want.txt" "$ET_OUT"

start_json "$TMP/bool.bt" || { fail "json: attached"; finish; }
"$loop" $N
stop_etrace INT
check "json: exit 0 after SIGINT" test "$ET_STATUS" = 0
check "json: bools are JSON true/false in values, map values and tuples; keys are \"false\"" jcheck "$ET_OUT" \
	"of('printf') == ['1 true 0 false\n'] * $N" \
	"of('value') == [True, [True, 'x']] * $N" \
	"[type(one('map', m)) for m in ('@and', '@cast', '@eq', '@hk', '@not', '@sum', '@tern')] == [bool] * 7" \
	"[one('map', m) for m in ('@and', '@cast', '@eq', '@hk', '@not', '@sum', '@tern')] == [False, True, True, True, False, True, True]" \
	"one('map', '@k') == {'false': $N}" \
	"one('map', '@t') == [True, False, 7] and type(one('map', '@t')[0]) is bool" \
	"one('map', '@n') == 1 and type(one('map', '@n')) is int"
check "nothing left behind" nothing_left_behind
finish
