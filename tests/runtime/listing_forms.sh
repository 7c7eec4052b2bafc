# -l forms as today's bpftrace prints them: interval:* and profile:* list their units ("interval:hz:" ...,
# in name order), a bare pattern is the event part of every kernel probe type ("*:PATTERN"),
# "tracepoint:PATTERN" matches events of every category, and "A,B" lists each pattern in turn.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls sys_enter_getppid

"$ETRACE" -l 'interval:*' >"$TMP/l" 2>&1
check "-l interval:*: its forms" test "$(cat "$TMP/l")" = "$(printf 'interval:hz:\ninterval:ms:\ninterval:s:\ninterval:us:')"
"$ETRACE" -l 'profile:*' >"$TMP/l" 2>&1
check "-l profile:*: its forms" test "$(cat "$TMP/l")" = "$(printf 'profile:hz:\nprofile:ms:\nprofile:s:\nprofile:us:')"
"$ETRACE" -l 'interval:m*' >"$TMP/l" 2>&1
check "-l interval:m*: the units matching" test "$(cat "$TMP/l")" = "interval:ms:"
"$ETRACE" -l 'tracepoint:sys_enter_getppi*' >"$TMP/l" 2>&1
check "-l tracepoint:EVENT: every category" test "$(cat "$TMP/l")" = "tracepoint:syscalls:sys_enter_getppid"
"$ETRACE" -l 'sys_enter_getppi*' >"$TMP/l" 2>&1
check "-l bare pattern: the tracepoint" grep -qxF 'tracepoint:syscalls:sys_enter_getppid' "$TMP/l"
check "-l bare pattern: no error" bash -c "! grep -q error '$TMP/l'"
"$ETRACE" -l 'tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_exit_getppid' >"$TMP/l" 2>&1
check "-l A,B: both" test "$(cat "$TMP/l")" = "$(printf 'tracepoint:syscalls:sys_enter_getppid\ntracepoint:syscalls:sys_exit_getppid')"
"$ETRACE" -l 'software:*' >"$TMP/l" 2>&1
check "-l software:*: the events" grep -qxF 'software:cpu-clock' "$TMP/l"
"$ETRACE" -l 'etr_nosuch:*' >"$TMP/l" 2>&1
check "-l with an unknown probe type: an error" grep -qF "no probe type matches 'etr_nosuch'" "$TMP/l"
finish
