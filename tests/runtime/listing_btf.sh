# etrace -l / -lv: tracepoints with their fields, fentry/fexit from the kernel's BTF functions with typed
# arguments (and fexit's retval), raw tracepoints with BTF argument types, software events; glob
# patterns; listing every kernel function within a second; counts against bpftrace -l when installed.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint sched/sched_switch
require_btf

"$ETRACE" -l 'tracepoint:sched:sched_switch' >"$TMP/l1" 2>&1
check "-l names one tracepoint exactly" test "$(cat "$TMP/l1")" = "tracepoint:sched:sched_switch"
"$ETRACE" -lv 'tracepoint:sched:sched_switch' >"$TMP/l2" 2>&1
check "-lv shows the tracepoint's fields" grep -qx "    char prev_comm\[16\]" "$TMP/l2"
check "-lv shows pid_t prev_pid" grep -qx "    pid_t prev_pid" "$TMP/l2"
check "-lv leaves out common_ fields" bash -c "! grep -q common_ '$TMP/l2'"
"$ETRACE" -l 'tracepoint:sched:sched_*' >"$TMP/l3" 2>&1
check "glob over tracepoints" bash -c "grep -qx tracepoint:sched:sched_switch '$TMP/l3' && grep -qx tracepoint:sched:sched_wakeup '$TMP/l3' && ! grep -qv '^tracepoint:sched:sched_' '$TMP/l3'"

if grep -q ' do_sys_openat2$' /proc/kallsyms; then
	"$ETRACE" -l 'fentry:do_sys_open*' >"$TMP/f1" 2>&1
	check "fentry glob lists do_sys_openat2 from BTF, with its object as bpftrace" grep -qx "fentry:vmlinux:do_sys_openat2" "$TMP/f1"
	"$ETRACE" -lv 'fentry:do_sys_openat2' >"$TMP/f2" 2>&1
	check "-lv fentry: typed arguments" bash -c "grep -qx '    int dfd' '$TMP/f2' && grep -qx '    struct open_how \*how' '$TMP/f2'"
	"$ETRACE" -lv 'kretfunc:do_sys_openat2' >"$TMP/f3" 2>&1
	check "-lv through the kretfunc alias lists fexit with retval" \
		bash -c "grep -qx 'fexit:vmlinux:do_sys_openat2' '$TMP/f3' && grep -qE '^    [a-z_ ]+ retval$' '$TMP/f3'"
fi
"$ETRACE" -lv 'rawtracepoint:sched_switch' >"$TMP/r1" 2>&1
"$ETRACE" -l 'rt:*:sched_sw*' >"$TMP/r2" 2>&1
check "-l 'rt:*:sched_sw*': each event as rawtracepoint:MODULE:EVENT" \
	test "$(cat "$TMP/r2")" = "$(printf 'rawtracepoint:vmlinux:sched_swap_numa\nrawtracepoint:vmlinux:sched_switch')"
printf 'rawtracepoint:sched_switch { }\nrawtracepoint:vmlinux:sched_wakeup { }\n' >"$TMP/r.bt"
"$ETRACE" -l "$TMP/r.bt" >"$TMP/r3" 2>&1
check "-l FILE: rawtracepoints with their module, written or not" \
	test "$(cat "$TMP/r3")" = "$(printf 'rawtracepoint:vmlinux:sched_switch\nrawtracepoint:vmlinux:sched_wakeup')"
check "-lv rawtracepoint: the vmlinux: module part as bpftrace lists it, BTF argument types" bash -c "grep -qx 'rawtracepoint:vmlinux:sched_switch' '$TMP/r1' && grep -qx '    struct task_struct \*prev' '$TMP/r1'"
"$ETRACE" -l 'software:*' >"$TMP/s1" 2>&1
check "software events listed" bash -c "grep -qx 'software:cpu-clock' '$TMP/s1' || grep -qx 'software:cpu-clock:' '$TMP/s1'"

# every kernel function, in under a second: measured against listing one function, so that a slow
# machine (the VM lane runs under TCG, ~10x slower) is judged by the listing work, not by its startup
ms_of() { local start=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - start) / 1000000 )); }
nf=$(grep -c . <(bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | grep "] FUNC '"))
one=$(ms_of "$ETRACE" -l 'fentry:do_sys_openat2')
ms=$(ms_of "$ETRACE" -l 'fentry:*')
"$ETRACE" -l 'fentry:*' >"$TMP/all" 2>&1
n=$(wc -l <"$TMP/all")
check "-l 'fentry:*' lists $n functions in ${ms} ms (one function: ${one} ms; < 1000 ms more)" test $((ms - one)) -lt 1000
[ "$nf" -gt 0 ] && check "as many fentry functions as BTF FUNCs (bpftool: $nf)" test "$n" = "$nf"
one=$(ms_of "$ETRACE" -l 'tracepoint:sched:sched_switch')
ms=$(ms_of "$ETRACE" -l)
# (kprobes come from kallsyms/available_filter_functions: their cost belongs to the kprobe provider)
echo "note: -l without a pattern took ${ms} ms (one probe: ${one} ms)"
check "-l without a pattern lists tracepoints, rawtracepoints and software events" \
	bash -c "\"$ETRACE\" -l | grep -qx tracepoint:sched:sched_switch && \"$ETRACE\" -l | grep -qx rawtracepoint:vmlinux:sched_switch && \"$ETRACE\" -l | grep -q '^software:'"

# counts against bpftrace when it is installed
if command -v bpftrace >/dev/null; then
	et=$("$ETRACE" -l 'tracepoint:*' | wc -l)
	bt=$(bpftrace -l 'tracepoint:*' 2>/dev/null | wc -l)
	check "tracepoint count equals bpftrace's ($et vs $bt)" test "$et" = "$bt"
	et=$("$ETRACE" -l 'kprobe:*' 2>/dev/null | wc -l)
	bt=$(bpftrace -l 'kprobe:*' 2>/dev/null | wc -l)
	if [ "$bt" -gt 0 ]; then
		diff=$(( et > bt ? et - bt : bt - et ))
		check "kprobe count within 1% of bpftrace's ($et vs $bt)" test $((diff * 100)) -le "$bt"
	else
		echo "note: bpftrace lists no kprobes here (available_filter_functions unreadable); etrace lists $et"
	fi
fi
finish
