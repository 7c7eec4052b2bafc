# print(@m) of a keyless map holding nothing (cleared, or never written because its probe's predicate
# never held) prints the zero value of its type as bpftrace's print() does (`@c: 0`, a zeroed stats
# record, a zeroed tuple), histograms excepted; zero(@m) keeps the keys at 0; at exit an empty map prints
# nothing in text, and in -f json only an avg/stats one appears, as {} (bpftrace wraps it before looking).
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_python "to parse JSON"
loop=$(build_prog getppid_loop etr_zero)
snapshot_bpf

cat >"$TMP/zero.bt" <<'EOF'
tracepoint:syscalls:sys_enter_getppid /comm == "etr_zero"/ {
	@c = count(); @sm = sum(5); @mn = min(6); @mx = max(7); @a = avg(4); @s = stats(3);
	@h = hist(8); @l = lhist(9, 0, 100, 10); @t = (1, "x"); @i = 42; @k[1] = count(); @ka[2] = avg(2);
	@zc = count(); @zh = hist(8);
}
tracepoint:syscalls:sys_enter_getppid /comm == "no-such-comm"/ { @never = count(); @never_s = stats(1); @never_t = (2, "y"); }
END {
	clear(@c); clear(@sm); clear(@mn); clear(@mx); clear(@a); clear(@s); clear(@h); clear(@l); clear(@t);
	clear(@i); clear(@k); clear(@ka);
	print(@c); print(@sm); print(@mn); print(@mx); print(@a); print(@s); print(@h); print(@l); print(@t);
	print(@i); print(@k); print(@ka);
	zero(@zc); zero(@zh); print(@zc); print(@zh);
	print(@never); print(@never_s); print(@never_t);
}
EOF

start_etrace "$TMP/zero.bt" || { fail "text: attached"; finish; }
"$loop" 5
stop_etrace INT
check "text: exit 0 after SIGINT" test "$ET_STATUS" = 0
printf '%s\n' '@c: 0' '@sm: 0' '@mn: 0' '@mx: 0' '@a: 0' '@s: { .count = 0, .average = 0, .total = 0 }' \
	'@t: (0, )' '@i: 0' '@zc: 0' '@zh:' '' '@never: 0' '@never_s: { .count = 0, .average = 0, .total = 0 }' \
	'@never_t: (0, )' '' '' '@zc: 0' '@zh:' '' >"$TMP/want.txt"
check "text: print() of each empty keyless map is its zero value, hist/lhist and keyed maps print nothing; at exit only the zeroed maps" \
	diff "$TMP/want.txt" "$ET_OUT"

start_json "$TMP/zero.bt" || { fail "json: attached"; finish; }
"$loop" 5
stop_etrace INT
check "json: exit 0 after SIGINT" test "$ET_STATUS" = 0
check "json: the same zero values, stats envelopes for avg/stats, {} for the empty avg/stats maps" jcheck "$ET_OUT" \
	'[(o["type"], o["data"]) for o in objs[1:]] == [
		("map", {"@c": 0}), ("map", {"@sm": 0}), ("map", {"@mn": 0}), ("map", {"@mx": 0}),
		("stats", {"@a": 0}), ("stats", {"@s": {"count": 0, "average": 0, "total": 0}}),
		("map", {"@t": [0, ""]}), ("map", {"@i": 0}), ("stats", {"@ka": {}}),
		("map", {"@zc": 0}), ("hist", {"@zh": []}),
		("map", {"@never": 0}), ("stats", {"@never_s": {"count": 0, "average": 0, "total": 0}}),
		("map", {"@never_t": [0, ""]}),
		("stats", {"@a": {}}), ("stats", {"@ka": {}}), ("stats", {"@never_s": {}}), ("stats", {"@s": {}}),
		("map", {"@zc": 0}), ("hist", {"@zh": []})]'
check "nothing left behind" nothing_left_behind
finish
