# config = { stack_mode, perf_rb_pages } and their environment forms (BPFTRACE_STACK_MODE,
# BPFTRACE_PERF_RB_PAGES): a kstack without a mode prints in the configured format, and the ring
# buffer the kernel holds has the configured size (-v and bpftool agree). As in bpftrace, the
# environment wins over the config block. Nothing is left behind.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
command -v bpftool >/dev/null || skip "bpftool is not installed"
snapshot_bpf

# the frames of the first stack key printed for @k
frames() { awk '/^@k\[$/ { f = 1; next } f && /^\]: / { exit } f { print }' "$ET_OUT"; }
# perf's format: TAB, address, symbol+offset, ([kernel.kallsyms])
perf_frames() { local f; f=$(frames); [ -n "$f" ] && ! echo "$f" | grep -qvP '^\t[0-9a-f]+ \S+ \(\[kernel\.kallsyms\]\)$'; }
bpftrace_frames() { local f; f=$(frames); [ -n "$f" ] && ! echo "$f" | grep -qvE '^        [A-Za-z_][A-Za-z0-9_.]*\+[0-9]+$'; }
# raw_syscalls, not syscalls:*: before 'bpf: Use fake pt_regs when doing bpf syscall tracepoint tracing'
# (Linux 6.1 has not got it) a syscalls:* tracepoint has no kernel stack (see stacks.sh)
probe='tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @k[kstack] = count(); }'

run_etrace -c "sleep 0.05" -e "config = { stack_mode = perf } $probe"
frames | head -3
check "config stack_mode = perf: kstack printed as perf prints it" perf_frames
run_etrace -c "sleep 0.05" -e "config = { stack_mode = raw } $probe"
check "config stack_mode = raw: bare addresses" bash -c "awk '/^@k\[\$/ { f = 1; next } f && /^\]: / { exit } f { print }' '$ET_OUT' | grep -qxE '[0-9a-f]{8,16}'"
BPFTRACE_STACK_MODE=perf run_etrace -c "sleep 0.05" -e "$probe"
check "BPFTRACE_STACK_MODE=perf: the same perf format" perf_frames
BPFTRACE_STACK_MODE=perf run_etrace -c "sleep 0.05" -e "config = { stack_mode = bpftrace } $probe"
check "BPFTRACE_STACK_MODE wins over the config block" perf_frames
run_etrace -c "sleep 0.05" -e "config = { stack_mode = perf } tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @k[kstack(bpftrace)] = count(); }"
check "a mode named in the call wins over stack_mode" bpftrace_frames

# The ring buffer's size while it runs: -v reports it, bpftool shows the kernel's map.
ringbuf_bytes() { # the max_entries of the ring buffer map this etrace made (new since rb_check started it)
	local id
	for id in $(bpf_ids map | comm -13 "$TMP/maps.before_rb" -); do
		bpftool -j map show id "$id" 2>/dev/null | python3 -c 'import json,sys
m=json.load(sys.stdin)
if m.get("type")=="ringbuf": print(m["max_entries"])'
	done
}
rb_check() { # rb_check DESCRIPTION EXPECTED_PAGES [env...] -- ETRACE_ARGS...
	local desc=$1 pages=$2; shift 2
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	ET_OUT="$TMP/out.$RANDOM" ET_ERR="$TMP/err.$RANDOM"
	# an earlier etrace's ring buffer may still be on its way out (the kernel frees maps later): only maps
	# made after this point are this run's
	bpf_ids map >"$TMP/maps.before_rb"
	env "${envs[@]}" "$ETRACE" -v "$@" >"$ET_OUT" 2>"$ET_ERR" &
	ET_PID=$!
	BG_PIDS+=("$ET_PID")
	local i
	for i in $(seq 1 200); do grep -q '^Attached' "$ET_ERR" && break; sleep 0.05; done
	local kernel want=$((pages * $(getconf PAGESIZE)))
	kernel=$(ringbuf_bytes)
	stop_etrace INT
	check "$desc: -v says $pages pages" grep -q "^ring buffer et_ringbuf: $((want / 1024)) KiB ($pages pages)\$" "$ET_ERR"
	check "$desc: the kernel's ring buffer map holds $want bytes" test "$kernel" = "$want"
}
tick='interval:ms:50 { printf("tick\n"); }'
rb_check "config perf_rb_pages = 256" 256 -- -e "config = { perf_rb_pages = 256 } $tick"
rb_check "BPFTRACE_PERF_RB_PAGES=32" 32 BPFTRACE_PERF_RB_PAGES=32 -- -e "$tick"
check "printf output arrives through the small ring buffer" grep -q '^tick$' "$ET_OUT"
rb_check "BPFTRACE_PERF_RB_PAGES wins over config perf_rb_pages" 32 BPFTRACE_PERF_RB_PAGES=32 -- -e "config = { perf_rb_pages = 128 } $tick"
rb_check "default (a program that prints per event)" $((4096 * 1024 / $(getconf PAGESIZE))) -- -e "$tick"

run_etrace -e "config = { perf_rb_pages = 3 } $tick"
check "perf_rb_pages that is not a power of two: error at the config line, exit 1" \
	bash -c "[ $ET_STATUS = 1 ] && grep -q '^-e:1:28: error: perf_rb_pages must be a power of two' '$ET_ERR'"
check "nothing left behind" nothing_left_behind
finish
