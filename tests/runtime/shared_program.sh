# One program for a block's attach points whose bodies are the same, told apart by attach cookies
# (kernels with bpf_get_attach_cookie, Linux 5.15): `probe` and `func` name each attach point exactly
# (checked against where each uprobe really fired: its ip, against the binary's symbol table; and against
# tracepoints that fire a different number of times each), through uprobe_multi links (one per binary)
# and through perf events, in a for-loop callback too; -v shows one program for them all; --stats (which
# counts events per program, so gets a program per probe) prints the same maps; nothing is left behind.
. "$(dirname "$0")/lib.sh"
require_root
"$ETRACE" --info 2>/dev/null | grep -qE '^ +attach cookies +yes' || skip "this kernel has no attach cookies (Linux 5.15)"
MF=$(build_prog many_funcs etr_many)
LOOP=$(build_prog getppid_loop etr_getppid)
N=3

# prog ids of the uprobe lines of -v
prog_ids() { sed -n 's/^probe uprobe:.* prog id \([0-9]*\),.*/\1/p' "$1" | sort -u; }
# the links of the programs this etrace loaded (-v in $ET_ERR): not every new link on the machine, which
# another tracer may be making meanwhile
our_links() {
	bpftool link list 2>/dev/null | awk 'NR == FNR { ids[$1]; next }
		/^[0-9]+:/ { for (i = 1; i < NF; i++) if ($i == "prog" && ($(i + 1) in ids)) n++ }
		END { print n + 0 }' <(prog_ids "$ET_ERR") -
}

# uprobes on etr_fn1* (100 functions); $1: label, the rest: etrace options
run_uprobes() {
	local label=$1; shift
	snapshot_bpf
	if ! start_etrace -v "$@" -e "uprobe:$MF:etr_fn1* { @n[probe] = count(); @ip[probe] = reg(\"ip\"); @f[func] = count();
		for (\$kv : @n) { @loop[probe] = 1; } }"; then
		fail "$label: attach"
		return 1
	fi
	our_links >"$TMP/nlinks"
	"$MF" "$N"
	stop_etrace
	check "$label: exit status 0 (got $ET_STATUS)" test "$ET_STATUS" = 0
	check "$label: 100 probes counted, each $N times" \
		test "$(grep -c "^@n\[uprobe:$MF:etr_fn1[0-9][0-9]\]: $N\$" "$ET_OUT")" = 100
	check "$label: func names the 100 functions, each $N times" \
		test "$(grep -c "^@f\[etr_fn1[0-9][0-9]\]: $N\$" "$ET_OUT")" = 100
	check "$label: probe in a for-loop callback names all 100" \
		test "$(grep -c "^@loop\[uprobe:$MF:etr_fn1[0-9][0-9]\]: 1\$" "$ET_OUT")" = 100
	# each probe's ip, less etr_fn100's, is its function's symbol value less etr_fn100's
	local base_ip base_sym bad sym name ip
	base_ip=$(sed -n "s/^@ip\[uprobe:.*:etr_fn100\]: //p" "$ET_OUT")
	base_sym=$(nm "$MF" | awk '$3 == "etr_fn100" { print $1 }')
	nm "$MF" | while read -r sym _ name; do
		[[ $name =~ ^etr_fn1[0-9][0-9]$ ]] && echo "$name $((0x$sym - 0x$base_sym))"
	done | sort >"$TMP/want"
	sed -n "s/^@ip\[uprobe:.*:\(etr_fn1[0-9][0-9]\)\]: \([0-9]*\)$/\1 \2/p" "$ET_OUT" |
		while read -r name ip; do echo "$name $((ip - ${base_ip:-0}))"; done | sort >"$TMP/got"
	bad=$(diff "$TMP/want" "$TMP/got" | head -3 | tr '\n' ' ')
	check "$label: each probe fired at its own function (probe matches the ip) ${bad:+($bad)}" \
		test -n "$base_ip" -a -z "$bad" -a "$(wc -l <"$TMP/want")" = 100
	cp "$ET_ERR" "$TMP/verbose"
	check "$label: nothing left behind" nothing_left_behind
}

if run_uprobes "uprobes, one program"; then
	check "uprobes, one program: -v shows one program for the 100 probes ($(prog_ids "$TMP/verbose" | wc -l))" \
		test "$(prog_ids "$TMP/verbose" | wc -l)" = 1
	if "$ETRACE" --info 2>/dev/null | grep -qE '^ +uprobe_multi +yes'; then
		check "uprobe_multi: one link for the 100 probes ($(cat "$TMP/nlinks"))" test "$(cat "$TMP/nlinks")" = 1
	fi
	grep '^@' "$ET_OUT" | sort >"$TMP/maps.shared"
fi
if "$ETRACE" --info 2>/dev/null | grep -qE '^ +uprobe_multi +yes'; then
	run_uprobes "uprobes through perf events" --no-feature uprobe_multi
	check "perf event uprobes: one program" test "$(prog_ids "$TMP/verbose" | wc -l)" = 1
fi
if run_uprobes "--stats, a program per probe" --stats; then
	check "--stats: 100 programs" test "$(prog_ids "$TMP/verbose" | wc -l)" = 100
	grep '^@' "$ET_OUT" | grep -v '^@ip\[' | sort >"$TMP/maps.each"
	grep -v '^@ip\[' "$TMP/maps.shared" | diff - "$TMP/maps.each" >/dev/null
	check "--stats prints the same counts and names as the shared program" test $? = 0
fi

# one block over two binaries: a link (or perf events) for each, every probe named right
MF2=$(build_prog many_funcs etr_many2)
snapshot_bpf
if start_etrace -e "uprobe:$MF:etr_fn10*, uprobe:$MF2:etr_fn20* { @[probe] = count(); }"; then
	"$MF" 2
	"$MF2" 3
	stop_etrace
	check "two binaries: $MF's 10 probes twice each" test "$(grep -c "^@\[uprobe:$MF:etr_fn10[0-9]\]: 2\$" "$ET_OUT")" = 10
	check "two binaries: $MF2's 10 probes 3 times each" \
		test "$(grep -c "^@\[uprobe:$MF2:etr_fn20[0-9]\]: 3\$" "$ET_OUT")" = 10
	check "two binaries: nothing else" test "$(grep -c '^@' "$ET_OUT")" = 20
	check "two binaries: nothing left behind" nothing_left_behind
else
	fail "two binaries: attach"
fi

# perf tracepoints (sys_enter_* has no raw form): getppid N times, exit_group once
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf
run_etrace -v -c "$LOOP 500" -e 'tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_exit_group
	/comm == "etr_getppid"/ { @[probe] = count(); }'
check "tracepoints: exit status 0 (got $ET_STATUS)" test "$ET_STATUS" = 0
check "tracepoints: getppid counted 500 times" grep -qx '@\[tracepoint:syscalls:sys_enter_getppid\]: 500' "$ET_OUT"
check "tracepoints: exit_group counted once" grep -qx '@\[tracepoint:syscalls:sys_enter_exit_group\]: 1' "$ET_OUT"
check "tracepoints: one program" \
	test "$(sed -n 's/^probe tracepoint:.* prog id \([0-9]*\),.*/\1/p' "$ET_ERR" | sort -u | wc -l)" = 1
check "tracepoints: nothing left behind" nothing_left_behind
finish
