# debugf(): the format and up to 3 arguments go to bpf_trace_printk, which writes the line to the
# kernel's trace buffer (tracefs "trace"), as bpftrace does; nothing on etrace's stdout, in text or JSON
# mode; a compile-time warning says it is not for production. The kernel formats: %s of a string (the
# kernel reads it at its address), %d of a value over 32 bits prints the low 32 bits, %lld the whole.
# The events are real: a child's getppid() calls; each line carries a token of this run.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
trace=/sys/kernel/tracing/trace
[ -r "$trace" ] || trace=/sys/kernel/debug/tracing/trace
[ -r "$trace" ] || skip "needs tracefs (the kernel's trace buffer) to read what debugf wrote"
loop=$(build_prog getppid_loop etr_debugf)
snapshot_bpf
tok=etr$$x$RANDOM

script=$TMP/dbg.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_debugf"/ {' \
	'	@n = @n + 1;' \
	"	debugf(\"$tok %s %d %x\", comm, @n, 16);" \
	"	debugf(\"$tok w %d %lld\", 0x100000001, 0x100000001);" \
	'	if (@n == 2) { exit(); }' \
	'}' >"$script"

# run [-f json]: one run of the script with this run's token; checks the trace buffer and stdout
run() {
	if [ "$1" = json ]; then
		start_json "$script" || { fail "attach (json)"; finish; }
	else
		start_etrace "$script" || { fail "attach (text)"; finish; }
	fi
	"$loop" 2
	wait_etrace
	check "$1: exit status 0" test "$ET_STATUS" = 0
	check "$1: a line for each event with comm, @n and 16 in hex" \
		bash -c "grep -q 'bpf_trace_printk: $tok etr_debugf 1 10\$' '$trace' &&
			grep -q 'bpf_trace_printk: $tok etr_debugf 2 10\$' '$trace'"
	check "$1: %d of 0x100000001 is 1 (32 bits), %lld 4294967297, once per event" \
		test "$(grep -c "bpf_trace_printk: $tok w 1 4294967297\$" "$trace")" = 2
	check "$1: nothing of debugf on stdout" bash -c "! grep -q '$tok' '$ET_OUT'"
	check "$1: the compile-time warning, at the call" grep -qxF "$script:3:2: warning: The debugf() builtin is \
not recommended for production use. For more information see bpf_trace_printk in bpf-helpers(7)." "$ET_ERR"
	check "nothing left behind ($1)" nothing_left_behind
}
run text
tok=${tok}j
sed -i "s/debugf(\"[a-z0-9]*/debugf(\"$tok/" "$script"
run json
finish
