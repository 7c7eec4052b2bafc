# etrace -l / -lv: tracepoints with their fields, fentry/fexit from the kernel's BTF functions with typed
# arguments (and fexit's retval), raw tracepoints with BTF argument types, software events; glob
# patterns; every kernel function with BTF listed once; counts against bpftrace -l when installed.
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

# every kernel function with BTF, once each (BTF holds some names several times: static functions of one
# name in different files); the time is a note (bench/ measures speed, tests do not)
ms_of() { local start=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - start) / 1000000 )); }
nf=$(bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | sed -n "s/.*] FUNC '\([^']*\)'.*/\1/p" | sort -u | grep -c .)
one=$(ms_of "$ETRACE" -l 'fentry:do_sys_openat2')
ms=$(ms_of "$ETRACE" -l 'fentry:*')
"$ETRACE" -l 'fentry:*' >"$TMP/all" 2>&1
n=$(wc -l <"$TMP/all")
echo "note: -l 'fentry:*' listed $n functions in ${ms} ms (one function: ${one} ms)"
[ "$nf" -gt 0 ] && check "as many fentry functions as distinct BTF FUNC names (bpftool: $nf)" test "$n" = "$nf"
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
	"$ETRACE" -l 'kprobe:*' 2>/dev/null | sort -u >"$TMP/ek"
	bpftrace -l 'kprobe:*' 2>/dev/null | sort -u >"$TMP/bk"
	et=$(wc -l <"$TMP/ek")
	bt=$(wc -l <"$TMP/bk")
	if [ "$bt" -gt 0 ]; then
		# bpftrace 0.17's list under today's bpftrace's rules: without the kernel's kprobe blacklist and
		# the functions it knows to hang a machine (rcu_*, the idle loop...); with compiler clones such
		# as foo.constprop.0, which 0.17 lists and etrace must too, but not foo.part.0
		sed -n 's/^[^\t]*\t\([^ ]*\).*/kprobe:\1/p' /sys/kernel/debug/kprobes/blacklist 2>/dev/null | sort -u >"$TMP/black"
		grep -vE '^kprobe:(rcu_|__ftrace_invalid_address__|arch_cpu_idle$|default_idle$|bpf_dispatcher_xdp_func$)' "$TMP/bk" |
			comm -23 - "$TMP/black" >"$TMP/want"
		missing=$(comm -13 "$TMP/ek" "$TMP/want" | head -3 | tr '\n' ' ')
		extra=$(comm -23 "$TMP/ek" "$TMP/want" | head -3 | tr '\n' ' ')
		check "kprobe listing: bpftrace's under today's rules ($(wc -l <"$TMP/want") of $bt; etrace $et; missing: ${missing:-none}; extra: ${extra:-none})" \
			test -z "$missing$extra"
		check "kprobe listing: compiler clones (foo.constprop.0, foo.isra.0) but no foo.part.N" \
			bash -c "! grep -q '\.part\.' '$TMP/ek' && { ! grep -qE '\.(constprop|isra)\.' '$TMP/bk' || grep -qE '\.(constprop|isra)\.' '$TMP/ek'; }"
		check "kprobe listing: no rcu_ function, none of the kernel's kprobe blacklist" \
			test -z "$(grep '^kprobe:rcu_' "$TMP/ek"; comm -12 "$TMP/ek" "$TMP/black")"
	else
		echo "note: bpftrace lists no kprobes here (available_filter_functions unreadable); etrace lists $et"
	fi
fi
finish
