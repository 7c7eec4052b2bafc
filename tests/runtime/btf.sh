# Kernel types from BTF on the running kernel: tracepoint args beside curtask fields, pointer chains
# through curtask checked against /proc for a known child, struct/array printing, sizeof/offsetof, casts.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint sched/sched_switch
require_tracepoint raw_syscalls/sys_enter
require_btf
loop=$(build_prog getppid_loop etr_btfchain)
snapshot_bpf

# 1. sched_switch: args->prev_comm and curtask->pid agree about the task being switched out
run_etrace -e 'tracepoint:sched:sched_switch { if (args->prev_pid == curtask->pid) { @same = count(); } else { @differ = count(); } @c[args->prev_comm == curtask->comm] = count(); }
interval:ms:500 { exit(); }'
check "sched_switch runs (status $ET_STATUS)" test "$ET_STATUS" = 0
same=$(sed -n 's/^@same: \([0-9]*\)$/\1/p' "$ET_OUT")
check "args->prev_pid == curtask->pid on sched_switch (same=${same:-none})" test "${same:-0}" -gt 0
check "never differs" bash -c "! grep -q '^@differ' '$ET_OUT'"
check "args->prev_comm equals curtask->comm" grep -qE '^@c\[true\]: [0-9]+$' "$ET_OUT"
check "prev_comm never differs from curtask->comm" bash -c "! grep -q '^@c\[false\]' '$ET_OUT'"

# 2. a chain of pointer hops through curtask for a child we know
start_etrace -e 'tracepoint:raw_syscalls:sys_enter /comm == "etr_btfchain"/ {
	printf("pid=%d parent=%d grandparent=%d gpcomm=%s\n", curtask->pid, curtask->real_parent->pid,
	       curtask->real_parent->real_parent->pid, curtask->real_parent->real_parent->comm);
	printf("exe=%s\n", str(curtask->mm->exe_file->f_path.dentry->d_name.name));
	printf("tgid=%d leader=%d\n", curtask->tgid, curtask->group_leader->pid);
	exit(); }' || fail "attach the chain probe"
"$loop" 3000000 &
child=$!
wait_etrace
kill "$child" 2>/dev/null
wait "$child" 2>/dev/null
check "chain probe exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "curtask->pid is the child's pid $child" grep -q "^pid=$child " "$ET_OUT"
check "curtask->real_parent->pid is this shell ($$)" grep -q " parent=$$ " "$ET_OUT"
check "curtask->real_parent->real_parent->pid is the shell's parent ($PPID)" grep -q " grandparent=$PPID " "$ET_OUT"
gpcomm=$(cat "/proc/$PPID/comm" 2>/dev/null)
check "real_parent->real_parent->comm matches /proc/$PPID/comm ($gpcomm)" grep -qF "gpcomm=$gpcomm" "$ET_OUT"
exe=$(basename "$(readlink -f "$loop")")
check "mm->exe_file->f_path.dentry->d_name.name is the executable's name ($exe)" grep -qx "exe=$exe" "$ET_OUT"
check "tgid and group_leader->pid agree with the pid" grep -qx "tgid=$child leader=$child" "$ET_OUT"

# 3. printing structs, arrays of structs, pointers; sizeof/offsetof; casts and typed variables
run_etrace -e 'BEGIN { print(curtask->se.load); print(curtask->mm->exe_file->f_path); print(curtask->pid_links);
	$t = (struct task_struct *)curtask; print($t->pid == pid);
	printf("%d %d\n", sizeof(struct list_head), offsetof(struct list_head, prev));
	$p = curtask->real_parent; print($p->comm); exit(); }'
check "BEGIN with kernel types runs (status $ET_STATUS)" test "$ET_STATUS" = 0
check "struct printed with its field names" grep -qE '^\{ \.weight = [0-9]+, \.inv_weight = [0-9]+ \}$' "$ET_OUT"
check "pointer fields printed as addresses" grep -qE '^\{ \.mnt = 0x[0-9a-f]+, \.dentry = 0x[0-9a-f]+ \}$' "$ET_OUT"
check "array of structs printed" grep -qE '^\[\{ \.next = 0x[0-9a-f]+, \.pprev = 0x[0-9a-f]+ \}(,\{[^}]*\})+\]$' "$ET_OUT"
check "cast curtask to struct task_struct * reads the same pid" test "$(sed -n 4p "$ET_OUT")" = true
check "sizeof/offsetof of struct list_head" grep -qx "16 8" "$ET_OUT"
# run_etrace starts etrace under timeout(1): that is its parent
check "a pointer kept in a variable is dereferenced: the parent's comm (timeout)" test "$(sed -n 6p "$ET_OUT")" = timeout

# enums from BTF print by name (as values and as map keys); a value without a name prints as a number
# (from a variable: a literal without an enumerator is an error, as in today's bpftrace)
run_etrace -e 'BEGIN { print((enum pid_type)1); @k[(enum pid_type)2] = count(); $n = 77; print((enum pid_type)$n); exit(); }'
check "print of an enum value gives its name" test "$(sed -n 1p "$ET_OUT")" = PIDTYPE_TGID
check "an unnamed enum value prints as a number" test "$(sed -n 2p "$ET_OUT")" = 77
check "an enum map key prints by name" grep -qx '@k\[PIDTYPE_PGID\]: 1' "$ET_OUT"
run_etrace -e 'BEGIN { printf("%s %d\n", (enum pid_type)1, (enum pid_type)1); exit(); }'
check "printf %s of an enum gives its name, %d its value" test "$(sed -n 1p "$ET_OUT")" = "PIDTYPE_TGID 1"
# an enum stored as a map value prints by name, as today's bpftrace prints it (0.17 printed the number);
# a value without a name stays a number; -f json gets numbers (bpftrace's JSON does the same)
run_etrace -e 'BEGIN { @s = (enum pid_type)2; @v[1] = (enum pid_type)0; @t = ((enum pid_type)3, 5); $n = 77; @u = (enum pid_type)$n;
	$e = curtask->nsproxy->net_ns->loopback_dev->ml_priv_type; @w = $e; exit(); }'
check "an enum map value prints by name" grep -qx '@s: PIDTYPE_PGID' "$ET_OUT"
check "an enum value under a key prints by name" grep -qx '@v\[1\]: PIDTYPE_PID' "$ET_OUT"
check "an enum in a tuple value prints by name" grep -qx '@t: (PIDTYPE_SID, 5)' "$ET_OUT"
check "an unnamed enum map value prints as a number" grep -qx '@u: 77' "$ET_OUT"
# (a field that is an enum in 6.1 and today's kernels alike: inode's i_write_hint is a u8 in 6.1)
check "a BTF enum field stored in a map prints by name" grep -qE '^@w: ML_PRIV_[A-Z_]+$' "$ET_OUT"
run_etrace -f json -e 'BEGIN { @s = (enum pid_type)2; @t = ((enum pid_type)3, 5); print((enum pid_type)1); exit(); }'
check "json: an enum map value is a number" grep -qxF '{"type": "map", "data": {"@s": 2}}' "$ET_OUT"
check "json: an enum in a tuple is a number" grep -qxF '{"type": "map", "data": {"@t": [3,5]}}' "$ET_OUT"
check "json: print of an enum is a number" grep -qxF '{"type": "value", "data": 1}' "$ET_OUT"

# ntop(): IPv4 from an integer (network order) with and without the family, IPv6 from a 16-byte array,
# as values and as map keys
run_etrace -e 'BEGIN { print(ntop(0x0100007f)); printf("%s\n", ntop(2, 0x0101a8c0)); @k[ntop(0x08080808)] = count(); exit(); }'
check "ntop of an integer" test "$(sed -n 1p "$ET_OUT")" = 127.0.0.1
check "ntop(AF_INET, addr) in printf %s" test "$(sed -n 2p "$ET_OUT")" = 192.168.1.1
check "ntop as a map key" grep -qx '@k\[8.8.8.8\]: 1' "$ET_OUT"
if [ -r /sys/kernel/tracing/events/sock/inet_sock_set_state/format ] && command -v python3 >/dev/null; then
	start_etrace -e 'tracepoint:sock:inet_sock_set_state /args->family == 10/ { @v6[ntop(args->saddr_v6)] = count(); }' ||
		fail "attach inet_sock_set_state"
	python3 -c "import socket
s = socket.socket(socket.AF_INET6); s.bind(('::1', 0)); s.listen()
c = socket.create_connection(('::1', s.getsockname()[1])); c.close()" 2>/dev/null
	stop_etrace INT
	check "ntop of a 16-byte tracepoint field is an IPv6 address (::1)" grep -qE '^@v6\[::1\]: [0-9]+$' "$ET_OUT"
fi

# 4. kptr()/uptr(): address spaces made explicit; a kernel pointer is read as kernel memory even in a
# syscall tracepoint (where plain integers are read as user addresses)
if [ -r /sys/kernel/tracing/events/syscalls/sys_enter_openat/format ] ||
   [ -r /sys/kernel/debug/tracing/events/syscalls/sys_enter_openat/format ]; then
	f="$TMP/etr-kptr-$$"
	: >"$f"
	start_etrace -e "tracepoint:syscalls:sys_enter_openat /comm == \"cat\"/ {
		@[str(uptr(args->filename)), str(kptr(curtask->mm->exe_file->f_path.dentry->d_name.name))] = count(); }" ||
		fail "attach the kptr/uptr probe"
	cat "$f" >/dev/null
	stop_etrace INT
	check "uptr(args->filename) reads the user string; kptr(d_name.name) the executable's name" \
		grep -qx "@\[$f, cat\]: 1" "$ET_OUT"
fi

# a system call's pointer argument cast to a kernel struct is read as user memory (the cast keeps the
# address space; uptr() says so explicitly), checked against what sleep(1) asked for
if [ -r /sys/kernel/tracing/events/syscalls/sys_enter_clock_nanosleep/format ]; then
	cp "$(command -v sleep)" "$TMP/etr_sleep"
	start_etrace -e 'tracepoint:syscalls:sys_enter_clock_nanosleep /comm == "etr_sleep"/ {
		@a = max(((struct __kernel_timespec *)args->rqtp)->tv_nsec);
		@b = max(uptr((struct __kernel_timespec *)args->rqtp)->tv_nsec); }' || fail "attach clock_nanosleep"
	"$TMP/etr_sleep" 0.123
	stop_etrace INT
	check "cast syscall pointer: tv_nsec of sleep 0.123" grep -qx "@a: 123000000" "$ET_OUT"
	check "uptr(cast syscall pointer): tv_nsec of sleep 0.123" grep -qx "@b: 123000000" "$ET_OUT"
fi

check "nothing left behind" nothing_left_behind
finish
