# Helper for the stop_*.sh tests (sourced after lib.sh): a fuller "nothing left behind" than lib.sh's
# leftovers(): besides new BPF programs, links and maps, no new line in kprobe_events/uprobe_events and no
# new object under the BPF filesystem. snapshot_all before starting etrace, nothing_remains after.
STOP_SCRIPT='BEGIN { @started = 1; } tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:ms:10 { @ticks = count(); }'
tracefs_dir() {
	local d
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -d "$d/events" ] && { echo "$d"; return; }
	done
}
probe_events() { # kprobe and uprobe definitions, one per line
	local tf
	tf=$(tracefs_dir)
	[ -n "$tf" ] || return 0
	cat "$tf/kprobe_events" "$tf/uprobe_events" 2>/dev/null | sort
}
bpffs_objects() { find /sys/fs/bpf -mindepth 1 2>/dev/null | sort; }
snapshot_all() {
	snapshot_bpf
	probe_events >"$TMP/events.before"
	bpffs_objects >"$TMP/bpffs.before"
}
nothing_remains() {
	leftovers || return 1
	local new
	new=$(probe_events | comm -13 "$TMP/events.before" -)
	[ -z "$new" ] || { echo "probe events left behind: $new"; return 1; }
	new=$(bpffs_objects | comm -13 "$TMP/bpffs.before" -)
	[ -z "$new" ] || { echo "pinned objects left behind: $new"; return 1; }
	return 0
}
# stop_by SIGNAL: start the standard script, let it count, stop it with SIGNAL; checks output and leftovers
stop_by() {
	local sig=$1
	snapshot_all
	start_etrace -e "$STOP_SCRIPT" || { fail "SIG$sig: attach"; return; }
	sleep 0.5
	stop_etrace "$sig"
	check "SIG$sig: exit status 0 (got $ET_STATUS)" test "$ET_STATUS" = 0
	check "SIG$sig: the maps are printed" grep -qE '^@ticks: [1-9][0-9]*$' "$ET_OUT"
	check "SIG$sig: the keyed map is printed" grep -qE '^@\[.*\]: [1-9][0-9]*$' "$ET_OUT"
	check "SIG$sig: no error on stderr" test -z "$(grep -v '^Attached' "$ET_ERR")"
	check "SIG$sig: nothing left behind" nothing_remains
}
