#!/usr/bin/env bash
# tests/vm/vm_lane.sh ETRACE SOURCE_DIR: the VM lane as one test (ctest label "vm"). Boots Debian's 6.1
# kernel once under qemu (tests/vm/run) and runs tests/vm/guest-driver there: the host's runtime suite
# (tests/runtime/*.sh) and the kernel-probe tests (tests/vm/guest/*.sh) with this etrace binary.
# Skips (exit 77) unless ETRACE_VM=1 (it takes minutes; scripts/test-vm sets it), when not root, or
# when qemu or the kernel package cannot be had (no apt, offline). Exits with the guest driver's status
# otherwise (124 timeout, 125 guest failure).
# Budget (CI wants the lane under 8 minutes): ETRACE_VM_SHARDS guests (default 2) share the tests, booted
# at once; each boot is killed after ETRACE_VM_TIMEOUT (default 480 s);
# the guest driver starts no test after ETRACE_VM_BUDGET (default 400 s) and none runs longer than
# ETRACE_VM_TEST_TIMEOUT (default 240 s). ETRACE_VM_SKIP (a regex, see tests/vm/guest-driver) names
# tests left out of the guest run.
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
export ETRACE_VM_TIMEOUT=${ETRACE_VM_TIMEOUT:-480} ETRACE_VM_BUDGET=${ETRACE_VM_BUDGET:-400}
export ETRACE_VM_TEST_TIMEOUT=${ETRACE_VM_TEST_TIMEOUT:-240}
cd "$SRC" || exit 1
echo "vm: etrace binary on the host: $("$SRC/scripts/binary-id" "$ETRACE")"
# the tests' programs (tests/progs), built here where gcc is fast (about 10 s a program under TCG); the
# tests in the guest copy them from this cache (cc_cached in tests/runtime/progs.bash)
work=$(mktemp -d /tmp/etrace-vm-lane.XXXXXX)
trap 'rm -rf "$work"' EXIT
export ETRACE_TEST_CACHE=$work/progs
mkdir -p "$work/tmp" "$ETRACE_TEST_CACHE"
SRC=$SRC TMP=$work/tmp bash -c '. "$SRC/tests/runtime/progs.bash" && build_all_progs' ||
	echo "vm: could not build the test programs on the host; the guest builds them"
# ETRACE_VM_SHARDS guests (default 2) boot at once and share the test list (ETRACE_VM_SHARD): a TCG guest
# running one test at a time keeps about one host CPU busy, so two use a two-CPU machine; their reports
# follow one another, then one line sums them up
shards=${ETRACE_VM_SHARDS:-2}
start=$(date +%s)
if [ "$shards" -le 1 ]; then
	"$SRC/tests/vm/run" bash tests/vm/guest-driver "$ETRACE" "$SRC"
	exit $?
fi
pids=()
for ((i = 0; i < shards; i++)); do
	ETRACE_VM_SHARD=$i/$shards "$SRC/tests/vm/run" bash tests/vm/guest-driver "$ETRACE" "$SRC" >"$work/boot$i.log" 2>&1 &
	pids+=($!)
done
status=0
for i in "${!pids[@]}"; do
	wait "${pids[$i]}"
	st=$?
	[ "$status" = 0 ] && status=$st
done
for ((i = 0; i < shards; i++)); do
	echo "======== VM lane, guest $((i + 1)) of $shards"
	cat "$work/boot$i.log"
done
sed -n 's/^== summary on .*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped in.*/\1 \2 \3/p' "$work"/boot*.log |
	awk -v t=$(($(date +%s) - start)) -v n="$shards" -v st="$status" '{ p += $1; f += $2; s += $3; b++ }
		END { printf "vm: lane total: %d passed, %d failed, %d skipped in %ds (%d guests at once, %d reported; exit %d)\n", p, f, s, t, n, b, st }'
exit "$status"
