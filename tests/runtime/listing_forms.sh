# -l forms as today's bpftrace prints them: interval:* and profile:* list their units ("interval:hz:" ...,
# in name order), a bare pattern is the event part of every kernel probe type ("*:PATTERN"),
# "tracepoint:PATTERN" matches events of every category, "A,B" lists each pattern in turn, and
# 'struct X' / 'union X' / 'enum X' list the kernel's types from BTF (-v: their definitions).
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
"$ETRACE" -l 'software:c*' >"$TMP/l" 2>&1
check "-l software:c*: events and aliases as 'software:NAME:', sorted as bpftrace" test "$(cat "$TMP/l")" = \
	"$(printf 'software:context-switches:\nsoftware:cpu-clock:\nsoftware:cpu-migrations:\nsoftware:cpu:\nsoftware:cs:')"
"$ETRACE" -l 'software:*' >"$TMP/l" 2>&1
check "-l software:*: 11 events and 3 aliases" test "$(wc -l <"$TMP/l")" = 14
# hardware: bpftrace's 10 events and 2 aliases, listed on any machine (a PMU or not), sorted as bpftrace
"$ETRACE" -l 'hardware:*' >"$TMP/l" 2>&1
check "-l hardware:*: every event and alias as 'hardware:NAME:', sorted" test "$(cat "$TMP/l")" = \
	"$(printf 'hardware:%s:\n' backend-stalls branch-instructions branch-misses branches bus-cycles cache-misses \
		cache-references cpu-cycles cycles frontend-stalls instructions ref-cycles | head -c -1)"
"$ETRACE" -l 'h:*cycles' >"$TMP/l" 2>&1
check "-l h:*cycles: the alias h, a pattern" test "$(cat "$TMP/l")" = \
	"$(printf 'hardware:bus-cycles:\nhardware:cpu-cycles:\nhardware:cycles:\nhardware:ref-cycles:')"
printf 'hardware:cache-misses:1e6 { }\nh:cycles { }\n' >"$TMP/h.bt"
"$ETRACE" -l "$TMP/h.bt" >"$TMP/l" 2>&1
check "-l FILE with hardware probes: hardware:EVENT: as written" test "$(cat "$TMP/l")" = \
	"$(printf 'hardware:cache-misses:\nhardware:cycles:')"
# bare -l (and '*', '*:*'): bpftrace's kernel probe types, in name order, each one's entries sorted and
# once; listed whether this kernel runs them or not (hardware without a PMU, kprobes without kprobes);
# return types (fexit, kretprobe), timers, user-space and special probes are not listed unasked
"$ETRACE" -l >"$TMP/all" 2>"$TMP/all.err"
check "-l: no error output" test ! -s "$TMP/all.err"
"$ETRACE" -l '*' >"$TMP/star" 2>&1
"$ETRACE" -l '*:*' >"$TMP/starstar" 2>&1
check "-l '*' and -l '*:*' list what -l does" bash -c "cmp -s '$TMP/all' '$TMP/star' && cmp -s '$TMP/all' '$TMP/starstar'"
want="fentry hardware iter kprobe rawtracepoint software tracepoint"
[ -r /sys/kernel/btf/vmlinux ] || want="hardware kprobe software tracepoint"
check "-l: the probe types bpftrace lists, in name order" test "$(cut -d: -f1 "$TMP/all" | uniq | tr '\n' ' ')" = "$want "
for pv in $want; do
	grep "^$pv:" "$TMP/all" >"$TMP/one"
	check "-l: $pv entries sorted, each once" bash -c "LC_ALL=C sort -c -u '$TMP/one'"
done
"$ETRACE" -l 'hardware:*' >"$TMP/hw" 2>&1
check "-l: hardware listed as -l 'hardware:*' lists it" bash -c "grep '^hardware:' '$TMP/all' | cmp -s - '$TMP/hw'"
check "-l: software events with their aliases" bash -c "grep -qxF 'software:cs:' '$TMP/all' && grep -qxF 'software:context-switches:' '$TMP/all'"
check "-l: kprobe functions by name only" grep -qxF 'kprobe:vfs_read' "$TMP/all"
"$ETRACE" -l 'k*:vfs_read' >"$TMP/l" 2>&1
check "-l 'k*:vfs_read': kprobe only (kretprobe is listed when named)" test "$(cat "$TMP/l")" = "kprobe:vfs_read"
"$ETRACE" -l 'kretprobe:vfs_read' >"$TMP/l" 2>&1
check "-l 'kretprobe:vfs_read': named, listed" test "$(cat "$TMP/l")" = "kretprobe:vfs_read"
"$ETRACE" -l 'kprobe:*:vfs_read' >"$TMP/l" 2>&1
check "-l 'kprobe:*:vfs_read': with its object, as bpftrace" test "$(cat "$TMP/l")" = "kprobe:vmlinux:vfs_read"
"$ETRACE" -l 'begin' >"$TMP/l" 2>&1
check "-l 'begin': no begin probe (only kernel functions of that name), no error" \
	bash -c "! grep -q -e '^begin' -e error '$TMP/l'"

# running one: counts on a machine with a PMU, else an error at the probe naming what to use instead
if "$ETRACE" --info 2>&1 | grep -qE '^ +hardware events +yes'; then
	timeout -s INT 2 "$ETRACE" -e 'hardware:instructions:1e5 { @n = count(); }' >"$TMP/h.out" 2>"$TMP/h.err"
	check "hardware:instructions:1e5 counts (a PMU here)" grep -qE '^@n: [1-9][0-9]*$' "$TMP/h.out"
else
	"$ETRACE" -e 'hardware:instructions:1e5 { @n = count(); }' >"$TMP/h.out" 2>"$TMP/h.err"
	check "hardware probe without a PMU: an error with software:cpu-clock instead, nothing runs" \
		bash -c "grep -qF 'this kernel cannot run hardware probes' '$TMP/h.err' && grep -qF 'software:cpu-clock' '$TMP/h.err' && test ! -s '$TMP/h.out'"
fi

# -l FILE / -l -e: the program's probes as bpftrace prints them: no begin/end, timers and software events
# as PROVIDER:UNIT: / software:EVENT: (an alias as written), provider aliases spelled out
printf 'BEGIN { } END { }\ninterval:s:1 { }\ni:100ms { }\nprofile:hz:99 { }\nsoftware:cpu:1e6 { }\ns:context-switches { }\nt:syscalls:sys_enter_getppid { }\n' >"$TMP/p.bt"
"$ETRACE" -l "$TMP/p.bt" >"$TMP/l" 2>&1
check "-l FILE: bpftrace's forms" test "$(cat "$TMP/l")" = \
	"$(printf 'interval:s:\ninterval:ms:\nprofile:hz:\nsoftware:cpu:\nsoftware:context-switches:\ntracepoint:syscalls:sys_enter_getppid')"
"$ETRACE" -l 'etr_nosuch:*' >"$TMP/l" 2>&1
check "-l with an unknown probe type: an error" grep -qF "no probe type matches 'etr_nosuch'" "$TMP/l"

# kernel types from BTF, compared with the kernel's own BTF as bpftool dumps it where bpftool is here
"$ETRACE" -l 'struct task_struc*' >"$TMP/l" 2>&1
check "-l 'struct task_struc*': the names, sorted" bash -c "grep -qxF 'struct task_struct' '$TMP/l' && sort -c '$TMP/l' && ! grep -qv '^struct task_struc' '$TMP/l'"
"$ETRACE" -l 'enum pid_type,union bpf_attr' >"$TMP/l" 2>&1
check "-l 'enum X,union Y'" test "$(cat "$TMP/l")" = "$(printf 'enum pid_type\nunion bpf_attr')"
"$ETRACE" -lv 'struct list_head' >"$TMP/l" 2>&1
printf 'vmlinux: struct list_head {\n\tstruct list_head *next;\n\tstruct list_head *prev;\n};\n\n' >"$TMP/l.want"
check "-lv 'struct list_head': vmlinux: and its definition, as bpftrace" diff "$TMP/l.want" "$TMP/l"
"$ETRACE" -lv 'struct task_struct' >"$TMP/l" 2>&1
check "-lv 'struct task_struct': a long definition with its fields" bash -c "head -1 '$TMP/l' | grep -qxF 'vmlinux: struct task_struct {' && grep -qP '^\tpid_t pid;$' '$TMP/l' && tail -2 '$TMP/l' | head -1 | grep -qxF '};'"
"$ETRACE" -l 'struct etr_no_such_type' >"$TMP/l" 2>&1
check "-l 'struct NOSUCH': nothing, no error" test ! -s "$TMP/l"
finish
