# username and probetype (bpftrace's stdlib): username of events of -c children run under other uids
# (a named one, computed with id -un, and one without a passwd entry: bpftrace prints ""); probetype of
# begin (special), tracepoint and interval probes, and of a probe whose first attach point decides.
# cgroupid("path") of a cgroup v2 directory made for the test (its inode number, stat -c %i) equals the
# cgroup builtin of a child moved into it. Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
command -v setpriv >/dev/null || skip "needs setpriv to run the child under another uid"
snapshot_bpf

loop=$(build_prog getppid_loop etr_stdproc)
nobody=$(id -un 65534) || skip "no user with uid 65534"
noname=54321
while getent passwd "$noname" >/dev/null; do noname=$((noname + 1)); done

prog='tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	@[username, uid] = count(); printf("u=%s %s\n", username, username()); }'
start_etrace -c "setpriv --reuid=65534 --regid=65534 --clear-groups $loop 5" -e "$prog" || exit 1
wait_etrace
check "uid 65534: username $nobody in the key" grep -qx "@\[$nobody, 65534\]: 5" "$ET_OUT"
check "uid 65534: printf %s gives $nobody" grep -qx "u=$nobody $nobody" "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_etrace -c "setpriv --reuid=$noname --regid=$noname --clear-groups $loop 3" -e \
	'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[uid, username] = count(); }' || exit 1
wait_etrace
check "uid $noname without a passwd entry: username is empty" grep -qx "@\[$noname, \]: 3" "$ET_OUT"

start_json -c "setpriv --reuid=65534 --regid=65534 --clear-groups $loop 2" -e \
	'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @u = username; @t = probetype; }' || exit 1
wait_etrace
check "-f json: username and probetype" jcheck "$ET_OUT" "one('map', '@u') == '$nobody'" \
	"one('map', '@t') == 'tracepoint'"

run_etrace -c "$loop 2" -e 'BEGIN { printf("begin=%s\n", probetype); }
tracepoint:syscalls:sys_enter_getppid,interval:ms:1 /pid == cpid/ {
	@[probetype, probetype == probetype()] = count(); }
END { printf("end=%s\n", probetype); }'
check "begin and end probes are special" grep -qx 'begin=special' "$ET_OUT"
check "end probe is special" grep -qx 'end=special' "$ET_OUT"
check "a probe's first attach point decides its type" grep -qE '^@\[tracepoint, true\]: [0-9]+$' "$ET_OUT"
check "no other probe type in that probe" test "$(grep -c '^@\[' "$ET_OUT")" = 1
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -e 'interval:ms:10 { printf("interval=%s\n", probetype()); exit(); }'
check "interval probe" grep -qx 'interval=interval' "$ET_OUT"

start_json -e 'BEGIN { @b = probetype; exit(); }' || exit 1
wait_etrace
check "-f json: begin's probetype" jcheck "$ET_OUT" "one('map', '@b') == 'special'"

# the cgroup v2 hierarchy: /sys/fs/cgroup itself, or its "unified" mount on hybrid hosts
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cg2" ]; then
	echo "note: no cgroup v2 hierarchy mounted: cgroupid is not tested"
elif ! mkdir "$cg2/etr_proc17_$$"; then
	echo "note: cannot make a cgroup in $cg2: cgroupid is not tested"
else
	cgdir="$cg2/etr_proc17_$$"
	cgid=$(stat -c %i "$cgdir")
	child="sh -c 'echo \$\$ >$cgdir/cgroup.procs && exec $loop 3'"
	start_etrace -c "$child" -e "BEGIN { printf(\"id=%d\\n\", cgroupid(\"$cgdir\")); }
	tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
		@[cgroup == cgroupid(\"$cgdir\"), cgroupid(\"$cgdir\")] = count(); }" || { rmdir "$cgdir"; exit 1; }
	wait_etrace
	check "cgroupid of $cgdir is its inode number $cgid" grep -qx "id=$cgid" "$ET_OUT"
	check "the cgroup builtin of the child in it matches" grep -qx "@\[true, $cgid\]: 3" "$ET_OUT"
	[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"
	start_json -c "$child" -e "tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
		@c = cgroupid(\"$cgdir\"); @same = cgroup == @c; }" || { rmdir "$cgdir"; exit 1; }
	wait_etrace
	check "-f json: cgroupid" jcheck "$ET_OUT" "one('map', '@c') == $cgid" "one('map', '@same') == True"
	rmdir "$cgdir"
fi

check "nothing left behind" nothing_left_behind
finish
