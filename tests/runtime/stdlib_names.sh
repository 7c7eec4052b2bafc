# strerror(n) and signal_name(n): string[64] values as bpftrace gives them (its texts, "Unknown error" and
# "N/A" out of range, strerror of a negative errno), printed, compared and used as map keys. The values
# come from a uprobe on et_greet (fired twice) through a variable, so they are looked up in the probe.
# Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

prog="uprobe:$UT:et_greet { \$e = 22; \$s = 2; printf(\"%s|%s|%s|%s|%s\\n\", strerror(\$e), strerror(-\$e + 20),
	strerror(\$e * 100), strerror(\$e - 11), strerror(\$e + 19));
	printf(\"%s|%s|%s|%s|%s\\n\", signal_name(\$s), signal_name(\$s - 2), signal_name(\$s * 512),
	signal_name(\$s + 32), signal_name(-\$s));
	@[strerror(\$e - 9), signal_name(\$s + 13)] = count(); if (strerror(1) == \"Operation not permitted\") { @eq = 1; } }"
run_etrace -c "$UT 2" -e "$prog"
check "strerror: 22, -2, out of range, EAGAIN in bpftrace's words, an errno without a name (41)" \
	grep -qx 'Invalid argument|No such file or directory|Unknown error|Try again (operation would block)|Unknown error' "$ET_OUT"
check "signal_name: 2, 0, out of range, a real-time signal, a negative number" \
	grep -qx 'Interrupt|Unknown signal 0|N/A|Real-time signal 0|N/A' "$ET_OUT"
check "as map keys, and compared with a string" \
	bash -c "grep -qx '@\[Permission denied, Terminated\]: 2' '$ET_OUT' && grep -qx '@eq: 1' '$ET_OUT'"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/names.json" -c "$UT 1" -e "uprobe:$UT:et_greet { \$n = 9; @e = strerror(\$n); @s = signal_name(\$n); print(strerror(\$n + 3)); }" ||
	exit 1
check "-f json: strerror and signal_name values" jcheck "$TMP/names.json" "one('map', '@e') == 'Bad file number'" \
	"one('map', '@s') == 'Killed'" "of('value') == ['Out of memory']"

check "nothing left behind" nothing_left_behind
finish
