# The same context field read two and three times in one expression, in every probe type whose values
# come from the program's context (tracepoint record, uprobe pt_regs, usdt arguments, raw tracepoint
# arguments, and the context reached from a for-map callback): the programs load and give the exact
# values. The optimiser used to share the address ctx + offset between two reads, which the verifier
# refuses ("dereference of modified ctx ptr"), e.g. for a char[16] field copied twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
require_tracepoint syscalls/sys_enter_kill
require_tracepoint sched/sched_process_exit
[ "$(uname -m)" = x86_64 ] || skip "the syscall number of kill is x86_64's (62)"
build_uprobe_progs
child=$(build_prog getppid_loop etr_ctx)
N=5
# N kill(99999999, SIGCONT) from the -c shell (no such process: nothing is sent), and N runs of etr_ctx
KILLS="bash -c 'for i in \$(seq $N); do kill -CONT 99999999 2>/dev/null; $child 1; done'"
snapshot_bpf

# bpftrace: args.f reads the tracepoint record's field each time; pid 99999999 and SIGCONT (18)
run_etrace -c "$KILLS" -e 'tracepoint:syscalls:sys_enter_kill /args.pid == 99999999 && args.sig == args.sig/ {
	@[args.pid + args.pid, args.sig * args.sig + args.sig, args.sig + args.sig + args.sig] = count(); }'
check "tracepoint: a field twice and three times in one expression (exit $ET_STATUS)" \
	grep -qx "@\[199999998, 342, 54\]: $N" "$ET_OUT"

# bpftrace: a char[16] field (comm) copied out of the record twice in one program and compared with itself
run_etrace -c "$KILLS" -e 'tracepoint:sched:sched_process_exit /args.comm == "etr_ctx" && args.comm == args.comm/ {
	@[args.comm, args.pid - args.pid] = count(); }'
check "tracepoint: a char array field twice (exit $ET_STATUS)" grep -qx "@\[etr_ctx, 0\]: $N" "$ET_OUT"

# bpftrace: `args` as a value is a copy of the record (its first 8 bytes may not be loaded directly)
run_etrace -c "$KILLS" -e 'tracepoint:sched:sched_process_exit /args.comm == "etr_ctx"/ { $a = args;
	@[$a.comm, $a.pid - args.pid, $a.prio - args.prio] = count(); }'
check "tracepoint: args copied whole into a variable (exit $ET_STATUS)" grep -qx "@\[etr_ctx, 0, 0\]: $N" "$ET_OUT"

# bpftrace: args of the probe inside a for-map loop's body are the probe's own
run_etrace -c "$KILLS" -e 'tracepoint:syscalls:sys_enter_kill /args.pid == 99999999/ { @m[1] = 1;
	for ($kv : @m) { @s[args.sig + args.sig, $kv.0 + args.sig] = count(); } }'
check "tracepoint: a field twice inside a for-map loop (exit $ET_STATUS)" grep -qx "@s\[36, 19\]: $N" "$ET_OUT"

# bpftrace: argN of a uprobe is the register of pt_regs each time; et_add(i, 1) for i in 0..2
run_etrace -c "$UT 3" -e "uprobe:$UT:et_add { @[arg0 + arg0, arg1 * arg1 + arg1, arg0 + arg0 + arg0] = count(); }"
check "uprobe: argN twice and three times in one expression" \
	bash -c "for i in 0 1 2; do grep -qx \"@\[\$((2 * i)), 2, \$((3 * i))\]: 1\" '$ET_OUT' || exit 1; done"

# bpftrace: usdt argN is read from its note's location each time; sizes' arg7 is the round i
run_etrace -c "$UT 3" -e "usdt:$UT:ettest:sizes { @[arg7 + arg7, arg7 * 3 + arg7 + arg7] = count(); }"
check "usdt: an argument twice and three times in one expression" \
	bash -c "for i in 0 1 2; do grep -qx \"@\[\$((2 * i)), \$((5 * i))\]: 1\" '$ET_OUT' || exit 1; done"

# bpftrace: rawtracepoint args.id and arg1 are the syscall number slot each time (kill is 62)
run_etrace -c "$KILLS" -e 'rawtracepoint:sys_enter /pid == cpid && args.id == 62/ {
	@[args.id + args.id, arg1 + arg1 + arg1] = count(); }'
check "rawtracepoint: args.id twice and arg1 three times (exit $ET_STATUS)" grep -qx "@\[124, 186\]: $N" "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
