# delete() returns whether it deleted (both forms, a keyless map), dropped without a warning; has_key and
# len on every map kind (hash, lruhash, percpuhash, percpulruhash and each aggregation). Real events: a
# uprobe on et_greet, fired 3 times by the test program, and BEGIN. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

run_etrace -c "$UT 3" -e "uprobe:$UT:et_greet { @k[1] = 1; \$a = delete(@k, 1); \$b = delete(@k, 1); @k[2] = 2;
	@r[\$a, \$b, delete(@k[2]), delete(@k[2])] = count(); delete(@k, 9); }"
check "delete(@m, k) and delete(@m[k]): true when the key was there, then false (3 calls)" \
	grep -qx '@r\[true, false, true, false\]: 3' "$ET_OUT"
check "a dropped delete() result is not warned about" bash -c "! grep -q 'warning' '$ET_ERR'"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -e 'BEGIN { @ = 1; @b[1, 2] = 2; if (delete(@)) { printf("ok1\n"); }
	if (delete(@b, (1, 2))) { printf("ok2\n"); } if (!delete(@b, (5, 6))) { printf("ok3\n"); } exit(); }'
check "delete of a keyless map and of a tuple key, in conditions" \
	bash -c "[ \"\$(grep ok '$ET_OUT' | tr '\n' ' ')\" = 'ok1 ok2 ok3 ' ]"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

kinds='let @h = hash(10); let @l = lruhash(10); let @p = percpuhash(10); let @pl = percpulruhash(10);
BEGIN { @h[1] = 1; @l[1] = 2; @p[1] = count(); @pl[1] = sum(4); @c[1] = count(); @s[2] = sum(5); @mn[1] = min(3);
	@mx[1] = max(3); @av[1] = avg(4); @st[1] = stats(1); @hi[1] = hist(3); @lh[1] = lhist(3, 0, 10, 1);
	printf("len %d %d %d %d %d %d %d %d %d %d %d %d\n", len(@h), len(@l), len(@p), len(@pl), len(@c), len(@s),
		len(@mn), len(@mx), len(@av), len(@st), len(@hi), len(@lh));
	printf("has %d %d %d %d %d %d %d %d %d %d %d %d %d\n", has_key(@h, 1), has_key(@l, 1), has_key(@p, 1),
		has_key(@pl, 1), has_key(@c, 1), has_key(@s, 2), has_key(@mn, 1), has_key(@mx, 1), has_key(@av, 1),
		has_key(@st, 1), has_key(@hi, 1), has_key(@lh, 1), has_key(@lh, 2));
	printf("del %d %d %d %d %d %d %d %d %d %d %d %d\n", delete(@h, 1), delete(@l, 1), delete(@p, 1),
		delete(@pl, 1), delete(@c, 1), delete(@s, 2), delete(@mn, 1), delete(@mx, 1), delete(@av, 1),
		delete(@st, 1), delete(@hi, 1), delete(@lh, 1));
	printf("after %d %d %d %d\n", len(@h), len(@p), has_key(@p, 1), has_key(@c, 1)); exit(); }'
run_etrace -e "$kinds"
check "len on every map kind" grep -qx 'len 1 1 1 1 1 1 1 1 1 1 1 1' "$ET_OUT"
check "has_key on every map kind (a missing key: 0)" grep -qx 'has 1 1 1 1 1 1 1 1 1 1 1 1 0' "$ET_OUT"
check "delete on every map kind" grep -qx 'del 1 1 1 1 1 1 1 1 1 1 1 1' "$ET_OUT"
check "len and has_key after delete" grep -qx 'after 0 0 0 0' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/maps.json" -c "$UT 2" -e "uprobe:$UT:et_greet { @k[1] = 1; @d = delete(@k, 1); @e = delete(@k, 1);
	@n = len(@k); @h = has_key(@k, 1); }" || exit 1
check "-f json: delete's bools, len, has_key" jcheck "$TMP/maps.json" "one('map', '@d') is True" \
	"one('map', '@e') is False" "one('map', '@n') == 0" "one('map', '@h') is False"

check "nothing left behind" nothing_left_behind
finish
