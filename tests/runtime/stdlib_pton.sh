# pton("addr") from a uprobe on et_greet (fired twice): IPv4 and IPv6 literals to bytes, read back with
# ntop() (with and without the family), indexed, printed as an array, as a map key. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

run_etrace -c "$UT 2" -e "uprobe:$UT:et_greet { \$a = pton(\"127.0.0.1\"); printf(\"%s|%s|%s|%d|%d\\n\",
	ntop(pton(\"127.0.0.1\")), ntop(10, pton(\"::1\")), ntop(pton(\"fe80::1:2\")), \$a[0],
	pton(\"::ffff:1.2.3.4\")[15]); print(pton(\"10.1.2.3\")); @[ntop(pton(\"2001:db8::7\"))] = count(); }"
check "pton: back through ntop (IPv4, IPv6 with AF_INET6, IPv6), indexed" \
	grep -qx '127.0.0.1|::1|fe80::1:2|127|4' "$ET_OUT"
check "pton: printed as an array of bytes" grep -qx '\[10,1,2,3\]' "$ET_OUT"
check "pton: as a map key through ntop" grep -qx '@\[2001:db8::7\]: 2' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/pton.json" -c "$UT 1" -e "uprobe:$UT:et_greet { @a = ntop(pton(\"192.168.0.1\")); @b = pton(\"1.2.3.4\")[3]; }" ||
	exit 1
check "-f json: pton values" jcheck "$TMP/pton.json" "one('map', '@a') == '192.168.0.1'" "one('map', '@b') == 4"

check "nothing left behind" nothing_left_behind
finish
