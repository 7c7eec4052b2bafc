# Map printing on this kernel: every aggregation kind from a kernel event on several CPUs (per-CPU maps
# reduced in user space, exact values) and from BEGIN (every print format, sort orders).
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_getppid)
N=1000

start_etrace -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_getppid"/ {
	@c = count(); @s = sum(2); @a = avg(7); @mn = min(3); @mx = max(11); @st = stats(4);
	@h = hist(1000); @l = lhist(25, 0, 100, 10); @k[tid == pid] = count(); }' || fail "aggregations attach"
"$loop" $N 4
stop_etrace INT
out=$(grep -v '^$' "$ET_OUT" | sed 's/[[:space:]]*$//')
for want in "@c: $N" "@s: $((2 * N))" "@a: 7" "@mn: 3" "@mx: 11" "@k[false]: $((3 * N / 4))" "@k[true]: $((N / 4))" \
	"@st: { .count = $N, .average = 4, .total = $((4 * N)) }"; do
	check "per-CPU reduced: $want" grep -qxF "$want" <<<"$out"
done
check "hist: [512, 1K) holds all $N" grep -qE "^\[512, 1K\) +$N \|@{52}\|\$" <<<"$out"
check "lhist: [20, 30) holds all $N" grep -qE "^\[20, 30\) +$N \|@{52}\|\$" <<<"$out"

run_etrace -e 'BEGIN { @h = hist(4); @h = hist(100); @h = hist(0); @l = lhist(15, 0, 100, 10); @l = lhist(37, 0, 100, 10);
	@m["a", 1] = 3; @m["b", 2] = 1; @k[7] = 2; @k[3] = 5; @str = "text"; @neg = -5; exit(); }'
cat >"$TMP/want" <<'WANT'
@h:
[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[1]                    0 |                                                    |
[2, 4)                 0 |                                                    |
[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[8, 16)                0 |                                                    |
[16, 32)               0 |                                                    |
[32, 64)               0 |                                                    |
[64, 128)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
@k[7]: 2
@k[3]: 5
@l:
[10, 20)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[20, 30)               0 |                                                    |
[30, 40)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
@m[b, 2]: 1
@m[a, 1]: 3
@neg: -5
@str: text
WANT
grep -v '^$' "$ET_OUT" | sed 's/[[:space:]]*$//' >"$TMP/got"
check "BEGIN maps printed like bpftrace (blank lines and trailing spaces aside)" diff -u "$TMP/want" "$TMP/got"
finish
