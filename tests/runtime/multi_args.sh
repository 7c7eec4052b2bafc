# args.FIELD in one block that several tracepoints share (a list, a wildcard): each tracepoint's program
# reads the field at that tracepoint's own offset. The tracepoints of sys_enter_open and _openat keep
# the filename at 16 and 24, the mode at 32 and 40; sys_enter_mkdir and _mkdirat the pathname at 16
# and 24, the mode at 24 and 32. A test program makes exactly one of each call with known paths and
# modes (tests/progs/path_calls.c), and calls two functions whose parameters are in swapped places
# (uprobe args from DWARF). Today's bpftrace analyses each attach point on its own, so each
# probe prints its own call's values.
. "$(dirname "$0")/lib.sh"
require_root
for tp in open openat mkdir mkdirat; do require_tracepoint "syscalls/sys_enter_$tp"; done
prog=$(build_prog path_calls etr_multi_args -g)
mkdir "$TMP/d"
snapshot_bpf
tp=tracepoint:syscalls:sys_enter_

# 1. a list: str(args.filename) of open (offset 16) and openat (offset 24)
run_etrace -e "${tp}open, ${tp}openat /comm == \"etr_multi_args\"/ {
	printf(\"%s %s\\n\", probe, str(args.filename)); }" -c "$prog $TMP/d"
check "list: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
check "list: sys_enter_open's filename" grep -qx "${tp}open $TMP/d/open" "$ET_OUT"
check "list: sys_enter_openat's filename" grep -qx "${tp}openat openat" "$ET_OUT"
check "list: the directory opened with openat" grep -qx "${tp}openat $TMP/d" "$ET_OUT"
check "list: no empty filename" bash -c "! grep -q ' \$' '$ET_OUT'"
check "list: no failed reads" bash -c "! grep -q 'failed' '$ET_ERR'"

# 2. a wildcard (sys_enter_mkdir and _mkdirat): pathname and mode, printed and as map keys
run_etrace -e "${tp}mkdir* /comm == \"etr_multi_args\"/ {
	printf(\"%s %s %o\\n\", probe, str(args.pathname), args.mode); @[probe, str(args.pathname)] = args.mode; }" \
	-c "$prog $TMP/d"
check "wildcard: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
check "wildcard: sys_enter_mkdir's pathname and mode" grep -qx "${tp}mkdir $TMP/d/mkdir 701" "$ET_OUT"
check "wildcard: sys_enter_mkdirat's pathname and mode" grep -qx "${tp}mkdirat mkdirat 710" "$ET_OUT"
check "wildcard: map keys and values" bash -c "grep -qx '@\\[${tp}mkdir, $TMP/d/mkdir\\]: 449' '$ET_OUT' &&
	grep -qx '@\\[${tp}mkdirat, mkdirat\\]: 456' '$ET_OUT'"
check "wildcard: no failed reads" bash -c "! grep -q 'failed' '$ET_ERR'"

# 3. four tracepoints, args.mode at three offsets (24: mkdir; 32: open, mkdirat; 40: openat), also in
# the predicate: probes whose fields lie alike may share one body, the others may not
run_etrace -e "${tp}open, ${tp}openat, ${tp}mkdir* /comm == \"etr_multi_args\" && args.mode != 0/ {
	printf(\"%s %o\\n\", probe, args.mode); }" -c "$prog $TMP/d"
check "mixed: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
want="${tp}open 640
${tp}openat 604
${tp}mkdir 701
${tp}mkdirat 710"
check "mixed: each probe's own mode, in call order" test "$(grep "^$tp" "$ET_OUT")" = "$want"

# 4. uprobes on two functions whose parameters n and who are in swapped places (DWARF args), listed
# and by a wildcard
run_etrace -e "uprobe:$prog:pc_first, uprobe:$prog:pc_second { printf(\"l %s %d %d\\n\", func, args.n, args.who); }
	uprobe:$prog:pc_* { printf(\"w %s %d %d\\n\", func, args.n, args.who); }" -c "$prog $TMP/d"
check "uprobe: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
want="l pc_first 11 1
w pc_first 11 1
l pc_second 22 2
w pc_second 22 2"
check "uprobe: each function's own n and who" test "$(grep '^[lw] ' "$ET_OUT")" = "$want"

# 5. BTF-typed raw tracepoints: args.task is the third argument of signal_generate, the first of
# task_newtask. A copy of bash with a known name forks a child and sends itself SIGUSR1.
if [ -r /sys/kernel/btf/vmlinux ] && "$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes'; then
	cp "$(command -v bash)" "$TMP/etr_ma_bash"
	run_etrace -e 'rawtracepoint:task_newtask, rawtracepoint:signal_generate /comm == "etr_ma_bash"/ {
		printf("%s %d\n", probe, args.task->pid); }' \
		-c "$TMP/etr_ma_bash -c 'trap : USR1; /bin/true & echo child \$!; kill -USR1 \$\$; echo self \$\$; wait'"
	child=$(sed -n 's/^child //p' "$ET_OUT") self=$(sed -n 's/^self //p' "$ET_OUT")
	check "rawtracepoint: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
	check "rawtracepoint: task_newtask's task is the child ($child)" grep -qx "rawtracepoint:task_newtask $child" "$ET_OUT"
	check "rawtracepoint: signal_generate's task is the shell ($self)" \
		grep -qx "rawtracepoint:signal_generate $self" "$ET_OUT"
else
	echo "note: no kernel BTF or no tp_btf programs: the raw tracepoint case is left out"
fi

check "nothing left behind" nothing_left_behind
finish
