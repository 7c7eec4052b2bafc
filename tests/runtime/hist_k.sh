# hist(n, k): 2^k buckets to each power of two, printed as bpftrace prints them (text and -f json). A
# uprobe on et_greet, fired 3 times, adds 0, 7, 14 ... 273 and -5; the expected rows are computed here
# from the bucket rule (values below 2^(k+1) one to a bucket, then 2^k equal buckets to each power of
# two), independently of etrace's slot arithmetic.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
build_uprobe_progs

expect_rows() { # expect_rows K: the text rows "label count" for the values above, 3 times each
	python3 - "$1" <<'PY'
import sys
k = int(sys.argv[1])
vals = [7 * i for i in range(40)] + [-5]
def bucket(v):  # (lo, hi) inclusive, or None for negatives
    if v < 0:
        return None
    if v < 2 << k:
        return (v, v)
    p = v.bit_length() - 1          # v in [2^p, 2^(p+1))
    width = 1 << (p - k)            # 2^k buckets of this width
    lo = (v // width) * width
    return (lo, lo + width - 1)
def name(x):
    for i, s in enumerate(["", "K", "M", "G"]):
        if x < 1024 ** (i + 1) or s == "G":
            return f"{x // 1024 ** i}{s}" if x % 1024 ** i == 0 else str(x)
counts = {}
for v in vals:
    counts[bucket(v)] = counts.get(bucket(v), 0) + 3
rows = []
if None in counts:
    rows.append(("(..., 0)", counts[None]))
for lo, hi in sorted(b for b in counts if b is not None):
    rows.append((f"[{lo}]" if lo == hi else f"[{name(lo)}, {name(hi + 1)})", counts[(lo, hi)]))
for label, c in rows:
    print(label, c)
PY
}
prog="uprobe:$UT:et_greet { \$i = 0; while (\$i < 40) { @h0 = hist(\$i * 7); @h2 = hist(\$i * 7, 2);
	@h5[\"x\"] = hist(\$i * 7, 5); \$i++; } @h0 = hist(-5); @h2 = hist(-5, 2); @h5[\"x\"] = hist(-5, 5); }"
run_etrace -c "$UT 3" -e "$prog"
# the rows of each map: empty buckets between filled ones are printed too (count 0), so keep the filled
for m in '@h0:' '@h2:' '@h5\[x\]:'; do
	k=${m:2:1}
	sed -n "/^$m\$/,/^\$/p" "$ET_OUT" | sed -n 's/^\(.*[])]\) *\([0-9][0-9]*\) |.*/\1 \2/p' |
		awk '$NF != 0' >"$TMP/got$k"
	expect_rows "$k" >"$TMP/want$k"
	check "hist(n, $k): every bucket and count as bpftrace draws them" diff "$TMP/want$k" "$TMP/got$k"
done
check "hist(n, 2) splits [256, 512) in four: [256, 320) is the first" grep -q '^\[256, 320) ' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/h.json" -c "$UT 1" -e "uprobe:$UT:et_greet { @h = hist(17, 3); @h = hist(0, 3); @h = hist(1000, 3); }" ||
	exit 1
check "-f json: hist(n, 3) buckets with their min and max" jcheck "$TMP/h.json" \
	"[b for b in of('hist')[0]['@h'] if b['count']] == [{'min': 0, 'max': 0, 'count': 1}, {'min': 16, 'max': 17, 'count': 1}, {'min': 960, 'max': 1023, 'count': 1}]"

check "nothing left behind" nothing_left_behind
finish
