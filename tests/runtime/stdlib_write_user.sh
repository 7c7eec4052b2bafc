#!/bin/bash
# write_user(dst, src, len) with --unsafe: rewrites the path a process passes to openat (at
# sys_enter_openat, before the kernel reads it), so Python opens the other file and copies what that file
# holds; write_user gives true there and false for address 0, in text and -f json. Where the kernel
# refuses bpf_probe_write_user (kernel lockdown: this development host), the located error says so.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_openat
require_python "to open the file"
snapshot_bpf
echo redirected >"$TMP/wu-BBBB"
echo original >"$TMP/wu-AAAA"
copy="python3 -c 'import sys; open(sys.argv[2], \"w\").write(open(sys.argv[1]).read())' $TMP/wu-AAAA"
len=$((${#TMP} + 9)) # "$TMP/wu-BBBB" and its NUL
script="tracepoint:syscalls:sys_enter_openat /pid == cpid && strcontains(str(args.filename), \"wu-AAAA\")/ {
	\$new = \"$TMP/wu-BBBB\"; @w = write_user(args.filename, \$new, $len); @z = write_user(0, \$new, 4); }"

run_etrace --unsafe -c "$copy $TMP/out" -e "$script"
if grep -q "which this kernel refuses" "$ET_ERR"; then
	check "a refused bpf_probe_write_user is a located error naming the helper and the probe" grep -qE \
		"^-e:[0-9]+:[0-9]+: error: write_user\(\) needs the BPF helper bpf_probe_write_user, which this kernel refuses in the program of tracepoint:syscalls:sys_enter_openat" \
		"$ET_ERR"
	check "with a hint on what to use instead" grep -q "^hint: nothing writes user memory under lockdown" "$ET_ERR"
	check "and a non-zero exit" test "$ET_STATUS" != 0
	check "nothing left behind" nothing_left_behind
	finish
fi
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "the process opened the file write_user named" grep -qx redirected "$TMP/out"
check "@w: true" grep -qx '@w: true' "$ET_OUT"
check "@z: false (address 0)" grep -qx '@z: false' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json --unsafe -c "$copy $TMP/out2" -e "$script" || exit 1
wait_etrace
check "-f json: the process opened the other file" grep -qx redirected "$TMP/out2"
check "-f json: write_user values" jcheck "$ET_OUT" "one('map', '@w') is True" "one('map', '@z') is False"

check "nothing left behind" nothing_left_behind
finish
