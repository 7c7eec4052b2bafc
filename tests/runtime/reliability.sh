# Safety and "nothing lost silently":
#  - a user without CAP_BPF/CAP_PERFMON (nobody via setpriv, and root with every capability dropped) gets
#    "etrace needs root (or CAP_BPF and CAP_PERFMON)" and exit 1 before anything else (no file is read);
#  - updates to a full map are not lost silently: each one is a located warning (helper_errors.sh);
#  - config = { max_map_keys } and BPFTRACE_MAX_MAP_KEYS size the maps (the environment wins, as in bpftrace).
. "$(dirname "$0")/lib.sh"
require_root
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
msg='etrace needs root (or CAP_BPF and CAP_PERFMON)'

out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ETRACE" -e 'BEGIN { exit(); }' 2>&1)
st=$?
check "nobody: exit 1 (got $st)" test "$st" = 1
check "nobody: says it needs root ('$out')" test "$out" = "$msg"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ETRACE" /nonexistent/script.bt 2>&1)
check "nobody: refused before the script is read ('$out')" test "$out" = "$msg"
out=$(setpriv --inh-caps=-all --bounding-set=-all "$ETRACE" -e 'BEGIN { exit(); }' 2>&1)
st=$?
check "root without capabilities: exit 1 (got $st)" test "$st" = 1
check "root without capabilities: says it needs root" test "$out" = "$msg"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ETRACE" --dump-ast -e 'BEGIN { exit(); }' 2>&1)
check "nobody: --dump-ast (syntax only) still works" grep -q 'BEGIN' <<<"$out"

# map full: 50 distinct keys into maps of 10 keys; 40 updates dropped for each map, each one reported
run_etrace -e 'config = { max_map_keys = 10 }
BEGIN { $i = 0; while ($i < 50) { @m[$i] = $i; @c[$i] = count(); $i++; } exit(); }'
check "map full: exit 0" test "$ET_STATUS" = 0
check "map full: 10 keys printed for @m" test "$(grep -c '^@m\[' "$ET_OUT")" = 10
check "map full: @m's 40 failed updates reported" test "$(grep -c -- '^-e:2:35: warning: Map full' "$ET_ERR")" = 40
check "map full: @c's 40 failed updates reported" test "$(grep -c -- '^-e:2:57: warning: Map full' "$ET_ERR")" = 40
run_etrace -e 'BEGIN { $i = 0; while ($i < 50) { @m[$i] = $i; $i++; } exit(); }'
check "room enough: nothing reported" sh -c "! grep -q 'Map full' '$ET_ERR'"
check "room enough: 50 keys" test "$(grep -c '^@m\[' "$ET_OUT")" = 50

# the environment sizes maps; it wins over the config block (bpftrace's rule)
BPFTRACE_MAX_MAP_KEYS=20 run_etrace -e 'BEGIN { $i = 0; while ($i < 50) { @m[$i] = $i; $i++; } exit(); }'
check "BPFTRACE_MAX_MAP_KEYS=20: 20 keys" test "$(grep -c '^@m\[' "$ET_OUT")" = 20
check "BPFTRACE_MAX_MAP_KEYS=20: 30 dropped" test "$(grep -c 'warning: Map full' "$ET_ERR")" = 30
BPFTRACE_MAX_MAP_KEYS=20 run_etrace -e 'config = { max_map_keys = 30 } BEGIN { $i = 0; while ($i < 50) { @m[$i] = $i; $i++; } exit(); }'
check "the environment wins over the config block: 20 keys" test "$(grep -c '^@m\[' "$ET_OUT")" = 20
run_etrace -e 'config = { max_map_keys = 30 } BEGIN { $i = 0; while ($i < 50) { @m[$i] = $i; $i++; } exit(); }'
check "config max_map_keys = 30: 30 keys" test "$(grep -c '^@m\[' "$ET_OUT")" = 30
finish
