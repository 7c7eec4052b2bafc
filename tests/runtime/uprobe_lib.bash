# Helpers of the uprobe/usdt/pid_cmd tests (sourced after lib.sh; build_uprobe_progs is in progs.bash).
# The map line "@name...: value" of the output, or nothing.
map_line() { grep -F -- "$1" "$ET_OUT" | head -1; }
# Start $UT (or another target) in the background, held before its first round until release_target:
# for -p tests, which must attach before the target runs, however slow the machine (the VM lane's TCG).
# Sets TARGET (its pid, also in BG_PIDS). Usage: hold_target BINARY N [LINGER_MS]
hold_target() {
	rm -f "$TMP/go"
	# the target reads its stdin (SLEEP_MS -1) until this loop ends: when released or the test is gone
	(while [ -d "$TMP" ] && [ ! -e "$TMP/go" ]; do nap 0.05; done) | "$1" "$2" -1 "${3:-0}" >/dev/null &
	TARGET=$!
	BG_PIDS+=("$TARGET")
	# until the forked shell has become the target (etrace -p reads /proc/PID/exe)
	local i exe
	exe=$(realpath "$1")
	for ((i = 0; i < 200 * TIME_SCALE; i++)); do
		[ "$(readlink "/proc/$TARGET/exe" 2>/dev/null)" = "$exe" ] && return 0
		nap 0.05
	done
	echo "hold_target: $1 did not start"
	return 1
}
release_target() { touch "$TMP/go"; }
