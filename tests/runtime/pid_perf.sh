# -p PID and -c CMD with perf event probes and kernel probes, as bpftrace: software and profile probes
# are opened for that process only (perf_event_open with its pid), other kernel probes get a pid
# predicate (-p only), interval stays a timer of the whole machine, BEGIN/END run once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
build_uprobe_progs
snapshot_bpf

# the keys of the map lines "@NAME[KEY]: VALUE" of $ET_OUT, one per line
keys_of() { sed -n "s/^$1\\[\\([^]]*\\)\\]: [0-9]*\$/\\1/p" "$ET_OUT"; }
# busy loops of other processes on every CPU while the target runs, for at most $1 seconds
others_busy() {
	local i
	for i in $(seq 1 "$(getconf _NPROCESSORS_ONLN)"); do
		# bounded by itself, not by timeout(1): cleanup's SIGKILL of a timeout process would orphan
		# its child, which would spin for ever
		bash -c "while [ \$SECONDS -lt $1 ]; do :; done" &
		BG_PIDS+=("$!")
	done
}

# bpftrace's "pid filter software" test: software probes are attached to the -p process only, so
# @[pid] has exactly one key; other processes fault meanwhile (another instance, ls)
hold_target "$UT" 5
target=$TARGET
start_etrace -p "$target" -e 'software:page-faults:1 { @[pid] = count(); } BEGIN { @begin = count(); } END { @end = count(); }'
"$UT" 3 >/dev/null
release_target
ls / >/dev/null
"$UT" 3 >/dev/null
wait_etrace
check "-p software:page-faults: etrace ends with the process (status 0)" test "$ET_STATUS" = 0
check "-p software:page-faults: one key, the target's pid (keys: $(keys_of @ | tr '\n' ' '))" \
	test "$(keys_of @)" = "$target"
check "-p: BEGIN and END ran once each" bash -c "grep -qx '@begin: 1' '$ET_OUT' && grep -qx '@end: 1' '$ET_OUT'"

# profile under -p samples the process's own time on each CPU: only its pid, while other processes keep
# every CPU busy; interval is a timer of the whole machine (bpftrace opens it with no pid): it fires
# while the held target sleeps
hold_target "$UT" 30000000
target=$TARGET
start_etrace -p "$target" -e 'profile:hz:99 { @p[pid] = count(); } software:task-clock:1000000 { @t[pid] = count(); }
	interval:ms:50 { @i = count(); }'
others_busy 3
nap 0.3
release_target
wait_etrace
check "-p profile:hz:99: one key, the target's pid (keys: $(keys_of @p | tr '\n' ' '))" test "$(keys_of @p)" = "$target"
check "-p software:task-clock: one key, the target's pid (keys: $(keys_of @t | tr '\n' ' '))" \
	test "$(keys_of @t)" = "$target"
check "-p interval: fires while the target sleeps (not tied to the process)" grep -qE '^@i: [1-9][0-9]*$' "$ET_OUT"

# kernel probes get a pid predicate under -p (tracepoint: pid_cmd.sh); rawtracepoint too
hold_target "$UT" 3 300
target=$TARGET
start_etrace -p "$target" -e 'rawtracepoint:sys_enter { @[pid] = count(); }'
release_target
ls / >/dev/null
wait_etrace
check "-p rawtracepoint: one key, the target's pid (keys: $(keys_of @ | tr '\n' ' '))" test "$(keys_of @)" = "$target"

# bpftrace attaches perf event probes to the -c command too (its child's pid): only the command's
# faults, however many other processes fault meanwhile; no pid predicate for other kernel probes
run_etrace -c "$UT 3 300" -e 'software:page-faults:1 { @[pid] = count(); } tracepoint:raw_syscalls:sys_enter { @s[pid] = 1; }
	END { printf("cpid=%d\n", cpid); }'
cpid=$(sed -n 's/^cpid=//p' "$ET_OUT")
check "-c software:page-faults: one key, the command's pid (cpid $cpid; keys: $(keys_of @ | tr '\n' ' '))" \
	test -n "$cpid" -a "$(keys_of @)" = "$cpid"
check "-c tracepoint: other processes seen too (no predicate)" test "$(keys_of @s | wc -l)" -gt 1

check "nothing left behind" nothing_left_behind
finish
