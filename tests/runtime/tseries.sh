# tseries(n, interval, count[, agg]): bpftrace's time series, in text (the graph) and -f json.
# 1. A spawned process makes a known number of getppid() calls on several threads (so on several CPUs),
#    traced with every aggregation into one interval of 10^9 s: the interval is known in advance (TAI
#    now / 10^18 ns = 1, 2001-09-09 01:46:40 UTC), so every value and the whole graph are exact.
# 2. An interval probe ticks every 100 ms into 100 ms intervals: the intervals are consecutive and 100 ms
#    apart, the sums add up to the ticks, and the graph is redrawn here from the printed rows with
#    bpftrace's layout (an independent renderer) and compared byte for byte (values from -5 up: the 0
#    column is marked).
# 3. print(), zero(), clear(), keys ordered by their bytes, and the JSON shapes.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf
export TZ=UTC
P=$(build_prog getppid_loop etr_getppid)

# the rows of map $2 in text output $1: "TIME VALUE" (VALUE "-" for an interval without one)
rows() { sed -n "/^$2:\$/,/^ *v_*v\$/p" "$1" | sed -n 's/^\([0-9:.]*\) [|*.].* \([-0-9][0-9]*\)$/\1 \2/p'; }
graph() { sed -n "/^$2:\$/,/^\$/p" "$1"; }

# ---- 1. known events, every aggregation, per-CPU values combined ----
N=4000 T=4 K=$((N / T))
BIG=1000000000s
run_etrace -c "$P $N $T" -e "tracepoint:syscalls:sys_enter_getppid /comm == \"etr_getppid\"/ {
	@i[tid]++; \$v = @i[tid];
	@n = tseries(1, $BIG, 2, \"sum\"); @mx = tseries(\$v, $BIG, 2, \"max\"); @mn = tseries(\$v, $BIG, 2, \"min\");
	@av = tseries(\$v, $BIG, 2, \"avg\"); @last = tseries(\$v, $BIG, 2); @neg = tseries(-\$v, $BIG, 2, \"min\"); }"
check "etrace ran the command and exited 0" [ "$ET_STATUS" = 0 ]
cat >"$TMP/n.want" <<EOF
@n:
                   $((N - 1))                                             $((N + 1))
hh:mm:ss.ns        |___________________________________________________|
01:46:40.000000000 |                         *                         | $N
                   v___________________________________________________v
                   $((N - 1))                                             $((N + 1))

EOF
check "sum: one interval holding every call of every thread, drawn as bpftrace draws it" \
	diff "$TMP/n.want" <(graph "$ET_OUT" @n)
check "max: the largest value of any thread ($K)" [ "$(rows "$ET_OUT" @mx)" = "01:46:40.000000000 $K" ]
check "min: the smallest (1)" [ "$(rows "$ET_OUT" @mn)" = "01:46:40.000000000 1" ]
check "avg: total / count over the CPUs ($(((K + 1) / 2)))" \
	[ "$(rows "$ET_OUT" @av)" = "01:46:40.000000000 $(((K + 1) / 2))" ]
check "no aggregation: the newest value written on any CPU ($K)" \
	[ "$(rows "$ET_OUT" @last)" = "01:46:40.000000000 $K" ]
check "min of negative values, signed (-$K)" [ "$(rows "$ET_OUT" @neg)" = "01:46:40.000000000 -$K" ]
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/1.json" -c "$P $N $T" -e "tracepoint:syscalls:sys_enter_getppid /comm == \"etr_getppid\"/ {
	@n = tseries(1, $BIG, 2, \"sum\"); @m[\"b\"] = tseries(2, $BIG, 2, \"max\"); @m[\"a\"] = tseries(1, $BIG, 2, \"max\"); }" ||
	exit 1
check "-f json: {\"type\": \"tseries\"} with interval_start in UTC and the value" \
	grep -qxF "{\"type\": \"tseries\", \"data\": {\"@n\": [{\"interval_start\":\"2001-09-09 01:46:40.000000000\",\"value\":$N}]}}" "$TMP/1.json"
check "-f json: a keyed tseries is an object of the keys' series" jcheck "$TMP/1.json" \
	"one('tseries', '@m') == {'a': [{'interval_start': '2001-09-09 01:46:40.000000000', 'value': 1}], 'b': [{'interval_start': '2001-09-09 01:46:40.000000000', 'value': 2}]}"

# ---- 2. real time: an interval probe, 100 ms intervals ----
TICKS=12
prog="interval:ms:100 { @t = tseries(@k - 5, 100ms, 40); @s = tseries(1, 100ms, 40, \"sum\"); @k++;
	if (@k == $TICKS) { exit(); } }"
run_etrace -e "$prog"
check "interval run exited 0" [ "$ET_STATUS" = 0 ]
rows "$ET_OUT" @s >"$TMP/s.rows"
rows "$ET_OUT" @t >"$TMP/t.rows"
check "sum: the intervals' counts add up to the $TICKS ticks" \
	[ "$(awk '$2 != "-" { s += $2 } END { print s }' "$TMP/s.rows")" = "$TICKS" ]
check "no aggregation: the last tick wrote $((TICKS - 6)), values rise from row to row" \
	awk -v last=$((TICKS - 6)) '$2 != "-" { if (seen && $2 <= prev) bad = 1; prev = $2; seen = 1 }
		END { exit !(seen && prev == last && !bad) }' "$TMP/t.rows"
check_steps() { # consecutive intervals 100 ms apart, each starting at a multiple of 100 ms
	python3 - "$1" <<'PY'
import sys
ts = []
for line in open(sys.argv[1]):
    hms, frac = line.split()[0].split(".")
    h, m, s = map(int, hms.split(":"))
    ts.append(((h * 60 + m) * 60 + s) * 1000 + int(frac))
ok = len(ts) >= 2 and all(t % 100 == 0 for t in ts) and all(b - a == 100 for a, b in zip(ts, ts[1:]))
sys.exit(0 if ok else 1)
PY
}
check "intervals are consecutive, 100 ms apart, on 100 ms boundaries" check_steps "$TMP/s.rows"
# bpftrace's layout (output/text.cpp), redrawn from the rows etrace printed
redraw() { # redraw ROWS NAME
	python3 - "$1" "$2" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
vals = [None if v == "-" else int(v) for _, v in rows]
W, PAD = 53, 21
present = [v for v in vals if v is not None]
lo = hi = vals[0]
for v in present:
    if lo is not None and v < lo: lo = v
    if hi is None or v > hi: hi = v
if lo == hi: lo, hi = lo - 1, hi + 1
tsz = 12  # ms rows
def f32(x):
    import struct
    return struct.unpack("f", struct.pack("f", x))[0]
def place(d1, d2, scale):
    return int(f32(f32(f32(scale) * f32(d1)) / f32(d2)))
out = [sys.argv[2] + ":", " " * (tsz + 1) + str(lo).ljust(PAD) + str(hi).rjust(W - PAD),
       "hh:mm:ss.ms".ljust(tsz + 1) + "|" + "_" * (W - 2) + "|"]
zero = place(lo, lo - hi, W) if lo < 0 < hi else 0
for (t, _), v in zip(rows, vals):
    line = ["|"] + [" "] * (W - 2) + ["|"]
    if zero > 0: line[zero] = "."
    if v is None:
        out.append(t + " " + "".join(line) + " -")
        continue
    line[max(0, min(W - 1, place(lo - v, lo - hi, W - 1)))] = "*"
    out.append(t + " " + "".join(line) + " " + str(v))
out += [" " * (tsz + 1) + "v" + "_" * (W - 2) + "v", " " * (tsz + 1) + str(lo).ljust(PAD) + str(hi).rjust(W - PAD), ""]
print("\n".join(out))
PY
}
redraw "$TMP/t.rows" @t >"$TMP/t.want"
check "no aggregation: the graph is bpftrace's, redrawn from its rows" diff "$TMP/t.want" <(graph "$ET_OUT" @t)
redraw "$TMP/s.rows" @s >"$TMP/s.want"
check "sum: the graph is bpftrace's, redrawn from its rows" diff "$TMP/s.want" <(graph "$ET_OUT" @s)
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_json "$TMP/2.json" -e "$prog" || exit 1
check "-f json: the sums add up to the ticks, in intervals 100 ms apart, without empty ones" jcheck "$TMP/2.json" \
	"sum(p['value'] for p in one('tseries', '@s')) == $TICKS" \
	"all(p['interval_start'].endswith('00000000') for p in one('tseries', '@s'))" \
	"len(one('tseries', '@s')) <= $TICKS + 1" \
	"one('tseries', '@t')[-1]['value'] == $((TICKS - 6))"

# ---- 3. print(), zero(), clear() ----
run_etrace -e "BEGIN { @a = tseries(3, $BIG, 2, \"avg\"); @a = tseries(6, $BIG, 2, \"avg\"); print(@a);
	zero(@a); print(@a); @b[\"k\"] = tseries(1, $BIG, 2); clear(@b); print(@b); print(\"end\"); exit(); }"
cat >"$TMP/3.want" <<'EOF'
@a:
                   3                                                   5
hh:mm:ss.ns        |___________________________________________________|
01:46:40.000000000 |                         *                         | 4
                   v___________________________________________________v
                   3                                                   5

@a:
<no data>
end


@a:
<no data>
EOF
check "print(): the graph (avg of 3 and 6 is 4); after zero() <no data>; a cleared map prints nothing" \
	diff "$TMP/3.want" "$ET_OUT"
start_json -e "BEGIN { @a = tseries(3, $BIG, 2); zero(@a); @b = tseries(3, $BIG, 2); clear(@b); exit(); }" || exit 1
wait_etrace
zeroed_json() { [ "$(grep -c tseries "$ET_OUT")" = 1 ] && grep -qxF '{"type": "tseries", "data": {"@a": []}}' "$ET_OUT"; }
check "-f json: a zeroed tseries is an empty series; a cleared one is not printed" zeroed_json

check "nothing left behind" nothing_left_behind
finish
