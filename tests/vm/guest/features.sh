# etrace --info on this kernel agrees with what the kernel offers: here (Debian's 6.1 generic kernel)
# kprobes, uprobes, BTF, fentry/fexit, tp_btf, raw tracepoints and the ring buffer are all available,
# and the providers accept kprobe and fentry probes. Also runs the features unit test on this kernel.
. "$(dirname "$0")/lib.sh"
require_root
"$ETRACE" --info >"$TMP/info" 2>&1
check "--info exits 0" test $? = 0
sed 's/^/      /' "$TMP/info"
yes_no() { # yes_no FEATURE → yes/no from the report
	awk -v f="$1" 'index($0, "  " f " ") == 1 { split(substr($0, length(f) + 3), w, " "); print w[1] }' "$TMP/info"
}
[ -d /sys/bus/event_source/devices/kprobe ] && want=yes || want=no
check "kprobes: $want (kprobe PMU)" test "$(yes_no kprobes)" = $want
[ -d /sys/bus/event_source/devices/uprobe ] && want=yes || want=no
check "uprobes: $want (uprobe PMU)" test "$(yes_no uprobes)" = $want
[ -r /sys/kernel/btf/vmlinux ] && want=yes || want=no
check "BTF: $want (/sys/kernel/btf/vmlinux)" test "$(yes_no BTF)" = $want
if [ "$(uname -r | cut -d. -f1-2)" = 6.1 ]; then
	for f in 'ring buffer' 'raw tracepoints' tp_btf 'fentry/fexit' kprobes BTF; do
		check "$f: yes on 6.1" test "$(yes_no "$f")" = yes
	done
fi
# the providers take the same answer: no 'this kernel cannot run' error for kprobe/fentry here
for probe in kprobe:do_nanosleep fentry:do_nanosleep; do
	feature=kprobes
	[ "${probe%%:*}" = fentry ] && feature=fentry/fexit
	[ "$(yes_no "$feature")" = yes ] || continue
	"$ETRACE" -e "$probe { @ = count(); exit(); }" >"$TMP/p.out" 2>&1 &
	pid=$!
	BG_PIDS+=("$pid")
	sleep 3
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	check "$probe: no 'this kernel cannot run' error" bash -c "! grep -q 'this kernel cannot run' '$TMP/p.out'"
done
unit=$(dirname "$ETRACE")/tests/unit_test_features
if [ -x "$unit" ]; then
	check "unit test_features passes on $(uname -r)" "$unit" "$SRC"
fi
finish
