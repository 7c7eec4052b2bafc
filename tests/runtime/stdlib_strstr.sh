# strstr(), strcontains() and strcap() on the strings of a uprobe on et_greet("hello") (fired twice):
# str(arg0), comm ("ut"), literals and variables with a NUL inside (the search stops at a NUL of the
# haystack and at one of the needle), as values, a map key and a predicate. str_concat() of the same
# strings, of a string full to its capacity (max_strlen 5: no NUL) and cut at 1023 characters. Text and
# -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

prog="uprobe:$UT:et_greet { \$s = str(arg0); \$h = \"hello\\0world\"; \$nn = \"wo\\0rld\"; \$e = \"\";
	printf(\"%d|%d|%d|%d|%d|%d|%d|%d\\n\", strstr(\$s, \"llo\"), strstr(\$s, \$e), strstr(\$s, \"hello!\"),
	strstr(\$h, \"world\"), strstr(\"hello world\", \$nn), strstr(comm, \"t\"), strstr(\"ababac\", \"abac\"),
	strstr(\$s, str(arg0))); }
	uprobe:$UT:et_greet { \$s = str(arg0); \$e = \"\";
	print((strcontains(\$s, \"ell\"), strcontains(\$s, \"Hell\"), strcontains(\$e, \$e), strcontains(\$e, \"x\")));
	print((strcap(\$s), strcap(\"abc\"), strcap(comm), strcap((int8 *)arg0))); }
	uprobe:$UT:et_greet { @[strcontains(comm, \"u\")] = count(); }
	uprobe:$UT:et_greet /strcontains(str(arg0), \"ll\")/ { @pred = count(); }"
run_etrace -c "$UT 2" -e "$prog"
check "strstr: found, empty needle, longer needle, after a NUL, needle cut at its NUL, comm, overlap, itself" \
	grep -qx '2|0|-1|-1|6|1|2|0' "$ET_OUT"
check "strcontains: found, case differs, empty in empty, in empty" grep -qx '(true, false, true, false)' "$ET_OUT"
check "strcap: str() (max_strlen 64), a literal, comm, an int8 pointer (its length)" \
	grep -qx '(64, 4, 16, 5)' "$ET_OUT"
check "strcontains as a map key and in a predicate" \
	bash -c "grep -qx '@\[true\]: 2' '$ET_OUT' && grep -qx '@pred: 2' '$ET_OUT'"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

long=$(printf 'a%.0s' $(seq 600))
run_etrace -c "$UT 2" -e "config = { max_strlen = 5 } uprobe:$UT:et_greet { \$s = str(arg0);
	print((str_concat(\$s, \" world\"), str_concat(comm, \$s), str_concat(\"\", \$s), sizeof(str_concat(\$s, \$s))));
	print((strlen(str_concat(\"$long\", \"$long\")), strlen(str_concat(\"$long\", \"xy\"))));
	@[str_concat(\$s, \"!\")] = count(); }"
check "str_concat: of str(), comm and an empty string, a string[1024]" \
	grep -qx '(hello world, uthello, hello, 1024)' "$ET_OUT"
check "str_concat: cut at 1023 characters, and 600 + 2" grep -qx '(1023, 602)' "$ET_OUT"
check "str_concat as a map key" grep -qx '@\[hello!\]: 2' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/strstr.json" -c "$UT 1" -e "uprobe:$UT:et_greet { @i = strstr(str(arg0), \"lo\"); @c = strcontains(str(arg0), \"he\");
	@n = strcontains(str(arg0), \"x\"); @k = strcap(comm); @j = str_concat(str(arg0), \"!\"); }" || exit 1
check "-f json: strstr, strcontains, strcap, str_concat values" jcheck "$TMP/strstr.json" "one('map', '@i') == 3" \
	"one('map', '@c') is True" "one('map', '@n') is False" "one('map', '@k') == 16" \
	"one('map', '@j') == 'hello!'"

check "nothing left behind" nothing_left_behind
finish
