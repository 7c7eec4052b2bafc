# username and probetype (bpftrace's stdlib): username of events of -c children run under other uids
# (a named one, computed with id -un, and one without a passwd entry: bpftrace prints ""); probetype of
# begin (special), tracepoint and interval probes, and of a probe whose first attach point decides.
# cgroupid("path") of a cgroup v2 directory made for the test (its inode number, stat -c %i) equals the
# cgroup builtin of a child moved into it. pid, tid, pid(curr_ns|init), tid(...) of etrace run in a new
# PID namespace (unshare -p -f --mount-proc) and of its child: the namespace's ids and the initial ones,
# read from the NSpid lines of /proc/PID/status outside. container_of(p, struct task_struct, member) of
# a self-pointing list head gives back curtask, in a -c child's events. has_cpid is true with -c (cpid
# then the child's pid, from its getppid events) and false without, where each use of cpid warns at run
# time and gives 0 (bpftrace). Text and -f json.
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

if [ -r /sys/kernel/btf/vmlinux ]; then
	# a task without children: its children list is empty, its next pointer the list head itself; a
	# CFS task's rt.run_list likewise (a member path)
	prog='BEGIN { printf("cpid=%d\n", cpid); }
	tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
		$t = container_of(curtask->children.next, struct task_struct, children);
		$r = container_of(curtask->rt.run_list.next, struct task_struct, rt.run_list);
		@[$t->tgid, $t->comm, $t == curtask, $r == curtask] = count(); }'
	start_etrace -c "$loop 4" -e "$prog" || exit 1
	wait_etrace
	cpid=$(sed -n 's/^cpid=//p' "$ET_OUT")
	check "container_of gives back the task (tgid $cpid, comm etr_stdproc)" \
		grep -qx "@\[$cpid, etr_stdproc, true, true\]: 4" "$ET_OUT"
	[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"
	start_json -c "$loop 2" -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
		@c = container_of(curtask->children.next, struct task_struct, children)->comm;
		@t = container_of(curtask->rt.run_list.next, struct task_struct, rt.run_list) == curtask; }' || exit 1
	wait_etrace
	check "-f json: container_of" jcheck "$ET_OUT" "one('map', '@c') == 'etr_stdproc'" "one('map', '@t') == True"
else
	echo "note: no kernel BTF: container_of is not tested"
fi

# has_cpid, and cpid without -c
start_etrace -c "$loop 3" -e 'BEGIN { printf("has=%d %d cpid=%d\n", has_cpid, has_cpid(), cpid); }
tracepoint:syscalls:sys_enter_getppid /pid == cpid && has_cpid/ { @[pid] = count(); }' || exit 1
wait_etrace
cpid=$(sed -n 's/^has=1 1 cpid=//p' "$ET_OUT")
check "with -c: has_cpid is true, cpid the child ($cpid) that made 3 getppid calls" \
	grep -qx "@\[$cpid\]: 3" "$ET_OUT"
check "with -c: cpid gives no warning" bash -c "! grep -q 'No child command' '$ET_ERR'"
run_etrace -e 'BEGIN { printf("has=%d cpid=%d\n", has_cpid, cpid); $c = cpid; exit(); }'
check "without -c: has_cpid is false and cpid 0" grep -qx 'has=0 cpid=0' "$ET_OUT"
check "without -c: each use of cpid warns at run time" \
	test "$(grep -c '^-e:1:.*warning: No child command (`-c`); cpid is zero$' "$ET_ERR")" = 2
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"
run_etrace -f json -e 'BEGIN { @h = has_cpid; @c = cpid; exit(); }'
grep -v '"type": "warnf"' "$ET_OUT" >"$TMP/maps.json"
check "-f json: has_cpid false, cpid 0" jcheck "$TMP/maps.json" "one('map', '@h') == False" "one('map', '@c') == 0"
check "-f json: cpid's warning" grep -q '"msg": "No child command (`-c`); cpid is zero"' "$ET_OUT"

# pid and tid in a PID namespace: etrace runs as the namespace's pid 1; its -c child waits on a fifo
# until the ids are read from outside (sh calls getppid too: the counts are not checked)
if ! command -v unshare >/dev/null || ! unshare -p -f --mount-proc true 2>/dev/null; then
	echo "note: cannot make a PID namespace (unshare -p): pid(ns) is not tested"
else
	printf '#!/bin/sh\nexec unshare -p -f --mount-proc "%s" "$@"\n' "$ETRACE" >"$TMP/etrace-ns"
	chmod +x "$TMP/etrace-ns"
	mkfifo "$TMP/go"
	saved=$ETRACE
	ETRACE=$TMP/etrace-ns
	for fmt in text json; do
		args=(-c "sh -c 'read _ <$TMP/go; exec $loop 2'" -e 'BEGIN {
		printf("begin %d %d %d %d %d %d\n", pid, pid(curr_ns), pid(init), tid, tid(curr_ns), tid(init)); }
	tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
		@[pid, pid(curr_ns), pid(init), tid, tid(curr_ns), tid(init)] = count(); }')
		if [ $fmt = text ]; then start_etrace "${args[@]}" || exit 1; else start_json "${args[@]}" || exit 1; fi
		etr=$(pgrep -P "$ET_PID" | head -1)
		kid=""
		for _ in $(seq 1 100); do kid=$(pgrep -P "$etr" | head -1); [ -n "$kid" ] && break; nap 0.05; done
		read -r _ e_init e_ns < <(grep '^NSpid:' "/proc/$etr/status")
		read -r _ k_init k_ns < <(grep '^NSpid:' "/proc/$kid/status")
		echo go >"$TMP/go"
		wait_etrace
		if [ $fmt = text ]; then
			check "etrace in its namespace: $e_ns, initially $e_init (NSpid)" \
				grep -qx "begin $e_ns $e_ns $e_init $e_ns $e_ns $e_init" "$ET_OUT"
			check "its child: $k_ns in the namespace, $k_init initially" \
				grep -qE "^@\[$k_ns, $k_ns, $k_init, $k_ns, $k_ns, $k_init\]: [0-9]+$" "$ET_OUT"
			[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"
		else
			check "-f json: pid and tid in and out of the namespace" jcheck "$ET_OUT" \
				"list([o['data'] for o in objs if o.get('type') == 'map'][-1]['@']) == ['$k_ns,$k_ns,$k_init,$k_ns,$k_ns,$k_init']" \
				"any(o.get('type') == 'printf' and o['data'] == 'begin $e_ns $e_ns $e_init $e_ns $e_ns $e_init\\n' for o in objs)"
		fi
	done
	ETRACE=$saved
	check "the ids differ in and out of the namespace" test "$k_ns" != "$k_init"
fi

check "nothing left behind" nothing_left_behind
finish
