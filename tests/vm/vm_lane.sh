#!/usr/bin/env bash
# tests/vm/vm_lane.sh ETRACE SOURCE_DIR: the VM lane as one test (ctest label "vm"). Boots Debian's 6.1
# kernel once under qemu (tests/vm/run) and runs tests/vm/guest-driver there: the host's runtime suite
# (tests/runtime/*.sh) and the kernel-probe tests (tests/vm/guest/*.sh) with this etrace binary.
# Skips (exit 77) unless ETRACE_VM=1 (it takes minutes; scripts/test-vm sets it), when not root, or
# when qemu or the kernel package cannot be had (no apt, offline). Exits with the guest driver's status
# otherwise (124 timeout, 125 guest failure).
# Every kernel-bound test runs (tests/vm/host-only lists the host tests the kernel does not decide, which
# the guest leaves out; a CI run stays under 45 minutes): ETRACE_VM_SHARDS guests (default 2) boot at
# once and take tests from one list, longest first, through a shared queue directory (ETRACE_VM_QUEUE,
# see tests/vm/guest-driver). Each boot is killed after ETRACE_VM_TIMEOUT (default 2400 s), each test
# after ETRACE_VM_TEST_TIMEOUT (default 400 s, three times the slowest). A guest silent for ETRACE_VM_STALL
# (default the test timeout + 60 s) is stuck: it is killed, and the test it was running runs once more
# in a fresh guest (the last lines say so).
# ETRACE_VM_TESTS (a regex) runs a subset. The closing lines give the slowest tests, each failed test
# with its failing checks, and the count of each state over all guests.
set -u
ETRACE=${1:?usage: vm_lane.sh ETRACE SOURCE_DIR}
SRC=${2:?usage: vm_lane.sh ETRACE SOURCE_DIR}
ETRACE=$(realpath "$ETRACE")
SRC=$(realpath "$SRC")
skip() { echo "SKIP: $*"; exit 77; }

[ "${ETRACE_VM:-0}" = 1 ] || skip "the VM lane boots a 6.1 kernel under qemu for minutes; set ETRACE_VM=1 (scripts/test-vm does)"
[ "$(id -u)" = 0 ] || skip "the VM lane needs root (apt, 9p passthrough of /)"
"$SRC/scripts/vm-deps" >&2 || skip "cannot install qemu-system-x86 busybox-static cpio kmod"
"$SRC/tests/vm/prepare" >/dev/null || skip "cannot fetch or unpack the 6.1 kernel package (offline?)"
export ETRACE_VM_TIMEOUT=${ETRACE_VM_TIMEOUT:-2400} ETRACE_VM_TEST_TIMEOUT=${ETRACE_VM_TEST_TIMEOUT:-400}
# a guest silent for longer than a test may run (the driver reports a test killed at its timeout) is stuck
export ETRACE_VM_STALL=${ETRACE_VM_STALL:-$((ETRACE_VM_TEST_TIMEOUT + 60))}
cd "$SRC" || exit 1
# a name in tests/vm/host-only must be a runtime test: a renamed test would otherwise drop out silently
for name in $(sed 's/#.*//' tests/vm/host-only); do
	[ -f "tests/${name}.sh" ] || { echo "vm: tests/vm/host-only names $name, which is no test"; exit 1; }
done
echo "vm: etrace binary on the host: $("$SRC/scripts/binary-id" "$ETRACE")"
# the tests' programs (tests/progs), built here where gcc is fast (about 10 s a program under TCG); the
# tests in the guest copy them from this cache (cc_cached in tests/runtime/progs.bash)
work=$(mktemp -d /tmp/etrace-vm-lane.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ETRACE_TEST_CACHE=$work/progs
mkdir -p "$work/tmp" "$ETRACE_TEST_CACHE"
SRC=$SRC TMP=$work/tmp bash -c '. "$SRC/tests/runtime/progs.bash" && build_all_progs' ||
	echo "vm: could not build the test programs on the host; the guest builds them"
# ETRACE_VM_SHARDS guests (default 2) boot at once and share the test list through the queue directory:
# a TCG guest running one test at a time keeps about one host CPU busy, so two use a two-CPU machine;
# their reports follow one another, then the lines that sum them up
shards=${ETRACE_VM_SHARDS:-2}
export ETRACE_VM_QUEUE=$work/queue
mkdir -p "$ETRACE_VM_QUEUE"
chmod 777 "$ETRACE_VM_QUEUE"
start=$(date +%s)
pids=()
for ((i = 1; i <= shards; i++)); do
	ETRACE_VM_GUEST=$i "$SRC/tests/vm/run" bash tests/vm/guest-driver "$ETRACE" "$SRC" >"$work/boot$i.log" 2>&1 &
	pids+=($!)
done
status=0
for i in "${!pids[@]}"; do
	wait "${pids[$i]}"
	st=$?
	# a stuck guest (killed by tests/vm/run's ETRACE_VM_STALL) is judged by the retry below
	grep -q '^vm: the guest printed nothing for' "$work/boot$((i + 1)).log" && continue
	[ "$status" = 0 ] && status=$st
done
for ((i = 1; i <= shards; i++)); do
	echo "======== VM lane, guest $i of $shards"
	cat "$work/boot$i.log"
done
# The test a stuck guest was running (claimed in the queue, never reported) runs once more in a fresh
# guest, named on the lane's last lines: once, a TCG guest's 6.1 kernel locked up (RCU stalls, soft
# lockups) in a test that passes alone, and the other guest ran the rest of the queue alone.
reported_names() { cat "$work"/boot*.log | awk '/^-- / { name = $2 } /^   => / { print name }' | sort -u; }
unreported=$(comm -23 <(find "$ETRACE_VM_QUEUE" -mindepth 1 -maxdepth 1 -printf '%f\n' | tr : / | sort -u) <(reported_names))
retry_note=""
if [ -n "$unreported" ]; then
	retry_note="vm: RETRIED in a fresh guest, after a guest was stuck or died running it: $(echo $unreported)"
	ETRACE_VM_TESTS="^($(echo $unreported | tr ' ' '|'))\$" ETRACE_VM_QUEUE="" ETRACE_VM_GUEST=$((shards + 1)) \
		ETRACE_VM_STALL=0 ETRACE_VM_TIMEOUT=$((ETRACE_VM_TEST_TIMEOUT * $(wc -w <<<"$unreported") + 120)) "$SRC/tests/vm/run" bash tests/vm/guest-driver "$ETRACE" "$SRC" \
		>"$work/boot-retry.log" 2>&1
	st=$?
	[ "$status" = 0 ] && status=$st
	echo "======== VM lane, retry of $(echo $unreported)"
	cat "$work/boot-retry.log"
fi
# every test in the list ran in one guest: the claims in the queue against the tests reported
claimed=$(find "$ETRACE_VM_QUEUE" -mindepth 1 -maxdepth 1 | wc -l)
reported=$(reported_names | wc -l)
echo "vm: slowest tests:"
cat "$work"/boot*.log | awk '/^== results/ { r = 1; next } /^== / { r = 0 } r && NF >= 3 { print }' |
	sort -k3,3nr | head -8
# the states from each test's "=> STATE" line, so that a stuck guest's finished tests count too
cat "$work"/boot*.log | awk '/^   => / { n[$2]++ } END { printf "vm: per state:"; for (k in n) printf " %s %d", k, n[k]; printf "\n" }'
# a CI log shows only its tail: name each failed test there, with its failing checks (at most 6 lines)
cat "$work"/boot*.log | awk '/^-- / { name = $2; n = 0; next }
	/^   FAIL: / && n < 6 { fails[name] = fails[name] "\n     " substr($0, 4); n++ }
	/^   => FAIL/ { printf "vm: FAILED %s: %s%s\n", name, substr($0, 12), fails[name] }'
[ -z "$retry_note" ] || echo "$retry_note"
[ "$reported" = "$claimed" ] || { echo "vm: $claimed tests were started but $reported reported (a guest died?)"; [ "$status" = 0 ] && status=1; }
[ "$reported" -gt 0 ] || { echo "vm: no test ran"; [ "$status" = 0 ] && status=1; }
cat "$work"/boot*.log | awk -v t=$(($(date +%s) - start)) -v n="$shards" -v st="$status" '
	/^   => PASS/ { p++ } /^   => FAIL/ { f++ } /^   => SKIP/ { s++ } /^== summary on / { b++ }
	END { printf "vm: lane total: %d passed, %d failed, %d skipped in %ds (%d guests at once, %d reported; exit %d)\n", p, f, s, t, n, b, st }'
exit "$status"
