# The same scripts through bpftrace (when installed) and etrace: the printed output must have the same
# shape — the same keys, values, formats and order — where the data is deterministic.
# Differences that are deliberate (bpftrace 0.17 vs today's bpftrace, which etrace follows) are normalised:
# blank lines and trailing spaces, and stats' `{ .count = …, .average = …, .total = … }` form.
# Scripts named *_unordered print equal values, which bpftrace orders at random (etrace orders ties by key):
# their lines are compared sorted.
. "$(dirname "$0")/lib.sh"
require_root
command -v bpftrace >/dev/null || skip "bpftrace is not installed (nothing to compare with)"
normalise() {
	sed -e 's/[[:space:]]*$//' -e '/^$/d' -e '/^Attaching [0-9]* probe/d' -e '/RLIMIT_MEMLOCK/d' \
		-e 's/^\(@[^:]*\): { \.count = \([-0-9]*\), \.average = \([-0-9]*\), \.total = \([-0-9]*\) }$/\1: count \2, average \3, total \4/'
}
snapshot_bpf
n=0
for script in "$SRC"/tests/compat/*.bt; do
	name=$(basename "$script" .bt)
	timeout 20 bpftrace -q "$script" 2>&1 | normalise >"$TMP/$name.bpftrace"
	timeout 20 "$ETRACE" -q "$script" >"$TMP/$name.out" 2>"$TMP/$name.err"
	status=$?
	normalise <"$TMP/$name.out" >"$TMP/$name.etrace"
	case $name in *_unordered)
		sort -o "$TMP/$name.bpftrace" "$TMP/$name.bpftrace"
		sort -o "$TMP/$name.etrace" "$TMP/$name.etrace" ;;
	esac
	if [ $status = 0 ] && cmp -s "$TMP/$name.bpftrace" "$TMP/$name.etrace"; then
		pass "$name"
	else
		fail "$name (exit $status)"
		diff "$TMP/$name.bpftrace" "$TMP/$name.etrace" | head -20
		head -5 "$TMP/$name.err"
	fi
	n=$((n + 1))
done
check "at least 25 scripts compared ($n)" test $n -ge 25
check "nothing left behind" nothing_left_behind
finish
