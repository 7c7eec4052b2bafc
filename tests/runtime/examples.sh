# Every examples/*.et tool runs for two seconds while a little load runs (ls, file opens, child processes,
# a kill, direct disk writes, a local TCP connect): it must start cleanly (exit 0 after SIGINT, or its own
# exit; nothing but "Attached N probes" and warnings on stderr) and print something. An example whose probe
# type this kernel or etrace lacks is reported as skipped, with etrace's own reason.
# Also checks the examples' form: a #!/usr/bin/env etrace shebang, executable, a header comment with an
# example of its output.
. "$(dirname "$0")/lib.sh"
require_root
ls "$SRC"/examples/*.et >/dev/null 2>&1 || { fail "examples/*.et exist"; finish; }

# six rounds of load on the host; two where waits are scaled (the VM lane's TCG guest, where the rounds'
# process starts are what an example's run costs and two give every example its events)
rounds=$((TIME_SCALE > 1 ? 2 : 6))
load() {
	local i
	for ((i = 1; i <= rounds; i++)); do
		ls / >/dev/null
		cat /etc/hostname /etc/passwd >/dev/null
		/bin/true
		sh -c 'kill -0 $$'
		dd if=/dev/zero of="$TMP/load.$i" bs=4k count=4 oflag=direct,sync status=none 2>/dev/null
		(exec 3<>/dev/tcp/127.0.0.1/1) 2>/dev/null
		sleep 0.25
	done
}

skipped=0
ran=0
for f in "$SRC"/examples/*.et; do
	name=$(basename "$f" .et)
	check "$name: starts with #!/usr/bin/env etrace" test "$(head -1 "$f")" = "#!/usr/bin/env etrace"
	check "$name: is executable" test -x "$f"
	check "$name: header comment with an example of its output" grep -q "^// Example output" "$f"

	out="$TMP/$name.out"
	err="$TMP/$name.err"
	"$ETRACE" "$f" >"$out" 2>"$err" &
	pid=$!
	BG_PIDS+=("$pid")
	for i in $(seq 1 100); do
		grep -q "^Attached" "$err" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if grep -q "^Attached" "$err"; then
		load &
		lpid=$!
		sleep 2
		kill -INT "$pid" 2>/dev/null
		wait "$lpid"
	fi
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	status=$?

	reason=$(grep -oE "(does not handle [a-z]+ probes yet|this kernel cannot run [a-z]+ probes[^\n]*|is not supported by etrace[^\n]*|not supported by etrace's code generator yet)" "$err" | head -1)
	if [ "$status" != 0 ] && [ -n "$reason" ]; then
		echo "skip: $name: $reason"
		skipped=$((skipped + 1))
		continue
	fi
	ran=$((ran + 1))
	check "$name: exit status 0 (got $status)" test "$status" = 0
	if grep -vE '^(Attached [0-9]+ probes?$|.*: warning: |hint: )' "$err" | grep -q "error"; then
		fail "$name: no error output"; cat "$err"
	else
		pass "$name: no error output"
	fi
	check "$name: printed something" grep -q '[^[:space:]]' "$out"
done
echo "examples: $ran ran, $skipped skipped (probe types this kernel or etrace lacks)"
[ "$ran" -gt 0 ] || skip "no example could run here"
finish
