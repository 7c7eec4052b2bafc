# nsecs(monotonic | boot | tai): each between two readings of that clock (CLOCK_MONOTONIC, CLOCK_BOOTTIME,
# CLOCK_TAI) taken around the run; nsecs alone is monotonic. nsecs(sw_tai) (boot clock plus TAI's offset
# measured at load) is also in that TAI window, and within 1 ms of nsecs(tai) read beside it. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_python "to read CLOCK_BOOTTIME and CLOCK_TAI"
snapshot_bpf
clocks() { python3 -c 'import time as t; print(*(t.clock_gettime_ns(c) for c in (t.CLOCK_MONOTONIC, t.CLOCK_BOOTTIME, t.CLOCK_TAI)))'; }

read -r m0 b0 t0 < <(clocks)
run_etrace -e 'BEGIN { printf("%lu %lu %lu %lu %lu\n", nsecs, nsecs(monotonic), nsecs(boot), nsecs(tai),
	nsecs(sw_tai)); exit(); }'
read -r m1 b1 t1 < <(clocks)
check "script exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
read -r n m b t s <"$ET_OUT"
within() { [ -n "$2" ] && [ "$2" -ge "$1" ] && [ "$2" -le "$3" ]; }
check "nsecs ($n) is CLOCK_MONOTONIC, in [$m0, $m1]" within "$m0" "$n" "$m1"
check "nsecs(monotonic) ($m) in [$m0, $m1]" within "$m0" "$m" "$m1"
check "nsecs(boot) ($b) is CLOCK_BOOTTIME, in [$b0, $b1]" within "$b0" "$b" "$b1"
check "nsecs(tai) ($t) is CLOCK_TAI, in [$t0, $t1]" within "$t0" "$t" "$t1"
check "nsecs(sw_tai) ($s) is CLOCK_TAI, in [$t0, $t1]" within "$t0" "$s" "$t1"
check "nsecs(sw_tai) ($s) is within 1 ms of nsecs(tai) ($t)" within "$((t - 1000000))" "$s" "$((t + 1000000))"

read -r m0 b0 t0 < <(clocks)
start_json -e 'BEGIN { @b = nsecs(boot); @t = nsecs(tai); @s = nsecs(sw_tai); exit(); }' || exit 1
wait_etrace
read -r m1 b1 t1 < <(clocks)
# as bpftrace, JSON writes an integer a double cannot hold exactly (most TAI times, past 2^53) as its
# digits in a string
check "-f json: nsecs(boot) and nsecs(tai)" jcheck "$ET_OUT" "$b0 <= one('map', '@b') <= $b1" \
	"$t0 <= int(one('map', '@t')) <= $t1" "$t0 <= int(one('map', '@s')) <= $t1" \
	"isinstance(one('map', '@t'), int) == (float(int(one('map', '@t'))) == int(one('map', '@t')))"

check "nothing left behind" nothing_left_behind
finish
