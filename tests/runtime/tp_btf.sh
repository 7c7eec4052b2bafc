# BTF-typed raw tracepoints: `rawtracepoint:EVENT` attaches as tp_btf (BPF_PROG_TYPE_TRACING through the
# kernel's btf_trace_EVENT type) when the kernel has it, as today's bpftrace does; -v says so and the kernel
# confirms the program type. Exact checks: every getppid() of a known child seen with its syscall number
# both as the typed argument and through the typed pt_regs pointer; sched_switch's prev is the current
# task; members read directly through typed pointers equal bpf_probe_read_kernel's. Struct pointer
# arguments stay plain numbers where a script treats them as numbers (masking, truncation, printing the
# whole args record), which the verifier refuses on a kernel pointer.
# `tracepoint:` keeps the tracefs record when args are read (its fields are computed by the
# tracepoint and can differ from the BTF arguments: prev_state), and the raw tracepoint when not.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
require_tracepoint sched/sched_switch
require_btf
"$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes' || skip "this kernel does not load tp_btf programs (etrace --info)"
[ "$(uname -m)" = x86_64 ] || skip "the syscall number of getppid is x86_64's (110)"
loop=$(build_prog getppid_loop etr_tpbtf)
snapshot_bpf

# 1. a known child's getppid() calls, counted exactly through typed arguments
start_etrace -v -e 'rawtracepoint:sys_enter /comm == "etr_tpbtf" && args.id == 110/ {
	@n = count(); @pid[curtask->pid] = count(); @orig_ax[args.regs->orig_ax] = count(); }' ||
	fail "attach rawtracepoint:sys_enter"
line=$(grep '^probe rawtracepoint:sys_enter:' "$ET_ERR")
check "-v: rawtracepoint:sys_enter is attached as tp_btf ($line)" \
	bash -c "grep -q 'BTF-typed raw tracepoint (tp_btf' <<<'$line' && grep -q 'section tp_btf/sys_enter' <<<'$line'"
id=$(sed -n 's/.* prog id \([0-9]*\),.*/\1/p' <<<"$line")
check "the kernel has prog $id as a tracing program" bash -c "bpftool prog show id '$id' | grep -q ': tracing '"
"$loop" 100000 &
child=$!
wait "$child"
stop_etrace INT
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "every getppid() counted: @n = 100000" grep -qx '@n: 100000' "$ET_OUT"
check "curtask->pid is the child ($child) each time" grep -qx "@pid\[$child\]: 100000" "$ET_OUT"
check "args.regs->orig_ax (a typed pointer) is the syscall number each time" grep -qx '@orig_ax\[110\]: 100000' "$ET_OUT"

# 2. sched_switch: prev is the task switched out, i.e. curtask; next is another task
run_etrace -v -e 'rawtracepoint:sched_switch { if (args.prev->pid == curtask->pid) { @same = count(); } else { @differ = count(); }
	@next_is_prev[args.next == args.prev] = count(); @low_bits[(uint64)args.prev & 7] = count();
	@trunc = (uint32)args.prev == (uint32)((uint64)args.prev & 0xffffffff); }
	interval:ms:300 { exit(); }'
check "sched_switch runs as tp_btf (status $ET_STATUS)" \
	bash -c "test '$ET_STATUS' = 0 && grep -q '^probe rawtracepoint:sched_switch: BTF-typed raw tracepoint (tp_btf' '$ET_ERR'"
check "args.prev->pid == curtask->pid" grep -qE '^@same: [0-9]+$' "$ET_OUT"
check "never differs" bash -c "! grep -q '^@differ' '$ET_OUT'"
check "next is never prev" bash -c "grep -qE '^@next_is_prev\[false\]: [0-9]+$' '$ET_OUT' && ! grep -q 'next_is_prev\[true\]' '$ET_OUT'"
check "a struct pointer argument masked as a number: task_structs are 8-byte aligned" \
	bash -c "grep -qE '^@low_bits\[0\]: [0-9]+$' '$ET_OUT' && [ \$(grep -c '^@low_bits' '$ET_OUT') = 1 ]"
check "a struct pointer argument truncated to 32 bits" grep -qx '@trunc: true' "$ET_OUT"
# members read directly through the typed pointers (prev, prev->real_parent) equal the same members read
# with bpf_probe_read_kernel through curtask kept in a variable (a number); the direct chain needs fewer
# instructions than probe reads through the same pointer taken as a number
run_etrace -e 'rawtracepoint:sched_switch { $t = curtask; @eq[args.prev->real_parent->pid == $t->real_parent->pid,
	args.prev->tgid == $t->tgid, args.prev->prio == $t->prio, args.prev->real_parent->real_parent->tgid ==
	$t->real_parent->real_parent->tgid] = count(); }
	interval:ms:300 { exit(); }'
check "direct loads equal probe reads" bash -c "grep -qE '^@eq\[true, true, true, true\]: [0-9]+$' '$ET_OUT' && [ \$(grep -c '^@eq' '$ET_OUT') = 1 ]"
# insns PROBE EXPR: how many instructions the verifier reports (-v) for PROBE { @ = EXPR; }
insns() { run_etrace -v -e "$1 { @ = $2; } interval:ms:50 { exit(); }"
	sed -n "s/^probe $1: .* \([0-9]*\) xlated insns.*/\1/p" "$ET_ERR"; }
direct=$(insns rawtracepoint:sched_switch 'args.prev->real_parent->real_parent->pid')
read=$(insns rawtracepoint:sched_switch '((struct task_struct *)((uint64)args.prev + 0))->real_parent->real_parent->pid')
check "three hops: direct loads $direct insns < probe reads $read insns" test "${direct:-999}" -lt "${read:-0}"
# curtask read through: bpf_get_current_task_btf and direct loads where the kernel has the helper (its
# enum bpf_func_id says so), in any probe type; equal to probe reads through a copy in a variable
if bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | grep -q "'BPF_FUNC_get_current_task_btf' val="; then
	run_etrace -e 'tracepoint:sched:sched_switch { $t = curtask; @eq[curtask->real_parent->real_parent->tgid ==
		$t->real_parent->real_parent->tgid, curtask->pid == $t->pid, curtask->pid == tid] = count(); }
		interval:ms:300 { exit(); }'
	check "curtask direct loads equal probe reads" bash -c "grep -qE '^@eq\[true, true, true\]: [0-9]+$' '$ET_OUT' && [ \$(grep -c '^@eq' '$ET_OUT') = 1 ]"
	direct=$(insns tracepoint:sched:sched_switch 'curtask->real_parent->real_parent->pid')
	read=$(insns tracepoint:sched:sched_switch '((struct task_struct *)((uint64)curtask + 0))->real_parent->real_parent->pid')
	check "curtask, three hops: direct loads $direct insns < probe reads $read insns" test "${direct:-999}" -lt "${read:-0}"
fi
run_etrace -e 'rawtracepoint:sched_switch { print(args); exit(); }'
check "print(args) prints the typed record" \
	grep -qE '^\{ \.preempt = (true|false), \.prev = 0x[0-9a-f]+, \.next = 0x[0-9a-f]+, \.prev_state = [0-9]+ \}$' "$ET_OUT"

# 3. listing shows the BTF-typed arguments
"$ETRACE" -lv 'rawtracepoint:sched_switch' >"$TMP/lv" 2>&1
check "-lv rawtracepoint:sched_switch lists struct task_struct *prev and *next" \
	bash -c "grep -qx '    struct task_struct \*prev' '$TMP/lv' && grep -qx '    struct task_struct \*next' '$TMP/lv'"

# 4. tracepoint: a body that reads args keeps the perf tracepoint (the tracefs record), one that does not
# runs as a raw tracepoint
run_etrace -v -e 'tracepoint:sched:sched_switch { @a = args.prev_pid; } tracepoint:sched:sched_wakeup { @b = count(); }
	interval:ms:100 { exit(); }'
check "tracepoint reading args: perf tracepoint" grep -q '^probe tracepoint:sched:sched_switch: perf tracepoint (body reads args' "$ET_ERR"
check "tracepoint reading no args: raw tracepoint" grep -q '^probe tracepoint:sched:sched_wakeup: raw tracepoint (body reads no args)' "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
