# SIGINT, SIGTERM and exit() each print the maps, exit 0 and leave no program, link or map behind.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
for sig in INT TERM; do
	start_etrace -e 'BEGIN { @started = 1; } interval:ms:10 { @n = count(); }' || { fail "attach ($sig)"; continue; }
	sleep 0.3
	stop_etrace $sig
	check "SIG$sig: exit status 0" test "$ET_STATUS" = 0
	check "SIG$sig: maps printed" grep -qE '^@n: [1-9][0-9]*$' "$ET_OUT"
	check "SIG$sig: scalar map printed" grep -qx '@started: 1' "$ET_OUT"
	check "SIG$sig: nothing left behind" nothing_left_behind
done
run_etrace -e 'BEGIN { @x = 5; exit(); }'
check "exit(): status 0" test "$ET_STATUS" = 0
check "exit(): maps printed" grep -qx '@x: 5' "$ET_OUT"
check "exit(): nothing left behind" nothing_left_behind
finish
