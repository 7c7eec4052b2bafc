# strftime(fmt, nsecs): formatted in user space (REALTIME - BOOTTIME offset), checked against `date`
# with a tolerance; as a printf %s argument, a map value and a map key; %f gives six digits of usecs.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf

before=$(date +%s)
run_etrace -e 'BEGIN { printf("t=%s\n", strftime("%s", nsecs)); printf("f=%s\n", strftime("%H:%M:%S.%f %%", nsecs));
@v = strftime("%Y-%m-%d", nsecs); @k[strftime("%Y", nsecs)] = count(); exit(); }'
after=$(date +%s)
check "strftime script exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
t=$(sed -n 's/^t=\([0-9]*\)$/\1/p' "$ET_OUT")
check "strftime(\"%s\", nsecs) ($t) is within [$before - 2, $after + 2]" \
	test -n "$t" -a "${t:-0}" -ge $((before - 2)) -a "${t:-0}" -le $((after + 2))
check "%f gives six digits of microseconds, %% a percent sign" grep -qE '^f=[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} %$' "$ET_OUT"
day=$(date +%Y-%m-%d)
check "a strftime() map value prints the date ($day)" grep -qx "@v: $day" "$ET_OUT"
check "a strftime() map key prints the year" grep -qx "@k\[$(date +%Y)\]: 1" "$ET_OUT"

# values of different formats in one map, tuple and variable: each prints with its own format (bpftrace's
# strftime_t carries its format)
run_etrace -e 'BEGIN { @m[1] = strftime("one", 0); @m[2] = strftime("Y%Y", nsecs); @t = (strftime("x", 0), 1);
@t = (strftime("y%%", 0), 2); $v = strftime("v1", 0); print($v); $v = strftime("v2", 0); print($v); exit(); }'
check "formats script exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "each value prints with its own format" test "$(grep . "$ET_OUT")" = "v1
v2
@m[1]: one
@m[2]: Y$(date +%Y)
@t: (y%, 2)"
run_etrace -f json -e 'BEGIN { @m[1] = strftime("one", 0); @m[2] = strftime("two", 0); exit(); }'
check "each value prints with its own format (json)" grep -qxF '{"type": "map", "data": {"@m": {"1": "one", "2": "two"}}}' "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
