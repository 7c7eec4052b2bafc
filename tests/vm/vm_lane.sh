#!/usr/bin/env bash
# tests/vm/vm_lane.sh ETRACE SOURCE_DIR: the VM lane as one test (ctest label "vm"). Boots Debian's 6.1
# kernel once under qemu (tests/vm/run) and runs tests/vm/guest-driver there: the host's runtime suite
# (tests/runtime/*.sh) and the kernel-probe tests (tests/vm/guest/*.sh) with this etrace binary.
# Skips (exit 77) unless ETRACE_VM=1 (it takes minutes; scripts/test-vm sets it), when not root, or
# when qemu or the kernel package cannot be had (no apt, offline). Exits with the guest driver's status
# otherwise (124 timeout, 125 guest failure).
# Budget (CI wants the lane under 8 minutes): the boot is killed after ETRACE_VM_TIMEOUT (default 480 s);
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
"$SRC/tests/vm/run" bash tests/vm/guest-driver "$ETRACE" "$SRC"
